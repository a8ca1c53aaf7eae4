"""Model -> YAML -> model gives an equal model, for any valid model."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from cmdsim.io import dump, from_data, loads, to_data
from cmdsim.model import District, Scenario
from cmdsim.testing.strategies import districts, scenarios

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(districts())
def test_district_round_trips_through_yaml(district: District) -> None:
    assert loads(dump(district)) == district


@SETTINGS
@given(scenarios())
def test_scenario_round_trips_through_yaml(scenario: Scenario) -> None:
    assert loads(dump(scenario)) == scenario


@SETTINGS
@given(districts())
def test_district_round_trips_through_plain_data(district: District) -> None:
    assert from_data(to_data(district), District) == district
