"""A moment of a run as a person reads it: one function for each form.

Everything a person reads a run's times in — ``cmdsim run``'s timeline, the
drill console, the served pages, the divergence of a replay, the
after-action report — takes them from here, so one moment reads alike
everywhere:

- **clock time** (the scenario's start plus the minutes, for a log read line
  by line): :func:`clock`, ``22:30``, ``00:15 +1d`` on a later day;
- **date and time** (a table of a run that spans midnight, where every row
  off the start's day carries its date): :func:`dated`, ``09-20 04:30``,
  in Chinese the calendar form a duty log uses, ``9月20日 04:30``; the
  start itself, or any full stamp, :func:`calendar`: ``2024-09-19 20:00``
  (``2024年9月19日 20:00``);
- **time since the start** (a drill's clock, or a run without a start):
  :func:`elapsed`, ``T+01:30`` (``开始后01:30``).

Each reads a moment the same way (:func:`wall`): its minutes to the tenth,
the precision every figure of a run is shown in (a report's ``242.97`` is
``243.0``), then the minute a wall clock has reached (20:59:45 is still
``20:59``).  So the moment a report's table puts at 243.0 min reads as the
run's timeline writes the event, a time of day never runs ahead of the
drill clock beside it, and a midnight-crossing test (:func:`off_day`)
agrees with the dates shown.  Exercise *files* write
their own form (``+HH:MM``, :func:`cmdsim.exercise.times.relative_time`),
which is read back, not read by a person.
"""

from __future__ import annotations

import datetime as dt


def wall(start: dt.datetime, minutes: float, *, seconds: bool = False) -> dt.datetime:
    """The wall-clock moment ``minutes`` after ``start``: the minutes to the
    tenth (as ``round(minutes, 1)``, which every figure shown is), cut to the
    minute that has been reached; with ``seconds``, the second reached."""
    if seconds:
        return (start + dt.timedelta(minutes=float(minutes))).replace(microsecond=0)
    when = start + dt.timedelta(minutes=round(float(minutes), 1))
    return when.replace(second=0, microsecond=0)


def off_day(start: dt.datetime, minutes: float) -> int:
    """Days between the start's date and the date of the moment (``0`` on it)."""
    return (wall(start, minutes).date() - start.date()).days


def elapsed(minutes: float, lang: str = "en") -> str:
    """Whole hours and minutes since the start: ``T+01:30`` (``开始后01:30``)."""
    whole = int(max(round(float(minutes), 1), 0.0))
    text = f"{whole // 60:02d}:{whole % 60:02d}"
    return f"开始后{text}" if lang == "zh" else f"T+{text}"


def clock(
    start: dt.datetime | None, minutes: float, *, seconds: bool = False, lang: str = "en"
) -> str:
    """``HH:MM`` of a run time, ``+Nd`` after it on a later day (``00:15 +1d``,
    ``-1d`` before the start's day; in Chinese ``00:15 +1天``); ``HH:MM:SS``
    with ``seconds``.  Without a start, the time since it (:func:`elapsed`)."""
    if start is None:
        return elapsed(minutes, lang)
    when = wall(start, minutes, seconds=seconds)
    days = (when.date() - start.date()).days
    day = "天" if lang == "zh" else "d"
    return when.strftime("%H:%M:%S" if seconds else "%H:%M") + (f" {days:+d}{day}" if days else "")


def dated(start: dt.datetime, minutes: float, lang: str = "en", *, with_date: bool = True) -> str:
    """A row's time in a table of a run: ``HH:MM``; with ``with_date`` (the
    run crosses midnight) a moment off the start's day carries its date,
    ``09-20 04:30``, in Chinese ``9月20日 04:30``."""
    when = wall(start, minutes)
    if not (with_date and when.date() != start.date()):
        return when.strftime("%H:%M")
    if lang == "zh":
        return f"{when.month}月{when.day}日 {when:%H:%M}"
    return when.strftime("%m-%d %H:%M")


def calendar(when: dt.datetime, lang: str = "en") -> str:
    """A full date and time: ``2024-09-19 20:00``, in Chinese the calendar
    form :func:`dated` writes a later day in, ``2024年9月19日 20:00``."""
    if lang == "zh":
        return f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}"
    return when.strftime("%Y-%m-%d %H:%M")
