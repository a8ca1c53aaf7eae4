"""The located value tree the loader works on, and how locations look."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable
from typing import Any, NamedTuple


class Location(NamedTuple):
    """Where a value stands: file (as the user named it), 1-based line and column."""

    file: str | None
    line: int | None
    column: int | None


NOWHERE = Location(None, None, None)

Where = tuple[str | None, int | None, int | None]
"""A location as a plain tuple: what :class:`~cmdsim.io.locations.Locations`
may hold (a plain tuple of atoms is one the collector stops tracking)."""


class Node:
    """A YAML value with the place it came from.

    ``value`` is a scalar, a ``list[Node]`` for sequences or a
    ``dict[Any, Node]`` for mappings; ``keys`` then holds each key's own node
    so problems with a key can point at it.
    """

    __slots__ = ("keys", "value", "where")

    def __init__(self, value: Any, where: Location, keys: dict[Any, Node] | None = None) -> None:
        self.value = value
        self.where = where
        self.keys = keys

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_sequence(self) -> bool:
        return isinstance(self.value, list)


def describe(value: Any) -> str:
    """A short, YAML-flavoured picture of a value for messages."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return repr(text)
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def suggest(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a near miss, else nothing."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def slips(name: str) -> int:
    """How many typing slips (a letter wrong, missing, extra or two swapped)
    make a name that is not an id a typo of one: 1, or 2 from eight letters
    on.  ``fire_rescu`` is ``fire_rescue`` mistyped; ``weather_station`` or
    ``police`` (beside ``police_110``) is a label of its own."""
    return 2 if len(name) >= 8 else 1


def distance(a: str, b: str, limit: int) -> int:
    """Edits (with swaps of neighbours) from ``a`` to ``b``; ``limit + 1`` once past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return min(row[-1], limit + 1)


def join(base: str, path: str) -> str:
    """Join field paths: ``join("plans[2]", "levels.II")``, ``join("a", "[0]")``."""
    if not base:
        return path
    if not path:
        return base
    if path.startswith("["):
        return base + path
    return f"{base}.{path}"
