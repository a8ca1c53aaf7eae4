"""The run's metrics stay typed in ``RunResult.record``; ``metrics`` is their data."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import attrs

from cmdsim.io import load_scenario
from cmdsim.model import Condition, Hazard, Level, Plan, PlanKind
from cmdsim.model.conditions import Trigger
from cmdsim.model.plans import LevelResponse
from cmdsim.model.scenario import Incident, SeverityPoint
from cmdsim.sim import SimOptions, simulate
from cmdsim.sim.results import (
    CoverageRecord,
    HQRecord,
    IncidentRecord,
    RunRecord,
    StageTotals,
    TakeoverRecord,
)

from .build import START, scenario


def test_typed_record_and_its_data_agree() -> None:
    scenario = load_scenario(Path("scenarios") / "compound-typhoon.yaml")
    result = simulate(scenario, seed=1, options=SimOptions(log=False))
    record = result.record
    assert result.metrics == record.to_data()
    assert result.metrics is result.metrics, "made once, on first use"
    for ident, incident in record.incidents.items():
        data = result.metrics["incident"][ident]
        assert isinstance(incident, IncidentRecord)
        assert incident.level_ok == data["level_ok"]
        lead = data["hq"].get(data["lead"] or "", {})
        assert incident.lead_record().activated == lead.get("activated")
        for command, hq in incident.hq.items():
            assert hq.time_to_activate == data["hq"][command]["time_to_activate"]
        for key, deadline in incident.deadline.items():
            assert deadline.met == data["deadline"][key]["met"]
    assert record.coverage.gaps == result.metrics["coverage"]["gaps"]
    assert record.events == result.metrics["events"]
    # A result crosses process pools pickled.
    again = pickle.loads(pickle.dumps(result))
    assert again.record == record and again.metrics == result.metrics


def test_an_incident_without_a_plan_or_a_lead_is_never_silent() -> None:
    """No plan for its hazard, or a plan without a lead HQ: the results say
    so (coverage lists, ``plan``/``lead`` null, a ``no_plan``/``no_lead``
    event), rather than an incident merely never activated."""
    base = scenario()
    rain = (Trigger(Level.IV, any_of=(Condition.parse("rainfall >= 1"),)),)
    leaderless = Plan(
        id="storm_plan", hazards=("storm",), triggers=rain, levels={Level.IV: LevelResponse()}
    )
    district = attrs.evolve(
        base.district,
        hazards=(*base.district.hazards, Hazard(id="quake"), Hazard(id="storm")),
        plans=(*base.district.plans, leaderless),
    )
    onset = START + dt.timedelta(minutes=60)
    extra = tuple(
        Incident(id=i, hazard=h, town="town_a", onset=onset, timeline=(SeverityPoint(at=0),))
        for i, h in (("quake1", "quake"), ("storm1", "storm"))
    )
    sc = attrs.evolve(base, district=district, incidents=(*base.incidents, *extra))
    result = simulate(sc, 0)
    coverage = result.metrics["coverage"]
    assert (coverage["no_plan"], coverage["no_lead"], coverage["gaps"]) == (
        ["quake1"],
        ["storm1"],
        2,
    )
    quake, storm = (result.metrics["incident"][i] for i in ("quake1", "storm1"))
    assert (quake["plan"], quake["lead"], quake["hq"]) == (None, None, {})
    assert (storm["plan"], storm["lead"], storm["hq"]) == ("storm_plan", None, {})
    found = [(e.kind.value, e.incident, dict(e.details)) for e in result.events]
    assert ("no_plan", "quake1", {"hazard": "quake"}) in found
    assert ("no_lead", "storm1", {"plan": "storm_plan"}) in found


def test_lead_record_of_an_incident_without_lead_is_empty() -> None:
    record = IncidentRecord(onset=0.0, hq={"x": HQRecord(notified=1.0, activated=3.0)})
    assert record.lead_record() == HQRecord()
    assert record.hq["x"].time_to_activate == 2.0
    assert IncidentRecord(onset=0.0, lead="x", hq=record.hq).lead_record().activated == 3.0


def test_level_ok_compares_ranks_not_text() -> None:
    # "IV" < "I" as text, yet IV is the lowest level.
    assert IncidentRecord(onset=0.0, peak_level="I", required_level="IV").level_ok is True
    assert IncidentRecord(onset=0.0, peak_level="IV", required_level="III").level_ok is False
    assert IncidentRecord(onset=0.0, peak_level=None, required_level="IV").level_ok is False
    assert IncidentRecord(onset=0.0, peak_level="II").level_ok is None


def test_takeover_writes_a_players_keys_only_when_a_player_decided() -> None:
    rule = TakeoverRecord(triggered=10.0, time=25.0, reason="two HQs")
    assert rule.to_data() == {
        "triggered": 10.0,
        "time": 25.0,
        "reason": "two HQs",
        "ended": None,
    }
    played = TakeoverRecord(by="player", rule_held=5.0, declined=(5.0, 9.0))
    assert played.to_data() == {
        "triggered": None,
        "time": None,
        "reason": None,
        "ended": None,
        "by": "player",
        "rule_held": 5.0,
        "declined": [5.0, 9.0],
    }


def test_a_takeover_writes_its_end_and_later_takeovers() -> None:
    record = TakeoverRecord(
        triggered=10.0, time=25.0, reason="two HQs", ended=95.0, again=((120.0, 140.0, None),)
    )
    assert record.held == 70.0
    assert record.to_data() == {
        "triggered": 10.0,
        "time": 25.0,
        "reason": "two HQs",
        "ended": 95.0,
        "again": [{"triggered": 120.0, "time": 140.0, "ended": None}],
    }
    assert TakeoverRecord(time=25.0).held is None


def test_run_record_data_shape() -> None:
    record = RunRecord(
        reporting={"initial": StageTotals(called=3, on_time=1, late=1, missing=1)},
        coverage=CoverageRecord(incidents=2, no_plan=("a",), injects_no_plan=("j",)),
    )
    data = record.to_data()
    assert data["reporting"] == {
        "initial": {"called": 3, "on_time": 1, "late": 1, "missing": 1, "pending": 0}
    }
    assert data["coverage"] == {
        "incidents": 2,
        "no_plan": ["a"],
        "no_lead": [],
        "injects_no_plan": ["j"],
        "gaps": 2,
    }
    assert set(data) == {
        "incident",
        "merge",
        "reporting",
        "takeover",
        "utilisation",
        "wait",
        "coverage",
        "events",
    }


def test_utilisation_and_wait_are_each_names_busy_minutes_over_its_capacity() -> None:
    """Every room, unit and ``resource:<id>`` of the district, sorted by name:
    busy minutes over the minutes it could work (a room's rostered minutes
    and those of the officers called in, a unit's staff or a resource's
    capacity times the horizon); a room's wait the mean of its reports'
    waits.  The capacities come from the compiled scenario
    (``Compiled.work_capacity``), not from walking the district at each
    run's end."""
    from cmdsim.sim.compiled import compiled
    from cmdsim.sim.engine import execute
    from cmdsim.sim.reinforce import called_in_minutes

    scenario = load_scenario(Path("scenarios") / "flood-typhoon.yaml")
    run = execute(scenario, 1)
    record = simulate(scenario, 1).record
    comp = compiled(scenario)
    horizon = scenario.horizon
    capacity: dict[str, float] = {}
    for duty_room in scenario.district.duty_rooms():
        called = run.ledger.called_in.get(duty_room.id, ())
        capacity[duty_room.id] = comp.rostered[duty_room.id] + (
            called_in_minutes(called, horizon) if called else 0.0
        )
    for unit in scenario.district.units:
        capacity[unit.id] = unit.staff * horizon
        for resource in unit.resources:
            capacity[f"resource:{resource.id}"] = resource.capacity * horizon
    assert list(record.utilisation) == sorted(capacity)
    for name, minutes in capacity.items():
        busy = run.ledger.busy.get(name, 0.0)
        assert record.utilisation[name] == (busy / minutes if minutes > 0 else None)
    assert any(value for value in record.utilisation.values()), "some work was done"
    rooms = sorted(r.id for r in scenario.district.duty_rooms())
    assert list(record.wait) == rooms
    for room in rooms:
        waits = run.ledger.waits.get(room)
        assert record.wait[room] == (sum(waits) / len(waits) if waits else None)
    assert any(value is not None for value in record.wait.values())


def test_a_hazard_no_plan_names_is_governed_by_the_general_plan() -> None:
    """The general plan (the "1") names no hazard and so covers every hazard
    no special plan covers, as ``cmdsim check``'s coverage matrix counts it:
    the engine decides such an incident by it (it logged ``no_plan`` while
    the matrix showed the hazard covered); a hazard a special plan names
    stays with that plan."""
    base = scenario()
    deaths = (Trigger(Level.IV, any_of=(Condition.parse("deaths >= 1"),)),)
    general = Plan(
        id="general_plan",
        kind=PlanKind.GENERAL,
        lead="hq",
        triggers=deaths,
        levels={Level.IV: LevelResponse()},
    )
    district = attrs.evolve(
        base.district,
        hazards=(*base.district.hazards, Hazard(id="quake")),
        plans=(*base.district.plans, general),
    )
    quake = Incident(
        id="quake1",
        hazard="quake",
        town="town_a",
        onset=START + dt.timedelta(minutes=60),
        timeline=(SeverityPoint(at=0, deaths=1),),
    )
    sc = attrs.evolve(base, district=district, incidents=(*base.incidents, quake))
    result = simulate(sc, 0)
    coverage = result.metrics["coverage"]
    assert (coverage["no_plan"], coverage["gaps"]) == ([], 0)
    record = result.metrics["incident"]
    assert (record["quake1"]["plan"], record["quake1"]["lead"]) == ("general_plan", "hq")
    assert record["quake1"]["hq"]["hq"]["activated"] is not None
    assert record["flood1"]["plan"] == "flood_plan"
    assert "no_plan" not in {e.kind.value for e in result.events}
    # Without the general plan the incident is still said to have none.
    bare = attrs.evolve(sc, district=attrs.evolve(district, plans=base.district.plans))
    assert simulate(bare, 0).metrics["coverage"]["no_plan"] == ["quake1"]
