"""Town plan sets and community handbooks (CMD060–CMD062).

A town has the special plan for a hazard when its plan set lists the hazard
or the district holds a structured town plan of that town for it.
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
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
                yield finding(
                    "CMD060",
                    f"town {town.id!r} has no special plan for {hazard!r}, which the district "
                    f"requires of every town",
                    f"{base}.plan_set.special",
                )
        if not town.plan_set.general:
            yield finding(
                "CMD062",
                f"town {town.id!r} has no general plan",
                f"{base}.plan_set.general",
            )
        for ci, committee in enumerate(town.committees):
            if not committee.handbook:
                yield finding(
                    "CMD061",
                    f"committee {committee.id!r} of {town.id!r} has no community emergency "
                    f"handbook",
                    f"{base}.committees[{ci}].handbook",
                )
