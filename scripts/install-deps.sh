#!/bin/sh
# Installs the Debian packages cjm needs to build, test and document itself.
# Does nothing when every package is already there; uses sudo when not root.
set -eu

PACKAGES="gcc g++ make cmake pkg-config binutils
libxml2-dev zlib1g-dev liblzma-dev libxml2-utils libgraphviz-dev graphviz libcmocka-dev
python3 python3-pytest python3-dask python3-distributed python3-venv python3-pip python3-setuptools
clang libclang-rt-14-dev valgrind strace gcovr doxygen locales"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    echo "install-deps: all packages are installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: missing packages:$missing; run as root or install sudo" >&2
    exit 1
fi
echo "install-deps: installing$missing"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
