"""Build the report's data (plain JSON-able dicts) from a run's event log and
metrics, a batch summary, or an exercise log.

Everything the renderers show comes from the dict :func:`build_report`
returns; numbers are rounded here, once (minutes to 0.1), so every format
prints the same values.

The event log is read as plain records with ``time``, ``actor``, ``kind``,
``incident`` and ``details``; each kind falls in one of the report's
categories (:data:`KINDS`).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from cmdsim.model import Level
from cmdsim.sim.events import EventKind

SCHEMA = "cmdsim.report/2"

ACTIVATION_TARGET = 60.0
"""Minutes from onset within which an HQ counts as activated in time, unless
the run's metrics or the exercise criteria say otherwise (the 60-minute target
for lead staff of US public-health emergency operations)."""

Event = Mapping[str, Any]


def r1(value: Any) -> float | None:
    """Minutes rounded to 0.1, the precision every format shows."""
    if value is None:
        return None
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return round(number, 1) + 0.0


KINDS: Mapping[str, str] = {
    EventKind.ONSET: "onset",
    EventKind.SIGNAL: "signal",
    EventKind.AWARE: "aware",
    EventKind.LEVEL_DECIDED: "level",
    EventKind.LEVEL_ESCALATED: "level",
    EventKind.LEVEL_DEESCALATED: "level",
    EventKind.RESPONSE_CLOSED: "level",
    EventKind.HQ_NOTIFIED: "notify",
    EventKind.HQ_ACTIVATED: "activated",
    EventKind.HQ_DEACTIVATED: "deactivated",
    EventKind.TAKEOVER: "takeover",
    EventKind.TAKEOVER_DECLINED: "takeover",
    EventKind.PLAN_HANDED_OVER: "handover",
    EventKind.TASK_DONE: "deadline",
    EventKind.REPORT_SENT: "deadline",
    EventKind.INJECT: "inject",
    EventKind.DECISION: "decision",
}
"""The report's category of each event kind the engine and the drill driver
write.  The rest (``hq_level_changed``, ``unit_notified``, ``post_filled``,
reports received and merged, …) is ``other``: shown in critical paths, never
as a bar.  ``tests/report`` checks that every kind the engine emits is listed
here or meant to be ``other``."""

OTHER_KINDS = frozenset(
    {
        EventKind.SEVERITY,
        EventKind.REPORT_RECEIVED,
        EventKind.REPORT_MERGED,
        EventKind.REPORT_UPDATE,
        EventKind.REPORT_FORWARDED,
        EventKind.FALSE_ALARM_SENT,
        EventKind.DUPLICATE_SENT,
        EventKind.FALSE_ALARM_DISCARDED,
        EventKind.DUPLICATE_DISCARDED,
        EventKind.UNIT_NOTIFIED,
        EventKind.HQ_LEVEL_CHANGED,
        EventKind.HQ_ACTIVE_FOR,
        EventKind.HQ_JOINED,
        EventKind.HQ_RELEASED,
        EventKind.POST_FILLED,
        EventKind.POST_UNFILLED,
        EventKind.TASK_ASSIGNED,
        EventKind.TASK_STARTED,
        EventKind.TAKEOVER_TRIGGERED,
        EventKind.HAND_OVER_REQUESTED,
        EventKind.ESCALATION_REQUESTED,
        EventKind.LEVEL_HELD,
        EventKind.NO_PLAN,
        EventKind.NO_LEAD,
        EventKind.REPORT_ARRIVED,
        EventKind.WARNING_CONFIRMED,
        EventKind.INCIDENT_MERGED,
        EventKind.TWO_LEADS,
        EventKind.OVER_RESPONSE,
        EventKind.COMMITTEE_NOTIFIED,
        EventKind.COMMITTEE_CONVENED,
        EventKind.COMMUNITY_WAITING,
        EventKind.COMMUNITY_ACTING,
        EventKind.COMMUNITY_REPORTED,
        EventKind.COMMUNITY_ACTION_DONE,
    }
)
"""Engine kinds the report shows only as steps of a critical path."""


def classify(kind: str) -> str:
    """The report's category of an event kind (see :data:`KINDS`).

    One of ``onset``, ``signal``, ``aware``, ``level``, ``handover``,
    ``notify``, ``activated``, ``deactivated``, ``takeover``, ``deadline``,
    ``inject``, ``decision`` or ``other``.

    >>> classify("level_escalated"), classify("hq_level_changed")
    ('level', 'other')
    """
    return KINDS.get(kind, "other")


def _details(event: Event) -> Mapping[str, Any]:
    details = event.get("details")
    return details if isinstance(details, Mapping) else {}


def _command_of(event: Event, commands: set[str]) -> str | None:
    details = _details(event)
    for key in ("command", "hq"):
        if isinstance(details.get(key), str):
            return str(details[key])
    actor = event.get("actor")
    if isinstance(actor, str) and (not commands or actor in commands):
        return actor
    return None


def _level_of(event: Event) -> str | None:
    details = _details(event)
    for key in ("level", "to", "new_level"):
        value: Any = details.get(key)
        if isinstance(value, str):
            try:
                return Level.parse(value).value
            except ValueError:
                continue
    return None


def build_timeline(
    events: Sequence[Event], end: float, commands: set[str], incidents: Sequence[str]
) -> dict[str, Any]:
    """Lanes, bars and markers of the Gantt chart from the event log."""
    lanes: list[dict[str, Any]] = []
    lane_ids: set[str] = set()

    def lane(ident: str, label: str, group: str) -> str:
        if ident not in lane_ids:
            lane_ids.add(ident)
            lanes.append({"id": ident, "label": label, "group": group})
        return ident

    bars: list[dict[str, Any]] = []
    markers: list[dict[str, Any]] = []
    onsets: dict[str, float] = {}
    for ident in incidents:
        lane(f"incident:{ident}", ident, "incident")
    level_open: dict[str, tuple[float, str]] = {}
    callout_open: dict[str, float] = {}
    active_open: dict[str, tuple[float, str | None]] = {}
    for event in events:
        t = float(event.get("time", 0.0))
        kind = str(event.get("kind", ""))
        cat = classify(kind)
        incident = event.get("incident")
        inc = str(incident) if incident else None
        if cat == "onset" and inc and inc not in onsets:
            onsets[inc] = t
            lane(f"incident:{inc}", inc, "incident")
        elif cat == "signal":
            target = f"incident:{inc}" if inc else lane("signals", "signals", "incident")
            if inc:
                lane(target, inc, "incident")
            signal = _details(event).get("signal")
            markers.append(_marker(target, t, "signal", f"{kind} {signal or ''}".strip(), None))
        elif cat == "level" and inc:
            level = _level_of(event)
            key = f"level:{inc}"
            if level is None and key not in level_open:
                continue
            lane(key, f"{inc} · level", "level")
            if key in level_open:
                start, old = level_open.pop(key)
                if t > start or level is None:
                    bars.append(_bar(key, start, t, "level", f"{inc} {old}", old))
            if level is not None:
                level_open[key] = (t, level)
        elif cat == "notify":
            command = _command_of(event, commands)
            if command and command in commands | ({command} if not commands else set()):
                key = lane(f"hq:{command}", command, "hq")
                if key not in active_open:  # an HQ at work for another incident
                    callout_open.setdefault(key, t)
        elif cat == "activated":
            command = _command_of(event, commands)
            if command:
                key = lane(f"hq:{command}", command, "hq")
                if key in callout_open:
                    bars.append(
                        _bar(key, callout_open.pop(key), t, "callout", f"{command} call-out", None)
                    )
                if key not in active_open:
                    active_open[key] = (t, _level_of(event))
        elif cat == "deactivated":
            command = _command_of(event, commands)
            key = f"hq:{command}"
            if command and key in active_open:
                start, level = active_open.pop(key)
                bars.append(_bar(key, start, t, "active", f"{command} active", level))
        elif cat == "handover" and inc:
            # A town plan outgrown: marked on the incident's level lane.
            key = lane(f"level:{inc}", f"{inc} · level", "level")
            to = _details(event).get("to")
            markers.append(_marker(key, t, "handover", f"handed over to {to}", None))
        elif cat == "takeover":
            command = _command_of(event, set()) or "general"
            key = lane(f"hq:{command}", command, "hq")
            markers.append(_marker(key, t, "takeover", kind, None))
        elif cat == "deadline":
            details = _details(event)
            met = details.get("met")
            if met is None:
                # The outcome comes from the deadline rows (``_with_deadlines``).
                continue
            status = "met" if met else "missed"
            target = f"incident:{inc}" if inc else lane("deadlines", "deadlines", "deadline")
            if inc:
                lane(target, inc, "incident")
            name = str(details.get("deadline") or details.get("name") or kind)
            markers.append(_marker(target, t, "deadline", name, status))
        elif cat in ("inject", "decision"):
            key = lane(cat + "s", cat + "s", cat)
            markers.append(_marker(key, t, cat, str(_details(event).get("text") or kind), None))
    for inc, start in onsets.items():
        bars.append(_bar(f"incident:{inc}", start, end, "incident", inc, None))
    for key, (start, level) in level_open.items():
        bars.append(_bar(key, start, end, "level", f"{key[6:]} {level}", level))
    for key, start in callout_open.items():
        bars.append(_bar(key, start, end, "callout", f"{key[3:]} call-out", None))
    for key, (start, active_level) in active_open.items():
        bars.append(_bar(key, start, end, "active", f"{key[3:]} active", active_level))
    order = {"incident": 0, "level": 1, "hq": 2, "deadline": 3, "inject": 4, "decision": 5}
    lanes.sort(key=lambda x: order.get(x["group"], 9))
    bars.sort(key=lambda b: (b["lane"], b["start"], b["kind"]))
    markers.sort(key=lambda m: (m["time"], m["lane"], m["kind"]))
    return {"end": r1(end), "lanes": lanes, "bars": bars, "markers": markers}


def _bar(
    lane: str, start: float, end: float, kind: str, label: str, level: str | None
) -> dict[str, Any]:
    return {
        "lane": lane,
        "start": r1(start),
        "end": r1(end),
        "kind": kind,
        "label": label,
        "level": level,
    }


def _marker(lane: str, t: float, kind: str, label: str, status: str | None) -> dict[str, Any]:
    return {"lane": lane, "time": r1(t), "kind": kind, "label": label, "status": status}


def activations(
    events: Sequence[Event],
    commands: set[str],
    required: Mapping[str, str | None],
    target: float,
    origins: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """One row per HQ and incident: when notified, when activated, at which
    level, and the minutes from the incident's origin (see :func:`_origin`)."""
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
        command = _command_of(event, commands)
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
            row["level"] = _level_of(event)
    out = []
    for (_command, inc), row in rows.items():
        onset = onsets.get(inc) if inc else None
        origin, basis = _origin(origins, inc, onset)
        need = required.get(inc) if inc else None
        out.append(_activation_row(row, origin, basis, need, target))
    out.sort(key=lambda a: (a["activated"] is None, a["activated"] or 0.0, a["command"]))
    return out


def _origin(
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
        d = _details(event)
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


def distribution(name: str, values: Iterable[float], bins: int = 12) -> dict[str, Any]:
    """Summary statistics and a histogram of a sample of minutes."""
    xs = sorted(float(v) for v in values if v is not None and not math.isnan(float(v)))
    if not xs:
        return {
            "name": name,
            "n": 0,
            "mean": None,
            "p50": None,
            "p90": None,
            "p95": None,
            "min": None,
            "max": None,
            "bins": [],
        }

    def q(p: float) -> float:
        pos = p * (len(xs) - 1)
        lo = math.floor(pos)
        hi = min(lo + 1, len(xs) - 1)
        return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)

    lo, hi = xs[0], xs[-1]
    width = (hi - lo) / bins if hi > lo else 1.0
    counts = [0] * bins
    for x in xs:
        counts[min(bins - 1, int((x - lo) / width))] += 1
    return {
        "name": name,
        "n": len(xs),
        "mean": r1(sum(xs) / len(xs)),
        "p50": r1(q(0.5)),
        "p90": r1(q(0.9)),
        "p95": r1(q(0.95)),
        "min": r1(lo),
        "max": r1(hi),
        "bins": [
            {"lo": r1(lo + i * width), "hi": r1(lo + (i + 1) * width), "count": counts[i]}
            for i in range(bins)
        ],
    }


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
        steps.append({"time": r1(t), "actor": str(actor or ""), "kind": kind, "gap": None})
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
        details = _details(event)
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
                    "path": [],
                }
            )
    return items


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
        origin, basis = _origin(origins, ident, onset)
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


def build_report(
    *,
    kind: str,
    events: Sequence[Event] = (),
    scenario: Any = None,
    scenario_name: str | None = None,
    seed: int | None = None,
    end: float | None = None,
    samples: Mapping[str, Sequence[float]] | None = None,
    distributions: Sequence[Mapping[str, Any]] = (),
    deadline_rows: Sequence[Mapping[str, Any]] | None = None,
    verdicts: Sequence[Mapping[str, Any]] = (),
    decisions: Sequence[Mapping[str, Any]] = (),
    coverage: Mapping[str, Any] | None = None,
    findings: Sequence[Mapping[str, Any]] = (),
    required: Mapping[str, str | None] | None = None,
    target: float = ACTIVATION_TARGET,
    extra_summary: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    msel: Mapping[str, Any] | None = None,
    facts: Mapping[str, Any] | None = None,
    play: Sequence[str] = (),
    timeline_events: Sequence[Event] | None = None,
) -> dict[str, Any]:
    """The report as plain data (see the module docstring).

    ``msel`` is the exercise's MSEL as its log records it (injects with the
    expected action and objective, criteria); ``facts`` the exercise's facts
    and the facilitator's edits of the improvement plan
    (:mod:`cmdsim.report.facts`).  ``timeline_events`` draw the timeline
    only (a batch's representative replication), nothing else.
    """
    from cmdsim.report.context import context_of

    context = context_of(scenario)
    origins = context["incidents"]
    events = sorted(events, key=lambda e: float(e.get("time", 0.0)))
    commands: set[str] = set()
    incidents: list[str] = []
    if scenario is not None:
        commands = {c.id for c in scenario.district.commands}
        incidents = [i.id for i in scenario.incidents]
        if end is None:
            end = float(scenario.horizon)
    last = max((float(e.get("time", 0.0)) for e in events), default=0.0)
    if end is None or (end > max(last * 1.05, 1.0) and events):
        end = max(last * 1.05, 1.0)
    acts = activations(events, commands, required or {}, target, origins)
    dls = [dict(d) for d in deadline_rows] if deadline_rows is not None else deadlines(events)
    metric_aware: list[float] = []
    if metrics:
        m_acts, m_rows, metric_aware = from_metrics(metrics, target, origins)
        if m_acts:
            acts = m_acts
        if m_rows:
            dls = m_rows
    comp = compliance(dls)
    dists = [distribution(name, values) for name, values in sorted((samples or {}).items())]
    dists += [dict(d) for d in distributions]
    onsets: dict[str, float] = {}
    aware: dict[str, float] = {}
    for event in events:
        inc = event.get("incident")
        cat = classify(str(event.get("kind", "")))
        if inc and cat == "onset":
            onsets.setdefault(str(inc), float(event["time"]))
        if inc and cat == "aware":
            aware.setdefault(str(inc), float(event["time"]))
    aware_delays = metric_aware or [
        max(0.0, aware[i] - (_origin(origins, i, onsets.get(i))[0] or 0.0))
        for i in aware
        if i in onsets or i in origins
    ]
    summary: dict[str, Any] = {}
    if events:
        summary["events"] = len(events)
    # Every figure counts from the incident's origin (first warning or
    # onset), so none is negative; the median and the slowest incident say
    # more than the quickest.
    summary["aware"] = r1(statistics.median(aware_delays)) if aware_delays else None
    summary["aware_worst"] = r1(max(aware_delays)) if aware_delays else None
    delays = [a["delay"] for a in acts if a["delay"] is not None]
    summary["first_activation"] = r1(min(delays)) if delays else None
    summary["compliance_rate"] = comp["rate"]
    summary.update(extra_summary or {})
    for key in ("aware", "aware_worst", "first_activation", "compliance_rate"):
        if summary.get(key) is None:
            summary.pop(key, None)
    items = improvements(events, acts, dls, verdicts)
    injects = (
        inject_rows(
            events, msel or {}, verdicts, scenario, (facts or {}).get("ratings", {}), decisions
        )
        if kind == "exercise"
        else []
    )
    return {
        "schema": SCHEMA,
        "kind": kind,
        "scenario": scenario_name or (scenario.id if scenario is not None else None),
        "seed": seed,
        "context": context,
        "summary": summary,
        "timeline": _timeline(events, timeline_events, float(end), commands, incidents, dls),
        "activations": acts,
        "distributions": dists,
        "deadlines": dls,
        "compliance": comp,
        "criteria": [dict(v) for v in verdicts],
        "injects": injects,
        "decisions": [dict(d) for d in decisions],
        "coverage": dict(coverage) if coverage else None,
        "findings": [dict(f) for f in findings],
        "improvements": items,
        "plan": improvement_plan(items, context, (facts or {}).get("improvements", ()), play),
        "facts": exercise_facts(facts or {}, play) if kind == "exercise" else None,
    }


RESPONSE_KINDS = (
    EventKind.DECISION,
    EventKind.LEVEL_DECIDED,
    EventKind.LEVEL_ESCALATED,
    EventKind.LEVEL_DEESCALATED,
    EventKind.HQ_NOTIFIED,
    EventKind.HQ_ACTIVATED,
    EventKind.REPORT_SENT,
    EventKind.TASK_DONE,
    EventKind.TAKEOVER,
    EventKind.TAKEOVER_DECLINED,
    EventKind.PLAN_HANDED_OVER,
)
"""What counts as a response to an inject in its evidence."""

EVIDENCE_MAX = 6
EVIDENCE_WINDOW = 120.0
"""Minutes after an inject within which responses are its evidence, unless
the next inject of the same hazard comes first."""


def inject_rows(
    events: Sequence[Event],
    msel: Mapping[str, Any],
    verdicts: Sequence[Mapping[str, Any]],
    scenario: Any,
    ratings: Mapping[str, Mapping[str, Any]],
    decisions: Sequence[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    """Per inject delivered: the expected action and the objective (from the
    MSEL, else the scenario's inject), what happened after it (the first
    responses, with times and who), and met / partly / missed: from the
    criteria that start at it, else the facilitator's rating."""
    planned: dict[str, dict[str, Any]] = {}
    if scenario is not None:
        for inject in getattr(scenario, "injects", ()):
            planned[inject.id] = {
                "from": inject.source,
                "to": inject.to,
                "message": inject.message,
                "expect": inject.expect,
                "objective": inject.objective,
                "hazard": inject.hazard,
            }
    for entry in msel.get("injects") or ():
        if isinstance(entry, Mapping) and entry.get("id"):
            planned[str(entry["id"])] = dict(entry)
    by_inject: dict[str, list[Mapping[str, Any]]] = {}
    criteria = {str(c.get("id")): c for c in msel.get("criteria") or () if isinstance(c, Mapping)}
    for v in verdicts:
        after = (criteria.get(str(v.get("criterion"))) or {}).get("after")
        if isinstance(after, Mapping) and after.get("inject"):
            by_inject.setdefault(str(after["inject"]), []).append(v)
    hazard_of: dict[str, str] = {}
    if scenario is not None:
        hazard_of = {i.id: i.hazard for i in scenario.incidents}
    delivered = [e for e in events if e.get("kind") == EventKind.INJECT]
    # Who decided: the player named in the log's decision record, matched
    # to the engine's decision event by incident and time.
    players = {
        (d.get("incident"), d.get("time")): str(d["player"]) for d in decisions if d.get("player")
    }
    rows = []
    for index, event in enumerate(delivered):
        details = _details(event)
        ident = str(details.get("inject") or f"inject{index + 1}")
        plan = planned.get(ident, {})
        t = float(event.get("time", 0.0))
        hazard = plan.get("hazard") or details.get("hazard")
        later = [
            float(e.get("time", 0.0))
            for e in delivered[index + 1 :]
            if not hazard or _details(e).get("hazard") in (None, hazard)
        ]
        until = min([t + EVIDENCE_WINDOW, *[x for x in later if x > t]])
        evidence = []
        for e in events:
            te = float(e.get("time", 0.0))
            if te < t or te > until or e.get("kind") not in RESPONSE_KINDS:
                continue
            inc = e.get("incident")
            if hazard and inc and hazard_of.get(str(inc), hazard) != hazard:
                continue
            evidence.append(_evidence(e, players))
            if len(evidence) >= EVIDENCE_MAX:
                break
        linked = by_inject.get(ident, [])
        status, basis = _inject_status(linked)
        rating = ratings.get(ident)
        if rating:
            status, basis = str(rating["status"]), "facilitator"
        rows.append(
            {
                "id": ident,
                "time": r1(t),
                "from": str(plan.get("from") or event.get("actor") or ""),
                "to": str(plan.get("to") or details.get("to") or ""),
                "message": str(plan.get("message") or details.get("text") or ""),
                "expect": str(plan.get("expect") or "") or None,
                "objective": str(plan.get("objective") or "") or None,
                "criteria": [
                    {
                        "criterion": v["criterion"],
                        "status": v["status"],
                        "at": r1(v.get("at")),
                        "deadline": r1(v.get("deadline")),
                        "elapsed": r1(v.get("elapsed")),
                    }
                    for v in linked
                ],
                "evidence": evidence,
                "status": status,
                "rated_by": basis,
                "note": (rating or {}).get("note"),
            }
        )
    return rows


def _evidence(event: Event, players: Mapping[tuple[Any, Any], str]) -> dict[str, Any]:
    details = _details(event)
    player = None
    if event.get("kind") == EventKind.DECISION:
        player = players.get((event.get("incident"), r1(event.get("time"))))
    return {
        "player": player,
        "time": r1(event.get("time")),
        "actor": str(event.get("actor") or ""),
        "kind": str(event.get("kind")),
        "incident": event.get("incident"),
        "level": _level_of(event),
        "command": details.get("command") or details.get("hq"),
        "deadline": details.get("deadline") or details.get("task") or details.get("report"),
        "activate": list(details.get("activate") or []) or None,
    }


def _inject_status(linked: Sequence[Mapping[str, Any]]) -> tuple[str, str | None]:
    """met / partly / missed from the criteria starting at an inject: all met
    is met; some met, or a missed one done late, is partly; else missed.
    Criteria not yet decided, or none, leave it not rated."""
    decided = [v for v in linked if v["status"] in ("met", "missed")]
    if not decided:
        return "not_rated", None
    met = sum(v["status"] == "met" for v in decided)
    late = sum(v["status"] == "missed" and v.get("at") is not None for v in decided)
    if met == len(decided):
        return "met", "criteria"
    if met or late:
        return "partly", "criteria"
    return "missed", "criteria"


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
        hazard = (origins.get(str(item.get("incident"))) or {}).get("hazard")
        row: dict[str, Any] = {
            "id": item["id"],
            "kind": item["kind"],
            "issue": None,
            "action": None,
            "capability": None,
            "unit": None,
            "due": None,
            "plan": None,
            "level": None,
            "source": "report",
        }
        if item["kind"] == "activation":
            lead = clause(clauses, "lead", str(item["command"]), None)
            row.update(plan=lead.get("plan"), level=item.get("required") or item.get("level"))
            row["unit"] = lead.get("unit")
        elif item["kind"] in ("deadline", "deadline_rate"):
            found = clause(clauses, "deadline", str(item["deadline"]).split(".")[-1], hazard)
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
            row = {
                "id": ident,
                "kind": "facilitator",
                "issue": None,
                "action": None,
                "capability": None,
                "unit": None,
                "due": None,
                "plan": None,
                "level": None,
                "source": "facilitator",
            }
            rows.append(row)
            index[ident] = row
        for key in ("issue", "action", "capability", "unit", "due"):
            if edit.get(key) is not None:
                row[key] = edit[key]
        if row["source"] == "report":
            row["source"] = "edited"
    return rows


def exercise_facts(facts: Mapping[str, Any], play: Sequence[str]) -> dict[str, Any]:
    """The exercise's facts with a participant row per role played when the
    facilitator named none, and a sign-off block with blank lines to sign."""
    participants = list(facts.get("participants") or [])
    if not participants:
        participants = [{"name": None, "unit": None, "role": role} for role in play]
    signoff = list(facts.get("signoff") or [])
    if not signoff:
        signoff = [
            {"title": "prepared", "name": facts.get("facilitator"), "date": None},
            {"title": "approved", "name": None, "date": None},
        ]
    return {
        "date": facts.get("date"),
        "place": facts.get("place"),
        "facilitator": facts.get("facilitator"),
        "participants": participants,
        "notes": facts.get("notes"),
        "observations": list(facts.get("observations") or []),
        "signoff": signoff,
    }


def _timeline(
    events: Sequence[Event],
    timeline_events: Sequence[Event] | None,
    end: float,
    commands: set[str],
    incidents: Sequence[str],
    dls: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    if timeline_events is None:
        return _with_deadlines(build_timeline(events, end, commands, incidents), dls)
    shown = sorted(timeline_events, key=lambda e: float(e.get("time", 0.0)))
    last = max((float(e.get("time", 0.0)) for e in shown), default=end)
    # A batch's deadline rows are rates, not one run's outcomes: the
    # replication's own deadline events place its markers.
    return build_timeline(shown, min(end, max(last * 1.05, 1.0)), commands, incidents)


def _with_deadlines(timeline: dict[str, Any], rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Deadline outcomes as markers on their incident's lane (when done, or
    when due if never done), unless the event log already placed them."""
    if any(m["kind"] == "deadline" and m["status"] for m in timeline["markers"]):
        return timeline
    lanes = {lane["id"] for lane in timeline["lanes"]}
    markers = list(timeline["markers"])
    for row in rows:
        when = row.get("done") if row.get("done") is not None else row.get("due")
        lane = f"incident:{row.get('incident')}"
        if when is None or lane not in lanes:
            continue
        markers.append(_marker(lane, when, "deadline", str(row["name"]), str(row["status"])))
    markers.sort(key=lambda m: (m["time"], m["lane"], m["kind"]))
    return {**timeline, "markers": markers}


def comparison(data: Mapping[str, Any]) -> dict[str, Any]:
    """A sweep's or a sensitivity ranking's comparison with the base, as rows.

    ``data`` is ``sweep.json`` (``variants``) or ``sensitivity.json``
    (``ranking``), as :mod:`cmdsim.analysis.sweep` writes them.  A sweep row
    is a variant: its mean, its difference from the base and that
    difference's 95 % interval (``low``–``high``, common random numbers).  A
    sensitivity row is a parameter: the difference at its low and at its
    high setting (``None`` where the model refused the change), ranked by
    ``swing``.
    """
    base = data["base"]
    mode = "sensitivity" if "ranking" in data else "sweep"
    rows: list[dict[str, Any]] = []
    if mode == "sweep":
        for variant in data["variants"]:
            low, high = variant["diff_ci95"]
            rows.append(
                {
                    "label": str(variant["label"]),
                    "mean": r1(variant["mean"]),
                    "diff": r1(variant["diff"]),
                    "low": r1(low),
                    "high": r1(high),
                    "missing": int(variant["missing"]),
                }
            )
    else:
        for row in data["ranking"]:
            sides = {side: row.get(side) for side in ("low", "high")}
            rows.append(
                {
                    "label": str(row["parameter"]),
                    "kind": str(row.get("kind", "")),
                    **{side: r1(s["diff"]) if s else None for side, s in sides.items()},
                    **{f"{side}_label": s["label"] if s else None for side, s in sides.items()},
                    "swing": r1(row.get("swing")),
                }
            )
    return {
        "mode": mode,
        "metric": str(data["metric"]),
        "n": int(data["n"]),
        "base_mean": r1(base["mean"]),
        "rows": rows,
    }
