"""The report's timeline: a lane per incident, HQ and deadline, with bars and markers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cmdsim.report.kinds import Event, classify, command_of, details_of, level_of
from cmdsim.report.numbers import r1
from cmdsim.sim.events import EventKind


def build_timeline(
    events: Sequence[Event],
    end: float,
    commands: set[str],
    incidents: Sequence[str],
    town_rooms: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Lanes, bars and markers of the Gantt chart from the event log.

    A town room's levels (its own plan's, before a hand-over and as its
    first response) have a lane of their own: on the incident's level lane
    they would read as the district's level falling and rising again.
    """
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
            details = details_of(event)
            signal = details.get("signal")
            mark = _marker(target, t, "signal", f"{kind} {signal or ''}".strip(), None)
            # Each issuer's warning is its own: the reader is told whose it is
            # (a log written before the issuer was logged says none).
            mark["issuer"] = details.get("issuer")
            markers.append(mark)
        elif cat == "level" and inc:
            level = level_of(event)
            town = str(event.get("actor", "")) in town_rooms
            key = f"town-level:{inc}" if town else f"level:{inc}"
            if level is None and key not in level_open:
                continue
            lane(key, f"{inc} · town level" if town else f"{inc} · level", "level")
            if key in level_open:
                start, old = level_open.pop(key)
                if t > start or level is None:
                    bars.append(_bar(key, start, t, "level", f"{inc} {old}", old))
            if level is not None:
                level_open[key] = (t, level)
        elif cat == "notify":
            command = command_of(event, commands)
            if command and command in commands | ({command} if not commands else set()):
                key = lane(f"hq:{command}", command, "hq")
                if key not in active_open:  # an HQ at work for another incident
                    callout_open.setdefault(key, t)
        elif cat == "activated":
            command = command_of(event, commands)
            if command:
                key = lane(f"hq:{command}", command, "hq")
                if key in callout_open:
                    bars.append(
                        _bar(key, callout_open.pop(key), t, "callout", f"{command} call-out", None)
                    )
                if key not in active_open:
                    active_open[key] = (t, level_of(event))
        elif cat == "deactivated":
            command = command_of(event, commands)
            key = f"hq:{command}"
            if command and key in active_open:
                start, level = active_open.pop(key)
                bars.append(_bar(key, start, t, "active", f"{command} active", level))
        elif cat == "handover" and inc:
            # A town plan outgrown, or the case given back to it: marked on
            # the incident's level lane.
            key = lane(f"level:{inc}", f"{inc} · level", "level")
            details = details_of(event)
            to = details.get("to")
            if kind == EventKind.PLAN_HANDED_BACK:
                mark = _marker(key, t, "handover", f"handed back to {to}", None)
                # Why: the lead's finding on the scene and the signal's
                # lowering read alike otherwise (``None`` in older logs).
                mark["by"] = details.get("by")
                markers.append(mark)
            else:
                markers.append(_marker(key, t, "handover", f"handed over to {to}", None))
        elif cat == "takeover":
            command = command_of(event, set()) or "general"
            key = lane(f"hq:{command}", command, "hq")
            markers.append(_marker(key, t, "takeover", kind, None))
        elif cat == "deadline":
            details = details_of(event)
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
        elif cat == "inject":
            key = lane("injects", "injects", cat)
            markers.append(_marker(key, t, cat, str(details_of(event).get("text") or kind), None))
        elif cat == "decision":
            key = lane("decisions", "decisions", cat)
            details = details_of(event)
            mark = _marker(key, t, cat, str(details.get("text") or kind), None)
            # What was decided, so that the report can say it in its language
            # (the free text, when there is one, is in the player's words).
            mark["decision"] = {
                "actor": event.get("actor"),
                "incident": inc,
                "level": details.get("level"),
                "activate": details.get("activate"),
                "choice": details.get("choice"),
            }
            markers.append(mark)
    for inc, start in onsets.items():
        bars.append(_bar(f"incident:{inc}", start, end, "incident", inc, None))
    for key, (start, level) in level_open.items():
        inc_of = key.partition(":")[2]
        bars.append(_bar(key, start, end, "level", f"{inc_of} {level}", level))
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


def report_timeline(
    events: Sequence[Event],
    timeline_events: Sequence[Event] | None,
    end: float,
    commands: set[str],
    incidents: Sequence[str],
    dls: Sequence[Mapping[str, Any]],
    town_rooms: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """The report's timeline: from the whole log with the deadline rows'
    outcomes, or from ``timeline_events`` (a batch's representative run)."""
    if timeline_events is None:
        return _with_deadlines(build_timeline(events, end, commands, incidents, town_rooms), dls)
    shown = sorted(timeline_events, key=lambda e: float(e.get("time", 0.0)))
    last = max((float(e.get("time", 0.0)) for e in shown), default=end)
    # A batch's deadline rows are rates, not one run's outcomes: the
    # replication's own deadline events place its markers.
    return build_timeline(shown, min(end, max(last * 1.05, 1.0)), commands, incidents, town_rooms)


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
