"""Journey XML read and written from Python, with errors that point into the input."""
from __future__ import annotations

import copy
import io
import pickle

import pytest

import cjm
from test_model import build


@pytest.fixture(autouse=True)
def xml_is_built():
    with cjm.JourneyMap() as m:
        try:
            m.dumps()
        except cjm.UnsupportedError as e:
            pytest.skip(f"this libcjm has no Journey XML yet: {e}")


@pytest.fixture
def jmap():
    with cjm.JourneyMap("Orders", language="en") as m:
        build(m)
        m["order"].touchpoints["visit"].kpis.add("CSAT", 3.5, target=4, date="2020-03-27")
        yield m


def test_a_map_survives_a_round_trip_through_text(jmap):
    text = jmap.dumps()
    assert text.startswith("<?xml") and "urn:cjm:journey:1" in text
    with cjm.JourneyMap.loads(text) as back:
        assert back.dumps() == text
        assert back.title == "Orders"
        visit = back["order"].touchpoints["visit"]
        assert visit.perceived == 3.0 and visit.kpis[0].target == 4.0
        assert back["order"].opportunities["o1"].links == ["slow", "g1"]


def test_a_map_survives_a_round_trip_through_a_file(jmap, tmp_path):
    path = tmp_path / "orders.cjm.xml"
    jmap.save(path)
    with cjm.JourneyMap.load(path) as a, cjm.JourneyMap.load(str(path)) as b:
        assert a.dumps() == b.dumps() == jmap.dumps()
    with open(path, "rb") as f:
        with cjm.JourneyMap.load(f) as c:
            assert c.dumpb() == jmap.dumpb()
    with cjm.JourneyMap.load(io.BytesIO(path.read_bytes())) as d:
        assert d.dumpb() == jmap.dumpb()


def test_maps_pickle_and_copy_as_their_xml(jmap):
    back = pickle.loads(pickle.dumps(jmap))
    assert back is not jmap and back.dumps() == jmap.dumps()
    dup = copy.deepcopy(jmap)
    dup.title = "Copy"
    assert jmap.title == "Orders" and copy.copy(jmap).dumps() == jmap.dumps()
    back.close()
    dup.close()


def test_malformed_input_raises_a_parse_error_that_says_where():
    text = '<?xml version="1.0"?>\n<journey-map xmlns="urn:cjm:journey:1" version="1">\n  <oops\n'
    with pytest.raises(cjm.ParseError) as info:
        cjm.JourneyMap.loads(text, name="broken.xml")
    e = info.value
    assert e.file == "broken.xml" and e.line >= 3 and e.code == -6
    assert str(e).startswith("broken.xml:")


def test_a_dtd_is_refused():
    text = ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
            '<journey-map xmlns="urn:cjm:journey:1" version="1">&e;</journey-map>\n')
    with pytest.raises(cjm.ParseError):
        cjm.JourneyMap.loads(text)


def test_limits_are_enforced():
    with pytest.raises((cjm.LimitExceededError, cjm.ParseError)):
        cjm.JourneyMap.loads("<a>" * 500 + "</a>" * 500, max_depth=16)


def test_missing_and_unwritable_files_raise_io_errors(jmap, tmp_path):
    with pytest.raises(cjm.CjmIOError):
        cjm.JourneyMap.load(tmp_path / "absent.xml")
    with pytest.raises(cjm.CjmIOError):
        jmap.save(tmp_path / "no" / "dir" / "x.xml")
    with pytest.raises(TypeError):
        cjm.JourneyMap.loads(42)


def test_problems_can_be_kept_for_validation(jmap):
    visit = jmap["order"].touchpoints["visit"]
    visit.perceived = 9
    text = jmap.dumps()
    with cjm.JourneyMap.loads(text, keep_problems=True) as kept:
        problems = kept.validate()
        assert any(p.item == "visit" and p.line > 0 for p in problems)
        assert kept["order"].touchpoints["visit"].location[0] > 0
