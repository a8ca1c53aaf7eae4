"""The coverage matrix: hazard × level → who leads, who works, what is done.

One row per tier, hazard and level.  The district tier holds the district's
plans; each town with structured plans of its own gets a tier
``town:<id>``.  A special plan covers a hazard at a level when it names the
hazard and sets out a response for the level.  The general plan (the "1")
covers a hazard it names, or every hazard if it names none, but only where
no special plan of its tier does: it coordinates, it does not compete.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from cmdsim.model import Command, District, Level, Plan, PlanKind, PlanTier

DISTRICT_TIER = "district"


def tier_of(plan: Plan) -> str:
    """The matrix tier of a plan: ``district``, ``town:<id>`` or ``community``."""
    if plan.tier is PlanTier.TOWN:
        return f"town:{plan.town}" if plan.town else "town"
    return str(plan.tier.value)


@attrs.frozen
class Entry:
    """One plan's part in a cell: its lead HQ, the units it moves, its tasks."""

    plan: str
    plan_index: int
    lead: str | None
    general: bool
    units: tuple[str, ...]
    tasks: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "lead": self.lead,
            "general": self.general,
            "units": list(self.units),
            "tasks": list(self.tasks),
        }


@attrs.frozen
class Cell:
    """Who covers one hazard at one level in one tier."""

    tier: str
    hazard: str
    level: Level
    entries: tuple[Entry, ...]

    @property
    def acting(self) -> tuple[Entry, ...]:
        """The entries that lead: the special plans, or the general one if none."""
        special = tuple(e for e in self.entries if not e.general and e.lead is not None)
        if special:
            return special
        return tuple(e for e in self.entries if e.general and e.lead is not None)

    @property
    def leads(self) -> tuple[str, ...]:
        """Distinct lead HQs, in plan order."""
        return tuple(dict.fromkeys(e.lead for e in self.acting if e.lead is not None))

    def to_dict(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "hazard": self.hazard,
            "level": self.level.value,
            "leads": list(self.leads),
            "plans": [e.to_dict() for e in self.entries],
        }


LEVELS_HIGH_FIRST = tuple(sorted(Level, reverse=True))


@attrs.frozen
class Matrix:
    """Cells in a stable order: tier (district first), hazard, level I → IV."""

    cells: tuple[Cell, ...]

    def __iter__(self) -> Iterator[Cell]:
        return iter(self.cells)

    def __len__(self) -> int:
        return len(self.cells)

    def cell(self, tier: str, hazard: str, level: Level) -> Cell | None:
        for cell in self.cells:
            if (cell.tier, cell.hazard, cell.level) == (tier, hazard, level):
                return cell
        return None

    def to_dict(self) -> list[dict[str, Any]]:
        return [cell.to_dict() for cell in self.cells]


def _entry(plan: Plan, index: int, level: Level, commands: dict[str, Command]) -> Entry:
    response = plan.levels[level]
    units: dict[str, None] = {}
    for command_id in (*([plan.lead] if plan.lead else []), *response.activate):
        command = commands.get(command_id)
        if command is None:
            continue
        units[command.lead_unit] = None
        for member in command.member_units:
            units[member] = None
    for task in response.tasks:
        units[task.unit] = None
    return Entry(
        plan=plan.id,
        plan_index=index,
        lead=plan.lead,
        general=plan.kind is PlanKind.GENERAL,
        units=tuple(units),
        tasks=tuple(t.id for t in response.tasks),
    )


def build_matrix(district: District) -> Matrix:
    """The coverage matrix of a district's plans.

    Every district hazard gets a row at every level in the district tier,
    covered or not; town tiers get rows only for what their plans cover.
    Cost is linear in plans × levels + hazards.
    """
    hazard_ids = [h.id for h in district.hazards]
    commands = {c.id: c for c in district.commands}
    cells: dict[tuple[str, str, Level], list[Entry]] = {}
    for hazard in hazard_ids:
        for level in LEVELS_HIGH_FIRST:
            cells[(DISTRICT_TIER, hazard, level)] = []
    for index, plan in enumerate(district.plans):
        # A handbook-kind plan is counted like a special plan: the engine
        # governs its hazard's incidents by it (Compiled.plan_for), so the
        # matrix must show it where it leads.
        tier = tier_of(plan)
        hazards: tuple[str, ...] = plan.hazards
        if not hazards and plan.kind is PlanKind.GENERAL:
            hazards = tuple(hazard_ids)
        for level in LEVELS_HIGH_FIRST:
            if level not in plan.levels:
                continue
            entry = _entry(plan, index, level, commands)
            for hazard in hazards:
                cells.setdefault((tier, hazard, level), []).append(entry)
    order = {h: i for i, h in enumerate(hazard_ids)}
    ranks = {level: i for i, level in enumerate(LEVELS_HIGH_FIRST)}

    def key(item: tuple[tuple[str, str, Level], list[Entry]]) -> tuple[int, str, int, str, int]:
        (tier, hazard, level), _ = item
        return (
            tier != DISTRICT_TIER,
            tier,
            order.get(hazard, len(order)),
            hazard,
            ranks[level],
        )

    return Matrix(
        tuple(
            Cell(tier, hazard, level, tuple(entries))
            for (tier, hazard, level), entries in sorted(cells.items(), key=key)
        )
    )
