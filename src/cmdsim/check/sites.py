"""Two leads on one site (CMD080) and merge rules with no lead (CMD081).

The tasks of a merged site's plans (CMD082) are :mod:`cmdsim.check.site_tasks`'.

A plan's ``sites`` lists the site types (an incident's ``location_type``)
where its lead can lead.  Two district plans with different leads that can
both lead at one site type, at a level both their triggers can set, put two
leads on one site when their hazards meet there — unless a merge rule
(``MergeRule``, usually the general plan's) makes them one response, whose
precedence names the one lead.

Who leads a hazard's incidents is the engine's choice
(:meth:`PlanChoice.district_plan_for`, as ``sim/sites.py`` names a merged
site's lead): a plan leads only the hazards it governs, and a hazard is led
when the plan governing it has a lead — the general plan naming no hazard
for the hazards no plan names included.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.matrix import town_pairs
from cmdsim.check.words import Join, say
from cmdsim.model import District, Plan, PlanTier
from cmdsim.model.governing import PlanChoice, plan_choice
from cmdsim.model.levels import Level


def _levels(plan: Plan) -> set[Level]:
    """The levels the plan's triggers can set: where its lead can lead."""
    return {trigger.level for trigger in plan.triggers}


def governing_plans(district: District, choice: PlanChoice) -> dict[str, list[Plan]]:
    """Hazard -> the plans the district room decides its incidents by (one
    per town at most, the incident's town mattering only where no district
    plan names the hazard)."""
    out: dict[str, list[Plan]] = {}
    for hazard in (h.id for h in district.hazards):
        plan = choice.district_plan_for(hazard, None)
        out[hazard] = [plan] if plan is not None else []
    # A town's incidents differ only where a plan of the town names the hazard.
    for town, hazard in town_pairs(choice):
        found = out.get(hazard)
        plan = choice.district_plan_for(hazard, town)
        if found is not None and plan is not None and all(plan is not p for p in found):
            found.append(plan)
    return out


def _leading(district: District, governing: dict[str, list[Plan]]) -> list[tuple[int, Plan]]:
    """The district plans with a lead that govern some hazard they name."""
    governs = {id(p) for plans in governing.values() for p in plans}
    return [
        (index, plan)
        for index, plan in enumerate(district.plans)
        if plan.tier is PlanTier.DISTRICT
        and plan.lead is not None
        and plan.hazards
        and id(plan) in governs
    ]


def check_sites(district: District) -> Iterator[Finding]:
    governing = governing_plans(district, plan_choice(district))
    rules = [rule for plan in district.plans for rule in plan.merge]
    sited = [(index, plan) for index, plan in _leading(district, governing) if plan.sites]
    for (_, first), (index, second) in itertools.combinations(sited, 2):
        if first.lead == second.lead:
            continue
        common = [site for site in second.sites if site in first.sites]
        levels = _levels(first) & _levels(second)
        if not common or not levels:
            continue
        resolved = any(
            set(first.hazards) & set(rule.hazards) and set(second.hazards) & set(rule.hazards)
            for rule in rules
        )
        if resolved:
            continue
        shown = Join([level.value for level in sorted(levels, reverse=True)])
        said = say(
            "CMD080",
            first=first.id,
            first_lead=first.lead,
            second=second.id,
            second_lead=second.lead,
            site=common[0],
            levels=shown,
        )
        yield finding("CMD080", said, f"plans[{index}].sites")
    led = {h for h, plans in governing.items() if any(p.lead is not None for p in plans)}
    for pi, plan in enumerate(district.plans):
        for mi, rule in enumerate(plan.merge):
            for hi, hazard in enumerate(rule.hazards):
                if hazard not in led:
                    said = say("CMD081", rule=rule.id, hazard=hazard)
                    yield finding("CMD081", said, f"plans[{pi}].merge[{mi}].hazards[{hi}]")
