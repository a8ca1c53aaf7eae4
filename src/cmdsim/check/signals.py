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
from cmdsim.check.words import Join, Phrase, say
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
        its = "its" if len(unwarned) == 1 else "their"
        said = say("CMD018", names=Join(unwarned), its=its)
        yield finding("CMD018", said, f"plans[{index}].warnings.confirm_by")


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
            said = say(
                "CMD019",
                what=_what(point),
                at=point.at,
                hazard=incident.hazard,
                unlinked=_unlinked(plans),
                heard=_heard(incident, k, channels, first),
            )
            yield finding("CMD019", said, f"incidents[{index}].timeline[{k}].signal")


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


def _unlinked(plans: Sequence[Plan]) -> Phrase | Join:
    """Why no link acts, plan by plan."""
    if not plans:
        return say("unlinked.no_plan")
    parts: list[Phrase] = []
    for plan in plans:
        link = plan.warnings
        if link is None:
            parts.append(say("unlinked.no_link", plan=plan.id))
        elif link.confirm_by is Confirmer.DUTY_ROOM:
            parts.append(say("unlinked.duty_room", plan=plan.id))
        else:
            counted = Join([say(f"issuer.{i.value}") for i in link.issuers], " and ")
            parts.append(say("unlinked.issuers", plan=plan.id, issuers=counted))
    return Join(parts, "; ")


def _heard(
    incident: Incident, k: int, channels: Sequence[Channel], first: SeverityPoint | None
) -> Phrase:
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
            return say("heard.later", at=later.at)
        shown = say("heard.no_signal") if now is None else say(f"signal.{now.value}")
        return say("heard.changed", at=later.at, shown=shown)
    return say("heard.none")


def _what(point: SeverityPoint) -> Phrase:
    signal = point.signal
    assert signal is not None
    if signal is Lift.LIFTED:
        return say("signal.lift")
    return say("signal.colour", signal=say(f"colour.{signal.value}"))


__all__ = ["check_timeline_signals", "check_warning_links", "warned_hazards"]
