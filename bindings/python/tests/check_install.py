#!/usr/bin/python3
"""Installs the C library and the Python package, offline, and uses them.

Usage: check_install.py BUILD_DIR WORK_DIR

1. ``cmake --install`` the build into WORK_DIR/prefix and into a venv made
   with Debian's interpreter (``--system-site-packages``, so Debian's
   setuptools builds the package: no package index is used);
2. ``pip install --no-build-isolation --no-index`` a copy of
   bindings/python into the venv (a copy, so no build files land in the
   source tree);
3. from a directory outside the source tree, with ``CJM_LIBRARY`` unset:
   the venv's package finds the library installed in the venv's prefix, and
   with the library only in WORK_DIR/prefix, finds it through the dynamic
   linker's path. Each time it builds, writes, reads and draws a journey.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
PACKAGE = HERE.parent

USE = r"""
import os, sys, tempfile
import cjm
assert "site-packages" in cjm.__file__, cjm.__file__
path = cjm.library_path()
want = os.environ["EXPECT_LIBRARY_UNDER"]
assert os.path.realpath(path).startswith(os.path.realpath(want)), (path, want)
with cjm.JourneyMap("Installed") as m:
    j = m.add_journey("j", label="Check")
    a = j.add_touchpoint("a", entry=10, perceived=4)
    b = j.add_touchpoint("b", exit=True)
    j.connect(a, b, volume=10)
    with tempfile.TemporaryDirectory() as d:
        m.save(os.path.join(d, "m.xml"))
        with cjm.JourneyMap.load(os.path.join(d, "m.xml")) as back:
            assert back.dumps() == m.dumps()
    assert b"<svg" in m.render("svg")
    assert j.reach().touchpoints["b"] == 10
import importlib.resources
assert (importlib.resources.files("cjm") / "py.typed").is_file()
print("installed package works with", path)
"""


def run(cmd, env=None, cwd=None):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, env=env, cwd=cwd)


def clean_env(preload: bool) -> dict:
    env = dict(os.environ)
    for k in ("CJM_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH", "PYTHONHOME"):
        env.pop(k, None)
    if not preload:  # cmake and pip run uninstrumented
        env.pop("LD_PRELOAD", None)
    return env


def main() -> int:
    build, work = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    prefix, venv, src = work / "prefix", work / "venv", work / "src"
    outside = work / "elsewhere"
    outside.mkdir()

    cmake = os.environ.get("CJM_CMAKE", "cmake")
    run([cmake, "--install", build, "--prefix", prefix], env=clean_env(False))
    run([sys.executable, "-m", "venv", "--system-site-packages", venv], env=clean_env(False))
    shutil.copytree(PACKAGE, src, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__", "tests"))
    py = venv / "bin" / "python"
    run([py, "-m", "pip", "install", "--no-build-isolation", "--no-index", "--no-deps",
         "--disable-pip-version-check", "--quiet", src], env=clean_env(False))

    libdirs = [d for d in prefix.glob("lib*") if list(d.rglob("libcjm.so.0"))]
    if not libdirs:
        print("check_install: cmake --install put no libcjm.so.0 under", prefix)
        return 1
    libdir = list(libdirs[0].rglob("libcjm.so.0"))[0].parent

    # (a) the library beside the package, in the venv's prefix
    run([cmake, "--install", build, "--prefix", venv], env=clean_env(False))
    env = clean_env(True)
    env["EXPECT_LIBRARY_UNDER"] = str(venv)
    run([py, "-c", USE], env=env, cwd=outside)

    # (b) the library elsewhere, found through the dynamic linker's path
    for so in venv.rglob("libcjm.so*"):
        so.unlink()
    env = clean_env(True)
    env["LD_LIBRARY_PATH"] = str(libdir)
    env["EXPECT_LIBRARY_UNDER"] = str(prefix)
    run([py, "-c", USE], env=env, cwd=outside)

    # (c) nothing installed anywhere it looks: a clear error
    env = clean_env(True)
    r = subprocess.run([str(py), "-c", "import cjm; cjm.JourneyMap()"], env=env,
                       cwd=outside, capture_output=True, text=True)
    if r.returncode == 0:
        print("check_install: note: a libcjm is installed system-wide, so the check of "
              "the missing-library error was not possible here")
    elif "LibraryError" not in r.stderr or "CJM_LIBRARY" not in r.stderr:
        print("check_install: without a library, expected a LibraryError naming "
              "CJM_LIBRARY; got:\n" + r.stderr)
        return 1
    print("check_install: all good")
    return 0


if __name__ == "__main__":
    sys.exit(main())
