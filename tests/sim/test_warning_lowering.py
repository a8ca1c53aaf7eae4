"""A level lowered with its signal (预警响应联动, the way down): exact
timelines, hand-checked, and a property over signal sequences.

The tiny scenario of ``test_warning_link`` (10:00 on a Wednesday, every
factor 1): onset at minute 60, blue at 20, yellow at 50; the hotline takes
10 minutes, triage 5, a leader's approval 8, the warning channel 1, the
link's confirmation 2.  Here the signal is lowered back to blue 30 minutes
after onset (minute 90).  The lead reassesses every 30 minutes from the
first level (22: at 52, 82, 112 ...), with the plan's default 60-minute hold.
"""

from __future__ import annotations

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis.fastpath import fast_metrics, permits
from cmdsim.model import Condition, Trigger, WarningLink
from cmdsim.model.levels import Level, Signal
from cmdsim.model.plans import Confirmer, Escalation
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate
from cmdsim.sim.results import RunResult
from tests.builders import (
    COLOURS,
    LEVEL_MOVES,
    LEVELS,
    handed_back_by_signal,
    moves,
    signal_points,
    signal_rules,
    truth_at,
    with_plan,
)
from tests.sim.test_warning_link import SIGNALS, linked

LOWERED = (*SIGNALS, SeverityPoint(at=30, signal=Signal.BLUE))


def changes(result: RunResult) -> list[tuple[float, str, str | None, str | None]]:
    """(time, kind, level, by) of each change of level, in the log's order."""
    return [(time, kind, level, by) for time, _, kind, level, by in moves(result, LEVEL_MOVES)]


def test_the_level_comes_down_with_the_signal_after_the_links_confirmation() -> None:
    result = simulate(linked(timeline=LOWERED), seed=1)
    # blue 20 -> IV at 22; yellow 50 -> III at 52; blue again at 90 -> IV at
    # 92, the link's 2 minutes, not the lead's reassessment at 112.
    assert changes(result) == [
        (22.0, "level_decided", "IV", "warning"),
        (52.0, "level_escalated", "III", "warning"),
        (92.0, "level_deescalated", "IV", "signal"),
    ]
    # Lowering takes nothing from the raise's lag.
    assert result.metrics["incident"]["flood1"]["signal_lag"] == {"blue": 2.0, "yellow": 2.0}


def test_without_a_lowered_signal_nothing_comes_down() -> None:
    result = simulate(linked(), seed=1)
    assert [c for c in changes(result) if c[1] == "level_deescalated"] == []


def test_the_duty_room_lowers_once_the_warning_channel_delivers() -> None:
    result = simulate(linked(Confirmer.DUTY_ROOM, timeline=LOWERED), seed=1)
    # channel 1 minute, confirmation 2: 90 -> 93
    assert changes(result)[-1] == (93.0, "level_deescalated", "IV", "signal")


def test_a_colour_the_link_does_not_map_closes_the_response() -> None:
    # 灿都: the response ended with the signal.  The link starts nothing at
    # blue and the triggers give nothing at blue: the response closes at 92.
    base = linked(timeline=LOWERED)
    link = WarningLink(levels={Signal.YELLOW: Level.III}, confirm=Fixed(2.0))
    triggers = (Trigger(Level.III, any_of=(Condition.parse("signal >= yellow"),)),)
    result = simulate(with_plan(base, warnings=link, triggers=triggers), seed=1)
    assert changes(result) == [
        (52.0, "level_decided", "III", "warning"),
        (92.0, "response_closed", None, "signal"),
    ]


def test_the_triggers_keep_a_level_the_figures_warrant() -> None:
    # Rainfall 5 (known from the hotline's report at 75) triggers III on its
    # own: the blue signal at 90 is confirmed at 92 but III stays.
    base = linked(timeline=LOWERED)
    plan = base.district.plans[0]
    rain = Trigger(Level.III, any_of=(Condition.parse("rainfall >= 5"),))
    result = simulate(with_plan(base, triggers=(*plan.triggers, rain)), seed=1)
    assert [c for c in changes(result) if c[0] > 60] == []
    confirmed = [
        (round(e.time, 6), e.detail("signal"), e.detail("level"))
        for e in result.events
        if e.kind == "warning_confirmed"
    ]
    assert confirmed == [(92.0, "blue", "III")]


def test_a_plan_that_never_lowers_keeps_its_level() -> None:
    base = linked(timeline=LOWERED)
    plan = base.district.plans[0]
    escalation = attrs.evolve(plan.escalation, deescalate=False)
    result = simulate(with_plan(base, escalation=escalation), seed=1)
    assert changes(result)[-1] == (52.0, "level_escalated", "III", "warning")


def test_a_signal_raised_again_before_the_confirmation_wins() -> None:
    timeline = (*LOWERED, SeverityPoint(at=31, signal=Signal.YELLOW))
    result = simulate(linked(timeline=timeline), seed=1)
    # blue at 90 would be confirmed at 92, but yellow is back in force at 91.
    assert [c for c in changes(result) if c[0] > 60] == []


def test_the_lead_still_lowers_further_on_what_it_finds() -> None:
    # The lowered level is the lead's to lower further: with the plan's
    # triggers giving nothing on blue (IV only from the link), the lead's
    # reassessments at 112 and 142 keep IV (the plan's 60-minute hold since
    # 92 is not met: 20, 50) and the one at 172 closes it.
    base = linked(timeline=LOWERED)
    triggers = (Trigger(Level.III, any_of=(Condition.parse("signal >= yellow"),)),)
    result = simulate(with_plan(base, triggers=triggers), seed=1)
    assert changes(result) == [
        (22.0, "level_decided", "IV", "warning"),
        (52.0, "level_escalated", "III", "warning"),
        (92.0, "level_deescalated", "IV", "signal"),
        (172.0, "response_closed", None, None),
    ]


def test_a_case_taken_over_goes_back_to_its_town_plan_with_the_signal() -> None:
    # town_hand_back.yaml (timed in its header): the town's IV at 80.  Here
    # the district plan's link (yellow III, blue IV, 2 minutes) takes the
    # case over with the yellow signal at 120 (III at 122); the signal is
    # lowered to blue at 175: at 177 the district plan would be at IV, which
    # the town plan covers, so the district hands the case back there and then
    # (not at its reassessment at 182), and the town room takes it back in
    # the district room's forward delay of 5 (182).
    result = simulate(handed_back_by_signal(Signal.BLUE), seed=1)
    kinds = (
        "level_decided",
        "level_deescalated",
        "response_closed",
        "plan_handed_over",
        "plan_handed_back",
        "plan_taken_back",
    )
    assert moves(result, kinds) == [
        (80.0, "town_a_duty_room", "level_decided", "IV", "plan"),
        (122.0, "district_duty_room", "plan_handed_over", None, "warning"),
        (122.0, "district_duty_room", "level_decided", "III", "warning"),
        # by: signal, where the lead's reassessment's says reassessment
        (177.0, "district_duty_room", "plan_handed_back", "IV", "signal"),
        (177.0, "district_duty_room", "response_closed", None, "hand_back"),
        (182.0, "town_a_duty_room", "plan_taken_back", "IV", None),
    ]


def test_the_fast_path_refuses_a_lowered_signal() -> None:
    scenario = linked(timeline=LOWERED)
    reason = permits(scenario, list(fast_metrics(scenario)))
    assert reason is not None and "(and lower) its plan's level by warning link" in reason


# ---------------------------------------------------------------- property


def four_levels(timeline: tuple[SeverityPoint, ...]) -> Scenario:
    """Every colour linked to a level; deaths >= 1 warrant III, >= 3 II."""
    base = linked(timeline=timeline)
    plan = base.district.plans[0]
    response = plan.levels[Level.IV]
    triggers, link = signal_rules()
    # Long enough for the last signal (minute 90 + 6 x 90.5) to settle.
    base = attrs.evolve(base, horizon=1200.0)
    return with_plan(
        base,
        triggers=triggers,
        warnings=link,
        levels=dict.fromkeys(LEVELS, response),
        escalation=Escalation(reassess=Fixed(30.0)),
    )


@settings(max_examples=40)
@given(
    colours=st.lists(st.sampled_from(COLOURS), min_size=1, max_size=6),
    gaps=st.lists(st.integers(min_value=7, max_value=90), min_size=6, max_size=6),
    deaths=st.sampled_from((0.0, 1.0, 4.0)),
)
def test_a_level_is_never_lowered_below_what_the_triggers_and_the_signal_say(
    colours: list[Signal], gaps: list[int], deaths: float
) -> None:
    # Deaths are known from the onset's report (minute 75) before any signal
    # after onset: the room's picture is then the truth's.
    points = signal_points(colours, gaps, deaths)
    scenario = four_levels(tuple(points))
    result = simulate(scenario, seed=3)
    plan = scenario.district.plans[0]
    link = plan.warnings
    assert link is not None
    truth = truth_at(points, onset=60.0)
    lowered = [e for e in result.events if e.kind in ("level_deescalated", "response_closed")]
    for event in lowered:
        now = truth(event.time)
        level = None if event.detail("level") is None else Level(event.detail("level"))
        floor = plan.level_for(now)
        signal = now.get("signal")
        linked_level = link.level_for(signal) if isinstance(signal, Signal) else None
        for wanted in (floor, linked_level):
            assert wanted is None or (level is not None and level >= wanted), (event, now)
    # And at the end the level in force is what the last signal and the
    # deaths call for (every change has long settled by the horizon).
    kinds = ("level_decided", "level_escalated", "level_deescalated", "response_closed")
    final = [e.detail("level") for e in result.events if e.kind in kinds][-1]
    expected = plan.level_for(truth(10_000.0))
    assert final == (None if expected is None else expected.value)
