"""What the structurer and the schema need to know about model types."""

from __future__ import annotations

import enum
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any

import attrs

from cmdsim.model import Condition, Delay
from cmdsim.model.typecheck import field_types

DELAY_TYPES: frozenset[Any] = frozenset(typing.get_args(Delay))


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


UNION, CONDITION, OBJECT, TUPLE, DICT, ENUM, SCALAR = (
    "union",
    "condition",
    "object",
    "tuple",
    "dict",
    "enum",
    "scalar",
)


@functools.cache
def build_plan(tp: Any) -> tuple[str, Any]:
    """How :meth:`Structurer.build` reads a value of type ``tp``, and with
    what: worked out once per type, not per value (``typing`` is slow)."""
    members = union_args(tp)
    if members is not None:
        return UNION, members
    if tp is Condition:
        return CONDITION, None
    if attrs.has(tp):
        return OBJECT, None
    origin = typing.get_origin(tp)
    if origin is tuple:
        return TUPLE, typing.get_args(tp)[0]
    if origin in (dict, Mapping):
        return DICT, typing.get_args(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return ENUM, None
    return SCALAR, None
