"""The ready invariants of cmdsim.testing."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from cmdsim.check import check
from cmdsim.io import load_scenario
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
    Signal,
    Town,
    Trigger,
    Unit,
)
from cmdsim.testing.incidents import incidents
from cmdsim.testing.invariants import (
    InvariantError,
    activated_within,
    activation_times,
    every_incident_has_one_lead,
    leads_for,
    milder_trigger,
    reaches_a_level,
)
from cmdsim.testing.strategies import districts

ALL = {level: LevelResponse() for level in Level}


def district(*plans: Plan, hazards: tuple[Hazard, ...] = (Hazard("gas"),)) -> District:
    return District(
        id="d",
        hazards=hazards,
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
    # 'a' governs gas at every level, with IV's response above IV too (a
    # level includes the lower ones'), while 'b' claims III: an overlap there.
    with pytest.raises(InvariantError, match=r"gas at level III: hq1 \(plan 'a'\) / hq2"):
        every_incident_has_one_lead(d)
    every_incident_has_one_lead(d, [gas(1), gas(0)])
    assert leads_for(d, gas(1)) == ("hq1",)
    assert leads_for(d, gas(0)) == ()
    with pytest.raises(InvariantError, match=r"hq1 \(plan 'a'\) / hq2 \(plan 'b'\)"):
        every_incident_has_one_lead(d, [gas(5)])


def test_general_plan_does_not_fill_the_levels_the_governing_plan_lacks() -> None:
    # The engine decides every gas incident by plan 'a' (the first naming
    # gas), at every level: the general plan leads no gas incident.  'a'
    # writes III only, so III and above have its response (a level includes
    # the lower ones') and IV none, whatever the general plan sets out.
    general = Plan(
        "general",
        kind=PlanKind.GENERAL,
        lead="hq2",
        triggers=[Trigger(Level.I, any_of=[Condition.parse("deaths >= 30")])],
        levels=ALL,
    )
    a = attrs.evolve(
        plan("a", "hq1", "deaths >= 1", Level.III),
        triggers=[Trigger(Level.IV, any_of=[Condition.parse("deaths >= 1")])],
    )
    d = district(a, general)
    with pytest.raises(InvariantError) as failed:
        every_incident_has_one_lead(d)
    assert "gas at level IV: no lead (plan 'a' governs 'gas' but sets out no response" in str(
        failed.value
    )
    assert "gas at level I:" not in str(failed.value)
    assert "gas at level III" not in str(failed.value)
    assert leads_for(d, gas(1)) == ()  # IV: the lead alone, no response
    assert leads_for(d, gas(40)) == ()  # its trigger sets IV whatever the deaths
    # Written at IV, it answers at every level with IV's response.
    every_incident_has_one_lead(district(plan("a", "hq1", "deaths >= 1", Level.IV), general))


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


# -- incidents no plan answers ----------------------------------------------
#
# Each invariant against a plan set that breaks it and one that satisfies it.

CHEMICALS = Hazard("chemicals")


def chemical(serious_injuries: float, deaths: float | None = None) -> Incident:
    return Incident(
        id="spill",
        hazard="chemicals",
        town="t",
        onset=dt.datetime(2024, 7, 1, 9),
        timeline=[SeverityPoint(at=0, serious_injuries=serious_injuries, deaths=deaths)],
    )


def chemical_district(*plans: Plan) -> District:
    return district(*plans, hazards=(Hazard("gas"), CHEMICALS))


def chemical_plan(*triggers: Trigger) -> Plan:
    return Plan("chem", hazards=["chemicals"], lead="hq1", triggers=triggers, levels=ALL)


BAND_IV = Trigger(
    Level.IV,
    all_of=[Condition.parse("serious_injuries >= 1"), Condition.parse("serious_injuries <= 9")],
)
BAND_III = Trigger(Level.III, any_of=[Condition.parse("serious_injuries >= 30")])
BAND_III_CLOSED = Trigger(Level.III, any_of=[Condition.parse("serious_injuries >= 10")])


def test_an_incident_in_a_hole_between_bands_is_reported_as_the_checker_does() -> None:
    """20 seriously injured fall between level IV (1-9) and level III (30+):
    the checker reports the hole, and so does the invariant."""
    holed = chemical_district(plan("a", "hq2", "deaths >= 1", Level.IV),
                              chemical_plan(BAND_IV, BAND_III))  # fmt: skip
    assert "CMD014" in check(holed).codes()
    with pytest.raises(InvariantError) as caught:
        every_incident_has_one_lead(holed, [chemical(20)])
    assert (
        "spill (chemicals; serious_injuries 20, casualties 20): reaches no level, though plan "
        "'chem' sets level IV for a milder one (serious_injuries from 1 to 9)"
    ) in str(caught.value)
    # Inside the bands it has its one lead; below every band nothing answers on purpose.
    every_incident_has_one_lead(holed, [chemical(5), chemical(40), chemical(0)])
    closed = chemical_district(plan("a", "hq2", "deaths >= 1", Level.IV),
                               chemical_plan(BAND_IV, BAND_III_CLOSED))  # fmt: skip
    assert "CMD014" not in check(closed).codes()
    every_incident_has_one_lead(closed, [chemical(20), chemical(0)])
    assert leads_for(closed, chemical(20)) == ("hq1",)


def test_an_incident_of_a_hazard_without_a_plan_is_reported() -> None:
    gas_only = chemical_district(plan("a", "hq2", "deaths >= 0", *Level))
    assert "CMD001" in check(gas_only).codes()
    with pytest.raises(InvariantError, match=r"no district plan for hazard 'chemicals'$"):
        every_incident_has_one_lead(gas_only, [chemical(20)])
    general = Plan(
        "general",
        kind=PlanKind.GENERAL,
        lead="hq2",
        triggers=[Trigger(Level.I, any_of=[Condition.parse("deaths >= 30")])],
        levels=ALL,
    )
    with pytest.raises(
        InvariantError, match="no district plan for hazard 'chemicals' and the general plan sets"
    ):
        every_incident_has_one_lead(chemical_district(general), [chemical(20)])
    # Where the general plan does set a level, its HQ leads.
    every_incident_has_one_lead(chemical_district(general), [chemical(20, deaths=30)])
    answered = chemical_district(plan("a", "hq2", "deaths >= 0", *Level),
                                 chemical_plan(BAND_IV, BAND_III_CLOSED))  # fmt: skip
    every_incident_has_one_lead(answered, [chemical(20)])


def test_every_violation_is_listed() -> None:
    d = chemical_district(plan("a", "hq1", "deaths >= 1", Level.IV),
                          plan("b", "hq2", "deaths >= 3", Level.III),
                          chemical_plan(BAND_IV, BAND_III))  # fmt: skip
    with pytest.raises(InvariantError) as caught:
        every_incident_has_one_lead(d, [gas(5), chemical(20), gas(1)])
    lines = str(caught.value).splitlines()
    assert lines[0] == "expected exactly one lead HQ:"
    assert lines[1] == "  leak (gas; deaths 5, casualties 5): hq1 (plan 'a') / hq2 (plan 'b')"
    assert lines[2].startswith("  spill (chemicals; serious_injuries 20, casualties 20): ")
    assert len(lines) == 3


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    districts(min_towns=1)
    .filter(lambda d: bool(d.hazards))
    .flatmap(lambda d: incidents(d, flags=False).map(lambda i: (d, i)))
)
def test_a_reported_hole_has_a_milder_incident_that_reaches_a_level(
    pair: tuple[District, Incident],
) -> None:
    """Whenever the invariant says a milder incident reaches a level, build
    that milder incident and see a plan set a level for it."""
    district_, incident = pair
    found = milder_trigger(district_, incident)
    if reaches_a_level(district_, incident) or found is None:
        return
    _, _, needed = found
    if "casualties" in needed:  # derived from deaths and injuries, not set directly
        return
    peak = incident.peak()
    values = {k: v for k, v in peak.items() if k != "casualties"}
    for attribute, interval in needed.items():
        value = interval.lo if not interval.lo_open else (interval.lo + interval.hi) / 2
        if attribute == "signal":
            values[attribute] = list(Signal)[int(value) - 1]
        else:
            assert value <= peak[attribute]
            values[attribute] = value
    milder = attrs.evolve(incident, timeline=[SeverityPoint(at=0, **values)])
    assert reaches_a_level(district_, milder)


# -- activated_within on the engine -------------------------------------------

OFFICE = Path(__file__).resolve().parents[2] / "examples" / "planning-office"


def drill_with_gas_triggers(*conditions: str) -> Scenario:
    drill = load_scenario(OFFICE / "drills" / "gas-leak.yaml")
    plans = tuple(
        attrs.evolve(
            p, triggers=[Trigger(Level.IV, any_of=[Condition.parse(c) for c in conditions])]
        )
        if p.id == "gas"
        else p
        for p in drill.district.plans
    )
    return attrs.evolve(drill, district=attrs.evolve(drill.district, plans=plans))


def test_activated_within_holds_and_fails_on_plan_sets_run_by_the_engine() -> None:
    """The gas leak reaches level IV with any death count: the gas HQ comes in
    time.  With a plan that answers only 30 deaths it never comes at all."""
    answered = activated_within(drill_with_gas_triggers("deaths >= 0"), "gas_hq", 120, p=0.9, n=20)
    assert answered.never == 0 and answered.share >= 0.9
    silent = drill_with_gas_triggers("deaths >= 30")
    with pytest.raises(
        InvariantError, match=r"in 0 of 20 replications, seed 0 .* never activated in 20"
    ):
        activated_within(silent, "gas_hq", 120, p=0.9, n=20)
    assert all(math.isnan(t) for t in activation_times(silent, "gas_hq", n=5))


def test_static_invariant_fails_on_an_overlap_and_holds_on_one_lead_per_cell() -> None:
    both = district(
        plan("a", "hq1", "deaths >= 0", *Level), plan("b", "hq2", "deaths >= 0", *Level)
    )
    with pytest.raises(
        InvariantError, match=r"gas at level IV: hq1 \(plan 'a'\) / hq2 \(plan 'b'\)"
    ):
        every_incident_has_one_lead(both)
    every_incident_has_one_lead(district(plan("a", "hq1", "deaths >= 0", *Level)))
