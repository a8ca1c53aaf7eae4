"""Two leads on one site (CMD080) and merge rules with no lead (CMD081).

A plan's ``sites`` lists the site types (an incident's ``location_type``)
where its lead can lead.  Two district plans with different leads that can
both lead at one site type, at a level both their triggers can set, put two
leads on one site when their hazards meet there — unless a merge rule
(``MergeRule``, usually the general plan's) makes them one response, whose
precedence names the one lead.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.model import District, Plan, PlanTier
from cmdsim.model.levels import Level


def _levels(plan: Plan) -> set[Level]:
    """The levels the plan's triggers can set: where its lead can lead."""
    return {trigger.level for trigger in plan.triggers}


def _leading(district: District) -> list[tuple[int, Plan]]:
    return [
        (index, plan)
        for index, plan in enumerate(district.plans)
        if plan.tier is PlanTier.DISTRICT and plan.lead is not None and plan.hazards
    ]


def check_sites(district: District) -> Iterator[Finding]:
    rules = [rule for plan in district.plans for rule in plan.merge]
    sited = [(index, plan) for index, plan in _leading(district) if plan.sites]
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
        shown = ", ".join(level.value for level in sorted(levels, reverse=True))
        yield finding(
            "CMD080",
            f"plans {first.id!r} (lead {first.lead}) and {second.id!r} (lead {second.lead}) "
            f"can both lead at site type {common[0]!r} at level {shown}, and no merge rule "
            "makes one response of their hazards",
            f"plans[{index}].sites",
        )
    led = {hazard for _, plan in _leading(district) for hazard in plan.hazards}
    for pi, plan in enumerate(district.plans):
        for mi, rule in enumerate(plan.merge):
            for hi, hazard in enumerate(rule.hazards):
                if hazard not in led:
                    yield finding(
                        "CMD081",
                        f"merge rule {rule.id!r} names {hazard!r}, which no district plan "
                        "with a lead covers",
                        f"plans[{pi}].merge[{mi}].hazards[{hi}]",
                    )
