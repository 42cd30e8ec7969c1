"""Enumerations of the journey model.

Each member's value is the name the library gives it (``cjm_enum_name()``,
the same text as in journey XML), so a member compares equal to that text:
``ChannelKind.SELF_SERVICE == "self-service"``. The binding never relies on
the C integers: it converts through the library's name tables, and a test
checks that every enumeration here has exactly the library's names.
"""
from __future__ import annotations

import enum


class _Named(str, enum.Enum):
    """A member whose value is the library's name for it."""

    def __str__(self) -> str:
        return str(self.value)


class Kind(_Named):
    """The kinds of item (``cjm_kind``)."""

    ACTOR = "actor"
    CHANNEL = "channel"
    PERSONA = "persona"
    SITUATION = "situation"
    STAGE = "stage"
    TOUCHPOINT = "touchpoint"
    TRANSITION = "transition"
    PAINPOINT = "painpoint"
    GAP = "gap"
    OPPORTUNITY = "opportunity"


class Role(_Named):
    """Actor roles (attribute ``role``)."""

    CUSTOMER = "customer"
    FRONTSTAGE = "frontstage"
    BACKSTAGE = "backstage"
    PARTNER = "partner"
    SYSTEM = "system"


class ChannelKind(_Named):
    """Channel kinds (attribute ``kind`` of a channel)."""

    SELF_SERVICE = "self-service"
    ASSISTED = "assisted"
    HUMAN = "human"
    PHYSICAL = "physical"


class Complexity(_Named):
    """Complexity of the matter at a touchpoint."""

    SIMPLE = "simple"
    COMPLEX = "complex"


class Value(_Named):
    """Value of a contact to the customer."""

    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Need(_Named):
    """Emotional needs at stake."""

    SAFETY = "safety"
    SECURITY = "security"
    CERTAINTY = "certainty"
    TRUST = "trust"


class GapKind(_Named):
    """Kinds of gap."""

    EXPERIENCE = "experience"
    DEVIATION = "deviation"


class Dimension(_Named):
    """Quality dimensions of an experience gap."""

    SPEED = "speed"
    RELIABILITY = "reliability"
    CARE = "care"


class Deviation(_Named):
    """Deviations of an actual journey from the planned one."""

    MISSING = "missing"
    FAILING = "failing"
    ADHOC = "ad-hoc"
    IRREGULAR = "irregular"


class Factor(_Named):
    """Conversion factors an opportunity serves."""

    OFFER = "offer"
    TIMING = "timing"
    RELEVANCE = "relevance"


class Status(_Named):
    """Whether a journey is the designed one or the one that happened."""

    PLANNED = "planned"
    ACTUAL = "actual"


class Severity(_Named):
    """Severity of a validation problem."""

    WARNING = "warning"
    ERROR = "error"


#: The enumeration of each enumerated attribute, by the attribute's name.
#: Flags (``contact-free``, ``moment-of-truth``, ``exit``) are plain bools.
ATTRIBUTE_ENUMS = {
    "role": Role,
    "kind": ChannelKind,
    "complexity": Complexity,
    "value": Value,
    "need": Need,
    "gap-kind": GapKind,
    "dimension": Dimension,
    "deviation": Deviation,
    "factor": Factor,
}
