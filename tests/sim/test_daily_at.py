"""The daily report at its hour (每日X时报送): a follow-up with ``daily_at``.

A follow-up report with ``daily_at`` is called at that time of day, each
day the response is at ``min_level`` or above then: the first at the first
such time at or after the response reaches ``min_level`` (at once when it
reaches it at that very minute), none on a day its level has been lowered
below ``min_level`` by then, and none after it closes; a response opened
again starts again from its reaching ``min_level``.

The tiny scenario of :mod:`tests.sim.build` starts at 10:00: onset at 60
(11:00), the hotline reports 10 minutes later (70), one officer triages for
5 and a leader approves for 8 (IV at 83, 11:23).
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cmdsim.analysis.fastpath import fast_metrics, permits
from cmdsim.bundled import root
from cmdsim.cli import main
from cmdsim.errors import LoadError, ModelError
from cmdsim.io import load_scenario
from cmdsim.model import Level
from cmdsim.model.plans import Escalation, ReportDeadline, ReportStage
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate
from cmdsim.sim.events import EventKind
from cmdsim.sim.results import RunResult
from tests.builders import level_changes

from .build import IV_THEN_III, RISING, START, scenario

ONSET = 60.0
TWO_DAYS = 2 * 1440.0 + 60.0  # to 11:00 on the third day


def daily(at: str | dt.time, min_level: Level = Level.IV, by: str = "water") -> ReportDeadline:
    return ReportDeadline(
        id="daily",
        stage=ReportStage.FOLLOW_UP,
        daily_at=at,
        min_level=min_level,
        within=40,
        duration=Fixed(5.0),
        by=by,
    )


def occasions(result: RunResult) -> list[float]:
    """Run minutes at which each daily report was called for."""
    record = result.record.incidents["flood1"]
    if "daily" not in record.reporting:
        return []
    return [item.occasion + record.onset for item in record.reporting["daily"].items]


def _with_reassessment(sc: Scenario, reassess: float, hold: float) -> Scenario:
    plan = attrs.evolve(
        sc.district.plans[0], escalation=Escalation(reassess=Fixed(reassess), hold=hold)
    )
    return attrs.evolve(sc, district=attrs.evolve(sc.district, plans=(plan,)))


def test_called_at_its_hour_each_day_from_the_first_hour_after_the_level() -> None:
    # IV at 83 (11:23): the first 12:00 after it is minute 120, then 1560
    # (12:00 on the second day; the third day's, 3000, is after the horizon,
    # 2940, 11:00 that day).
    # Each is written by the water bureau in 5 minutes, due 40 after.
    result = simulate(scenario(reports=(daily("12:00"),), horizon=TWO_DAYS), 0)
    assert occasions(result) == [120.0, 1560.0]
    sent = [
        (e.time, e.actor)
        for e in result.events
        if e.kind == EventKind.REPORT_SENT and e.detail("deadline") == "daily"
    ]
    assert sent == [(125.0, "water"), (1565.0, "water")]
    items = result.record.incidents["flood1"].reporting["daily"].items
    assert [(i.due, i.arrived, i.status, i.level) for i in items] == [
        (t - ONSET + 40, t - ONSET + 5, "on_time", "IV") for t in (120.0, 1560.0)
    ]


def test_a_level_reached_at_the_hour_reports_at_once_and_one_reached_after_waits_a_day() -> None:
    # 11:23 is minute 83, the decision itself: called then.  11:22 has
    # passed when IV comes: the first is 11:22 the next day (1522); the
    # third day's (2962, 2963) are after the horizon (2940).
    at_the_hour = simulate(scenario(reports=(daily("11:23"),), horizon=TWO_DAYS), 0)
    assert occasions(at_the_hour) == [83.0, 1523.0]
    a_minute_late = simulate(scenario(reports=(daily("11:22"),), horizon=TWO_DAYS), 0)
    assert occasions(a_minute_late) == [1522.0]


def test_the_hour_counts_from_the_duty_s_own_level() -> None:
    # IV at 83, III at 143 (12:23; the second point's report at 130, triaged
    # 135, approved 143).  Tied to III, 12:00 on the first day comes before
    # III: the first is 12:00 the next day (1560).
    sc = scenario(
        timeline=RISING,
        thresholds=IV_THEN_III,
        reassess=Fixed(5000.0),
        reports=(daily("12:00", Level.III),),
        horizon=TWO_DAYS,
    )
    result = simulate(sc, 0)
    levels = [
        (e.time, e.detail("level"))
        for e in result.events
        if e.kind in (EventKind.LEVEL_DECIDED, EventKind.LEVEL_ESCALATED)
    ]
    assert levels == [(83.0, "IV"), (143.0, "III")]
    assert occasions(result) == [1560.0]
    items = result.record.incidents["flood1"].reporting["daily"].items
    assert [i.level for i in items] == ["III"]


def test_none_on_a_day_the_level_is_below_the_duty_s() -> None:
    # I at 83 (rain 45); the rain falls to 15 (IV) at +600 (660) and the
    # lead's reassessment lowers the level to IV before 12:00 on the second
    # day: the daily report tied to I comes on the first day only.
    sc = _with_reassessment(
        scenario(
            timeline=(SeverityPoint(at=0, rainfall=45), SeverityPoint(at=600, rainfall=15)),
            thresholds=((Level.IV, 10.0), (Level.I, 40.0)),
            reports=(daily("12:00", Level.I),),
            horizon=TWO_DAYS,
        ),
        reassess=30.0,
        hold=60.0,
    )
    result = simulate(sc, 0)
    lowered = [
        (e.time, e.detail("level")) for e in result.events if e.kind == EventKind.LEVEL_DEESCALATED
    ]
    assert len(lowered) == 1 and 660.0 < lowered[0][0] < 1560.0 and lowered[0][1] == "IV"
    assert [e.time for e in result.events if e.kind == EventKind.RESPONSE_CLOSED] == []
    assert occasions(result) == [120.0]


def test_the_clock_reads_the_scenario_s_start() -> None:
    # The same run started at 09:00 instead of 10:00: IV at 83 is 10:23,
    # so 12:00 is minute 180.
    sc = attrs.evolve(
        scenario(reports=(daily("12:00"),), horizon=600.0), start=START - dt.timedelta(hours=1)
    )
    inc = sc.incidents[0]
    sc = attrs.evolve(sc, incidents=(attrs.evolve(inc, onset=inc.onset - dt.timedelta(hours=1)),))
    assert occasions(simulate(sc, 0)) == [180.0]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"stage": ReportStage.INITIAL, "daily_at": "12:00"}, "daily_at", "only a follow_up"),
        (
            {"stage": ReportStage.FOLLOW_UP, "daily_at": "12:00", "every": 1440.0},
            "daily_at",
            "not both",
        ),
        ({"stage": ReportStage.FOLLOW_UP, "daily_at": "noon"}, None, "time of day"),
    ],
)
def test_a_duty_s_daily_at_is_checked(
    fields: dict[str, object], field: str | None, words: str
) -> None:
    with pytest.raises(ModelError) as caught:
        ReportDeadline(id="daily", **fields)  # type: ignore[arg-type]
    assert words in str(caught.value)
    if field is not None:
        assert caught.value.path == field


def test_the_fast_path_refuses_a_duty_room_s_daily_report() -> None:
    # A duty room writing it would hold an officer at an hour the fast path
    # does not replay; a unit's (the bundled flood plan's) holds no room.
    sc = scenario(reports=(daily("12:00", by="district_duty_room"),))
    reason = permits(sc, list(fast_metrics(sc)))
    assert reason is not None and "'daily'" in reason and "follow_up" in reason


HOURS = st.builds(
    lambda minute: dt.time(minute // 60, minute % 60, 15), st.integers(0, 24 * 60 - 1)
)
THRESHOLDS = ((Level.IV, 10.0), (Level.III, 20.0), (Level.II, 30.0), (Level.I, 40.0))


def _minute_of_day(clock: dt.time) -> float:
    return clock.hour * 60 + clock.minute + clock.second / 60


def _expected(result: RunResult, at: dt.time, min_level: Level, horizon: float) -> list[float]:
    """The reports the rule asks for, from the run's own level changes."""
    changes = level_changes(result, "flood_plan").get("flood1", [])
    first = (_minute_of_day(at) - _minute_of_day(START.time())) % 1440.0
    hours = [first + 1440.0 * k for k in range(4) if first + 1440.0 * k <= horizon]
    out = []
    for hour in hours:
        # A change at the very moment of the hour is ordered by the event
        # queue, not by the rule: left out (hours are at :15 seconds).
        assume(all(abs(t - hour) > 1e-6 for t, _ in changes))
        before = [(t, lv) for t, lv in changes if t < hour]
        if not before or before[-1][1] is None:
            continue
        level = before[-1][1]
        # The clock started when this open spell first reached min_level.
        spell = []
        for _, lv in reversed(before):
            if lv is None:
                break
            spell.append(lv)
        assert level is not None
        if level >= min_level and any(lv >= min_level for lv in spell):
            out.append(hour)
    return out


points = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=1500),
        st.sampled_from((0.0, 15.0, 25.0, 35.0, 45.0)),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda p: p[0],
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    points,
    HOURS,
    st.sampled_from((Level.IV, Level.III, Level.II, Level.I)),
    st.sampled_from((30.0, 45.0)),
    st.sampled_from((0.0, 40.0, 90.0)),
)
def test_one_a_day_at_its_hour_while_at_its_level_and_none_before(
    timeline: list[tuple[int, float]],
    at: dt.time,
    min_level: Level,
    reassess: float,
    hold: float,
) -> None:
    sc = _with_reassessment(
        scenario(
            timeline=tuple(SeverityPoint(at=t, rainfall=rain) for t, rain in sorted(timeline)),
            thresholds=THRESHOLDS,
            reports=(daily(at, min_level),),
            horizon=TWO_DAYS,
        ),
        reassess=reassess,
        hold=hold,
    )
    result = simulate(sc, 0)
    got = occasions(result)
    assert got == _expected(result, at, min_level, TWO_DAYS)
    # At most one a day, each at the hour.
    assert all(b - a >= 1440.0 - 1e-6 for a, b in itertools.pairwise(got))
    start = _minute_of_day(START.time())
    assert all(abs((start + t - _minute_of_day(at) + 720) % 1440 - 720) < 1e-6 for t in got)


@pytest.mark.parametrize(
    ("spelling", "words"),
    [
        ('daily_at: "25:00"', "expected a time of day like '08:30', got '25:00'"),
        ('daily_at: "15:00", every: 60', "give 'every' or 'daily_at', not both"),
        ('daily_at: "15:00", upon: []', None),
    ],
)
def test_a_bad_daily_at_in_a_file_is_located(
    tmp_path: Path, spelling: str, words: str | None
) -> None:
    # The bundled scenarios copied, the flood plan's daily report respelt:
    # one message naming the file, line and field, and the CLI's exit 2.
    copy = tmp_path / "scenarios"
    shutil.copytree(root(), copy)
    plan = copy / "district/plans/flood_typhoon.yaml"
    text = plan.read_text(encoding="utf-8")
    assert text.count('daily_at: "15:00"') == 1
    plan.write_text(text.replace('daily_at: "15:00"', spelling), encoding="utf-8")
    drill = copy / "typhoon-landfall.yaml"
    if words is None:
        load_scenario(drill)  # an empty 'upon' beside daily_at is still a daily report
        return
    with pytest.raises(LoadError) as caught:
        load_scenario(drill)
    (problem,) = caught.value.problems
    line = 1 + next(i for i, row in enumerate(text.splitlines()) if 'daily_at: "15:00"' in row)
    assert str(problem).startswith(f"{plan}:{line}:")
    assert ".daily_at: " in str(problem) and words in str(problem)
    out = CliRunner().invoke(main, ["validate", str(drill)])
    assert out.exit_code == 2 and "Traceback" not in out.output
