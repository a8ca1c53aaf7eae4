"""A level lowered with its signal (预警响应联动, the way down).

Shanghai's flood HQ lowers its response *with* the signal as it raises it
with the signal: typhoon 灿都, 14 Sep 2021, orange → yellow at 12:00 and
"市防汛指挥部同步更新本市防汛防台III级响应" (央广网); its response ended as
the signal was cancelled.  :class:`~cmdsim.sim.warnings.WarningLinks` times
the confirmation as it times a raise; :func:`signal_lowered` then moves the
district room's case.

What the lowered level is:

- the district plan's link's level for the new colour (``None`` where the
  link maps no colour at or below it: the signal no longer calls for a
  response, and the response closes, as 灿都's did);  a lifted signal
  (``signal: lifted``, 解除预警) is a lowering to no colour: the link gives
  no level, and the response closes, or falls to what the triggers give on
  the truth with no signal in force;
- but never below what the plan's triggers (and those of the plans merged
  into the case) give on what is true now, the new signal in force: a
  figure that warrants more keeps its level.  The figures are judged as the
  lead's reassessment judges a lowering (on the truth: the rain in the last
  hour is what it is now, not the most the room ever heard), and the room's
  picture after it is the lead's (counted figures no higher than counted);
- only where the plan lowers levels at all (``escalation.deescalate``); the
  plan's ``hold`` is the lead's rule at a reassessment, not the signal's (the
  city lowered within hours of raising).

A town plan's own link lowers the town's level at its town's room the same
way (the town plan's link, triggers and ``deescalate``), while the town
governs the case: once the district governs it (a hand-over, or the
district's link), the district's link and lead lower it, and the town's part
follows theirs.

A case the district took over from a town plan (``taken_over``) is handed
back to it by the town plan's ``hand_back`` rule as at a reassessment
(:func:`~cmdsim.sim.handover.hand_back`); a closed response closes the town's
part with it (:meth:`~cmdsim.sim.decision.Decisions.town_duty`).  The lead's
reassessments go on at the lowered level and may lower it further on what
they find.  News observed before the lowered signal is older than the room's
picture (:attr:`~cmdsim.sim.case.Case.assessed`): a late report of the old
colour does not raise the level back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cmdsim.model.incidents import gravest, signals_in_force
from cmdsim.model.levels import Level, Lift, Signal
from cmdsim.sim.case import raise_flags, truth_now
from cmdsim.sim.events import EventKind
from cmdsim.sim.handover import hand_back

if TYPE_CHECKING:
    from cmdsim.sim.case import Case
    from cmdsim.sim.context import Run
    from cmdsim.sim.decision import Decisions


def signal_lowered(
    district: Decisions,
    incident: str,
    hazard: str,
    town: str | None,
    signal: Signal | Lift,
    issued: float,
) -> None:
    """The governing plan's warning link confirmed its signal lowered to ``signal``
    (issued at minute ``issued``; ``Lift.LIFTED``: lifted, no colour in
    force): the case's level at ``district`` (the district room's decisions,
    or a town room's with a town plan's own link) follows (see the module)."""
    run = district.run
    group = run.compiled.sites.get(incident)
    if group is not None and group.key != incident:
        incident = run.compiled.incident[group.key].id
    case = district.cases.get(incident)
    if case is None or case.plan is None or case.deferred or case.level is None:
        return  # nothing in force at this room to lower (a town's: the district governs)
    truth = truth_now(case, run)
    in_force = None if signal is Lift.LIFTED else signal
    if truth is None or seen_now(case, run) is not in_force:
        return  # another signal has come since: its own confirmation governs
    if not case.plan.escalation.deescalate:
        return
    level = lowered_level(case, signal, truth, raise_flags(case, run))
    if level is not None and level >= case.level:
        # The figures keep the level in force: the signal is confirmed all the same.
        run.emit(
            district.room_id,
            EventKind.WARNING_CONFIRMED,
            case.incident,
            signal=signal.value,
            level=case.level.value,
        )
        return
    lower(district, case, level, truth, issued, "signal")


def seen_now(case: Case, run: Run) -> Signal | None:
    """The signal the case's plan's link sees now: the gravest in force of
    the issuers it counts (of every issuer, for a plan without a link)."""
    incident = run.compiled.incident[case.incident]
    link = case.plan.warnings if case.plan is not None else None
    signals = signals_in_force(incident.incident.timeline, run.env.now - incident.onset)
    return gravest(signals, link.issuers if link is not None else None)


def lower(
    district: Decisions,
    case: Case,
    level: Level | None,
    truth: Mapping[str, Any],
    at: float,
    by: str | None,
) -> bool:
    """Lower the case to ``level`` (``None``: close) on ``truth`` judged at
    minute ``at``, as the lead's reassessment and a lowered signal both do;
    ``True`` when the case went back to its town plan instead (see
    :func:`~cmdsim.sim.handover.hand_back`).  ``by`` is what lowered it:
    ``None`` the lead's reassessment, ``player`` a played lead, ``signal``
    the warning link (on the event, and the hand-back's ``by``)."""
    if case.taken_over and hand_back(district, case, level, truth, by or "reassessment"):
        return True
    knowledge = district.run.knowledge
    # The room's picture is then the lead's at a lowering: the truth, with
    # counted figures no higher than counted.
    case.known = (
        dict(truth) if knowledge is None else knowledge.lowering(truth, case.known, case.hazard)
    )
    case.assessed = max(case.assessed, at)
    district.response.lowered(case, level, by)
    return False


def handled(case: Case, run: Run) -> bool:
    """Whether the handling of the case's incident, and of every sub-incident
    merged into it that has begun, is over now (``SeverityPoint.handled``)."""
    comp = run.compiled
    now = run.env.now
    group = comp.sites.get(case.incident)
    members = (case.incident, *(group.merged if group is not None else ()))
    for member in members:
        incident = comp.incident.get(member)
        if incident is None:
            return False  # an inject's case: nothing on a timeline ends it
        if incident.onset > now and member != case.incident:
            continue
        if incident.handled is None or incident.onset + incident.handled > now:
            return False
    return True


def close_handled(district: Decisions, case: Case) -> None:
    """End the case's response, its handling over (处置完毕, ``by: handled``):
    closed, not handed back to a town plan (the town's part closes with it)."""
    case.assessed = max(case.assessed, district.run.env.now)
    district.response.lowered(case, None, "handled")


def lowered_level(
    case: Case, signal: Signal | Lift, truth: Mapping[str, Any], flags: tuple[str, ...]
) -> Level | None:
    """The link's level for ``signal`` (none for a lift: no colour calls for
    a level), raised to the triggers' level on ``truth``."""
    assert case.plan is not None
    link = case.plan.warnings
    level = link.level_for(signal) if link is not None and isinstance(signal, Signal) else None
    floor = case.level_on(truth, flags)
    if floor is not None and (level is None or floor > level):
        level = floor
    return level
