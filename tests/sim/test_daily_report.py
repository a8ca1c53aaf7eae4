"""The daily follow-up report (每日续报, "daily for the gravest"): an
interval follow-up's clock runs from the level it is tied to.

A follow-up report with ``every`` and ``min_level`` is due every ``every``
minutes from when the response first reaches ``min_level`` (its first level
for ``IV``), for as long as the response runs; a response closed and opened
again starts a new clock when it reaches ``min_level`` again.  Before
2026-12-07 the day was counted from the response's first level, so a
response a day old when it reached level I reported "daily" at once.

The tiny scenario of :mod:`tests.sim.build`: onset at 60, the hotline
reports 10 minutes later (70), one officer triages for 5 and a leader
approves for 8.
"""

from __future__ import annotations

import attrs
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cmdsim.model import Level
from cmdsim.model.plans import Escalation, ReportDeadline, ReportStage
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate
from cmdsim.sim.events import EventKind
from cmdsim.sim.results import RunResult
from tests.builders import level_changes

from .build import IV_THEN_III, RISING, scenario

ONSET = 60.0


def daily(every: float, min_level: Level = Level.I) -> ReportDeadline:
    return ReportDeadline(
        id="daily",
        stage=ReportStage.FOLLOW_UP,
        every=every,
        min_level=min_level,
        within=40,
        duration=Fixed(5.0),
        by="water",
    )


def _with_reassessment(sc: Scenario, reassess: float = 30.0, hold: float = 60.0) -> Scenario:
    plan = attrs.evolve(
        sc.district.plans[0], escalation=Escalation(reassess=Fixed(reassess), hold=hold)
    )
    return attrs.evolve(sc, district=attrs.evolve(sc.district, plans=(plan,)))


def occasions(result: RunResult) -> list[float]:
    """Absolute times each daily report was called for."""
    record = result.record.incidents["flood1"]
    if "daily" not in record.reporting:
        return []
    return [item.occasion + record.onset for item in record.reporting["daily"].items]


def sent(result: RunResult) -> list[float]:
    return [
        e.time
        for e in result.events
        if e.kind == EventKind.REPORT_SENT and e.detail("deadline") == "daily"
    ]


def test_the_day_runs_from_the_level_the_report_is_tied_to() -> None:
    # IV at onset, III from +60: IV decided at 83; the second observation
    # reaches the room at 130, is triaged at 135 and III approved at 143.
    # Every 100 minutes from III (143), not from IV (83): called at 243,
    # 343, 443, 543 (the next, 643, is after the horizon, 600), each written
    # by the water bureau in 5 minutes and due 40 after its occasion.
    sc = scenario(
        timeline=RISING,
        thresholds=IV_THEN_III,
        reassess=Fixed(1000.0),
        reports=(daily(100.0, Level.III),),
    )
    result = simulate(sc, 0)
    levels = [
        (e.time, e.detail("level"))
        for e in result.events
        if e.kind in (EventKind.LEVEL_DECIDED, EventKind.LEVEL_ESCALATED)
    ]
    assert levels == [(83.0, "IV"), (143.0, "III")]
    assert occasions(result) == [243.0, 343.0, 443.0, 543.0]
    assert sent(result) == [248.0, 348.0, 448.0, 548.0]
    items = result.record.incidents["flood1"].reporting["daily"].items
    assert [(i.due, i.arrived, i.status, i.level) for i in items] == [
        (t - ONSET + 40, t - ONSET + 5, "on_time", "III") for t in (243.0, 343.0, 443.0, 543.0)
    ]


def test_an_interval_at_any_level_still_runs_from_the_first_level() -> None:
    # min_level IV (the lowest): the first level is the level it is tied to.
    sc = scenario(reports=(daily(100.0, Level.IV),))
    assert occasions(simulate(sc, 0)) == [183.0, 283.0, 383.0, 483.0, 583.0]


def test_a_response_opened_again_starts_a_new_day() -> None:
    # Rain 45 (level I) at onset: I decided at 83.  Rain stops at +30: the
    # lead's reassessment at 143 closes the response (held 60 minutes below
    # IV).  Rain 45 again at +200 (260): reported at 270, triaged 275, I
    # decided at 283.  The first day (from 83) would end at 333, after the
    # close: the opened response's clock starts at 283, so one report at 533
    # (the next, 783, after the horizon) -- not at 333 and 583.
    sc = _with_reassessment(
        scenario(
            timeline=(
                SeverityPoint(at=0, rainfall=45),
                SeverityPoint(at=30, rainfall=0),
                SeverityPoint(at=200, rainfall=45),
            ),
            thresholds=((Level.IV, 10.0), (Level.I, 40.0)),
            reports=(daily(250.0),),
        )
    )
    result = simulate(sc, 0)
    closed = [e.time for e in result.events if e.kind == EventKind.RESPONSE_CLOSED]
    decided = [e.time for e in result.events if e.kind == EventKind.LEVEL_DECIDED]
    assert (closed, decided) == ([143.0], [83.0, 283.0])
    assert occasions(result) == [533.0]
    assert sent(result) == [538.0]


def test_no_daily_report_when_the_response_never_reaches_its_level() -> None:
    sc = scenario(
        timeline=RISING,
        thresholds=IV_THEN_III,
        reassess=Fixed(1000.0),
        reports=(daily(100.0, Level.II),),
    )
    assert occasions(simulate(sc, 0)) == []


LEVELS = (Level.IV, Level.III, Level.II, Level.I)
THRESHOLDS = ((Level.IV, 10.0), (Level.III, 20.0), (Level.II, 30.0), (Level.I, 40.0))


def _expected(result: RunResult, every: float, min_level: Level, horizon: float) -> list[float]:
    """The daily reports the rule asks for, from the run's own level changes:
    a clock started when the open response first reaches ``min_level``,
    ticking every ``every`` until the response closes or the run ends."""
    changes = level_changes(result, "flood_plan").get("flood1", [])
    out: list[float] = []
    ends = [t for t, _ in changes[1:]] + [horizon] * bool(changes)
    start: float | None = None
    for (t, level), end in zip(changes, ends, strict=True):
        if level is None:
            start = None
            continue
        if start is None and level >= min_level:
            start = t
        if start is None:
            continue
        k = 1
        while start + k * every <= end:
            tick = start + k * every
            # A tick at the very moment of a change (or the horizon) is
            # ordered by the event queue, not by the rule: left out.
            assume(abs(tick - end) > 1e-6)
            if tick > t:
                out.append(tick)
            k += 1
    return sorted(set(out))


points = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=500), st.sampled_from((0.0, 15.0, 25.0, 35.0, 45.0))
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda p: p[0],
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    points,
    st.integers(min_value=20, max_value=400).map(lambda n: n + 0.25),
    st.sampled_from(LEVELS),
    st.sampled_from((10.0, 30.0, 45.0)),
    st.sampled_from((0.0, 40.0, 90.0)),
)
def test_no_daily_report_before_its_clock_and_one_per_interval_after(
    timeline: list[tuple[int, float]],
    every: float,
    min_level: Level,
    reassess: float,
    hold: float,
) -> None:
    sc = _with_reassessment(
        scenario(
            timeline=tuple(SeverityPoint(at=at, rainfall=rain) for at, rain in sorted(timeline)),
            thresholds=THRESHOLDS,
            reports=(daily(every, min_level),),
            horizon=900.0,
        ),
        reassess=reassess,
        hold=hold,
    )
    result = simulate(sc, 0)
    assert occasions(result) == _expected(result, every, min_level, 900.0)
