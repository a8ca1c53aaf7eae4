"""What the structurer and the schema need to know about model types."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from typing import Any

import attrs

from cmdsim.model import Condition, Delay

DELAY_TYPES: frozenset[Any] = frozenset(typing.get_args(Delay))


@functools.cache
def field_types(cls: type) -> dict[str, Any]:
    """Each attrs field of ``cls`` with its resolved type, in declaration order."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in attrs.fields(cls)}


@functools.cache
def required(cls: type) -> tuple[str, ...]:
    """Fields without a default, in declaration order."""
    return tuple(f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING)


def union_args(tp: Any) -> tuple[Any, ...] | None:
    """The members of a union type, or ``None`` if ``tp`` is no union."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return typing.get_args(tp)
    return None


def is_delay(members: tuple[Any, ...]) -> bool:
    return frozenset(members) == DELAY_TYPES


def summary(cls: type) -> str:
    """The first paragraph of a class's docstring, on one line."""
    doc = cls.__doc__ or ""
    first = doc.strip().split("\n\n")[0]
    return " ".join(first.split())


__all__ = ["DELAY_TYPES", "Condition", "field_types", "is_delay", "required", "summary"]


_IMMUTABLE = (str, int, float, bool, type(None), dt.date, dt.time, enum.Enum)


_PENDING: set[Any] = set()


@functools.cache
def may_hold_dict(tp: Any) -> bool:
    """Whether a value of type ``tp`` may hold a ``dict`` somewhere (the
    model's only mutable part: ``Plan.levels``, ``Task.resources`` …);
    anything it does not know (``Any``, a plain class) may.  A frozen value
    that may is never shared unthawed (:mod:`cmdsim.io.memo`) nor remembered
    as checked (:mod:`cmdsim.analysis.built`): its dict can change in place."""
    if tp in _PENDING:
        # A type holding itself: assume the worst rather than recurse.
        return True
    if isinstance(tp, type) and issubclass(tp, _IMMUTABLE):
        return False
    members = union_args(tp)
    if members is not None:
        return any(may_hold_dict(m) for m in members)
    origin = typing.get_origin(tp)
    if origin is tuple:
        return any(may_hold_dict(a) for a in typing.get_args(tp) if a is not Ellipsis)
    if isinstance(tp, type) and attrs.has(tp):
        _PENDING.add(tp)
        try:
            return any(may_hold_dict(t) for t in field_types(tp).values())
        finally:
            _PENDING.discard(tp)
    return True
