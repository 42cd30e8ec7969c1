"""Mining actual journeys from XES event logs.

:func:`mine` reads a log (a file, plain or compressed, or bytes) as a stream
and returns a :class:`MineResult`: activities, directly-follows transitions
with durations, start and end volumes, variants and counters. Results of
shards of a log (disjoint sets of whole traces) merge exactly, and a result
pickles as the library's canonical bytes, so shards can be mined on other
processes or machines (Dask, multiprocessing) and reduced with
:meth:`MineResult.merge` or :func:`merge`.
"""
from __future__ import annotations

import ctypes
import os
import threading
from ctypes import byref, c_char_p, c_size_t, c_void_p
from dataclasses import dataclass
from typing import (TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Sequence,
                    Union)

from . import _lib
from ._errors import StaleObjectError
from ._lib import encode, lib, text
from .enums import Deviation, Kind

if TYPE_CHECKING:  # pragma: no cover
    from .model import Journey, JourneyMap

__all__ = ["MineResult", "Activity", "Durations", "MinedTransition", "Variant", "mine",
           "merge", "counter_names", "LogConformance", "conform"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Activity:
    """What was seen of one activity (a future touchpoint)."""

    name: str
    """The classifier value."""
    events: int
    """Events mined with this activity."""
    starts: int
    """Traces that begin with it."""
    ends: int
    """Traces that end with it."""
    channel: Optional[str]
    """The most frequent value of the channel key among its events, if any."""


@dataclass(frozen=True)
class Durations:
    """Time between the two events of a transition, in milliseconds."""

    count: int
    """Pairs measured."""
    mean: float
    """Arithmetic mean."""
    min: int
    """Shortest, exact."""
    max: int
    """Longest, exact."""
    median: int
    """Median, from the library's mergeable histogram (within 3.2 %)."""
    p90: int
    """90th percentile, likewise."""


@dataclass(frozen=True)
class MinedTransition:
    """A directly-follows pair of activities."""

    source: str
    """The first activity."""
    target: str
    """The activity that directly followed it."""
    volume: int
    """How many times it did."""
    durations: Durations
    """The time between them."""


@dataclass(frozen=True)
class Variant:
    """A distinct sequence of activities and how many traces follow it."""

    traces: int
    """Traces with exactly this sequence."""
    activities: List[str]
    """The sequence."""


def counter_names() -> List[str]:
    """The names of the mining counters, in the library's order."""
    L = lib()
    out: List[str] = []
    while True:
        raw = L.cjm_mine_counter_name(len(out))
        if raw is None:
            return out
        out.append(raw.decode())


class MineResult:
    """The counts of one log, or of several logs merged. Owns a C result.

    Equal results (the same counts) compare equal, whatever the order in
    which shards were merged. Close with :meth:`close` or a ``with`` block;
    it is also freed when collected.
    """

    def __init__(self) -> None:
        raise TypeError("mining results come from cjm.mine() or MineResult.from_bytes()")

    @classmethod
    def _adopt(cls, ptr: int) -> "MineResult":
        obj = object.__new__(cls)
        obj._ptr = ptr
        obj._lock = threading.RLock()
        return obj

    def _p(self) -> int:
        p = getattr(self, "_ptr", None)
        if p is None:
            raise StaleObjectError("the mining result is closed")
        return p

    # -- lifetime

    def close(self) -> None:
        """Frees the result; closing twice is fine."""
        lock = getattr(self, "_lock", None)
        if lock is None:
            return
        with lock:
            p, self._ptr = self._ptr, None
            if p is not None:
                lib().cjm_mine_result_free(p)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return getattr(self, "_ptr", None) is None

    def __enter__(self) -> "MineResult":
        self._p()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    # -- bytes, pickling, merging

    def to_bytes(self) -> bytes:
        """The library's canonical, versioned binary form (equal results give equal bytes)."""
        buf = _lib.Buffer()
        with self._lock:
            lib().cjm_mine_serialize(self._p(), byref(buf))
        return buf.take()

    @classmethod
    def from_bytes(cls, data: Union[bytes, bytearray, memoryview]) -> "MineResult":
        """Reads a result back from :meth:`to_bytes`.

        Raises:
            ParseError: not a serialised result, a newer format, damaged bytes.
        """
        raw = bytes(data)
        out = c_void_p()
        lib().cjm_mine_deserialize(byref(out), raw, len(raw), None)
        return cls._adopt(out.value)  # type: ignore[arg-type]

    def __reduce__(self) -> Any:
        return (_from_bytes, (self.to_bytes(),))

    def copy(self) -> "MineResult":
        """An independent copy."""
        return MineResult.from_bytes(self.to_bytes())

    def merge(self, other: "MineResult") -> "MineResult":
        """Adds ``other``'s counts to this result, in place, and returns self.

        Raises:
            InvalidArgumentError: the two were mined with different keys.
            LimitExceededError: more activities than this result allows.
        """
        if other is self:
            other = self.copy()
        first, second = sorted((self, other), key=id)
        with first._lock, second._lock:
            lib().cjm_mine_merge(self._p(), other._p())
        return self

    def __iadd__(self, other: "MineResult") -> "MineResult":
        return self.merge(other)

    def __add__(self, other: "MineResult") -> "MineResult":
        return self.copy().merge(other)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MineResult):
            return NotImplemented
        return self.to_bytes() == other.to_bytes()

    __hash__ = None  # type: ignore[assignment]  # mutable: merge() changes it

    def __repr__(self) -> str:
        if self.closed:
            return "<MineResult (closed)>"
        c = self.counters
        return (f"<MineResult {c.get('traces', 0)} traces, {c.get('events', 0)} events, "
                f"{len(self.activities)} activities>")

    # -- reading

    @property
    def counters(self) -> Dict[str, int]:
        """Every counter by name: traces, events, and what was skipped and why."""
        L = lib()
        with self._lock:
            p = self._p()
            return {name: L.cjm_mine_count(p, i) for i, name in enumerate(counter_names())}

    @property
    def keys(self) -> List[str]:
        """The attribute keys whose values name the activities."""
        L = lib()
        with self._lock:
            p = self._p()
            return [text(L.cjm_mine_key_at(p, i)) or "" for i in range(L.cjm_mine_key_count(p))]

    @property
    def channel_key(self) -> Optional[str]:
        """The attribute key that named the channel, or None."""
        with self._lock:
            return text(lib().cjm_mine_channel_key(self._p()))

    @property
    def activities(self) -> List[Activity]:
        """The activities, in bytewise order of names."""
        L = lib()
        a = _lib.MineActivity()
        with self._lock:
            p = self._p()
            out = []
            for i in range(L.cjm_mine_activity_count(p)):
                L.cjm_mine_activity_at(p, i, byref(a))
                out.append(Activity(text(a.name) or "", a.events, a.starts, a.ends,
                                    text(a.channel)))
            return out

    def activity_index(self, name: str) -> Optional[int]:
        """The position of the activity called ``name`` in :attr:`activities`, or None."""
        idx = c_size_t()
        with self._lock:
            rc = lib().cjm_mine_activity_find(self._p(), encode(name, "name"), byref(idx))
        return idx.value if rc == 0 else None

    @property
    def transitions(self) -> List[MinedTransition]:
        """The directly-follows transitions, ordered by source, then target."""
        L = lib()
        names = [a.name for a in self.activities]
        t = _lib.MineTransition()
        with self._lock:
            p = self._p()
            out = []
            for i in range(L.cjm_mine_transition_count(p)):
                L.cjm_mine_transition_at(p, i, byref(t))
                d = t.durations
                out.append(MinedTransition(names[t.from_], names[t.to], t.volume,
                                           Durations(d.count, d.mean, d.min, d.max, d.median,
                                                     d.p90)))
            return out

    @property
    def variants(self) -> List[Variant]:
        """The variants kept, the most frequent first."""
        L = lib()
        names = [a.name for a in self.activities]
        v = _lib.MineVariant()
        with self._lock:
            p = self._p()
            out = []
            for i in range(L.cjm_mine_variant_count(p)):
                L.cjm_mine_variant_at(p, i, byref(v))
                out.append(Variant(v.traces, [names[v.activities[k]] for k in range(v.length)]))
            return out

    def to_dict(self) -> Dict[str, Any]:
        """Everything in the result as plain data (for JSON, pandas, ...)."""
        from dataclasses import asdict
        return {"keys": self.keys, "channel_key": self.channel_key, "counters": self.counters,
                "activities": [asdict(a) for a in self.activities],
                "transitions": [asdict(t) for t in self.transitions],
                "variants": [asdict(v) for v in self.variants]}

    def to_journey(self, journey_map: "JourneyMap", id: Optional[str] = None) -> "Journey":
        """Adds the mined graph to ``journey_map`` as a new actual journey and returns it.

        One stage "observed", a touchpoint per activity (entry volumes, exits),
        a transition per directly-follows pair (volume, median duration in
        seconds), and with a channel key a channel per channel value.
        """
        out = c_void_p()
        m = journey_map
        with self._lock, m._lock:
            mp = m._p()
            m._gen += 1
            lib().cjm_mine_to_journey(self._p(), mp, encode(id, "id"), byref(out))
            return m._wrap_journey(out.value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LogConformance:
    """How the cases of a log deviate from a planned journey (copied out; plain data)."""

    cases: int
    """Cases (traces) checked."""
    fitting: int
    """Cases without any deviation."""
    skipped: int
    """Cases too long to check (longer than ``max_variant_length``), only counted."""
    totals: Dict[Deviation, int]
    """All deviations of each kind over all cases."""
    cases_with: Dict[Deviation, int]
    """Cases with at least one deviation of each kind."""
    touchpoints: Dict[str, Dict[Deviation, int]]
    """Per planned touchpoint id: its missing, failing and irregular deviations."""
    adhoc: Dict[str, int]
    """Unplanned activities and how often each occurred."""
    mined: MineResult
    """The mining result of the same log, read on the way."""

    @property
    def fitness(self) -> Optional[float]:
        """The share of checked cases that fit the plan, or None when none was checked."""
        return self.fitting / self.cases if self.cases else None


CaseCallback = Callable[[Optional[str], Dict[Deviation, int]], None]


def conform(source: Union[str, "os.PathLike[str]", bytes, bytearray, memoryview],
            planned: "Journey", *, mapping: Optional[Dict[str, Union[str, Any]]] = None,
            on_case: Optional[CaseCallback] = None, classifier: Optional[str] = None,
            keys: Optional[Sequence[str]] = None, channel_key: Optional[str] = None,
            name: Optional[str] = None, progress: Optional[Progress] = None,
            **limits: int) -> LogConformance:
    """Holds every case of an XES log against a planned journey.

    The log is read as :func:`mine` reads it; each case is labelled with the
    missing, failing, ad hoc and irregular deviations of
    :class:`cjm.analysis.Conformance`, and memory stays bounded whatever the
    size of the log.

    Args:
        source: a path or the bytes of a plain XML log.
        planned: the planned journey.
        mapping: activity name -> planned touchpoint (or its id); other
            activities match a touchpoint by id, else by label, else are ad hoc.
        on_case: called as ``on_case(case_id, counts)`` for every case
            checked; an exception it raises is raised again afterwards.
        classifier, keys, channel_key, name, progress, limits: as for :func:`mine`.

    Raises:
        as :func:`mine`; InvalidArgumentError for an empty mapping entry.
    """
    from .analysis import _deviation, _deviation_value
    from .model import Item
    unknown = set(limits) - set(_LIMITS)
    if unknown:
        raise TypeError(f"unknown mining options: {sorted(unknown)}")
    mopts, keep, errors = _options(classifier, keys, channel_key, limits, progress)
    acts = [encode(a, "activity") or b"" for a in (mapping or {})]
    tps = [encode(t.id if isinstance(t, Item) else t, "touchpoint") or b""
           for t in (mapping or {}).values()]
    act_array = (c_char_p * max(len(acts), 1))(*acts)
    tp_array = (c_char_p * max(len(tps), 1))(*tps)

    def relay(ud: Any, case_id: Optional[bytes], counts: Any) -> None:
        if errors:
            return
        try:
            on_case(text(case_id), {_deviation(k): counts[k]  # type: ignore[misc]
                                    for k in range(4)})
        except BaseException as exc:  # raised again once the library returns
            errors.append(exc)

    callback = _lib.MineCaseFn(relay) if on_case is not None else _lib.MineCaseFn()
    copts = _lib.MineConformanceOptions(1, ctypes.pointer(mopts), act_array if acts else None,
                                        tp_array if tps else None, len(acts), callback, None)
    out = c_void_p()
    L = lib()
    m = planned._map
    with m._lock:
        jp = planned._p()
        if isinstance(source, (bytes, bytearray, memoryview)):
            raw = bytes(source)
            L.cjm_mine_conform_memory(byref(out), raw, len(raw), encode(name, "name"), jp,
                                      byref(copts), None)
        else:
            L.cjm_mine_conform_file(byref(out), encode(os.fsdecode(source), "path"), jp,
                                    byref(copts), None)
        c = out.value
        try:
            if errors:
                raise errors[0]
            kinds = list(Deviation)
            tp_kind = _kind_id_touchpoint()
            per_tp: Dict[str, Dict[Deviation, int]] = {}
            for i in range(L.cjm_journey_count(jp, tp_kind)):
                ident = text(L.cjm_item_id(L.cjm_journey_at(jp, tp_kind, i))) or ""
                per_tp[ident] = {k: L.cjm_mine_conformance_touchpoint(c, i, _deviation_value(k))
                                 for k in kinds if k is not Deviation.ADHOC}
            adhoc: Dict[str, int] = {}
            nm, cnt = c_char_p(), ctypes.c_ulonglong()
            for i in range(L.cjm_mine_conformance_adhoc_count(c)):
                L.cjm_mine_conformance_adhoc_at(c, i, byref(nm), byref(cnt))
                adhoc[text(nm.value) or ""] = cnt.value
            buf = _lib.Buffer()
            L.cjm_mine_serialize(L.cjm_mine_conformance_result(c), byref(buf))
            mined = MineResult.from_bytes(buf.take())
            return LogConformance(
                L.cjm_mine_conformance_cases(c), L.cjm_mine_conformance_fitting(c),
                L.cjm_mine_conformance_skipped(c),
                {k: L.cjm_mine_conformance_total(c, _deviation_value(k)) for k in kinds},
                {k: L.cjm_mine_conformance_cases_with(c, _deviation_value(k)) for k in kinds},
                per_tp, adhoc, mined)
        finally:
            L.cjm_mine_conformance_free(c)
            del keep, act_array, tp_array, callback


def _kind_id_touchpoint() -> int:
    from .model import _kind_id
    return _kind_id(Kind.TOUCHPOINT)


def _from_bytes(data: bytes) -> MineResult:
    return MineResult.from_bytes(data)


def _options(classifier: Optional[str], keys: Optional[Sequence[str]],
             channel_key: Optional[str], limits: Dict[str, int],
             progress: Optional[Progress]) -> tuple:
    key_bytes = [encode(k, "key") or b"" for k in (keys or [])]
    key_array = (c_char_p * max(len(key_bytes), 1))(*key_bytes)
    errors: List[BaseException] = []

    def relay(ud: Any, done: int, total: int) -> None:
        if errors:
            return
        try:
            progress(done, total)  # type: ignore[misc]
        except BaseException as exc:  # raised again once the library returns
            errors.append(exc)

    callback = _lib.MineProgressFn(relay) if progress is not None else _lib.MineProgressFn()
    opts = _lib.MineOptions(
        1, encode(classifier, "classifier"), key_array if key_bytes else None, len(key_bytes),
        encode(channel_key, "channel key"), limits.get("max_inflated", 0),
        limits.get("max_ratio", 0), limits.get("max_depth", 0),
        limits.get("max_attributes", 0), limits.get("max_activities", 0),
        limits.get("max_variants", 0), limits.get("max_variant_length", 0), callback, None)
    # the arrays and the callback must outlive the call: keep them with the options
    return opts, (key_bytes, key_array, callback), errors


_LIMITS = ("max_inflated", "max_ratio", "max_depth", "max_attributes", "max_activities",
           "max_variants", "max_variant_length")


def mine(source: Union[str, "os.PathLike[str]", bytes, bytearray, memoryview], *,
         classifier: Optional[str] = None, keys: Optional[Sequence[str]] = None,
         channel_key: Optional[str] = None, name: Optional[str] = None,
         progress: Optional[Progress] = None, **limits: int) -> MineResult:
    """Mines an XES event log.

    Args:
        source: a path (plain XML, gzip or xz, told apart by content) or the
            bytes of a plain XML log.
        classifier: the name of a classifier the log declares; default
            ``concept:name``.
        keys: attribute keys whose values, joined with ``+``, name the
            activity; take precedence over ``classifier``.
        channel_key: the event attribute that names the channel.
        name: what error messages call in-memory input.
        progress: called as ``progress(done_bytes, total_bytes)`` while a
            file is read; an exception it raises is raised again afterwards.
        limits: ``max_inflated``, ``max_ratio``, ``max_depth``,
            ``max_attributes``, ``max_activities``, ``max_variants``,
            ``max_variant_length`` (0 or absent: the library's defaults).

    Raises:
        ParseError: not well-formed XML or not a log, with file, line and column.
        CjmIOError: the file cannot be read.
        NotFoundError: the named classifier is not declared.
        LimitExceededError: a limit was exceeded (a gzip bomb, too deep).
    """
    unknown = set(limits) - set(_LIMITS)
    if unknown:
        raise TypeError(f"unknown mining options: {sorted(unknown)}")
    opts, keep, errors = _options(classifier, keys, channel_key, limits, progress)
    out = c_void_p()
    L = lib()
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
        L.cjm_mine_memory(byref(out), raw, len(raw), encode(name, "name"), byref(opts), None)
    else:
        path = os.fsdecode(source)
        L.cjm_mine_file(byref(out), encode(path, "path"), byref(opts), None)
    del keep
    result = MineResult._adopt(out.value)  # type: ignore[arg-type]
    if errors:
        result.close()
        raise errors[0]
    return result


def merge(results: Iterable[MineResult]) -> MineResult:
    """A new result holding the sum of ``results`` (which are left unchanged).

    Raises:
        ValueError: ``results`` is empty.
    """
    it = iter(results)
    try:
        total = next(it).copy()
    except StopIteration:
        raise ValueError("nothing to merge") from None
    for r in it:
        total.merge(r)
    return total
