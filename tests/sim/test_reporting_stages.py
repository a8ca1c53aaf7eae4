"""Information reporting (信息报送) by stage: exact timelines checked by hand.

The tiny scenario of :mod:`tests.sim.build`: onset at 60, the hotline
reports 10 minutes later (aware 70), one duty-room officer triages for 5
(75) and a leader approves for 8: level IV decided at 83.  The lead HQ's
commander arrives 20 minutes after notification (active at 103).
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from cmdsim.analysis.metrics import flatten, known_metrics
from cmdsim.errors import ModelError
from cmdsim.model import Inject, Level
from cmdsim.model.levels import Clock
from cmdsim.model.plans import (
    Escalation,
    ReportDeadline,
    ReportLimit,
    ReportOn,
    ReportStage,
)
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate
from cmdsim.sim.results import RunResult

from .build import scenario

RISING = (SeverityPoint(at=0, rainfall=20), SeverityPoint(at=60, rainfall=40))
"""IV at onset, III from +60: the second observation reaches the room at 130,
is triaged at 135 and level III approved at 143."""
IV_III = ((Level.IV, 10.0), (Level.III, 30.0))


def report(ident: str = "phone", **fields: Any) -> ReportDeadline:
    fields.setdefault("within", 30)
    fields.setdefault("duration", Fixed(10.0))
    return ReportDeadline(id=ident, **fields)


def items(result: RunResult, ident: str, incident: str = "flood1") -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = result.metrics["incident"][incident]["reporting"][ident]["items"]
    return data


def sent(result: RunResult) -> list[tuple[float, str, str]]:
    return [
        (e.time, e.kind, e.detail("deadline"))
        for e in result.events
        if e.kind in ("report_sent", "report_arrived")
    ]


def test_initial_report_starts_when_the_room_knows_not_at_the_decision() -> None:
    # Triaged at 75, written 75-85, 3 minutes on the line: arrives at 88,
    # due 30 minutes after learning of it (aware 70) -> 100.  The level is
    # decided at 83 all the same: approval needs no officer.
    sc = scenario(reports=(report(transmit=Fixed(3.0)),))
    result = simulate(sc, 0)
    assert sent(result) == [(85.0, "report_sent", "phone"), (88.0, "report_arrived", "phone")]
    assert result.metrics["incident"]["flood1"]["level_decided"] == 23.0
    assert items(result, "phone") == [
        {
            "occasion": 15.0,
            "due": 40.0,
            "arrived": 28.0,
            "status": "on_time",
            "lateness": None,
            "level": None,
            "within": 30.0,
        }
    ]
    # The deadline record counts the arrival.
    assert result.metrics["incident"]["flood1"]["deadline"]["phone"]["done"] == 28.0
    arrived = next(e for e in result.events if e.kind == "report_arrived")
    assert arrived.actor == "city_duty_room"


def test_a_units_report_starts_when_the_chain_knows() -> None:
    # The water bureau hears at once (70): 70-80.
    sc = scenario(reports=(report(by="water"),))
    assert sent(simulate(sc, 0)) == [(80.0, "report_sent", "phone")]


def test_clocks_onset_decision_and_activation() -> None:
    sc = scenario(
        reports=(
            report("from_onset", clock=Clock.ONSET, by="water"),
            report("from_decision", clock=Clock.DECISION, by="water"),
            report("from_activation", clock=Clock.ACTIVATION, by="water"),
        )
    )
    result = simulate(sc, 0)
    # onset: written 70-80, due 60 + 30; decision: 83-93, due 83 + 30;
    # activation (the lead at work at 103): 103-113, due 103 + 30.
    assert sorted(sent(result)) == [
        (80.0, "report_sent", "from_onset"),
        (93.0, "report_sent", "from_decision"),
        (113.0, "report_sent", "from_activation"),
    ]
    due = {
        k: items(result, k)[0]["due"] for k in ("from_onset", "from_decision", "from_activation")
    }
    assert due == {"from_onset": 30.0, "from_decision": 53.0, "from_activation": 73.0}


def test_min_level_reached_by_escalation_starts_the_report_then() -> None:
    """Regression: a report whose min_level is above the first decided level
    used never to start, even after the escalation reached it."""
    sc = scenario(
        timeline=RISING,
        thresholds=IV_III,
        reassess=Fixed(1000.0),
        reports=(
            report("aware_iii", min_level=Level.III),
            report("decision_iii", min_level=Level.III, clock=Clock.DECISION, by="water"),
        ),
    )
    result = simulate(sc, 0)
    # III at 143: the room writes 143-153, the water bureau too.
    assert sorted(sent(result)) == [
        (153.0, "report_sent", "aware_iii"),
        (153.0, "report_sent", "decision_iii"),
    ]
    # From learning of it (70) the room is late: due 100, arrived 153.
    aware = items(result, "aware_iii")[0]
    assert (aware["due"], aware["arrived"], aware["status"]) == (40.0, 93.0, "late")
    assert aware["lateness"] == 53.0 and aware["level"] == "III"
    # From the decision of III (143): due 173, on time.
    assert items(result, "decision_iii")[0]["status"] == "on_time"


def test_follow_up_on_each_change_of_level() -> None:
    sc = scenario(
        timeline=RISING,
        thresholds=IV_III,
        reassess=Fixed(1000.0),
        reports=(
            report(
                "update",
                stage=ReportStage.FOLLOW_UP,
                upon=(ReportOn.LEVEL,),
                within=20,
                duration=Fixed(5.0),
                by="water",
            ),
        ),
    )
    result = simulate(sc, 0)
    # Nothing at the first decision (83): the initial reports cover it;
    # at the escalation (143): written 143-148, due 163.
    assert sent(result) == [(148.0, "report_sent", "update")]
    assert items(result, "update") == [
        {
            "occasion": 83.0,
            "due": 103.0,
            "arrived": 88.0,
            "status": "on_time",
            "lateness": None,
            "level": "III",
            "within": 20.0,
        }
    ]


def test_follow_up_when_the_known_casualties_rise() -> None:
    timeline = (
        SeverityPoint(at=0, rainfall=20, deaths=0),
        SeverityPoint(at=60, deaths=2),
    )
    sc = scenario(
        timeline=timeline,
        reports=(
            report(
                "casualties",
                stage=ReportStage.FOLLOW_UP,
                upon=(ReportOn.CASUALTIES,),
                duration=Fixed(5.0),
                by="water",
            ),
        ),
    )
    # The room learns of 2 dead when it triages the second report (135);
    # the lead's reassessments (113: none dead yet; 143 on) add nothing new.
    assert sent(simulate(sc, 0)) == [(140.0, "report_sent", "casualties")]


def test_follow_up_on_an_inject_the_plan_names() -> None:
    base = scenario(
        reports=(
            report(
                "on_call",
                stage=ReportStage.FOLLOW_UP,
                injects=("call",),
                duration=Fixed(5.0),
                by="water",
            ),
        ),
    )
    sc = attrs.evolve(
        base,
        injects=(
            Inject(id="call", at=100.0, hazard="flood"),
            Inject(id="other", at=120.0, hazard="flood"),
        ),
    )
    result = simulate(sc, 0)
    assert sent(result) == [(105.0, "report_sent", "on_call")]
    assert items(result, "on_call")[0]["occasion"] == 40.0


def test_follow_up_at_the_plans_interval_while_the_response_runs() -> None:
    sc = scenario(
        reports=(
            report(
                "hourly",
                stage=ReportStage.FOLLOW_UP,
                every=60.0,
                within=40,
                duration=Fixed(5.0),
                by="water",
            ),
        ),
    )
    result = simulate(sc, 0)
    # Every 60 minutes from the first decision (83) until the horizon (600).
    times = [t for t, kind, _ in sent(result)]
    assert times == [83.0 + 60 * k + 5 for k in range(1, 9)]
    statuses = [item["status"] for item in items(result, "hourly")]
    assert statuses == ["on_time"] * 8


def _closing(reports: tuple[ReportDeadline, ...]) -> Scenario:
    # Rain stops at +30: the lead's reassessment at 113 (83 + 30) still
    # holds IV (held under 60 minutes); at 143 it closes the response.
    sc = scenario(
        timeline=(SeverityPoint(at=0, rainfall=20), SeverityPoint(at=30, rainfall=0)),
        reports=reports,
    )
    plan = attrs.evolve(
        sc.district.plans[0], escalation=Escalation(reassess=Fixed(30.0), hold=60.0)
    )
    return attrs.evolve(sc, district=attrs.evolve(sc.district, plans=(plan,)))


def test_final_report_when_the_response_closes() -> None:
    final = report("final", stage=ReportStage.FINAL, within=240, duration=Fixed(15.0), by="water")
    result = simulate(_closing((final,)), 0)
    closed = [e.time for e in result.events if e.kind == "response_closed"]
    assert closed == [143.0]
    assert sent(result) == [(158.0, "report_sent", "final")]
    item = items(result, "final")[0]
    assert (item["occasion"], item["due"], item["level"]) == (83.0, 323.0, "IV")


def test_limits_by_level_and_by_place() -> None:
    limits = (ReportLimit(15, min_level=Level.II), ReportLimit(20, zone="inner"))
    ordinary = scenario(reports=(report(limits=limits),))
    # Level IV in a town with no zone: neither limit applies -> 30.
    assert items(simulate(ordinary, 0), "phone")[0]["within"] == 30.0
    # Inside the inner ring road: 20.
    town = attrs.evolve(ordinary.district.towns[0], zone="inner")
    inner = attrs.evolve(ordinary, district=attrs.evolve(ordinary.district, towns=(town,)))
    assert items(simulate(inner, 0), "phone")[0]["within"] == 20.0
    # The incident's own zone overrides its town's.
    incident = attrs.evolve(inner.incidents[0], zone="outer")
    assert (
        items(simulate(attrs.evolve(inner, incidents=(incident,)), 0), "phone")[0]["within"] == 30.0
    )
    # A serious incident (level II first decided): 15, the first that applies.
    serious = scenario(thresholds=((Level.II, 10.0),), reports=(report(limits=limits),))
    district = attrs.evolve(serious.district, towns=(town,))
    found = items(simulate(attrs.evolve(serious, district=district), 0), "phone")[0]
    assert (found["within"], found["due"], found["status"]) == (15.0, 25.0, "on_time")


def test_a_report_counts_when_it_arrives() -> None:
    # Written by 85 but 25 minutes on the way: arrives 110, due 100: late by 10.
    sc = scenario(reports=(report(transmit=Fixed(25.0)),))
    result = simulate(sc, 0)
    item = items(result, "phone")[0]
    assert (item["arrived"], item["status"], item["lateness"]) == (50.0, "late", 10.0)
    assert result.metrics["incident"]["flood1"]["deadline"]["phone"]["met"] is False
    record = result.metrics["incident"]["flood1"]["reporting"]["phone"]
    assert (record["on_time"], record["late"], record["missing"]) == (0, 1, 0)


def test_missing_and_pending_at_the_end_of_the_run() -> None:
    sc = scenario(
        horizon=200.0,
        reports=(
            report("slow", duration=Fixed(500.0), by="water"),
            report("late_due", within=1000, duration=Fixed(500.0), by="water"),
        ),
    )
    result = simulate(sc, 0)
    slow = result.metrics["incident"]["flood1"]["reporting"]["slow"]
    assert (slow["missing"], slow["items"][0]["status"]) == (1, "missing")
    assert result.metrics["incident"]["flood1"]["deadline"]["slow"]["met"] is False
    # Due after the horizon and not yet arrived: pending, not counted as missing.
    assert result.metrics["incident"]["flood1"]["reporting"]["late_due"]["pending"] == 1
    assert "late_due" not in result.metrics["incident"]["flood1"]["deadline"]
    assert result.metrics["reporting"]["initial"] == {
        "called": 2,
        "on_time": 0,
        "late": 0,
        "missing": 1,
        "pending": 1,
    }


def test_per_stage_metrics_have_known_names() -> None:
    sc = scenario(
        timeline=RISING,
        thresholds=IV_III,
        reports=(
            report(),
            report("update", stage=ReportStage.FOLLOW_UP, upon=(ReportOn.LEVEL,), by="water"),
        ),
    )
    row = flatten(simulate(sc, 0))
    assert row["reporting.initial.on_time"] == 1.0
    assert row["reporting.follow_up.called"] >= 1.0
    assert row["incident.flood1.reporting.update.called"] >= 1.0
    unknown = {name for name in row if name.startswith(("reporting", "incident.flood1.reporting"))}
    assert unknown <= known_metrics(sc)


def test_follow_up_settings_belong_to_follow_ups() -> None:
    with pytest.raises(ModelError, match="needs 'upon', 'injects', 'every' or 'daily_at'"):
        ReportDeadline(id="x", stage=ReportStage.FOLLOW_UP)
    with pytest.raises(ModelError, match="only a follow_up report has 'every'"):
        ReportDeadline(id="x", every=60.0)
    with pytest.raises(ModelError, match="at least 1 minute"):
        ReportDeadline(id="x", stage=ReportStage.FOLLOW_UP, every=0.5)


def test_a_town_rooms_report_starts_when_it_has_triaged_the_news() -> None:
    from cmdsim.model import DutyRoom, Receiver, Staffing
    from cmdsim.model.timing import BandFactors

    one = BandFactors(day=1.0, night=1.0, holiday=1.0)
    base = scenario()
    reports = (report("town_note", by="town_a_room"), report("district_phone"))
    plan = attrs.evolve(base.district.plans[0], reports=reports)
    room = DutyRoom(
        id="town_a_room",
        staffing=Staffing(day=1, night=1, holiday=1),
        triage=Fixed(3.0),
        forward=Fixed(2.0),
        factors=one,
    )
    town = attrs.evolve(base.district.towns[0], duty_room=room)
    channel = attrs.evolve(base.district.channels[0], to=Receiver.TOWN)
    district = attrs.evolve(base.district, towns=(town,), channels=(channel,), plans=(plan,))
    sc = attrs.evolve(base, district=district)
    result = simulate(sc, 0)
    # The town room has it at 70 (its clock: due 100), triages it by 73 and
    # writes 73-83; it forwards it by 75, when the district room learns of it
    # (its clock: due 105), triages it 75-80 and writes 80-90.
    assert sorted(sent(result)) == [
        (83.0, "report_sent", "town_note"),
        (90.0, "report_sent", "district_phone"),
    ]
    assert [items(result, k)[0]["due"] for k in ("town_note", "district_phone")] == [40.0, 45.0]


def test_the_fast_path_refuses_what_it_does_not_replay() -> None:
    from cmdsim.analysis.fastpath import permits

    follow_up = report("update", stage=ReportStage.FOLLOW_UP, upon=(ReportOn.LEVEL,))
    metrics = ["incident.flood1.level_decided"]
    reason = permits(scenario(reports=(follow_up,)), metrics)
    assert reason is not None and "follow_up report 'update'" in reason
    # With unlimited capacity no report holds an officer the others need.
    assert permits(scenario(reports=(follow_up,)), metrics, unlimited=True) is None
    # An initial report from learning of it is replayed.
    assert permits(scenario(reports=(report(),)), metrics) is None
