"""What one run returns: the event log and the metrics, as values.

Everything here is frozen and JSON-able, so two runs of the same scenario
and seed can be compared byte for byte through :meth:`RunResult.to_json`.

Metric times follow ``docs/experiments.md``: per incident, times are minutes
*after that incident's onset* (``aware``, ``level_decided``, ``hq.<id>.activated``);
``onset`` itself is minutes after the scenario start.  ``None`` means "never
happened within the horizon".
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

JSONValue = Any


def _freeze_details(value: Any) -> tuple[tuple[str, Any], ...]:
    if type(value) is dict:
        # The engine's own details (keyword arguments of ``Run.emit``), one
        # per log line: plain values pass through without ``_plain``'s tests.
        out = []
        for key, item in value.items():
            kind = type(item)
            if kind not in _SCALAR_SET and not (kind is float and math.isfinite(item)):
                item = _plain(item)
            out.append((key if type(key) is str else str(key), item))
        out.sort()
        return tuple(out)
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(k), _plain(v)) for k, v in items))


_SCALARS = (str, int, bool, type(None))
_SCALAR_SET = frozenset(_SCALARS)


def _plain(value: Any) -> JSONValue:
    """A JSON-able, hashable-enough copy: enums by value, tuples for lists."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    # The engine's own containers (a case's figures, the HQs a level
    # activates) before the generic tests: what the branches below give them.
    if kind is dict:
        return tuple(sorted((k if type(k) is str else str(k), _plain(v)) for k, v in value.items()))
    if kind is list or kind is tuple:
        return tuple(_plain(v) for v in value)
    enum_value = getattr(value, "value", None)
    if enum_value is not None and not isinstance(value, int | float | str):
        return enum_value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    return value


def _json_ready(value: Any) -> JSONValue:
    if isinstance(value, tuple | list):
        return [_json_ready(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, float):
        # Rounded so platform-level last-bit noise cannot change the bytes.
        return round(value, 6) if math.isfinite(value) else None
    return value


@attrs.frozen
class Event:
    """One line of the log: at ``time`` (minutes from start) ``actor`` did ``kind``.

    ``details`` is a sorted tuple of ``(key, value)`` pairs of JSON-able values.
    """

    time: float
    actor: str
    kind: str
    incident: str | None = None
    details: tuple[tuple[str, Any], ...] = attrs.field(default=(), converter=_freeze_details)

    def detail(self, key: str, default: Any = None) -> Any:
        for k, value in self.details:
            if k == key:
                return value
        return default

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = _json_ready(
            {
                "time": self.time,
                "actor": self.actor,
                "kind": self.kind,
                "incident": self.incident,
                "details": dict(self.details),
            }
        )
        return data


@attrs.frozen
class HQRecord:
    """One HQ's part in one incident (minutes after the incident's onset)."""

    notified: float | None = None
    activated: float | None = None
    level: str | None = None
    staff: int = 0

    def to_data(self) -> dict[str, Any]:
        return {
            "notified": self.notified,
            "activated": self.activated,
            "time_to_activate": (
                None
                if self.activated is None or self.notified is None
                else self.activated - self.notified
            ),
            "level": self.level,
            "staff": self.staff,
        }


@attrs.frozen
class DeadlineRecord:
    """A deadline-bound task or report: when due and done (minutes after onset).

    ``slack`` is due minus done: negative when late; ``None`` if either is unknown.
    """

    kind: str
    actor: str
    due: float | None
    done: float | None

    @property
    def met(self) -> bool | None:
        if self.due is None:
            return None
        return self.done is not None and self.done <= self.due

    @property
    def slack(self) -> float | None:
        if self.due is None or self.done is None:
            return None
        return self.due - self.done

    def to_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "actor": self.actor,
            "due": self.due,
            "done": self.done,
            "met": self.met,
            "slack": self.slack,
        }


@attrs.frozen
class ReportItemRecord:
    """One report called for (minutes after the incident's onset).

    ``occasion`` is when it was called for (the event known, a level
    changed, the response closed …); ``due`` its deadline (``None``: its
    clock never started); ``arrived`` when it reached its recipient.
    ``status`` is ``on_time``, ``late`` (迟报, ``lateness`` minutes after
    ``due``), ``missing`` (漏报: due within the run, never arrived) or
    ``pending`` (not arrived, not yet due when the run ended).
    """

    occasion: float
    due: float | None
    arrived: float | None
    status: str
    lateness: float | None = None
    level: str | None = None
    within: float | None = None

    def to_data(self) -> dict[str, Any]:
        return {
            "occasion": self.occasion,
            "due": self.due,
            "arrived": self.arrived,
            "status": self.status,
            "lateness": self.lateness,
            "level": self.level,
            "within": self.within,
        }


@attrs.frozen
class ReportRecord:
    """Every report one reporting duty called for in one incident, and how they went."""

    stage: str
    by: str
    to: str
    medium: str
    items: tuple[ReportItemRecord, ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def first(self) -> ReportItemRecord | None:
        return self.items[0] if self.items else None

    def to_data(self) -> dict[str, Any]:
        late = [item.lateness for item in self.items if item.lateness is not None]
        return {
            "stage": self.stage,
            "by": self.by,
            "to": self.to,
            "medium": self.medium,
            "called": len(self.items),
            "on_time": self.count("on_time"),
            "late": self.count("late"),
            "missing": self.count("missing"),
            "pending": self.count("pending"),
            "lateness": max(late) if late else None,
            "items": [item.to_data() for item in self.items],
        }


@attrs.frozen
class IncidentRecord:
    """Per-incident metrics; times in minutes after ``onset`` (itself from start)."""

    onset: float
    aware: float | None = None
    level_decided: float | None = None
    level: str | None = None
    peak_level: str | None = None
    required_level: str | None = None
    plan: str | None = None
    lead: str | None = None
    reports: int = 0
    takeover: float | None = None
    hq: Mapping[str, HQRecord] = attrs.field(factory=dict)
    deadline: Mapping[str, DeadlineRecord] = attrs.field(factory=dict)
    town_plan: str | None = None
    handed_over: float | None = None
    signal_lag: Mapping[str, float | None] = attrs.field(factory=dict)
    """Minutes from each warning colour's first signal to a level at least the
    one it calls for (``None``: never within the run); only incidents with signals."""
    reporting: Mapping[str, ReportRecord] = attrs.field(factory=dict)
    """Each reporting duty's reports (信息报送) and how they went."""
    knowledge: Mapping[str, Any] | None = None
    """What reporters knew against the truth (2b); only when the scenario's
    channels delay or under-count figures, add noise or are verified."""
    over_response: bool | None = None
    """Whether a level was put in force above what the plan's triggers give
    for what was known (``None``: no level was); ``level_ok`` is the other side."""
    merged: tuple[str, ...] = ()
    """Sub-incidents of its site merged into its case (one response per site)."""
    merged_into: str | None = None
    """The incident whose case this sub-incident was merged into."""

    def to_data(self) -> dict[str, Any]:
        # Only incidents a town plan governs carry the hand-over keys.
        town = (
            {"town_plan": self.town_plan, "handed_over": self.handed_over}
            if self.town_plan is not None
            else {}
        )
        lags = {"signal_lag": dict(self.signal_lag)} if self.signal_lag else {}
        if self.knowledge is not None:
            lags["knowledge"] = dict(self.knowledge)
        # Only incidents of a merged site carry the merge keys.
        site: dict[str, Any] = {}
        if self.merged:
            site["merged"] = list(self.merged)
        if self.merged_into is not None:
            site["merged_into"] = self.merged_into
        return {
            **town,
            **lags,
            **site,
            "onset": self.onset,
            "aware": self.aware,
            "level_decided": self.level_decided,
            "level": self.level,
            "peak_level": self.peak_level,
            "required_level": self.required_level,
            "level_ok": (
                None
                if self.required_level is None
                else self.peak_level is not None
                and _rank(self.peak_level) >= _rank(self.required_level)
            ),
            "over_response": self.over_response,
            "plan": self.plan,
            "lead": self.lead,
            "reports": self.reports,
            "takeover": self.takeover,
            "hq": {k: v.to_data() for k, v in self.hq.items()},
            "deadline": {k: v.to_data() for k, v in self.deadline.items()},
            "reporting": {k: v.to_data() for k, v in self.reporting.items()},
        }


def _rank(level: str) -> int:
    return {"IV": 1, "III": 2, "II": 3, "I": 4}[level]


@attrs.frozen
class RunResult:
    """One run: the scenario and seed it came from, the log and the metrics.

    ``metrics`` is a nested mapping of JSON-able values (see ``docs/engine.md``):
    ``incident.<id>.*``, ``takeover``, ``utilisation``, ``coverage``.
    ``start`` is the scenario's start as ISO text, for the timeline's clock.
    """

    scenario_id: str
    seed: int | str
    events: tuple[Event, ...]
    metrics: Mapping[str, Any]
    start: str = ""
    horizon: float = 0.0

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = _json_ready(
            {
                "scenario": self.scenario_id,
                "seed": self.seed,
                "start": self.start,
                "horizon": self.horizon,
                "metrics": self.metrics,
                "events": [e.to_data() for e in self.events],
            }
        )
        return data

    def to_json(self, *, indent: int | None = None) -> str:
        """The whole result as JSON with sorted keys: equal runs, equal bytes."""
        return json.dumps(self.to_data(), sort_keys=True, ensure_ascii=False, indent=indent)

    def metrics_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(
            _json_ready(self.metrics), sort_keys=True, ensure_ascii=False, indent=indent
        )

    def events_jsonl(self) -> str:
        return "".join(
            json.dumps(e.to_data(), sort_keys=True, ensure_ascii=False) + "\n" for e in self.events
        )

    def of_kind(self, kind: str) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.kind == kind)


def sort_events(events: Iterable[Event]) -> tuple[Event, ...]:
    """Time order; ties keep the order they were logged in (SimPy's order)."""
    return tuple(sorted(events, key=lambda e: e.time))
