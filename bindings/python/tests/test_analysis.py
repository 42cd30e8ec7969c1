"""Analyses from Python return plain data that matches the journey."""
from __future__ import annotations

import math

import pytest

import cjm
from cjm import analysis


@pytest.fixture
def jmap():
    with cjm.JourneyMap("Support") as m:
        m.channels.add("web", channel_kind="self-service", contact_free=True)
        m.channels.add("phone", channel_kind="human")
        m.situations.add("home")
        m.situations.add("move")
        j = m.add_journey("plan", label="Getting help")
        j.add_stage("ask")
        j.add_stage("solve")
        a = j.add_touchpoint("a", stage="ask", entry=100, emotion=1, channel="web")
        b = j.add_touchpoint("b", stage="solve", emotion=-1.5, exit=True, moment_of_truth=True,
                             channel="phone", situations=["home"])
        c = j.add_touchpoint("c", stage="solve", exit=True, emotion=0.5, channel="web")
        j.connect(a, b, "ab", probability=0.7)
        j.connect(a, c, "ac", probability=0.3)
        j.connect(b, a, "ba", probability=0.2)
        j.painpoints.add("p1", target=b, severity=3, need="trust")
        j.gaps.add("g1", target=c, severity=2)
        yield m


def test_reach_solves_the_loop_exactly(jmap):
    r = jmap["plan"].reach()
    assert isinstance(r, analysis.Reach)
    # a = 100 + 0.2 b, b = 0.7 a  =>  a = 100 / (1 - 0.14)
    assert math.isclose(r.touchpoints["a"], 100 / 0.86)
    assert math.isclose(r.touchpoints["b"], 70 / 0.86)
    assert math.isclose(r.transitions["ab"], 70 / 0.86)
    assert r.probabilities == {"ab": 0.7, "ac": 0.3, "ba": 0.2}
    assert r.entered == 100 and r.iterations == 0
    assert math.isclose(sum(r.ended.values()), 100)


def test_reach_without_volumes_raises_not_found(jmap):
    j = jmap.add_journey("empty")
    j.add_touchpoint("x")
    with pytest.raises(cjm.NotFoundError):
        j.reach()


def test_checks_find_the_loop(jmap):
    c = jmap["plan"].checks()
    assert isinstance(c, analysis.Checks) and c.reach_status == 0 and c.reach_error is None
    cycles = [f for f in c.findings if f.kind == "cycle"]
    assert cycles and cycles[0].members == ["a", "b"]
    assert c.totals["cycle"] == 1 and set(c.totals) >= {"dead-end", "unreachable"}
    share, weighted = c.contact_free
    assert math.isclose(share, 2 / 3)


def test_ranking_orders_by_score_and_shows_its_parts(jmap):
    ranked = jmap["plan"].rank()
    assert [r.id for r in ranked] == ["p1", "g1"]
    p1 = ranked[0]
    assert p1.rank == 1 and p1.kind is cjm.Kind.PAINPOINT and p1.need is cjm.Need.TRUST
    assert p1.moment_of_truth and p1.moment_factor == 2.0 and p1.reach_source == "target"
    assert math.isclose(p1.score, p1.severity * p1.reach * p1.moment_factor * p1.need_factor)
    heavier = jmap["plan"].rank(need={"trust": 3}, moment_of_truth=1)
    assert math.isclose(heavier[0].need_factor, 4.0) and heavier[0].moment_factor == 1.0
    with pytest.raises(ValueError):
        jmap["plan"].rank(need={"love": 1})
    with pytest.raises(cjm.InvalidArgumentError):
        jmap["plan"].rank(moment_of_truth=-1)


def test_the_emotion_curve_follows_the_most_travelled_path(jmap):
    curve = jmap["plan"].emotion_curve()
    assert [p.id for p in curve] == ["a", "b"]
    assert curve[1].low and not curve[0].low and curve[0].stage == "ask"
    along = jmap["plan"].emotion_curve(["a", "c"])
    assert [p.emotion for p in along] == [1.0, 0.5] and along[0].expected is None
    with pytest.raises(cjm.NotFoundError):
        jmap["plan"].emotion_curve(["a", "nowhere"])


def test_planned_against_actual(jmap):
    actual = jmap.add_journey("seen", status="actual", follows="plan")
    actual.add_touchpoint("a", entry=10)
    actual.add_touchpoint("x", exit=True)
    actual.connect("a", "x", volume=10)
    cmp = jmap["plan"].compare(actual)
    kinds = {(d.kind, d.touchpoint) for d in cmp.deviations}
    assert (cjm.Deviation.ADHOC, "x") in kinds and (cjm.Deviation.MISSING, "b") in kinds
    assert cmp.totals[cjm.Deviation.ADHOC] == 1 and sum(cmp.totals.values()) == len(cmp.deviations)


def test_journeys_of_two_maps_can_be_compared(jmap):
    with cjm.JourneyMap() as other:
        o = other.add_journey("plan")
        o.add_touchpoint("a")
        d = jmap["plan"].diff(o)
        assert d.totals["removed"] == 2
        assert {c.id for c in d.changes if c.kind == "removed"} == {"b", "c"}
        assert analysis.compare(jmap["plan"], o).totals[cjm.Deviation.MISSING] >= 2


def test_a_situation_view_is_a_new_journey_in_the_map(jmap):
    v = jmap["plan"].situation_view("move", id="on-the-move")
    assert v.id == "on-the-move" and v.map is jmap
    assert v.touchpoints.ids() == ["a", "c"] and "ab" not in v.transitions
    with pytest.raises(cjm.NotFoundError):
        jmap["plan"].situation_view("mars")
    with pytest.raises(cjm.AlreadyExistsError):
        jmap["plan"].situation_view("home", id="plan")


def test_conformance_labels_cases_and_goes_stale_when_the_plan_changes(jmap):
    plan = jmap["plan"]
    with plan.conformance() as checker:
        ok = checker.check(["a", "c"])
        assert ok.conforms and ok.totals[cjm.Deviation.MISSING] == 0
        bad = checker.check(["a", "zz", "b", "a", "b"])
        assert not bad.conforms
        adhoc = [d for d in bad.deviations if d.kind is cjm.Deviation.ADHOC]
        assert adhoc and adhoc[0].touchpoint == "zz" and adhoc[0].index is None
        assert adhoc[0].position == 1
        assert checker.touchpoint_total("a", "ad-hoc") == 0
        plan.touchpoints["c"].remove()
        with pytest.raises(cjm.StaleObjectError):
            checker.check(["a"])
    with pytest.raises(cjm.StaleObjectError):
        checker.check(["a"])


def test_a_checker_of_a_closed_map_refuses_to_run():
    m = cjm.JourneyMap()
    j = m.add_journey("p")
    j.add_touchpoint("a", entry=1)
    checker = j.conformance()
    m.close()
    with pytest.raises(cjm.StaleObjectError):
        checker.check(["a"])
    checker.close()
