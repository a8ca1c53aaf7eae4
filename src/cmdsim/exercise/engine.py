"""The bridge to the engine: run ``cmdsim.sim.simulate`` with a decision
policy and return its event log as plain records."""

from __future__ import annotations

import importlib
from typing import Any

from cmdsim.errors import ScenarioError
from cmdsim.exercise.drill import Event
from cmdsim.model import Scenario


def engine_runner(scenario: Scenario, seed: int, policy: Any) -> list[Event]:
    """One engine run with ``policy`` as the duty room's decision hook."""
    try:
        sim: Any = importlib.import_module("cmdsim.sim")
    except ImportError as exc:  # pragma: no cover - the engine ships with cmdsim
        raise ScenarioError(f"the simulation engine is not available: {exc}") from None
    result = sim.simulate(scenario, seed, options=_options(sim, policy))
    return [event_record(e) for e in result.events]


def _options(sim: Any, policy: Any) -> Any:
    return sim.Options(decisions=policy)


def event_record(record: Any) -> Event:
    """One engine event as a plain record (``time``, ``actor``, ``kind``,
    ``incident``, ``details``)."""
    if isinstance(record, dict):
        return dict(record)
    to_data = getattr(record, "to_data", None) or getattr(record, "to_dict", None)
    if callable(to_data):
        data = to_data()
        if isinstance(data, dict):
            return data
    kind = getattr(record, "kind", "")
    return {
        "time": float(record.time),
        "actor": str(getattr(record, "actor", "")),
        "kind": str(getattr(kind, "value", kind)),
        "incident": getattr(record, "incident", None),
        "details": dict(getattr(record, "details", {}) or {}),
    }
