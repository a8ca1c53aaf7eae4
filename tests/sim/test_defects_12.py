"""Regression tests for the defects listed in issue 12: the duty room's
utilisation, an empty quorum's meaning, and composed time bands."""

from __future__ import annotations

import attrs

from cmdsim.check.deadlines import activation_floor
from cmdsim.model import Post
from cmdsim.model.plans import ReportDeadline
from cmdsim.model.scenario import SeverityPoint
from cmdsim.model.timing import Fixed
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
