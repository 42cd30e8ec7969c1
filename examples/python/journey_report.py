#!/usr/bin/python3
"""Print what matters in a journey map, and draw it.

    /usr/bin/python3 examples/python/journey_report.py examples/car-workshop-pickup.xml \\
        --journey actual --svg workshop.svg

For the chosen journey (the first by default): the customers who reach each
touchpoint, the gaps and pain points ranked by priority with the parts of
their score, the low points of the emotion curve, the findings of the
channel and structure checks, and for an actual journey its deviations from
the planned one it follows.
"""
from __future__ import annotations

import argparse
import pathlib
import sys
from typing import List, Optional

try:
    import cjm
except ImportError:  # run from the source tree
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "bindings" / "python"))
    import cjm


def fmt(x: Optional[float]) -> str:
    return "-" if x is None else f"{x:,.1f}"


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("map", help="a Journey XML file")
    ap.add_argument("--journey", help="the journey's id (default: the first)")
    ap.add_argument("--svg", help="also draw the journey into this SVG file")
    args = ap.parse_args(argv)

    try:
        m = cjm.JourneyMap.load(args.map)
    except cjm.CjmError as e:
        print(f"journey_report: {e}", file=sys.stderr)
        return 1
    with m:
        j = m[args.journey] if args.journey else m.journeys[0]
        print(f"{m.title or '(untitled)'}: {j.label or j.id} ({j.status.value})")

        try:
            reach = j.reach()
        except cjm.CjmError as e:
            reach = None
            print(f"\nreach: not available ({e.message})")
        if reach is not None:
            print(f"\nreach ({fmt(reach.entered)} customers enter)")
            for tid, visits in sorted(reach.touchpoints.items(), key=lambda kv: -kv[1]):
                print(f"  {fmt(visits):>10}  {j.touchpoints[tid].label or tid}")

        ranked = j.rank()
        if ranked:
            print("\npriorities (score = severity x reach x moment x need)")
            for r in ranked:
                print(f"  {r.rank:>2}. {r.id:<16} {fmt(r.score):>10} = {r.severity:g} x "
                      f"{fmt(r.reach)} x {r.moment_factor:g} x {r.need_factor:g}"
                      f"  ({r.kind.value} at {r.target})")

        lows = [p for p in j.emotion_curve() if p.low]
        if lows:
            print("\nlow points of the emotion curve")
            for p in lows:
                print(f"  {p.id}: emotion {p.emotion:+g}")

        checks = j.checks()
        if checks.findings:
            print("\nchecks")
            for f in checks.findings:
                print(f"  [{f.kind}] {f.message}")

        if j.status is cjm.Status.ACTUAL and j.follows and j.follows in m.journeys:
            cmp = m[j.follows].compare(j)
            print(f"\ndeviations from {j.follows}: " + ", ".join(
                f"{n} {k.value}" for k, n in cmp.totals.items() if n))
            for d in cmp.deviations:
                print(f"  [{d.kind.value}] {d.message}")

        if args.svg:
            j.render("svg", args.svg)
            print(f"\ndrawn to {args.svg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
