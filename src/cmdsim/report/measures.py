"""HQ activations and deadlines, measured from an event log or from a run's metrics."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cmdsim.model import Level
from cmdsim.report.kinds import Event, classify, command_of, details_of, level_of
from cmdsim.report.numbers import r1

ACTIVATION_TARGET = 60.0
"""Minutes from onset within which an HQ counts as activated in time, unless
the run's metrics or the exercise criteria say otherwise (the 60-minute target
for lead staff of US public-health emergency operations)."""


def activations(
    events: Sequence[Event],
    commands: set[str],
    required: Mapping[str, str | None],
    target: float,
    origins: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """One row per HQ and incident: when notified, when activated, at which
    level, and the minutes from the incident's origin (see :func:`origin_of`)."""
    origins = origins or {}
    onsets: dict[str, float] = {}
    rows: dict[tuple[str, str | None], dict[str, Any]] = {}
    for event in events:
        t = float(event.get("time", 0.0))
        cat = classify(str(event.get("kind", "")))
        inc = str(event["incident"]) if event.get("incident") else None
        if cat == "onset" and inc and inc not in onsets:
            onsets[inc] = t
        if cat not in ("notify", "activated"):
            continue
        command = command_of(event, commands)
        if command is None or (commands and command not in commands):
            continue
        row = rows.setdefault(
            (command, inc),
            {
                "command": command,
                "incident": inc,
                "level": None,
                "notified": None,
                "activated": None,
            },
        )
        if cat == "notify" and row["notified"] is None:
            row["notified"] = r1(t)
        if cat == "activated" and row["activated"] is None:
            row["activated"] = r1(t)
            row["level"] = level_of(event)
    out = []
    for (_command, inc), row in rows.items():
        onset = onsets.get(inc) if inc else None
        origin, basis = origin_of(origins, inc, onset)
        need = required.get(inc) if inc else None
        out.append(_activation_row(row, origin, basis, need, target))
    out.sort(key=lambda a: (a["activated"] is None, a["activated"] or 0.0, a["command"]))
    return out


def origin_of(
    origins: Mapping[str, Mapping[str, Any]], inc: str | None, onset: float | None
) -> tuple[float | None, str]:
    """Where an incident's figures count from: its first warning or its onset."""
    if inc and inc in origins:
        return float(origins[inc]["origin"]), str(origins[inc]["basis"])
    return onset, "onset"


def _activation_row(
    row: Mapping[str, Any],
    origin: float | None,
    basis: str,
    need: str | None,
    target: float,
) -> dict[str, Any]:
    """An activation row with its delay from the origin, never negative: an
    HQ already at work (for another incident) before this one's origin
    counts 0 and says so."""
    delay = None
    already = False
    if row["activated"] is not None and origin is not None:
        delay = r1(max(0.0, row["activated"] - origin))
        already = row["activated"] < origin - 0.05
    under = bool(need and row["level"] and Level.parse(row["level"]) < Level.parse(need))
    late = row["activated"] is None or (delay is not None and delay > target) or under
    return {
        **row,
        "required": need,
        "origin": r1(origin),
        "basis": basis,
        "delay": delay,
        "already_active": already,
        "target": r1(target),
        "late": late,
    }


def deadlines(events: Sequence[Event]) -> list[dict[str, Any]]:
    """Deadline outcomes recorded in the log (events whose details say ``met``)."""
    rows = []
    for event in events:
        if classify(str(event.get("kind", ""))) != "deadline":
            continue
        d = details_of(event)
        if "met" not in d:
            continue
        t = r1(event.get("time", 0.0))
        kind = str(event.get("kind", "")).lower()
        finished = d.get("met") or any(w in kind for w in ("done", "sent", "complete"))
        done = r1(d["done"]) if d.get("done") is not None else (t if finished else None)
        due = r1(d.get("due")) if d.get("due") is not None else None
        slack = (
            r1(d.get("slack"))
            if d.get("slack") is not None
            else (r1(due - done) if due is not None and done is not None else None)
        )
        rows.append(
            {
                "id": str(d.get("deadline") or d.get("id") or event.get("kind")),
                "name": str(d.get("name") or d.get("deadline") or d.get("id") or event.get("kind")),
                "incident": event.get("incident"),
                "by": event.get("actor"),
                "due": due,
                "done": done,
                "slack": slack,
                "status": "met" if d.get("met") else "missed",
            }
        )
    return rows


def compliance(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Totals over deadline rows; a batch row counts its replications
    (``count`` and ``met_count``), a run's row counts once."""
    total = sum(int(r.get("count", 1)) for r in rows)
    met = sum(int(r["met_count"]) if "met_count" in r else int(r["status"] == "met") for r in rows)
    return {
        "total": total,
        "met": met,
        "missed": total - met,
        "rate": r1(100.0 * met / total) if total else None,
    }


def from_metrics(
    metrics: Mapping[str, Any],
    target: float,
    origins: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[float]]:
    """HQ activations, deadline outcomes and awareness delays from the
    engine's run metrics (``incident.<id>.hq``, ``.deadline``, ``.aware``;
    times there count from the incident's onset, here from the start, and
    the delays from the incident's origin: its first warning or its onset)."""
    origins = origins or {}
    acts: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    aware: list[float] = []
    incidents = metrics.get("incident")
    if not isinstance(incidents, Mapping):
        return acts, rows, aware
    for ident in sorted(incidents):
        record = incidents[ident]
        if not isinstance(record, Mapping):
            continue
        onset = float(record.get("onset") or 0.0)
        origin, basis = origin_of(origins, ident, onset)
        assert origin is not None
        required = record.get("required_level")

        def at(value: Any, onset: float = onset) -> float | None:
            return None if value is None else r1(onset + float(value))

        if record.get("aware") is not None:
            aware.append(max(0.0, onset + float(record["aware"]) - origin))
        hqs = record.get("hq") if isinstance(record.get("hq"), Mapping) else {}
        assert isinstance(hqs, Mapping)
        for command in sorted(hqs):
            hq = hqs[command]
            row = {
                "command": command,
                "incident": ident,
                "level": hq.get("level"),
                "notified": at(hq.get("notified")),
                "activated": at(hq.get("activated")),
            }
            acts.append(_activation_row(row, origin, basis, required, target))
        deadlines_of = record.get("deadline") if isinstance(record.get("deadline"), Mapping) else {}
        assert isinstance(deadlines_of, Mapping)
        for name in sorted(deadlines_of):
            d = deadlines_of[name]
            rows.append(
                {
                    "id": name,
                    "name": name,
                    "incident": ident,
                    "by": d.get("actor"),
                    "due": at(d.get("due")),
                    "done": at(d.get("done")),
                    "slack": r1(d.get("slack")),
                    "status": "met" if d.get("met") else "missed",
                }
            )
    acts.sort(key=lambda a: (a["activated"] is None, a["activated"] or 0.0, a["command"]))
    return acts, rows, aware
