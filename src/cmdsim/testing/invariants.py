"""Ready-made invariants for a planning office's tests.

Each raises :class:`InvariantError` (an ``AssertionError``, so pytest shows
it as a failed assertion) naming every violation it found.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from cmdsim.check.intervals import Interval, domain, of_condition
from cmdsim.check.matrix import DISTRICT_TIER, build_matrix
from cmdsim.model import (
    District,
    Incident,
    Plan,
    PlanKind,
    PlanTier,
    Scenario,
    Signal,
    Trigger,
)
from cmdsim.model.governing import plan_choice


class InvariantError(AssertionError):
    """An invariant does not hold; the message lists each violation."""


def leads_for(district: District, incident: Incident) -> tuple[str, ...]:
    """The lead HQs the district's plans give an incident at its peak.

    The plan the engine decides the incident by
    (:meth:`cmdsim.model.governing.PlanChoice.district_plan_for`: the first
    district plan naming its hazard, else the general plan naming no hazard
    for a hazard no plan names) leads when its triggers set a level it has a
    response in force at (its own or a lower level's: :meth:`Plan.responds`);
    any other district special plan naming the hazard that
    would too claims the lead as well (an overlap: duties cross).  The
    general plan does not step in where the governing plan sets no level.
    Empty when the incident reaches no level.
    """
    return tuple(
        dict.fromkeys(plan.lead for plan in leading_plans(district, incident) if plan.lead)
    )


def leading_plans(district: District, incident: Incident) -> tuple[Plan, ...]:
    """The district plans whose leads :func:`leads_for` gives, the governing
    one first: what a failed invariant names, so the reviewer knows which
    files to open."""
    peak = incident.peak()

    def answers(plan: Plan) -> bool:
        level = plan.level_for(peak, incident.flags)
        return plan.lead is not None and level is not None and plan.responds(level)

    governing = plan_choice(district).district_plan_for(incident.hazard, incident.town)
    found = [governing] if governing is not None and answers(governing) else []
    for plan in district.plans:
        if (
            plan is not governing
            and plan.tier is PlanTier.DISTRICT
            and plan.kind is not PlanKind.GENERAL
            and incident.hazard in plan.hazards
            and answers(plan)
        ):
            found.append(plan)
    return tuple(found)


def _who(pairs: Iterable[tuple[str, str | None]]) -> str:
    """Lead HQs with the plans that give them: 'gas_hq (plan 'gas') / ...'."""
    by_lead: dict[str, list[str]] = {}
    for plan, lead in pairs:
        if lead is not None:
            by_lead.setdefault(lead, []).append(repr(plan))
    if not by_lead:
        return "no lead"
    return " / ".join(
        f"{lead} (plan{'s' if len(plans) > 1 else ''} {', '.join(plans)})"
        for lead, plans in by_lead.items()
    )


def _answering_plans(district: District, hazard: str) -> list[Plan]:
    """District-tier plans that may set a level for an incident of ``hazard``."""
    return [
        plan
        for plan in district.plans
        if plan.tier is PlanTier.DISTRICT
        and (hazard in plan.hazards or (plan.kind is PlanKind.GENERAL and not plan.hazards))
    ]


def reaches_a_level(district: District, incident: Incident) -> bool:
    """Whether any district plan for the incident's hazard sets a level for it."""
    peak = incident.peak()
    return any(
        plan.level_for(peak, incident.flags) is not None
        for plan in _answering_plans(district, incident.hazard)
    )


def _box(peak: Mapping[str, Any]) -> dict[str, Interval]:
    """The values a milder incident may have: each attribute the incident has,
    from nothing up to its peak (a signal from blue up to its colour)."""
    box: dict[str, Interval] = {}
    for attribute, value in peak.items():
        top = float(value.rank) if isinstance(value, Signal) else float(value)
        box[attribute] = domain(attribute).intersect(Interval(-math.inf, top))
    return box


def _fires_when_milder(trigger: Trigger, box: Mapping[str, Interval]) -> dict[str, Interval] | None:
    """The values a milder incident (one inside ``box``) needs to set off
    ``trigger``, attribute by attribute, or None when none does."""
    needed: dict[str, Interval] = {}
    for condition in trigger.all_of:
        have = box.get(condition.attribute)
        if have is None:
            return None
        before = needed.get(condition.attribute, have)
        needed[condition.attribute] = before.intersect(of_condition(condition))
    if any(interval.empty for interval in needed.values()):
        return None
    if trigger.any_of:
        for condition in trigger.any_of:
            have = box.get(condition.attribute)
            if have is None:
                continue
            bound = needed.get(condition.attribute, have).intersect(of_condition(condition))
            if not bound.empty:
                needed[condition.attribute] = bound
                break
        else:
            return None
    return needed


def milder_trigger(
    district: District, incident: Incident
) -> tuple[Plan, Trigger, dict[str, Interval]] | None:
    """A plan trigger for the incident's hazard that a milder incident of the
    same kind (the same attributes, none above the incident's peak) sets
    off, with the values it needs; None when there is none."""
    box = _box(incident.peak())
    for plan in _answering_plans(district, incident.hazard):
        for trigger in plan.triggers:
            needed = _fires_when_milder(trigger, box)
            if needed is not None:
                return plan, trigger, needed
    return None


def why_unanswered(district: District, incident: Incident) -> str | None:
    """Why an incident that reaches no level should have been answered, or None.

    None also when it reaches a level, and when it lies below every threshold
    of the plans for its hazard (no milder incident reaches a level either:
    the plans leave it to routine work on purpose).  Otherwise the reason:
    no special plan for the hazard and the general plan sets no level, or the
    incident falls in a hole between threshold bands — a milder incident of
    the same kind reaches a level, as ``cmdsim check`` reports (CMD001, CMD014).
    """
    if reaches_a_level(district, incident):
        return None
    hazard = incident.hazard
    plans = _answering_plans(district, hazard)
    if not any(plan.kind is not PlanKind.GENERAL for plan in plans):
        general = " and the general plan sets no level for it" if plans else ""
        return f"no district plan for hazard {hazard!r}{general}"
    found = milder_trigger(district, incident)
    if found is None:
        return None
    plan, trigger, needed = found
    milder = " and ".join(interval.text(a) for a, interval in needed.items())
    return (
        f"reaches no level, though plan {plan.id!r} sets level {trigger.level.value} "
        f"for a milder one ({milder})"
    )


def _peak_text(incident: Incident) -> str:
    parts = []
    for attribute, value in incident.peak().items():
        shown = value.value if isinstance(value, Signal) else f"{value:g}"
        parts.append(f"{attribute} {shown}")
    return ", ".join(parts) or "no attributes"


def every_incident_has_one_lead(
    district: District, incidents: Iterable[Incident] | None = None
) -> None:
    """Exactly one lead HQ for every incident a plan must answer.

    Without ``incidents`` the check is static: every district hazard at every
    level has exactly one lead in the coverage matrix.  With them (e.g. drawn
    by :func:`cmdsim.testing.incidents.incidents`), each incident must get
    exactly one lead from :func:`leads_for`, unless it lies below every
    threshold of its hazard's plans; an incident that reaches no level
    although it should (:func:`why_unanswered`: no plan for its hazard, or a
    hole between threshold bands) is a violation too.
    """
    problems: list[str] = []
    if incidents is None:
        for cell in build_matrix(district):
            if cell.tier != DISTRICT_TIER or (len(cell.leads) == 1 and len(cell.claims) <= 1):
                continue
            who = _who((e.plan, e.lead) for e in (cell.claimants or cell.acting))
            if cell.no_response and cell.governs is not None:
                who += (
                    f" (plan {cell.governs.plan!r} governs {cell.hazard!r} but sets out no "
                    "response at this level or below)"
                )
            elif not cell.acting:
                who += f" (no district plan for {cell.hazard!r} responds at this level)"
            problems.append(f"{cell.hazard} at level {cell.level.value}: {who}")
    else:
        for incident in incidents:
            where = f"{incident.id} ({incident.hazard}; {_peak_text(incident)})"
            if not reaches_a_level(district, incident):
                why = why_unanswered(district, incident)
                if why is not None:
                    problems.append(f"{where}: {why}")
                continue
            plans = leading_plans(district, incident)
            if len({plan.lead for plan in plans}) != 1:
                problems.append(f"{where}: {_who((p.id, p.lead) for p in plans)}")
    if problems:
        raise InvariantError(
            "expected exactly one lead HQ:\n" + "\n".join(f"  {p}" for p in problems)
        )


@attrs.frozen
class Within:
    """How often an HQ was activated within the limit, over ``n`` replications.

    ``share`` counts a replication in which the HQ was never activated as a
    miss; ``ci95`` is the Wilson score interval of ``share``.
    """

    command: str
    minutes: float
    n: int
    hits: int
    never: int

    @property
    def share(self) -> float:
        return self.hits / self.n

    @property
    def ci95(self) -> tuple[float, float]:
        z = 1.959963984540054
        n, p = self.n, self.share
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return (max(0.0, centre - half), min(1.0, centre + half))


def _close(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (it has {', '.join(map(repr, known))})" if known else ""


def activation_times(
    scenario: Scenario,
    command: str,
    n: int = 200,
    seed: int = 0,
    *,
    incident: str | None = None,
    run: Callable[[Scenario, Any], Mapping[str, float]] | None = None,
) -> list[float]:
    """Minutes from onset to the HQ's activation in each of ``n`` replications.

    Uses the per-replication metric ``incident.<id>.hq.<command>.activated``
    of :mod:`cmdsim.analysis` (replication ``i`` seeded
    ``SeedSequence(seed).spawn(n)[i]``); with several incidents the earliest
    activation counts unless ``incident`` names one.  NaN: never activated.
    ``run`` replaces the engine, as in :func:`cmdsim.analysis.replicate`.
    """
    from cmdsim.analysis import replicate

    commands = [c.id for c in scenario.district.commands]
    if command not in commands:
        raise ValueError(
            f"scenario {scenario.id!r}: unknown command {command!r}{_close(command, commands)}"
        )
    ids = [i.id for i in scenario.incidents]
    if incident is not None:
        if incident not in ids:
            raise ValueError(
                f"scenario {scenario.id!r}: unknown incident {incident!r}{_close(incident, ids)}"
            )
        ids = [incident]
    batch = replicate(scenario, n, seed, run=run, keep=True)
    columns = [batch.column(f"incident.{i}.hq.{command}.activated") for i in ids]
    times: list[float] = []
    for row in range(n):
        values = [float(c[row]) for c in columns if not math.isnan(float(c[row]))]
        times.append(min(values) if values else math.nan)
    return times


def activated_within(
    scenario: Scenario,
    command: str,
    minutes: float,
    p: float = 0.95,
    n: int = 200,
    seed: int = 0,
    *,
    incident: str | None = None,
    run: Callable[[Scenario, Any], Mapping[str, float]] | None = None,
) -> Within:
    """The HQ is activated within ``minutes`` of onset with probability ≥ ``p``.

    Judged on the observed share over ``n`` replications (a replication in
    which the HQ is never activated is a miss); raises
    :class:`InvariantError` when the share falls short and returns the
    :class:`Within` otherwise, so a test can also look at its interval.
    """
    if not 0.0 < p <= 1.0:
        raise ValueError(f"p must be in (0, 1], got {p}")
    times = activation_times(scenario, command, n, seed, incident=incident, run=run)
    never = sum(1 for t in times if math.isnan(t))
    hits = sum(1 for t in times if not math.isnan(t) and t <= minutes)
    result = Within(command=command, minutes=float(minutes), n=n, hits=hits, never=never)
    if result.share < p:
        low, high = result.ci95
        raise InvariantError(
            f"scenario {scenario.id!r}: {command} activated within {minutes:g} min of onset "
            f"in {hits} of {n} replications, seed {seed} ({result.share:.1%}, "
            f"95% CI {low:.1%}–{high:.1%}; never activated in {never}), "
            f"expected at least {p:.0%}"
        )
    return result
