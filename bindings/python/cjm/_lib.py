"""Finding libcjm, checking its version, and declaring its C API.

The whole C API the binding uses is declared once, in :data:`FUNCTIONS`:
``(name, argtypes, restype, errcheck)``. Functions that return a negative
result code on failure get :func:`check` as their errcheck, which turns the
code into a :class:`~cjm.CjmError` subclass carrying the details from
``cjm_error_last()``. ctypes calls the errcheck on the calling thread right
after the foreign call returns, and the library keeps its error record per
thread, so the details read are those of this very call even though ctypes
releases the GIL during the call.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import pathlib
import threading
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_double, c_int, c_longlong,
                    c_size_t, c_uint, c_ulonglong, c_void_p)
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from ._errors import LibraryError, error_class

#: The version of the C library this binding was written for.
BINDING_VERSION: Tuple[int, int, int] = (0, 1, 0)

#: Result codes of common.h that the binding needs by name.
CJM_OK = 0
CJM_ENOTFOUND = -4
CJM_ITEROVER = -11


# ---- structures of the public headers ---------------------------------------

class Error(Structure):
    """``cjm_error`` (error.h)."""

    _fields_ = [("code", c_int), ("message", c_char_p), ("file", c_char_p),
                ("line", c_int), ("column", c_int)]


class Kpi(Structure):
    """``cjm_kpi`` (model.h)."""

    _fields_ = [("name", c_char_p), ("value", c_double), ("target", c_double),
                ("date", c_char_p)]


class Allocator(Structure):
    """``cjm_allocator`` (common.h); the binding always passes NULL instead."""

    _fields_ = [("fn", c_void_p), ("ud", c_void_p)]


class Buffer(Structure):
    """``cjm_buffer`` (common.h): bytes owned by the caller until cjm_buffer_free()."""

    _fields_ = [("data", c_void_p), ("size", c_size_t), ("allocator", Allocator)]

    def take(self) -> bytes:
        """Copies the bytes out and frees the buffer."""
        try:
            return ctypes.string_at(self.data, self.size) if self.data else b""
        finally:
            lib().cjm_buffer_free(ctypes.byref(self))


class Problem(Structure):
    """``cjm_problem`` (model.h)."""

    _fields_ = [("severity", c_int), ("code", c_char_p), ("message", c_char_p),
                ("journey", c_char_p), ("item", c_char_p), ("line", c_int),
                ("column", c_int)]


class RenderOptions(Structure):
    """``cjm_render_options`` (render.h)."""

    _fields_ = [("version", c_uint), ("journey", c_char_p), ("situation", c_char_p),
                ("annotations", c_uint), ("direction", c_int), ("legend", c_int),
                ("allocator", POINTER(Allocator))]


class XmlReadOptions(Structure):
    """``cjm_xml_read_options`` (xml.h)."""

    _fields_ = [("version", c_uint), ("allocator", POINTER(Allocator)),
                ("max_size", c_size_t), ("max_depth", c_int), ("max_text", c_size_t),
                ("flags", c_uint), ("name", c_char_p)]


class XmlWriteOptions(Structure):
    """``cjm_xml_write_options`` (xml.h)."""

    _fields_ = [("version", c_uint), ("allocator", POINTER(Allocator))]


class ConformanceOptions(Structure):
    """``cjm_conformance_options`` (analysis.h)."""

    _fields_ = [("version", c_uint), ("allocator", POINTER(Allocator))]


class CaseDeviation(Structure):
    """``cjm_case_deviation`` (analysis.h)."""

    _fields_ = [("kind", c_int), ("touchpoint", c_char_p), ("index", c_size_t),
                ("position", c_size_t)]


class ReachOptions(Structure):
    """``cjm_reach_options`` (analysis.h)."""

    _fields_ = [("version", c_uint), ("allocator", POINTER(Allocator)),
                ("exact_limit", c_size_t), ("tolerance", c_double),
                ("max_iterations", c_uint)]


class Finding(Structure):
    """``cjm_finding`` (analysis.h)."""

    _fields_ = [("kind", c_int), ("item", c_char_p), ("volume", c_double),
                ("limit", c_double), ("member_count", c_size_t),
                ("members", POINTER(c_char_p)), ("message", c_char_p)]


class ChecksOptions(Structure):
    """``cjm_checks_options`` (analysis.h)."""

    _fields_ = [("version", c_uint), ("allocator", POINTER(Allocator)),
                ("frequent", c_double), ("reach", c_void_p)]


class RankOptions(Structure):
    """``cjm_rank_options`` (analysis.h)."""

    _fields_ = [("version", c_uint), ("allocator", POINTER(Allocator)),
                ("moment_of_truth", c_double), ("need", c_double * 4),
                ("default_severity", c_double), ("reach", c_void_p)]


class Ranked(Structure):
    """``cjm_ranked`` (analysis.h)."""

    _fields_ = [("item", c_void_p), ("id", c_char_p), ("target", c_char_p),
                ("severity", c_double), ("reach", c_double), ("reach_source", c_int),
                ("moment_of_truth", c_int), ("moment_factor", c_double), ("need", c_int),
                ("need_factor", c_double), ("score", c_double)]


class CurvePoint(Structure):
    """``cjm_curve_point`` (analysis.h)."""

    _fields_ = [("touchpoint", c_void_p), ("id", c_char_p), ("stage", c_char_p),
                ("emotion", c_double), ("expected", c_double), ("perceived", c_double),
                ("reach", c_double), ("low", c_int)]


class CurveOptions(Structure):
    """``cjm_curve_options`` (analysis.h)."""

    _fields_ = [("version", c_uint), ("allocator", POINTER(Allocator)),
                ("low_below", c_double), ("reach", c_void_p)]


class CompareOptions(Structure):
    """``cjm_compare_options`` (analysis.h)."""

    _fields_ = [("version", c_uint), ("allocator", POINTER(Allocator))]


class DeviationFound(Structure):
    """``cjm_deviation_found`` (analysis.h)."""

    _fields_ = [("kind", c_int), ("touchpoint", c_char_p), ("transition", c_char_p),
                ("volume", c_double), ("message", c_char_p)]


class Change(Structure):
    """``cjm_change`` (analysis.h)."""

    _fields_ = [("kind", c_int), ("id", c_char_p), ("before", c_char_p),
                ("after", c_char_p), ("message", c_char_p)]


#: ``cjm_mine_progress_fn`` (mine.h).
MineProgressFn = CFUNCTYPE(None, c_void_p, c_ulonglong, c_ulonglong)


class MineOptions(Structure):
    """``cjm_mine_options`` (mine.h)."""

    _fields_ = [("version", c_uint), ("classifier", c_char_p), ("keys", POINTER(c_char_p)),
                ("key_count", c_size_t), ("channel_key", c_char_p),
                ("max_inflated", c_ulonglong), ("max_ratio", c_uint), ("max_depth", c_uint),
                ("max_attributes", c_uint), ("max_activities", c_size_t),
                ("max_variants", c_size_t), ("max_variant_length", c_size_t),
                ("progress", MineProgressFn), ("progress_ud", c_void_p)]


class MineActivity(Structure):
    """``cjm_mine_activity`` (mine.h)."""

    _fields_ = [("name", c_char_p), ("events", c_ulonglong), ("starts", c_ulonglong),
                ("ends", c_ulonglong), ("channel", c_char_p)]


class MineDurations(Structure):
    """``cjm_mine_durations`` (mine.h)."""

    _fields_ = [("count", c_ulonglong), ("mean", c_double), ("min", c_longlong),
                ("max", c_longlong), ("median", c_longlong), ("p90", c_longlong)]


class MineTransition(Structure):
    """``cjm_mine_transition`` (mine.h)."""

    _fields_ = [("from_", c_size_t), ("to", c_size_t), ("volume", c_ulonglong),
                ("durations", MineDurations)]


class MineVariant(Structure):
    """``cjm_mine_variant`` (mine.h)."""

    _fields_ = [("traces", c_ulonglong), ("length", c_size_t),
                ("activities", POINTER(c_uint))]


#: ``cjm_mine_case_fn`` (mine.h).
MineCaseFn = CFUNCTYPE(None, c_void_p, c_char_p, POINTER(c_ulonglong))


class MineConformanceOptions(Structure):
    """``cjm_mine_conformance_options`` (mine.h)."""

    _fields_ = [("version", c_uint), ("mine", POINTER(MineOptions)),
                ("activities", POINTER(c_char_p)), ("touchpoints", POINTER(c_char_p)),
                ("mapping_count", c_size_t), ("on_case", MineCaseFn), ("case_ud", c_void_p)]


# ---- error checks -------------------------------------------------------------

def _text(raw: Optional[bytes]) -> str:
    return raw.decode("utf-8", "replace") if raw else ""


def raise_last(code: int, function: str = "") -> None:
    """Raises the exception for result ``code`` with the thread's last error details."""
    L = lib()
    err = L.cjm_error_last().contents
    if err.code == code:
        message = _text(err.message)
        file, line, column = _text(err.file), err.line, err.column
    else:  # the function failed without recording details
        message = _text(L.cjm_strerror(code))
        file, line, column = "", 0, 0
    raise error_class(code)(message, code, file, line, column, function)


def check(result: int, func: Any, args: Tuple[Any, ...]) -> int:
    """errcheck for functions that return 0 or a negative result code."""
    if result < 0:
        raise_last(result, func.__name__)
    return result


def check_found(result: int, func: Any, args: Tuple[Any, ...]) -> int:
    """errcheck that lets ``CJM_ENOTFOUND`` through as a value (an unset attribute)."""
    if result < 0 and result != CJM_ENOTFOUND:
        raise_last(result, func.__name__)
    return result


def check_iter(result: int, func: Any, args: Tuple[Any, ...]) -> int:
    """errcheck for iterator steps: ``CJM_ITEROVER`` is returned, not raised."""
    if result < 0 and result != CJM_ITEROVER:
        raise_last(result, func.__name__)
    return result


# ---- the table ---------------------------------------------------------------

_p = c_void_p            # any opaque handle: cjm_map *, cjm_journey *, cjm_item *, ...
_pp = POINTER(c_void_p)  # T **out
_s = c_char_p
_i = c_int
_z = c_size_t
_d = c_double
_pi = POINTER(c_int)
_pd = POINTER(c_double)
_pz = POINTER(c_size_t)
_buf = POINTER(Buffer)

#: Every C function the binding calls: (name, argtypes, restype, errcheck).
FUNCTIONS: List[Tuple[str, Sequence[Any], Any, Optional[Callable[..., Any]]]] = [
    # common.h
    ("cjm_strerror", [_i], _s, None),
    ("cjm_buffer_free", [_buf], None, None),
    ("cjm_version", [], _s, None),
    ("cjm_version_numbers", [_pi, _pi, _pi], _i, check),
    # error.h
    ("cjm_error_last", [], POINTER(Error), None),
    ("cjm_error_clear", [], None, None),
    # model.h: names of kinds, attributes and enumerations
    ("cjm_kind_name", [_i], _s, None),
    ("cjm_kind_lookup", [_s, _pi], _i, check_found),
    ("cjm_kind_in_journey", [_i], _i, None),
    ("cjm_kind_has_attr", [_i, _i], _i, None),
    ("cjm_attr_name", [_i], _s, None),
    ("cjm_attr_lookup", [_s, _pi], _i, check_found),
    ("cjm_attr_type", [_i], _i, None),
    ("cjm_enum_name", [_i, _i], _s, None),
    ("cjm_enum_lookup", [_i, _s, _pi], _i, check_found),
    ("cjm_enum_count", [_i], _i, None),
    # model.h: the map
    ("cjm_map_new", [_pp, POINTER(Allocator)], _i, check),
    ("cjm_map_free", [_p], None, None),
    ("cjm_map_title", [_p], _s, None),
    ("cjm_map_set_title", [_p, _s], _i, check),
    ("cjm_map_description", [_p], _s, None),
    ("cjm_map_set_description", [_p, _s], _i, check),
    ("cjm_map_language", [_p], _s, None),
    ("cjm_map_set_language", [_p, _s], _i, check),
    ("cjm_map_add", [_p, _i, _s, _pp], _i, check),
    ("cjm_map_find", [_p, _s], _p, None),
    ("cjm_map_count", [_p, _i], _z, None),
    ("cjm_map_at", [_p, _i, _z], _p, None),
    ("cjm_map_remove", [_p, _p], _i, check),
    ("cjm_map_add_journey", [_p, _s, _pp], _i, check),
    ("cjm_map_journey", [_p, _s], _p, None),
    ("cjm_map_journey_count", [_p], _z, None),
    ("cjm_map_journey_at", [_p, _z], _p, None),
    ("cjm_map_remove_journey", [_p, _p], _i, check),
    # model.h: journeys
    ("cjm_journey_map", [_p], _p, None),
    ("cjm_journey_id", [_p], _s, None),
    ("cjm_journey_label", [_p], _s, None),
    ("cjm_journey_set_label", [_p, _s], _i, check),
    ("cjm_journey_description", [_p], _s, None),
    ("cjm_journey_set_description", [_p, _s], _i, check),
    ("cjm_journey_status", [_p], _i, None),
    ("cjm_journey_set_status", [_p, _i], _i, check),
    ("cjm_journey_follows", [_p], _s, None),
    ("cjm_journey_set_follows", [_p, _s], _i, check),
    ("cjm_journey_persona", [_p], _s, None),
    ("cjm_journey_set_persona", [_p, _s], _i, check),
    ("cjm_journey_add", [_p, _i, _s, _pp], _i, check),
    ("cjm_journey_find", [_p, _s], _p, None),
    ("cjm_journey_count", [_p, _i], _z, None),
    ("cjm_journey_at", [_p, _i, _z], _p, None),
    ("cjm_journey_move", [_p, _p, _z], _i, check),
    ("cjm_journey_remove", [_p, _p], _i, check),
    # model.h: items
    ("cjm_item_kind", [_p], _i, None),
    ("cjm_item_id", [_p], _s, None),
    ("cjm_item_journey", [_p], _p, None),
    ("cjm_item_index", [_p], _z, None),
    ("cjm_item_has", [_p, _i], _i, None),
    ("cjm_item_unset", [_p, _i], _i, check),
    ("cjm_item_text", [_p, _i], _s, None),
    ("cjm_item_set_text", [_p, _i, _s], _i, check),
    ("cjm_item_number", [_p, _i, _pd], _i, check_found),
    ("cjm_item_set_number", [_p, _i, _d], _i, check),
    ("cjm_item_int", [_p, _i, _pi], _i, check_found),
    ("cjm_item_set_int", [_p, _i, _i], _i, check),
    ("cjm_item_list_count", [_p, _i], _z, None),
    ("cjm_item_list_at", [_p, _i, _z], _s, None),
    ("cjm_item_list_contains", [_p, _i, _s], _i, None),
    ("cjm_item_list_add", [_p, _i, _s], _i, check),
    ("cjm_item_list_remove", [_p, _i, _s], _i, check),
    ("cjm_item_kpi_count", [_p], _z, None),
    ("cjm_item_kpi_at", [_p, _z], POINTER(Kpi), None),
    ("cjm_item_kpi_add", [_p, POINTER(Kpi)], _i, check),
    ("cjm_item_kpi_remove", [_p, _z], _i, check),
    ("cjm_item_location", [_p, _pi, _pi], None, None),
    ("cjm_item_set_location", [_p, _i, _i], None, None),
    # model.h: validation
    ("cjm_map_validate", [_p, _pp], _i, check),
    ("cjm_problems_count", [_p], _z, None),
    ("cjm_problems_errors", [_p], _z, None),
    ("cjm_problems_at", [_p, _z], POINTER(Problem), None),
    ("cjm_problems_free", [_p], None, None),
    # xml.h
    ("cjm_xml_read_file", [_pp, _s, POINTER(XmlReadOptions)], _i, check),
    ("cjm_xml_read_memory", [_pp, _p, _z, POINTER(XmlReadOptions)], _i, check),
    ("cjm_xml_read_fd", [_pp, _i, POINTER(XmlReadOptions)], _i, check),
    ("cjm_xml_write_buffer", [_buf, _p, POINTER(XmlWriteOptions)], _i, check),
    ("cjm_xml_write_file", [_p, _s, POINTER(XmlWriteOptions)], _i, check),
    # analysis.h: conformance of single cases
    ("cjm_conformance_new", [_pp, _p, POINTER(ConformanceOptions)], _i, check),
    ("cjm_conformance_free", [_p], None, None),
    ("cjm_conformance_check", [_p, POINTER(c_char_p), _z], _i, check),
    ("cjm_conformance_count", [_p], _z, None),
    ("cjm_conformance_at", [_p, _z], POINTER(CaseDeviation), None),
    ("cjm_conformance_total", [_p, _i], _z, None),
    ("cjm_conformance_touchpoint_total", [_p, _z, _i], _z, None),
    # analysis.h: reach
    ("cjm_reach_compute", [_pp, _p, POINTER(ReachOptions)], _i, check),
    ("cjm_reach_free", [_p], None, None),
    ("cjm_reach_journey", [_p], _p, None),
    ("cjm_reach_touchpoint", [_p, _z], _d, None),
    ("cjm_reach_transition", [_p, _z], _d, None),
    ("cjm_reach_probability", [_p, _z], _d, None),
    ("cjm_reach_ended", [_p, _z], _d, None),
    ("cjm_reach_of", [_p, _s], _d, None),
    ("cjm_reach_entered", [_p], _d, None),
    ("cjm_reach_unquantified", [_p], _z, None),
    ("cjm_reach_normalised", [_p], _z, None),
    ("cjm_reach_iterations", [_p], c_uint, None),
    # analysis.h: channel and structure checks
    ("cjm_check_kind_name", [_i], _s, None),
    ("cjm_checks_run", [_pp, _p, POINTER(ChecksOptions)], _i, check),
    ("cjm_checks_free", [_p], None, None),
    ("cjm_checks_count", [_p], _z, None),
    ("cjm_checks_at", [_p, _z], POINTER(Finding), None),
    ("cjm_checks_total", [_p, _i], _z, None),
    ("cjm_checks_reach_status", [_p], _i, None),
    ("cjm_checks_contact_free", [_p, _pd, _pd], None, None),
    # analysis.h: priority ranking
    ("cjm_rank_compute", [_pp, _p, POINTER(RankOptions)], _i, check),
    ("cjm_ranking_free", [_p], None, None),
    ("cjm_ranking_count", [_p], _z, None),
    ("cjm_ranking_at", [_p, _z], POINTER(Ranked), None),
    # analysis.h: emotion curve
    ("cjm_curve_compute", [_pp, _p, POINTER(c_char_p), _z, POINTER(CurveOptions)], _i, check),
    ("cjm_curve_free", [_p], None, None),
    ("cjm_curve_count", [_p], _z, None),
    ("cjm_curve_at", [_p, _z], POINTER(CurvePoint), None),
    # analysis.h: planned against actual, structural diff
    ("cjm_compare_journeys", [_pp, _p, _p, POINTER(CompareOptions)], _i, check),
    ("cjm_comparison_free", [_p], None, None),
    ("cjm_comparison_count", [_p], _z, None),
    ("cjm_comparison_at", [_p, _z], POINTER(DeviationFound), None),
    ("cjm_comparison_total", [_p, _i], _z, None),
    ("cjm_change_kind_name", [_i], _s, None),
    ("cjm_diff_journeys", [_pp, _p, _p, POINTER(CompareOptions)], _i, check),
    ("cjm_diff_free", [_p], None, None),
    ("cjm_diff_count", [_p], _z, None),
    ("cjm_diff_at", [_p, _z], POINTER(Change), None),
    ("cjm_diff_total", [_p, _i], _z, None),
    # analysis.h: situation view
    ("cjm_situation_view", [_pp, _p, _s, _s], _i, check),
    # mine.h
    ("cjm_mine_counter_name", [_i], _s, None),
    ("cjm_mine_file", [_pp, _s, POINTER(MineOptions), POINTER(Allocator)], _i, check),
    ("cjm_mine_memory", [_pp, _p, _z, _s, POINTER(MineOptions), POINTER(Allocator)], _i,
     check),
    ("cjm_mine_result_free", [_p], None, None),
    ("cjm_mine_merge", [_p, _p], _i, check),
    ("cjm_mine_serialize", [_p, _buf], _i, check),
    ("cjm_mine_deserialize", [_pp, _p, _z, POINTER(Allocator)], _i, check),
    ("cjm_mine_count", [_p, _i], c_ulonglong, None),
    ("cjm_mine_key_count", [_p], _z, None),
    ("cjm_mine_key_at", [_p, _z], _s, None),
    ("cjm_mine_channel_key", [_p], _s, None),
    ("cjm_mine_activity_count", [_p], _z, None),
    ("cjm_mine_activity_at", [_p, _z, POINTER(MineActivity)], _i, check),
    ("cjm_mine_activity_find", [_p, _s, _pz], _i, check_found),
    ("cjm_mine_transition_count", [_p], _z, None),
    ("cjm_mine_transition_at", [_p, _z, POINTER(MineTransition)], _i, check),
    ("cjm_mine_variant_count", [_p], _z, None),
    ("cjm_mine_variant_at", [_p, _z, POINTER(MineVariant)], _i, check),
    ("cjm_mine_to_journey", [_p, _p, _s, _pp], _i, check),
    # mine.h: conformance of a log with a planned journey
    ("cjm_mine_conform_file", [_pp, _s, _p, POINTER(MineConformanceOptions),
                               POINTER(Allocator)], _i, check),
    ("cjm_mine_conform_memory", [_pp, _p, _z, _s, _p, POINTER(MineConformanceOptions),
                                 POINTER(Allocator)], _i, check),
    ("cjm_mine_conformance_free", [_p], None, None),
    ("cjm_mine_conformance_cases", [_p], c_ulonglong, None),
    ("cjm_mine_conformance_fitting", [_p], c_ulonglong, None),
    ("cjm_mine_conformance_skipped", [_p], c_ulonglong, None),
    ("cjm_mine_conformance_total", [_p, _i], c_ulonglong, None),
    ("cjm_mine_conformance_cases_with", [_p, _i], c_ulonglong, None),
    ("cjm_mine_conformance_touchpoint", [_p, _z, _i], c_ulonglong, None),
    ("cjm_mine_conformance_adhoc_count", [_p], _z, None),
    ("cjm_mine_conformance_adhoc_at", [_p, _z, POINTER(c_char_p), POINTER(c_ulonglong)], _i,
     check),
    ("cjm_mine_conformance_result", [_p], _p, None),
    # render.h
    ("cjm_render_format_name", [_i], _s, None),
    ("cjm_render_format_lookup", [_s, _pi], _i, check),
    ("cjm_render", [_p, _i, POINTER(RenderOptions), _buf], _i, check),
    ("cjm_render_file", [_p, _i, POINTER(RenderOptions), _s], _i, check),
    ("cjm_render_mermaid", [_p, POINTER(RenderOptions), _buf], _i, check),
    ("cjm_render_mermaid_file", [_p, POINTER(RenderOptions), _s], _i, check),
]

#: Public C functions the binding deliberately does not call, with the reason.
#: doc/python.md repeats each of them; a test keeps the three lists in step.
OMITTED: Dict[str, str] = {}


# ---- finding and loading the library -----------------------------------------

_lock = threading.Lock()
_loaded: Optional[ctypes.CDLL] = None
_loaded_path: Optional[str] = None


def _source_root() -> Optional[pathlib.Path]:
    """The checkout this package lives in, when it is run from a source tree."""
    root = pathlib.Path(__file__).resolve().parent.parent.parent.parent
    if (root / "include" / "cjm" / "common.h").is_file() and (root / "CMakeLists.txt").is_file():
        return root
    return None


def _sanitized(build_dir: pathlib.Path) -> bool:
    """Whether a CMake build directory was configured with sanitizers.

    Such a library cannot be loaded by an uninstrumented interpreter, so the
    build-tree search passes over it.
    """
    cache = build_dir / "CMakeCache.txt"
    try:
        for line in cache.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("CJM_SANITIZE:"):
                return line.split("=", 1)[1].strip() != ""
    except OSError:
        pass
    return False


def build_tree_candidates() -> List[str]:
    """libcjm.so files in the build directories of the source checkout, newest first."""
    root = _source_root()
    if root is None:
        return []
    found = []
    for pattern in ("build*/libcjm.so.0", "build*/*/libcjm.so.0"):
        for path in root.glob(pattern):
            if path.is_file() and not _sanitized(path.parent):
                found.append(path)
    found.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    return [str(p) for p in found]


def prefix_candidates() -> List[str]:
    """libcjm.so.0 in the library directories of the Python prefix (a venv, /usr/local).

    Installing the C library and this package into the same prefix is enough
    for the package to find the library, even when the dynamic linker does
    not search that prefix.
    """
    import sys
    import sysconfig
    dirs = ["lib", "lib64"]
    multiarch = sysconfig.get_config_var("MULTIARCH")
    if multiarch:
        dirs.append(os.path.join("lib", multiarch))
    seen, out = set(), []
    for prefix in (sys.prefix, sys.base_prefix):
        for d in dirs:
            path = os.path.join(prefix, d, "libcjm.so.0")
            if path not in seen and os.path.isfile(path):
                seen.add(path)
                out.append(path)
    return out


def _compatible(have: Tuple[int, int, int], want: Tuple[int, int, int]) -> bool:
    # Before 1.0 a minor release may change the API; from 1.0 on it only adds.
    if have[0] != want[0]:
        return False
    if want[0] == 0:
        return have[1] == want[1]
    return have[1] >= want[1]


#: Modules whose functions must all be present for the library to load at
#: all; a function of another module that the library lacks is replaced by
#: a stub that raises :class:`~cjm.LibraryError` when called.
_CORE_PREFIXES = ("cjm_strerror", "cjm_buffer_", "cjm_version", "cjm_error_", "cjm_kind_",
                  "cjm_attr_", "cjm_enum_", "cjm_map_", "cjm_journey_", "cjm_item_",
                  "cjm_problems_")

#: Functions of the table the loaded library does not have.
MISSING: List[str] = []


def _stub(name: str, path: str) -> Callable[..., Any]:
    def missing(*args: Any) -> Any:
        raise LibraryError(f"libcjm at {path} has no {name}(): it is older than this binding "
                           "or was built without that part")
    missing.__name__ = name
    return missing


def _bind(dll: ctypes.CDLL, path: str) -> None:
    missing = []
    for name, argtypes, restype, errcheck in FUNCTIONS:
        try:
            fn = getattr(dll, name)
        except AttributeError:
            missing.append(name)
            continue
        fn.argtypes = list(argtypes)
        fn.restype = restype
        if errcheck is not None:
            fn.errcheck = errcheck
    major, minor, patch = c_int(), c_int(), c_int()
    if "cjm_version_numbers" in missing:
        raise LibraryError(f"{path} is not libcjm: it has no cjm_version_numbers()")
    dll.cjm_version_numbers(ctypes.byref(major), ctypes.byref(minor), ctypes.byref(patch))
    have = (major.value, minor.value, patch.value)
    if not _compatible(have, BINDING_VERSION):
        raise LibraryError(
            "libcjm %d.%d.%d at %s does not match this binding, written for %d.%d.x"
            % (have + (path,) + BINDING_VERSION[:2]))
    core = [n for n in missing if n.startswith(_CORE_PREFIXES)]
    if core:
        raise LibraryError(f"libcjm at {path} lacks functions the binding needs: "
                           + ", ".join(core))
    for name in missing:
        setattr(dll, name, _stub(name, path))
    MISSING[:] = missing


def _real_path(dll: ctypes.CDLL, fallback: str) -> str:
    """The file a loaded library came from, found through dladdr()."""

    class DlInfo(Structure):
        _fields_ = [("dli_fname", c_char_p), ("dli_fbase", c_void_p),
                    ("dli_sname", c_char_p), ("dli_saddr", c_void_p)]

    try:
        libc = ctypes.CDLL(None)
        dladdr = libc.dladdr
        dladdr.argtypes = [c_void_p, POINTER(DlInfo)]
        dladdr.restype = c_int
        info = DlInfo()
        addr = ctypes.cast(dll.cjm_version, c_void_p).value
        if dladdr(addr, ctypes.byref(info)) and info.dli_fname:
            return os.path.realpath(info.dli_fname.decode())
    except (AttributeError, OSError):
        pass
    return fallback


def load_library(path: Optional[str] = None) -> str:
    """Loads libcjm and returns the path of the file loaded.

    The library is looked for, in order: ``path`` when given; the file named
    by the environment variable ``CJM_LIBRARY``; ``libcjm.so.0`` in a
    ``build*`` directory of the source checkout this package lives in
    (newest first, sanitizer builds skipped); ``libcjm.so.0`` in the library
    directory of the Python prefix (``sys.prefix/lib``: a venv or
    ``/usr/local`` holding both); and finally the installed library, as
    ``ctypes.util.find_library("cjm")`` and the dynamic linker find it. An explicit path or ``CJM_LIBRARY`` that cannot be loaded is an
    error, not a reason to look elsewhere.

    Calling it again returns the library already loaded; asking then for a
    different file raises :class:`~cjm.LibraryError`.

    Raises:
        LibraryError: nothing found, a file that is not a loadable libcjm, a
            version that does not match :data:`BINDING_VERSION`, or missing
            functions.
    """
    global _loaded, _loaded_path
    with _lock:
        if _loaded is not None:
            if path is not None and os.path.realpath(path) != _loaded_path:
                raise LibraryError(f"libcjm is already loaded from {_loaded_path}; "
                                   f"cannot switch to {path}")
            assert _loaded_path is not None
            return _loaded_path
        explicit = path if path is not None else os.environ.get("CJM_LIBRARY") or None
        if explicit is not None:
            candidates = [explicit]
        else:
            candidates = build_tree_candidates() + prefix_candidates()
            found = ctypes.util.find_library("cjm")
            if found:
                candidates.append(found)
            candidates.append("libcjm.so.0")
        errors = []
        for candidate in candidates:
            try:
                dll = ctypes.CDLL(candidate)
            except OSError as exc:
                errors.append(f"{candidate}: {exc}")
                continue
            real = _real_path(dll, candidate)
            _bind(dll, real)
            _loaded, _loaded_path = dll, real
            return real
        source = ("the path given" if path is not None else
                  "CJM_LIBRARY" if explicit is not None else
                  "the build tree and the installed libraries")
        raise LibraryError(f"cannot load libcjm from {source}; tried:\n  "
                           + "\n  ".join(errors) +
                           "\nSet CJM_LIBRARY to the path of libcjm.so, or call "
                           "cjm.load_library(path).")


def lib() -> ctypes.CDLL:
    """The loaded library, loading it on first use."""
    if _loaded is None:
        load_library()
    assert _loaded is not None
    return _loaded


def library_path() -> str:
    """The path of the loaded library file (loading it if needed)."""
    lib()
    assert _loaded_path is not None
    return _loaded_path


def text(raw: Optional[bytes]) -> Optional[str]:
    """Decodes a borrowed C string (NULL gives None)."""
    return None if raw is None else raw.decode("utf-8", "surrogateescape")


def encode(value: Optional[str], what: str = "text") -> Optional[bytes]:
    """Encodes text for the C library; None stays NULL.

    Raises:
        TypeError: when ``value`` is neither str nor bytes.
        ValueError: when it holds a NUL character, which C would silently cut at.
    """
    if value is None:
        return None
    if isinstance(value, str):
        data = value.encode("utf-8", "surrogateescape")
    elif isinstance(value, (bytes, bytearray)):
        data = bytes(value)
    else:
        raise TypeError(f"{what} must be str, not {type(value).__name__}")
    if b"\0" in data:
        raise ValueError(f"{what} must not contain NUL characters")
    return data

