"""The model's one mapping type: a read-only mapping that no path changes.

Every mapping a model value holds (``Plan.levels``, ``Task.resources``,
``OfficerNetwork.tiers``, ``WarningLink.levels``, ``Inject.figures``) is a
:class:`FrozenDict`, so a scenario, once checked, stays as it was checked:
``scenario.plans[0].levels[Level.II] = ...`` raises instead of running a
changed plan unchecked.  To change one, build the mapping anew and make a
new object with :func:`attrs.evolve`::

    attrs.evolve(plan, levels={**plan.levels, Level.II: response})

A :class:`collections.abc.Mapping`, not a ``dict`` subclass: a subclass's
mutators can raise, but ``dict.__setitem__(frozen, k, v)``, ``dict.update``,
``dict.__init__`` and the other methods of ``dict`` itself write its storage
all the same, and a checked scenario, the compiled form the engine keeps of
it and the values the loader hands out again (:mod:`cmdsim.io.memo`) would
then change under their memos.  Here the entries live in a
:class:`types.MappingProxyType` over a dict no one else holds: reads
(``get``, ``items``, ``in``, ``[]``) go to that dict's C methods through
one call, and nothing writes it.  Equality with a plain ``dict`` holds,
``repr`` is a dict's, ``|`` and ``copy()`` give plain dicts, PyYAML's safe
dumper writes it as a mapping, and pickling across processes
(``--workers``, Dask) needs nothing of the receiver but this module.  The
JSON encoder takes only real dicts: write ``dict(frozen)`` (as
:func:`cmdsim.io.to_data` does).  Like ``dict`` it is unhashable, so model
objects hash (or refuse to) as before.  What reaches past every public
name (``object.__setattr__``, as on any frozen attrs class) is not guarded.
"""

from __future__ import annotations

import contextlib
import types
import weakref
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import Any, NoReturn, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_HOW = (
    "a model value's mapping cannot be changed in place: build a new one and make a "
    "new object with attrs.evolve, e.g. attrs.evolve(plan, levels={**plan.levels, key: value})"
)

_set = object.__setattr__


class FrozenDict(Mapping[K, V]):
    """A read-only mapping whose would-be mutators raise :class:`TypeError`
    (see the module).

    >>> levels = FrozenDict({"II": 1})
    >>> levels["II"], levels == {"II": 1}
    (1, True)
    >>> try:
    ...     levels["I"] = 2
    ... except TypeError as refused:
    ...     print(str(refused).split(":")[0])
    a model value's mapping cannot be changed in place
    """

    __slots__ = ("_items",)
    _items: types.MappingProxyType[K, V]

    # FrozenDict[K, V] at run time, as dict[K, V].
    __class_getitem__: Any = classmethod(types.GenericAlias)

    def __new__(cls, *args: Any, **kwargs: Any) -> FrozenDict[K, V]:
        self = object.__new__(cls)
        # A copy no one else holds, behind a view that cannot write it.
        _set(self, "_items", types.MappingProxyType(dict(*args, **kwargs)))
        return self

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Filled by __new__: __init__ called again on a made one changes nothing.
        pass

    # -- reads: the hidden dict's own methods ---------------------------

    def __getitem__(self, key: K) -> V:
        return self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[K]:
        return iter(self._items)

    def __reversed__(self) -> Iterator[K]:
        return reversed(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K, default: Any = None) -> Any:
        """The value at ``key``, or ``default``."""
        return self._items.get(key, default)

    def keys(self) -> KeysView[K]:
        """The keys, in insertion order."""
        return self._items.keys()

    def items(self) -> ItemsView[K, V]:
        """The ``(key, value)`` pairs, in insertion order."""
        return self._items.items()

    def values(self) -> ValuesView[V]:
        """The values, in insertion order."""
        return self._items.values()

    def __eq__(self, other: object) -> bool:
        if type(other) is FrozenDict:
            return self._items == other._items
        if isinstance(other, dict):
            return self._items == other
        if isinstance(other, Mapping):
            return self._items == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # as unhashable as a dict

    def __repr__(self) -> str:
        return repr(self._items.copy())

    # -- new plain dicts -------------------------------------------------

    def copy(self) -> dict[K, V]:
        """A plain ``dict`` of the same entries, free to change."""
        return self._items.copy()

    def __or__(self, other: Any) -> Any:
        if not isinstance(other, Mapping):
            return NotImplemented
        out = self._items.copy()
        out.update(other)
        return out

    def __ror__(self, other: Any) -> Any:
        if not isinstance(other, Mapping):
            return NotImplemented
        out = dict(other)
        out.update(self._items)
        return out

    @classmethod
    def fromkeys(cls, keys: Iterable[Any], value: Any = None) -> FrozenDict[Any, Any]:
        """A frozen ``dict.fromkeys``."""
        return cls(dict.fromkeys(keys, value))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._items.copy(),))

    # -- what a dict would change in place -------------------------------

    def _refuse(self, *_: Any, **__: Any) -> NoReturn:
        raise TypeError(_HOW)

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
    __setattr__ = _refuse
    __delattr__ = _refuse
    clear = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    update = _refuse


def freeze(value: Mapping[Any, Any]) -> FrozenDict[Any, Any]:
    """``value`` as a :class:`FrozenDict` (the converter of the model's
    mapping fields); a value that is no mapping is left for the field's
    validator and the type check to refuse."""
    if type(value) is FrozenDict:
        return value
    if not isinstance(value, Mapping):
        return value
    return FrozenDict(value)


class Seen:
    """Objects by identity, held weakly: what was found once of a model value
    holds while it lives, as no model value changes in place (frozen attrs
    classes, tuples, :class:`~cmdsim.model.frozen.FrozenDict`).  The checked
    scenarios of :func:`cmdsim.analysis.check_scenario`, the values it found
    well typed, the model objects :func:`cmdsim.io.from_data` built again."""

    def __init__(self) -> None:
        self._refs: dict[int, weakref.ref[object]] = {}

    def __contains__(self, obj: object) -> bool:
        ref = self._refs.get(id(obj))
        return ref is not None and ref() is obj

    def add(self, obj: object) -> None:
        """Remember ``obj`` while it lives (an object without weak references
        is not remembered: it is simply found again each time)."""
        key = id(obj)
        refs = self._refs

        def forget(_: object) -> None:
            ref = refs.get(key)
            if ref is not None and ref() is None:
                del refs[key]

        with contextlib.suppress(TypeError):
            refs[key] = weakref.ref(obj, forget)


__all__ = ["FrozenDict", "Seen", "freeze"]
