"""What the gas drill meets of its plans (the bundled district is what planners run).

The drill's ten deaths at minute 300 (inject ``g5_deaths``) are a serious
accident (work-safety class 10-29: the gas plan's level II), raised by one on
the Spring Festival holiday: the gas plan's level I, its tasks, and the
general HQ it activates, whose takeover (an incident at level I) puts the
general plan in force.  The drill runs 36 hours, so the general plan's daily
report (每日续报, ``every: 1440`` from its level I) falls due once, a day
after the takeover.  Before, the drill stopped at level II after 8 hours and
none of these was met by any bundled drill (tools/setting_audit.py: NONE).
"""

from __future__ import annotations

import pytest

from cmdsim.bundled import path
from cmdsim.io import load_scenario
from cmdsim.sim import RunResult, simulate
from cmdsim.sim.events import EventKind

SEEDS = range(5)
INCIDENT = "gas_main_rupture"
DEATHS_TEN = 300.0  # the timeline point and the inject g5_deaths


def _run(seed: int) -> RunResult:
    return simulate(load_scenario(path("gas.yaml")), seed=seed)


def _gas_levels(result: RunResult) -> list[tuple[float, str | None]]:
    kinds = (EventKind.LEVEL_DECIDED, EventKind.LEVEL_ESCALATED, EventKind.LEVEL_DEESCALATED)
    return [
        (e.time, e.detail("level"))
        for e in result.events
        if e.incident == INCIDENT and e.kind in kinds and e.detail("plan") == "gas_plan"
    ]


@pytest.mark.parametrize("seed", SEEDS)
def test_ten_deaths_on_the_holiday_put_the_gas_plan_at_level_i(seed: int) -> None:
    """III from the leak (IV raised), II after the explosion, I once the ten
    deaths are known: never before minute 300, and it is never lowered."""
    result = _run(seed)
    levels = _gas_levels(result)
    assert [lv for _, lv in levels] == ["III", "II", "I"]
    at_i = levels[-1][0]
    assert DEATHS_TEN < at_i < DEATHS_TEN + 60
    tasks = {
        e.detail("task")
        for e in result.events
        if e.kind == EventKind.TASK_ASSIGNED and e.detail("level") == "I"
    }
    assert "mass_care" in tasks  # the gas plan's own level I task (civil affairs)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_general_plan_reports_daily_a_day_after_its_level_i(seed: int) -> None:
    """The takeover at level I puts the general plan in force at I; one day
    later its daily follow-up is called, at I, and arrives within its 120
    minutes, before the drill's end (2160)."""
    result = _run(seed)
    (taken,) = [e.time for e in result.events if e.kind == EventKind.TAKEOVER]
    entered = [
        e.time
        for e in result.events
        if e.kind == EventKind.GENERAL_PLAN and e.incident == INCIDENT and e.detail("level") == "I"
    ]
    assert entered == [taken]
    record = result.record.incidents[INCIDENT]
    items = record.reporting["general_plan:daily_report"].items
    assert [(i.occasion + record.onset, i.level, i.status) for i in items] == [
        (pytest.approx(taken + 1440), "I", "on_time")
    ]
    assert taken + 1440 + 120 < result.horizon
