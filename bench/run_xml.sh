#!/bin/sh
# Times cjm_xml_read_file on a generated journey against a no-op libxml2 SAX
# parse of the same file, in the same run, and prints the ratio (target <= 2),
# best of nine in one process, and median and minimum of nine in a fresh
# process per parse, and the peak memory of each.
#
# usage: bench/run_xml.sh [BUILD_DIR] [TOUCHPOINTS]
#   BUILD_DIR    a configured build tree (default: build-bench, made here)
#   TOUCHPOINTS  the size of the journey (default 100000)
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$src/build-bench"}
n=${2:-100000}
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target bench_xml -j2 >/dev/null
echo "cjm Journey XML reader, $(date -u +%Y-%m-%dT%H:%MZ), $(uname -m), $(nproc) cpu(s)"
echo "build type: $(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")"
"$build/bench/bench_xml" "$n"
