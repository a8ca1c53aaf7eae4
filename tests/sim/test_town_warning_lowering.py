"""A town plan's own warning link lowers the town's level with the signal
(预警响应联动, the way down, at the town tier): exact timelines, hand-checked,
and a property over signal sequences.

The scenario is ``town_lowering.yaml`` next to this file; its header works
the timeline out by hand (blue at minute 20, yellow at 50, blue again at 90;
the town's office confirms in 2 minutes; the town governs throughout).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis.fastpath import fast_metrics, permits
from cmdsim.io import load_scenario
from cmdsim.model import Condition, Level, Scenario, Trigger, WarningLink
from cmdsim.model.levels import Signal
from cmdsim.model.scenario import SeverityPoint
from cmdsim.model.timing import BandFactors, Fixed
from cmdsim.sim import simulate
from tests.builders import (
    COLOURS,
    LEVEL_MOVES,
    LEVELS,
    moves,
    signal_points,
    signal_rules,
    truth_at,
    with_plan,
    with_timeline,
)

HERE = Path(__file__).parent
TOWN = "town_a_duty_room"
KINDS = (
    "level_decided",
    "level_escalated",
    "level_deescalated",
    "response_closed",
    "warning_confirmed",
    "hand_over_requested",
    "plan_handed_over",
    "plan_handed_back",
)


def base() -> Scenario:
    return load_scenario(HERE / "town_lowering.yaml")


def _moves(result: Any) -> list[tuple[float, str, str, Any, Any]]:
    return moves(result, KINDS, incident="rain_a")


def test_the_towns_level_comes_down_with_the_signal() -> None:
    result = simulate(base(), 0)
    assert _moves(result) == [
        (22.0, TOWN, "level_decided", "IV", "warning"),
        (52.0, TOWN, "level_escalated", "III", "warning"),
        # blue again at 90: the town's office confirms in 2, not the lead's
        # reassessment (at 112, which could not lower before 52 + 60 anyway)
        (92.0, TOWN, "level_deescalated", "IV", "signal"),
    ]
    # The town's command hears the lower level; the level is the incident's.
    heard = [
        (e.time, e.detail("level"))
        for e in result.events
        if e.actor == "town_a_hq" and e.kind == "hq_level_changed"
    ]
    assert heard == [(52.0, "III"), (92.0, "IV")]
    # The town's first level is its record's, the lowering is not.
    assert result.metrics["incident"]["rain_a"]["town_level"] == "IV"


def test_a_colour_the_town_link_does_not_map_closes_the_towns_response() -> None:
    # The link starts IV at yellow only, the triggers too: blue at 20 starts
    # nothing; yellow at 50 starts IV at 52; blue at 90 closes it at 92.
    yellow = (Trigger(Level.IV, any_of=(Condition.parse("signal >= yellow"),)),)
    sc = with_plan(
        base(),
        "town_a_flood",
        triggers=yellow,
        warnings=WarningLink(levels={Signal.YELLOW: Level.IV}, confirm=Fixed(2.0)),
        levels={Level.IV: base().district.plan("town_a_flood").levels[Level.IV]},
    )
    result = simulate(sc, 0)
    assert _moves(result) == [
        (52.0, TOWN, "level_decided", "IV", "warning"),
        (92.0, TOWN, "response_closed", None, "signal"),
    ]
    # The town's command stands down with it.
    assert [
        e.time for e in result.events if e.actor == "town_a_hq" and e.kind == "hq_deactivated"
    ] == [92.0]


def test_the_town_triggers_keep_a_level_the_figures_warrant() -> None:
    # 5 mm of rain warrants III on the town plan's own triggers: the blue
    # signal is confirmed at 92 and III stays.
    plan = base().district.plan("town_a_flood")
    rain = Trigger(Level.III, any_of=(Condition.parse("rainfall >= 5"),))
    result = simulate(with_plan(base(), "town_a_flood", triggers=(*plan.triggers, rain)), 0)
    assert _moves(result) == [
        (22.0, TOWN, "level_decided", "IV", "warning"),
        (52.0, TOWN, "level_escalated", "III", "warning"),
        (92.0, TOWN, "warning_confirmed", "III", None),
    ]


def test_a_town_plan_that_never_lowers_keeps_its_level() -> None:
    plan = base().district.plan("town_a_flood")
    escalation = attrs.evolve(plan.escalation, deescalate=False)
    result = simulate(with_plan(base(), "town_a_flood", escalation=escalation), 0)
    assert _moves(result)[-1] == (52.0, TOWN, "level_escalated", "III", "warning")


def test_the_lowering_is_confirmed_after_the_town_rooms_band_factor() -> None:
    # The town room 1.5 times slower at night; the signal lowered at 02:30
    # (the run starting at 01:00): 2 x 1.5 = 3 minutes.  The raises before
    # it, at night too, take 3 minutes as well.
    sc = base()
    earlier = dt.timedelta(hours=9)
    incidents = tuple(attrs.evolve(i, onset=i.onset - earlier) for i in sc.incidents)
    sc = attrs.evolve(sc, start=sc.start - earlier, incidents=incidents)
    slower = BandFactors(night=1.5)
    towns = tuple(
        attrs.evolve(t, duty_room=attrs.evolve(t.duty_room, factors=slower))
        for t in sc.district.towns
        if t.duty_room is not None
    )
    sc = attrs.evolve(sc, district=attrs.evolve(sc.district, towns=towns))
    result = simulate(sc, 0)
    assert [m[:3] for m in _moves(result)] == [
        (23.0, TOWN, "level_decided"),
        (53.0, TOWN, "level_escalated"),
        (93.0, TOWN, "level_deescalated"),
    ]


def test_a_signal_raised_again_before_the_confirmation_wins() -> None:
    sc = with_timeline(
        base(),
        *base().incidents[0].timeline,
        SeverityPoint(at=31, signal=Signal.YELLOW),
    )
    result = simulate(sc, 0)
    assert [m for m in _moves(result) if m[0] > 60] == [
        (91.0 + 2.0, TOWN, "warning_confirmed", "III", None),
    ]


def test_a_case_the_district_governs_is_not_lowered_by_the_town() -> None:
    # The district plan's own link (blue IV, yellow III, 3 minutes) takes the
    # case over at 23; the town's IV of 22 stays its first response.  The
    # district plan does not lower (deescalate: false): the blue signal at 90
    # moves nothing at either room.
    district = base().district.plan("district_flood")
    signal_triggers = (
        Trigger(Level.IV, any_of=(Condition.parse("signal >= blue"),)),
        Trigger(Level.III, any_of=(Condition.parse("signal >= yellow"),)),
    )
    sc = with_plan(
        base(),
        "district_flood",
        triggers=(*district.triggers, *signal_triggers),
        warnings=WarningLink(
            levels={Signal.BLUE: Level.IV, Signal.YELLOW: Level.III}, confirm=Fixed(3.0)
        ),
    )
    result = simulate(sc, 0)
    assert _moves(result) == [
        (22.0, TOWN, "level_decided", "IV", "warning"),
        (23.0, "district_duty_room", "plan_handed_over", None, "warning"),
        (23.0, "district_duty_room", "level_decided", "IV", "warning"),
        (53.0, "district_duty_room", "level_escalated", "III", "warning"),
    ]


def test_the_fast_path_refuses_a_town_plans_lowering() -> None:
    sc = base()
    reason = permits(sc, list(fast_metrics(sc)), unlimited=True)
    assert reason is not None and "town plan town_a_flood" in reason


# ---------------------------------------------------------------- property


def four_levels(points: tuple[SeverityPoint, ...], lowest: int) -> Scenario:
    """The town plan linking the colours from ``COLOURS[lowest]`` up to its
    four levels (a colour below those starts nothing, and closes the town's
    response when lowered to); deaths >= 1 warrant III, >= 3 II."""
    sc = with_timeline(base(), *points)
    plan = sc.district.plan("town_a_flood")
    response = plan.levels[Level.IV]
    triggers, link = signal_rules(lowest)
    # Long enough for the last signal (minute 90 + 6 x 90.5) to settle.
    sc = attrs.evolve(sc, horizon=1200.0)
    return with_plan(
        sc,
        "town_a_flood",
        triggers=triggers,
        warnings=link,
        levels=dict.fromkeys(LEVELS, response),
    )


@settings(max_examples=40)
@given(
    colours=st.lists(st.sampled_from(COLOURS), min_size=1, max_size=6),
    gaps=st.lists(st.integers(min_value=7, max_value=90), min_size=6, max_size=6),
    deaths=st.sampled_from((0.0, 1.0, 4.0)),
    lowest=st.integers(min_value=0, max_value=2),
)
def test_a_town_level_is_never_lowered_below_the_triggers_nor_raised_by_a_lowering(
    colours: list[Signal], gaps: list[int], deaths: float, lowest: int
) -> None:
    points = signal_points(colours, gaps, deaths)
    sc = four_levels(tuple(points), lowest)
    result = simulate(sc, seed=3)
    plan = sc.district.plan("town_a_flood")
    link = plan.warnings
    assert link is not None
    truth = truth_at(points, onset=60.0)
    changes = [e for e in result.events if e.actor == TOWN and e.kind in LEVEL_MOVES]
    # The town governs throughout: the district never takes the case.
    assert not [e for e in result.events if e.kind == "plan_handed_over"]
    held: Level | None = None
    for event in changes:
        level = None if event.detail("level") is None else Level(event.detail("level"))
        if event.kind in ("level_deescalated", "response_closed"):
            # A lowering never raises ...
            assert held is not None and (level is None or level < held), event
            # ... nor goes below what the triggers or the signal call for.
            now = truth(event.time)
            signal = now.get("signal")
            linked = link.level_for(signal) if isinstance(signal, Signal) else None
            for wanted in (plan.level_for(now), linked):
                assert wanted is None or (level is not None and level >= wanted), (event, now)
        held = level
    # At the end the town's level is what the last signal and the deaths
    # call for (every change has long settled by the horizon), when the
    # town's response ever opened.
    if changes:
        expected = plan.level_for(truth(10_000.0))
        assert changes[-1].detail("level") == (None if expected is None else expected.value)
