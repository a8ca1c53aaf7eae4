"""The ready invariants of cmdsim.testing."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

from cmdsim.model import (
    Command,
    Condition,
    District,
    Hazard,
    Incident,
    Level,
    LevelResponse,
    Plan,
    PlanKind,
    Scenario,
    SeverityPoint,
    Town,
    Trigger,
    Unit,
)
from cmdsim.testing.invariants import (
    InvariantError,
    activated_within,
    activation_times,
    every_incident_has_one_lead,
    leads_for,
)

ALL = {level: LevelResponse() for level in Level}


def district(*plans: Plan) -> District:
    return District(
        id="d",
        hazards=[Hazard("gas")],
        units=[Unit("u1"), Unit("u2")],
        commands=[Command("hq1", lead_unit="u1"), Command("hq2", lead_unit="u2")],
        towns=[Town("t")],
        plans=plans,
    )


def gas(deaths: float) -> Incident:
    return Incident(
        id="leak",
        hazard="gas",
        town="t",
        onset=dt.datetime(2024, 7, 1, 9),
        timeline=[SeverityPoint(at=0, deaths=deaths)],
    )


def plan(ident: str, lead: str, threshold: str, *levels: Level) -> Plan:
    trigger = Trigger(levels[0], any_of=[Condition.parse(threshold)])
    return Plan(
        ident,
        hazards=["gas"],
        lead=lead,
        triggers=[trigger],
        levels={lv: LevelResponse() for lv in levels},
    )


def test_one_lead_static_and_per_incident() -> None:
    d = district(
        plan("a", "hq1", "deaths >= 1", Level.IV), plan("b", "hq2", "deaths >= 3", Level.III)
    )
    with pytest.raises(InvariantError, match="gas at level I: no lead"):
        every_incident_has_one_lead(d)
    every_incident_has_one_lead(d, [gas(1), gas(0)])
    assert leads_for(d, gas(1)) == ("hq1",)
    assert leads_for(d, gas(0)) == ()
    with pytest.raises(InvariantError, match="hq1 / hq2"):
        every_incident_has_one_lead(d, [gas(5)])


def test_general_plan_leads_only_where_no_special_does() -> None:
    general = Plan(
        "general",
        kind=PlanKind.GENERAL,
        lead="hq2",
        triggers=[Trigger(Level.I, any_of=[Condition.parse("deaths >= 30")])],
        levels=ALL,
    )
    d = district(plan("a", "hq1", "deaths >= 1", Level.IV), general)
    every_incident_has_one_lead(d)
    assert leads_for(d, gas(1)) == ("hq1",)
    assert leads_for(d, gas(40)) == ("hq1",)


def scenario() -> Scenario:
    d = district(plan("a", "hq1", "deaths >= 1", *Level))
    return Scenario(id="s", district=d, start=dt.datetime(2024, 7, 1, 8), incidents=[gas(2)])


def fake_run(sc: Scenario, seq: np.random.SeedSequence) -> dict[str, float]:
    """Activation uniform on 10–30 minutes; never in one replication of ten."""
    rng = np.random.default_rng(seq)
    never = rng.uniform() < 0.1
    return {"incident.leak.hq.hq1.activated": math.nan if never else rng.uniform(10, 30)}


def test_activation_times_follow_the_replication_seeds() -> None:
    times = activation_times(scenario(), "hq1", n=50, seed=3, run=fake_run)
    again = activation_times(scenario(), "hq1", n=50, seed=3, run=fake_run)
    assert np.array_equal(np.array(times), np.array(again), equal_nan=True)
    first = fake_run(scenario(), np.random.SeedSequence(3).spawn(50)[0])
    assert times[0] == pytest.approx(first["incident.leak.hq.hq1.activated"], nan_ok=True)


def test_activated_within_passes_and_fails_on_the_share() -> None:
    result = activated_within(scenario(), "hq1", 30.0, p=0.8, n=200, run=fake_run)
    assert 0.8 <= result.share < 1.0
    assert result.never == result.n - result.hits
    low, high = result.ci95
    assert low < result.share < high
    with pytest.raises(InvariantError, match=r"hq1 activated within 20 min .* at least 95%"):
        activated_within(scenario(), "hq1", 20.0, p=0.95, n=200, run=fake_run)


def test_activated_within_rejects_unknown_names() -> None:
    with pytest.raises(ValueError, match="unknown command"):
        activated_within(scenario(), "nobody", 30.0, run=fake_run)
    with pytest.raises(ValueError, match="unknown incident"):
        activated_within(scenario(), "hq1", 30.0, incident="fire", run=fake_run)
