"""Whether a replay tells the story its exercise log told.

A log records every event of the exercise as it ran.  A replay re-runs the
exercise from the log's decisions and injects on today's engine and
scenario file; if either changed since, it gives other events and a report
built on it another story.  :func:`log_divergences` compares the two record
by record and names each difference at the log's line and field
(``event.details.level``), worded for the facilitator: ``level_decided
district_duty_room flood level II at 14:05 logged, replay gives level III
at 14:05``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any

from cmdsim.errors import Problem
from cmdsim.sim.moments import clock

SALIENT = ("level", "signal", "inject", "deadline", "task", "choice", "hq", "plan")
"""Details that say what an event was, in the order one is shown."""


def log_divergences(
    logged: Sequence[Mapping[str, Any]],
    replayed: Sequence[Mapping[str, Any]],
    start: dt.datetime,
    file: str,
) -> list[Problem]:
    """Every difference between the ``event`` and ``end`` records a log
    holds (``logged``, as :func:`~cmdsim.exercise.log.read_log` gives them)
    and those of its replay (``replayed``, as
    :meth:`~cmdsim.exercise.drill.Exercise.log_records` gives them), in the
    log's order, each at the log's line (``file``) with the field it is
    about; ``start`` (the exercise's) turns minutes into clock times.

    Empty when the replay gives the logged events, and for a log that
    records none (a served exercise not yet ended: nothing to compare).  A
    log without an ``end`` record (saved while the drill went on) is
    compared with as many of the replay's first events as it holds.
    """
    mine = [(n, r["event"]) for n, r in enumerate(logged, start=1) if _is_event(r)]
    if not mine:
        return []
    theirs = [r["event"] for r in replayed if _is_event(r)]
    end_line = next(
        (n for n, r in enumerate(logged, start=1) if r.get("type") == "end"), len(logged) + 1
    )
    if end_line > len(logged):
        # no end record: a console's log saved while the drill went on (its
        # terminal died) holds the run up to its clock, the start of the replay's
        theirs = theirs[: len(mine)]
    left = [_canonical(e) for _n, e in mine]
    right = [_canonical(e) for e in theirs]
    # autojunk off: an exercise's frequent events (reports every few
    # minutes) are its story, not noise to skip when aligning
    matcher = difflib.SequenceMatcher(None, left, right, autojunk=False)
    missing: list[tuple[int, Mapping[str, Any]]] = []  # logged, not replayed
    extra: list[tuple[int, Mapping[str, Any]]] = []  # replayed, not logged: the line before
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        missing += mine[i1:i2]
        before = mine[i2][0] if i2 < len(mine) else end_line
        extra += [(before, event) for event in theirs[j1:j2]]
    found: list[Problem] = []
    # One happening (kind, actor, incident) logged and replayed otherwise
    # is one difference, the field that moved (a time, a level), not a
    # missing event and an extra one: paired in order.
    waiting: dict[str, deque[int]] = {}
    for n, (_before, event) in enumerate(extra):
        waiting.setdefault(_key(event), deque()).append(n)
    paired: set[int] = set()
    for line, event in missing:
        twins = waiting.get(_key(event))
        if twins:
            n = twins.popleft()
            paired.add(n)
            found.append(_changed(event, extra[n][1], start, file, line))
            continue
        found.append(
            Problem(
                f"{_describe(event, start)} logged, the replay does not give it",
                "event",
                file,
                line,
            )
        )
    for before, event in (pair for n, pair in enumerate(extra) if n not in paired):
        found.append(
            Problem(
                f"the replay gives {_describe(event, start)}, which the log does not "
                "have (before this line)",
                "event",
                file,
                before,
            )
        )
    found.sort(key=lambda p: p.line or 0)
    found += _end_divergences(logged, replayed, file, end_line)
    return found


def _key(event: Mapping[str, Any]) -> str:
    return _canonical([event.get("kind"), event.get("actor"), event.get("incident")])


def _is_event(record: Mapping[str, Any]) -> bool:
    return record.get("type") == "event" and isinstance(record.get("event"), Mapping)


def _canonical(value: Any) -> str:
    # one text per value: a logged event read back and a replayed one (tuples,
    # enums as str) compare equal exactly when the log would hold the same line
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _same(a: Any, b: Any) -> bool:
    return _canonical(a) == _canonical(b)


def _changed(
    old: Mapping[str, Any], new: Mapping[str, Any], start: dt.datetime, file: str, line: int
) -> Problem:
    """One logged event the replay gives otherwise: the field that moved if
    it is the same happening (kind, actor, incident), else both whole."""
    same = all(_same(old.get(k), new.get(k)) for k in ("kind", "actor", "incident"))
    if not same:
        return Problem(
            f"{_describe(old, start)} logged, replay gives {_describe(new, start)}",
            "event",
            file,
            line,
        )
    was, now = _details(old), _details(new)
    then, later = _clocks(old, new, start)
    for key in sorted(set(was) | set(now), key=_salience):
        if not _same(was.get(key), now.get(key)):
            return Problem(
                f"{_head(old)} {key} {_value(was.get(key))} at {then} logged, "
                f"replay gives {key} {_value(now.get(key))} at {later}",
                f"event.details.{key}",
                file,
                line,
            )
    return Problem(
        f"{_head(old)} at {then} logged, replay gives it at {later}",
        "event.time",
        file,
        line,
    )


def _end_divergences(
    logged: Sequence[Mapping[str, Any]],
    replayed: Sequence[Mapping[str, Any]],
    file: str,
    line: int,
) -> list[Problem]:
    """The end record's horizon and verdicts (its event count follows from
    the events, compared already)."""
    old = next((r for r in logged if r.get("type") == "end"), None)
    new = next((r for r in replayed if r.get("type") == "end"), None)
    if old is None or new is None:
        return []
    found: list[Problem] = []
    if not _same(old.get("time"), new.get("time")):
        found.append(
            Problem(
                f"the exercise ends at {_value(old.get('time'))} min logged, "
                f"replay ends at {_value(new.get('time'))} min",
                "end.time",
                file,
                line,
            )
        )
    was = {str(v.get("criterion")): v for v in old.get("verdicts") or () if isinstance(v, Mapping)}
    now = {str(v.get("criterion")): v for v in new.get("verdicts") or () if isinstance(v, Mapping)}
    for criterion in dict.fromkeys([*was, *now]):
        a, b = was.get(criterion, {}), now.get(criterion, {})
        if not _same(a.get("status"), b.get("status")) or not _same(a.get("at"), b.get("at")):
            found.append(
                Problem(
                    f"criterion {criterion} {_verdict(a)} logged, replay gives {_verdict(b)}",
                    "end.verdicts",
                    file,
                    line,
                )
            )
    return found


def _verdict(verdict: Mapping[str, Any]) -> str:
    if not verdict:
        return "no verdict"
    at = verdict.get("at")
    return f"{verdict.get('status')}" + (f" at {_value(at)} min" if at is not None else "")


def _details(event: Mapping[str, Any]) -> Mapping[str, Any]:
    details = event.get("details")
    return details if isinstance(details, Mapping) else {}


def _salience(key: str) -> tuple[int, str]:
    return (SALIENT.index(key) if key in SALIENT else len(SALIENT), key)


def _head(event: Mapping[str, Any]) -> str:
    """``kind actor incident``, the incident left out where it is the actor."""
    parts = [str(event.get("kind")), str(event.get("actor"))]
    incident = event.get("incident")
    if incident and incident != event.get("actor"):
        parts.append(str(incident))
    return " ".join(parts)


def _describe(event: Mapping[str, Any], start: dt.datetime) -> str:
    """An event in one phrase: what, who, its most telling detail, when."""
    details = _details(event)
    shown = next((k for k in SALIENT if details.get(k) not in (None, "", [])), None)
    what = f" {shown} {_value(details[shown])}" if shown is not None else ""
    return f"{_head(event)}{what} at {_clock(event, start)}"


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ",".join(_value(v) for v in value) or "none"
    return str(value)


def _clock(event: Mapping[str, Any], start: dt.datetime) -> str:
    return _clocks(event, event, start)[0]


def _clocks(old: Mapping[str, Any], new: Mapping[str, Any], start: dt.datetime) -> tuple[str, str]:
    """Two events' times of day as the run's timeline writes them
    (:func:`~cmdsim.sim.moments.clock`: ``23:58``, ``00:03 +1d`` — a night
    drill crosses midnight), to the second when they differ within one
    minute (else both would read alike)."""
    a, b = _minutes(old), _minutes(new)
    seconds = a is not None and b is not None and a != b and clock(start, a) == clock(start, b)

    def shown(minutes: float | None, event: Mapping[str, Any]) -> str:
        if minutes is None:
            return f"{event.get('time')!r} min"
        return clock(start, minutes, seconds=seconds)

    return shown(a, old), shown(b, new)


def _minutes(event: Mapping[str, Any]) -> float | None:
    time = event.get("time")
    if isinstance(time, bool) or not isinstance(time, int | float):
        return None
    return float(time)
