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
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
jobs=$(nproc)
fuzz_seconds=${CJM_FUZZ_SECONDS:-45}
stages=${CJM_STAGES:-1 2 3 4 5 6 7}
summary=""
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
    echo "== done: $stage_name ($dt s)"
    summary="$summary
  $(printf '%5d s' "$dt")  $stage_name"
}

if want 1; then
    stage_begin "[1/7] release build (gcc, -Werror) and tests"
    cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DCJM_WERROR=ON
    cmake --build build/release -j"$jobs"
    ctest --test-dir build/release --output-on-failure -j"$jobs"
    stage_end
fi

if want 2; then
    stage_begin "[2/7] reference manual (Doxygen, warnings are errors)"
    cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DCJM_WERROR=ON >/dev/null
    cmake --build build/release --target doc
    stage_end
fi

if want 3; then
    stage_begin "[3/7] AddressSanitizer + UndefinedBehaviorSanitizer build (clang) and tests"
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
    stage_end
fi

if want 4; then
    stage_begin "[4/7] ThreadSanitizer build (clang): the thread test"
    cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug -DCJM_WERROR=ON \
        -DCJM_SANITIZE=thread -DCJM_BUILD_TOOLS=OFF -DCJM_BUILD_EXAMPLES=OFF \
        -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
    cmake --build build/tsan -j"$jobs" --target test_threads
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
        ctest --test-dir build/tsan --output-on-failure -R '^test_threads$'
    stage_end
fi

if want 5; then
    stage_begin "[5/7] valgrind memcheck of the C test programs"
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
    stage_end
fi

if want 6; then
    stage_begin "[6/7] fuzz targets, $fuzz_seconds s each (libFuzzer, clang)"
    sh scripts/fuzz.sh all "$fuzz_seconds"
    stage_end
fi

if want 7; then
    stage_begin "[7/7] coverage (gcc --coverage, gcovr)"
    sh scripts/coverage.sh
    stage_end
fi

echo
echo "test.sh: every stage passed in $(( $(date +%s) - t_all )) s:$summary"
