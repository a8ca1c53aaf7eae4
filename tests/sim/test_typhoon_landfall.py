"""The bundled typhoon-landfall drill meets what no other bundled drill does.

``scenarios/typhoon-landfall.yaml`` follows typhoon Bebinca (2024) over the
Mid-Autumn holiday and adds a stated escalation, a district red signal at
22:30.  Over several seeds it must meet: the general HQ's takeover *by
level* (an incident at level I, with fewer specialised HQs at work than the
rule's number), a warning signal that no plan links to a level (the
sea-wave red signal on the work boat's incident), and the holiday band of
the calendar (its daily follow-up report is in test_bundled_reach.py).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.io import load_scenario
from cmdsim.model import Scenario, TimeBand
from cmdsim.sim import RunResult, simulate
from cmdsim.sim.compiled import Compiled
from cmdsim.sim.events import EventKind
from cmdsim.sim.results import Event

ROOT = Path(__file__).resolve().parents[2]
DRILL = ROOT / "scenarios" / "typhoon-landfall.yaml"
SEEDS = range(5)
RED = 900.0  # 22:30 on 15 Sep, minutes from the drill's start (07:30)
LEVELS = (EventKind.LEVEL_DECIDED, EventKind.LEVEL_ESCALATED)


@functools.cache
def drill() -> Scenario:
    return load_scenario(DRILL)


@functools.cache
def run(seed: int) -> RunResult:
    return simulate(drill(), seed)


def _of(result: RunResult, incident: str) -> list[Event]:
    return [e for e in result.events if e.incident == incident]


def _most_specialised_hqs_at_once(result: RunResult) -> int:
    special = {c.id for c in drill().district.special_commands}
    active: set[str] = set()
    most = 0
    for event in result.events:
        if event.actor not in special:
            continue
        if event.kind == EventKind.HQ_ACTIVATED:
            active.add(event.actor)
        elif event.kind == EventKind.HQ_DEACTIVATED:
            active.discard(event.actor)
        most = max(most, len(active))
    return most


@pytest.mark.parametrize("seed", SEEDS)
def test_the_general_hq_takes_over_by_level_when_the_red_signal_starts_level_i(
    seed: int,
) -> None:
    result = run(seed)
    storm = _of(result, "typhoon_bebinca")
    red = next(e for e in storm if e.kind == EventKind.SIGNAL and e.detail("signal") == "red")
    assert red.time == RED
    level_i = next(e for e in storm if e.kind in LEVELS and e.detail("level") == "I")
    # Level I within minutes: the flood plan's warning link (confirmation by
    # the flood HQ's office, no triage, no approval) puts it in force, or
    # confirms it when the duty room's triage of the red signal's report won
    # the race (a slow confirmation on a holiday night).
    assert RED < level_i.time < RED + 30
    (linked,) = [
        e
        for e in storm
        if e.detail("signal") == "red"
        and (e.kind == EventKind.WARNING_CONFIRMED or e.detail("by") == "warning")
    ]
    assert linked.detail("level") == "I" and linked.time >= level_i.time
    (triggered,) = [e for e in result.events if e.kind == EventKind.TAKEOVER_TRIGGERED]
    assert (triggered.detail("reason"), triggered.detail("at_level")) == ("level", "I")
    assert triggered.time == level_i.time  # the rule holds as level I comes into force
    takeover = drill().district.plan("general_plan").takeover
    assert takeover is not None
    # By level alone: never as many specialised HQs at work as the rule's number.
    assert _most_specialised_hqs_at_once(result) < takeover.min_active
    (taken,) = [e for e in result.events if e.kind == EventKind.TAKEOVER]
    assert taken.actor == "general_hq" and taken.time >= triggered.time
    record = result.record.takeover
    assert (str(record.reason), record.triggered, record.time) == (
        "level I",
        triggered.time,
        taken.time,
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_the_sea_wave_signal_starts_no_level(seed: int) -> None:
    """The water search-and-rescue plan has no warning link and no trigger
    on a signal: the red sea-wave signal is logged and measured (no lag: no
    level is called for) but starts nothing; the boat's response comes from
    the crew's call, through the duty room's triage and the plan's triggers."""
    result = run(seed)
    boat = _of(result, "work_boat_adrift")
    onset = next(e for e in boat if e.kind == EventKind.ONSET)
    assert onset.time == 1330.0  # 05:40 on 16 Sep
    before = [(e.kind, e.time, e.detail("signal")) for e in boat if e.time < onset.time]
    assert before == [(EventKind.SIGNAL, 510.0, "red")]  # 16:00 on 15 Sep, and nothing else
    assert not any(e.kind == EventKind.WARNING_CONFIRMED for e in boat)
    first = next(e for e in boat if e.kind in LEVELS)
    assert first.detail("by") != "warning" and first.detail("level") == "IV"
    assert first.time > onset.time
    assert result.record.incidents["work_boat_adrift"].signal_lag == {"red": None}
    # The typhoon's signals, all linked, each have their lag.
    lags = result.record.incidents["typhoon_bebinca"].signal_lag
    assert set(lags) == {"blue", "yellow", "orange", "red"}
    assert all(lag is not None and 0 <= lag < 30 for lag in lags.values())


def test_the_drill_runs_in_the_mid_autumn_holiday() -> None:
    """15-17 Sep 2024 are holidays in the district calendar: the whole drill
    is in the holiday bands (slower call-outs), by day and by night."""
    compiled = Compiled(drill())
    # 10:00 and 23:00 on 15 Sep, 03:00 and 14:00 on 16 Sep
    bands = [compiled.band_at(minutes) for minutes in (150.0, 930.0, 1170.0, 1830.0)]
    assert bands == [
        TimeBand.HOLIDAY,
        TimeBand.HOLIDAY_NIGHT,
        TimeBand.HOLIDAY_NIGHT,
        TimeBand.HOLIDAY,
    ]


def test_cmdsim_check_finds_no_error_in_the_drill() -> None:
    result = CliRunner().invoke(main, ["check", str(DRILL)])
    assert result.exit_code == 0, result.output
    assert "\n0 errors, " in result.output
