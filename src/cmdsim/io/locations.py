"""Where each field path of a loaded document stands in its files."""

from __future__ import annotations

import re

import attrs

from cmdsim.io._nodes import Location

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
    """Field paths (``plans[2].levels.II``) mapped to file, line and column."""

    by_path: dict[str, Location] = attrs.field(factory=dict)

    def add(self, path: str, where: Location) -> None:
        self.by_path.setdefault(path, where)

    def find(self, path: str) -> Location | None:
        """The location of ``path``, or of its nearest parent that has one."""
        current: str | None = path
        while current is not None:
            where = self.by_path.get(current)
            if where is not None and where.file is not None:
                return where
            current = parent(current)
        return None

    def __len__(self) -> int:
        return len(self.by_path)
