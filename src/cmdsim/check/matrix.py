"""The coverage matrix: hazard × level → who leads, who works, what is done.

One row per tier and hazard, one cell per level.  Who leads a cell is the
engine's choice (:class:`cmdsim.model.governing.PlanChoice`, the one
implementation ``sim/compiled.py`` decides by), not a reading of the plans'
levels of its own:

- **district tier**: every district hazard, at every level.  The district
  room decides an incident by one plan per hazard at *every* level — the
  first district plan naming the hazard, whatever its kind (a general plan
  naming the hazard before its special plan governs it), else the general
  plan naming no hazard for the hazards no plan names.  A level includes
  every lower level's actions (:meth:`Plan.included`), so a level the plan
  does not write has the response of the written levels below it; only
  where the plan writes neither the level nor one below it
  (:meth:`Plan.responds`) does the incident get the governing plan's lead
  and nothing else (the general plan does not fill it), and the cell shows
  the plan governing with *no response* — a gap.
- **town tier** ``town:<id>``: a town's rows where its incidents are decided
  otherwise than the district row says — its duty room decides first by its
  town plan naming the hazard up to the top level that plan's triggers set,
  and the plan its ``escalation.hand_over`` names (or the district plan)
  governs above (``Case.outgrown``, ``Compiled.hand_over_to``) — and where a
  plan of the town names the hazard.  At or below that top the town plan
  governs only while its own triggers set a level: where they set none,
  all of them read together, and the successor's do, the case goes to the
  successor at that level too (:func:`cmdsim.model.governing.outgrown`, the
  engine's rule), so such a cell names the successor as ``handed``
  (:func:`cmdsim.check.handing.handed_levels`).  A report that states a
  level (an inject's ``level``) is asked the same question at that level
  (``Case.wanted``): where it alone hands the case over — the successor's
  triggers set a lower level alone — the cell names the successor as
  ``reported`` (:func:`cmdsim.check.handing.handing`).  Where the district plan for
  the incident has a warning link that fires, a signal hands the case to
  that plan at each level the link maps a colour to, with no ground report
  (``sim/warnings.py``): such a cell names it as ``linked`` where it does
  not govern the level anyway (:func:`cmdsim.check.handing.link_levels`).
  A town's general plan naming no hazard governs nothing (the engine has no
  town fallback), so it fills no cell.
- **other tiers** (``community``): the plans of the tier naming a hazard,
  and as governing the district row's plan — the engine decides a
  community's incident by the district's or its town's plans, never by a
  community-tier plan of its own.

Each cell also lists the plans of its tier that name the hazard and have a
response at the level, written there or below it (``entries``): two of them
with different leads are an overlap (CMD002) even though the engine takes
the first.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import attrs

from cmdsim.check.handing import NOTHING_HANDED, HandedMemo, Handing, handing, link_levels
from cmdsim.check.signals import warned_hazards
from cmdsim.check.words_zh import UI as UI_ZH
from cmdsim.model import Command, District, Level, Plan, PlanKind, PlanTier
from cmdsim.model.governing import (
    PlanChoice,
    linked_levels,
    plan_choice,
    trigger_levels,
)

DISTRICT_TIER = "district"


def tier_of(plan: Plan) -> str:
    """The matrix tier of a plan: ``district``, ``town:<id>`` or ``community``."""
    if plan.tier is PlanTier.TOWN:
        return f"town:{plan.town}" if plan.town else "town"
    return str(plan.tier.value)


@attrs.frozen
class Entry:
    """One plan's part in a cell: its lead HQ, the units it moves, its tasks.

    ``response`` is whether the plan has a response in force at the level as
    the engine runs it (:meth:`Plan.responds`: its own or a lower level's,
    which it includes); ``written`` whether the plan writes the level itself.
    ``units`` and ``tasks`` are what the level sets in motion — its own and
    every lower level's (:meth:`Plan.included`).
    """

    plan: str
    plan_index: int
    lead: str | None
    general: bool
    units: tuple[str, ...]
    tasks: tuple[str, ...]
    response: bool = True
    written: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "lead": self.lead,
            "general": self.general,
            "response": self.response,
            "written": self.written,
            "units": list(self.units),
            "tasks": list(self.tasks),
        }


@attrs.frozen
class Cell:
    """Who covers one hazard at one level in one tier.

    ``governs`` is the plan the engine decides such an incident by (``None``
    when it runs none); ``entries`` the plans of the tier naming the hazard
    with a response at the level, the governing one included when it has one.
    """

    tier: str
    hazard: str
    level: Level
    entries: tuple[Entry, ...]
    governs: Entry | None = None
    claimants: tuple[Entry, ...] = ()
    """The plans of the tier naming the hazard that claim to lead here:
    its special plans with a response at the level, and the governing plan
    when it names the hazard (a general plan naming it before its special
    plan, say), in plan order.  A plan governing by another route (the
    general plan for a hazard no plan names, the plan a town plan hands over
    to) claims nothing."""
    handed: Entry | None = None
    """In a town row at or below its town plan's top: the plan the case goes
    to at this level where the town plan's triggers, together, set no level
    and this plan's do (:func:`cmdsim.model.governing.outgrown`); ``governs``
    leads otherwise."""
    reported: Entry | None = None
    """In a town row at or below its town plan's top, where ``handed`` is not:
    the plan the case goes to when a report states this level (an inject's
    ``level``) while the successor's triggers, not the town plan's, set a
    lower one (:func:`cmdsim.check.handing.handing`)."""
    linked: Entry | None = None
    """In a town row: the district plan whose warning link takes the case
    from the town plan on a signal at this level, with no ground report
    (``sim/warnings.py``), where it is not ``governs``."""

    @property
    def lead(self) -> str | None:
        """The engine's lead HQ for such an incident: the governing plan's,
        with or without a response at this level."""
        return self.governs.lead if self.governs is not None else None

    @property
    def acting(self) -> tuple[Entry, ...]:
        """The governing plan, where it has a lead and a response at this level."""
        gov = self.governs
        if gov is None or gov.lead is None or not gov.response:
            return ()
        return (gov,)

    @property
    def leads(self) -> tuple[str, ...]:
        """The lead HQ whose response an incident here gets: none at a gap."""
        return tuple(e.lead for e in self.acting if e.lead is not None)

    @property
    def no_response(self) -> bool:
        """Whether the governing plan writes neither this level nor one below
        it: the engine calls out its lead and nothing else."""
        return self.governs is not None and not self.governs.response

    @property
    def claims(self) -> tuple[str, ...]:
        """Distinct lead HQs among :attr:`claimants`: two or more is an overlap."""
        return tuple(dict.fromkeys(e.lead for e in self.claimants if e.lead is not None))

    def to_dict(self) -> dict[str, Any]:
        return {
            "tier": self.tier,
            "hazard": self.hazard,
            "level": self.level.value,
            "leads": list(self.leads),
            "governs": None if self.governs is None else self.governs.to_dict(),
            "handed_over": None if self.handed is None else self.handed.to_dict(),
            "handed_over_on_report": None if self.reported is None else self.reported.to_dict(),
            "handed_over_by_link": None if self.linked is None else self.linked.to_dict(),
            "plans": [e.to_dict() for e in self.entries],
        }


LEVELS_HIGH_FIRST = tuple(sorted(Level, reverse=True))


def hand_over_text(
    text: str, up: str | None, linked: str | None, reported: str | None = None, lang: str = "en"
) -> str:
    """A town cell's ``text`` with the lead its case goes to by the triggers
    (``up``: ``(↑gas_hq)``), on a report stating the level (``reported``:
    ``(↑gas_hq on a report)``) and by a signal's warning link (``linked``:
    ``(↑gas_hq on a signal)``; the same lead two ways: ``(↑gas_hq, also on
    a signal)``), as ``cmdsim check`` shows them."""
    report, signal, also = (" on a report", " on a signal", ", also on a signal")
    if lang == "zh":
        report, signal, also = (UI_ZH[f"matrix.{k}"] for k in ("report", "signal", "also"))
    first, how = (up, "") if up is not None else (reported, report)
    if first is not None and first == linked:
        return f"{text} (↑{first}{how}{also})"
    if first is not None:
        text = f"{text} (↑{first}{how})"
    return f"{text} (↑{linked}{signal})" if linked is not None else text


@attrs.frozen
class Matrix:
    """Cells in a stable order: tier (district first), hazard, level I → IV."""

    cells: tuple[Cell, ...]

    def __iter__(self) -> Iterator[Cell]:
        return iter(self.cells)

    def __len__(self) -> int:
        return len(self.cells)

    @functools.cached_property
    def _index(self) -> dict[tuple[str, str, Level], Cell]:
        return {(c.tier, c.hazard, c.level): c for c in self.cells}

    def cell(self, tier: str, hazard: str, level: Level) -> Cell | None:
        return self._index.get((tier, hazard, level))

    def for_incident(self, hazard: str, town: str | None, level: Level) -> Cell | None:
        """The cell that says who leads an incident of ``hazard`` in ``town``
        at ``level``: the town's row where it has one, else the district's."""
        if town is not None:
            found = self.cell(f"town:{town}", hazard, level)
            if found is not None:
                return found
        return self.cell(DISTRICT_TIER, hazard, level)

    def to_dict(self) -> list[dict[str, Any]]:
        return [cell.to_dict() for cell in self.cells]


def _entry(plan: Plan, index: int, level: Level, commands: dict[str, Command]) -> Entry:
    # A cell shows what the level sets in motion as the engine runs it: its
    # own response and every lower level's (Plan.included).
    included = plan.included(level)
    units: dict[str, None] = {}
    for command_id in (*([plan.lead] if plan.lead else []), *included.activate):
        command = commands.get(command_id)
        if command is None:
            continue
        units[command.lead_unit] = None
        for member in command.member_units:
            units[member] = None
    tasks = included.tasks
    for task in tasks:
        units[task.unit] = None
    return Entry(
        plan=plan.id,
        plan_index=index,
        lead=plan.lead,
        general=plan.kind is PlanKind.GENERAL,
        units=tuple(units),
        tasks=tuple(t.id for t in tasks),
        response=plan.responds(level),
        written=level in plan.levels,
    )


def _answers(plan: Plan) -> frozenset[Level]:
    """The levels at which a plan claims an incident of its hazards: those it
    has a response at (:meth:`Plan.responds`) and either writes or can be put
    at by its own triggers or warning link.  Above all of those its rules
    never put an incident (a town plan hands the case over there), so its
    lower levels' response there claims nothing."""
    reached = trigger_levels(plan) | linked_levels(plan)
    top = max(reached, default=None)
    return frozenset(
        level
        for level in Level
        if plan.responds(level) and (level in plan.levels or (top is not None and level <= top))
    )


def top_level(plan: Plan) -> Level | None:
    """The highest level a plan's triggers set (``CompiledPlan.top``): a town
    plan is outgrown above it (``Case.outgrown``)."""
    return max((t.level for t in plan.triggers), default=None)


def town_pairs(choice: PlanChoice) -> dict[tuple[str, str], None]:
    """The ``(town, hazard)`` pairs whose incidents may be decided otherwise
    than one with no town: a town plan its room decides by, or — for a hazard
    no district plan names — a plan of that town naming it.  Every other
    town's incidents are decided as the district row says.  Read from the
    look-ups, so linear in the plans, not towns × hazards."""
    out: dict[tuple[str, str], None] = {}
    for town, hazard in choice.town_first:
        if town in choice.rooms:
            out[(town, hazard)] = None
    for hazard, plans in choice.naming.items():
        if hazard in choice.district_first:
            continue
        for plan in plans:
            if plan.town is not None:
                out.setdefault((plan.town, hazard), None)
    return out


@attrs.frozen
class RowRule:
    """Who governs a row at each level: ``below`` up to ``top`` (at every
    level when ``top`` is None), ``above`` over it — a town plan and the plan
    it hands an outgrown incident over to, which takes it at the levels of
    ``lower`` too where the town plan's triggers set no level, by the
    successor's triggers or a report stating the level
    (:func:`cmdsim.check.handing.handing`); and ``linked``, the
    district plan whose warning link takes the case from the town plan on a
    signal, at the levels ``signalled`` (:func:`cmdsim.check.handing.link_levels`)."""

    below: Plan | None
    top: Level | None = None
    above: Plan | None = None
    lower: Handing = NOTHING_HANDED
    linked: Plan | None = None
    signalled: frozenset[Level] = frozenset()

    def handed(self, level: Level) -> Plan | None:
        """The plan a case at ``level`` goes to though the town plan covers
        the level: where its triggers set none and this plan's do."""
        return self.above if level in self.lower.triggered else None

    def on_report(self, level: Level) -> Plan | None:
        """The plan a case goes to when a report states ``level``, where the
        town plan covers the level and the triggers alone do not hand it over."""
        return self.above if level in self.lower.reported else None

    def by_link(self, level: Level) -> Plan | None:
        """The plan a signal's warning link hands a case at ``level`` to,
        where it is not the plan governing the level anyway."""
        plan = self.linked
        if plan is None or level not in self.signalled:
            return None
        governing = self.at(level)
        return None if governing is not None and governing.id == plan.id else plan

    def at(self, level: Level) -> Plan | None:
        """The plan the engine decides an incident of the row at ``level`` by."""
        return self.above if self.top is not None and level > self.top else self.below


def governing_rows(district: District, choice: PlanChoice) -> dict[tuple[str, str], RowRule]:
    """``(tier, hazard)`` -> who governs there, for the district row of every
    hazard and the town rows whose incidents are decided otherwise: a town
    plan its room decides by, up to the top level its triggers set (the
    engine's ``Case.outgrown``), then the plan it hands over to (its
    ``hand_over``, else the district's: ``PlanChoice.successor``); with no
    trigger, that plan at every level.  Linear in plans + hazards + towns."""
    out: dict[tuple[str, str], RowRule] = {}
    district_rule: dict[str, Plan | None] = {}
    warned = warned_hazards(district)
    # Every town's plan repeats the same few triggers: one answer for each.
    memo: HandedMemo = {}
    for hazard in (h.id for h in district.hazards):
        district_rule[hazard] = choice.district_plan_for(hazard, None)
        out[(DISTRICT_TIER, hazard)] = RowRule(district_rule[hazard])
    towns = {t.id for t in district.towns}
    for town, hazard in town_pairs(choice):
        if town not in towns or hazard not in district_rule:
            continue
        local = choice.town_plan_for(hazard, town)
        if local is None:
            other = choice.district_plan_for(hazard, town)
            if other is not district_rule[hazard]:
                out[(f"town:{town}", hazard)] = RowRule(other)
            continue
        successor = choice.successor(local, hazard)
        top = top_level(local)
        if successor is None:
            rule = RowRule(local)
        elif top is None:
            rule = RowRule(successor)  # no trigger: outgrown at once
        else:
            rule = RowRule(local, top, successor, handing(local, successor, memo))
        # The district room's plan for the incident: its warning link takes
        # the case from the town plan on a signal (sim/warnings.py, claim).
        ruling = choice.district_plan_for(hazard, town)
        if ruling is not None and ruling.id != local.id:
            levels = link_levels(ruling, hazard in warned)
            if levels:
                rule = attrs.evolve(rule, linked=ruling, signalled=levels)
        out[(f"town:{town}", hazard)] = rule
    return out


def build_matrix(district: District, choice: PlanChoice | None = None) -> Matrix:
    """The coverage matrix of a district's plans.

    Every district hazard gets a row at every level in the district tier,
    covered or not; a town gets rows for the hazards its incidents are
    decided otherwise than the district's (:func:`governing_rows`), or one
    of its plans names; other tiers (community) rows for what their plans
    name, with nobody governing.  Cost is linear in plans × levels +
    hazards + towns.
    """
    ix = choice if choice is not None else plan_choice(district)
    hazard_ids = [h.id for h in district.hazards]
    commands = {c.id: c for c in district.commands}
    index = {id(p): i for i, p in enumerate(district.plans)}
    governs = governing_rows(district, ix)
    rows: dict[tuple[str, str], None] = dict.fromkeys(governs)
    named: dict[tuple[str, str, Level], list[Entry]] = {}
    for i, plan in enumerate(district.plans):
        tier = tier_of(plan)
        answers = _answers(plan)
        for hazard in dict.fromkeys(plan.hazards):
            rows.setdefault((tier, hazard), None)
            for level in LEVELS_HIGH_FIRST:
                if level in answers:
                    named.setdefault((tier, hazard, level), []).append(
                        _entry(plan, i, level, commands)
                    )
    nobody = RowRule(None)

    def rule_of(tier: str, hazard: str) -> RowRule:
        found = governs.get((tier, hazard))
        if found is None and tier != DISTRICT_TIER:
            # A town with no row of its own, and a community (no community
            # plan decides an incident), are decided as the district row says.
            found = governs.get((DISTRICT_TIER, hazard))
        return found if found is not None else nobody

    entry_of: dict[tuple[int, Level], Entry] = {}

    def entry(rule: Plan, at: int, level: Level) -> Entry:
        found = entry_of.get((at, level))
        if found is None:
            found = entry_of[(at, level)] = _entry(rule, at, level, commands)
        return found

    order = {h: i for i, h in enumerate(hazard_ids)}

    def key(row: tuple[str, str]) -> tuple[int, str, int, str]:
        tier, hazard = row
        return (tier != DISTRICT_TIER, tier, order.get(hazard, len(order)), hazard)

    cells: list[Cell] = []
    for tier, hazard in sorted(rows, key=key):
        row = rule_of(tier, hazard)
        for level in LEVELS_HIGH_FIRST:
            entries = list(named.get((tier, hazard, level), ()))
            rule = row.at(level)
            gov = None
            if rule is not None:
                at = index[id(rule)]
                gov = next((e for e in entries if e.plan_index == at), None)
                if gov is None:
                    gov = entry(rule, at, level)
                if gov.response and all(e.plan_index != at for e in entries):
                    entries.append(gov)
                    entries.sort(key=lambda e: e.plan_index)
            acting = gov.plan_index if gov is not None and gov.response and gov.lead else None
            claim = list(named.get((tier, hazard, level), ()))
            if (
                gov is not None
                and rule is not None
                and acting is not None
                and all(e.plan_index != acting for e in claim)
                and tier_of(rule) == tier
                and hazard in rule.hazards
            ):
                # The governing plan claims every level it has a response at,
                # a lower level's included, whether its triggers set it or not.
                claim.append(gov)
                claim.sort(key=lambda e: e.plan_index)
            claimants = tuple(
                e for e in claim if e.lead is not None and (not e.general or e.plan_index == acting)
            )
            lower = row.handed(level)
            handed = None if lower is None else entry(lower, index[id(lower)], level)
            stated = row.on_report(level)
            reported = None if stated is None else entry(stated, index[id(stated)], level)
            up = row.by_link(level)
            linked = None if up is None else entry(up, index[id(up)], level)
            cells.append(
                Cell(tier, hazard, level, tuple(entries), gov, claimants, handed, reported, linked)
            )
    return Matrix(tuple(cells))
