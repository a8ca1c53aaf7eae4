"""Field paths of a load (``plans[0].levels.III``): which lies within which,
the field below an object's path, where a district stands, what a kept
file added to a load's locations, and plain data as a located tree.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import Any

from cmdsim.io._nodes import NOWHERE, Node, join
from cmdsim.io.standins import Invalid
from cmdsim.model import District, Scenario

FIELD_SPLIT = re.compile(r"[.\[]")


def added_paths(by_path: dict[str, Any], start: int) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """The field paths added to a load's locations since it held ``start``,
    and where each stands, as plain tuples of atoms (kept: no work for the
    collector).  Read from the end: skipping the first ``start`` entries
    cost as much as the rest of a cold load's structuring."""
    count = len(by_path) - start
    paths = tuple(itertools.islice(reversed(by_path), count))[::-1]
    wheres = tuple(map(tuple, itertools.islice(reversed(by_path.values()), count)))[::-1]
    return paths, wheres


def within(outer: str, path: str) -> bool:
    """Whether ``path`` lies strictly inside ``outer`` (``""`` holds everything)."""
    if outer == path:
        return False
    if not outer:
        return True
    return path.startswith(outer) and path[len(outer)] in ".["


def field_below(base: str, path: str) -> str | None:
    """The field of the object at ``base`` under which ``path`` lies, if any."""
    if base == path or not within(base, path):
        return None
    rest = path[len(base) :].lstrip(".") if base else path
    return FIELD_SPLIT.split(rest, maxsplit=1)[0]


def district_of(cls: type, path: str) -> str | None:
    """Where the district that references of a ``cls`` at ``path`` resolve in stands."""
    if cls is District:
        return path
    if cls is Scenario:
        return join(path, "district")
    return None


def within_or_at(outer: str, path: str) -> bool:
    return outer == path or within(outer, path)


def from_plain(data: Any, depth: int = 0) -> Node:
    """A located tree (without locations) for plain Python data."""
    if depth > 200:
        raise Invalid
    if isinstance(data, Mapping):  # a model's FrozenDict among the data too
        values = {k: from_plain(v, depth + 1) for k, v in data.items()}
        return Node(values, NOWHERE, {k: Node(k, NOWHERE) for k in data})
    if isinstance(data, list | tuple):
        return Node([from_plain(v, depth + 1) for v in data], NOWHERE)
    return Node(data, NOWHERE)
