#!/bin/sh
# Runs libFuzzer targets: sh scripts/fuzz.sh TARGET|all [SECONDS]
#
#   sh scripts/fuzz.sh all 45        # what CI does: every target, 45 s each
#   sh scripts/fuzz.sh xml 3600      # the long run: one hour on the XML reader
#
# TARGET is the part after "fuzz_" of a fuzz/fuzz_<name>.c file. The build
# (clang, ASan + UBSan, coverage-guided) goes to build/fuzz; the corpus a run
# grows is kept in build/fuzz/corpus/<name> and starts from the seeds in
# fuzz/corpus/<name> and the regression inputs in fuzz/regressions/<name>.
# A crash, leak, timeout or out-of-memory is a finding: it is saved under
# build/fuzz/findings/ and the script fails. To keep a finding as a
# regression input, copy it into fuzz/regressions/<name>/ once it is fixed.
# Each run's figures (executions per second, coverage) are printed at the end
# and kept in build/fuzz/summary.txt.
set -eu
cd "$(dirname "$0")/.."
target=${1:-all}
seconds=${2:-45}
jobs=$(nproc)

cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCJM_FUZZ=ON \
    -DCJM_SANITIZE=address,undefined -DCJM_WERROR=ON \
    -DCJM_BUILD_TESTS=OFF -DCJM_BUILD_TOOLS=OFF -DCJM_BUILD_EXAMPLES=OFF \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null

if [ "$target" = all ]; then
    targets=$(cd fuzz && ls fuzz_*.c 2>/dev/null | sed 's/^fuzz_//; s/\.c$//')
else
    targets=$target
fi
if [ -z "$targets" ]; then
    echo "fuzz: no targets in fuzz/"
    exit 0
fi
# Only the fuzz programs are built (they link the static library).
for t in $targets; do
    cmake --build build/fuzz -j"$jobs" --target "fuzz_$t"
done

mkdir -p build/fuzz/findings
: >build/fuzz/summary.txt
status=0
for t in $targets; do
    exe=build/fuzz/fuzz/fuzz_$t
    if [ ! -x "$exe" ]; then
        echo "fuzz: no program $exe (is there a fuzz/fuzz_$t.c?)" >&2
        exit 2
    fi
    corpus=build/fuzz/corpus/$t
    mkdir -p "$corpus" "fuzz/corpus/$t" "fuzz/regressions/$t"
    log=build/fuzz/$t.log
    dict=""
    [ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
    echo "fuzz: $t for $seconds s (log in $log)"
    # the small plain public logs beside the project, when they are there,
    # seed the XES target too (copied into the build tree, never committed)
    extra=""
    if [ "$t" = xes ] && [ -d ../shared/data/xes ]; then
        extra=build/fuzz/seeds-shared-xes
        mkdir -p "$extra"
        find ../shared/data/xes -maxdepth 1 -name '*.xes' -size -100k -exec cp {} "$extra"/ \;
    fi
    # shellcheck disable=SC2086
    if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
       UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
       "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
            -max_len=1048576 -print_final_stats=1 \
            -artifact_prefix="build/fuzz/findings/$t-" $dict \
            "$corpus" "fuzz/corpus/$t" "fuzz/regressions/$t" $extra >"$log" 2>&1; then
        result=ok
    else
        result=FINDING
        status=1
    fi
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | sed 's/ft: //')
    units=$(ls "$corpus" | wc -l)
    line=$(printf '%-8s %-7s %6s s  %10s execs  %7s exec/s  cov %6s  ft %6s  corpus %5s' \
        "$t" "$result" "$seconds" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "$units")
    echo "$line" | tee -a build/fuzz/summary.txt
    if [ "$result" != ok ]; then
        echo "fuzz: $t found a problem; the end of its log:" >&2
        tail -n 60 "$log" >&2
        ls -l build/fuzz/findings/ >&2
    fi
done
exit $status
