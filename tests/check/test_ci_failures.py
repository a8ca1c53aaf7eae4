"""What a planning office's CI shows when a plan change breaks an invariant.

The reviewer reads the failure in the CI log: it must name the plans that
clash and show the incident that fails in a few lines, not a bare
assertion or the whole district.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cmdsim.io import load_district, load_scenario
from cmdsim.testing.invariants import (
    InvariantError,
    activated_within,
    every_incident_has_one_lead,
)

OFFICE = Path(__file__).resolve().parents[2] / "examples" / "planning-office"


def test_static_invariant_names_the_plans_that_clash(office_with_two_gas_leads: Path) -> None:
    district = load_district(office_with_two_gas_leads / "plans")
    with pytest.raises(InvariantError) as failed:
        every_incident_has_one_lead(district)
    message = str(failed.value)
    assert "gas at level IV: gas_hq (plan 'gas') / traffic_hq (plan 'traffic')" in message


def test_static_invariant_says_why_a_cell_has_no_lead() -> None:
    from cmdsim.model import District, Hazard

    district = District(id="d", hazards=(Hazard(id="gas"),))
    with pytest.raises(InvariantError) as failed:
        every_incident_has_one_lead(district)
    assert "gas at level I: no lead (no district plan for 'gas' responds at this level)" in str(
        failed.value
    )


def test_activated_within_names_the_scenario_and_seed() -> None:
    drill = load_scenario(OFFICE / "drills" / "gas-leak.yaml")
    with pytest.raises(InvariantError) as failed:
        activated_within(drill, "gas_hq", minutes=1, p=0.9, n=5, seed=4)
    assert str(failed.value).startswith(
        "scenario 'gas_leak': gas_hq activated within 1 min of onset in 0 of 5 replications, "
        "seed 4 (0.0%"
    )


def test_an_unknown_command_or_incident_gets_the_close_name() -> None:
    drill = load_scenario(OFFICE / "drills" / "gas-leak.yaml")
    with pytest.raises(ValueError) as failed:
        activated_within(drill, "gas_hg", minutes=90, n=5)
    assert str(failed.value) == (
        "scenario 'gas_leak': unknown command 'gas_hg' (did you mean 'gas_hq'?)"
    )
    with pytest.raises(ValueError) as failed:
        activated_within(drill, "gas_hq", minutes=90, n=5, incident="leak")
    assert str(failed.value) == (
        "scenario 'gas_leak': unknown incident 'leak' (it has 'east_bank_leak')"
    )


def test_incidents_of_an_unknown_hazard_names_the_close_one() -> None:
    from cmdsim.testing.incidents import incidents

    district = load_district(OFFICE / "plans")
    with pytest.raises(ValueError) as failed:
        incidents(district, "gass").example()
    assert str(failed.value) == "district 'riverside': unknown hazard 'gass' (did you mean 'gas'?)"
    with pytest.raises(ValueError) as failed:
        incidents(district, "fire").example()
    assert str(failed.value) == (
        "district 'riverside': unknown hazard 'fire' (it has flood_typhoon, gas, road_traffic)"
    )
