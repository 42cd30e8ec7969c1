"""Every example journey map of the repository, through the Python API."""
from __future__ import annotations

import pytest

import cjm
from conftest import SOURCE_ROOT

EXAMPLES = sorted((SOURCE_ROOT / "examples").glob("*.xml"))


@pytest.mark.skipif(not EXAMPLES, reason="no example maps in examples/")
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_an_example_map_loads_round_trips_draws_and_analyses(path):
    with cjm.JourneyMap.load(path) as m:
        assert m.dumpb() == path.read_bytes(), "the examples are kept in canonical form"
        assert not [p for p in m.validate() if p.severity is cjm.Severity.ERROR]
        for j in m.journeys:
            assert b"<svg" in j.render("svg")
            assert j.render("mermaid").startswith(b"journey")
            try:
                r = j.reach()
            except cjm.NotFoundError:
                r = None
            if r is not None:
                assert set(r.touchpoints) == set(j.touchpoints.ids())
            j.checks()
            ranked = j.rank()
            assert [x.rank for x in ranked] == list(range(1, len(ranked) + 1))
            assert all(a.score >= b.score for a, b in zip(ranked, ranked[1:]))
            j.emotion_curve()
            if j.status is cjm.Status.ACTUAL and j.follows in m.journeys:
                planned = m[j.follows]
                cmp = planned.compare(j)
                assert sum(cmp.totals.values()) == len(cmp.deviations)
                with planned.conformance() as checker:
                    case = [t.id for t in j.touchpoints]
                    checker.check(case)
        for situation in m.situations:
            v = m.journeys[0].situation_view(situation)
            assert len(v.touchpoints) <= len(m.journeys[0].touchpoints)
            m.remove_journey(v)


def test_the_report_example_prints_and_draws(tmp_path):
    import subprocess
    import sys
    script = SOURCE_ROOT / "examples" / "python" / "journey_report.py"
    path = SOURCE_ROOT / "examples" / "car-workshop-pickup.xml"
    if not script.is_file() or not path.is_file():
        pytest.skip("the report example or its map is not in this tree")
    svg = tmp_path / "w.svg"
    r = subprocess.run([sys.executable, str(script), str(path), "--journey", "actual",
                        "--svg", str(svg)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "priorities" in r.stdout and "deviations from planned" in r.stdout
    assert b"<svg" in svg.read_bytes()
    r = subprocess.run([sys.executable, str(script), str(tmp_path / "absent.xml")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "absent.xml" in r.stderr
