"""The calendar's time bands: weekends, holidays and make-up workdays (调休)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmdsim.errors import ModelError
from cmdsim.io import load_district
from cmdsim.model.levels import TimeBand
from cmdsim.model.timing import Calendar

ROOT = Path(__file__).resolve().parent.parent

SATURDAY = dt.date(2024, 9, 14)
HOLIDAY = dt.date(2024, 9, 16)  # a Monday
CAL = Calendar(holidays=(HOLIDAY,), workdays=(SATURDAY,))


@pytest.mark.parametrize(
    ("when", "band"),
    [
        (dt.datetime(2024, 9, 14, 10, 0), TimeBand.DAY),  # Saturday worked
        (dt.datetime(2024, 9, 14, 20, 0), TimeBand.NIGHT),
        (dt.datetime(2024, 9, 14, 8, 29), TimeBand.NIGHT),
        (dt.datetime(2024, 9, 14, 8, 30), TimeBand.DAY),
        (dt.datetime(2024, 9, 15, 10, 0), TimeBand.HOLIDAY),  # Sunday
        (dt.datetime(2024, 9, 16, 10, 0), TimeBand.HOLIDAY),  # listed holiday
        (dt.datetime(2024, 9, 18, 17, 30), TimeBand.NIGHT),  # Wednesday
        (dt.datetime(2024, 9, 21, 10, 0), TimeBand.HOLIDAY),  # Saturday not worked
        (dt.datetime(2024, 9, 16, 22, 0), TimeBand.HOLIDAY_NIGHT),  # a holiday's night
        (dt.datetime(2024, 9, 15, 7, 0), TimeBand.HOLIDAY_NIGHT),  # Sunday before day_start
    ],
)
def test_bands(when: dt.datetime, band: TimeBand) -> None:
    assert CAL.band(when) is band


@given(
    st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2025, 12, 31)),
    st.sets(st.dates(dt.date(2024, 1, 1), dt.date(2025, 12, 31)), max_size=20),
    st.sets(st.dates(dt.date(2024, 1, 1), dt.date(2025, 12, 31)), max_size=20),
)
def test_holiday_exactly_when_listed_or_an_unworked_weekend(
    when: dt.datetime, holidays: set[dt.date], workdays: set[dt.date]
) -> None:
    workdays -= holidays
    cal = Calendar(holidays=tuple(sorted(holidays)), workdays=tuple(sorted(workdays)))
    day = when.date()
    expected = day in holidays or (when.weekday() >= 5 and day not in workdays)
    assert cal.band(when).is_holiday == expected
    daytime = cal.day_start <= when.time() < cal.night_start
    assert (cal.band(when) in (TimeBand.DAY, TimeBand.HOLIDAY)) == daytime


def test_a_date_cannot_be_both() -> None:
    with pytest.raises(ModelError, match="2024-09-14 is both a holiday and a workday"):
        Calendar(holidays=(SATURDAY,), workdays=(SATURDAY,))


def test_bundled_district_works_the_make_up_days() -> None:
    calendar = load_district(ROOT / "scenarios" / "district").calendar
    assert calendar.band(dt.datetime(2024, 9, 29, 10, 0)) is TimeBand.DAY  # a Sunday
    assert calendar.band(dt.datetime(2024, 10, 3, 10, 0)) is TimeBand.HOLIDAY
