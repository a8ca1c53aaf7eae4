"""Times in an exercise's files: minutes from the exercise start.

Shared by the MSEL (:mod:`cmdsim.exercise.msel`) and the evaluation
criteria (:mod:`cmdsim.exercise.criteria`), which read the same forms.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

_RELATIVE = re.compile(r"^\s*(?:T\s*)?\+\s*(\d+):([0-5]\d)(?::([0-5]\d))?\s*$", re.IGNORECASE)
_CLOCK = re.compile(r"^\s*(\d{1,2}):([0-5]\d)(?::([0-5]\d))?\s*$")
_MINUTES = re.compile(r"^\s*\+?\s*(\d+(?:\.\d+)?)\s*(?:m|min|mins|minutes)?\s*$", re.IGNORECASE)


def parse_time(value: Any, start: dt.datetime | None) -> float:
    """Minutes from the exercise start for a time cell or YAML value.

    Numbers and ``"45"``/``"45 min"`` are minutes; ``"+01:30"`` and
    ``"T+01:30"`` are hours and minutes after the start; a datetime (or an
    ISO string of one) is absolute; a bare time of day ``"22:30"`` is on the
    start's date, or the next day if that is before the start.  Raises
    ``ValueError`` with a readable message.
    """
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a time")
    if isinstance(value, int | float):
        minutes = float(value)
    elif isinstance(value, dt.timedelta):
        minutes = value.total_seconds() / 60.0
    elif isinstance(value, dt.datetime):
        minutes = _absolute(value, start)
    elif isinstance(value, dt.time):
        minutes = _time_of_day(value, start)
    elif isinstance(value, dt.date):
        minutes = _absolute(dt.datetime.combine(value, dt.time()), start)
    elif isinstance(value, str):
        minutes = _parse_text(value, start)
    else:
        raise ValueError(f"{value!r} is not a time")
    if minutes < 0:
        raise ValueError(f"{value} is before the exercise start")
    return minutes


def relative_time(minutes: float) -> str:
    """Minutes from the start as the files write them: ``+HH:MM``, with the
    seconds (``+HH:MM:SS``) when they are not whole minutes; read back by
    :func:`parse_time`."""
    seconds = round(minutes * 60.0)
    hours, rest = divmod(seconds, 3600)
    mins, secs = divmod(rest, 60)
    return f"+{hours:02d}:{mins:02d}" + (f":{secs:02d}" if secs else "")


def _parse_text(text: str, start: dt.datetime | None) -> float:
    if m := _RELATIVE.match(text):
        hours, mins, secs = m.groups()
        return int(hours) * 60.0 + int(mins) + int(secs or 0) / 60.0
    if m := _MINUTES.match(text):
        return float(m.group(1))
    if m := _CLOCK.match(text):
        hours, mins, secs = m.groups()
        if int(hours) > 23:
            raise ValueError(f"{text!r} is not a time of day")
        return _time_of_day(dt.time(int(hours), int(mins), int(secs or 0)), start)
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a time (use minutes, '+HH:MM' from the start, "
            "'HH:MM' or a datetime like 2024-09-14T22:30)"
        ) from None
    return _absolute(when, start)


def _absolute(when: dt.datetime, start: dt.datetime | None) -> float:
    if start is None:
        raise ValueError(f"absolute time {when.isoformat()} needs the exercise start")
    return (when - start).total_seconds() / 60.0


def _time_of_day(clock: dt.time, start: dt.datetime | None) -> float:
    if start is None:
        raise ValueError(f"time of day {clock.isoformat()} needs the exercise start")
    when = dt.datetime.combine(start.date(), clock, tzinfo=start.tzinfo)
    if when < start:
        when += dt.timedelta(days=1)
    return _absolute(when, start)
