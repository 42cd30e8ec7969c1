"""Journey maps, journeys and their items, over libcjm's model.

Lifetimes follow the C library's rules, made safe for Python:

* a :class:`JourneyMap` owns its C map and frees it in :meth:`JourneyMap.close`
  (or when collected, or at the end of a ``with`` block);
* every :class:`Journey` and :class:`Item` holds a reference to its map, so
  the map lives as long as any of its children is reachable;
* the map keeps a registry of the live Python objects that stand for its
  journeys and items. Removing something in C (with what goes with it,
  such as the transitions of a removed touchpoint) and closing the map
  mark the affected objects stale; using a stale object raises
  :class:`~cjm.StaleObjectError` instead of touching freed memory;
* one C object is represented by at most one Python object at a time, so
  ``is`` and ``==`` work as expected.

A map and everything in it may be used from several Python threads: each
map has a lock held around every call into the library that touches it.
"""
from __future__ import annotations

import math
import os
import threading
import weakref
from ctypes import byref, c_double, c_int, c_void_p
from dataclasses import dataclass
from typing import (TYPE_CHECKING, Any, Callable, ClassVar, Dict, Generic, Iterable, Iterator,
                    List, Optional, Tuple, Type, TypeVar, Union, overload)

from . import _lib
from ._errors import InvalidArgumentError, StaleObjectError
from ._lib import encode, lib, text
from .enums import (ATTRIBUTE_ENUMS, ChannelKind, Complexity, Deviation, Dimension, Factor,
                    GapKind, Kind, Need, Role, Severity, Status, Value)

if TYPE_CHECKING:  # pragma: no cover
    from . import analysis, mining

__all__ = ["JourneyMap", "Journey", "Item", "Actor", "Channel", "Persona", "Situation",
           "Stage", "Touchpoint", "Transition", "PainPoint", "Gap", "Opportunity", "Kpi",
           "Problem", "IdList", "KpiList", "ItemList", "JourneyList", "attribute_names"]

# cjm_type (model.h) has no name table; these are its values.
_TYPE_TEXT, _TYPE_REF, _TYPE_NUMBER, _TYPE_INT, _TYPE_LIST = 0, 1, 2, 3, 4
# cjm_status and cjm_severity have no name tables either.
_STATUS = {Status.PLANNED: 0, Status.ACTUAL: 1}
_SEVERITY = {0: Severity.WARNING, 1: Severity.ERROR}


# ---- the library's name tables, read once ------------------------------------

class _AttrInfo:
    __slots__ = ("name", "id", "type", "enum", "flag")

    def __init__(self, name: str, ident: int, typ: int, enum: Optional[type], flag: bool):
        self.name, self.id, self.type, self.enum, self.flag = name, ident, typ, enum, flag


_tables_lock = threading.Lock()
_attrs: Dict[str, _AttrInfo] = {}
_kind_ids: Dict[Kind, int] = {}
_kinds_by_id: Dict[int, Kind] = {}


def _load_tables() -> None:
    with _tables_lock:
        if _attrs:
            return
        L = lib()
        kinds: Dict[Kind, int] = {}
        for kind in Kind:
            out = c_int()
            if L.cjm_kind_lookup(kind.value.encode(), byref(out)) == 0:
                kinds[kind] = out.value
        attrs: Dict[str, _AttrInfo] = {}
        ident = 0
        while True:
            raw = L.cjm_attr_name(ident)
            if raw is None:
                break
            name = raw.decode()
            typ = L.cjm_attr_type(ident)
            flag = (typ == _TYPE_INT and L.cjm_enum_count(ident) == 2
                    and L.cjm_enum_name(ident, 0) == b"false"
                    and L.cjm_enum_name(ident, 1) == b"true")
            attrs[name] = _AttrInfo(name, ident, typ, ATTRIBUTE_ENUMS.get(name), flag)
            ident += 1
        _kind_ids.update(kinds)
        _kinds_by_id.update({v: k for k, v in kinds.items()})
        _attrs.update(attrs)


def _attr(name: str) -> _AttrInfo:
    if not _attrs:
        _load_tables()
    try:
        return _attrs[name]
    except KeyError:
        raise KeyError(f"no attribute is called {name!r}") from None


def _kind_id(kind: Union[Kind, str]) -> int:
    if not _kind_ids:
        _load_tables()
    try:
        return _kind_ids[Kind(kind)]
    except ValueError:
        raise ValueError(f"no kind of item is called {kind!r}") from None


def _kind_of(ident: int) -> Kind:
    if not _kinds_by_id:
        _load_tables()
    return _kinds_by_id[ident]


def attribute_names(kind: Union[Kind, str]) -> List[str]:
    """The names of the attributes items of ``kind`` have, in the library's order."""
    k = _kind_id(kind)
    L = lib()
    _attr("label")
    return [a.name for a in _attrs.values() if L.cjm_kind_has_attr(k, a.id)]


def _ref_id(value: Any, what: str) -> Optional[bytes]:
    """An id given as text or as the item (or journey) it names."""
    if isinstance(value, (Item, Journey)):
        return encode(value.id, what)
    return encode(value, what)


# ---- plain data -----------------------------------------------------------

@dataclass(frozen=True)
class Kpi:
    """One KPI measurement at a touchpoint (a copy; changing it changes nothing)."""

    name: str
    """"CSAT", "NPS", "CES", "response-time", ..."""
    value: float
    """The measured value."""
    target: Optional[float] = None
    """The target, or None when there is none."""
    date: Optional[str] = None
    """An ISO 8601 date or date-time, or None."""


@dataclass(frozen=True)
class Problem:
    """One problem found by :meth:`JourneyMap.validate`."""

    severity: Severity
    """Error or warning."""
    code: str
    """A stable, machine-readable tag such as "dangling-ref"."""
    message: str
    """One sentence naming the item and what is wrong."""
    journey: Optional[str]
    """The journey's id, or None for the map's definitions."""
    item: Optional[str]
    """The item's id, or None."""
    line: int
    """Where the item was read from, or 0."""
    column: int
    """Likewise."""


# ---- attribute descriptors --------------------------------------------------

T = TypeVar("T")


class _Attr(Generic[T]):
    """A typed property for one attribute of the library's table.

    The attribute's id, type and values come from the library by name; the
    property reads None when the attribute is unset, and assigning None (or
    ``del``) unsets it.
    """

    def __init__(self, cname: str, doc: str = "") -> None:
        self.cname = cname
        self.__doc__ = doc or f"The ``{cname}`` attribute."

    def __set_name__(self, owner: type, name: str) -> None:
        self.pyname = name

    @overload
    def __get__(self, obj: None, owner: Optional[type] = None) -> "_Attr[T]": ...

    @overload
    def __get__(self, obj: "Item", owner: Optional[type] = None) -> Optional[T]: ...

    def __get__(self, obj: Optional["Item"], owner: Optional[type] = None) -> Any:
        if obj is None:
            return self
        return obj.get(self.cname)

    def __set__(self, obj: "Item", value: Any) -> None:
        obj.set(self.cname, value)

    def __delete__(self, obj: "Item") -> None:
        obj.unset(self.cname)


class _ListAttr(_Attr["IdList"]):
    """A list-of-ids attribute: reads as a live :class:`IdList`, assigns from any iterable."""

    def __get__(self, obj: Any, owner: Optional[type] = None) -> Any:
        if obj is None:
            return self
        return obj.get(self.cname)


# ---- views --------------------------------------------------------------------

class IdList:
    """A live view of a list-of-ids attribute (``situations``, ``links``).

    Behaves as an ordered set of ids: ``len``, iteration, ``in``, indexing,
    :meth:`add`, :meth:`remove`, :meth:`discard`, :meth:`clear`. Compares
    equal to a list or tuple with the same ids in the same order.
    """

    __slots__ = ("_item", "_attr")

    def __init__(self, item: "Item", attr: int) -> None:
        self._item = item
        self._attr = attr

    def __len__(self) -> int:
        item = self._item
        with item._map._lock:
            return lib().cjm_item_list_count(item._p(), self._attr)

    def __getitem__(self, index: int) -> str:
        item = self._item
        with item._map._lock:
            n = lib().cjm_item_list_count(item._p(), self._attr)
            if index < 0:
                index += n
            if not 0 <= index < n:
                raise IndexError("list index out of range")
            return text(lib().cjm_item_list_at(item._p(), self._attr, index)) or ""

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_list())

    def __contains__(self, ident: object) -> bool:
        if not isinstance(ident, (str, Item)):
            return False
        item = self._item
        with item._map._lock:
            return bool(lib().cjm_item_list_contains(item._p(), self._attr,
                                                     _ref_id(ident, "id")))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, IdList):
            return self.to_list() == other.to_list()
        if isinstance(other, (list, tuple)):
            return self.to_list() == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"IdList({self.to_list()!r})"

    def to_list(self) -> List[str]:
        """The ids, in order, as a plain list."""
        item = self._item
        L = lib()
        with item._map._lock:
            p = item._p()
            n = L.cjm_item_list_count(p, self._attr)
            return [text(L.cjm_item_list_at(p, self._attr, i)) or "" for i in range(n)]

    def add(self, ident: Union[str, "Item"]) -> None:
        """Appends an id (an id already present is left where it is)."""
        item = self._item
        with item._map._lock:
            item._map._gen += 1
            lib().cjm_item_list_add(item._p(), self._attr, _ref_id(ident, "id"))

    def remove(self, ident: Union[str, "Item"]) -> None:
        """Removes an id. Raises :class:`~cjm.NotFoundError` when it is absent."""
        item = self._item
        with item._map._lock:
            item._map._gen += 1
            lib().cjm_item_list_remove(item._p(), self._attr, _ref_id(ident, "id"))

    def discard(self, ident: Union[str, "Item"]) -> None:
        """Removes an id if present."""
        if ident in self:
            self.remove(ident)

    def clear(self) -> None:
        """Removes every id."""
        item = self._item
        with item._map._lock:
            item._map._gen += 1
            lib().cjm_item_unset(item._p(), self._attr)


class KpiList:
    """A live view of a touchpoint's KPI measurements, in insertion order."""

    __slots__ = ("_item",)

    def __init__(self, item: "Touchpoint") -> None:
        self._item = item

    def __len__(self) -> int:
        item = self._item
        with item._map._lock:
            return lib().cjm_item_kpi_count(item._p())

    def _at(self, p: int, index: int) -> Kpi:
        k = lib().cjm_item_kpi_at(p, index).contents
        return Kpi(text(k.name) or "", k.value, None if math.isnan(k.target) else k.target,
                   text(k.date))

    def __getitem__(self, index: int) -> Kpi:
        item = self._item
        with item._map._lock:
            p = item._p()
            n = lib().cjm_item_kpi_count(p)
            if index < 0:
                index += n
            if not 0 <= index < n:
                raise IndexError("KPI index out of range")
            return self._at(p, index)

    def __delitem__(self, index: int) -> None:
        item = self._item
        with item._map._lock:
            p = item._p()
            n = lib().cjm_item_kpi_count(p)
            if index < 0:
                index += n
            if not 0 <= index < n:
                raise IndexError("KPI index out of range")
            item._map._gen += 1
            lib().cjm_item_kpi_remove(p, index)

    def __iter__(self) -> Iterator[Kpi]:
        return iter(self.to_list())

    def __repr__(self) -> str:
        return f"KpiList({self.to_list()!r})"

    def to_list(self) -> List[Kpi]:
        """Copies of every measurement."""
        item = self._item
        with item._map._lock:
            p = item._p()
            return [self._at(p, i) for i in range(lib().cjm_item_kpi_count(p))]

    def add(self, name: Union[str, Kpi], value: Optional[float] = None,
            target: Optional[float] = None, date: Optional[str] = None) -> Kpi:
        """Appends a measurement, given as a :class:`Kpi` or as its fields.

        Raises:
            InvalidArgumentError: an empty name, a value that is not finite,
                an infinite target, a date that is not ISO 8601.
        """
        if isinstance(name, Kpi):
            kpi = name
        else:
            if value is None:
                raise TypeError("a KPI needs a value")
            kpi = Kpi(name, float(value), None if target is None else float(target), date)
        c = _lib.Kpi(encode(kpi.name, "KPI name"), float(kpi.value),
                     math.nan if kpi.target is None else float(kpi.target),
                     encode(kpi.date, "KPI date"))
        item = self._item
        with item._map._lock:
            item._map._gen += 1
            lib().cjm_item_kpi_add(item._p(), byref(c))
        return kpi

    append = add

    def series(self, name: str) -> List[Kpi]:
        """The measurements called ``name``, in insertion order."""
        return [k for k in self.to_list() if k.name == name]


I = TypeVar("I", bound="Item")


class ItemList(Generic[I]):
    """The items of one kind in a journey or a map: a live, ordered view.

    Index by position or by id; iterate (over a snapshot, so removing while
    iterating is safe); :meth:`add`, :meth:`remove`, :meth:`move`.
    """

    __slots__ = ("_owner", "_kind")

    def __init__(self, owner: Union["Journey", "JourneyMap"], kind: Kind) -> None:
        self._owner = owner
        self._kind = kind

    def _count(self, L: Any, p: int, k: int) -> int:
        if isinstance(self._owner, Journey):
            return L.cjm_journey_count(p, k)
        return L.cjm_map_count(p, k)

    def _get(self, L: Any, p: int, k: int, i: int) -> Optional[int]:
        if isinstance(self._owner, Journey):
            return L.cjm_journey_at(p, k, i)
        return L.cjm_map_at(p, k, i)

    def __len__(self) -> int:
        m = self._owner._map_obj()
        with m._lock:
            return self._count(lib(), self._owner._p(), _kind_id(self._kind))

    def __getitem__(self, key: Union[int, str]) -> I:
        if isinstance(key, str):
            found = self.get(key)
            if found is None:
                raise KeyError(key)
            return found
        if not isinstance(key, int):
            raise TypeError("index by position (int) or by id (str)")
        m = self._owner._map_obj()
        L = lib()
        with m._lock:
            p, k = self._owner._p(), _kind_id(self._kind)
            n = self._count(L, p, k)
            if key < 0:
                key += n
            if not 0 <= key < n:
                raise IndexError(f"{self._kind.value} index out of range")
            return m._wrap_item(self._get(L, p, k, key))  # type: ignore[return-value]

    def __iter__(self) -> Iterator[I]:
        return iter(self.to_list())

    def __contains__(self, obj: object) -> bool:
        if isinstance(obj, str):
            return self.get(obj) is not None
        if isinstance(obj, Item):
            return obj.alive and obj.kind == self._kind and obj._owner_obj() is self._owner
        return False

    def __repr__(self) -> str:
        return f"<{self._kind.value} list of {len(self)}>"

    def to_list(self) -> List[I]:
        """The items, in order, as a plain list."""
        m = self._owner._map_obj()
        L = lib()
        with m._lock:
            p, k = self._owner._p(), _kind_id(self._kind)
            return [m._wrap_item(self._get(L, p, k, i))  # type: ignore[misc]
                    for i in range(self._count(L, p, k))]

    def ids(self) -> List[str]:
        """The ids, in order."""
        return [i.id for i in self.to_list()]

    def get(self, ident: str, default: Optional[I] = None) -> Optional[I]:
        """The item of this kind with id ``ident``, or ``default``."""
        item = self._owner.find(ident)
        if item is None or item.kind != self._kind:
            return default
        return item  # type: ignore[return-value]

    def add(self, id: Optional[str] = None, **attributes: Any) -> I:
        """Adds an item at the end and sets its attributes (by property name).

        When ``id`` is None the library makes one up. If an attribute is
        rejected the item is removed again, so nothing is half-added.

        Raises:
            AlreadyExistsError: the id is taken.
            InvalidArgumentError: a bad id or attribute value.
        """
        return self._owner.add(self._kind, id, **attributes)  # type: ignore[return-value]

    def remove(self, item: Union[str, "Item"]) -> None:
        """Removes an item (given as the object or its id), with what depends on it."""
        if isinstance(item, str):
            item = self[item]
        if item.kind != self._kind:
            raise InvalidArgumentError(f"{item!r} is not a {self._kind.value}")
        self._owner.remove(item)

    def move(self, item: Union[str, "Item"], index: int) -> None:
        """Moves an item to position ``index`` among its kind (journey items only)."""
        if not isinstance(self._owner, Journey):
            raise TypeError("only the items of a journey have an order to change")
        if isinstance(item, str):
            item = self[item]
        self._owner.move(item, index)


# ---- items ----------------------------------------------------------------------

_Ref = Union[str, "Item", None]


class Item:
    """An item with an id in a journey map: the base of every kind.

    Attributes are properties (``touchpoint.label``, ``gap.severity``), also
    reachable by the library's names: ``item["moment-of-truth"]``. Unset
    attributes read as None; assigning None or ``del`` unsets them.
    Reference attributes read as ids and accept an id or the item itself.
    """

    __slots__ = ("_map", "_ptr", "_jptr", "_id", "__weakref__")

    kind: ClassVar[Kind]
    label = _Attr[str]("label", "A short display name.")
    description = _Attr[str]("description", "Longer prose.")

    def __init__(self) -> None:
        raise TypeError("items are made by their journey or map: journey.touchpoints.add(...)")

    @classmethod
    def _make(cls: Type[I], m: "JourneyMap", ptr: int, jptr: Optional[int]) -> I:
        obj = object.__new__(cls)
        obj._map = m
        obj._ptr = ptr
        obj._jptr = jptr
        obj._id = text(lib().cjm_item_id(ptr)) or ""
        return obj

    def _p(self) -> int:
        p = self._ptr
        if p is None:
            raise StaleObjectError(f"{self.kind.value} {self._id!r} was removed "
                                   "or its map was closed")
        return p

    def _map_obj(self) -> "JourneyMap":
        return self._map

    def _owner_obj(self) -> Union["Journey", "JourneyMap"]:
        if self._jptr is None:
            return self._map
        return self._map._wrap_journey(self._jptr)

    @property
    def alive(self) -> bool:
        """False once the item was removed or its map closed."""
        return self._ptr is not None

    @property
    def id(self) -> str:
        """The item's id, unique in its journey (or, for definitions, in its map)."""
        return self._id

    @property
    def map(self) -> "JourneyMap":
        """The map the item belongs to."""
        self._p()
        return self._map

    @property
    def journey(self) -> Optional["Journey"]:
        """The journey holding the item; None for the map's definitions."""
        with self._map._lock:
            self._p()
            return None if self._jptr is None else self._map._wrap_journey(self._jptr)

    @property
    def index(self) -> int:
        """The item's position among the items of its kind."""
        with self._map._lock:
            return lib().cjm_item_index(self._p())

    @property
    def location(self) -> Tuple[int, int]:
        """``(line, column)`` where a reader found the item, or ``(0, 0)``."""
        line, col = c_int(), c_int()
        with self._map._lock:
            lib().cjm_item_location(self._p(), byref(line), byref(col))
        return line.value, col.value

    @location.setter
    def location(self, where: Tuple[int, int]) -> None:
        line, col = where
        with self._map._lock:
            self._map._gen += 1
            lib().cjm_item_set_location(self._p(), int(line), int(col))

    def __repr__(self) -> str:
        state = "" if self._ptr is not None else " (stale)"
        return f"<{type(self).__name__} {self._id!r}{state}>"

    def __reduce__(self) -> Any:
        raise TypeError("items belong to their map: pickle the JourneyMap instead")

    def __copy__(self) -> "Item":
        return self

    def __deepcopy__(self, memo: Dict[int, Any]) -> "Item":
        raise TypeError("items belong to their map: copy the JourneyMap instead")

    # -- generic attribute access by the library's names

    def attribute_names(self) -> List[str]:
        """The names of the attributes this kind of item has."""
        return attribute_names(self.kind)

    def has(self, name: str) -> bool:
        """Whether attribute ``name`` is set."""
        a = _attr(name)
        with self._map._lock:
            return bool(lib().cjm_item_has(self._p(), a.id))

    def get(self, name: str) -> Any:
        """The value of attribute ``name`` (library name, e.g. ``"root-cause"``), or None."""
        a = _attr(name)
        L = lib()
        with self._map._lock:
            p = self._p()
            if not L.cjm_kind_has_attr(_kind_id(self.kind), a.id):
                raise AttributeError(f"a {self.kind.value} has no attribute {name!r}")
            if a.type in (_TYPE_TEXT, _TYPE_REF):
                return text(L.cjm_item_text(p, a.id))
            if a.type == _TYPE_NUMBER:
                d = c_double()
                return d.value if L.cjm_item_number(p, a.id, byref(d)) == 0 else None
            if a.type == _TYPE_INT:
                v = c_int()
                if L.cjm_item_int(p, a.id, byref(v)) != 0:
                    return None
                if a.flag:
                    return bool(v.value)
                vname = text(L.cjm_enum_name(a.id, v.value))
                if a.enum is not None and vname is not None:
                    return a.enum(vname)
                return vname
            return IdList(self, a.id)

    def set(self, name: str, value: Any) -> None:
        """Sets attribute ``name`` (library name); None unsets it.

        Raises:
            InvalidArgumentError: the value is rejected (wrong type for the
                attribute, bad UTF-8 or control characters, NaN, a name that
                is not one of an enumeration's values).
            AttributeError: this kind has no such attribute.
        """
        a = _attr(name)
        L = lib()
        if value is None:
            self.unset(name)
            return
        with self._map._lock:
            p = self._p()
            if not L.cjm_kind_has_attr(_kind_id(self.kind), a.id):
                raise AttributeError(f"a {self.kind.value} has no attribute {name!r}")
            if a.type in (_TYPE_TEXT, _TYPE_REF):
                if a.type == _TYPE_TEXT and not isinstance(value, str):
                    raise TypeError(f"{name} must be text, not {type(value).__name__}")
                self._map._gen += 1
                L.cjm_item_set_text(p, a.id, _ref_id(value, name))
            elif a.type == _TYPE_NUMBER:
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise TypeError(f"{name} must be a number, not {type(value).__name__}")
                self._map._gen += 1
                L.cjm_item_set_number(p, a.id, float(value))
            elif a.type == _TYPE_INT:
                if a.flag:
                    if not isinstance(value, (bool, int)):
                        raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
                    vname = b"true" if value else b"false"
                elif isinstance(value, str):
                    vname = encode(str(value.value if hasattr(value, "value") else value),
                                   name) or b""
                else:
                    raise TypeError(f"{name} must be one of {self._values(a)}, "
                                    f"not {type(value).__name__}")
                v = c_int()
                if L.cjm_enum_lookup(a.id, vname, byref(v)) != 0:
                    raise InvalidArgumentError(
                        f"{vname.decode('utf-8', 'replace')!r} is not a value of {name}; "
                        f"use one of {self._values(a)}")
                self._map._gen += 1
                L.cjm_item_set_int(p, a.id, v.value)
            else:
                if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
                    raise TypeError(f"{name} must be an iterable of ids")
                new = [_ref_id(v, name) for v in value]
                old = [L.cjm_item_list_at(p, a.id, i)
                       for i in range(L.cjm_item_list_count(p, a.id))]
                self._map._gen += 1
                L.cjm_item_unset(p, a.id)
                try:
                    for v in new:
                        L.cjm_item_list_add(p, a.id, v)
                except BaseException:
                    L.cjm_item_unset(p, a.id)
                    for v in old:
                        L.cjm_item_list_add(p, a.id, v)
                    raise

    @staticmethod
    def _values(a: _AttrInfo) -> List[str]:
        L = lib()
        return [text(L.cjm_enum_name(a.id, i)) or "" for i in range(L.cjm_enum_count(a.id))]

    def unset(self, name: str) -> None:
        """Unsets attribute ``name`` (a list is emptied)."""
        a = _attr(name)
        with self._map._lock:
            p = self._p()
            if not lib().cjm_kind_has_attr(_kind_id(self.kind), a.id):
                raise AttributeError(f"a {self.kind.value} has no attribute {name!r}")
            self._map._gen += 1
            lib().cjm_item_unset(p, a.id)

    def __getitem__(self, name: str) -> Any:
        return self.get(name)

    def __setitem__(self, name: str, value: Any) -> None:
        self.set(name, value)

    def __delitem__(self, name: str) -> None:
        self.unset(name)

    def attributes(self) -> Dict[str, Any]:
        """The attributes that are set, by library name; lists as plain lists of ids."""
        out: Dict[str, Any] = {}
        for name in self.attribute_names():
            if name == "situations" or name == "links":
                ids = self.get(name).to_list()
                if ids:
                    out[name] = ids
            elif self.has(name):
                out[name] = self.get(name)
        return out

    def resolve(self, name: str) -> Optional[Union["Item", "Journey"]]:
        """The item a reference attribute names (a touchpoint's ``stage``, a
        transition's ``from``), or None when unset or dangling."""
        a = _attr(name)
        if a.type != _TYPE_REF:
            raise TypeError(f"{name} is not a reference attribute")
        ident = self.get(name)
        if ident is None:
            return None
        if self._jptr is not None:
            found = self.journey.find(ident)  # type: ignore[union-attr]
            if found is not None:
                return found
        return self._map.find(ident)

    def remove(self) -> None:
        """Removes the item from its journey or map, with what depends on it."""
        self._owner_obj().remove(self)


class Actor(Item):
    """A customer, a department or a partner."""

    __slots__ = ()
    kind = Kind.ACTOR
    role = _Attr[Role]("role", "The actor's :class:`~cjm.Role`.")


class Channel(Item):
    """A channel: web, app, phone, store, ..."""

    __slots__ = ()
    kind = Kind.CHANNEL
    channel_kind = _Attr[ChannelKind]("kind", "The channel's :class:`~cjm.ChannelKind`.")
    contact_free = _Attr[bool]("contact-free", "Whether the channel needs no physical contact.")


class Persona(Item):
    """Who travels a journey."""

    __slots__ = ()
    kind = Kind.PERSONA


class Situation(Item):
    """A customer's situation: at home, on the move, stressed, ..."""

    __slots__ = ()
    kind = Kind.SITUATION


class Stage(Item):
    """An ordered phase of a journey."""

    __slots__ = ()
    kind = Kind.STAGE


class Touchpoint(Item):
    """One contact between customer and company."""

    __slots__ = ()
    kind = Kind.TOUCHPOINT
    stage = _Attr[str]("stage", "The id of the stage the touchpoint belongs to.")
    channel = _Attr[str]("channel", "The id of the channel.")
    initiator = _Attr[str]("initiator", "The id of the actor who starts the contact.")
    receiver = _Attr[str]("receiver", "The id of the actor who receives it.")
    owner = _Attr[str]("owner", "The part of the company responsible.")
    moment_of_truth = _Attr[bool]("moment-of-truth", "Whether it decides trust and loyalty.")
    complexity = _Attr[Complexity]("complexity", "The :class:`~cjm.Complexity` of the matter.")
    frequency = _Attr[float]("frequency", "How often the matter arises, per period.")
    value = _Attr[Value]("value", "The :class:`~cjm.Value` of the contact to the customer.")
    capacity = _Attr[float]("capacity", "Customers the channel can serve per period.")
    entry = _Attr[float]("entry", "Customers who start the journey here.")
    exit = _Attr[bool]("exit", "Whether the journey may end here.")
    expected = _Attr[float]("expected", "Expected score, 1 to 5.")
    perceived = _Attr[float]("perceived", "Perceived score, 1 to 5.")
    emotion = _Attr[float]("emotion", "Emotional valence, -2 to +2.")
    need = _Attr[Need]("need", "The emotional :class:`~cjm.Need` at stake.")
    situations = _ListAttr("situations", "Ids of the situations it is limited to (empty: all).")

    @property
    def kpis(self) -> KpiList:
        """The KPI measurements (a live view)."""
        self._p()
        return KpiList(self)

    @property
    def outgoing(self) -> List["Transition"]:
        """The transitions leaving this touchpoint."""
        return [t for t in self.journey.transitions if t.from_ == self._id]  # type: ignore

    @property
    def incoming(self) -> List["Transition"]:
        """The transitions arriving at this touchpoint."""
        return [t for t in self.journey.transitions if t.to == self._id]  # type: ignore


class Transition(Item):
    """The move from one touchpoint to the next."""

    __slots__ = ()
    kind = Kind.TRANSITION
    from_ = _Attr[str]("from", "The id of the touchpoint it leaves (``from`` in the library).")
    to = _Attr[str]("to", "The id of the touchpoint it reaches.")
    volume = _Attr[float]("volume", "Customers or cases that cross it.")
    probability = _Attr[float]("probability", "Share of those at ``from`` who cross it.")
    duration = _Attr[float]("duration", "Typical time between, in seconds.")
    situations = _ListAttr("situations", "Ids of the situations it is limited to (empty: all).")


class PainPoint(Item):
    """A friction at a touchpoint or transition."""

    __slots__ = ()
    kind = Kind.PAINPOINT
    target = _Attr[str]("target", "The id of the touchpoint or transition it hurts.")
    severity = _Attr[float]("severity", "Severity, 1 to 5.")
    affected = _Attr[float]("affected", "Customers it hits.")
    root_cause = _Attr[str]("root-cause", "The root cause.")
    need = _Attr[Need]("need", "The emotional :class:`~cjm.Need` it threatens.")


class Gap(Item):
    """An experience gap or a deviation from the planned journey."""

    __slots__ = ()
    kind = Kind.GAP
    target = _Attr[str]("target", "The id of the touchpoint or transition.")
    severity = _Attr[float]("severity", "Severity, 1 to 5.")
    expected = _Attr[float]("expected", "Expected score, 1 to 5.")
    perceived = _Attr[float]("perceived", "Perceived score, 1 to 5.")
    need = _Attr[Need]("need", "The emotional :class:`~cjm.Need` at stake.")
    gap_kind = _Attr[GapKind]("gap-kind", "Experience gap or deviation (:class:`~cjm.GapKind`).")
    dimension = _Attr[Dimension]("dimension", "The quality :class:`~cjm.Dimension` it fails.")
    deviation = _Attr[Deviation]("deviation", "The :class:`~cjm.Deviation`, for deviations.")


class Opportunity(Item):
    """An improvement idea tied to gaps and pain points."""

    __slots__ = ()
    kind = Kind.OPPORTUNITY
    factor = _Attr[Factor]("factor", "The conversion :class:`~cjm.Factor` it serves.")
    links = _ListAttr("links", "Ids of the gaps and pain points it addresses.")


_CLASSES: Dict[Kind, Type[Item]] = {
    cls.kind: cls for cls in (Actor, Channel, Persona, Situation, Stage, Touchpoint,
                              Transition, PainPoint, Gap, Opportunity)
}


def property_names(cls: Type[Item]) -> Dict[str, str]:
    """Library attribute name → Python property name, for one item class."""
    out = {}
    for klass in reversed(cls.__mro__):
        for pyname, value in vars(klass).items():
            if isinstance(value, _Attr):
                out[value.cname] = pyname
    return out


# ---- journeys -----------------------------------------------------------------

class Journey:
    """A journey: ordered stages, touchpoints, transitions and annotations.

    Made by :meth:`JourneyMap.add_journey`; lives as long as its map and
    until it is removed.
    """

    __slots__ = ("_map", "_ptr", "_id", "__weakref__")

    def __init__(self) -> None:
        raise TypeError("journeys are made by their map: journey_map.add_journey(...)")

    @classmethod
    def _make(cls, m: "JourneyMap", ptr: int) -> "Journey":
        obj = object.__new__(cls)
        obj._map = m
        obj._ptr = ptr
        obj._id = text(lib().cjm_journey_id(ptr)) or ""
        return obj

    def _p(self) -> int:
        p = self._ptr
        if p is None:
            raise StaleObjectError(f"journey {self._id!r} was removed or its map was closed")
        return p

    def _map_obj(self) -> "JourneyMap":
        return self._map

    def _get_text(self, fn: Callable[[int], Optional[bytes]]) -> Optional[str]:
        with self._map._lock:
            return text(fn(self._p()))

    def _set_text(self, fn: Callable[[int, Optional[bytes]], int], value: Any,
                  what: str) -> None:
        data = _ref_id(value, what)
        with self._map._lock:
            self._map._gen += 1
            fn(self._p(), data)

    @property
    def alive(self) -> bool:
        """False once the journey was removed or its map closed."""
        return self._ptr is not None

    @property
    def id(self) -> str:
        """The journey's id, unique in its map."""
        return self._id

    @property
    def map(self) -> "JourneyMap":
        """The map holding the journey."""
        self._p()
        return self._map

    @property
    def label(self) -> Optional[str]:
        """A short display name, or None."""
        return self._get_text(lib().cjm_journey_label)

    @label.setter
    def label(self, value: Optional[str]) -> None:
        self._set_text(lib().cjm_journey_set_label, value, "label")

    @property
    def description(self) -> Optional[str]:
        """Longer prose, or None."""
        return self._get_text(lib().cjm_journey_description)

    @description.setter
    def description(self, value: Optional[str]) -> None:
        self._set_text(lib().cjm_journey_set_description, value, "description")

    @property
    def status(self) -> Status:
        """Planned (designed) or actual (what happened)."""
        with self._map._lock:
            v = lib().cjm_journey_status(self._p())
        return Status.ACTUAL if v == _STATUS[Status.ACTUAL] else Status.PLANNED

    @status.setter
    def status(self, value: Union[Status, str]) -> None:
        try:
            v = _STATUS[Status(value)]
        except ValueError:
            raise InvalidArgumentError(f"{value!r} is not a journey status; "
                                       "use 'planned' or 'actual'") from None
        with self._map._lock:
            self._map._gen += 1
            lib().cjm_journey_set_status(self._p(), v)

    @property
    def follows(self) -> Optional[str]:
        """For an actual journey, the id of the planned journey it follows."""
        return self._get_text(lib().cjm_journey_follows)

    @follows.setter
    def follows(self, value: Union[str, "Journey", None]) -> None:
        self._set_text(lib().cjm_journey_set_follows, value, "follows")

    @property
    def persona(self) -> Optional[str]:
        """The id of the persona who travels the journey."""
        return self._get_text(lib().cjm_journey_persona)

    @persona.setter
    def persona(self, value: Union[str, Item, None]) -> None:
        self._set_text(lib().cjm_journey_set_persona, value, "persona")

    @property
    def stages(self) -> ItemList[Stage]:
        """The stages, in stage order."""
        return ItemList(self, Kind.STAGE)

    @property
    def touchpoints(self) -> ItemList[Touchpoint]:
        """The touchpoints."""
        return ItemList(self, Kind.TOUCHPOINT)

    @property
    def transitions(self) -> ItemList[Transition]:
        """The transitions."""
        return ItemList(self, Kind.TRANSITION)

    @property
    def painpoints(self) -> ItemList[PainPoint]:
        """The pain points."""
        return ItemList(self, Kind.PAINPOINT)

    @property
    def gaps(self) -> ItemList[Gap]:
        """The gaps."""
        return ItemList(self, Kind.GAP)

    @property
    def opportunities(self) -> ItemList[Opportunity]:
        """The opportunities."""
        return ItemList(self, Kind.OPPORTUNITY)

    def items(self, kind: Union[Kind, str, None] = None) -> List[Item]:
        """Every item of the journey (or of one kind), kind by kind, each in order."""
        kinds = [Kind(kind)] if kind is not None else [
            k for k in Kind if lib().cjm_kind_in_journey(_kind_id(k))]
        return [i for k in kinds for i in ItemList(self, k)]

    def __iter__(self) -> Iterator[Item]:
        return iter(self.items())

    def find(self, ident: str) -> Optional[Item]:
        """The journey's item with id ``ident`` (any kind), or None."""
        with self._map._lock:
            ptr = lib().cjm_journey_find(self._p(), encode(ident, "id"))
            return None if ptr is None else self._map._wrap_item(ptr)

    def __getitem__(self, ident: str) -> Item:
        found = self.find(ident)
        if found is None:
            raise KeyError(ident)
        return found

    def __contains__(self, obj: object) -> bool:
        if isinstance(obj, str):
            return self.find(obj) is not None
        return isinstance(obj, Item) and obj.alive and obj._jptr == self._ptr

    def add(self, kind: Union[Kind, str], id: Optional[str] = None, **attributes: Any) -> Item:
        """Adds an item of a journey kind and sets its attributes by property name.

        If setting an attribute fails, the item is removed again.
        """
        k = _kind_id(kind)
        out = c_void_p()
        with self._map._lock:
            self._map._gen += 1
            lib().cjm_journey_add(self._p(), k, encode(id, "id"), byref(out))
            item = self._map._wrap_item(out.value)  # type: ignore[arg-type]
            try:
                _apply(item, attributes)
            except BaseException:
                self.remove(item)
                raise
            return item

    def add_stage(self, id: Optional[str] = None, **attributes: Any) -> Stage:
        """Adds a stage at the end of the stage order."""
        return self.add(Kind.STAGE, id, **attributes)  # type: ignore[return-value]

    def add_touchpoint(self, id: Optional[str] = None, **attributes: Any) -> Touchpoint:
        """Adds a touchpoint."""
        return self.add(Kind.TOUCHPOINT, id, **attributes)  # type: ignore[return-value]

    def connect(self, source: Union[str, Touchpoint], dest: Union[str, Touchpoint],
                id: Optional[str] = None, **attributes: Any) -> Transition:
        """Adds a transition from ``source`` to ``dest`` (touchpoints or their ids)."""
        return self.add(Kind.TRANSITION, id, from_=source, to=dest,  # type: ignore
                        **attributes)

    def remove(self, item: Union[str, Item]) -> None:
        """Removes an item with what depends on it (see ``cjm_journey_remove``).

        Every Python object standing for something removed becomes stale.
        """
        if isinstance(item, str):
            item = self[item]
        m = self._map
        with m._lock:
            jp = self._p()
            if item._map is not m or item._jptr != jp:
                raise InvalidArgumentError(f"{item!r} is not in journey {self._id!r}")
            m._gen += 1
            lib().cjm_journey_remove(jp, item._p())
            m._sweep_journey(jp)

    def move(self, item: Union[str, Item], index: int) -> None:
        """Moves an item to position ``index`` among its kind (past the end: last)."""
        if isinstance(item, str):
            item = self[item]
        if index < 0:
            raise IndexError("the position must not be negative")
        with self._map._lock:
            jp = self._p()
            if item._map is not self._map or item._jptr != jp:
                raise InvalidArgumentError(f"{item!r} is not in journey {self._id!r}")
            self._map._gen += 1
            lib().cjm_journey_move(jp, item._p(), index)

    def render(self, format: str = "svg", path: Union[str, "os.PathLike[str]", None] = None,
               *, situation: Union[str, Item, None] = None,
               annotations: Union[str, Iterable[str]] = "all", direction: str = "LR",
               legend: bool = True) -> Optional[bytes]:
        """Draws this journey; see :meth:`JourneyMap.render`."""
        return self.map.render(format, path, journey=self._id, situation=situation,
                               annotations=annotations, direction=direction, legend=legend)

    # -- analyses (see cjm.analysis for the details)

    def reach(self, **options: Any) -> "analysis.Reach":
        """Expected visits per touchpoint and crossings per transition (:func:`cjm.analysis.reach`)."""
        from . import analysis as _a
        return _a.reach(self, **options)

    def checks(self, **options: Any) -> "analysis.Checks":
        """Structure and channel checks (:func:`cjm.analysis.checks`)."""
        from . import analysis as _a
        return _a.checks(self, **options)

    def rank(self, **options: Any) -> List["analysis.Ranked"]:
        """Pain points and gaps, the most pressing first (:func:`cjm.analysis.rank`)."""
        from . import analysis as _a
        return _a.rank(self, **options)

    def emotion_curve(self, path: Optional[Iterable[Union[str, Item]]] = None,
                      **options: Any) -> List["analysis.CurvePoint"]:
        """The emotion curve along a path (:func:`cjm.analysis.emotion_curve`)."""
        from . import analysis as _a
        return _a.emotion_curve(self, None if path is None else list(path), **options)

    def compare(self, actual: "Journey") -> "analysis.Comparison":
        """The deviations of ``actual`` from this planned journey (:func:`cjm.analysis.compare`)."""
        from . import analysis as _a
        return _a.compare(self, actual)

    def diff(self, after: "Journey") -> "analysis.Diff":
        """Structural changes from this journey to ``after`` (:func:`cjm.analysis.diff`)."""
        from . import analysis as _a
        return _a.diff(self, after)

    def situation_view(self, situation: Union[str, Item], id: Optional[str] = None) -> "Journey":
        """A new journey: this one as seen in one situation (:func:`cjm.analysis.situation_view`)."""
        from . import analysis as _a
        return _a.situation_view(self, situation, id)

    def conformance(self) -> "analysis.Conformance":
        """A checker of single cases against this planned journey."""
        from . import analysis as _a
        return _a.Conformance(self)

    def conform_log(self, source: Any, **options: Any) -> "mining.LogConformance":
        """Holds every case of an XES log against this planned journey (:func:`cjm.conform`)."""
        from . import mining as _m
        return _m.conform(source, self, **options)

    def _repr_svg_(self) -> Optional[str]:
        """The journey as SVG, for notebooks; None when it cannot be drawn."""
        return _svg(lambda: self.render("svg"))

    def __repr__(self) -> str:
        state = "" if self._ptr is not None else " (stale)"
        return f"<Journey {self._id!r}{state}>"

    def __reduce__(self) -> Any:
        raise TypeError("journeys belong to their map: pickle the JourneyMap instead")

    def __copy__(self) -> "Journey":
        return self

    def __deepcopy__(self, memo: Dict[int, Any]) -> "Journey":
        raise TypeError("journeys belong to their map: copy the JourneyMap instead")


def _svg(draw: Callable[[], Optional[bytes]]) -> Optional[str]:
    from ._errors import CjmError
    try:
        data = draw()
    except (CjmError, StaleObjectError):
        return None
    return None if data is None else data.decode("utf-8", "replace")


def _apply(item: Item, attributes: Dict[str, Any]) -> None:
    names = property_names(type(item))
    by_py = {py: c for c, py in names.items()}
    for key, value in attributes.items():
        cname = by_py.get(key)
        if cname is None:
            if key in names:  # a library name that is also valid
                cname = key
            else:
                raise AttributeError(f"a {item.kind.value} has no attribute {key!r}")
        item.set(cname, value)


class JourneyList:
    """The journeys of a map: a live, ordered view indexed by position or id."""

    __slots__ = ("_map",)

    def __init__(self, m: "JourneyMap") -> None:
        self._map = m

    def __len__(self) -> int:
        with self._map._lock:
            return lib().cjm_map_journey_count(self._map._p())

    def __getitem__(self, key: Union[int, str]) -> Journey:
        if isinstance(key, str):
            found = self._map.journey(key)
            if found is None:
                raise KeyError(key)
            return found
        m = self._map
        with m._lock:
            p = m._p()
            n = lib().cjm_map_journey_count(p)
            if key < 0:
                key += n
            if not 0 <= key < n:
                raise IndexError("journey index out of range")
            return m._wrap_journey(lib().cjm_map_journey_at(p, key))

    def __iter__(self) -> Iterator[Journey]:
        m = self._map
        with m._lock:
            p = m._p()
            L = lib()
            return iter([m._wrap_journey(L.cjm_map_journey_at(p, i))
                         for i in range(L.cjm_map_journey_count(p))])

    def __contains__(self, obj: object) -> bool:
        if isinstance(obj, str):
            return self._map.journey(obj) is not None
        return isinstance(obj, Journey) and obj.alive and obj._map is self._map

    def __repr__(self) -> str:
        return f"<journey list of {len(self)}>"

    def ids(self) -> List[str]:
        """The journeys' ids, in order."""
        return [j.id for j in self]

    def add(self, id: Optional[str] = None, **properties: Any) -> Journey:
        """Same as :meth:`JourneyMap.add_journey`."""
        return self._map.add_journey(id, **properties)

    def remove(self, journey: Union[str, Journey]) -> None:
        """Same as :meth:`JourneyMap.remove_journey`."""
        self._map.remove_journey(journey)


_XML_KEEP_PROBLEMS = 0x1  # CJM_XML_KEEP_PROBLEMS (xml.h)


def _unpickle_map(data: bytes) -> "JourneyMap":
    return JourneyMap.loads(data, keep_problems=True)


# ---- the map ---------------------------------------------------------------------

class JourneyMap:
    """A journey map document: definitions plus one or more journeys.

    ``JourneyMap()`` makes an empty map; :meth:`load` and :meth:`loads` read
    journey XML. Close it with :meth:`close` or a ``with`` block; it is also
    freed when collected. After closing, every object that belonged to it is
    stale.
    """

    _ptr: Optional[int]

    def __init__(self, title: Optional[str] = None, *, description: Optional[str] = None,
                 language: Optional[str] = None) -> None:
        out = c_void_p()
        lib().cjm_map_new(byref(out), None)
        self._init(out.value)  # type: ignore[arg-type]
        try:
            if title is not None:
                self.title = title
            if description is not None:
                self.description = description
            if language is not None:
                self.language = language
        except BaseException:
            self.close()
            raise

    def _init(self, ptr: int) -> None:
        self._ptr = ptr
        self._lock = threading.RLock()
        # Counts changes made through this object; results that borrow from
        # the map (a conformance checker) refuse to run once it moved on.
        self._gen = 0
        # Objects that borrow C memory of this map (conformance checkers):
        # closed before the memory they borrow is freed.
        self._dependents: "weakref.WeakSet[Any]" = weakref.WeakSet()
        self._journeys: "weakref.WeakValueDictionary[int, Journey]" = \
            weakref.WeakValueDictionary()
        self._defs: "weakref.WeakValueDictionary[int, Item]" = weakref.WeakValueDictionary()
        self._jitems: Dict[int, "weakref.WeakValueDictionary[int, Item]"] = {}

    @classmethod
    def _adopt(cls, ptr: int) -> "JourneyMap":
        """Wraps a cjm_map the caller owns; the new object takes ownership."""
        obj = cls.__new__(cls)
        obj._init(ptr)
        return obj

    def _p(self) -> int:
        p = self._ptr
        if p is None:
            raise StaleObjectError("the journey map is closed")
        return p

    def _map_obj(self) -> "JourneyMap":
        return self

    # -- the registry of live wrappers

    def _wrap_journey(self, ptr: int) -> Journey:
        j = self._journeys.get(ptr)
        if j is None:
            j = Journey._make(self, ptr)
            self._journeys[ptr] = j
        return j

    def _wrap_item(self, ptr: int) -> Item:
        L = lib()
        jptr = L.cjm_item_journey(ptr)
        reg = self._defs if jptr is None else self._jitems.get(jptr)
        if reg is None:
            reg = self._jitems[jptr] = weakref.WeakValueDictionary()
        item = reg.get(ptr)
        if item is None:
            item = _CLASSES[_kind_of(L.cjm_item_kind(ptr))]._make(self, ptr, jptr)
            reg[ptr] = item
        return item

    def _sweep_journey(self, jptr: int) -> None:
        """Marks stale every wrapper of the journey whose item no longer exists.

        Runs right after a removal, before anything else can allocate, so a
        freed address cannot yet belong to a new item.
        """
        reg = self._jitems.get(jptr)
        if not reg:
            return
        L = lib()
        for ptr, item in list(reg.items()):
            if L.cjm_journey_find(jptr, item._id.encode("utf-8", "surrogateescape")) != ptr:
                item._ptr = None
                reg.pop(ptr, None)

    def _close_dependents(self, jptr: Optional[int]) -> None:
        """Closes what borrows from the journey ``jptr`` (None: from anywhere in the map)."""
        for dep in list(self._dependents):
            if jptr is None or dep._borrows(jptr):
                dep.close()

    def _invalidate_all(self) -> None:
        for j in list(self._journeys.values()):
            j._ptr = None
        for item in list(self._defs.values()):
            item._ptr = None
        for reg in list(self._jitems.values()):
            for item in list(reg.values()):
                item._ptr = None
        self._journeys.clear()
        self._defs.clear()
        self._jitems.clear()

    # -- journey XML

    @staticmethod
    def _read_options(name: Optional[str], keep_problems: bool, max_size: int,
                      max_depth: int, max_text: int) -> "_lib.XmlReadOptions":
        return _lib.XmlReadOptions(1, None, max_size, max_depth, max_text,
                                   _XML_KEEP_PROBLEMS if keep_problems else 0,
                                   encode(name, "name"))

    @classmethod
    def load(cls, source: Union[str, "os.PathLike[str]", Any], *, keep_problems: bool = False,
             max_size: int = 0, max_depth: int = 0, max_text: int = 0) -> "JourneyMap":
        """Reads a journey map from Journey XML.

        Args:
            source: a path, or an open binary file (read through its file
                descriptor when it has one, else through ``read()``).
            keep_problems: keep problems of meaning (dangling references,
                values out of range) for :meth:`validate` instead of failing.
            max_size: the most bytes read (0: the library's default, 256 MiB).
            max_depth: the deepest element nesting (0: 64).
            max_text: the longest text or attribute value (0: 1 MiB).

        Raises:
            ParseError: rejected input, with ``file``, ``line`` and ``column``.
            CjmIOError: the file cannot be read.
            LimitExceededError: a limit was exceeded.
            UnsupportedError: another version of the format.
        """
        out = c_void_p()
        L = lib()
        if hasattr(source, "read") and not isinstance(source, (str, bytes)):
            name = getattr(source, "name", None)
            name = name if isinstance(name, str) else None
            try:
                fd = source.fileno()
            except (AttributeError, OSError, ValueError):
                fd = None
            if fd is None:
                return cls.loads(source.read(), name=name, keep_problems=keep_problems,
                                 max_size=max_size, max_depth=max_depth, max_text=max_text)
            opts = cls._read_options(name, keep_problems, max_size, max_depth, max_text)
            L.cjm_xml_read_fd(byref(out), fd, byref(opts))
        else:
            path = os.fsdecode(source)
            opts = cls._read_options(None, keep_problems, max_size, max_depth, max_text)
            L.cjm_xml_read_file(byref(out), encode(path, "path"), byref(opts))
        return cls._adopt(out.value)  # type: ignore[arg-type]

    @classmethod
    def loads(cls, data: Union[str, bytes, bytearray, memoryview], *,
              name: Optional[str] = None, keep_problems: bool = False, max_size: int = 0,
              max_depth: int = 0, max_text: int = 0) -> "JourneyMap":
        """Reads a journey map from Journey XML held in memory (text or bytes).

        ``name`` is what error messages call the input (default "(memory)").
        Raises as :meth:`load`.
        """
        if isinstance(data, str):
            raw = data.encode("utf-8")
        elif isinstance(data, (bytes, bytearray, memoryview)):
            raw = bytes(data)
        else:
            raise TypeError(f"journey XML must be str or bytes, not {type(data).__name__}")
        opts = cls._read_options(name, keep_problems, max_size, max_depth, max_text)
        out = c_void_p()
        lib().cjm_xml_read_memory(byref(out), raw, len(raw), byref(opts))
        return cls._adopt(out.value)  # type: ignore[arg-type]

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Writes the map as canonical Journey XML, replacing ``path`` atomically.

        Raises:
            CjmIOError: the file cannot be written; ``path`` is left as it was.
        """
        target = encode(os.fsdecode(path), "path")
        opts = _lib.XmlWriteOptions(1, None)
        with self._lock:
            lib().cjm_xml_write_file(self._p(), target, byref(opts))

    def dumpb(self) -> bytes:
        """The map as canonical Journey XML bytes (UTF-8)."""
        buf = _lib.Buffer()
        opts = _lib.XmlWriteOptions(1, None)
        with self._lock:
            lib().cjm_xml_write_buffer(byref(buf), self._p(), byref(opts))
        return buf.take()

    def dumps(self) -> str:
        """The map as canonical Journey XML text: the same map always gives the same text."""
        return self.dumpb().decode("utf-8")

    def copy(self) -> "JourneyMap":
        """An independent copy of the map (through Journey XML)."""
        return type(self).loads(self.dumpb(), keep_problems=True)

    def __copy__(self) -> "JourneyMap":
        return self.copy()

    def __deepcopy__(self, memo: Dict[int, Any]) -> "JourneyMap":
        return self.copy()

    def __reduce__(self) -> Any:
        # Pickles as its Journey XML, so maps travel to other processes (Dask).
        return (_unpickle_map, (self.dumpb(),))

    # -- lifetime

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._ptr is None

    def close(self) -> None:
        """Frees the map. Every journey and item object of it becomes stale.

        Closing twice is fine.
        """
        lock = getattr(self, "_lock", None)
        if lock is None:
            return
        with lock:
            p = self._ptr
            if p is None:
                return
            self._gen += 1
            self._close_dependents(None)
            self._invalidate_all()
            self._ptr = None
            lib().cjm_map_free(p)

    def __enter__(self) -> "JourneyMap":
        self._p()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may already be gone
            pass

    def __repr__(self) -> str:
        if self._ptr is None:
            return "<JourneyMap (closed)>"
        return f"<JourneyMap {self.title!r}: {len(self.journeys)} journeys>"

    # -- properties

    @property
    def title(self) -> Optional[str]:
        """The map's title, or None."""
        with self._lock:
            return text(lib().cjm_map_title(self._p()))

    @title.setter
    def title(self, value: Optional[str]) -> None:
        data = encode(value, "title")
        with self._lock:
            self._gen += 1
            lib().cjm_map_set_title(self._p(), data)

    @property
    def description(self) -> Optional[str]:
        """The map's description, or None."""
        with self._lock:
            return text(lib().cjm_map_description(self._p()))

    @description.setter
    def description(self, value: Optional[str]) -> None:
        data = encode(value, "description")
        with self._lock:
            self._gen += 1
            lib().cjm_map_set_description(self._p(), data)

    @property
    def language(self) -> Optional[str]:
        """The language tag ("sv", "nl-NL"), or None."""
        with self._lock:
            return text(lib().cjm_map_language(self._p()))

    @language.setter
    def language(self, value: Optional[str]) -> None:
        data = encode(value, "language")
        with self._lock:
            self._gen += 1
            lib().cjm_map_set_language(self._p(), data)

    # -- definitions

    @property
    def actors(self) -> ItemList[Actor]:
        """The actors."""
        return ItemList(self, Kind.ACTOR)

    @property
    def channels(self) -> ItemList[Channel]:
        """The channels."""
        return ItemList(self, Kind.CHANNEL)

    @property
    def personas(self) -> ItemList[Persona]:
        """The personas."""
        return ItemList(self, Kind.PERSONA)

    @property
    def situations(self) -> ItemList[Situation]:
        """The situations."""
        return ItemList(self, Kind.SITUATION)

    def find(self, ident: str) -> Optional[Item]:
        """The definition (actor, channel, persona, situation) with this id, or None."""
        with self._lock:
            ptr = lib().cjm_map_find(self._p(), encode(ident, "id"))
            return None if ptr is None else self._wrap_item(ptr)

    def add(self, kind: Union[Kind, str], id: Optional[str] = None, **attributes: Any) -> Item:
        """Adds a definition and sets its attributes by property name.

        If setting an attribute fails, the definition is removed again.
        """
        k = _kind_id(kind)
        out = c_void_p()
        with self._lock:
            self._gen += 1
            lib().cjm_map_add(self._p(), k, encode(id, "id"), byref(out))
            item = self._wrap_item(out.value)  # type: ignore[arg-type]
            try:
                _apply(item, attributes)
            except BaseException:
                self.remove(item)
                raise
            return item

    def remove(self, item: Union[str, Item]) -> None:
        """Removes a definition; references to it are left dangling (see :meth:`validate`)."""
        if isinstance(item, str):
            found = self.find(item)
            if found is None:
                raise KeyError(item)
            item = found
        with self._lock:
            p = self._p()
            if item._map is not self or item._jptr is not None:
                raise InvalidArgumentError(f"{item!r} is not a definition of this map")
            ptr = item._p()
            self._gen += 1
            lib().cjm_map_remove(p, ptr)
            item._ptr = None
            self._defs.pop(ptr, None)

    # -- journeys

    @property
    def journeys(self) -> JourneyList:
        """The journeys, in order."""
        return JourneyList(self)

    def journey(self, ident: str) -> Optional[Journey]:
        """The journey with this id, or None."""
        with self._lock:
            ptr = lib().cjm_map_journey(self._p(), encode(ident, "id"))
            return None if ptr is None else self._wrap_journey(ptr)

    def add_journey(self, id: Optional[str] = None, *, label: Optional[str] = None,
                    description: Optional[str] = None,
                    status: Union[Status, str, None] = None,
                    follows: Union[str, Journey, None] = None,
                    persona: Union[str, Item, None] = None) -> Journey:
        """Adds a journey (planned unless ``status`` says otherwise).

        If a property is rejected, the journey is removed again.
        """
        out = c_void_p()
        with self._lock:
            self._gen += 1
            lib().cjm_map_add_journey(self._p(), encode(id, "id"), byref(out))
            j = self._wrap_journey(out.value)  # type: ignore[arg-type]
            try:
                if label is not None:
                    j.label = label
                if description is not None:
                    j.description = description
                if status is not None:
                    j.status = status  # type: ignore[assignment]
                if follows is not None:
                    j.follows = follows  # type: ignore[assignment]
                if persona is not None:
                    j.persona = persona  # type: ignore[assignment]
            except BaseException:
                self.remove_journey(j)
                raise
            return j

    def remove_journey(self, journey: Union[str, Journey]) -> None:
        """Removes a journey and its items; their objects become stale."""
        if isinstance(journey, str):
            found = self.journey(journey)
            if found is None:
                raise KeyError(journey)
            journey = found
        with self._lock:
            p = self._p()
            if journey._map is not self:
                raise InvalidArgumentError(f"{journey!r} is not in this map")
            jp = journey._p()
            self._gen += 1
            self._close_dependents(jp)
            lib().cjm_map_remove_journey(p, jp)
            journey._ptr = None
            self._journeys.pop(jp, None)
            for item in list(self._jitems.pop(jp, {}).values()):
                item._ptr = None

    def __iter__(self) -> Iterator[Journey]:
        return iter(self.journeys)

    def __len__(self) -> int:
        return len(self.journeys)

    def __getitem__(self, ident: str) -> Journey:
        return self.journeys[ident]

    # -- drawing

    def render(self, format: str = "svg", path: Union[str, "os.PathLike[str]", None] = None,
               *, journey: Union[str, Journey, None] = None,
               situation: Union[str, Item, None] = None,
               annotations: Union[str, Iterable[str]] = "all", direction: str = "LR",
               legend: bool = True) -> Optional[bytes]:
        """Draws a journey: returns the bytes, or writes them to ``path`` and returns None.

        Args:
            format: "svg", "png", "pdf", "dot" (also "gv") or "mermaid".
            path: a file to write, replaced atomically; None to get bytes.
            journey: the journey (or its id); None for the first one.
            situation: draw the journey as a customer in this situation sees it.
            annotations: "all", "none", "pain", "gaps", or a list of them.
            direction: "LR" (stages left to right) or "TB" (top to bottom).
            legend: whether to draw the legend (Graphviz formats).

        Raises:
            UnsupportedError: an unknown format.
            NotFoundError: no journeys, or no such journey or situation.
            CjmIOError: the file cannot be written.
        """
        from . import render as _render
        jid = journey.id if isinstance(journey, Journey) else journey
        sid = situation.id if isinstance(situation, Item) else situation
        return _render.render(self, format, path, journey=jid, situation=sid,
                              annotations=annotations, direction=direction, legend=legend)

    def _repr_svg_(self) -> Optional[str]:
        """The first journey as SVG, for notebooks; None when it cannot be drawn."""
        return _svg(lambda: self.render("svg"))

    # -- validation

    def validate(self) -> List[Problem]:
        """Checks the map (dangling references, ranges, stage order, ...).

        Returns the problems found, errors and warnings, in the order found;
        an empty list when nothing is wrong.
        """
        L = lib()
        out = c_void_p()
        with self._lock:
            L.cjm_map_validate(self._p(), byref(out))
        probs = out.value
        try:
            result = []
            for i in range(L.cjm_problems_count(probs)):
                p = L.cjm_problems_at(probs, i).contents
                result.append(Problem(_SEVERITY.get(p.severity, Severity.ERROR),
                                      text(p.code) or "", text(p.message) or "",
                                      text(p.journey), text(p.item), p.line, p.column))
            return result
        finally:
            L.cjm_problems_free(probs)
