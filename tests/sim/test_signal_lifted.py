"""A signal lifted (解除预警) is a lowering to no signal: exact timelines,
hand-checked, and a property over sequences of colours and lifts.

The district cases use the tiny scenario of ``test_warning_link`` (10:00 on
a Wednesday, every factor 1; triggers ``signal >= blue`` IV, ``signal >=
yellow`` III; the link blue IV, yellow III, confirmed in 2 minutes): onset
at minute 60, blue at 20, yellow at 50, 5 mm of rain at onset, and here the
signal is lifted 30 minutes after onset (minute 90).  The town cases use
``town_lowering.yaml`` (its header times it) with the same timeline.
"""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import find, given, settings
from hypothesis import strategies as st

from cmdsim.analysis.fastpath import fast_metrics, permits
from cmdsim.analysis.metrics import known_metrics
from cmdsim.check.intervals import domain
from cmdsim.model import Condition, Trigger
from cmdsim.model.incidents import severity_at
from cmdsim.model.levels import Level, Lift, Signal
from cmdsim.model.plans import Confirmer
from cmdsim.model.scenario import SeverityPoint
from cmdsim.model.timing import LogNormal
from cmdsim.sim import simulate
from cmdsim.sim.compiled import CompiledPlan
from cmdsim.sim.streams import Streams, warning_lowered_stream
from cmdsim.testing.incidents import timelines
from tests.builders import (
    COLOURS,
    LEVEL_MOVES,
    handed_back_by_signal,
    moves,
    signal_points,
    with_plan,
    with_timeline,
)
from tests.sim.test_town_warning_lowering import TOWN, _moves
from tests.sim.test_town_warning_lowering import base as town_base
from tests.sim.test_town_warning_lowering import four_levels as town_four_levels
from tests.sim.test_warning_link import SIGNALS, linked
from tests.sim.test_warning_lowering import changes, four_levels

LIFTED = (*SIGNALS, SeverityPoint(at=30, signal=Lift.LIFTED))


def test_a_lift_closes_the_response_after_the_links_confirmation() -> None:
    result = simulate(linked(timeline=LIFTED), seed=1)
    # blue 20 -> IV at 22; yellow 50 -> III at 52; lifted at 90: no colour
    # calls for a level and the triggers give none on 5 mm without a signal,
    # so the response closes at 92 (the link's 2 minutes), by the signal.
    assert changes(result) == [
        (22.0, "level_decided", "IV", "warning"),
        (52.0, "level_escalated", "III", "warning"),
        (92.0, "response_closed", None, "signal"),
    ]
    # The lead HQ stands down with it.
    assert [(e.time, e.kind) for e in result.events if e.actor == "hq" and e.time > 60] == [
        (92.0, "hq_released"),
        (92.0, "hq_deactivated"),
    ]
    # The lift is logged as a signal event, and it is no colour: no lag.
    assert [(e.time, e.detail("signal")) for e in result.events if e.kind == "signal"] == [
        (20.0, "blue"),
        (50.0, "yellow"),
        (90.0, "lifted"),
    ]
    assert result.metrics["incident"]["flood1"]["signal_lag"] == {"blue": 2.0, "yellow": 2.0}


def test_the_duty_room_confirms_a_lift_once_the_warning_channel_delivers_it() -> None:
    result = simulate(linked(Confirmer.DUTY_ROOM, timeline=LIFTED), seed=1)
    # channel 1 minute, confirmation 2: 90 -> 93
    assert changes(result)[-1] == (93.0, "response_closed", None, "signal")


def test_the_triggers_keep_a_level_the_figures_warrant_after_a_lift() -> None:
    # 5 mm of rain warrants III on its own: the lift is confirmed at 92, III stays.
    sc = linked(timeline=LIFTED)
    rain = Trigger(Level.III, any_of=(Condition.parse("rainfall >= 5"),))
    result = simulate(with_plan(sc, triggers=(*sc.district.plans[0].triggers, rain)), seed=1)
    assert changes(result)[-1] == (52.0, "level_escalated", "III", "warning")
    assert [
        (e.time, e.detail("signal"), e.detail("level"))
        for e in result.events
        if e.kind == "warning_confirmed"
    ] == [(92.0, "lifted", "III")]


def test_a_plan_that_never_lowers_keeps_its_level_after_a_lift() -> None:
    sc = linked(timeline=LIFTED)
    escalation = attrs.evolve(sc.district.plans[0].escalation, deescalate=False)
    result = simulate(with_plan(sc, escalation=escalation), seed=1)
    assert changes(result)[-1] == (52.0, "level_escalated", "III", "warning")


def test_a_colour_issued_again_after_a_lift_starts_the_response_again() -> None:
    timeline = (*LIFTED, SeverityPoint(at=60, signal=Signal.BLUE))
    result = simulate(linked(timeline=timeline), seed=1)
    # Closed at 92; blue again at 120 is a raise from nothing: IV at 122.
    assert changes(result)[-2:] == [
        (92.0, "response_closed", None, "signal"),
        (122.0, "level_decided", "IV", "warning"),
    ]


def test_a_colour_issued_before_the_lifts_confirmation_wins() -> None:
    timeline = (*LIFTED, SeverityPoint(at=31, signal=Signal.YELLOW))
    result = simulate(linked(timeline=timeline), seed=1)
    # Lifted at 90, yellow again at 91: the lift's confirmation at 92 finds a
    # colour in force and leaves III.
    assert [c for c in changes(result) if c[0] > 60] == []


def test_a_lift_draws_its_delay_from_its_own_stream_and_moves_no_raise() -> None:
    sc = linked(timeline=LIFTED)
    link = attrs.evolve(sc.district.plans[0].warnings, confirm=LogNormal(median=3.0, sigma=0.5))
    lifted = simulate(with_plan(sc, warnings=link), seed=7)
    kept = simulate(with_plan(linked(timeline=LIFTED[:3]), warnings=link), seed=7)
    # The raises are the same draws with and without the lift.
    assert changes(lifted)[:2] == changes(kept)
    # The lift's confirmation: minute 90 plus one draw of the link's delay
    # from warning/flood1/lowered/lifted (every factor 1).
    draw = link.confirm.sample(Streams(7)(warning_lowered_stream("flood1", "lifted")))
    closed = changes(lifted)[2]
    assert closed[1:] == ("response_closed", None, "signal")
    assert closed[0] == round(90.0 + draw, 6)


def test_a_town_plans_own_link_closes_the_towns_response_with_the_lift() -> None:
    sc = with_timeline(town_base(), *LIFTED)
    result = simulate(sc, 0)
    # The town's office confirms in 2: the town's response closes at 92, its
    # triggers (signal >= blue, >= yellow) giving nothing without a signal.
    assert _moves(result) == [
        (22.0, TOWN, "level_decided", "IV", "warning"),
        (52.0, TOWN, "level_escalated", "III", "warning"),
        (92.0, TOWN, "response_closed", None, "signal"),
    ]
    assert [
        e.time for e in result.events if e.actor == "town_a_hq" and e.kind == "hq_deactivated"
    ] == [92.0]


def test_the_fast_path_refuses_a_lift() -> None:
    # Refused for the lift even where no plan links signals to levels.
    sc = linked(timeline=LIFTED, link=False)
    reason = permits(sc, list(fast_metrics(sc)))
    assert reason is not None and "signal is lifted (解除)" in reason


def test_a_lift_is_no_known_signal_lag() -> None:
    columns = known_metrics(linked(timeline=LIFTED))
    lags = sorted(c for c in columns if ".signal_lag." in c)
    assert lags == ["incident.flood1.signal_lag.blue", "incident.flood1.signal_lag.yellow"]


# ---------------------------------------------------------------- property


def _level(text: Any) -> Level | None:
    return None if text is None else Level(text)


def _rank(level: Level | None) -> int:
    return 0 if level is None else level.rank


STEPS = st.lists(st.sampled_from((*COLOURS, Lift.LIFTED, Lift.LIFTED)), min_size=1, max_size=6)


def _check_lifts(
    points: list[SeverityPoint], moves: list[tuple[float, str, Level | None]], plan: Any
) -> None:
    """At each lift's confirmation (the link's 2 minutes) the level never
    rises and is the triggers' level on the truth, no signal in force, or
    the one held if that is no higher; at the end, what the truth calls for."""
    onset = 60.0

    def held(time: float, *, inclusive: bool) -> Level | None:
        level: Level | None = None
        for when, _kind, new in moves:
            if when < time or (inclusive and when == time):
                level = new
        return level

    for point in points:
        if point.signal is not Lift.LIFTED:
            continue
        confirmed = onset + point.at + 2.0
        before, after = held(confirmed, inclusive=False), held(confirmed, inclusive=True)
        # Never raises ...
        assert _rank(after) <= _rank(before), (point, moves)
        # ... and leaves the triggers' level on the truth, no signal in force
        # (or keeps a level no higher than that, had one been in force).
        truth = severity_at(points, point.at + 2.0)
        assert "signal" not in truth
        floor = plan.level_for(truth)
        assert after == (before if _rank(floor) >= _rank(before) else floor), (point, moves)
    if moves:
        assert moves[-1][2] == plan.level_for(severity_at(points, 10_000.0))


@settings(max_examples=30)
@given(
    steps=STEPS,
    gaps=st.lists(st.integers(min_value=7, max_value=90), min_size=6, max_size=6),
    deaths=st.sampled_from((0.0, 1.0, 4.0)),
    lowest=st.integers(min_value=0, max_value=2),
)
def test_a_lift_at_a_towns_room_never_raises_and_leaves_what_the_triggers_say(
    steps: list[Signal | Lift], gaps: list[int], deaths: float, lowest: int
) -> None:
    # The town plan's own link (town_lowering.yaml, the town governs
    # throughout), its colours from COLOURS[lowest] up linked to its levels.
    points = signal_points(steps, gaps, deaths)
    scenario = town_four_levels(tuple(points), lowest)
    result = simulate(scenario, seed=3)
    changes = [
        (e.time, e.kind, _level(e.detail("level")))
        for e in result.events
        if e.actor == TOWN and e.kind in LEVEL_MOVES
    ]
    assert not [e for e in result.events if e.kind == "plan_handed_over"]
    _check_lifts(points, changes, scenario.district.plan("town_a_flood"))


@settings(max_examples=40)
@given(
    steps=STEPS,
    gaps=st.lists(st.integers(min_value=7, max_value=90), min_size=6, max_size=6),
    deaths=st.sampled_from((0.0, 1.0, 4.0)),
)
def test_a_lift_never_raises_and_leaves_what_the_triggers_say(
    steps: list[Signal | Lift], gaps: list[int], deaths: float
) -> None:
    points = signal_points(steps, gaps, deaths)
    scenario = four_levels(tuple(points))
    result = simulate(scenario, seed=3)
    changes = [
        (e.time, e.kind, _level(e.detail("level"))) for e in result.events if e.kind in LEVEL_MOVES
    ]
    _check_lifts(points, changes, scenario.district.plans[0])


def test_after_a_lift_no_condition_on_the_signal_holds() -> None:
    # Not even "signal <= blue": a lift is no colour below blue, but none.
    points = (SeverityPoint(at=0, signal=Signal.BLUE), SeverityPoint(at=60, signal=Lift.LIFTED))
    plan = linked().district.plans[0]
    low = Trigger(Level.IV, any_of=(Condition.parse("signal <= blue"),))
    plan = attrs.evolve(plan, triggers=(low,))
    compiled = CompiledPlan(plan)
    for when, level in ((30.0, Level.IV), (60.0, None)):
        truth = severity_at(points, when)
        assert plan.level_for(truth) is level
        assert compiled.level_for(truth) is level
    # The checker's domain of the signal is the colours' ranks, nothing below.
    assert (domain("signal").lo, domain("signal").hi) == (1.0, 4.0)


def test_a_lift_hands_a_taken_over_case_back_to_its_town_plan() -> None:
    # town_hand_back.yaml (timed in its header): the town's IV at 80.  The
    # district plan's link (yellow III, blue IV, 2 minutes) takes the case
    # over with the yellow signal at 120 (III at 122); the signal is lifted
    # at 175.  At 177 the link gives no level, but the district plan's
    # triggers still give IV on the truth (households >= 0), which the town
    # plan covers: the district hands the case back by the signal, and the
    # town room takes it back in the forward delay of 5 (182).
    result = simulate(handed_back_by_signal(Lift.LIFTED), seed=1)
    kinds = ("level_decided", "response_closed", "plan_handed_over", "plan_handed_back")
    assert moves(result, (*kinds, "plan_taken_back"), exact=True) == [
        (80.0, "town_a_duty_room", "level_decided", "IV", "plan"),
        (122.0, "district_duty_room", "plan_handed_over", None, "warning"),
        (122.0, "district_duty_room", "level_decided", "III", "warning"),
        (177.0, "district_duty_room", "plan_handed_back", "IV", "signal"),
        (177.0, "district_duty_room", "response_closed", None, "hand_back"),
        (182.0, "town_a_duty_room", "plan_taken_back", "IV", None),
    ]


@settings(max_examples=60)
@given(data=st.data())
def test_the_timelines_strategy_draws_valid_lifts_only_when_asked(data: st.DataObject) -> None:
    lifted = data.draw(timelines(forecastable=True, lifts=True))
    # Each lift follows a colour in force (the model refuses any other).
    in_force = False
    for point in lifted:
        if point.signal is Lift.LIFTED:
            assert in_force
        if point.signal is not None:
            in_force = point.signal is not Lift.LIFTED
    plain = data.draw(timelines(forecastable=True))
    assert all(point.signal is not Lift.LIFTED for point in plain)


def test_the_timelines_strategy_can_lift() -> None:
    def lifts(timeline: tuple[SeverityPoint, ...]) -> bool:
        return any(p.signal is Lift.LIFTED for p in timeline)

    assert lifts(find(timelines(forecastable=True, lifts=True), lifts))
