"""Builders the hand-checked signal and follow-up tests share.

The warning-link tests (a level started, lowered or closed with its signal,
预警响应联动, at the district's room and at a town's; a case handed back
with the signal) and the follow-up report tests edit the same small
scenarios, draw the same signal sequences and read the same moves back from
the log: one copy of each here, so a test says only what it changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs

from cmdsim.io import load_scenario
from cmdsim.model import Condition, Level, Scenario, Trigger, WarningLink
from cmdsim.model.levels import Lift, Signal
from cmdsim.model.scenario import SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim.events import EventKind
from cmdsim.sim.results import RunResult

SIM = Path(__file__).parent / "sim"
"""The engine tests' folder, with the hand-timed scenario files."""

COLOURS = (Signal.BLUE, Signal.YELLOW, Signal.ORANGE, Signal.RED)
LEVELS = (Level.IV, Level.III, Level.II, Level.I)
LEVEL_MOVES = (
    EventKind.LEVEL_DECIDED,
    EventKind.LEVEL_ESCALATED,
    EventKind.LEVEL_DEESCALATED,
    EventKind.RESPONSE_CLOSED,
)
"""The events that change a case's level (the last closes it)."""


def with_plan(sc: Scenario, ident: str | None = None, **fields: Any) -> Scenario:
    """``sc`` with the fields of its plan ``ident`` (else of its first plan) changed."""
    target = ident if ident is not None else sc.district.plans[0].id
    plans = tuple(attrs.evolve(p, **fields) if p.id == target else p for p in sc.district.plans)
    return attrs.evolve(sc, district=attrs.evolve(sc.district, plans=plans))


def with_timeline(sc: Scenario, *points: SeverityPoint) -> Scenario:
    """``sc`` with every incident's timeline replaced by ``points``."""
    incidents = tuple(attrs.evolve(i, timeline=points) for i in sc.incidents)
    return attrs.evolve(sc, incidents=incidents)


def moves(
    result: RunResult, kinds: Iterable[str], incident: str | None = None, *, exact: bool = False
) -> list[tuple[float, str, str, Any, Any]]:
    """(time, actor, kind, level, by) of each event of ``kinds`` (of
    ``incident`` only, when given), in the log's order; the time to the
    microminute, or as the log has it when ``exact``."""
    wanted = tuple(kinds)
    return [
        (e.time if exact else round(e.time, 6), e.actor, e.kind, e.detail("level"), e.detail("by"))
        for e in result.events
        if e.kind in wanted and (incident is None or e.incident == incident)
    ]


def level_changes(
    result: RunResult, plan: str, general: bool = False
) -> dict[str, list[tuple[float, Level | None]]]:
    """Each incident's levels under ``plan`` as the log has them put in force
    (decided, raised, lowered, taken back from a town; ``None``: closed);
    with ``general``, the general plan's under a takeover too."""
    kinds: tuple[EventKind, ...] = (*LEVEL_MOVES, EventKind.PLAN_TAKEN_BACK)
    if general:
        kinds = (*kinds, EventKind.GENERAL_PLAN)
    out: dict[str, list[tuple[float, Level | None]]] = {}
    for e in result.events:
        if e.kind in kinds and e.detail("plan") == plan and e.incident is not None:
            level = e.detail("level")
            out.setdefault(e.incident, []).append(
                (e.time, None if level is None else Level.parse(level))
            )
    return out


def signal_rules(lowest: int = 0) -> tuple[tuple[Trigger, ...], WarningLink]:
    """Triggers and a link (confirmed in 2 minutes) for the colours from
    ``COLOURS[lowest]`` up, each to its level of ``LEVELS``; deaths >= 1
    warrant III and >= 3 II on the triggers alone."""
    linked = tuple(zip(COLOURS, LEVELS, strict=True))[lowest:]
    triggers = (
        *(
            Trigger(level, any_of=(Condition.parse(f"signal >= {colour.value}"),))
            for colour, level in linked
        ),
        Trigger(Level.III, any_of=(Condition.parse("deaths >= 1"),)),
        Trigger(Level.II, any_of=(Condition.parse("deaths >= 3"),)),
    )
    return triggers, WarningLink(levels=dict(linked), confirm=Fixed(2.0))


def signal_points(
    steps: Sequence[Signal | Lift], gaps: Sequence[int], deaths: float
) -> list[SeverityPoint]:
    """The deaths known at onset, then each colour or lift ``gaps`` (+ 0.5,
    off the whole minutes) apart from minute 30 after onset; a lift only
    where a colour is in force (the model refuses any other)."""
    points = [SeverityPoint(at=0, deaths=deaths)]
    at, in_force = 30.0, False
    for step, gap in zip(steps, gaps, strict=False):
        if step is Lift.LIFTED and not in_force:
            continue
        at += gap + 0.5
        points.append(SeverityPoint(at=at, signal=step))
        in_force = step is not Lift.LIFTED
    return points


def truth_at(points: Sequence[SeverityPoint], onset: float) -> Callable[[float], dict[str, object]]:
    """What is true at a run minute: every point's values up to it, the
    incident starting at ``onset``."""

    def truth(time: float) -> dict[str, object]:
        known: dict[str, object] = {}
        for point in points:
            if onset + point.at <= time:
                known.update(point.values())
        return known

    return truth


def handed_back_by_signal(last: Signal | Lift) -> Scenario:
    """``town_hand_back.yaml`` (timed in its header: the town's IV at 80)
    with the district plan's link (yellow III, blue IV, confirmed in 2
    minutes): the yellow signal at 60 after onset takes the case over (III at
    122), and ``last`` follows at 115 (a blue or a lift hands it back at
    177, as the tests work out)."""
    base = load_scenario(SIM / "town_hand_back.yaml")
    district = base.district
    plan = district.plans[0]
    plan = attrs.evolve(
        plan,
        triggers=(
            *plan.triggers,
            Trigger(Level.III, any_of=(Condition.parse("signal >= yellow"),)),
        ),
        warnings=WarningLink(
            levels={Signal.BLUE: Level.IV, Signal.YELLOW: Level.III}, confirm=Fixed(2.0)
        ),
    )
    timeline = (
        SeverityPoint(at=0, households=100),
        SeverityPoint(at=60, signal=Signal.YELLOW),
        SeverityPoint(at=115, signal=last),
    )
    incident = attrs.evolve(base.incidents[0], timeline=timeline)
    return attrs.evolve(
        base,
        district=attrs.evolve(district, plans=(plan, *district.plans[1:])),
        incidents=(incident,),
    )
