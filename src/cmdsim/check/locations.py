"""Where a finding stands in the input: its field path looked up, through
the loader's locations, as file, line and column."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import attrs

if TYPE_CHECKING:
    from cmdsim.check.findings import Finding


class Locator(Protocol):
    """Where field paths stand in the input: what ``cmdsim.io`` locations offer.

    ``find`` returns ``(file, line, column)`` or an object with those
    attributes, for the path or its nearest parent, or ``None``.
    """

    def find(self, path: str) -> Any: ...


def position(
    locations: Locator | None, path: str
) -> tuple[str | None, int | None, int | None] | None:
    """``(file, line, column)`` of a field path in the input, or ``None``."""
    if locations is None:
        return None
    where = locations.find(path)
    if where is None:
        return None
    if isinstance(where, tuple):
        file, line, column = where[0], where[1], where[2]
    else:
        file = getattr(where, "file", None)
        line = getattr(where, "line", None)
        column = getattr(where, "column", None)
    return (None if file is None else str(file)), line, column


def locate(item: Finding, locations: Locator | None, prefix: str = "") -> Finding:
    """The finding with file, line and column looked up for its path."""
    path = f"{prefix}{item.path}" if item.path else prefix.rstrip(".")
    found = position(locations, path)
    if found is None:
        return item
    file, line, column = found
    return attrs.evolve(item, file=file, line=line, column=column)
