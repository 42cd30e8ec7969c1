"""Drawing journeys: Graphviz DOT, SVG, PNG and PDF, and Mermaid ``journey`` text.

Use :meth:`cjm.JourneyMap.render` and :meth:`cjm.Journey.render`; this
module holds what they share. The C library takes a process-wide lock
around every Graphviz call, so rendering from several threads is safe.
"""
from __future__ import annotations

import os
from ctypes import byref, c_int
from typing import TYPE_CHECKING, Iterable, Optional, Union

from . import _lib
from ._errors import InvalidArgumentError
from ._lib import RenderOptions, encode, lib

if TYPE_CHECKING:  # pragma: no cover
    from .model import JourneyMap

#: The formats :func:`render` accepts: Graphviz's four and Mermaid text.
FORMATS = ("dot", "svg", "png", "pdf", "mermaid")

_ANNOTATIONS = {"none": 0, "pain": 1, "gaps": 2, "all": 3}
_DIRECTIONS = {"LR": 0, "TB": 1}
_OPTIONS_VERSION = 1


Annotations = Union[str, Iterable[str]]


def _options(journey: Optional[str], situation: Optional[str], annotations: Annotations,
             direction: str, legend: bool) -> RenderOptions:
    if isinstance(annotations, str):
        names = [annotations]
    else:
        names = list(annotations)
    bits = 0
    for name in names:
        if name not in _ANNOTATIONS:
            raise InvalidArgumentError(f"{name!r} is not an annotation; use one of "
                                       f"{sorted(_ANNOTATIONS)}")
        bits |= _ANNOTATIONS[name]
    if direction not in _DIRECTIONS:
        raise InvalidArgumentError(f"{direction!r} is not a direction; use 'LR' or 'TB'")
    return RenderOptions(_OPTIONS_VERSION, encode(journey, "journey"),
                         encode(situation, "situation"), bits, _DIRECTIONS[direction],
                         1 if legend else 0, None)


def _format(fmt: str) -> Optional[int]:
    """The C format number, or None for Mermaid."""
    if not isinstance(fmt, str):
        raise TypeError("the format is a name such as 'svg'")
    if fmt.lower() in ("mermaid", "mmd"):
        return None
    out = c_int()
    lib().cjm_render_format_lookup(encode(fmt, "format"), byref(out))
    return out.value


def render(m: "JourneyMap", fmt: str = "svg", path: Union[str, "os.PathLike[str]", None] = None,
           *, journey: Optional[str] = None, situation: Optional[str] = None,
           annotations: Annotations = "all", direction: str = "LR",
           legend: bool = True) -> Optional[bytes]:
    """Draws one journey of ``m``; see :meth:`cjm.JourneyMap.render`."""
    code = _format(fmt)
    opts = _options(journey, situation, annotations, direction, legend)
    L = lib()
    with m._lock:
        p = m._p()
        if path is not None:
            target = encode(os.fsdecode(path), "path")
            if code is None:
                L.cjm_render_mermaid_file(p, byref(opts), target)
            else:
                L.cjm_render_file(p, code, byref(opts), target)
            return None
        buf = _lib.Buffer()
        if code is None:
            L.cjm_render_mermaid(p, byref(opts), byref(buf))
        else:
            L.cjm_render(p, code, byref(opts), byref(buf))
    return buf.take()
