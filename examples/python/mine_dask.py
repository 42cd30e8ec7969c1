#!/usr/bin/python3
"""Mine a large XES event log in parallel with Dask and merge the shards.

The log is read once, as a stream, and cut into shards of whole traces
(each shard is a complete XES document: the log's header, some traces, the
closing tag). The shards are mined on the workers of a Dask cluster, each
into a partial result that travels back as the library's canonical bytes;
partial results are merged pairwise on the workers as they arrive, so only
a few shards and results are in flight at a time. Merging is exact: the
result equals mining the whole log in one go, which ``--check`` verifies.

    /usr/bin/python3 examples/python/mine_dask.py ../shared/data/xes/helpdesk.xes.gz \\
        --workers 2 --shard-bytes 4000000 --check --journey actual.xml

Without ``--scheduler`` a LocalCluster of ``--workers`` processes is
started. The cjm package is imported from the installation, or else from
the source tree this example sits in (then also on the workers).
"""
from __future__ import annotations

import argparse
import gzip
import lzma
import os
import pathlib
import sys
import time
import xml.parsers.expat
from typing import IO, Iterator, List, Optional

HERE = pathlib.Path(__file__).resolve().parent
SOURCE_PACKAGE = HERE.parent.parent / "bindings" / "python"

try:
    import cjm
except ImportError:  # run from the source tree: use the package beside it, here and on workers
    sys.path.insert(0, str(SOURCE_PACKAGE))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(SOURCE_PACKAGE), os.environ.get("PYTHONPATH")) if p)
    import cjm


# ---- cutting a log into shards of whole traces ---------------------------------

def open_log(path: str) -> IO[bytes]:
    """Opens a plain, gzip or xz log, told apart by its first bytes."""
    f = open(path, "rb")
    magic = f.read(6)
    f.seek(0)
    if magic[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=f)  # type: ignore[return-value]
    if magic == b"\xfd7zXZ\x00":
        return lzma.LZMAFile(f)  # type: ignore[return-value]
    return f


class ShardCutter:
    """Cuts an XES stream into pieces of whole traces, and finds the log's header.

    An expat parser finds where each child of ``<log>`` begins and ends (byte
    offsets into the input), so attribute values and comments cannot fool
    it. The children before the first trace or event (extensions, globals,
    classifiers, log attributes) are the header; every later child of
    ``<log>`` goes whole into one piece of about ``shard_bytes``. DTDs are
    refused, as the library refuses them.

    Two headers come out: the full one, and a reduced one with only what
    mining a trace depends on (globals give events default values,
    classifiers are looked up by name). The first shard carries the full
    header and the others the reduced one, so what the header itself adds
    to the counters (odd extensions, log attributes) is counted once.
    """

    def __init__(self, shard_bytes: int) -> None:
        self.shard_bytes = shard_bytes
        self.parser = xml.parsers.expat.ParserCreate()
        p = self.parser
        p.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.StartDoctypeDeclHandler = self._doctype
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = self._other
        p.CommentHandler = self._other
        p.ProcessingInstructionHandler = self._other
        p.StartCdataSectionHandler = self._other
        self.depth = 0
        self.buf = bytearray()
        self.base = 0                  # input offset of buf[0]
        self.header: Optional[bytes] = None          # the full header, once known
        self.reduced_header: Optional[bytes] = None  # the header without log attributes
        self.prefix_end = -1           # where the first child of <log> begins
        self.kept: List[bytes] = []    # header children every shard needs
        self.child_start = -1          # input offset where the open child of <log> began
        self.child_name = ""           # its local name
        self.is_case = False           # whether it belongs to a shard rather than the header
        self.pending_end = False       # a child of <log> ended; its end is the next event
        self.body: List[bytes] = []
        self.body_size = 0
        self.ready: List[bytes] = []

    def _doctype(self, *args: object) -> None:
        raise ValueError("the log has a DTD; XES logs need none and it is refused")

    def _settle(self) -> None:
        """Completes a child of <log> that ended just before the current event."""
        if not self.pending_end:
            return
        self.pending_end = False
        end = self.parser.CurrentByteIndex
        piece = bytes(self.buf[self.child_start - self.base:end - self.base])
        if self.header is None and not self.is_case:
            if self.child_name in ("global", "classifier"):
                self.kept.append(piece)
            return  # the header stays in the buffer until the first case
        self.body.append(piece)
        self.body_size += len(piece)
        if self.body_size >= self.shard_bytes:
            self._flush()
        if end > self.base:
            del self.buf[:end - self.base]
            self.base = end

    def _flush(self) -> None:
        if self.body:
            self.ready.append(b"\n".join(self.body))
            self.body, self.body_size = [], 0

    def _start(self, name: str, attrs: object) -> None:
        self._settle()
        if self.depth == 1:
            start = self.parser.CurrentByteIndex
            self.child_start = start
            self.child_name = name.rsplit(":", 1)[-1]
            if self.prefix_end < 0:
                self.prefix_end = start
            self.is_case = self.header is not None or self.child_name in ("trace", "event")
            if self.is_case and self.header is None:
                self.header = bytes(self.buf[:start - self.base])
                self.reduced_header = bytes(self.buf[:self.prefix_end]) + b"\n".join(self.kept)
                del self.buf[:start - self.base]
                self.base = start
        self.depth += 1

    def _end(self, name: str) -> None:
        self._settle()
        self.depth -= 1
        if self.depth == 1:
            self.pending_end = True

    def _other(self, *args: object) -> None:
        self._settle()

    def feed(self, data: bytes, final: bool = False) -> List[bytes]:
        """Feeds bytes; returns the shard bodies completed by them."""
        self.buf += data
        self.parser.Parse(data, final)
        if final:
            self._settle()
            if self.header is None:  # a log without cases: the header is all there is
                end = self.buf.rfind(b"</")
                self.header = self.reduced_header = bytes(self.buf[:end])
            self._flush()
        out, self.ready = self.ready, []
        return out


CLOSE = b"\n</log>\n"


def shards(path: str, shard_bytes: int, chunk: int = 1 << 20) -> Iterator[bytes]:
    """The shards of a log file, each a complete XES document.

    The first carries the log's full header, the others the reduced header
    (see :class:`ShardCutter`). A log without traces gives one shard.
    """
    cutter = ShardCutter(shard_bytes)
    first = True
    with open_log(path) as f:
        while True:
            data = f.read(chunk)
            for body in cutter.feed(data, final=not data):
                head = cutter.header if first else cutter.reduced_header
                assert head is not None
                yield head + b"\n" + body + CLOSE
                first = False
            if not data:
                break
    if first:
        assert cutter.header is not None
        yield cutter.header + CLOSE


def reduced_header_is_neutral(path: str, keys: Optional[List[str]],
                              channel_key: Optional[str]) -> bool:
    """Whether the reduced header adds nothing to any counter when mined alone.

    Only then do shards that repeat it merge to exactly the whole log's
    result (a global with a date lacking its time zone, say, would be
    counted once per shard).
    """
    cutter = ShardCutter(1 << 62)
    with open_log(path) as f:
        while cutter.reduced_header is None:
            data = f.read(1 << 16)
            cutter.feed(data, final=not data)
            if not data:
                break
    with cjm.mine((cutter.reduced_header or b"") + CLOSE, keys=keys,
                  channel_key=channel_key, name="header") as r:
        return not any(r.counters.values())


# ---- the work done on the workers ------------------------------------------------

def mine_shard(data: bytes, keys: Optional[List[str]], channel_key: Optional[str]) -> bytes:
    """Mines one shard; returns the partial result as bytes."""
    import cjm
    with cjm.mine(data, keys=keys, channel_key=channel_key, name="shard") as r:
        return r.to_bytes()


def merge_pair(a: bytes, b: bytes) -> bytes:
    """Merges two partial results."""
    import cjm
    with cjm.MineResult.from_bytes(a) as ra, cjm.MineResult.from_bytes(b) as rb:
        return ra.merge(rb).to_bytes()


def mine_distributed(client, path: str, shard_bytes: int, keys: Optional[List[str]],
                     channel_key: Optional[str], window: int) -> "cjm.MineResult":
    """Mines the shards of ``path`` on ``client``'s cluster and reduces them to one result."""
    from dask.distributed import as_completed, wait

    pending = as_completed()
    in_flight = 0
    done_results = []  # finished futures of partial results, waiting for a partner
    count = 0

    def absorb(fut) -> None:
        nonlocal in_flight
        in_flight -= 1
        done_results.append(fut)
        while len(done_results) >= 2:
            a, b = done_results.pop(), done_results.pop()
            pending.add(client.submit(merge_pair, a, b, pure=False))
            in_flight += 1

    if not reduced_header_is_neutral(path, keys, channel_key):
        print("mine_dask: the log's header holds what would be counted once per shard; "
              "mining the log in one piece so that the result stays exact", file=sys.stderr)
        shard_bytes = 1 << 62
    for shard in shards(path, shard_bytes):
        count += 1
        pending.add(client.submit(mine_shard, shard, keys, channel_key, pure=False))
        in_flight += 1
        while in_flight >= window:
            absorb(next(pending))
    while in_flight:
        absorb(next(pending))
    if not done_results:
        raise ValueError(f"{path} held no log")
    final = done_results.pop()
    wait([final])
    print(f"mine_dask: {count} shards mined and merged", file=sys.stderr)
    return cjm.MineResult.from_bytes(final.result())


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("log", help="an XES log: plain, .gz or .xz")
    ap.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler instead")
    ap.add_argument("--shard-bytes", type=int, default=8 << 20,
                    help="approximate uncompressed size of a shard (default 8 MiB)")
    ap.add_argument("--key", action="append", dest="keys",
                    help="an attribute key naming the activity (repeatable)")
    ap.add_argument("--channel-key", help="the event attribute naming the channel")
    ap.add_argument("--check", action="store_true",
                    help="also mine the whole log in this process and require equality")
    ap.add_argument("--journey", help="write the mined journey as Journey XML to this file")
    args = ap.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    t0 = time.perf_counter()
    if args.scheduler:
        cluster = None
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        result = mine_distributed(client, args.log, args.shard_bytes, args.keys,
                                  args.channel_key, window=2 * max(args.workers, 1) + 2)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    t1 = time.perf_counter()
    c = result.counters
    print(f"mine_dask: {c['traces']} traces, {c['events']} events, "
          f"{len(result.activities)} activities, {len(result.transitions)} transitions, "
          f"{len(result.variants)} variants in {t1 - t0:.1f} s")
    status = 0
    if args.check:
        whole = cjm.mine(args.log, keys=args.keys, channel_key=args.channel_key)
        t2 = time.perf_counter()
        same = whole == result
        print(f"mine_dask: whole log mined in one process in {t2 - t1:.1f} s; "
              f"merged shards {'EQUAL' if same else 'DIFFER FROM'} the whole log")
        status = 0 if same else 1
    if args.journey:
        with cjm.JourneyMap(f"Mined from {os.path.basename(args.log)}") as m:
            result.to_journey(m, "actual")
            m.save(args.journey)
        print(f"mine_dask: journey written to {args.journey}")
    return status


if __name__ == "__main__":
    sys.exit(main())
