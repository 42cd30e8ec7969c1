#!/bin/sh
# Times the analyses on journeys of 10k, 100k and 1M transitions and prints
# the ratios between consecutive sizes (about 10 when time grows linearly).
# Every ratio compares two runs of the same program in the same process.
#
# usage: bench/run_analysis.sh [BUILD_DIR] [MAX_TRANSITIONS]
#   BUILD_DIR        a configured build tree (default: build-bench, made here)
#   MAX_TRANSITIONS  the largest journey (default 1000000)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$src/build-bench"}
max=${2:-1000000}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >"$log" 2>&1 || { cat "$log"; exit 1; }
fi
cmake --build "$build" --target bench_analysis -j2 >"$log" 2>&1 || { cat "$log"; exit 1; }
echo "cjm analyses, $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) cpu(s)"
echo "build type: $(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")"
"$build/bench/bench_analysis" "$max"
