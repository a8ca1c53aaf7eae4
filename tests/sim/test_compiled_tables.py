"""Tables the compiled scenario builds once for the engine's hot paths: each
gives the answer the run used to work out at every report or decision."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from cmdsim.io import load_scenario
from cmdsim.model.levels import TimeBand
from cmdsim.sim import simulate
from cmdsim.sim.compiled import clear_cache, compiled
from cmdsim.sim.knowledge import COUNT, carried

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.mark.parametrize(
    ("name", "holidays"),
    [
        ("flood-typhoon", False),
        ("gas", True),
        ("traffic", False),
        ("compound-typhoon", False),
        ("typhoon-landfall", True),  # Mid-Autumn 2024
    ],
)
def test_holidays_says_whether_the_run_meets_a_holiday_band(name: str, holidays: bool) -> None:
    comp = compiled(load_scenario(SCENARIOS / f"{name}.yaml"))
    assert comp.holidays is holidays
    # The same answer as asking the band at every minute of the run.
    met = {comp.band_at(float(minute)) for minute in range(int(comp.horizon))}
    assert holidays == bool(met & {TimeBand.HOLIDAY, TimeBand.HOLIDAY_NIGHT})


def test_zones_are_the_incidents_own_else_their_towns() -> None:
    scenario = load_scenario(SCENARIOS / "compound-typhoon.yaml")
    towns = {t.id: t for t in scenario.district.towns}
    first, *rest = scenario.incidents
    # One incident states a zone of its own, which wins over its town's.
    own = attrs.evolve(first, zone="harbour")
    scenario = attrs.evolve(scenario, incidents=(own, *rest))
    zones = compiled(scenario).zones
    assert zones[own.id] == "harbour"
    for incident in rest:
        assert zones[incident.id] == towns[incident.town].zone
    assert any(zones[i.id] is not None for i in rest)  # the bundled towns have zones


def test_what_channels_carry_is_remembered_across_runs_without_moving_a_result() -> None:
    scenario = load_scenario(SCENARIOS / "flood-typhoon.yaml")
    clear_cache()
    cold = simulate(scenario, 2).to_json()
    clear_cache()
    for seed in (0, 1):
        simulate(scenario, seed)
    memo = compiled(scenario).carried
    # Reports' pictures and the channels' counts were remembered by the earlier runs.
    assert any(key[0] == COUNT for key in memo) and any(key[0] is carried for key in memo)
    remembered = dict(memo)
    contents = {key: dict(value) for key, value in memo.items()}
    assert simulate(scenario, 2).to_json() == cold
    # Read, never changed: every answer is the one first worked out, as it was.
    assert all(memo[key] is value for key, value in remembered.items())
    assert all(dict(memo[key]) == value for key, value in contents.items())
