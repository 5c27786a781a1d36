#!/bin/bash
# Runs one libFuzzer target of Fuzz/ (see docs/fuzzing.md) for a given time.
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options…]
#   scripts/fuzz.sh all SECONDS           # every target in turn, SECONDS each
#
# TARGET is one of: FuzzCIFARBinary FuzzPickle FuzzIDX FuzzNumpy FuzzJSONConfig FuzzPNG.
# Builds Fuzz/ once with -sanitize=fuzzer,address (release, so that the readers run at full speed),
# seeds the corpus Fuzz/corpus/TARGET from Fuzz/seeds/TARGET (scripts/fuzz_seeds.py), and keeps crashing inputs in
# Fuzz/crashes/TARGET. Prints one summary line per target:
#   fuzz TARGET: N executions in S s, C crash(es)
# and exits non-zero when a target crashed. Inputs may allocate at most 2 GB (-rss_limit_mb) and take
# at most 10 s (-timeout): more is a finding too.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(FuzzCIFARBinary FuzzPickle FuzzIDX FuzzNumpy FuzzJSONConfig FuzzPNG)
[ $# -ge 2 ] || { sed -n '2,14p' "$0"; exit 64; }
target=$1 seconds=$2
shift 2
if [ "$target" = all ]; then selected=("${targets[@]}"); else selected=("$target"); fi
for t in "${selected[@]}"; do
  [[ " ${targets[*]} " == *" $t "* ]] || { echo "error: unknown fuzz target '$t' (${targets[*]})" >&2; exit 64; }
done

# Fuzz/toolset.json: every Swift module instrumented for libFuzzer and AddressSanitizer, linked by lld
# (gold fails on the instrumented objects).
build=(swift build --package-path Fuzz -c release --toolset "$PWD/Fuzz/toolset.json")
"${build[@]}" >&2
bin=$("${build[@]}" --show-bin-path)
python3 scripts/fuzz_seeds.py Fuzz/seeds >&2

status=0
for t in "${selected[@]}"; do
  corpus=Fuzz/corpus/$t crashes=Fuzz/crashes/$t
  mkdir -p "$corpus" "$crashes"
  [ -d "Fuzz/seeds/$t" ] && cp -n Fuzz/seeds/$t/* "$corpus"/ 2>/dev/null || true
  log=$(mktemp)
  # The Swift runtime's backtracer would take the crash signal before libFuzzer writes the input.
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$bin/$t" "$corpus" -max_total_time="$seconds" \
    -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$crashes/" -print_final_stats=1 "$@" >"$log" 2>&1 || true
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  found=$(find "$crashes" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' -o -name 'leak-*' \) | wc -l)
  echo "fuzz $t: ${runs:-0} executions in $seconds s, $found crash(es) in $crashes"
  if [ "$found" -gt 0 ]; then status=1; grep -m 5 -E 'ERROR|Fatal error|==[0-9]+==' "$log" >&2 || true; fi
  rm -f "$log"
done
exit $status
