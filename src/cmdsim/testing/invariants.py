"""Ready-made invariants for a planning office's tests.

Each raises :class:`InvariantError` (an ``AssertionError``, so pytest shows
it as a failed assertion) naming every violation it found.
"""

from __future__ import annotations

from collections.abc import Iterable

from cmdsim.check.matrix import DISTRICT_TIER, build_matrix
from cmdsim.model import District, Incident, PlanKind, PlanTier


class InvariantError(AssertionError):
    """An invariant does not hold; the message lists each violation."""


def leads_for(district: District, incident: Incident) -> tuple[str, ...]:
    """The lead HQs the district's plans give an incident at its peak.

    A district-tier special plan for the incident's hazard leads when its
    triggers set a level it has a response for; the general plan leads only
    where no special plan does.  Empty when the incident reaches no level.
    """
    peak = incident.peak()
    special: dict[str, None] = {}
    general: dict[str, None] = {}
    for plan in district.plans:
        if plan.tier is not PlanTier.DISTRICT or plan.lead is None:
            continue
        is_general = plan.kind is PlanKind.GENERAL
        if incident.hazard not in plan.hazards and not (is_general and not plan.hazards):
            continue
        level = plan.level_for(peak, incident.flags)
        if level is None or level not in plan.levels:
            continue
        (general if is_general else special)[plan.lead] = None
    return tuple(special or general)


def reaches_a_level(district: District, incident: Incident) -> bool:
    """Whether any district plan for the incident's hazard sets a level for it."""
    peak = incident.peak()
    return any(
        plan.level_for(peak, incident.flags) is not None
        for plan in district.plans
        if plan.tier is PlanTier.DISTRICT
        and (
            incident.hazard in plan.hazards or (plan.kind is PlanKind.GENERAL and not plan.hazards)
        )
    )


def every_incident_has_one_lead(
    district: District, incidents: Iterable[Incident] | None = None
) -> None:
    """Exactly one lead HQ for every incident that reaches a level.

    Without ``incidents`` the check is static: every district hazard at every
    level has exactly one lead in the coverage matrix.  With them (e.g. drawn
    by :func:`cmdsim.testing.incidents.incidents`), each incident that some
    plan sets a level for must get exactly one lead from :func:`leads_for`.
    """
    problems: list[str] = []
    if incidents is None:
        for cell in build_matrix(district):
            if cell.tier != DISTRICT_TIER or len(cell.leads) == 1:
                continue
            who = " / ".join(cell.leads) or "no lead"
            problems.append(f"{cell.hazard} at level {cell.level.value}: {who}")
    else:
        for incident in incidents:
            if not reaches_a_level(district, incident):
                continue
            leads = leads_for(district, incident)
            if len(leads) != 1:
                who = " / ".join(leads) or "no lead"
                problems.append(f"{incident.id} ({incident.hazard}, peak {incident.peak()}): {who}")
    if problems:
        raise InvariantError(
            "expected exactly one lead HQ:\n" + "\n".join(f"  {p}" for p in problems)
        )
