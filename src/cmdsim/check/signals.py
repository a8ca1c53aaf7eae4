"""Signals that reach no room, and warning links that never fire (CMD018, CMD019).

What the engine does with a signal (``sim/warnings.py``, ``sim/topology.py``):
a warning channel covering the hazard passes every point with a signal to
the rooms; a ground channel passes an incident's opening point and every
later point that states a figure or condition, carrying the picture in
force, signal included, but never a point that only changes or lifts the
signal (:func:`~cmdsim.model.carrying.carries`).  A plan's warning link
acts on a signal as it is issued when its office confirms
(``confirm_by: office``), whether or not any channel passes the signal; when
the district duty room confirms (``confirm_by: duty_room``) it acts only on
a signal a warning channel has delivered to that room.

- **CMD018** (the district): a link confirmed by the duty room while no
  warning channel covers a hazard the plan decides: for those incidents the
  link never starts a level, and their signals reach the room only with
  the figures of ground reports, through triage and a leader's approval.
- **CMD019** (a scenario): a timeline point's signal that no channel covering
  its hazard passes and no link acts on.  The rooms learn of it only with
  the next point a ground channel reports, if the signal is still in force
  then, or never.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from cmdsim.check.findings import Finding, finding
from cmdsim.model import Channel, ChannelKind, District, Plan, Scenario
from cmdsim.model.carrying import carries, opening
from cmdsim.model.governing import PlanChoice, plan_choice
from cmdsim.model.incidents import Incident, SeverityPoint, severity_at
from cmdsim.model.levels import Issuer, Lift
from cmdsim.model.plans import Confirmer


def warned_hazards(district: District) -> frozenset[str]:
    """The hazards some warning channel covers (an empty ``hazards``: all)."""
    every = {h.id for h in district.hazards}
    warned: set[str] = set()
    for channel in district.channels:
        if channel.kind is ChannelKind.WARNING:
            warned |= {h for h in every if channel.covers(h)}
    return frozenset(warned)


def check_warning_links(district: District) -> Iterator[Finding]:
    """CMD018: each link the duty room confirms, for hazards no warning channel covers."""
    choice = plan_choice(district)
    warned = warned_hazards(district)
    for index, plan in enumerate(district.plans):
        link = plan.warnings
        if link is None or link.confirm_by is not Confirmer.DUTY_ROOM:
            continue
        unwarned = [h for h in _linked_hazards(choice, plan) if h not in warned]
        if not unwarned:
            continue
        names = ", ".join(unwarned)
        yield finding(
            "CMD018",
            f"the duty room confirms the link once a warning channel delivers the signal, and "
            f"no warning channel covers {names}: the link never starts a level for "
            f"{'its' if len(unwarned) == 1 else 'their'} incidents",
            f"plans[{index}].warnings.confirm_by",
        )


def _linked_hazards(choice: PlanChoice, plan: Plan) -> list[str]:
    """The hazards whose incidents the district room decides by ``plan``,
    whose link the engine runs for them (not a town plan's own, which its
    town's room runs)."""
    return [
        hazard
        for hazard in choice.hazards
        if any(
            choice.district_plan_for(hazard, town) is plan
            and choice.town_plan_for(hazard, town) is not plan
            for town in choice.towns_of(hazard)
        )
    ]


def check_timeline_signals(scenario: Scenario) -> Iterator[Finding]:
    """CMD019: each signal on an incident's timeline that no channel passes
    and no warning link acts on."""
    district = scenario.district
    choice = plan_choice(district)
    for index, incident in enumerate(scenario.incidents):
        channels = [c for c in district.channels if c.covers(incident.hazard)]
        first = opening(incident.timeline)
        for k, point in enumerate(incident.timeline):
            if point.signal is None:
                continue
            if any(carries(c, point, opens=point is first) for c in channels):
                continue
            plans = _deciders(choice, incident)
            if any(_acts(plan, point) for plan in plans):
                continue
            yield finding(
                "CMD019",
                f"{_what(point)} at {_minutes(point.at)} min reaches no room as it is issued: "
                f"no warning channel covers {incident.hazard}, and {_unlinked(plans)}; "
                f"{_heard(incident, k, channels, first)}",
                f"incidents[{index}].timeline[{k}].signal",
            )


def _deciders(choice: PlanChoice, incident: Incident) -> list[Plan]:
    """The plans whose links the engine runs for the incident: the district
    room's plan (unless it is the town's own) and the town room's plan."""
    district = choice.district_plan_for(incident.hazard, incident.town)
    town = choice.town_plan_for(incident.hazard, incident.town)
    out = [district] if district is not None and district is not town else []
    return [*out, town] if town is not None else out


def _acts(plan: Plan, point: SeverityPoint) -> bool:
    """Whether ``plan``'s link acts on ``point``'s signal with no warning
    channel: its office confirms, and it counts the signal's issuer."""
    link = plan.warnings
    if link is None or link.confirm_by is not Confirmer.OFFICE:
        return False
    return (point.issuer or Issuer.CITY) in link.issuers


def _unlinked(plans: Sequence[Plan]) -> str:
    """Why no link acts, plan by plan."""
    if not plans:
        return "no plan governs its incidents"
    parts: list[str] = []
    for plan in plans:
        link = plan.warnings
        if link is None:
            parts.append(f"plan {plan.id!r} has no warning link")
        elif link.confirm_by is Confirmer.DUTY_ROOM:
            parts.append(
                f"the link of plan {plan.id!r} is confirmed by the duty room, which hears of "
                "a signal by a warning channel only"
            )
        else:
            counted = " and ".join(i.value for i in link.issuers)
            parts.append(f"the link of plan {plan.id!r} counts only the {counted} issuer's signals")
    return "; ".join(parts)


def _heard(
    incident: Incident, k: int, channels: Sequence[Channel], first: SeverityPoint | None
) -> str:
    """When the rooms learn of the signal of point ``k``: with the next point
    a ground channel reports, if the signal is still in force then."""
    timeline = incident.timeline
    ground = [c for c in channels if c.kind is not ChannelKind.WARNING]
    issued = severity_at(timeline, timeline[k].at).get("signal")
    for later in timeline[k + 1 :]:
        if not any(carries(c, later, opens=later is first) for c in ground):
            continue
        now = severity_at(timeline, later.at).get("signal")
        if now == issued:
            return (
                f"the rooms learn of it only with the figures reported at {_minutes(later.at)} min"
            )
        shown = "no signal" if now is None else f"signal {now.value}"
        return (
            f"by the next point reported on the ground ({_minutes(later.at)} min) {shown} "
            "is in force, so no room ever learns of it"
        )
    return "no later point is reported on the ground, so no room ever learns of it"


def _what(point: SeverityPoint) -> str:
    signal = point.signal
    assert signal is not None
    if signal is Lift.LIFTED:
        return "the lift of the signal"
    return f"the {signal.value} signal"


def _minutes(value: float) -> str:
    return f"{value:g}"


__all__ = ["check_timeline_signals", "check_warning_links", "warned_hazards"]
