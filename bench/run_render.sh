#!/bin/sh
# DOT export of a large journey, timed against cgraph's own agwrite() of the
# same graph in the same process; prints the medians and their ratios.
#
# usage: bench/run_render.sh [build-dir] [touchpoints] [rounds]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/bench}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target bench_render -j"$(nproc)" >/dev/null
"$build/bench/bench_render" "${2:-10000}" "${3:-15}"
