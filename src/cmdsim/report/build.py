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

SCHEMA = "cmdsim.report/1"

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
    "onset": "onset",
    "signal": "signal",
    "aware": "aware",
    "level_decided": "level",
    "level_escalated": "level",
    "level_deescalated": "level",
    "response_closed": "level",
    "hq_notified": "notify",
    "hq_activated": "activated",
    "hq_deactivated": "deactivated",
    "takeover": "takeover",
    "takeover_declined": "takeover",
    "plan_handed_over": "handover",
    "task_done": "deadline",
    "report_sent": "deadline",
    "inject": "inject",
    "decision": "decision",
}
"""The report's category of each event kind the engine and the drill driver
write.  The rest (``hq_level_changed``, ``unit_notified``, ``post_filled``,
reports received and merged, …) is ``other``: shown in critical paths, never
as a bar.  ``tests/report`` checks that every kind the engine emits is listed
here or meant to be ``other``."""

OTHER_KINDS = frozenset(
    {
        "severity",
        "report_received",
        "report_merged",
        "report_update",
        "report_forwarded",
        "unit_notified",
        "hq_level_changed",
        "hq_active_for",
        "hq_joined",
        "hq_released",
        "post_filled",
        "post_unfilled",
        "task_assigned",
        "task_started",
        "takeover_triggered",
        "hand_over_requested",
        "escalation_requested",
        "level_held",
        "no_plan",
        "no_lead",
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
) -> list[dict[str, Any]]:
    """One row per HQ and incident: when notified, when activated, at which level."""
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
        delay = None
        if row["activated"] is not None and onset is not None:
            delay = r1(row["activated"] - onset)
        need = required.get(inc) if inc else None
        under = bool(need and row["level"] and Level.parse(row["level"]) < Level.parse(need))
        late = row["activated"] is None or (delay is not None and delay > target) or under
        out.append({**row, "required": need, "delay": delay, "target": r1(target), "late": late})
    out.sort(key=lambda a: (a["activated"] is None, a["activated"] or 0.0, a["command"]))
    return out


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
        if t > until + 1e-9:
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
    """What was missed and why, with the critical path of each late activation."""
    items: list[dict[str, Any]] = []
    for a in acts:
        if not a["late"]:
            continue
        until = a["activated"] if a["activated"] is not None else math.inf
        path = critical_path(events, a["incident"], until, a["command"])
        if a["activated"] is None:
            what = f"{a['command']} was not activated for {a['incident'] or 'the incident'}"
        else:
            what = (
                f"{a['command']} activated at {a['activated']:.1f} min for {a['incident'] or '–'}"
            )
        reasons = []
        if a["delay"] is not None and a["delay"] > a["target"]:
            reasons.append(f"{a['delay']:.1f} min after onset, target {a['target']:.1f} min")
        if (
            a.get("required")
            and a.get("level")
            and Level.parse(a["level"]) < Level.parse(a["required"])
        ):
            reasons.append(f"at level {a['level']} where the plan requires {a['required']}")
        gaps = [s for s in path if s["gap"] is not None]
        if gaps:
            worst = max(gaps, key=lambda s: s["gap"])
            index = path.index(worst)
            before = path[index - 1]["kind"]
            reasons.append(
                f"longest wait {worst['gap']:.1f} min between {before} and {worst['kind']}"
            )
        items.append(
            {
                "id": f"activation:{a['command']}:{a['incident']}",
                "what": what,
                "why": "; ".join(reasons) or "not activated",
                "path": path,
            }
        )
    for d in dls:
        if d["status"] != "missed":
            continue
        why = (
            f"done {d['done']:.1f} min, due {d['due']:.1f} min"
            if d.get("done") is not None and d.get("due") is not None
            else "not done in time"
        )
        if d.get("slack") is not None:
            why += f" (slack {d['slack']:.1f} min)"
        items.append(
            {
                "id": f"deadline:{d['id']}:{d['incident']}",
                "what": f"{d['name']} ({d['incident'] or '–'}) missed",
                "why": why,
                "path": [],
            }
        )
    for v in verdicts:
        if v["status"] in ("missed", "not_triggered"):
            why = (
                "the expected action did not come in time"
                if v["status"] == "missed"
                else "its start never happened"
            )
            if v.get("elapsed") is not None:
                why += f" (took {v['elapsed']:.1f} min)"
            items.append(
                {"id": f"criterion:{v['criterion']}", "what": v["text"], "why": why, "path": []}
            )
    return items


def from_metrics(
    metrics: Mapping[str, Any], target: float
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[float]]:
    """HQ activations, deadline outcomes and awareness delays from the
    engine's run metrics (``incident.<id>.hq``, ``.deadline``, ``.aware``;
    times there count from the incident's onset, here from the start)."""
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
        required = record.get("required_level")

        def at(value: Any, onset: float = onset) -> float | None:
            return None if value is None else r1(onset + float(value))

        if record.get("aware") is not None:
            aware.append(float(record["aware"]))
        hqs = record.get("hq") if isinstance(record.get("hq"), Mapping) else {}
        assert isinstance(hqs, Mapping)
        for command in sorted(hqs):
            hq = hqs[command]
            level = hq.get("level")
            delay = r1(hq["activated"]) if hq.get("activated") is not None else None
            under = bool(
                required and level and Level.parse(str(level)) < Level.parse(str(required))
            )
            acts.append(
                {
                    "command": command,
                    "incident": ident,
                    "level": level,
                    "required": required,
                    "notified": at(hq.get("notified")),
                    "activated": at(hq.get("activated")),
                    "delay": delay,
                    "target": r1(target),
                    "late": delay is None or delay > target or under,
                }
            )
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
) -> dict[str, Any]:
    """The report as plain data (see the module docstring)."""
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
    acts = activations(events, commands, required or {}, target)
    dls = [dict(d) for d in deadline_rows] if deadline_rows is not None else deadlines(events)
    metric_aware: list[float] = []
    if metrics:
        m_acts, m_rows, metric_aware = from_metrics(metrics, target)
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
    aware_delays = metric_aware or [aware[i] - onsets[i] for i in aware if i in onsets]
    summary: dict[str, Any] = {}
    if events:
        summary["events"] = len(events)
    # Warned hazards are known before onset (negative delays), so the
    # median and the slowest incident say more than the quickest.
    summary["aware"] = r1(statistics.median(aware_delays)) if aware_delays else None
    summary["aware_worst"] = r1(max(aware_delays)) if aware_delays else None
    delays = [a["delay"] for a in acts if a["delay"] is not None]
    summary["first_activation"] = r1(min(delays)) if delays else None
    summary["compliance_rate"] = comp["rate"]
    summary.update(extra_summary or {})
    return {
        "schema": SCHEMA,
        "kind": kind,
        "scenario": scenario_name or (scenario.id if scenario is not None else None),
        "seed": seed,
        "summary": summary,
        "timeline": _with_deadlines(build_timeline(events, float(end), commands, incidents), dls),
        "activations": acts,
        "distributions": dists,
        "deadlines": dls,
        "compliance": comp,
        "criteria": [dict(v) for v in verdicts],
        "decisions": [dict(d) for d in decisions],
        "coverage": dict(coverage) if coverage else None,
        "findings": [dict(f) for f in findings],
        "improvements": improvements(events, acts, dls, verdicts),
    }


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
