"""A run's log as text a facilitator can read: one line per event, its time
of day as :func:`cmdsim.sim.moments.clock` writes it (``22:30``, ``00:15 +1d``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from cmdsim.sim.moments import clock
from cmdsim.sim.reasons import ENGLISH, FACT_KEYS, logged_reason
from cmdsim.sim.results import Event, RunResult


@attrs.frozen
class TimelineWords:
    """The words a timeline is written in, for a language other than the log's own.

    ``kinds`` and ``keys`` name event kinds and detail keys (a kind or key
    missing keeps the log's own word); ``values`` names detail values that
    are words, not ids (``blue``, ``initial``), by ``(key, value)``;
    ``colon`` follows the actor; ``lang`` writes the day after a clock time
    (:func:`cmdsim.sim.moments.clock`); ``reasons`` phrase why a rule held
    (:mod:`cmdsim.sim.reasons`: ``reason=3 HQs active`` for the logged kind
    and the facts beside it).  The engine's log keeps its own words whatever
    a person reads: these only change the text.
    """

    kinds: Mapping[str, str] = attrs.field(factory=dict)
    keys: Mapping[str, str] = attrs.field(factory=dict)
    values: Mapping[tuple[str, str], str] = attrs.field(factory=dict)
    colon: str = ": "
    lang: str = "en"
    reasons: Mapping[str, str] = ENGLISH


LOG_WORDS = TimelineWords()
"""The log's own words: kinds and keys as the engine writes them."""


def detail_words(
    details: tuple[tuple[str, Any], ...], words: TimelineWords = LOG_WORDS
) -> list[tuple[str, str]]:
    """An event's details as a reader sees them: each key and value in
    ``words`` (floats to the tenth); a logged reason (:mod:`cmdsim.sim.reasons`)
    as one phrase, its facts in it rather than beside it."""
    reason = logged_reason(dict(details))
    parts = []
    for key, value in details:
        if value is None or key == "known" or (reason is not None and key in FACT_KEYS):
            continue
        if reason is not None and key == "reason":
            value = reason.text(words.reasons)
        elif isinstance(value, float):
            value = f"{value:.1f}"
        else:
            value = words.values.get((key, str(value)), value)
        parts.append((words.keys.get(key, key), str(value)))
    return parts


def _detail_text(event: Event, words: TimelineWords) -> str:
    return " ".join(f"{key}={value}" for key, value in detail_words(event.details, words))


def format_timeline(
    result: RunResult, names: Mapping[str, str] | None = None, words: TimelineWords = LOG_WORDS
) -> str:
    """The event log, one line per event; ``names`` maps ids to display names,
    ``words`` the kinds and detail keys to a reader's language (the log's own
    by default): :func:`cmdsim.report.run_words.timeline_words` gives the
    Chinese ones, which ``cmdsim run --lang zh`` prints.
    """
    start = dt.datetime.fromisoformat(result.start) if result.start else None
    names = names or {}
    lines = []
    for event in result.events:
        actor = names.get(event.actor, event.actor)
        incident = f"[{event.incident}] " if event.incident else ""
        kind = words.kinds.get(str(event.kind), str(event.kind))
        when = clock(start, event.time, lang=words.lang)
        text = f"{when}  {incident}{actor}{words.colon}{kind}"
        lines.append(f"{text}  {_detail_text(event, words)}".rstrip())
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
