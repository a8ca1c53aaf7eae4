"""Where each field path of a loaded document stands in its files."""

from __future__ import annotations

import re

import attrs

from cmdsim.io._nodes import Location, Where

_LAST = re.compile(r"(\.[^.\[\]]+|\[\d+\])$")


def parent(path: str) -> str | None:
    """The path one step up (``plans[2].lead`` -> ``plans[2]`` -> ``plans`` -> ``""``)."""
    if not path:
        return None
    match = _LAST.search(path)
    if match is None or (match.start() == 0 and not path.startswith("[")):
        return ""
    return path[: match.start()]


@attrs.define
class Locations:
    """Field paths (``plans[2].levels.II``) mapped to file, line and column.

    ``by_path`` holds a :class:`Location` or, where a load used values kept
    from an earlier one (:mod:`cmdsim.io.memo`), the same as a plain tuple;
    :meth:`find` and :meth:`at` give a :class:`Location` either way.
    """

    by_path: dict[str, Where] = attrs.field(factory=dict)

    def add(self, path: str, where: Where) -> None:
        self.by_path.setdefault(path, where)

    def at(self, path: str) -> Location | None:
        """The location of ``path`` itself, if it has one."""
        where = self.by_path.get(path)
        return None if where is None else Location(*where)

    def find(self, path: str) -> Location | None:
        """The location of ``path``, or of its nearest parent that has one."""
        current: str | None = path
        while current is not None:
            where = self.by_path.get(current)
            if where is not None and where[0] is not None:
                return Location(*where)
            current = parent(current)
        return None

    def __len__(self) -> int:
        return len(self.by_path)
