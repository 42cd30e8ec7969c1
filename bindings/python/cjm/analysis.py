"""Analyses of journeys, returned as plain Python data.

Each function reads a journey under its map's lock, copies what the C
result holds into dataclasses, lists and dicts, and frees the C result
before returning, so nothing here keeps pointers into a map. The one
exception is :class:`Conformance`, a checker meant to be run over many
cases: it borrows its planned journey and refuses to run once that
journey's map has changed.

The definitions (formulas, units, edge cases) are those of the C library;
see its manual page "Analyses".
"""
from __future__ import annotations

import contextlib
import ctypes
import math
from ctypes import byref, c_char_p, c_double, c_void_p
from dataclasses import dataclass, field
from typing import (TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Sequence,
                    Tuple, Union)

from . import _lib
from ._errors import InvalidArgumentError, StaleObjectError
from ._lib import encode, lib, text
from .enums import Deviation, Kind, Need

if TYPE_CHECKING:  # pragma: no cover
    from .model import Item, Journey, JourneyMap

__all__ = ["Reach", "Finding", "Checks", "Ranked", "CurvePoint", "DeviationFound",
           "Comparison", "Change", "Diff", "CaseDeviation", "CaseResult", "Conformance",
           "reach", "checks", "rank", "emotion_curve", "compare", "diff", "situation_view"]

_SIZE_MAX = (1 << (8 * ctypes.sizeof(ctypes.c_size_t))) - 1
# The need weights of CJM_RANK_OPTIONS_INIT, indexed by cjm_need.
_DEFAULT_NEED_WEIGHTS = [1.0, 0.75, 0.5, 0.5]
# cjm_reach_source has no name table; these are its values in order.
_REACH_SOURCES = ("unknown", "affected", "target")


def _num(x: float) -> Optional[float]:
    """A C double with NaN for "none" as a Python float or None."""
    return None if math.isnan(x) else x


@contextlib.contextmanager
def _locked(*maps: "JourneyMap") -> Iterator[None]:
    """Holds the locks of several maps, always taken in the same order."""
    with contextlib.ExitStack() as stack:
        for m in sorted({id(m): m for m in maps}.values(), key=id):
            stack.enter_context(m._lock)
        yield


def _deviation(value: int) -> Deviation:
    from .model import _attr
    name = lib().cjm_enum_name(_attr("deviation").id, value)
    return Deviation(name.decode())


def _deviation_value(kind: Union[Deviation, str]) -> int:
    from ctypes import c_int

    from .model import _attr
    out = c_int()
    if lib().cjm_enum_lookup(_attr("deviation").id, encode(Deviation(kind).value),
                             byref(out)) != 0:
        raise InvalidArgumentError(f"{kind!r} is not a deviation")
    return out.value


def _names(fn: Any) -> List[str]:
    out = []
    while True:
        raw = fn(len(out))
        if raw is None:
            return out
        out.append(raw.decode())


# ---- reach ------------------------------------------------------------------

@dataclass(frozen=True)
class Reach:
    """Expected traffic of a journey (an absorbing Markov chain over its touchpoints)."""

    touchpoints: Dict[str, float]
    """Expected visits per touchpoint id, loops counted at each visit."""
    transitions: Dict[str, Optional[float]]
    """Expected crossings per transition id (None when its ends are not touchpoints)."""
    probabilities: Dict[str, Optional[float]]
    """The probability used for each transition."""
    ended: Dict[str, float]
    """Expected customers whose journey ends at each touchpoint."""
    entered: float
    """Customers who start the journey: the sum of entry volumes."""
    unquantified: int
    """Transitions with neither probability nor volume (counted as 0)."""
    normalised: int
    """Touchpoints whose outgoing probabilities summed above 1 and were scaled down."""
    iterations: int
    """Sweeps of the iterative solver in its slowest loop; 0 when all were exact."""


def reach(journey: "Journey", *, exact_limit: int = 256, tolerance: float = 1e-12,
          max_iterations: int = 10000) -> Reach:
    """Computes how many customers reach every touchpoint and cross every transition.

    Raises:
        NotFoundError: no touchpoint has an entry volume.
        InvalidError: customers who reach a loop can never leave it.
        LimitExceededError: the iterative solver did not converge.
    """
    L = lib()
    opts = _lib.ReachOptions(1, None, exact_limit, tolerance, max_iterations)
    out = c_void_p()
    m = journey._map
    with m._lock:
        jp = journey._p()
        L.cjm_reach_compute(byref(out), jp, byref(opts))
        r = out.value
        try:
            tps = [text(L.cjm_item_id(L.cjm_journey_at(jp, _kid(Kind.TOUCHPOINT), i))) or ""
                   for i in range(L.cjm_journey_count(jp, _kid(Kind.TOUCHPOINT)))]
            trs = [text(L.cjm_item_id(L.cjm_journey_at(jp, _kid(Kind.TRANSITION), i))) or ""
                   for i in range(L.cjm_journey_count(jp, _kid(Kind.TRANSITION)))]
            return Reach(
                touchpoints={t: L.cjm_reach_touchpoint(r, i) for i, t in enumerate(tps)},
                transitions={t: _num(L.cjm_reach_transition(r, i)) for i, t in enumerate(trs)},
                probabilities={t: _num(L.cjm_reach_probability(r, i))
                               for i, t in enumerate(trs)},
                ended={t: L.cjm_reach_ended(r, i) for i, t in enumerate(tps)},
                entered=L.cjm_reach_entered(r),
                unquantified=L.cjm_reach_unquantified(r),
                normalised=L.cjm_reach_normalised(r),
                iterations=L.cjm_reach_iterations(r))
        finally:
            L.cjm_reach_free(r)


def _kid(kind: Kind) -> int:
    from .model import _kind_id
    return _kind_id(kind)


# ---- checks -------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One finding of the structure and channel checks."""

    kind: str
    """"unreachable", "dead-end", "backward", "cycle", "self-service", ... (the library's names)."""
    item: str
    """The touchpoint's id, or the transition's; for a cycle, its first touchpoint."""
    volume: Optional[float]
    """The item's reach (for a cycle, its returns); None without volumes."""
    limit: Optional[float]
    """The capacity (over-capacity) or frequency (self-service); else None."""
    members: List[str]
    """For a cycle, the ids of its touchpoints in journey order; else empty."""
    message: str
    """One English sentence."""


@dataclass(frozen=True)
class Checks:
    """The findings of the structure and channel checks of a journey."""

    findings: List[Finding]
    """Ordered by kind, then journey order."""
    totals: Dict[str, int]
    """The number of findings of every kind, zeros included."""
    reach_status: int
    """0 when reach was available; else the code reach gave (the checks that need it were skipped)."""
    contact_free: Tuple[Optional[float], Optional[float]]
    """Share of touchpoints (with a known channel) on contact-free channels, plain and by reach."""

    @property
    def reach_error(self) -> Optional[str]:
        """Why reach was not available, or None."""
        if self.reach_status == 0:
            return None
        return (lib().cjm_strerror(self.reach_status) or b"").decode()


def checks(journey: "Journey", *, frequent: float = 100.0) -> Checks:
    """Runs the structure checks (unreachable touchpoints, dead ends, backward moves,
    cycles) and the channel checks (self-service, human help, channel switches, no
    value, over capacity) of a journey.

    Args:
        frequent: a matter is frequent from this frequency per period (or,
            without a frequency, this reach) on.
    """
    L = lib()
    opts = _lib.ChecksOptions(1, None, frequent, None)
    out = c_void_p()
    m = journey._map
    with m._lock:
        L.cjm_checks_run(byref(out), journey._p(), byref(opts))
        c = out.value
        try:
            kinds = _names(L.cjm_check_kind_name)
            findings = []
            for i in range(L.cjm_checks_count(c)):
                f = L.cjm_checks_at(c, i).contents
                members = [text(f.members[k]) or "" for k in range(f.member_count)]
                findings.append(Finding(kinds[f.kind], text(f.item) or "", _num(f.volume),
                                        _num(f.limit), members, text(f.message) or ""))
            plain, weighted = c_double(), c_double()
            L.cjm_checks_contact_free(c, byref(plain), byref(weighted))
            return Checks(findings, {k: L.cjm_checks_total(c, i) for i, k in enumerate(kinds)},
                          L.cjm_checks_reach_status(c),
                          (_num(plain.value), _num(weighted.value)))
        finally:
            L.cjm_checks_free(c)


# ---- ranking ------------------------------------------------------------------

@dataclass(frozen=True)
class Ranked:
    """One ranked gap or pain point, with the parts of its score."""

    rank: int
    """1 for the most pressing."""
    id: str
    """The pain point's or gap's id."""
    kind: Kind
    """:attr:`Kind.PAINPOINT` or :attr:`Kind.GAP`."""
    target: Optional[str]
    """The id of its touchpoint or transition."""
    severity: float
    """The severity used."""
    reach: float
    """Customers hit (1 when unknown)."""
    reach_source: str
    """"affected", "target" or "unknown": where ``reach`` came from."""
    moment_of_truth: bool
    """Whether it sits at a moment of truth."""
    moment_factor: float
    """The factor applied for the moment of truth (1 when not)."""
    need: Optional[Need]
    """The emotional need at stake."""
    need_factor: float
    """1 + the need's weight (1 for none)."""
    score: float
    """severity * reach * moment_factor * need_factor."""


def rank(journey: "Journey", *, moment_of_truth: float = 2.0,
         need: Optional[Mapping[Union[Need, str], float]] = None,
         default_severity: float = 1.0) -> List[Ranked]:
    """Ranks the journey's pain points and gaps, the most pressing first.

    ``score = severity * reach * moment_factor * need_factor``; ties are
    ordered by id, so the ranking is deterministic.

    Args:
        moment_of_truth: the factor for an item at a moment of truth.
        need: weights by need (the factor is 1 + weight); needs left out
            keep the library's defaults (safety 1, security 0.75, certainty
            0.5, trust 0.5).
        default_severity: the severity of an item that has none.

    Raises:
        InvalidArgumentError: a negative or non-finite weight, an unknown need.
    """
    from .model import _attr
    L = lib()
    weights = list(_DEFAULT_NEED_WEIGHTS)
    need_attr = _attr("need").id
    for key, weight in (need or {}).items():
        from ctypes import c_int
        v = c_int()
        if L.cjm_enum_lookup(need_attr, encode(Need(key).value), byref(v)) != 0:
            raise InvalidArgumentError(f"{key!r} is not a need")
        weights[v.value] = float(weight)
    opts = _lib.RankOptions(1, None, moment_of_truth, (c_double * 4)(*weights),
                            default_severity, None)
    out = c_void_p()
    m = journey._map
    with m._lock:
        L.cjm_rank_compute(byref(out), journey._p(), byref(opts))
        r = out.value
        try:
            result = []
            for i in range(L.cjm_ranking_count(r)):
                x = L.cjm_ranking_at(r, i).contents
                from .model import _kind_of
                nd = None
                if x.need >= 0:
                    nd = Need(L.cjm_enum_name(need_attr, x.need).decode())
                result.append(Ranked(
                    i + 1, text(x.id) or "", _kind_of(L.cjm_item_kind(x.item)), text(x.target),
                    x.severity, x.reach, _REACH_SOURCES[x.reach_source]
                    if 0 <= x.reach_source < len(_REACH_SOURCES) else str(x.reach_source),
                    bool(x.moment_of_truth), x.moment_factor, nd, x.need_factor, x.score))
            return result
        finally:
            L.cjm_ranking_free(r)


# ---- emotion curve ----------------------------------------------------------------

@dataclass(frozen=True)
class CurvePoint:
    """One touchpoint on an emotion curve."""

    id: str
    """The touchpoint's id."""
    stage: Optional[str]
    """Its stage's id."""
    emotion: Optional[float]
    """Valence -2..+2, or None when unset."""
    expected: Optional[float]
    """Expected score, or None."""
    perceived: Optional[float]
    """Perceived score, or None."""
    reach: Optional[float]
    """Expected visits, or None without volumes."""
    low: bool
    """Whether it is a low point."""


def _ids(seq: Sequence[Union[str, "Item"]], what: str) -> Tuple[Any, List[bytes]]:
    from .model import Item
    raw = [encode(s.id if isinstance(s, Item) else s, what) or b"" for s in seq]
    return (c_char_p * max(len(raw), 1))(*raw), raw


def emotion_curve(journey: "Journey", path: Optional[Sequence[Union[str, "Item"]]] = None,
                  *, low_below: float = 0.0) -> List[CurvePoint]:
    """The emotion curve along ``path`` (touchpoints or ids), or along the most
    travelled path when ``path`` is None.

    Raises:
        NotFoundError: an id of ``path`` is not a touchpoint.
    """
    L = lib()
    opts = _lib.CurveOptions(1, None, low_below, None)
    out = c_void_p()
    if path is None:
        arr, n = None, 0
    else:
        arr, raw = _ids(path, "path")
        n = len(raw)
    m = journey._map
    with m._lock:
        L.cjm_curve_compute(byref(out), journey._p(),
                            None if arr is None else arr, n, byref(opts))
        c = out.value
        try:
            points = []
            for i in range(L.cjm_curve_count(c)):
                p = L.cjm_curve_at(c, i).contents
                points.append(CurvePoint(text(p.id) or "", text(p.stage), _num(p.emotion),
                                         _num(p.expected), _num(p.perceived), _num(p.reach),
                                         bool(p.low)))
            return points
        finally:
            L.cjm_curve_free(c)


# ---- planned against actual; diff ---------------------------------------------------

@dataclass(frozen=True)
class DeviationFound:
    """One deviation of an actual journey from its planned journey."""

    kind: Deviation
    """Missing, failing, ad hoc or irregular."""
    touchpoint: str
    """The touchpoint's id."""
    transition: Optional[str]
    """The actual transition that shows it, if any."""
    volume: Optional[float]
    """Customers concerned, from the actual journey's reach; None when unknown."""
    message: str
    """One English sentence."""


@dataclass(frozen=True)
class Comparison:
    """The deviations of an actual journey from a planned one."""

    deviations: List[DeviationFound]
    """Ordered by kind, then journey order."""
    totals: Dict[Deviation, int]
    """The number of deviations of each kind, zeros included."""


def compare(planned: "Journey", actual: "Journey") -> Comparison:
    """Aligns an actual journey to a planned one and labels every deviation."""
    L = lib()
    opts = _lib.CompareOptions(1, None)
    out = c_void_p()
    with _locked(planned._map, actual._map):
        L.cjm_compare_journeys(byref(out), planned._p(), actual._p(), byref(opts))
        c = out.value
        try:
            devs = []
            for i in range(L.cjm_comparison_count(c)):
                d = L.cjm_comparison_at(c, i).contents
                devs.append(DeviationFound(_deviation(d.kind), text(d.touchpoint) or "",
                                           text(d.transition), _num(d.volume),
                                           text(d.message) or ""))
            totals = {k: L.cjm_comparison_total(c, _deviation_value(k)) for k in Deviation}
            return Comparison(devs, totals)
        finally:
            L.cjm_comparison_free(c)


@dataclass(frozen=True)
class Change:
    """One structural change between two journeys."""

    kind: str
    """"added", "removed", "re-channelled", ... (the library's names)."""
    id: str
    """The touchpoint's or transition's id."""
    before: Optional[str]
    """The old channel or stage id."""
    after: Optional[str]
    """The new channel or stage id."""
    message: str
    """One English sentence."""


@dataclass(frozen=True)
class Diff:
    """The structural differences between two journeys."""

    changes: List[Change]
    """Ordered by kind, then journey order."""
    totals: Dict[str, int]
    """The number of changes of each kind, zeros included."""


def diff(before: "Journey", after: "Journey") -> Diff:
    """Compares the structure of two journeys (touchpoints by id, transitions by their ends)."""
    L = lib()
    opts = _lib.CompareOptions(1, None)
    out = c_void_p()
    with _locked(before._map, after._map):
        L.cjm_diff_journeys(byref(out), before._p(), after._p(), byref(opts))
        d = out.value
        try:
            kinds = _names(L.cjm_change_kind_name)
            changes = []
            for i in range(L.cjm_diff_count(d)):
                c = L.cjm_diff_at(d, i).contents
                changes.append(Change(kinds[c.kind], text(c.id) or "", text(c.before),
                                      text(c.after), text(c.message) or ""))
            return Diff(changes, {k: L.cjm_diff_total(d, i) for i, k in enumerate(kinds)})
        finally:
            L.cjm_diff_free(d)


def situation_view(journey: "Journey", situation: Union[str, "Item"],
                   id: Optional[str] = None) -> "Journey":
    """Adds to the map the journey as a customer in ``situation`` meets it, and returns it.

    Raises:
        NotFoundError: the map defines no such situation.
        AlreadyExistsError: ``id`` is taken.
    """
    from .model import Item
    sid = situation.id if isinstance(situation, Item) else situation
    out = c_void_p()
    m = journey._map
    with m._lock:
        jp = journey._p()
        m._gen += 1
        lib().cjm_situation_view(byref(out), jp, encode(sid, "situation"), encode(id, "id"))
        return m._wrap_journey(out.value)  # type: ignore[arg-type]


# ---- conformance of single cases ------------------------------------------------

@dataclass(frozen=True)
class CaseDeviation:
    """One deviation of a case from the planned journey."""

    kind: Deviation
    """Missing, failing, ad hoc or irregular."""
    touchpoint: str
    """The planned touchpoint's id (for ad hoc, the case's id)."""
    index: Optional[int]
    """The planned touchpoint's position among the touchpoints; None for ad hoc."""
    position: int
    """The event's position in the case (for missing: of the event it was expected before)."""


@dataclass(frozen=True)
class CaseResult:
    """The deviations of one case."""

    deviations: List[CaseDeviation]
    """Ordered by position."""
    totals: Dict[Deviation, int] = field(default_factory=dict)
    """The number of deviations of each kind, zeros included."""

    @property
    def conforms(self) -> bool:
        """Whether the case followed the plan."""
        return not self.deviations


class Conformance:
    """A checker that labels the deviations of cases against one planned journey.

    Build it once and run :meth:`check` over every case. It borrows the
    planned journey: once anything in that journey's map changes (through
    this binding), or the journey is removed, using the checker raises
    :class:`~cjm.StaleObjectError`; make a new one.
    """

    def __init__(self, planned: "Journey") -> None:
        self._ptr: Optional[int] = None
        out = c_void_p()
        opts = _lib.ConformanceOptions(1, None)
        m = planned._map
        with m._lock:
            lib().cjm_conformance_new(byref(out), planned._p(), byref(opts))
            self._ptr = out.value
            self._planned = planned
            self._jptr = planned._ptr
            self._gen = m._gen
            m._dependents.add(self)

    def _borrows(self, jptr: int) -> bool:
        return self._jptr == jptr

    def _p(self) -> int:
        if self._ptr is None:
            raise StaleObjectError("the conformance checker is closed (or its planned "
                                   "journey was removed or its map closed)")
        if not self._planned.alive or self._planned._map._gen != self._gen:
            raise StaleObjectError("the planned journey's map changed since the checker "
                                   "was made; make a new checker")
        return self._ptr

    @property
    def planned(self) -> "Journey":
        """The planned journey."""
        return self._planned

    def check(self, case: Sequence[Union[str, "Item"]]) -> CaseResult:
        """Labels the deviations of one case: touchpoint ids in the order they happened."""
        L = lib()
        arr, raw = _ids(case, "case")
        with self._planned._map._lock:
            p = self._p()
            L.cjm_conformance_check(p, arr, len(raw))
            devs = []
            for i in range(L.cjm_conformance_count(p)):
                d = L.cjm_conformance_at(p, i).contents
                devs.append(CaseDeviation(_deviation(d.kind), text(d.touchpoint) or "",
                                          None if d.index == _SIZE_MAX else d.index,
                                          d.position))
            totals = {k: L.cjm_conformance_total(p, _deviation_value(k)) for k in Deviation}
            return CaseResult(devs, totals)

    def touchpoint_total(self, touchpoint: Union[str, "Item"], kind: Union[Deviation, str]) -> int:
        """How many deviations of ``kind`` the last case had at a planned touchpoint."""
        from .model import Item
        tp = touchpoint if isinstance(touchpoint, Item) else self._planned.touchpoints[touchpoint]
        with self._planned._map._lock:
            p = self._p()
            return lib().cjm_conformance_touchpoint_total(p, tp.index, _deviation_value(kind))

    def close(self) -> None:
        """Frees the checker; closing twice is fine."""
        p, self._ptr = self._ptr, None
        if p is not None:
            lib().cjm_conformance_free(p)

    def __enter__(self) -> "Conformance":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def __reduce__(self) -> Any:
        raise TypeError("a conformance checker cannot be pickled; make one where it is used")
