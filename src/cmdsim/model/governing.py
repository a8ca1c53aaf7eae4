"""Which plan governs an incident: one choice for the engine and the checker.

The engine (``sim/compiled.py``) decides an incident by the plan this module
names, and ``cmdsim check`` (``check/governs.py``) reads the same choice to
find duties that never run; a second copy of the rules had to be held to the
first by tests.  Which levels each plan can be put at (:meth:`PlanChoice.reach`)
follows from the same choice, for the checks that find duties at levels
never reached (CMD008, CMD025, CMD044, CMD045).
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterator

from cmdsim.model.levels import Level, Signal
from cmdsim.model.plans import Plan, PlanTier, WarningLink
from cmdsim.model.scenario import District, covering_plan


def trigger_levels(plan: Plan) -> frozenset[Level]:
    """The levels the plan's triggers set, each also one higher when the plan
    has raise flags (an incident's flag, or a holiday, raises it once)."""
    levels = {t.level for t in plan.triggers}
    if plan.raise_flags:
        levels |= {level.raised() for level in levels}
    return frozenset(levels)


def outgrown(top: Level | None, level: Level, own: Level | None, after: Level | None) -> bool:
    """Whether a town case whose warranted level is ``level`` outgrows its
    town plan, whose triggers reach ``top`` at most and set ``own`` on what
    is known, while its successor's set ``after``: above ``top`` (at once
    with no trigger), or where the town plan's triggers set no level and its
    successor's set one — the district plan's thresholds reached before the
    town plan's.  The engine's rule (``Case.outgrown``); the coverage
    matrix's town rows read it (``check.handing.handed_levels``).

    >>> outgrown(Level.IV, Level.IV, None, Level.IV), outgrown(Level.IV, Level.IV, Level.IV, None)
    (True, False)
    """
    if top is None or level > top:
        return True
    return own is None and after is not None


def linked_levels(plan: Plan) -> frozenset[Level]:
    """The levels the plan's warning link starts (none without a link)."""
    return frozenset(plan.warnings.levels.values()) if plan.warnings is not None else frozenset()


class PlanChoice:
    """Which plan governs an incident, as look-ups built once per district:
    the engine's choice (``sim.compiled.Compiled.plan_for``, ``town_plan_for``,
    ``hand_over_to``) and what ``cmdsim check`` reads of it (CMD006–CMD009),
    one implementation; asking it for every hazard × town stays linear in
    the district's size."""

    def __init__(self, district: District) -> None:
        self.hazards = tuple(h.id for h in district.hazards)
        self.towns: tuple[str | None, ...] = (None, *(t.id for t in district.towns))
        self.merges = tuple(rule for plan in district.plans for rule in plan.merge)
        self._reach: dict[int, frozenset[Level]] | None = None
        self.covering = covering_plan(district)
        self.rooms = {t.id for t in district.towns if t.duty_room is not None}
        self.naming: dict[str, list[Plan]] = {}
        self.district_first: dict[str, Plan] = {}
        self.town_first: dict[tuple[str, str], Plan] = {}
        self.by_id: dict[str, list[Plan]] = {}
        for plan in district.plans:
            self.by_id.setdefault(plan.id, []).append(plan)
            for hazard in dict.fromkeys(plan.hazards):
                self.naming.setdefault(hazard, []).append(plan)
                if plan.tier is PlanTier.DISTRICT:
                    self.district_first.setdefault(hazard, plan)
                if plan.tier is PlanTier.TOWN and plan.town is not None:
                    self.town_first.setdefault((plan.town, hazard), plan)
        known = set(self.towns)
        self._towns_of: dict[str, tuple[str | None, ...]] = {}
        for hazard, plans in self.naming.items():
            named = dict.fromkeys(p.town for p in plans if p.town is not None and p.town in known)
            self._towns_of[hazard] = (None, *named)

    def towns_of(self, hazard: str) -> tuple[str | None, ...]:
        """Towns standing for every town in the choice for ``hazard``: no town,
        then each town a plan naming the hazard belongs to.  Any other town's
        incident is decided as one with no town (no district plan for it, no
        town plan of its own), so asking for these gives every plan the
        engine can choose — in time linear in the plans, not towns × hazards."""
        return self._towns_of.get(hazard, (None,))

    def district_plan_for(self, hazard: str, town: str | None) -> Plan | None:
        """The plan the district room decides an incident by: the first
        district-tier plan naming the hazard, else the first plan naming it
        whose town is the incident's or none, else :func:`covering_plan`."""
        found = self.district_first.get(hazard)
        if found is None:
            found = next(
                (p for p in self.naming.get(hazard, ()) if p.town is None or p.town == town),
                None,
            )
        return found if found is not None else self.covering

    def town_plan_for(self, hazard: str, town: str | None) -> Plan | None:
        """The town-tier plan of ``town`` naming the hazard, if the town has
        a duty room to run it: its room decides the incident first."""
        if town is None or town not in self.rooms:
            return None
        return self.town_first.get((town, hazard))

    def deciding(self, hazard: str, town: str | None) -> list[Plan]:
        """The plans whose triggers (and ``raise_flags``) decide the level of
        an incident of ``hazard`` in ``town``: its town plan and the one
        that takes over from it, or its district plan."""
        local = self.town_plan_for(hazard, town)
        found = (
            [local, self.successor(local, hazard)]
            if local is not None
            else [self.district_plan_for(hazard, town)]
        )
        return [plan for plan in found if plan is not None]

    def successor(self, plan: Plan, hazard: str) -> Plan | None:
        """The plan taking over an incident that outgrows ``plan``: the first
        of its ``escalation.hand_over`` naming the hazard, else the first
        named, else the first district-tier plan naming the hazard, else
        :func:`covering_plan`."""
        named = [p for name in plan.escalation.hand_over for p in self.by_id.get(name, ())]
        if named:
            return next((p for p in named if hazard in p.hazards), named[0])
        found = self.district_first.get(hazard)
        return found if found is not None else self.covering

    def level_called_for(self, hazard: str, town: str | None, signal: Signal) -> Level | None:
        """The level ``signal`` calls for on an incident of ``hazard`` in
        ``town`` (what its ``signal_lag`` is measured to): the district
        plan's warning link's, else the town plan's own link's, else the
        plans' triggers on the colour alone (the district plan's, then the
        town plan's); ``None`` when none maps the colour."""
        district = self.district_plan_for(hazard, town)
        own = self.town_plan_for(hazard, town)
        links: list[WarningLink] = []
        if district is not None and district.warnings is not None and district is not own:
            links.append(district.warnings)
        if own is not None and own.warnings is not None:
            links.append(own.warnings)
        for link in links:
            level = link.level_for(signal)
            if level is not None:
                return level
        for plan in (district, own):
            if plan is not None:
                level = plan.level_for({"signal": signal})
                if level is not None:
                    return level
        return None

    def reach(self, plan: Plan) -> frozenset[Level]:
        """Every level the engine can put in force under ``plan`` as the plan a
        case is decided by, from the district's plans alone; empty when it
        governs no incident.

        At the district room (the plan for a hazard, or a town plan's
        successor): the levels of its triggers (raised once by a flag) and of
        the warning link a signal comes by (the plan for the hazard's: its
        own, or for a successor that plan's), and those of the triggers and
        warning links of the plans whose incidents a merge rule folds into
        its cases (a sub-incident's hazard at or after the plan's in the
        rule).  At a
        town's room, under a town plan that hands over: its own levels and
        those of its successor's triggers, none above its triggers' top
        (beyond it the case is handed over); without a plan to hand over to,
        its own levels; and the levels the links of the town plans of a
        merged site's sub-incidents start.  A level a report or inject
        states, or a drill player's decision, can put any level in force:
        that is the scenario's or the player's, not the plan's.
        """
        if self._reach is None:
            self._reach = {key: frozenset(levels) for key, levels in self._levels().items()}
        return self._reach.get(id(plan), frozenset())

    def _levels(self) -> dict[int, set[Level]]:
        out: dict[int, set[Level]] = {}

        def add(plan: Plan, levels: frozenset[Level]) -> None:
            out.setdefault(id(plan), set()).update(levels)

        deciders: dict[str, dict[int, Plan]] = {}
        locals_: dict[str, dict[int, Plan]] = {}
        leads: dict[str, dict[int, Plan]] = {}
        for hazard in self.hazards:
            for town in self.towns_of(hazard):
                found = self.district_plan_for(hazard, town)
                if found is not None:
                    deciders.setdefault(hazard, {})[id(found)] = found
                    leads.setdefault(hazard, {})[id(found)] = found
                    add(found, trigger_levels(found) | linked_levels(found))
                local = self.town_plan_for(hazard, town)
                if local is None:
                    continue
                locals_.setdefault(hazard, {})[id(local)] = local
                after = self.successor(local, hazard)
                own = trigger_levels(local) | linked_levels(local)
                if after is None:
                    add(local, own)
                    continue
                # The successor decides by its triggers; a signal comes by the
                # link of the plan the district room decides the hazard by.
                leads.setdefault(hazard, {})[id(after)] = after
                add(after, trigger_levels(after))
                if found is not None and found is not local:
                    add(after, linked_levels(found))
                top = max((t.level for t in local.triggers), default=None)
                if top is not None:
                    capped = {min(level, top) for level in own}
                    capped |= {level for level in trigger_levels(after) if level <= top}
                    add(local, frozenset(capped))
        # A site's case takes the levels its sub-incidents' plans set: at the
        # district room their triggers and warning links, at a town's room
        # the links of their town plans (the room reads no other plan).
        for rule in self.merges:
            for index, hazard in enumerate(rule.hazards):
                later = rule.hazards[index:]
                for lead, other in _pairs(leads, deciders, hazard, later):
                    add(lead, trigger_levels(other) | linked_levels(other))
                for lead, other in _pairs(locals_, locals_, hazard, later):
                    add(lead, linked_levels(other))
        return out


def _pairs(
    leading: dict[str, dict[int, Plan]],
    deciding: dict[str, dict[int, Plan]],
    hazard: str,
    later: tuple[str, ...],
) -> Iterator[tuple[Plan, Plan]]:
    """Each plan ``leading`` a case of ``hazard`` with each other plan
    ``deciding`` one of ``later``: the lead of a merged site's case and a
    sub-incident's plan."""
    joined = {key: p for h in later for key, p in deciding.get(h, {}).items()}
    for lead in leading.get(hazard, {}).values():
        for other in joined.values():
            if other.id != lead.id:
                yield lead, other


_CHOICES: dict[int, tuple[weakref.ref[District], PlanChoice]] = {}


def plan_choice(district: District) -> PlanChoice:
    """The :class:`PlanChoice` of ``district``, built once while it lives: the
    checks each ask for it, and a district does not change in place (frozen
    attrs classes, :class:`~cmdsim.model.frozen.FrozenDict`).

    >>> from cmdsim import bundled
    >>> from cmdsim.io import load_scenario
    >>> district = load_scenario(bundled.path("gas.yaml")).district
    >>> plan_choice(district) is plan_choice(district)
    True
    """
    key = id(district)
    held = _CHOICES.get(key)
    if held is not None and held[0]() is district:
        return held[1]
    choice = PlanChoice(district)

    def forget(_: object) -> None:
        kept = _CHOICES.get(key)
        if kept is not None and kept[0]() is None:
            del _CHOICES[key]

    # A district without weak references is not remembered: built each time.
    with contextlib.suppress(TypeError):
        _CHOICES[key] = (weakref.ref(district, forget), choice)
    return choice


__all__ = [
    "PlanChoice",
    "linked_levels",
    "outgrown",
    "plan_choice",
    "trigger_levels",
]
