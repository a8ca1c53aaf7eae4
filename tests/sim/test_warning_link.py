"""Warning-linked response (预警响应联动): exact timelines, hand-checked.

The tiny scenario starts 10:00 on a Wednesday (day band, every factor 1).
Onset is at minute 60; the blue signal comes 40 minutes before it (minute
20) and yellow 10 minutes before it (minute 50).  The hotline takes 10
minutes, triage 5, a leader's approval 8; the warning channel 1.
"""

from __future__ import annotations

import attrs
import pytest

from cmdsim.errors import ModelError
from cmdsim.model import Channel, ChannelKind, Condition, Trigger, WarningLink
from cmdsim.model.levels import Issuer, Level, Signal
from cmdsim.model.plans import Confirmer
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate
from cmdsim.sim.context import LevelChange, SignalFact
from cmdsim.sim.warnings import signal_lags
from tests.sim.build import ONE, scenario

SIGNALS = (
    SeverityPoint(at=-40, signal=Signal.BLUE),
    SeverityPoint(at=-10, signal=Signal.YELLOW),
    SeverityPoint(at=0, rainfall=5),
)


def linked(
    confirm_by: Confirmer = Confirmer.OFFICE,
    issuers: tuple[Issuer, ...] = (Issuer.CITY, Issuer.DISTRICT),
    timeline: tuple[SeverityPoint, ...] = SIGNALS,
    link: bool = True,
    approval: float = 8.0,
) -> Scenario:
    base = scenario(timeline=timeline, approval=Fixed(approval))
    district = base.district
    plan = district.plans[0]
    triggers = (
        Trigger(Level.IV, any_of=(Condition.parse("signal >= blue"),)),
        Trigger(Level.III, any_of=(Condition.parse("signal >= yellow"),)),
    )
    warnings = (
        WarningLink(
            levels={Signal.BLUE: Level.IV, Signal.YELLOW: Level.III},
            confirm_by=confirm_by,
            confirm=Fixed(2.0),
            issuers=issuers,
        )
        if link
        else None
    )
    plan = attrs.evolve(
        plan,
        triggers=triggers,
        warnings=warnings,
        levels={Level.IV: plan.levels[Level.IV], Level.III: plan.levels[Level.IV]},
    )
    warning = Channel(id="met", kind=ChannelKind.WARNING, delay=Fixed(1.0), miss=0.0, factors=ONE)
    district = attrs.evolve(district, plans=(plan,), channels=(*district.channels, warning))
    return attrs.evolve(base, district=district)


def levels(result: object) -> list[tuple[float, str, str, str]]:
    return [
        (round(e.time, 6), e.kind, e.detail("level"), e.detail("by"))
        for e in result.events  # type: ignore[attr-defined]
        if e.kind in ("level_decided", "level_escalated")
    ]


def test_the_office_confirms_each_signal_without_triage_or_approval() -> None:
    result = simulate(linked(), seed=1)
    # blue at 20, confirmed 2 minutes later; yellow at 50, confirmed at 52
    assert levels(result) == [
        (22.0, "level_decided", "IV", "warning"),
        (52.0, "level_escalated", "III", "warning"),
    ]
    record = result.metrics["incident"]["flood1"]
    # the office knows as the signal is issued: 40 minutes before onset
    assert record["aware"] == -40.0
    assert record["level_decided"] == -38.0
    assert record["signal_lag"] == {"blue": 2.0, "yellow": 2.0}


def test_the_duty_room_confirms_once_the_warning_channel_delivers() -> None:
    result = simulate(linked(Confirmer.DUTY_ROOM), seed=1)
    # channel 1 minute, confirmation 2: at 23 and 53
    assert levels(result) == [
        (23.0, "level_decided", "IV", "warning"),
        (53.0, "level_escalated", "III", "warning"),
    ]
    record = result.metrics["incident"]["flood1"]
    assert record["aware"] == -39.0
    assert record["signal_lag"] == {"blue": 3.0, "yellow": 3.0}


def test_without_a_link_signals_queue_for_triage_and_approval() -> None:
    result = simulate(linked(link=False), seed=1)
    # warning channel 1, triage 5, approval 8: blue 20 -> 34; yellow 50 -> 64
    assert levels(result) == [
        (34.0, "level_decided", "IV", "plan"),
        (64.0, "level_escalated", "III", "plan"),
    ]
    assert result.metrics["incident"]["flood1"]["signal_lag"] == {"blue": 14.0, "yellow": 14.0}


def test_a_signal_from_an_issuer_the_link_ignores_takes_the_ordinary_path() -> None:
    timeline = (
        SeverityPoint(at=-40, signal=Signal.BLUE, issuer=Issuer.DISTRICT),
        SeverityPoint(at=-10, signal=Signal.YELLOW, issuer=Issuer.CITY),
        SeverityPoint(at=0, rainfall=5),
    )
    result = simulate(linked(issuers=(Issuer.CITY,), timeline=timeline), seed=1)
    # the district station's blue is triaged and approved (20 + 1 + 5 + 8);
    # the city's yellow is linked (50 + 2)
    assert levels(result) == [
        (34.0, "level_decided", "IV", "plan"),
        (52.0, "level_escalated", "III", "warning"),
    ]


def test_a_link_confirmed_while_a_leader_approves_is_not_undone() -> None:
    # Approval takes 40 minutes: the triaged blue (arrives 21, triaged 26)
    # would be approved at 66, after the linked III at 52.
    result = simulate(linked(approval=40.0), seed=1)
    assert levels(result) == [
        (22.0, "level_decided", "IV", "warning"),
        (52.0, "level_escalated", "III", "warning"),
    ]
    assert result.metrics["incident"]["flood1"]["peak_level"] == "III"


def test_a_more_severe_signal_never_maps_to_a_lower_level() -> None:
    with pytest.raises(ModelError, match="never lowers"):
        WarningLink(levels={Signal.BLUE: Level.III, Signal.YELLOW: Level.IV})


def test_an_issuer_without_a_signal_is_an_error() -> None:
    with pytest.raises(ModelError, match="issuer"):
        SeverityPoint(at=0, rainfall=3, issuer=Issuer.CITY)


def test_signal_lags_counts_a_level_already_in_force_as_at_once() -> None:
    history = [LevelChange(5.0, "III"), LevelChange(30.0, "IV"), LevelChange(45.0, "II")]
    signals = [
        SignalFact("blue", 10.0, "IV"),  # III already in force: 0
        SignalFact("orange", 35.0, "II"),  # II at 45: 10
        SignalFact("red", 40.0, "I"),  # never
        SignalFact("yellow", 50.0, None),  # no level for it
        SignalFact("blue", 60.0, "I"),  # a colour's first signal counts
    ]
    assert signal_lags(signals, history) == {
        "blue": 0.0,
        "orange": 10.0,
        "red": None,
        "yellow": None,
    }


def test_a_colour_the_link_does_not_count_is_no_signal_in_force_for_it() -> None:
    # The link counts the city's signals only.  The city's blue at 20 starts
    # IV at 22.  The district station's orange at 35 is not counted (it goes
    # through triage: arrives 36, triaged 41, approved 40 minutes later, at
    # 81).  The city's yellow at 50 raises the city's own blue: III at 52 —
    # it is no lowering of the district's orange, a separate warning.
    timeline = (
        SeverityPoint(at=-40, signal=Signal.BLUE, issuer=Issuer.CITY),
        SeverityPoint(at=-25, signal=Signal.ORANGE, issuer=Issuer.DISTRICT),
        SeverityPoint(at=-10, signal=Signal.YELLOW, issuer=Issuer.CITY),
        SeverityPoint(at=0, rainfall=5),
    )
    result = simulate(linked(issuers=(Issuer.CITY,), timeline=timeline, approval=40.0), seed=1)
    assert levels(result) == [
        (22.0, "level_decided", "IV", "warning"),
        (52.0, "level_escalated", "III", "warning"),
    ]
