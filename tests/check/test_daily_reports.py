"""CMD043: a plan that can reach level I without a daily follow-up report
(每日续报, "daily for the gravest")."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from cmdsim.check import check
from cmdsim.check.daily_reports import DAY, check_daily_reports
from cmdsim.io import load_with_locations
from cmdsim.model import District, Hazard, Level, Plan, Signal, WarningLink
from cmdsim.model.conditions import Condition, Trigger
from cmdsim.model.plans import ReportDeadline, ReportStage

PHONE = ReportDeadline(id="phone")


def _daily(every: float = 1440.0, min_level: Level = Level.I) -> ReportDeadline:
    return ReportDeadline(id="daily", stage=ReportStage.FOLLOW_UP, every=every, min_level=min_level)


def _plan(
    top: Level = Level.I,
    reports: tuple[ReportDeadline, ...] = (PHONE,),
    **fields: object,
) -> Plan:
    triggers = tuple(
        Trigger(level, any_of=(Condition.parse(f"deaths >= {n}"),))
        for n, level in enumerate(sorted(Level), 1)
        if level <= top
    )
    return Plan(id="gas_plan", hazards=("gas",), triggers=triggers, reports=reports, **fields)  # type: ignore[arg-type]


def _found(plan: Plan) -> list[tuple[str, str]]:
    district = District(id="d", hazards=(Hazard("gas"),), plans=(plan,))
    return [(f.path, f.message) for f in check_daily_reports(district)]


def test_a_plan_reaching_level_i_without_a_daily_report_is_an_info_finding() -> None:
    district = District(id="d", hazards=(Hazard("gas"),), plans=(_plan(),))
    (found,) = [f for f in check(district).findings if f.code == "CMD043"]
    assert found.severity.value == "info"  # the planners' call: it fails no CI at --fail-on warning
    assert found.path == "plans[0].reports"
    assert found.message == (
        "plan 'gas_plan' can reach level I (its triggers, warning link or raise flags) but no "
        'report of it is due daily while a level-I response runs (每日续报, "daily for the '
        'gravest": a follow_up report with every <= 1440 minutes or a daily_at time)'
    )


def test_a_daily_or_more_frequent_interval_report_satisfies_it() -> None:
    assert _found(_plan(reports=(PHONE, _daily()))) == []
    assert _found(_plan(reports=(_daily(720.0, Level.IV),))) == []  # twice a day, any level


def test_a_report_at_a_time_of_day_satisfies_it() -> None:
    # 每日15时: due each day at 15:00 while the response is at min_level or
    # above, so at level I whatever its min_level.
    for level in (Level.IV, Level.I):
        at_three = ReportDeadline(
            id="daily", stage=ReportStage.FOLLOW_UP, daily_at="15:00", min_level=level
        )
        assert _found(_plan(reports=(PHONE, at_three))) == []
    # An initial report cannot be the daily one (a daily_at on it is refused).
    assert len(_found(_plan(reports=(PHONE,)))) == 1


def test_an_interval_longer_than_a_day_is_named() -> None:
    ((path, message),) = _found(_plan(reports=(_daily(2880.0),)))
    assert path == "plans[0].reports"
    assert message.endswith("; its interval follow-ups come less often: 'daily' every 2880 min")


def test_level_i_reached_by_a_warning_link_or_a_raise_flag_counts() -> None:
    linked = _plan(Level.II, warnings=WarningLink(levels={Signal.RED: Level.I}))
    assert len(_found(linked)) == 1
    flagged = _plan(Level.II, raise_flags=("holiday",))
    assert len(_found(flagged)) == 1


def test_no_finding_for_a_plan_that_never_reaches_level_i() -> None:
    assert _found(_plan(Level.II)) == []
    assert _found(_plan(Level.IV, raise_flags=("holiday",))) == []  # IV raised is III
    assert _found(Plan(id="empty", hazards=("gas",))) == []  # no trigger at all


@given(
    st.sampled_from(sorted(Level)),
    st.booleans(),
    st.lists(st.floats(min_value=1.0, max_value=5 * DAY), max_size=3),
)
def test_a_finding_exactly_when_level_i_is_reachable_and_nothing_reports_daily(
    top: Level, flagged: bool, intervals: list[float]
) -> None:
    reports = tuple(
        ReportDeadline(id=f"r{i}", stage=ReportStage.FOLLOW_UP, every=every)
        for i, every in enumerate(intervals)
    )
    plan = _plan(top, reports=(PHONE, *reports), raise_flags=("holiday",) if flagged else ())
    ordered = sorted(Level)
    reachable = ordered[min(ordered.index(top) + flagged, 3)] is Level.I
    daily = any(every <= DAY for every in intervals)
    assert len(_found(plan)) == (1 if reachable and not daily else 0)


def test_the_bundled_district_accepts_the_24_plans_the_flood_plan_is_not_among() -> None:
    root = Path(__file__).resolve().parents[2] / "scenarios" / "district"
    loaded = load_with_locations(root)
    report = check(loaded.value, loaded.locations)
    found = [f for f in report.findings if f.code == "CMD043"]
    assert len(found) == 24
    named = {f.message.split("'", 2)[1] for f in found}
    assert "gas_plan" in named and "flood_typhoon_plan" not in named
    assert "general_plan" not in named  # it has its own daily report
    for f in found:
        assert f.accepted is not None and "planners' call" in f.accepted.reason
        assert f.file is not None and Path(f.file).parent.name == "plans"
    assert report.counts()["warning"] == 0
