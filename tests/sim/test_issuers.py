"""Warnings in force per issuer (分级发布): the city's service and the
district's station each raise, lower and lift their own signal, and a
warning link sees the gravest in force of the issuers it counts.

Hand-checked timelines on the tiny scenarios of ``test_warning_link``
(district room: onset at minute 60, the link's confirmation 2 minutes, blue
IV and yellow III; the triggers read the signal as the link maps it; the
lead reassesses every 30 minutes from the first level with a 60-minute hold)
and ``town_lowering.yaml`` (the town's own link, the same mapping, 2
minutes; the town governs throughout).  A signal at ``at`` falls at minute
``60 + at``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis.fastpath import fast_metrics, permits
from cmdsim.io import load_scenario
from cmdsim.model import Condition, Trigger, WarningLink
from cmdsim.model.incidents import gravest, signals_in_force
from cmdsim.model.levels import Issuer, Level, Lift, Signal
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate
from tests.sim.test_warning_link import linked

CITY, DISTRICT = Issuer.CITY, Issuer.DISTRICT
KINDS = ("level_decided", "level_escalated", "level_deescalated", "response_closed")


def changes(result: Any, actor: str | None = None) -> list[tuple[float, str, Any, Any]]:
    return [
        (round(e.time, 6), e.kind, e.detail("level"), e.detail("by"))
        for e in result.events
        if e.kind in KINDS and (actor is None or e.actor == actor)
    ]


def point(at: float, signal: Signal | Lift, issuer: Issuer, **figures: float) -> SeverityPoint:
    return SeverityPoint(at=at, signal=signal, issuer=issuer, **figures)


DISTRICT_YELLOW_CITY_BLUE = (
    point(-40, Signal.YELLOW, DISTRICT),  # minute 20: the station's yellow -> III at 22
    point(-10, Signal.BLUE, CITY),  # minute 50: the city's blue, under the station's yellow
    SeverityPoint(at=0, rainfall=5),
)


def test_a_city_blue_after_a_district_yellow_leaves_the_districts_level() -> None:
    # Before: one slot per hazard, the city's blue lowered III to IV at 52.
    result = simulate(linked(timeline=DISTRICT_YELLOW_CITY_BLUE), seed=1)
    assert changes(result) == [(22.0, "level_decided", "III", "warning")]
    # Nothing is confirmed for the masked blue, and the lead's reassessments
    # (52, 82, ... 232) find the station's yellow in force: III stays.
    assert [e for e in result.events if e.kind == "warning_confirmed"] == []
    assert result.metrics["incident"]["flood1"]["level"] == "III"


def test_the_stations_lift_lowers_to_the_citys_and_both_lifted_close() -> None:
    timeline = (
        *DISTRICT_YELLOW_CITY_BLUE,
        point(30, Lift.LIFTED, DISTRICT),  # minute 90: the city's blue is what is left
        point(60, Lift.LIFTED, CITY),  # minute 120: nothing is left
    )
    result = simulate(linked(timeline=timeline), seed=1)
    assert changes(result) == [
        (22.0, "level_decided", "III", "warning"),
        (92.0, "level_deescalated", "IV", "signal"),
        (122.0, "response_closed", None, "signal"),
    ]
    # The lowering drew from the stream of the colour left in force (blue).
    lowered = [e for e in result.events if e.kind == "level_deescalated"]
    assert lowered[0].detail("by") == "signal"


def test_a_lift_overtaken_by_the_other_issuers_lift_closes_once() -> None:
    # The station lifts at 90 (to the city's blue, confirmed at 92), the city
    # at 91 (to none, confirmed at 93): at 92 blue is no longer in force, so
    # that lowering is dropped and the response closes at 93.
    timeline = (
        *DISTRICT_YELLOW_CITY_BLUE,
        point(30, Lift.LIFTED, DISTRICT),
        point(31, Lift.LIFTED, CITY),
    )
    result = simulate(linked(timeline=timeline), seed=1)
    assert changes(result) == [
        (22.0, "level_decided", "III", "warning"),
        (93.0, "response_closed", None, "signal"),
    ]


def test_the_citys_lift_under_the_stations_yellow_changes_nothing() -> None:
    timeline = (*DISTRICT_YELLOW_CITY_BLUE, point(30, Lift.LIFTED, CITY))
    result = simulate(linked(timeline=timeline), seed=1)
    assert changes(result) == [(22.0, "level_decided", "III", "warning")]


def test_a_link_counting_the_city_only_sees_the_citys_signal() -> None:
    # The link counts the city: the station's yellow (20) goes the reports'
    # way (the warning channel at 21, triaged 26, approved 34: III); the
    # city's blue at 50 is the link's, confirmed at 52 under III.  The city
    # lifts at 90: the link sees none, but the triggers read the warning over
    # the district (the station's yellow, still in force) and keep III: the
    # lift is confirmed at 92, nothing is lowered.
    timeline = (*DISTRICT_YELLOW_CITY_BLUE, point(30, Lift.LIFTED, CITY))
    result = simulate(linked(issuers=(CITY,), timeline=timeline), seed=1)
    assert changes(result) == [(34.0, "level_decided", "III", "plan")]
    confirmed = [
        (round(e.time, 6), e.detail("signal"), e.detail("level"))
        for e in result.events
        if e.kind == "warning_confirmed"
    ]
    assert confirmed == [(52.0, "blue", "III"), (92.0, "lifted", "III")]


TOWN = "town_a_duty_room"


def _town(*points: SeverityPoint) -> Scenario:
    sc = load_scenario(Path(__file__).parent / "town_lowering.yaml")
    return attrs.evolve(sc, incidents=tuple(attrs.evolve(i, timeline=points) for i in sc.incidents))


def test_the_towns_link_keeps_the_stations_level_and_closes_when_both_lift() -> None:
    sc = _town(
        *DISTRICT_YELLOW_CITY_BLUE,
        point(30, Lift.LIFTED, DISTRICT),
        point(60, Lift.LIFTED, CITY),
    )
    result = simulate(sc, 0)
    # The town's office: III at 22 on the station's yellow; the city's blue
    # at 50 changes nothing; the station's lift at 90 lowers to the city's
    # blue (IV at 92); the city's lift at 120 closes at 122.
    assert changes(result, TOWN) == [
        (22.0, "level_decided", "III", "warning"),
        (92.0, "level_deescalated", "IV", "signal"),
        (122.0, "response_closed", None, "signal"),
    ]


def test_the_fast_path_still_refuses_a_two_issuer_link() -> None:
    sc = linked(timeline=DISTRICT_YELLOW_CITY_BLUE)
    reason = permits(sc, list(fast_metrics(sc)))
    assert reason is not None and "warning link" in reason


# -- the property ------------------------------------------------------------

STEP = 30.0
"""Minutes between signals: the link's 2-minute confirmation has long settled."""


@st.composite
def issued(draw: st.DrawFn) -> tuple[SeverityPoint, ...]:
    """Up to six signals, each from either issuer, a colour or (where that
    issuer has one in force) a lift, every ``STEP`` minutes from minute 20."""
    points: list[SeverityPoint] = []
    in_force: set[Issuer] = set()
    for index in range(draw(st.integers(1, 6))):
        issuer = draw(st.sampled_from([CITY, DISTRICT]))
        choices: list[Signal | Lift] = [Signal.BLUE, Signal.YELLOW]
        if issuer in in_force:
            choices.append(Lift.LIFTED)
        signal = draw(st.sampled_from(choices))
        if signal is Lift.LIFTED:
            in_force.discard(issuer)
        else:
            in_force.add(issuer)
        points.append(point(-40 + STEP * index, signal, issuer))
    return tuple(points)


@settings(max_examples=40, deadline=None)
@given(issued())
def test_the_level_is_the_link_on_the_gravest_signal_in_force(
    points: tuple[SeverityPoint, ...],
) -> None:
    """After each signal has been confirmed, the district's level is the
    link's level for the gravest signal in force of either issuer (none:
    the response is closed, or was never opened)."""
    link = WarningLink(levels={Signal.BLUE: Level.IV, Signal.YELLOW: Level.III}, confirm=Fixed(2))
    sc = linked(timeline=points)
    # No figure calls for a level (no rain, no report's picture): the signal alone does.
    triggers = (
        Trigger(Level.IV, any_of=(Condition.parse("signal >= blue"),)),
        Trigger(Level.III, any_of=(Condition.parse("signal >= yellow"),)),
    )
    plan = attrs.evolve(sc.district.plans[0], triggers=triggers, warnings=link)
    sc = attrs.evolve(sc, district=attrs.evolve(sc.district, plans=(plan,)), horizon=400.0)
    result = simulate(sc, seed=0)
    moves = changes(result, "district_duty_room")
    for p in points:
        settled = 60 + p.at + STEP - 1  # just before the next signal
        held: str | None = None
        for time, _kind, level, _by in moves:
            if time <= settled:
                held = level
        signal = gravest(signals_in_force(points, p.at))
        wanted = link.level_for(signal) if signal is not None else None
        assert held == (wanted.value if wanted is not None else None), (p, moves)
