#!/bin/sh
# Installs what is needed, then builds and runs every test, in stages:
#
#   1. release build with warnings as errors (gcc) + ctest
#   2. the reference manual (Doxygen, warnings are errors)
#   3. AddressSanitizer + UndefinedBehaviorSanitizer build (clang) + ctest
#   4. ThreadSanitizer build (clang) of the thread test, run alone
#   5. valgrind memcheck over the C test programs of the release build
#   6. every libFuzzer target for a bounded time (clang); any finding fails
#   7. line and branch coverage (gcc --coverage + gcovr), summary in build/coverage/
#
# Every stage prints a header and its duration; the first failure stops the
# run with a non-zero exit status. Environment knobs:
#   CJM_FUZZ_SECONDS  seconds per fuzz target (default 45)
#   CJM_STAGES        the stage numbers to run, e.g. "1 3" (default: all)
#   CJM_KEEP_GOING=1  run the later stages after a failure too, and fail at
#                     the end (the default stops at the first failure)
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
jobs=$(nproc)
fuzz_seconds=${CJM_FUZZ_SECONDS:-45}
stages=${CJM_STAGES:-1 2 3 4 5 6 7}
keep_going=${CJM_KEEP_GOING:-0}
summary=""
failed=""
t_all=$(date +%s)

want() {
    for s in $stages; do
        [ "$s" = "$1" ] && return 0
    done
    return 1
}

stage_begin() {
    stage_name=$1
    t_stage=$(date +%s)
    echo
    echo "=================================================================="
    echo "== $stage_name"
    echo "=================================================================="
}

stage_end() {
    dt=$(( $(date +%s) - t_stage ))
    echo "== $1: $stage_name ($dt s)"
    summary="$summary
  $(printf '%5d s' "$dt")  $1  $stage_name"
}

# run_stage N NAME FUNCTION: runs one stage in a subshell that stops at its
# first failing command.
run_stage() {
    want "$1" || return 0
    stage_begin "$2"
    # not in an "if": the shell ignores -e in a condition, subshells included
    set +e
    (set -e; "$3")
    rc=$?
    set -e
    if [ "$rc" -eq 0 ]; then
        stage_end passed
    else
        stage_end FAILED
        failed="$failed $1"
        if [ "$keep_going" != 1 ]; then
            echo "test.sh: stage $1 failed:$summary"
            exit 1
        fi
    fi
}

stage1() {
    cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DCJM_WERROR=ON
    cmake --build build/release -j"$jobs"
    ctest --test-dir build/release --output-on-failure -j"$jobs"
}
run_stage 1 "[1/7] release build (gcc, -Werror) and tests" stage1

stage2() {
    cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DCJM_WERROR=ON >/dev/null
    cmake --build build/release --target doc
}
run_stage 2 "[2/7] reference manual (Doxygen, warnings are errors)" stage2

stage3() {
    # libcjm.so is linked with -Wl,--no-undefined, so it must carry the
    # sanitizer runtime itself: the shared runtime (-shared-libsan), found
    # through an rpath. Programs that link libcjm.so without being
    # instrumented (the header tests, the installed consumer) then load the
    # runtime after libc, which verify_asan_link_order=0 allows.
    rtdir=$(dirname "$(clang -print-file-name=libclang_rt.asan-x86_64.so)")
    cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DCJM_WERROR=ON \
        -DCJM_SANITIZE=address,undefined \
        -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
        "-DCMAKE_SHARED_LINKER_FLAGS=-shared-libsan -Wl,-rpath,$rtdir" \
        "-DCMAKE_EXE_LINKER_FLAGS=-shared-libsan -Wl,-rpath,$rtdir"
    cmake --build build/asan -j"$jobs"
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:verify_asan_link_order=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir build/asan --output-on-failure -j"$jobs"
}
run_stage 3 "[3/7] AddressSanitizer + UndefinedBehaviorSanitizer build (clang) and tests" stage3

stage4() {
    cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug -DCJM_WERROR=ON \
        -DCJM_SANITIZE=thread -DCJM_BUILD_TOOLS=OFF -DCJM_BUILD_EXAMPLES=OFF \
        -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
    cmake --build build/tsan -j"$jobs" --target test_threads
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
        ctest --test-dir build/tsan --output-on-failure -R '^test_threads$'
}
run_stage 4 "[4/7] ThreadSanitizer build (clang): the thread test" stage4

stage5() {
    cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DCJM_WERROR=ON >/dev/null
    cmake --build build/release -j"$jobs"
    # Each C test program under valgrind, two at a time; a log per program.
    # Only named, known Graphviz leaks are suppressed (tests/valgrind.supp).
    mkdir -p build/memcheck
    CJM_ROOT=$(pwd)
    export CJM_ROOT
    rm -f build/memcheck/*.log
    find build/release/tests -maxdepth 1 -type f -perm -u+x \
        \( -name 'test_*' -o -name 'replay_*' \) | sort |
    xargs -P "$jobs" -I{} sh -c '
        name=$(basename "$1")
        log=build/memcheck/$name.log
        if (cd build/release/tests && CMOCKA_MESSAGE_OUTPUT=stdout CJM_UNDER_VALGRIND=1 \
                valgrind --quiet --error-exitcode=99 --leak-check=full \
                --errors-for-leak-kinds=definite,possible --show-leak-kinds=definite,possible \
                --suppressions="$CJM_ROOT/tests/valgrind.supp" \
                --num-callers=40 --gen-suppressions=all "./$name") >"$log" 2>&1; then
            echo "memcheck: $name clean"
        else
            echo "memcheck: $name FAILED; its log ($log):"
            cat "$log"
            exit 1
        fi' sh {}
}
run_stage 5 "[5/7] valgrind memcheck of the C test programs" stage5

stage6() {
    sh scripts/fuzz.sh all "$fuzz_seconds"
}
run_stage 6 "[6/7] fuzz targets, $fuzz_seconds s each (libFuzzer, clang)" stage6

stage7() {
    sh scripts/coverage.sh
}
run_stage 7 "[7/7] coverage (gcc --coverage, gcovr)" stage7

echo
if [ -n "$failed" ]; then
    echo "test.sh: stage(s)$failed failed; $(( $(date +%s) - t_all )) s in all:$summary"
    exit 1
fi
echo "test.sh: every stage passed in $(( $(date +%s) - t_all )) s:$summary"
