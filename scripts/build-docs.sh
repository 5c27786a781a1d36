#!/usr/bin/env bash
# Builds the HTML documentation of every module that has a DocC catalog (`Modules/<Folder>/Documentation.docc`)
# with the toolchain's `docc`: no package dependency, no swift-docc-plugin.
#
#   scripts/build-docs.sh [OUTPUT]      # OUTPUT defaults to .build/docs
#
# Each module becomes OUTPUT/<Module>.doccarchive, ready for static hosting (open it with a web server, e.g.
# `python3 -m http.server -d .build/docs/BackpropTraining.doccarchive`, then /documentation/backproptraining).
# Every warning is an error: an unresolved ``Symbol`` link, a misspelt article name, a broken Topics entry.
# On failure the script names the module, prints docc's diagnostics and exits non-zero.
#
# DOCC may name the docc binary; by default it is `docc` on PATH or the one beside `swift`.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-.build/docs}"
started=$(date +%s)

docc="${DOCC:-}"
if [ -z "$docc" ]; then
  if command -v docc >/dev/null 2>&1; then
    docc=$(command -v docc)
  elif command -v xcrun >/dev/null 2>&1 && xcrun --find docc >/dev/null 2>&1; then
    docc=$(xcrun --find docc)
  else
    docc="$(dirname "$(readlink -f "$(command -v swift)")")/docc"
  fi
fi
[ -x "$docc" ] || { echo "build-docs: no docc found (looked for $docc); set DOCC" >&2; exit 1; }

# The catalogs, and the module each documents: the name in its landing article's title, "# ``Module``".
catalogs=()
modules=()
for catalog in Modules/*/Documentation.docc; do
  module=$(sed -n '1s/^# ``\([A-Za-z0-9_]*\)``[[:space:]]*$/\1/p' "$catalog"/*.md | head -n 1)
  if [ -z "$module" ]; then
    echo "build-docs: $catalog has no landing article titled # \`\`Module\`\`" >&2
    exit 1
  fi
  catalogs+=("$catalog")
  modules+=("$module")
done

# Symbol graphs of every module's public API, in one build. SwiftPM also tries the test-discovery modules
# (`BackpropPackageTests`) and fails on them, so its exit status says nothing about the library modules:
# instead every graph used below must have been written by this run.
log=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$log" "$work"' EXIT
stamp="$work/stamp"
touch "$stamp"
sleep 1   # file times have one-second resolution on some file systems
swift package dump-symbol-graph --minimum-access-level public --skip-synthesized-members \
  --emit-extension-block-symbols >"$log" 2>&1 || true
graphs=$(sed -n 's/^.*[Ff]iles written to \(.*\)$/\1/p' "$log" | tail -n 1)
if [ -z "$graphs" ] || [ ! -d "$graphs" ]; then
  echo "build-docs: swift package dump-symbol-graph wrote no symbol graphs:" >&2
  cat "$log" >&2
  exit 1
fi
echo "symbol graphs: $graphs ($(( $(date +%s) - started )) s)"

mkdir -p "$out"
failed=()

# Every Swift library module of the package (a `Backprop…` graph whose symbols come from Modules/) needs
# a catalog, so that a new module cannot go undocumented. A test-support module (sources in Tests/) needs
# none, though its graph names Modules/ too when its types adopt the library's protocols.
for file in "$graphs"/Backprop*.symbols.json; do
  case "$file" in *@*) continue ;; esac
  [ "$file" -nt "$stamp" ] || continue
  module=$(basename "$file" .symbols.json)
  case " ${modules[*]} " in *" $module "*) continue ;; esac
  if grep -q '"uri":"file://[^"]*/Modules/' "$file" && ! grep -q '"uri":"file://[^"]*/Tests/' "$file"; then
    echo "FAIL $module: no DocC catalog (add Modules/<Folder>/Documentation.docc/$module.md)"
    failed+=("$module")
  fi
done

# One docc per module, as many at a time as there are cores; results are printed in catalog order.
convert() {  # module catalog archive
  local t0=$(date +%s)
  if "$docc" convert "$2" \
      --additional-symbol-graph-dir "$work/$1" \
      --output-path "$3" \
      --fallback-display-name "$1" \
      --fallback-bundle-identifier "org.backprop.$1" \
      --transform-for-static-hosting \
      --warnings-as-errors >"$work/$1.log" 2>&1; then
    echo "$(( $(date +%s) - t0 ))" >"$work/$1.ok"
  fi
}
jobs_max=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
pending=()
for i in "${!catalogs[@]}"; do
  catalog=${catalogs[$i]}
  module=${modules[$i]}
  # The module's own graph and its extensions of other modules' types (`Module@Other.symbols.json`).
  mkdir -p "$work/$module"
  found=0
  for file in "$graphs/$module.symbols.json" "$graphs/$module"@*.symbols.json; do
    if [ -f "$file" ] && [ "$file" -nt "$stamp" ]; then
      cp "$file" "$work/$module/"
      found=1
    fi
  done
  if [ "$found" -eq 0 ]; then
    echo "FAIL $module: this run wrote no $graphs/$module.symbols.json (a library target? its errors:)"
    grep -iE "error|$module" "$log" | grep -v '^Using commandline' | head -n 40 || true
    failed+=("$module")
    continue
  fi
  rm -rf "$out/$module.doccarchive"
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
  convert "$module" "$catalog" "$out/$module.doccarchive" &
  pending+=("$i")
done
wait

for i in "${pending[@]}"; do
  catalog=${catalogs[$i]}
  module=${modules[$i]}
  if [ -f "$work/$module.ok" ]; then
    echo "ok   $module ($catalog → $out/$module.doccarchive, $(cat "$work/$module.ok") s)"
  else
    echo "FAIL $module ($catalog): docc's diagnostics follow"
    grep -vE '^(Finished|Generated|Building|Converting)' "$work/$module.log" || true
    failed+=("$module")
  fi
done

echo "documentation: ${#catalogs[@]} modules, $(( ${#catalogs[@]} - ${#failed[@]} )) built, $(( $(date +%s) - started )) s, in $out"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "build-docs: failed: ${failed[*]}" >&2
  exit 1
fi
