"""Journey maps, journeys and items from Python: properties, editing, errors, lifetimes."""
from __future__ import annotations

import copy
import gc
import math
import pickle
import threading

import pytest

import cjm


@pytest.fixture
def jmap():
    with cjm.JourneyMap("Orders", language="sv") as m:
        yield m


def build(m: cjm.JourneyMap) -> cjm.Journey:
    m.add("actor", "customer", label="Customer", role=cjm.Role.CUSTOMER)
    m.channels.add("web", channel_kind="self-service", contact_free=True)
    j = m.add_journey("order", label="Ordering")
    buy = j.add_stage("buy", label="Buy")
    j.add_stage("pay", label="Pay")
    a = j.add_touchpoint("visit", label="Visit the shop", stage=buy, channel="web",
                         initiator="customer", expected=4, perceived=3)
    b = j.add_touchpoint("checkout", label="Check out", stage="pay", moment_of_truth=True)
    j.connect(a, b, "t1", volume=120, duration=60)
    j.painpoints.add("slow", target=b, severity=4, need="certainty", root_cause="old server")
    j.gaps.add("g1", target="visit", gap_kind=cjm.GapKind.EXPERIENCE, dimension="speed")
    j.opportunities.add("o1", links=["slow", "g1"], factor="timing")
    return j


def test_a_new_map_has_the_properties_it_was_made_with(jmap):
    assert jmap.title == "Orders"
    assert jmap.language == "sv"
    assert jmap.description is None
    jmap.description = "Customers ordering online"
    assert jmap.description == "Customers ordering online"
    jmap.title = None
    assert jmap.title is None
    assert len(jmap) == 0 and list(jmap) == []


def test_items_read_back_with_python_types(jmap):
    j = build(jmap)
    visit = j.touchpoints["visit"]
    assert isinstance(visit, cjm.Touchpoint)
    assert visit.label == "Visit the shop"
    assert visit.stage == "buy" and visit.channel == "web"
    assert visit.expected == 4.0 and isinstance(visit.expected, float)
    assert visit.moment_of_truth is None
    assert j.touchpoints["checkout"].moment_of_truth is True
    assert jmap.channels["web"].channel_kind is cjm.ChannelKind.SELF_SERVICE
    assert jmap.channels["web"].channel_kind == "self-service"
    assert jmap.actors[0].role is cjm.Role.CUSTOMER
    slow = j.painpoints["slow"]
    assert slow.need is cjm.Need.CERTAINTY and slow.root_cause == "old server"
    assert slow["root-cause"] == "old server"
    assert j.opportunities["o1"].links == ["slow", "g1"]
    t1 = j.transitions["t1"]
    assert (t1.from_, t1.to, t1.volume) == ("visit", "checkout", 120.0)
    assert t1.resolve("from") is visit
    assert visit.resolve("channel") is jmap.channels["web"]
    assert visit.outgoing == [t1] and j.touchpoints["checkout"].incoming == [t1]


def test_one_c_item_is_one_python_object(jmap):
    j = build(jmap)
    assert j.touchpoints["visit"] is j.find("visit") is j.touchpoints[0]
    assert jmap.journeys[0] is jmap.journey("order") is jmap["order"]


def test_attributes_lists_what_is_set(jmap):
    j = build(jmap)
    assert j.transitions["t1"].attributes() == {"from": "visit", "to": "checkout",
                                                "volume": 120.0, "duration": 60.0}
    assert "situations" in j.touchpoints["visit"].attribute_names()


def test_unsetting_by_none_and_del(jmap):
    j = build(jmap)
    visit = j.touchpoints["visit"]
    visit.perceived = None
    assert visit.perceived is None and not visit.has("perceived")
    del visit.label
    assert visit.label is None
    del visit["expected"]
    assert visit.expected is None


def test_bad_values_raise_and_change_nothing(jmap):
    j = build(jmap)
    visit = j.touchpoints["visit"]
    with pytest.raises(cjm.InvalidArgumentError):
        visit.perceived = math.nan
    assert visit.perceived == 3.0
    with pytest.raises(cjm.InvalidArgumentError, match="not a value of complexity"):
        visit.complexity = "tricky"
    with pytest.raises(TypeError):
        visit.perceived = "high"
    with pytest.raises(TypeError):
        visit.label = 12
    with pytest.raises(ValueError, match="NUL"):
        visit.label = "a\0b"
    with pytest.raises(cjm.InvalidArgumentError) as info:
        visit.label = "bell\x07"
    assert info.value.code == -3 and info.value.message
    assert visit.label == "Visit the shop"
    with pytest.raises(AttributeError):
        visit.get("volume")
    with pytest.raises(KeyError):
        visit.get("no-such-attribute")


def test_a_rejected_attribute_leaves_no_half_added_item(jmap):
    j = build(jmap)
    n = len(j.touchpoints)
    with pytest.raises(cjm.InvalidArgumentError):
        j.add_touchpoint("extra", label="ok", emotion=math.inf)
    assert len(j.touchpoints) == n and j.find("extra") is None
    with pytest.raises(AttributeError):
        j.add_touchpoint("extra2", volume=3)
    assert j.find("extra2") is None


def test_duplicate_ids_raise_already_exists_with_the_librarys_message(jmap):
    j = build(jmap)
    with pytest.raises(cjm.AlreadyExistsError, match="already in use") as info:
        j.add_touchpoint("visit")
    e = info.value
    assert isinstance(e, cjm.CjmError) and e.code == -5 and e.function == "cjm_journey_add"
    with pytest.raises(cjm.AlreadyExistsError):
        jmap.add_journey("order")


def test_errors_survive_pickling_with_their_details():
    e = cjm.ParseError("unexpected element", -6, "a.xml", 3, 7, "cjm_xml_read")
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is cjm.ParseError
    assert (back.message, back.file, back.line, back.column) == ("unexpected element",
                                                                 "a.xml", 3, 7)
    assert str(back) == "a.xml:3:7: unexpected element"


def test_ids_are_made_up_when_not_given(jmap):
    j = jmap.add_journey()
    t = j.touchpoints.add(label="x")
    assert j.id and t.id and j.touchpoints[t.id] is t


def test_lists_of_ids_behave_as_ordered_sets(jmap):
    j = build(jmap)
    visit = j.touchpoints["visit"]
    assert len(visit.situations) == 0
    visit.situations.add("home")
    visit.situations.add("stressed")
    visit.situations.add("home")
    assert visit.situations == ["home", "stressed"] and "home" in visit.situations
    visit.situations.remove("home")
    with pytest.raises(cjm.NotFoundError):
        visit.situations.remove("home")
    visit.situations.discard("home")
    visit.situations = ("a", "b")
    assert list(visit.situations) == ["a", "b"] and visit.situations[-1] == "b"
    with pytest.raises(cjm.InvalidArgumentError):
        visit.situations = ["ok", "bad id"]
    assert visit.situations == ["a", "b"]  # restored
    visit.situations.clear()
    assert visit.situations == []


def test_kpis_form_a_series(jmap):
    j = build(jmap)
    visit = j.touchpoints["visit"]
    visit.kpis.add("CSAT", 4.1, date="2020-02-01")
    visit.kpis.add(cjm.Kpi("CSAT", 3.2, target=4.0, date="2020-03-27"))
    visit.kpis.add("NPS", 12)
    assert len(visit.kpis) == 3
    assert [k.value for k in visit.kpis.series("CSAT")] == [4.1, 3.2]
    assert visit.kpis[1].target == 4.0 and visit.kpis[0].target is None
    del visit.kpis[0]
    assert visit.kpis[0].date == "2020-03-27"
    with pytest.raises(cjm.InvalidArgumentError):
        visit.kpis.add("CSAT", 3, date="yesterday")
    with pytest.raises(IndexError):
        visit.kpis[5]


def test_moving_reorders_stages(jmap):
    j = build(jmap)
    j.stages.move("pay", 0)
    assert j.stages.ids() == ["pay", "buy"]
    assert j.stages["buy"].index == 1
    j.move(j.stages["pay"], 99)
    assert j.stages.ids() == ["buy", "pay"]


def test_removing_a_touchpoint_makes_what_went_with_it_stale(jmap):
    j = build(jmap)
    visit, t1, g1 = j.touchpoints["visit"], j.transitions["t1"], j.gaps["g1"]
    slow, checkout = j.painpoints["slow"], j.touchpoints["checkout"]
    j.touchpoints.remove(visit)
    assert not visit.alive and not t1.alive and not g1.alive
    assert slow.alive and checkout.alive
    for stale in (visit, t1, g1):
        with pytest.raises(cjm.StaleObjectError):
            stale.label
    with pytest.raises(cjm.StaleObjectError):
        t1.volume = 3
    assert j.opportunities["o1"].links == ["slow"]
    assert "stale" in repr(visit)


def test_removing_the_journey_or_closing_the_map_makes_everything_stale():
    m = cjm.JourneyMap()
    j = build(m)
    web = m.channels["web"]
    visit = j.touchpoints["visit"]
    m.remove_journey("order")
    assert not j.alive and not visit.alive and web.alive
    with pytest.raises(cjm.StaleObjectError):
        j.touchpoints
        len(j.touchpoints)
    m.close()
    m.close()
    assert m.closed and not web.alive
    with pytest.raises(cjm.StaleObjectError):
        web.label
    with pytest.raises(cjm.StaleObjectError):
        m.title
    assert repr(m) == "<JourneyMap (closed)>"


def test_removing_a_definition_leaves_references_dangling(jmap):
    j = build(jmap)
    web = jmap.channels["web"]
    web.remove()
    assert not web.alive and jmap.find("web") is None
    assert any(p.code == "dangling-ref" for p in jmap.validate())
    assert j.touchpoints["visit"].channel == "web"


def test_items_keep_their_map_alive():
    j = build(cjm.JourneyMap("kept"))
    visit = j.touchpoints["visit"]
    del j
    gc.collect()
    assert visit.label == "Visit the shop"
    assert visit.map.title == "kept"
    assert visit.journey.id == "order"


def test_objects_of_another_map_are_refused(jmap):
    j = build(jmap)
    with cjm.JourneyMap() as other:
        oj = build(other)
        with pytest.raises(cjm.InvalidArgumentError):
            j.remove(oj.touchpoints["visit"])
        with pytest.raises(cjm.InvalidArgumentError):
            jmap.remove_journey(oj)
        with pytest.raises(cjm.InvalidArgumentError):
            jmap.remove(other.channels["web"])


def test_validation_returns_plain_problems(jmap):
    j = build(jmap)
    j.touchpoints["visit"].perceived = 9
    problems = jmap.validate()
    assert problems and all(isinstance(p, cjm.Problem) for p in problems)
    bad = [p for p in problems if p.item == "visit"]
    assert bad and bad[0].severity is cjm.Severity.ERROR and bad[0].journey == "order"


def test_journey_properties(jmap):
    build(jmap)
    planned = jmap["order"]
    actual = jmap.add_journey("seen", status="actual", follows=planned, persona="anna")
    assert actual.status is cjm.Status.ACTUAL and actual.follows == "order"
    assert actual.persona == "anna" and planned.status == "planned"
    with pytest.raises(cjm.InvalidArgumentError):
        actual.status = "imagined"
    assert jmap.journeys.ids() == ["order", "seen"]
    assert [i.id for i in planned.items("stage")] == ["buy", "pay"]
    assert len(list(planned)) == 8


def test_items_and_journeys_cannot_be_pickled_or_deep_copied(jmap):
    j = build(jmap)
    visit = j.touchpoints["visit"]
    for obj in (visit, j):
        with pytest.raises(TypeError):
            pickle.dumps(obj)
        with pytest.raises(TypeError):
            copy.deepcopy(obj)
        assert copy.copy(obj) is obj
    with pytest.raises(TypeError):
        cjm.Touchpoint()


def test_threads_may_share_a_map():
    m = cjm.JourneyMap()
    j = m.add_journey("j")
    errors = []

    def work(n):
        try:
            for i in range(300):
                t = j.add_touchpoint(f"t{n}-{i}", label=f"{i}")
                t.perceived = 3
                if i % 3 == 0:
                    t.remove()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(j.touchpoints) == 4 * 200
    m.close()
