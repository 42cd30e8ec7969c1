"""Journeys drawn to bytes and files in every format."""
from __future__ import annotations

import pytest

import cjm
from test_model import build


@pytest.fixture
def jmap():
    with cjm.JourneyMap("Orders") as m:
        build(m)
        yield m


@pytest.mark.parametrize("fmt,magic", [("svg", b"<svg"), ("png", b"\x89PNG"),
                                       ("pdf", b"%PDF"), ("dot", b"digraph"),
                                       ("mermaid", b"journey")])
def test_every_format_renders_to_bytes(jmap, fmt, magic):
    data = jmap.render(fmt)
    assert isinstance(data, bytes) and magic in data[:400]


def test_a_journey_renders_to_a_file(jmap, tmp_path):
    path = tmp_path / "out.mmd"
    assert jmap["order"].render("mermaid", path) is None
    assert path.read_bytes() == jmap.render("mermaid", journey="order")
    path = tmp_path / "out.svg"
    jmap["order"].render("svg", str(path))
    assert b"<svg" in path.read_bytes()


def test_options_reach_the_drawing(jmap):
    plain = jmap.render("dot", annotations="none", legend=False)
    full = jmap.render("dot")
    assert b"pain" in full and b"pain 4/5" not in plain
    assert b"rankdir=TB" in jmap.render("dot", direction="TB").replace(b'"', b"")
    with pytest.raises(cjm.InvalidArgumentError):
        jmap.render("dot", direction="diagonal")
    with pytest.raises(cjm.InvalidArgumentError):
        jmap.render("dot", annotations=["pain", "smells"])


def test_unknown_formats_journeys_and_paths_raise(jmap, tmp_path):
    with pytest.raises(cjm.UnsupportedError):
        jmap.render("gif")
    with pytest.raises(cjm.NotFoundError):
        jmap.render("svg", journey="nope")
    with pytest.raises(cjm.NotFoundError):
        jmap.render("svg", situation="nowhere")
    with pytest.raises(cjm.CjmIOError) as info:
        jmap.render("svg", tmp_path / "no" / "such" / "dir.svg")
    assert isinstance(info.value, OSError)


def test_notebooks_see_svg(jmap):
    assert jmap._repr_svg_().lstrip().startswith("<?xml") or "<svg" in jmap._repr_svg_()
    assert "<svg" in jmap["order"]._repr_svg_()
    with cjm.JourneyMap() as empty:
        assert empty._repr_svg_() is None


def test_threads_render_at_once():
    import threading
    maps = []
    for i in range(4):
        m = cjm.JourneyMap(f"map {i}")
        build(m)
        maps.append(m)
    out, errors = {}, []

    def work(i):
        try:
            for fmt in ("svg", "png", "dot", "mermaid") * 3:
                out[(i, fmt)] = maps[i].render(fmt)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(out) == 16
    assert all(f"map {i}".encode() in out[(i, "dot")] for i in range(4))
    for m in maps:
        m.close()
