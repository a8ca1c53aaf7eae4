"""Exact timelines of small scenarios checked by hand, and the result's shape."""

from __future__ import annotations

import json

import pytest

import cmdsim
from cmdsim.errors import ScenarioError
from cmdsim.model import Level, Post
from cmdsim.model.plans import ReportDeadline
from cmdsim.model.scenario import SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim import format_timeline, simulate

from .build import command, duty_task, scenario


def hand_checked() -> object:
    # onset 60; hotline 10 -> aware 70; triage 5 + approval 8 -> decided 83;
    # commander 20 -> 103, duty (1 of 2) 30 -> 113 = activation (no quorum: all posts).
    # The phone report is written once the room has triaged the news (75):
    # 10 minutes, sent at 85, due 30 minutes after learning of it (70).
    hq = command(
        (Post(id="commander", callout=Fixed(20.0)), Post(id="duty", people=2, callout=Fixed(30.0)))
    )
    return scenario(
        hq=hq,
        tasks=(duty_task(),),
        reports=(ReportDeadline(id="phone", within=30, duration=Fixed(10.0)),),
    )


def test_exact_timeline() -> None:
    result = simulate(hand_checked(), seed=0)  # type: ignore[arg-type]
    assert [(e.time, e.kind, e.actor) for e in result.events] == [
        (60.0, "onset", "flood1"),
        (70.0, "aware", "district_duty_room"),
        (83.0, "level_decided", "district_duty_room"),
        (83.0, "hq_notified", "hq"),
        (83.0, "task_assigned", "water"),
        (83.0, "task_started", "water"),
        (85.0, "report_sent", "district_duty_room"),
        (98.0, "task_done", "water"),
        (103.0, "post_filled", "hq"),
        (113.0, "post_filled", "hq"),
        (113.0, "hq_activated", "hq"),
        (113.0, "hq_active_for", "hq"),
    ]
    m = result.metrics["incident"]["flood1"]
    assert (m["aware"], m["level_decided"], m["level"]) == (10.0, 23.0, "IV")
    assert m["hq"]["hq"] == {
        "notified": 23.0,
        "activated": 53.0,
        "time_to_activate": 30.0,
        "level": "IV",
        "staff": 3,
    }
    assert m["deadline"]["phone"] == {
        "kind": "report",
        "actor": "district_duty_room",
        "due": 40.0,
        "done": 25.0,
        "met": True,
        "slack": 15.0,
    }
    # Task deadline counts from the lead's activation (113) + 60; done at 98.
    assert m["deadline"]["pumps"]["due"] == 113.0 and m["deadline"]["pumps"]["met"] is True


def test_escalation_timeline() -> None:
    # Rainfall 20 at onset (IV), 40 at +60 (III): the hotline reports the second
    # observation at 60+60+10 = 130, triage 5, approval 8 -> escalated at 143.
    sc = scenario(
        timeline=(SeverityPoint(at=0, rainfall=20), SeverityPoint(at=60, rainfall=40)),
        thresholds=((cmdsim.model.Level.IV, 10.0), (cmdsim.model.Level.III, 30.0)),
        reassess=Fixed(1000.0),
    )
    result = simulate(sc, seed=0)
    levels = [
        (e.time, e.kind, e.detail("level")) for e in result.events if e.kind.startswith("level_")
    ]
    assert levels == [(83.0, "level_decided", "IV"), (143.0, "level_escalated", "III")]
    assert result.metrics["incident"]["flood1"]["peak_level"] == "III"


def test_no_wait_when_an_officer_is_free() -> None:
    sc = scenario(hq=command())
    result = simulate(sc, seed=0)
    assert result.metrics["wait"]["district_duty_room"] == 0.0


def test_json_is_stable_and_sorted() -> None:
    sc = hand_checked()
    a = simulate(sc, seed=3).to_json()  # type: ignore[arg-type]
    assert a == simulate(sc, seed=3).to_json()  # type: ignore[arg-type]
    data = json.loads(a)
    assert list(data) == sorted(data)
    assert data["events"][0]["kind"] == "onset"


def test_timeline_text_uses_the_calendar_clock() -> None:
    result = simulate(hand_checked(), seed=0)  # type: ignore[arg-type]
    text = format_timeline(result, {"hq": "区测试指挥部"})
    lines = text.splitlines()
    assert lines[0].startswith("11:00  [flood1] flood1: onset")
    assert any(line.startswith("11:53") and "区测试指挥部: hq_activated" in line for line in lines)


def test_top_level_export_and_errors() -> None:
    # cmdsim.simulate is the engine behind the loader's checks (analysis.built).
    assert cmdsim.simulate(hand_checked(), 0).to_json() == simulate(hand_checked(), 0).to_json()
    with pytest.raises(ScenarioError):
        cmdsim.simulate("not a scenario")  # type: ignore[arg-type]
    with pytest.raises(ScenarioError):
        simulate("not a scenario")  # type: ignore[arg-type]


def test_a_near_zero_reassessment_delay_does_not_stall_the_run() -> None:
    """Found by hypothesis: ``reassess: Fixed(5e-324)`` stepped the run by
    nothing, forever.  Reassessments are at least a minute apart."""
    from cmdsim.sim.decision import MIN_REASSESS
    from cmdsim.sim.engine import execute

    sc = scenario(reassess=Fixed(5e-324), horizon=600.0)
    run = execute(sc, 0)
    assert run.env.now == 600.0
    assert next(run.env._eid) < 2 * 600.0 / MIN_REASSESS + 500


def test_a_reported_level_does_not_outlive_the_leads_deescalation() -> None:
    """An inject reports level II for a IV-sized flood: the duty room declares
    II; once the level has held an hour the lead lowers it to IV, and it stays
    there (the report's level no longer pulls it back up)."""
    import attrs

    from cmdsim.model import Inject

    base = scenario(thresholds=((Level.IV, 10.0), (Level.II, 100.0)), horizon=400.0)
    sc = attrs.evolve(base, injects=(Inject(id="call", at=100.0, hazard="flood", level=Level.II),))
    result = simulate(sc, 0)
    levels = [
        (e.time, e.kind, e.detail("level"))
        for e in result.events
        if e.kind in ("level_decided", "level_escalated", "level_deescalated")
    ]
    # onset 60 + hotline 10 + triage 5 + approval 8: IV at 83; the inject's
    # report reaches the room at 100, triage 5, approval 8: II at 113;
    # reassessments every 30 min from 83 (113, 143, 173, 203): II has held
    # 60 min at 173, so the lead lowers it to IV then, for good.
    assert levels == [
        (83.0, "level_decided", "IV"),
        (113.0, "level_escalated", "II"),
        (173.0, "level_deescalated", "IV"),
    ]


def test_the_takeover_of_a_general_hq_already_at_work_is_at_once() -> None:
    """The flood plan's level IV calls out the general HQ too (at work at
    103); when the gas HQ makes two specialised HQs active (143) the takeover
    rule holds and the general HQ, already at work, takes over then."""
    import attrs

    from cmdsim.model.plans import LevelResponse

    from .test_decision_hooks import two_hazards

    base = two_hazards()
    plans = tuple(
        attrs.evolve(p, levels={Level.IV: LevelResponse(activate=("general_hq",))})
        if p.id == "flood_plan"
        else p
        for p in base.district.plans
    )
    sc = attrs.evolve(base, district=attrs.evolve(base.district, plans=plans))
    result = simulate(sc, 0)
    general = [
        (e.time, e.kind)
        for e in result.events
        if e.actor == "general_hq" and e.kind in ("hq_activated", "takeover_triggered", "takeover")
    ]
    assert general == [(103.0, "hq_activated"), (143.0, "takeover_triggered"), (143.0, "takeover")]
    assert result.metrics["takeover"]["time"] == 143.0
