#!/bin/sh
# Installs what is needed, builds cjm and runs the main job.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build/main -DCMAKE_BUILD_TYPE=Release
cmake --build build/main -j"$(nproc)"
cmake --build build/main --target gallery
