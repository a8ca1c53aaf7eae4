"""An MSEL's places as the district's ids: each inject's channel (from the
row's method), hazard, town and recipient, whether a cell gives the id, the
name or its Chinese or English part; what a cell names nothing of is a
located error with the close names in the language it was written in.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

import attrs

from cmdsim.errors import LoadError, Problem
from cmdsim.exercise.msel import Msel, MselEntry
from cmdsim.model import Inject
from cmdsim.names import chinese_part


def resolve_channels(msel: Msel, channels: Iterable[Any]) -> Msel:
    """Set each inject's ``channel`` where its method names a district channel.

    A method matches a channel by id, by name or by kind (``hotline``,
    ``app``, ``police`` …), case-insensitively; otherwise it stays text.
    """
    table: dict[str, str] = {}
    for channel in channels:
        for key in (channel.kind.value, channel.name, channel.id):
            if key:
                table[str(key).strip().lower()] = channel.id
    resolved = []
    for entry in msel.entries:
        target = table.get(entry.method.strip().lower()) if entry.method else None
        if target is not None:
            entry = attrs.evolve(entry, inject=attrs.evolve(entry.inject, channel=target))
        resolved.append(entry)
    return attrs.evolve(msel, entries=tuple(resolved))


def resolve_places(msel: Msel, district: Any) -> Msel:
    """Each inject's hazard, town and recipient (``to``) as the ``district``'s ids.

    A cell may give the id, the name as the district files write it, or its
    Chinese part (``川沙新镇``, ``防汛防台`` for ``防汛防台 flood and
    typhoon``) or English part.  One that names nothing is a
    :class:`~cmdsim.errors.LoadError` at its row and column, with the close
    matches in the language it was written in: Chinese names for Chinese
    text, ids for the rest.
    """
    tables = {
        "hazard": _PlaceNames(district.hazards, "hazards"),
        "town": _PlaceNames(district.towns, "towns"),
        "to": recipient_names(district),
    }
    problems: list[Problem] = []
    resolved: list[MselEntry] = []
    for entry in msel.entries:
        changes: dict[str, str] = {}
        for field, table in tables.items():
            value = getattr(entry.inject, field)
            if not value or value in table.ids:
                continue
            found = table.names.get(value.casefold())
            if found is not None:
                changes[field] = found
                continue
            if field == "to":
                continue  # a message's address; an incident report's is checked once merged
            path, column = entry.cells.get(field, (field, None))
            problems.append(
                Problem(
                    f"unknown {_WHAT.get(field, field)} {value!r}{table.hint(value)}",
                    path,
                    entry.file or msel.source,
                    entry.line,
                    column,
                )
            )
        if changes:
            inject = attrs.evolve(
                entry.inject,
                hazard=changes.get("hazard", entry.inject.hazard),
                town=changes.get("town", entry.inject.town),
                to=changes.get("to", entry.inject.to),
            )
            entry = attrs.evolve(entry, inject=inject)
        resolved.append(entry)
    if problems:
        raise LoadError(problems)
    return attrs.evolve(msel, entries=tuple(resolved))


def inject_places(district: Any, hazard: str, town: str) -> tuple[dict[str, str], list[Problem]]:
    """The hazard and town an inject added during an exercise names (the
    console's, a served one's), as the ``district``'s ids, given by id or
    name as an MSEL's cells give them; and a problem per one that names
    nothing, with the close names (``town``: unknown town '三林' (did you
    mean 三林镇?)).  Empty text names nothing and is left out."""
    if not hazard and not town:
        return {}, []
    probe = Inject(id="probe", at=0.0, hazard=hazard or None, town=town or None)
    try:
        msel = resolve_places(Msel(entries=(MselEntry(inject=probe),)), district)
    except LoadError as exc:
        return {}, [Problem(p.message, p.path) for p in exc.problems]
    resolved = msel.entries[0].inject
    places = {"hazard": resolved.hazard, "town": resolved.town}
    return {k: v for k, v in places.items() if v}, []


def recipient_names(district: Any) -> _PlaceNames:
    """Whom an inject may be addressed to, by id or name: the district's duty
    rooms, commands, units and towns.  Free text would reach a room by
    accident ("District duty room" is no room's id, and an inject naming a
    town went to the town's room)."""
    items = (*district.duty_rooms(), *district.commands, *district.units, *district.towns)
    return _PlaceNames(items, "duty_rooms, commands, units or towns")


def command_names(district: Any) -> _PlaceNames:
    """The district's commands (HQs) by id and by name (whole, Chinese part,
    English part): what a facilitator may type for an HQ to activate
    (``区燃气事故应急处置指挥部`` for ``gas_hq``)."""
    return _PlaceNames(district.commands, "commands")


def resolve_recipient(to: str, names: _PlaceNames) -> str:
    """``to`` as an id where it names a recipient (``names``), else as written."""
    if not to or to in names.ids:
        return to
    return names.names.get(to.casefold(), to)


_WHAT = {"to": "recipient"}
"""A field's name in an error, where it is not the field's own."""


class _PlaceNames:
    """A district's hazards or towns by id and by name (whole, Chinese part,
    English part, case-insensitive); a name two of them share names neither."""

    def __init__(self, items: Iterable[Any], kinds: str) -> None:
        items = tuple(items)
        self.kinds = kinds
        """What ``cmdsim show --list`` lists them as."""
        self.ids = {str(i.id) for i in items}
        self.chinese: dict[str, str] = {}
        names: dict[str, str | None] = {}
        for item in items:
            name = " ".join(str(item.name or "").split())
            chinese = chinese_part(name)
            english = name[len(chinese) :].strip(" ·:-—(（") if chinese else ""
            if chinese:
                self.chinese[chinese] = item.id
            for key in {name, chinese, english} - {""}:
                key = key.casefold()
                names[key] = item.id if names.get(key, item.id) == item.id else None
        self.names = {k: v for k, v in names.items() if v is not None and k not in self.ids}

    def hint(self, value: str) -> str:
        chinese = not value.isascii()
        pool = list(self.chinese) if chinese else sorted(self.ids)
        close = difflib.get_close_matches(value, pool, n=3, cutoff=0.6)
        if close:
            return f" (did you mean {' or '.join(close)}?)"
        return f" (`cmdsim show DISTRICT --list {self.kinds}` lists them)"
