"""What to improve: critical paths of late activations and the improvement plan."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from cmdsim.model import Level
from cmdsim.report.kinds import Event, classify, details_of
from cmdsim.report.numbers import r1
from cmdsim.sim.events import EventKind


def critical_path(
    events: Sequence[Event], incident: str | None, until: float, command: str | None
) -> list[dict[str, Any]]:
    """The chain of first-time milestones of an incident up to ``until``.

    Each step is the first event of its kind for the incident (and the HQ's
    own events), with ``gap`` the minutes since the previous step: the
    longest gap is where the time went.
    """
    seen: set[str] = set()
    steps: list[dict[str, Any]] = []
    for event in events:
        t = float(event.get("time", 0.0))
        if t > until + 0.05:  # ``until`` is rounded to 0.1 min
            break
        inc = event.get("incident")
        actor = event.get("actor")
        if incident is not None and inc not in (incident, None):
            continue
        if inc is None and actor != command:
            continue
        kind = str(event.get("kind", ""))
        key = f"{actor}:{kind}" if classify(kind) in ("notify", "activated") else kind
        if key in seen or (classify(kind) in ("inject", "other") and kind in seen):
            continue
        seen.add(key)
        step: dict[str, Any] = {"time": r1(t), "actor": str(actor or ""), "kind": kind, "gap": None}
        if kind == EventKind.DECISION:
            # What was decided, for the path to say it, not a bare "decision".
            details = details_of(event)
            step["decision"] = {k: details.get(k) for k in ("level", "activate", "choice")}
        steps.append(step)
    previous = None
    for step in steps:
        step["gap"] = None if previous is None else r1(step["time"] - previous)
        previous = step["time"]
    return steps


def improvements(
    events: Sequence[Event],
    acts: Sequence[Mapping[str, Any]],
    dls: Sequence[Mapping[str, Any]],
    verdicts: Sequence[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    """What was missed and why, as data (the words come with the language,
    :mod:`cmdsim.report.localize`); a late activation with its critical path
    and the longest wait on it."""
    items: list[dict[str, Any]] = []
    for a in acts:
        if not a["late"]:
            continue
        until = a["activated"] if a["activated"] is not None else math.inf
        path = critical_path(events, a["incident"], until, a["command"])
        gaps = [s for s in path if s["gap"] is not None]
        wait = None
        if gaps:
            worst = max(gaps, key=lambda s: s["gap"])
            before = path[path.index(worst) - 1]
            wait = {"gap": worst["gap"], "after": before["kind"], "before": worst["kind"]}
        items.append(
            {
                "id": f"activation:{a['command']}:{a['incident']}",
                "kind": "activation",
                "command": a["command"],
                "incident": a["incident"],
                "activated": a["activated"],
                "delay": a["delay"],
                "target": a["target"],
                "basis": a.get("basis", "onset"),
                "level": a.get("level"),
                "required": a.get("required"),
                "under": bool(
                    a.get("required")
                    and a.get("level")
                    and Level.parse(a["level"]) < Level.parse(a["required"])
                ),
                "wait": wait,
                "path": path,
            }
        )
    # Over-response, beside under-response: a level above what the plan's
    # triggers gave for what was known (the engine's ``over_response``).
    plans: dict[str, Any] = {}
    for event in events:
        kind = str(event.get("kind", ""))
        inc = event.get("incident")
        details = details_of(event)
        if kind in (EventKind.LEVEL_DECIDED, EventKind.LEVEL_ESCALATED) and inc:
            plans[str(inc)] = details.get("plan")
        if kind == EventKind.OVER_RESPONSE and inc:
            items.append(
                {
                    "id": f"over_response:{inc}:{r1(event.get('time'))}",
                    "kind": "over_response",
                    "incident": str(inc),
                    "time": r1(event.get("time")),
                    "level": details.get("level"),
                    "warranted": details.get("warranted"),
                    "by": details.get("by"),
                    "plan": plans.get(str(inc)),
                    "path": [],
                }
            )
    for d in dls:
        if d["status"] != "missed":
            continue
        if "met_count" in d:
            items.append(
                {
                    "id": f"deadline:{d['id']}",
                    "kind": "deadline_rate",
                    "deadline": d.get("deadline") or d["id"],
                    "incident": d["incident"],
                    "rate": d.get("rate"),
                    "path": [],
                }
            )
            continue
        items.append(
            {
                "id": f"deadline:{d['id']}:{d['incident']}",
                "kind": "deadline",
                "deadline": d["id"],
                "incident": d["incident"],
                "by": d.get("by"),
                "due": d.get("due"),
                "done": d.get("done"),
                "slack": d.get("slack"),
                "path": [],
            }
        )
    for v in verdicts:
        if v["status"] in ("missed", "not_triggered"):
            items.append(
                {
                    "id": f"criterion:{v['criterion']}",
                    "kind": "criterion",
                    "criterion": v["criterion"],
                    "text": v["text"],
                    "status": v["status"],
                    "elapsed": r1(v.get("elapsed")),
                    # an action before the start, or a state ended before it:
                    # neither counts
                    "early": r1(v.get("early")),
                    "ended": r1(v.get("ended")),
                    "path": [],
                }
            )
    return items


def _row(ident: Any, kind: Any, source: str) -> dict[str, Any]:
    """An improvement-plan row with its fields still empty."""
    empty = dict.fromkeys(("issue", "action", "capability", "unit", "due", "plan", "level"))
    return {"id": ident, "kind": kind, **empty, "source": source}


def improvement_plan(
    items: Sequence[Mapping[str, Any]],
    context: Mapping[str, Any],
    edits: Sequence[Mapping[str, Any]],
    play: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """The improvement plan (HSEEP's IP): one row per issue found, with the
    plan clause or capability it concerns and the responsible unit as ids
    (named with the language), the corrective action and due date left to
    the facilitator; then the facilitator's edits, in order, by ``id``."""
    from cmdsim.report.context import clause

    origins = context.get("incidents") or {}
    clauses = context.get("clauses") or {}
    rows: list[dict[str, Any]] = []
    for item in items:
        origin = origins.get(str(item.get("incident"))) or {}
        hazard, town = origin.get("hazard"), origin.get("town")
        row = _row(item["id"], item["kind"], "report")
        if item["kind"] == "activation":
            lead = clause(clauses, "lead", str(item["command"]), None)
            row.update(plan=lead.get("plan"), level=item.get("required") or item.get("level"))
            row["unit"] = lead.get("unit")
        elif item["kind"] in ("deadline", "deadline_rate"):
            found = clause(clauses, "deadline", str(item["deadline"]).split(".")[-1], hazard, town)
            row.update(plan=found.get("plan"), level=found.get("level"), unit=found.get("unit"))
        elif item["kind"] == "over_response":
            row.update(plan=item.get("plan"), level=item.get("level"), unit="district_duty_room")
        else:
            row["unit"] = "district_duty_room" if not play or "duty-room" in play else None
        rows.append(row)
    index = {row["id"]: row for row in rows}
    for edit in edits:
        ident = str(edit["id"])
        if edit.get("deleted"):
            rows = [row for row in rows if row["id"] != ident]
            index.pop(ident, None)
            continue
        existing = index.get(ident)
        if existing is not None:
            row = existing
        else:
            row = _row(ident, "facilitator", "facilitator")
            rows.append(row)
            index[ident] = row
        for key in ("issue", "action", "capability", "unit", "due"):
            if edit.get(key) is not None:
                row[key] = edit[key]
        if row["source"] == "report":
            row["source"] = "edited"
    return rows
