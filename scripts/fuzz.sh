#!/usr/bin/env bash
# Fuzzes one of Backprop's readers of untrusted files with libFuzzer (see docs/threat-model.md).
#
#   scripts/fuzz.sh READER SECONDS [libFuzzer options…]
#
# READER is one of: CIFARBinary Pickle IDX Numpy JSON PNG. The target is built in release mode with
# -sanitize=fuzzer (and lld: gold fails to link it) from the separate package in Fuzz/. The corpus grows
# in Fuzz/.build/corpus/READER across runs; a crashing input is written to Fuzz/.build/crashes/READER/
# and the script exits non-zero. Needs a toolchain whose swiftc accepts -sanitize=fuzzer (Linux).
set -euo pipefail

readers="CIFARBinary Pickle IDX Numpy JSON PNG"
if [[ $# -lt 2 ]] || ! [[ " $readers " == *" $1 "* ]] || ! [[ "$2" =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/fuzz.sh READER SECONDS [libFuzzer options…]; READER is one of: $readers" >&2
    exit 2
fi
reader=$1 seconds=$2
shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/Fuzz"
# No manifest caching: the cached build plan misses source files added to Backprop since the last build.
swift build -c release -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld --disable-build-manifest-caching \
    --product "Fuzz$reader" >&2
corpus=".build/corpus/$reader" crashes=".build/crashes/$reader" seeds=".build/seeds/Fuzz$reader"
mkdir -p "$corpus" "$crashes"
# Small valid inputs of each format (scripts/fuzz_seeds.py), read besides the corpus, so that the fuzzer
# starts past each format's magic numbers and headers.
python3 "$root/scripts/fuzz_seeds.py" .build/seeds >/dev/null
# -rss_limit_mb: a reader that needs more than 2 GB for an input of at most 64 KB is a finding too.
# The Swift backtracer would take the crash signal before libFuzzer could save the input.
SWIFT_BACKTRACE=enable=no exec ".build/release/Fuzz$reader" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -timeout=10 -artifact_prefix="$crashes/" -print_final_stats=1 "$@" "$corpus" "$seeds"
