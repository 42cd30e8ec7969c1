"""Thousands of objects created and dropped in random order: no leak, no use after free.

Run under AddressSanitizer (the ASan build preloads the runtime into the
interpreter) and under valgrind (release build), where any touch of freed
memory is reported.
"""
from __future__ import annotations

import gc
import os
import random

import pytest

import cjm

ROUNDS = int(os.environ.get("CJM_STRESS_ROUNDS", "10000"))

LOG = (b'<log><trace><event><string key="concept:name" value="a"/></event>'
       b'<event><string key="concept:name" value="b"/></event></trace></log>')


def test_thousands_of_objects_dropped_in_random_order():
    rng = random.Random(20200327)
    maps = [cjm.JourneyMap(f"m{i}") for i in range(4)]
    held = []          # Python objects we keep, some of which go stale
    for step in range(ROUNDS):
        op = rng.random()
        if op < 0.35 or not held:
            m = rng.choice(maps)
            if m.closed:
                maps[maps.index(m)] = m = cjm.JourneyMap("again")
            if len(m.journeys) == 0 or rng.random() < 0.05:
                held.append(m.add_journey())
                continue
            j = rng.choice(list(m.journeys))
            kind = rng.choice(["stage", "touchpoint", "touchpoint", "transition",
                               "painpoint", "gap", "opportunity"])
            if kind == "transition" and len(j.touchpoints) >= 2:
                a, b = rng.sample(j.touchpoints.to_list(), 2)
                held.append(j.connect(a, b, volume=rng.randint(1, 100)))
            elif kind in ("painpoint", "gap") and len(j.touchpoints):
                held.append(j.add(kind, target=rng.choice(j.touchpoints.to_list())))
            else:
                held.append(j.add(kind if kind != "transition" else "touchpoint",
                                  label=f"x{step}"))
        elif op < 0.55:
            # drop a Python reference (the C item stays)
            held.pop(rng.randrange(len(held)))
        elif op < 0.75:
            # remove in C through a held object; others may go stale with it
            obj = held[rng.randrange(len(held))]
            if isinstance(obj, (cjm.analysis.Conformance, cjm.MineResult)):
                obj.close()
            elif obj.alive:
                if isinstance(obj, cjm.Journey):
                    obj.map.remove_journey(obj)
                else:
                    obj.remove()
        elif op < 0.80:
            # objects that borrow from a map or own C memory of their own
            obj = held[rng.randrange(len(held))]
            if isinstance(obj, cjm.analysis.Conformance):
                try:
                    obj.check([f"t{step}", "x"])
                except cjm.StaleObjectError:
                    pass
            elif isinstance(obj, cjm.MineResult):
                try:
                    held.append(obj + cjm.mine(LOG))
                except cjm.StaleObjectError:
                    assert obj.closed
            elif isinstance(obj, cjm.Journey) and obj.alive:
                held.append(obj.conformance())
            else:
                held.append(cjm.mine(LOG))
        elif op < 0.93:
            # use a held object; stale ones must raise, never crash
            obj = held[rng.randrange(len(held))]
            if isinstance(obj, (cjm.analysis.Conformance, cjm.MineResult)):
                continue
            try:
                obj.label = f"s{step}"
                assert obj.label == f"s{step}"
                if isinstance(obj, cjm.Touchpoint):
                    obj.kpis.add("CSAT", rng.uniform(1, 5))
                    obj.situations.add("home")
            except cjm.StaleObjectError:
                assert not obj.alive
        elif op < 0.97:
            i = rng.randrange(len(maps))
            if rng.random() < 0.5:
                maps[i].close()
            else:
                maps[i] = cjm.JourneyMap("fresh")   # the old map goes when unreferenced
        else:
            gc.collect()
        if step % 500 == 0:
            rng.shuffle(held)
    for obj in held:
        if isinstance(obj, (cjm.analysis.Conformance, cjm.MineResult)):
            continue
        if not obj.alive:
            with pytest.raises(cjm.StaleObjectError):
                obj.label
    # drop everything in random order
    rng.shuffle(held)
    while held:
        held.pop()
    rng.shuffle(maps)
    while maps:
        maps.pop()
    gc.collect()
