"""Town plan sets and community handbooks (CMD060–CMD063).

A town has the special plan for a hazard when its plan set lists the hazard
or the district holds a structured town plan of that town for it.  A
committee acts on its handbook only for the hazards the district's
handbook covers (``community.handbook_hazards``); on any other it waits for
its town room's instructions as one without a handbook does (CMD063).
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.words import say
from cmdsim.model import District, PlanKind, PlanTier


def check_towns(district: District) -> Iterator[Finding]:
    structured: dict[str, set[str]] = {}
    for plan in district.plans:
        owner = plan.town
        if plan.tier is PlanTier.TOWN and owner is not None and plan.kind is not PlanKind.GENERAL:
            structured.setdefault(owner, set()).update(plan.hazards)
    for ti, town in enumerate(district.towns):
        base = f"towns[{ti}]"
        has = set(town.plan_set.special) | structured.get(town.id, set())
        for hazard in district.town_required:
            if hazard not in has:
                said = say("CMD060", town=town.id, hazard=hazard)
                yield finding("CMD060", said, f"{base}.plan_set.special")
        if not town.plan_set.general:
            yield finding("CMD062", say("CMD062", town=town.id), f"{base}.plan_set.general")
        for ci, committee in enumerate(town.committees):
            if not committee.handbook:
                said = say("CMD061", committee=committee.id, town=town.id)
                yield finding("CMD061", said, f"{base}.committees[{ci}].handbook")


def governed(district: District) -> set[str]:
    """The hazards a plan of the district names: a plan's ``hazards`` (any
    tier) or a town's ``plan_set.special``."""
    named = {h for plan in district.plans for h in plan.hazards}
    named.update(h for town in district.towns for h in town.plan_set.special)
    return named


def check_handbook_hazards(district: District) -> Iterator[Finding]:
    """CMD063: the hazards the community handbook leaves out that still reach
    committees prepared to act: one finding per hazard, at the hazard
    (``hazards[i]``), so that a district can accept the wait on some hazards
    (an acceptance's ``hazard``) and not on others."""
    community = district.community
    if not community.handbook_hazards or not community.actions:
        # Empty: the handbook covers every hazard.  No first actions: a
        # committee has nothing to do early or late.
        return
    committees = [c for town in district.towns for c in town.committees]
    prepared = sum(c.handbook for c in committees)
    if not prepared:
        # Committees without a handbook wait on every hazard: CMD061 each.
        return
    plans = governed(district)
    for hi, hazard in enumerate(district.hazards):
        if (
            community.covers(hazard.id)
            or hazard.id not in plans
            or not any(a.covers(hazard.id) for a in community.actions)
        ):
            continue
        said = say("CMD063", hazard=hazard.id, prepared=prepared, committees=len(committees))
        yield finding("CMD063", said, f"hazards[{hi}]")
