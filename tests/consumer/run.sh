#!/bin/sh
# Installs the built library into a scratch prefix, then builds a small
# program against that copy twice: once with pkg-config, once with CMake's
# find_package(cjm). Usage: run.sh BUILD_DIR WORK_DIR C_COMPILER
set -eu
build=$1
work=$2
cc=$3
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
prefix="$work/prefix"
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
libdir=$(ls -d "$prefix"/lib*/pkgconfig | head -n 1 | xargs dirname)

echo "== pkg-config"
PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --exists cjm
flags=$(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs cjm)
# shellcheck disable=SC2086
"$cc" -std=c99 -Wall -Wextra -Werror -o "$work/consumer-pc" "$here/consumer.c" $flags
LD_LIBRARY_PATH="$libdir" "$work/consumer-pc"

echo "== find_package"
cmake -S "$here" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_C_COMPILER="$cc" >"$work/cmake.log"
cmake --build "$work/cmake-build" >>"$work/cmake.log"
LD_LIBRARY_PATH="$libdir" "$work/cmake-build/consumer"
echo "consumer built and ran both ways"
