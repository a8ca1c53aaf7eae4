"""The model's one mapping type: a ``dict`` that cannot change in place.

Every mapping a model value holds (``Plan.levels``, ``Task.resources``,
``OfficerNetwork.tiers``, ``WarningLink.levels``, ``Inject.figures``) is a
:class:`FrozenDict`, so a scenario, once checked, stays as it was checked:
``scenario.plans[0].levels[Level.II] = ...`` raises instead of running a
changed plan unchecked.  To change one, build the mapping anew and make a
new object with :func:`attrs.evolve`::

    attrs.evolve(plan, levels={**plan.levels, Level.II: response})

A ``dict`` subclass, not a wrapper: the engine reads these mappings with
``dict``'s own C methods (``get``, ``items``, ``in``), JSON writes them as
objects, equality with a plain ``dict`` holds, and pickling across processes
(``--workers``, Dask) needs nothing of the receiver but this module.  Like
``dict`` it is unhashable, so model objects hash (or refuse to) as before.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_HOW = (
    "a model value's mapping cannot be changed in place: build a new one and make a "
    "new object with attrs.evolve, e.g. attrs.evolve(plan, levels={**plan.levels, key: value})"
)


class FrozenDict(dict[K, V]):
    """A ``dict`` whose mutators raise :class:`TypeError` (see the module).

    >>> levels = FrozenDict({"II": 1})
    >>> levels["II"], levels == {"II": 1}
    (1, True)
    >>> try:
    ...     levels["I"] = 2
    ... except TypeError as refused:
    ...     print(str(refused).split(":")[0])
    a model value's mapping cannot be changed in place
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> FrozenDict[K, V]:
        self = super().__new__(cls)
        dict.__init__(self, *args, **kwargs)
        return self

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Filled by __new__: __init__ called again on a made one would be
        # an update in place.
        pass

    def __reduce__(self) -> tuple[Any, ...]:
        # dict's own pickling fills the new object with __setitem__, refused here.
        return (type(self), (dict(self),))

    @classmethod
    def fromkeys(cls, keys: Iterable[Any], value: Any = None) -> FrozenDict[Any, Any]:
        """A frozen ``dict.fromkeys``."""
        return cls(dict.fromkeys(keys, value))

    def _refuse(self, *_: Any, **__: Any) -> NoReturn:
        raise TypeError(_HOW)

    __setitem__ = _refuse
    __delitem__ = _refuse
    __ior__ = _refuse
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
