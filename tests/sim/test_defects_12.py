"""Regression tests for the defects listed in issue 12: the duty room's
utilisation, an empty quorum's meaning, and composed time bands."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from cmdsim.check.deadlines import activation_floor
from cmdsim.model import Post
from cmdsim.model.levels import TimeBand
from cmdsim.model.plans import ReportDeadline
from cmdsim.model.scenario import SeverityPoint
from cmdsim.model.timing import BandFactors, Fixed, Staffing
from cmdsim.sim import simulate
from tests.sim.build import command, scenario


def test_report_writing_stays_in_the_rooms_utilisation_after_a_later_triage() -> None:
    # One officer, 600 rostered minutes.  Triage of the first report (5), the
    # phone report written by the room (12), a second report triaged later (5).
    duty = ReportDeadline(id="phone", within=30.0, by="district_duty_room", duration=Fixed(12.0))
    timeline = (SeverityPoint(at=0, rainfall=20), SeverityPoint(at=200, rainfall=25))
    result = simulate(scenario(reports=(duty,), timeline=timeline), seed=3)
    triaged = [e for e in result.events if e.kind in ("level_decided", "report_update")]
    assert len(triaged) == 2, "two reports triaged, the second after the report was written"
    written = [e for e in result.events if e.kind == "report_sent"]
    assert written and written[0].time < triaged[1].time
    assert result.metrics["utilisation"]["district_duty_room"] == (5.0 + 12.0 + 5.0) / 600.0


def test_an_empty_quorum_means_every_post_in_the_engine_and_the_checker() -> None:
    posts = (
        Post(id="commander", callout=Fixed(5.0)),
        Post(id="deputy", callout=Fixed(20.0)),
    )
    hq = command(posts)
    assert hq.quorum == ()
    # The checker's fastest activation waits for the slower post, as the engine does.
    assert activation_floor(hq) == 20.0
    result = simulate(scenario(hq=hq), seed=1)
    record = result.metrics["incident"]["flood1"]["hq"]["hq"]
    assert record["activated"] - record["notified"] == 20.0
    no_posts = attrs.evolve(hq, posts=())
    assert activation_floor(no_posts) == 0.0
    result = simulate(scenario(hq=no_posts), seed=1)
    record = result.metrics["incident"]["flood1"]["hq"]["hq"]
    assert record["activated"] == record["notified"]


def test_a_holiday_night_is_slower_than_a_holiday_day_or_a_working_night() -> None:
    # The tiny scenario's factors are all 1; give the room night 1.5 and
    # holiday 1.2, so a holiday night multiplies them (1.8), unless stated.
    def decided(start: dt.datetime, factors: BandFactors) -> float:
        sc = scenario()
        room = attrs.evolve(sc.district.duty_room, factors=factors)
        sc = attrs.evolve(sc, district=attrs.evolve(sc.district, duty_room=room), start=start)
        sc = attrs.evolve(
            sc,
            incidents=(attrs.evolve(sc.incidents[0], onset=start + dt.timedelta(minutes=60)),),
        )
        value = simulate(sc, seed=1).metrics["incident"]["flood1"]["level_decided"]
        assert isinstance(value, float)
        return value

    factors = BandFactors(night=1.5, holiday=1.2)
    # channel 10, then triage 5 and approval 8, each times the room's factor
    weekday_day = dt.datetime(2024, 7, 3, 10, 0)
    weekday_night = dt.datetime(2024, 7, 3, 20, 0)
    sunday_day = dt.datetime(2024, 7, 7, 10, 0)
    sunday_night = dt.datetime(2024, 7, 7, 20, 0)
    assert decided(weekday_day, factors) == pytest.approx(10 + 13 * 1.0)
    assert decided(weekday_night, factors) == pytest.approx(10 + 13 * 1.5)
    assert decided(sunday_day, factors) == pytest.approx(10 + 13 * 1.2)
    assert decided(sunday_night, factors) == pytest.approx(10 + 13 * 1.5 * 1.2)
    stated = BandFactors(night=1.5, holiday=1.2, holiday_night=2.0)
    assert decided(sunday_night, stated) == pytest.approx(10 + 13 * 2.0)


def test_a_holiday_night_has_the_smaller_shift_unless_stated() -> None:
    assert Staffing(day=4, night=2, holiday=3).on_duty(TimeBand.HOLIDAY_NIGHT) == 2
    assert Staffing(day=4, night=2, holiday=1).on_duty(TimeBand.HOLIDAY_NIGHT) == 1
    stated = Staffing(day=4, night=2, holiday=3, holiday_night=5)
    assert stated.on_duty(TimeBand.HOLIDAY_NIGHT) == 5
    assert stated.largest == 5
