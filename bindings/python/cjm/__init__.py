"""Python bindings for cjm, the customer journey mapping library.

The C library ``libcjm`` is loaded through ctypes on first use; see
:func:`load_library` for where it is looked for.

>>> import cjm
>>> with cjm.JourneyMap("Orders") as m:
...     j = m.add_journey("order", label="Ordering")
...     s = j.add_stage("buy")
...     t = j.add_touchpoint("visit", label="Visit the shop", stage=s)
...     t.perceived = 4
...     print(j.touchpoints[0].label)
Visit the shop
"""
from __future__ import annotations

from ._errors import (AlreadyExistsError, CjmError, CjmIOError, InvalidArgumentError,
                      InvalidError, LibraryError, LimitExceededError, NoMemoryError,
                      NotFoundError, ParseError, StaleObjectError, UnsupportedError)
from ._lib import BINDING_VERSION, library_path, load_library
from .enums import (ChannelKind, Complexity, Deviation, Dimension, Factor, GapKind, Kind, Need,
                    Role, Severity, Status, Value)
from . import analysis, render
from .analysis import (Checks, Comparison, Conformance, CurvePoint, Diff, Finding, Ranked,
                       Reach)
from .mining import LogConformance, MineResult, conform, merge, mine
from .model import (Actor, Channel, Gap, IdList, Item, ItemList, Journey, JourneyList,
                    JourneyMap, Kpi, KpiList, Opportunity, PainPoint, Persona, Problem,
                    Situation, Stage, Touchpoint, Transition, attribute_names)

__version__ = "%d.%d.%d" % BINDING_VERSION


def version() -> str:
    """The loaded C library's version string, such as "0.1.0"."""
    from ._lib import lib
    return (lib().cjm_version() or b"").decode()


__all__ = [
    "AlreadyExistsError", "CjmError", "CjmIOError", "InvalidArgumentError", "InvalidError",
    "LibraryError", "LimitExceededError", "NoMemoryError", "NotFoundError", "ParseError",
    "StaleObjectError", "UnsupportedError", "BINDING_VERSION", "library_path", "load_library",
    "ChannelKind", "Complexity", "Deviation", "Dimension", "Factor", "GapKind", "Kind", "Need",
    "Role", "Severity", "Status", "Value", "Actor", "Channel", "Gap", "IdList", "Item",
    "ItemList", "Journey", "JourneyList", "JourneyMap", "Kpi", "KpiList", "Opportunity",
    "PainPoint", "Persona", "Problem", "Situation", "Stage", "Touchpoint", "Transition",
    "attribute_names", "version", "analysis", "render", "Checks", "Comparison",
    "Conformance", "CurvePoint", "Diff", "Finding", "Ranked", "Reach", "MineResult", "merge",
    "mine", "conform", "LogConformance",
]
