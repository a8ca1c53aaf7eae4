"""A run's log as text a facilitator can read: one line per event, its time
of day as :func:`cmdsim.sim.moments.clock` writes it (``22:30``, ``00:15 +1d``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from cmdsim.sim.moments import clock
from cmdsim.sim.results import Event, RunResult


def _detail_text(event: Event) -> str:
    parts = []
    for key, value in event.details:
        if value is None or key == "known":
            continue
        if isinstance(value, float):
            value = f"{value:.1f}"
        parts.append(f"{key}={value}")
    return " ".join(parts)


def format_timeline(result: RunResult, names: Mapping[str, str] | None = None) -> str:
    """The event log, one line per event; ``names`` maps ids to display names."""
    start = dt.datetime.fromisoformat(result.start) if result.start else None
    names = names or {}
    lines = []
    for event in result.events:
        actor = names.get(event.actor, event.actor)
        incident = f"[{event.incident}] " if event.incident else ""
        text = f"{clock(start, event.time)}  {incident}{actor}: {event.kind}"
        lines.append(f"{text}  {_detail_text(event)}".rstrip())
    return "\n".join(lines) + ("\n" if lines else "")


def display_names(scenario: Any) -> dict[str, str]:
    """Display names of the scenario's commands, units and duty rooms."""
    district = scenario.district
    out: dict[str, str] = {}
    for item in (*district.commands, *district.units, *district.duty_rooms()):
        if item.name:
            out[item.id] = item.name
    for incident in scenario.incidents:
        if incident.name:
            out[incident.id] = incident.name
    return out
