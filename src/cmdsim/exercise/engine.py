"""The bridge to the engine: run ``cmdsim.sim.simulate`` with a decision
policy and return its event log as plain records."""

from __future__ import annotations

from typing import Any

from cmdsim.exercise.drill import Event
from cmdsim.model import Scenario
from cmdsim.sim import SimOptions, simulate


def engine_runner(scenario: Scenario, seed: int, policy: Any) -> list[Event]:
    """One engine run with ``policy`` as the duty room's decision hook."""
    result = simulate(scenario, seed, options=SimOptions(decisions=policy))
    return [event.to_data() for event in result.events]
