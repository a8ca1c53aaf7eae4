"""A run past the dates its district calendar lists holidays for is refused.

Before, a drill moved to a year the calendar did not list ran its public
holidays as ordinary working days (working-day staffing, no holiday raise),
silently.  Each case gives the small validation district a calendar and
requires ``validate``, ``run`` and ``drill`` to exit 2 with the located
message, and ``load_scenario`` to raise it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.errors import LoadError
from cmdsim.io import load_district, load_scenario
from cmdsim.model.levels import TimeBand

HERE = Path(__file__).parent / "validation"
ROOT = Path(__file__).resolve().parents[2]

# National Day 2024 and the Sunday worked for it: the list spans 2024-09-29 .. 2024-10-07.
LISTED = "calendar:\n  holidays: [2024-10-01, 2024-10-07]\n  workdays: [2024-09-29]\n"


def scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calendar: str, start: str, horizon: int = 600
) -> str:
    """The validation ``gas.yaml`` with ``calendar`` added to its district, run from ``start``."""
    shutil.copytree(HERE, tmp_path / "validation")
    monkeypatch.chdir(tmp_path / "validation")
    district = Path("district/district.yaml")
    district.write_text(district.read_text(encoding="utf-8") + calendar, encoding="utf-8")
    text = Path("gas.yaml").read_text(encoding="utf-8")
    text = text.replace("start: 2025-01-29T18:00:00", f"start: {start}")
    text = text.replace("horizon: 600", f"horizon: {horizon}")
    # The incident's onset moves with the start, so only the calendar can refuse it.
    text = text.replace("2025-01-29T18:", f"{start[:10]}T18:")
    Path("gas.yaml").write_text(text, encoding="utf-8")
    return "gas.yaml"


def refused(name: str, expected: str) -> None:
    for command in ("validate", "run", "drill"):
        result = CliRunner().invoke(main, [command, name], input="q\n")
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.splitlines() == [expected], command
        assert "Traceback" not in result.output
    with pytest.raises(LoadError) as caught:
        load_scenario(name)
    assert [str(p) for p in caught.value.problems] == [expected]


def accepted(name: str) -> None:
    for command in ("validate", "run"):
        result = CliRunner().invoke(main, [command, name])
        assert result.exit_code == 0, (command, result.output)


def test_a_run_after_the_listed_holidays_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = scenario(tmp_path, monkeypatch, LISTED, "2025-10-01T09:00:00")
    refused(
        name,
        "gas.yaml:4:1: start: the run reaches 2025-10-01 but the district calendar lists "
        "holidays only from 2024-09-29 to 2024-10-07: add that year's holidays to "
        "calendar.holidays/workdays, or move the start",
    )


def test_a_run_before_the_listed_holidays_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = scenario(tmp_path, monkeypatch, LISTED, "2024-09-28T09:00:00")
    refused(
        name,
        "gas.yaml:4:1: start: the run reaches 2024-09-28 but the district calendar lists "
        "holidays only from 2024-09-29 to 2024-10-07: add that year's holidays to "
        "calendar.holidays/workdays, or move the start",
    )


def test_a_run_into_the_day_after_is_refused_but_one_ending_at_midnight_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 10:00 on the last listed day: 840 minutes end exactly at midnight.
    name = scenario(tmp_path, monkeypatch, LISTED, "2024-10-07T10:00:00", horizon=840)
    accepted(name)
    text = Path(name).read_text(encoding="utf-8").replace("horizon: 840", "horizon: 841")
    Path(name).write_text(text, encoding="utf-8")
    with pytest.raises(LoadError, match="the run reaches 2024-10-08"):
        load_scenario(name)


def test_a_run_inside_the_listed_period_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    accepted(scenario(tmp_path, monkeypatch, LISTED, "2024-10-01T09:00:00"))


def test_a_calendar_listing_no_dates_claims_no_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    weekends_only = "calendar:\n  weekends: true\n"
    accepted(scenario(tmp_path, monkeypatch, weekends_only, "2031-05-01T09:00:00"))


def test_an_explicit_period_widens_and_bounds_the_claim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    covers = LISTED + "  covers: {first: 2024-01-01, last: 2024-12-31}\n"
    accepted(scenario(tmp_path, monkeypatch, covers, "2024-12-30T09:00:00"))
    name = scenario(tmp_path / "next", monkeypatch, covers, "2025-01-02T09:00:00")
    refused(
        name,
        "gas.yaml:4:1: start: the run reaches 2025-01-02 but the district calendar covers "
        "only from 2024-01-01 to 2024-12-31: add that year's holidays to "
        "calendar.holidays/workdays and widen calendar.covers, or move the start",
    )


@pytest.mark.parametrize(
    ("calendar", "expected"),
    [
        (
            "covers: {first: 2024-12-31, last: 2024-01-01}",
            "district/district.yaml:32:31: district.calendar.covers.last: "
            "first must not come after last",
        ),
        (
            "covers: {first: yes, last: 2024-01-01}",
            "district/district.yaml:32:19: district.calendar.covers.first: "
            "expected a date like 2024-10-01, got true",
        ),
        (
            "holidays: [2024-13-01, 2025-01-01]",
            "district/district.yaml:32:14: district.calendar.holidays[0]: "
            "cannot read value '2024-13-01': month must be in 1..12",
        ),
    ],
)
def test_a_broken_calendar_is_reported_once_at_the_calendar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, calendar: str, expected: str
) -> None:
    # Not also at the start: the run is not refused against a period that could not be read.
    name = scenario(tmp_path, monkeypatch, f"calendar:\n  {calendar}\n", "2025-06-03T09:00:00")
    with pytest.raises(LoadError) as caught:
        load_scenario(name)
    assert [str(p) for p in caught.value.problems] == [expected]


def test_the_bundled_calendar_knows_2023_to_2026() -> None:
    calendar = load_district(ROOT / "scenarios" / "district").calendar
    period = calendar.period
    assert period is not None
    assert (period.first, period.last) == (dt.date(2023, 1, 1), dt.date(2026, 12, 31))
    band = calendar.band
    assert band(dt.datetime(2026, 10, 1, 10, 0)) is TimeBand.HOLIDAY  # National Day, a Thursday
    assert band(dt.datetime(2026, 10, 7, 22, 0)) is TimeBand.HOLIDAY_NIGHT  # a Wednesday
    assert band(dt.datetime(2026, 10, 8, 10, 0)) is TimeBand.DAY
    assert band(dt.datetime(2026, 9, 20, 10, 0)) is TimeBand.DAY  # Sunday worked (调休)
    assert band(dt.datetime(2026, 2, 23, 10, 0)) is TimeBand.HOLIDAY  # Spring Festival, a Monday
    assert band(dt.datetime(2025, 10, 8, 10, 0)) is TimeBand.HOLIDAY  # National Day + Mid-Autumn
    assert band(dt.datetime(2025, 9, 28, 10, 0)) is TimeBand.DAY  # Sunday worked
    assert band(dt.datetime(2024, 4, 7, 10, 0)) is TimeBand.DAY  # Sunday worked for Qingming
    assert band(dt.datetime(2023, 6, 23, 10, 0)) is TimeBand.HOLIDAY  # Dragon Boat, a Friday
    assert band(dt.datetime(2023, 10, 7, 10, 0)) is TimeBand.DAY  # Saturday worked
    # The validation rainstorm: an ordinary Thursday.
    assert band(dt.datetime(2023, 8, 17, 12, 0)) is TimeBand.DAY
    # Every listed workday is a weekend day, and no listed holiday is also one.
    assert all(day.weekday() >= 5 for day in calendar.workdays)
    assert not set(calendar.holidays) & set(calendar.workdays)


def test_a_week_spread_batch_must_stay_inside_the_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The run itself fits (ends 2024-10-07 19:00), but spreading it over a
    # week moves it past the list: refused before any replication runs.
    name = scenario(tmp_path, monkeypatch, LISTED, "2024-10-07T09:00:00")
    accepted(name)
    plain = CliRunner().invoke(main, ["batch", name, "-n", "2", "--no-progress"])
    assert plain.exit_code == 0, plain.output
    result = CliRunner().invoke(main, ["batch", name, "-n", "2", "--spread-week", "--no-progress"])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == (
        "error: gas.yaml: spreading the runs over a week moves them up to 7 days later, "
        "and then start: the run reaches 2024-10-14 but the district calendar lists "
        "holidays only from 2024-09-29 to 2024-10-07: add that year's holidays to "
        "calendar.holidays/workdays, or move the start"
    )
    assert "Traceback" not in result.output
