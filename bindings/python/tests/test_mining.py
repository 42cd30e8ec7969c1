"""Mining XES logs from Python: results as plain data, exact merges, clear errors."""
from __future__ import annotations

import gzip
import pickle

import pytest

import cjm

LOG = b"""<?xml version="1.0" encoding="UTF-8"?>
<log xes.version="1.0">
  <classifier name="Both" keys="concept:name channel"/>
  <trace><string key="concept:name" value="c1"/>
    <event><string key="concept:name" value="visit"/><string key="channel" value="web"/>
      <date key="time:timestamp" value="2020-03-27T10:00:00+01:00"/></event>
    <event><string key="concept:name" value="order"/><string key="channel" value="web"/>
      <date key="time:timestamp" value="2020-03-27T10:05:00+01:00"/></event>
    <event><string key="concept:name" value="call"/><string key="channel" value="phone"/>
      <date key="time:timestamp" value="2020-03-27T11:05:00+01:00"/></event>
  </trace>
  <trace><string key="concept:name" value="c2"/>
    <event><string key="concept:name" value="visit"/><string key="channel" value="app"/>
      <date key="time:timestamp" value="2020-03-28T09:00:00"/></event>
    <event><string key="concept:name" value="order"/><string key="channel" value="app"/>
      <date key="time:timestamp" value="2020-03-28T09:01:00+01:00"/></event>
  </trace>
</log>
"""


def shard(*traces: int) -> bytes:
    head, rest = LOG.split(b"  <trace>", 1)
    parts = [b"  <trace>" + t for t in rest.split(b"  <trace>")]
    parts[-1] = parts[-1].replace(b"</log>\n", b"")
    return head + b"".join(parts[i] for i in traces) + b"</log>\n"


def test_a_log_in_memory_is_mined_into_plain_data():
    with cjm.mine(LOG, name="shop.xes") as r:
        c = r.counters
        assert c["traces"] == 2 and c["events"] == 5 and c["dates-no-timezone"] == 1
        assert set(c) == set(cjm.mining.counter_names())
        assert r.keys == ["concept:name"] and r.channel_key is None
        assert [a.name for a in r.activities] == ["call", "order", "visit"]
        visit = r.activities[r.activity_index("visit")]
        assert (visit.events, visit.starts, visit.ends) == (2, 2, 0)
        assert r.activity_index("nothing") is None
        pairs = {(t.source, t.target): t for t in r.transitions}
        assert pairs[("visit", "order")].volume == 2
        assert pairs[("order", "call")].durations.min == 3600000
        assert [(v.traces, v.activities) for v in r.variants] == [
            (1, ["visit", "order"]), (1, ["visit", "order", "call"])] or \
            sorted(len(v.activities) for v in r.variants) == [2, 3]
        d = r.to_dict()
        assert d["counters"]["events"] == 5 and len(d["transitions"]) == 2


def test_keys_classifiers_and_channels_change_the_activities():
    with cjm.mine(LOG, classifier="Both") as r:
        assert "visit+web" in [a.name for a in r.activities]
    with cjm.mine(LOG, keys=["channel"]) as r:
        assert [a.name for a in r.activities] == ["app", "phone", "web"]
    with cjm.mine(LOG, channel_key="channel") as r:
        assert r.channel_key == "channel"
        assert {a.name: a.channel for a in r.activities}["call"] == "phone"
    with pytest.raises(cjm.NotFoundError):
        cjm.mine(LOG, classifier="Nope")
    with pytest.raises(TypeError):
        cjm.mine(LOG, max_everything=3)


def test_shards_merge_to_the_whole_log_in_any_order():
    whole = cjm.mine(LOG)
    a, b = cjm.mine(shard(0)), cjm.mine(shard(1))
    assert a != whole
    assert cjm.merge([a, b]) == whole == cjm.merge([b, a]) == a + b
    assert a.counters["traces"] == 1  # merge() and + leave their inputs alone
    a += b
    assert a == whole
    with pytest.raises(cjm.InvalidArgumentError):
        cjm.mine(LOG).merge(cjm.mine(LOG, keys=["channel"]))
    with pytest.raises(ValueError):
        cjm.merge([])


def test_results_travel_as_bytes_and_pickles():
    r = cjm.mine(LOG)
    data = r.to_bytes()
    assert cjm.MineResult.from_bytes(data) == r
    assert pickle.loads(pickle.dumps(r)) == r
    with pytest.raises(cjm.ParseError):
        cjm.MineResult.from_bytes(data[: len(data) // 2])
    with pytest.raises(cjm.ParseError):
        cjm.MineResult.from_bytes(b"certainly not a result")


def test_a_result_becomes_an_actual_journey():
    with cjm.JourneyMap("Mined") as m, cjm.mine(LOG, channel_key="channel") as r:
        j = r.to_journey(m, "actual")
        assert j.status is cjm.Status.ACTUAL
        assert sorted(t.label for t in j.touchpoints) == ["call", "order", "visit"]
        assert j.touchpoints["visit"].entry == 2
        # a channel per activity's most frequent channel value
        assert sorted(c.label for c in m.channels) == sorted(
            {a.channel for a in r.activities})
        with pytest.raises(cjm.AlreadyExistsError):
            r.to_journey(m, "actual")


def test_broken_logs_raise_with_a_position(tmp_path):
    with pytest.raises(cjm.ParseError) as info:
        cjm.mine(b"<log>\n  <trace>\n", name="cut.xes")
    assert info.value.file == "cut.xes" and info.value.line >= 2
    with pytest.raises(cjm.ParseError):
        cjm.mine(b'<?xml version="1.0"?><!DOCTYPE log [<!ENTITY x "y">]><log>&x;</log>')
    with pytest.raises(cjm.CjmIOError):
        cjm.mine(tmp_path / "absent.xes")
    with pytest.raises(cjm.LimitExceededError):
        cjm.mine(LOG, max_activities=2)


def test_compressed_files_are_read_with_progress(tmp_path):
    path = tmp_path / "shop.xes.gz"
    path.write_bytes(gzip.compress(LOG * 1))
    seen = []
    with cjm.mine(path, progress=lambda done, total: seen.append((done, total))) as r:
        assert r == cjm.mine(LOG)
    assert seen and seen[-1][0] >= seen[0][0]


def test_an_exception_in_the_progress_callback_is_raised_afterwards(tmp_path):
    path = tmp_path / "shop.xes"
    path.write_bytes(LOG)

    def boom(done: int, total: int) -> None:
        raise KeyboardInterrupt("stop")

    with pytest.raises(KeyboardInterrupt):
        cjm.mine(path, progress=boom)


def test_a_closed_result_refuses_to_be_used():
    r = cjm.mine(LOG)
    r.close()
    r.close()
    assert r.closed and repr(r) == "<MineResult (closed)>"
    with pytest.raises(cjm.StaleObjectError):
        r.counters
    with pytest.raises(TypeError):
        cjm.MineResult()


def test_a_public_log_is_mined(data_file):
    path = data_file("xes/helpdesk.xes.gz")
    with cjm.mine(path) as r:
        assert r.counters["traces"] == 4580 and r.counters["events"] == 21348
        assert len(r.activities) == 14


def planned_shop(m: cjm.JourneyMap) -> cjm.Journey:
    j = m.add_journey("plan")
    visit = j.add_touchpoint("visit", entry=1)
    order = j.add_touchpoint("order", label="Place the order", exit=True)
    j.connect(visit, order)
    return j


def test_a_log_is_held_against_a_planned_journey():
    with cjm.JourneyMap() as m:
        plan = planned_shop(m)
        seen = []
        r = cjm.conform(LOG, plan, on_case=lambda cid, counts: seen.append((cid, counts)))
        assert isinstance(r, cjm.LogConformance)
        assert (r.cases, r.fitting, r.skipped) == (2, 1, 0) and r.fitness == 0.5
        assert r.adhoc == {"call": 1} and r.totals[cjm.Deviation.ADHOC] == 1
        assert r.cases_with[cjm.Deviation.ADHOC] == 1
        assert set(r.touchpoints) == {"visit", "order"}
        assert cjm.Deviation.ADHOC not in r.touchpoints["visit"]
        assert r.mined == cjm.mine(LOG)
        assert [cid for cid, _ in seen] == ["c1", "c2"]
        for kind in cjm.Deviation:
            assert sum(c[kind] for _, c in seen) == r.totals[kind]
        mapped = plan.conform_log(LOG, mapping={"call": "order"})
        assert mapped.adhoc == {}


def test_an_exception_in_the_case_callback_is_raised_afterwards():
    with cjm.JourneyMap() as m:
        plan = planned_shop(m)

        def stop(cid, counts):
            raise RuntimeError(f"stop at {cid}")

        with pytest.raises(RuntimeError, match="stop at c1"):
            cjm.conform(LOG, plan, on_case=stop)
        with pytest.raises(cjm.ParseError):
            cjm.conform(b"<log><trace>", plan)
        with pytest.raises(cjm.InvalidArgumentError):
            cjm.conform(LOG, plan, mapping={"call": ""})
        m.remove_journey(plan)
        with pytest.raises(cjm.StaleObjectError):
            cjm.conform(LOG, plan)
