"""Cases passing between a town's room and the district room.

A town room decides a case under its town plan until the case outgrows it
(:func:`hand_over`: the district room takes it over after the town room's
``forward`` delay, :func:`take_over`).  A district plan's warning link takes
a case from the town plan at once (:func:`claim`).  With the town plan's
``escalation.hand_back`` the district room hands a taken-over case back when
its plan would lower the level to one the town plan covers
(:func:`hand_back`, then :func:`take_back` at the town room).
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import TYPE_CHECKING, Any

import simpy

from cmdsim.model.levels import Level
from cmdsim.sim.case import Case, merge_known, raise_flags
from cmdsim.sim.context import LevelChange, Stamp
from cmdsim.sim.events import EventKind
from cmdsim.sim.streams import handback_stream, handover_stream

if TYPE_CHECKING:
    from cmdsim.sim.decision import Decisions


def hand_over(town: Decisions, case: Case, level: Level) -> Generator[simpy.Event, Any, None]:
    """The town room reports the outgrown case up: the district room takes
    it over after the room's ``forward`` delay, as a report would reach it."""
    run = town.run
    assert case.successor is not None
    run.emit(
        town.room_id,
        EventKind.HAND_OVER_REQUESTED,
        case.incident,
        to=case.successor.id,
        level=level.value,
    )
    rng = run.streams(handover_stream(town.room_id, case.incident))
    delay = town.room.forward.sample(rng) * town.room.factors.factor(run.band())
    yield run.env.timeout(delay)
    assert town.upstream is not None
    take_over(town.upstream, case)


def take_over(district: Decisions, town_case: Case) -> None:
    """The district room takes over a case a town plan outgrew (``plan_handed_over``)."""
    run = district.run
    successor = town_case.successor
    assert successor is not None and town_case.plan is not None
    case = district.cases.get(town_case.incident)
    if case is None:
        case = district.open_case(town_case.incident, town_case.hazard, town_case.town)
    elif case.taken_over and not case.deferred:
        merge_known(case.known, town_case.known)  # it governs already (a warning link)
        return
    case.rule = successor
    case.plan = successor.plan
    case.deferred = False
    case.taken_over = True
    merge_known(case.known, town_case.known)
    if town_case.reported is not None:
        case.reported = town_case.reported
    facts = run.ledger.incident(case.incident)
    if facts.handed_over is None:
        facts.handed_over = Stamp(run.env.now, successor.id)
    district.workforce.reporting.governs(case.incident, successor.plan, district.room_id)
    run.emit(
        district.room_id,
        EventKind.PLAN_HANDED_OVER,
        case.incident,
        **{"from": town_case.plan.id},
        to=successor.id,
        level=None if town_case.level is None else town_case.level.value,
    )
    if not case.busy:
        case.busy = True
        run.env.process(district.decide(case))


def claim(district: Decisions, case: Case) -> None:
    """The district plan's warning link takes a case from the town plan at once
    (``plan_handed_over`` with ``by: warning``); the town room's first response
    still runs."""
    run = district.run
    comp = run.compiled
    origin = comp.town_plan_of(case.incident, case.hazard, case.town)
    case.deferred = False
    case.taken_over = True
    assert case.rule is not None and case.plan is not None
    facts = run.ledger.incident(case.incident)
    if facts.handed_over is None:
        facts.handed_over = Stamp(run.env.now, case.rule.id)
    district.workforce.reporting.governs(case.incident, case.plan, district.room_id)
    run.emit(
        district.room_id,
        EventKind.PLAN_HANDED_OVER,
        case.incident,
        **{"from": None if origin is None else origin.id},
        to=case.rule.id,
        level=None,
        by="warning",
    )
    town = district.town_of(case.town) if district.town_of is not None else None
    below = town.cases.get(case.incident) if town is not None else None
    if below is not None:
        below.deferred = True


def hand_back(
    district: Decisions,
    case: Case,
    lower: Level | None,
    known: Mapping[str, Any],
    by: str = "reassessment",
) -> bool:
    """Hand a taken-over case back to its town plan if that plan's ``hand_back``
    rule applies to the level the district plan would lower it to.

    ``by`` says what lowered it, on the ``plan_handed_back`` event:
    ``reassessment`` (the lead's, on the plan's rule), ``player`` (the lead
    HQ played in a drill) or ``signal`` (the district plan's warning link)."""
    run = district.run
    comp = run.compiled
    origin = comp.town_plan_of(case.incident, case.hazard, case.town)
    if origin is None or not origin.plan.escalation.hand_back or case.plan is None:
        return False
    town_level = origin.level_for(known, raise_flags(case, run))
    if town_level is None or (origin.top is not None and town_level > origin.top):
        return False
    if lower is not None and origin.top is not None and lower > origin.top:
        return False
    run.ledger.incident(case.incident).handed_back = Stamp(run.env.now, origin.id)
    run.emit(
        district.room_id,
        EventKind.PLAN_HANDED_BACK,
        case.incident,
        **{"from": case.plan.id},
        to=origin.id,
        level=town_level.value,
        by=by,
    )
    case.known = dict(known)
    case.assessed = run.env.now
    district.response.lowered(case, None, "hand_back")
    case.deferred = True
    run.env.process(_give_back(district, case, town_level))
    return True


def _give_back(district: Decisions, case: Case, level: Level) -> Generator[simpy.Event, Any, None]:
    """The hand-back reaches the town room in the district room's ``forward`` delay."""
    run = district.run
    rng = run.streams(handback_stream(district.room_id, case.incident))
    delay = district.room.forward.sample(rng) * district.room.factors.factor(run.band())
    yield run.env.timeout(delay)
    town = district.town_of(case.town) if district.town_of is not None else None
    if town is not None:
        take_back(town, case.incident, level, case.known, case.assessed)


def take_back(
    town: Decisions, incident: str, level: Level, known: Mapping[str, Any], assessed: float
) -> None:
    """The town room takes a case back under its town plan at ``level``
    (``plan_taken_back``) with what the district's lead found at ``assessed``,
    and reassesses it again."""
    run = town.run
    case = town.cases.get(incident)
    if case is None or case.plan is None:
        return
    case.deferred = False
    case.closed_above, case.paused = False, None
    case.known = dict(known)
    case.assessed = max(case.assessed, assessed)
    case.reported = None
    case.level = level
    case.since = run.env.now
    run.ledger.incident(incident).levels.append(LevelChange(run.env.now, level.value))
    run.emit(
        town.room_id, EventKind.PLAN_TAKEN_BACK, incident, plan=case.plan.id, level=level.value
    )
    for command in case.rule.activated_by(level) if case.rule is not None else ():
        hq = town.hqs(command)
        if hq is not None:
            hq.notify(incident, level)
            case.active_hqs.add(command)
    town.response.staffed(case, level)
    town.workforce.reporting.level(incident, case.plan, level, town.room_id)
    town.takeovers.level(incident, level, case=case)
    if not case.reassessing and not case.busy:
        case.reassessing = True
        run.env.process(town.reassess(case))
