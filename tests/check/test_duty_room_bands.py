"""CMD024: a duty room with nobody on duty in a time band the calendar has."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cmdsim.check import check
from cmdsim.check.staffing import check_duty_rooms
from cmdsim.model import Calendar, District, DutyRoom, Staffing, Town
from cmdsim.model.levels import TimeBand


def _district(staffing: Staffing, calendar: Calendar | None = None) -> District:
    town = Town(id="zhangjiang", duty_room=DutyRoom(id="zj_room", staffing=staffing))
    return District(id="d", towns=(town,), calendar=calendar or Calendar())


def test_a_room_empty_at_night_is_an_error_naming_room_band_and_field() -> None:
    report = check(_district(Staffing(day=2, night=0, holiday=1)))
    found = [f for f in report.findings if f.code == "CMD024"]
    assert [(f.path, f.severity.value) for f in found] == [
        ("towns[0].duty_room.staffing.night", "error")
    ]
    assert found[0].message == (
        "duty room 'zj_room' has nobody on duty in the night band (staffing.night: 0): "
        "its reports wait untriaged until the next band's shift comes on"
    )
    assert not report.ok


def test_the_district_room_is_checked_too() -> None:
    room = DutyRoom(id="district_duty_room", staffing=Staffing(day=3, night=1, holiday=0))
    found = list(check_duty_rooms(District(id="d", duty_room=room)))
    assert [f.path for f in found] == ["duty_room.staffing.holiday"]


def test_holiday_shifts_count_only_when_the_calendar_has_holidays() -> None:
    staffing = Staffing(day=2, night=1, holiday=0)
    no_holidays = Calendar(weekends=False)
    assert not list(check_duty_rooms(_district(staffing, no_holidays)))
    one_holiday = Calendar(weekends=False, holidays=(dt.date(2026, 10, 1),))
    assert [f.path for f in check_duty_rooms(_district(staffing, one_holiday))] == [
        "towns[0].duty_room.staffing.holiday"
    ]


def test_a_holiday_night_is_named_only_when_given_its_own_shift() -> None:
    # Derived from the smaller of night and holiday: the empty night is named once.
    derived = check_duty_rooms(_district(Staffing(day=2, night=0, holiday=1)))
    assert [f.path.rsplit(".", 1)[1] for f in derived] == ["night"]
    own = check_duty_rooms(_district(Staffing(day=2, night=1, holiday=1, holiday_night=0)))
    assert [f.path.rsplit(".", 1)[1] for f in own] == ["holiday_night"]


shifts = st.integers(min_value=0, max_value=3)


@given(shifts, shifts, shifts, st.one_of(st.none(), shifts), st.booleans())
def test_a_finding_exactly_when_some_band_that_occurs_has_nobody(
    day: int, night: int, holiday: int, holiday_night: int | None, weekends: bool
) -> None:
    staffing = Staffing(day=day, night=night, holiday=holiday, holiday_night=holiday_night)
    bands = list(TimeBand) if weekends else [TimeBand.DAY, TimeBand.NIGHT]
    empty = any(staffing.on_duty(b) == 0 for b in bands)
    found = list(check_duty_rooms(_district(staffing, Calendar(weekends=weekends))))
    assert bool(found) == empty
    assert all(f.code == "CMD024" for f in found)
