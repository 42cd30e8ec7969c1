#!/usr/bin/env python3
"""Checks that a shared library exports exactly the functions its headers declare.

Usage: check_exports.py LIBRARY INCLUDE_DIR
Every `CJM_EXTERN ... name(` in the headers must be exported, and nothing else
may be: internal functions stay hidden.
"""
import pathlib
import re
import subprocess
import sys


def declared(include_dir):
    names = set()
    for header in pathlib.Path(include_dir).rglob("*.h"):
        text = header.read_text(encoding="utf-8")
        # join continuation lines so a declaration spans one string
        for m in re.finditer(r"CJM_EXTERN\b([^;{]*?)\b(cjm_\w+)\s*\(", text, re.S):
            names.add(m.group(2))
    return names


def exported(library):
    out = subprocess.run(["nm", "-D", "--defined-only", library],
                         check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "TtWwDdBbRr":
            names.add(parts[2].split("@")[0])
    return {n for n in names if not n.startswith("_") and n not in ("_init", "_fini")}


def main():
    lib, inc = sys.argv[1], sys.argv[2]
    want, have = declared(inc), exported(lib)
    missing = sorted(want - have)
    extra = sorted(have - want)
    for n in missing:
        print(f"declared but not exported: {n}")
    for n in extra:
        print(f"exported but not declared in a public header: {n}")
    print(f"{len(want)} declared, {len(have)} exported")
    if missing or extra:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
