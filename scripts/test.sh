#!/bin/sh
# Installs what is needed, then builds and runs every test (C and Python):
# a release build with warnings as errors, the reference manual without
# warnings, and a build with AddressSanitizer and UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
jobs=$(nproc)

echo "== release build (-Werror)"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DCJM_WERROR=ON
cmake --build build/release -j"$jobs"
ctest --test-dir build/release --output-on-failure -j"$jobs"

echo "== reference manual"
cmake --build build/release --target doc

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DCJM_WERROR=ON \
    -DCJM_SANITIZE=address,undefined \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
cmake --build build/asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build/asan --output-on-failure -j"$jobs"
echo "test.sh: all test builds passed"
