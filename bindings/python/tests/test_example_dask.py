"""The Dask example: shards of a log mined on a LocalCluster merge to the whole log's result."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

import cjm
from conftest import SOURCE_ROOT

EXAMPLE = SOURCE_ROOT / "examples" / "python" / "mine_dask.py"

pytest.importorskip("dask.distributed", reason="Debian's python3-distributed is not installed")


def load_example():
    if not EXAMPLE.is_file():
        pytest.skip(f"{EXAMPLE} is not in this tree")
    spec = importlib.util.spec_from_file_location("mine_dask", EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def synthetic_log(traces: int, odd_header: bool, odd_global: bool) -> bytes:
    """A log whose header holds things the miner counts, and cases of varied shape."""
    head = ['<?xml version="1.0" encoding="UTF-8"?>', '<log xes.version="1.0">']
    if odd_header:
        head.append('<extension name="Odd" prefix="odd" uri="urn:not-http"/>')
        head.append('<date key="exported" value="2020-03-27T10:00:00"/>')  # no time zone
        head.append('<string value="no key"/>')
    head.append('<global scope="event"><string key="channel" value="web"/>'
                + ('<date key="time:timestamp" value="2020-01-01T00:00:00"/>' if odd_global
                   else '') + '</global>')
    head.append('<classifier name="Activity" keys="concept:name"/>')
    steps = ["visit", "order", "pay", "call", "wait", "deliver"]
    body = []
    for t in range(traces):
        events = []
        n = 1 + (t * 7) % 5
        for k in range(n):
            name = steps[(t + k * (1 + t % 3)) % len(steps)]
            minute = (k * 13 + t) % 60
            zone = "" if (t + k) % 17 == 0 else "+01:00"
            chan = '<string key="channel" value="phone"/>' if name == "call" else ""
            events.append(f'<event><string key="concept:name" value="{name}"/>{chan}'
                          f'<date key="time:timestamp" value="2020-03-{1 + t % 28:02d}T'
                          f'10:{minute:02d}:00{zone}"/></event>')
        if t % 11 == 0:
            events.append('<event><string key="other" value="no name"/></event>')
        body.append(f'<trace><string key="concept:name" value="case {t} &lt;x&gt;"/>'
                    + "".join(events) + '</trace>')
        if t == traces // 2:
            body.append('<!-- a comment with <trace> inside -->')
            body.append('<event><string key="concept:name" value="stray"/></event>')
    return ("\n".join(head) + "\n" + "\n".join(body) + "\n</log>\n").encode()


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.mark.parametrize("odd_header,odd_global", [(False, False), (True, False), (True, True)])
def test_merged_shards_equal_the_whole_log(client, tmp_path, odd_header, odd_global):
    ex = load_example()
    path = tmp_path / "cases.xes"
    path.write_bytes(synthetic_log(200, odd_header, odd_global))
    for keys, channel in ((None, None), (["concept:name"], "channel")):
        whole = cjm.mine(path, keys=keys, channel_key=channel)
        merged = ex.mine_distributed(client, str(path), 6000, keys, channel, window=6)
        assert merged == whole
        assert merged.counters == whole.counters and merged.variants == whole.variants
    if odd_header:
        assert whole.counters["extensions-odd"] == 1 and whole.counters["dates-no-timezone"] > 0


def test_the_shards_are_complete_logs_of_whole_traces(tmp_path):
    ex = load_example()
    path = tmp_path / "cases.xes"
    path.write_bytes(synthetic_log(120, True, False))
    pieces = list(ex.shards(str(path), 1500))
    assert len(pieces) > 5
    assert b"exported" in pieces[0] and all(b"exported" not in p for p in pieces[1:])
    assert all(b"<classifier" in p for p in pieces)
    total = cjm.merge(cjm.mine(p) for p in pieces)
    assert total == cjm.mine(path)


def test_a_log_with_a_dtd_is_refused(tmp_path):
    ex = load_example()
    path = tmp_path / "dtd.xes"
    path.write_bytes(b'<?xml version="1.0"?><!DOCTYPE log [<!ENTITY a "b">]><log></log>')
    with pytest.raises(ValueError, match="DTD"):
        list(ex.shards(str(path), 100))


def test_the_example_runs_on_a_public_log(data_file, tmp_path):
    log = data_file("xes/running-example.xes")
    out = tmp_path / "mined.xml"
    env = dict(os.environ)
    r = subprocess.run([sys.executable, str(EXAMPLE), str(log), "--workers", "2",
                        "--shard-bytes", "1500", "--check", "--journey", str(out)],
                       capture_output=True, text=True, timeout=240, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "EQUAL" in r.stdout and "6 traces, 42 events" in r.stdout
    with cjm.JourneyMap.load(out) as m:
        assert len(m["actual"].touchpoints) == 8
