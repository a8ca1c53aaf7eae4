"""Hypothesis strategies for scenarios whose incidents reach a decision.

:func:`cmdsim.testing.strategies.scenarios` draws every part of a district
independently, so almost nothing happens in its runs: a plan's drawn
triggers test figures no drawn incident has, the report path takes days,
the room has no one on duty.  The strategies here draw the same districts
and then make one path work, so most drawn scenarios reach a level
decision, and with it the HQs' call-out, activation, tasks, reporting
deadlines, escalation and stand-down:

- :func:`trigger_values` draws figures that set off a given trigger, often
  exactly at its thresholds; :func:`short_of` moves one figure just short of
  its threshold, so the trigger no longer fires.
- :func:`reachable_districts` gives one hazard a district plan that governs
  it, with a lead and a trigger some incident can meet; a ground channel
  that reports every hazard; rooms staffed in every time band; the delays
  on the way from a report to the call-out, and of the tasks, reports and
  reassessments that follow, drawn in minutes up to an hour
  (:data:`PATH_MINUTES`), not days.
- :func:`reachable_timelines` puts a point meeting a trigger of the plan
  that decides the incident (its town's plan first) into a drawn timeline:
  at onset, later after a point just short of it, or (now and then) only
  the point short of it, an edge no decision may cross.
- :func:`reachable_incidents` draws an incident of a hazard a plan decides
  with such a timeline.
- :func:`reachable_scenarios` draws such a district with one or two such
  incidents and a run long enough for the decision and what follows.

>>> from hypothesis import HealthCheck, given, settings
>>> @settings(max_examples=5, suppress_health_check=[HealthCheck.too_slow])
... @given(reachable_scenarios())
... def test(scenario):
...     assert scenario.incidents
>>> test()
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import attrs
from hypothesis import strategies as st

from cmdsim.check.intervals import INF, Interval, discrete, domain, of_condition
from cmdsim.model import (
    Channel,
    ChannelKind,
    Condition,
    District,
    Incident,
    LevelResponse,
    Op,
    Plan,
    PlanKind,
    PlanTier,
    Scenario,
    Signal,
    Staffing,
    Trigger,
)
from cmdsim.model.governing import plan_choice
from cmdsim.model.incidents import SeverityPoint, severity_at
from cmdsim.testing.incidents import incidents
from cmdsim.testing.strategies import (
    delays,
    districts,
    names,
    plans,
    scenario_around,
    starts,
    triggers,
)

PATH_MINUTES = 60.0
"""The most minutes of a drawn delay on the way from a report to the call-out
(a channel, a room's triage, approval and forwarding, an HQ's call-out)."""

RUN_AFTER = st.floats(6 * 60.0, 3 * 24 * 60.0)
"""Minutes a drawn run goes on past its last point: room for the decision,
the call-out, the tasks and reports, escalation and stand-down."""

SPLIT = "casualties"
"""The one attribute a point does not state: dead plus seriously injured."""


def needs(trigger: Trigger, choice: int = 0) -> dict[str, Interval] | None:
    """The values each attribute must take for ``trigger`` to fire through
    its ``choice``-th ``any_of`` condition (and every ``all_of`` one), or
    None when no value does (``deaths >= 5`` and ``deaths < 3``)."""
    conditions = [*trigger.all_of]
    if trigger.any_of:
        conditions.append(trigger.any_of[choice % len(trigger.any_of)])
    found: dict[str, Interval] = {}
    for condition in conditions:
        have = found.get(condition.attribute, domain(condition.attribute))
        found[condition.attribute] = have.intersect(of_condition(condition))
        if found[condition.attribute].empty:
            return None
    return found


def _edge_above(attribute: str, interval: Interval) -> float:
    """The least value in ``interval``: the threshold itself, or the next
    value above an open one."""
    if not interval.lo_open:
        return interval.lo
    return interval.lo + 1 if discrete(attribute) else math.nextafter(interval.lo, INF)


def _edge_below(attribute: str, interval: Interval) -> float:
    """The greatest value in ``interval`` (bounded above)."""
    if not interval.hi_open:
        return interval.hi
    return interval.hi - 1 if discrete(attribute) else math.nextafter(interval.hi, -INF)


@st.composite
def values_in(draw: st.DrawFn, attribute: str, interval: Interval) -> float:
    """A value of ``attribute`` in ``interval`` (not empty): often at one
    of its ends, otherwise anywhere in it (up to 100 past an open top)."""
    low = _edge_above(attribute, interval)
    high = _edge_below(attribute, interval) if interval.bounded else low + 100.0
    if discrete(attribute):
        inside = st.integers(math.ceil(low), math.floor(high)).map(float)
    else:
        inside = st.floats(low, high, allow_nan=False, allow_infinity=False)
    edges = [low, high] if interval.bounded else [low]
    return float(draw(st.one_of(st.sampled_from(edges), inside)))


def _stated(attribute: str, value: float) -> Any:
    """What a point states for ``value`` of ``attribute``: a signal's rank as
    its colour, any other value as it is."""
    return list(Signal)[int(value) - 1] if attribute == "signal" else value


def _fires(trigger: Trigger, stated: Mapping[str, Any]) -> bool:
    """Whether a point stating ``stated`` at onset sets off ``trigger``."""
    return trigger.fires(severity_at([SeverityPoint(at=0.0, **stated)], 0.0))


@st.composite
def trigger_values(draw: st.DrawFn, trigger: Trigger) -> dict[str, Any]:
    """What a timeline point states to set off ``trigger``: a value of each
    attribute its ``all_of`` and one drawn ``any_of`` condition test, often
    exactly at a threshold (a signal as its colour; casualties as deaths and
    seriously injured adding up to them).  Empty when nothing sets it off.

    >>> from hypothesis import find
    >>> from cmdsim.model import Condition, Level
    >>> rule = Trigger(Level.III, any_of=(Condition.parse("deaths >= 3"),))
    >>> find(trigger_values(rule), lambda v: True)
    {'deaths': 3.0}
    """
    choices = list(range(max(1, len(trigger.any_of))))
    first = draw(st.sampled_from(choices))
    for choice in (*choices[first:], *choices[:first]):
        needed = needs(trigger, choice)
        if needed is None:
            continue
        values = {a: draw(values_in(a, i)) for a, i in needed.items() if a != SPLIT}
        if SPLIT in needed:
            values.update(draw(_casualties(needed[SPLIT], values)))
        stated = {a: _stated(a, v) for a, v in values.items()}
        if _fires(trigger, stated):
            return stated
    return {}


@st.composite
def _casualties(draw: st.DrawFn, total: Interval, drawn: Mapping[str, float]) -> dict[str, float]:
    """Deaths and seriously injured adding up to a number of casualties in
    ``total``, keeping a part already ``drawn``; the caller checks the sum."""
    target = draw(values_in(SPLIT, total))
    deaths = drawn.get("deaths")
    hurt = drawn.get("serious_injuries")
    if deaths is None and hurt is None:
        deaths = float(draw(st.integers(0, int(min(target, 1e6)))))
    if deaths is None:
        deaths = max(0.0, target - float(hurt or 0.0))
    if hurt is None:
        hurt = max(0.0, target - deaths)
    return {"deaths": deaths, "serious_injuries": hurt}


def short_of(trigger: Trigger, values: Mapping[str, Any]) -> dict[str, Any] | None:
    """``values`` with one attribute a trigger tests with a lower bound moved
    just below it (one death fewer, the signal a colour milder, a rainfall a
    hair under), so ``trigger`` no longer fires; None when no move does."""
    for condition in (*trigger.all_of, *trigger.any_of):
        name = condition.attribute
        bound = of_condition(condition)
        if name == SPLIT or name not in values or bound.lo <= domain(name).lo:
            continue
        if discrete(name):
            below = bound.lo - 1
        else:
            below = bound.lo if bound.lo_open else math.nextafter(bound.lo, -INF)
        out = {**values, name: _stated(name, below)}
        if not _fires(trigger, out):
            return out
    return None


def deciding_plans(district: District, incident: Incident) -> tuple[Plan, ...]:
    """The plans that decide ``incident`` first, in the order they do: its
    town's plan (whose room decides first), then the district room's."""
    choice = plan_choice(district)
    found = (
        choice.town_plan_for(incident.hazard, incident.town),
        choice.district_plan_for(incident.hazard, incident.town),
    )
    return tuple(p for p in found if p is not None)


def _fireable(trigger: Trigger) -> bool:
    """Whether some values set ``trigger`` off."""
    return any(needs(trigger, c) is not None for c in range(max(1, len(trigger.any_of))))


def _reachable(plan: Plan) -> bool:
    """Whether some incident sets off one of the plan's triggers."""
    return any(_fireable(t) for t in plan.triggers)


MOVES = (
    "meets",
    "meets",
    "short, then meets",
    "meets, then short",
    "meets, then higher",
    "short",
)
"""How :func:`reachable_timelines` places the point meeting a trigger, drawn
evenly: five in six reach a decision, one in six comes just short."""


@st.composite
def reachable_timelines(draw: st.DrawFn, district: District, incident: Incident) -> Incident:
    """``incident`` with a point in its timeline that sets off a trigger of
    the plan deciding it (:func:`deciding_plans`, its town's plan first),
    placed one of the :data:`MOVES` ways: a ground point meets it; a point
    just short of it (:func:`short_of`), then a later one meets it; a point
    meets it, then a later one falls just short again (the level may be
    lowered or stood down); a point meets it, then a later one meets a
    trigger of a higher level (escalation); or only the point just short of
    it comes, an edge no decision may cross.  Unchanged when no plan decides
    the incident or none of its triggers can fire."""
    found: list[Trigger] = []
    for plan in deciding_plans(district, incident):
        found = [t for t in plan.triggers if _fireable(t)]
        if found:
            break
    if not found:
        return incident
    trigger = draw(st.sampled_from(found))
    values = draw(trigger_values(trigger))
    if not values:
        return incident
    timeline = list(incident.timeline)
    ground = [k for k, p in enumerate(timeline) if p.at >= 0]
    k = draw(st.sampled_from(ground)) if ground else len(timeline)
    if not ground:
        timeline.append(SeverityPoint(at=0.0))
    below = short_of(trigger, values)
    higher = [t for t in found if t.level > trigger.level]
    how = draw(st.sampled_from(MOVES))
    first, then = values, None
    if how == "short" and below is not None:
        first = below
    elif how == "short, then meets" and below is not None:
        first, then = below, values
    elif how == "meets, then short" and below is not None:
        then = below
    elif how == "meets, then higher" and higher:
        then = draw(trigger_values(draw(st.sampled_from(higher)))) or None
    timeline[k] = attrs.evolve(timeline[k], **first)
    if then is not None:
        at = timeline[-1].at + draw(st.integers(5, 240))
        timeline.append(SeverityPoint(at=at, **then))
    return attrs.evolve(incident, timeline=tuple(timeline))


def _staffed(staffing: Staffing) -> Staffing:
    """Someone on duty in every band."""
    return Staffing(
        day=max(1, staffing.day), night=max(1, staffing.night), holiday=max(1, staffing.holiday)
    )


@st.composite
def _governing_plan(draw: st.DrawFn, district: District, hazard: str) -> tuple[Plan, ...]:
    """The district's plans with the first district-tier plan naming
    ``hazard`` (the one that governs it) given a lead and a trigger some
    incident meets, or a new such plan first when there is none."""
    commands = [c.id for c in district.commands]
    current = list(district.plans)
    governing = next(
        (k for k, p in enumerate(current) if p.tier is PlanTier.DISTRICT and hazard in p.hazards),
        None,
    )
    if governing is None:
        taken = {p.id for p in current}
        ident = next(f"{hazard}_{n}" for n in range(len(taken) + 1) if f"{hazard}_{n}" not in taken)
        units = [u.id for u in district.units]
        drawn = draw(
            plans(
                ident,
                hazard_ids=[hazard],
                unit_ids=units,
                command_ids=commands,
                town_ids=[],
                plan_ids=sorted(taken | {ident}),
                resources=[r.id for u in district.units for r in u.resources],
                reporters=[*units, district.duty_room.id],
                zones=(),
            )
        )
        current.insert(
            0, attrs.evolve(drawn, tier=PlanTier.DISTRICT, kind=PlanKind.SPECIAL, hazards=(hazard,))
        )
        governing = 0
    plan = current[governing]
    if not _reachable(plan):
        for _ in range(3):
            plan = attrs.evolve(plan, triggers=(*plan.triggers, draw(triggers())))
            if _reachable(plan):
                break
        else:
            plan = attrs.evolve(plan, triggers=(*plan.triggers, _simple(draw)))
    if plan.lead is None:
        # A general plan is the general HQ's (model.scenario: one "1").
        general = district.general_command
        if plan.kind is PlanKind.GENERAL and general is not None:
            plan = attrs.evolve(plan, lead=general.id)
        else:
            plan = attrs.evolve(plan, lead=draw(st.sampled_from(commands)))
    fireable = [t for t in plan.triggers if _fireable(t)]
    if len({t.level for t in fireable}) == 1 and draw(st.booleans()):
        # One level only: now and then a second, higher, so a graver point escalates.
        plan = attrs.evolve(plan, triggers=(*plan.triggers, _graver(fireable[0])))
    lowest = min(t.level for t in fireable)
    if not plan.responds(lowest) and draw(st.integers(0, 3)):
        # Mostly a response in force from its lowest level (its lead alone
        # answers, :meth:`Plan.responds`); now and then the coverage gap.
        plan = attrs.evolve(plan, levels={**plan.levels, lowest: LevelResponse()})
    current[governing] = plan
    return tuple(current)


def _simple(draw: st.DrawFn) -> Trigger:
    """A trigger any incident meets with enough of one figure."""
    trigger = draw(triggers())
    condition = trigger.all_of[0] if trigger.all_of else trigger.any_of[0]
    return Trigger(trigger.level, any_of=(Condition(condition.attribute, Op.GE, condition.value),))


def _graver(trigger: Trigger) -> Trigger:
    """A trigger one level above ``trigger`` on more of a figure it tests
    (households when it tests none: a signal, or only upper bounds)."""
    name, value = "households", 0.0
    for c in (*trigger.all_of, *trigger.any_of):
        if c.op in (Op.GE, Op.GT) and not isinstance(c.value, Signal):
            name, value = c.attribute, float(c.value)
            break
    return Trigger(trigger.level.raised(), any_of=(Condition(name, Op.GE, 2 * value + 10),))


@st.composite
def reachable_districts(draw: st.DrawFn, min_towns: int = 1) -> District:
    """A drawn district (:func:`~cmdsim.testing.strategies.districts`) in
    which an incident of one of its hazards can reach a decision: see the
    module's docstring."""
    district = draw(districts(min_towns=min_towns))
    hazard = draw(st.sampled_from([h.id for h in district.hazards]))
    quick = delays(PATH_MINUTES)
    room = district.duty_room
    room = attrs.evolve(
        room,
        staffing=_staffed(room.staffing),
        triage=draw(quick),
        approval=draw(quick),
        forward=draw(quick),
    )
    towns = tuple(
        town
        if town.duty_room is None
        else attrs.evolve(
            town,
            duty_room=attrs.evolve(
                town.duty_room,
                staffing=_staffed(town.duty_room.staffing),
                triage=draw(quick),
                approval=draw(quick),
                forward=draw(quick),
            ),
        )
        for town in district.towns
    )
    taken = {c.id for c in district.channels}
    ident = next(f"ground_{n}" for n in range(len(taken) + 1) if f"ground_{n}" not in taken)
    ground = Channel(
        id=ident,
        name=draw(names),
        kind=draw(st.sampled_from([k for k in ChannelKind if k not in _NOT_GROUND])),
        delay=draw(quick),
        miss=draw(st.floats(0.0, 0.2)),
    )
    commands = tuple(
        attrs.evolve(
            c,
            callout=draw(quick),
            posts=tuple(
                attrs.evolve(p, callout=None if p.callout is None else draw(quick)) for p in c.posts
            ),
        )
        for c in district.commands
    )
    return attrs.evolve(
        district,
        duty_room=room,
        towns=towns,
        commands=commands,
        channels=(*district.channels, ground),
        plans=tuple(draw(_prompt(plan)) for plan in draw(_governing_plan(district, hazard))),
    )


@st.composite
def _prompt(draw: st.DrawFn, plan: Plan) -> Plan:
    """``plan`` with its tasks, reports and reassessments drawn in minutes up
    to :data:`PATH_MINUTES`, and a level held at most four hours before it
    may come down: what it sets in motion happens within the run."""
    quick = delays(PATH_MINUTES)
    return attrs.evolve(
        plan,
        levels={
            level: attrs.evolve(
                response,
                tasks=tuple(attrs.evolve(t, duration=draw(quick)) for t in response.tasks),
            )
            for level, response in plan.levels.items()
        },
        escalation=attrs.evolve(
            plan.escalation, reassess=draw(quick), hold=draw(st.floats(0.0, 240.0))
        ),
        reports=tuple(
            attrs.evolve(duty, duration=draw(quick), transmit=draw(quick)) for duty in plan.reports
        ),
    )


_NOT_GROUND = (ChannelKind.OFFICERS, ChannelKind.WARNING)


@st.composite
def reachable_incidents(
    draw: st.DrawFn,
    district: District,
    *,
    start: dt.datetime = dt.datetime(2024, 1, 1),
    days: int = 366,
) -> Incident:
    """An incident (:func:`~cmdsim.testing.incidents.incidents`) of a hazard
    whose governing plan some incident sets off, its timeline placed by
    :func:`reachable_timelines`; any hazard when none is (the district was
    not drawn by :func:`reachable_districts`)."""
    choice = plan_choice(district)
    decided = [
        h.id
        for h in district.hazards
        if (plan := choice.district_plan_for(h.id, None)) is not None and _reachable(plan)
    ]
    hazard = draw(st.sampled_from(decided)) if decided else None
    incident = draw(incidents(district, hazard, start=start, days=days))
    return draw(reachable_timelines(district, incident))


@st.composite
def reachable_scenarios(draw: st.DrawFn, max_incidents: int = 2) -> Scenario:
    """A scenario over a :func:`reachable_districts` district with one to
    ``max_incidents`` incidents (:func:`reachable_incidents`) and a run that
    goes on :data:`RUN_AFTER` minutes past the last point."""
    district = draw(reachable_districts())
    start = draw(starts)
    found: list[Incident] = []
    for index in range(draw(st.integers(1, max_incidents))):
        incident = draw(reachable_incidents(district, start=start, days=2))
        found.append(attrs.evolve(incident, id=f"incident_{index}", name=draw(names)))
    return draw(scenario_around(district, start, found, after=RUN_AFTER))


__all__ = [
    "MOVES",
    "PATH_MINUTES",
    "RUN_AFTER",
    "SPLIT",
    "deciding_plans",
    "needs",
    "reachable_districts",
    "reachable_incidents",
    "reachable_scenarios",
    "reachable_timelines",
    "short_of",
    "trigger_values",
    "values_in",
]
