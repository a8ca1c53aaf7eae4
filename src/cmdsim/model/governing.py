"""Which plan governs an incident: one choice for the engine and the checker.

The engine (``sim/compiled.py``) decides an incident by the plan this module
names, and ``cmdsim check`` (``check/governs.py``) reads the same choice to
find duties that never run; a second copy of the rules had to be held to the
first by tests.
"""

from __future__ import annotations

from cmdsim.model.levels import Level, Signal
from cmdsim.model.plans import Plan, PlanTier, WarningLink
from cmdsim.model.scenario import District, covering_plan


class PlanChoice:
    """Which plan governs an incident, as look-ups built once per district:
    the engine's choice (``sim.compiled.Compiled.plan_for``, ``town_plan_for``,
    ``hand_over_to``) and what ``cmdsim check`` reads of it (CMD006–CMD009),
    one implementation; asking it for every hazard × town stays linear in
    the district's size."""

    def __init__(self, district: District) -> None:
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


__all__ = ["PlanChoice"]
