"""What one run returns: the event log and the metrics, as values.

Everything here is frozen and JSON-able, so two runs of the same scenario
and seed can be compared byte for byte through :meth:`RunResult.to_json`.

Metric times follow ``docs/experiments.md``: per incident, times are minutes
*after that incident's onset* (``aware``, ``level_decided``, ``hq.<id>.activated``);
``onset`` itself is minutes after the scenario start.  ``None`` means "never
happened within the horizon".
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from typing import Any

import attrs

from cmdsim.sim import metric_names as mn
from cmdsim.sim.officer_records import TierRecord
from cmdsim.sim.reasons import Reason

JSONValue = Any


def _freeze_details(value: Any) -> tuple[tuple[str, Any], ...]:
    if type(value) is dict:
        # The engine's own details (keyword arguments of ``Run.emit``), one
        # per log line: plain values pass through without ``_frozen``'s tests.
        out = []
        for key, item in value.items():
            kind = type(item)
            if kind not in _SCALAR_SET and not (kind is float and math.isfinite(item)):
                item = _frozen(item)
            out.append((key if type(key) is str else str(key), item))
        out.sort()
        return tuple(out)
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(k), _frozen(v)) for k, v in items))


_SCALARS = (str, int, bool, type(None))
_SCALAR_SET = frozenset(_SCALARS)


def _frozen(value: Any) -> JSONValue:
    """A JSON-able, hashable-enough copy: enums by value, tuples for lists,
    non-finite floats as ``None`` (an event's details; plain data for the
    other layers is :func:`cmdsim.plain.plain`)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    # The engine's own containers (a case's figures, the HQs a level
    # activates) before the generic tests: what the branches below give them.
    if kind is dict:
        return tuple(
            sorted((k if type(k) is str else str(k), _frozen(v)) for k, v in value.items())
        )
    if kind is list or kind is tuple:
        return tuple(_frozen(v) for v in value)
    enum_value = getattr(value, "value", None)
    if enum_value is not None and not isinstance(value, int | float | str):
        return enum_value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
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

    @property
    def time_to_activate(self) -> float | None:
        """Minutes from notification to activation; ``None`` if either never came."""
        if self.activated is None or self.notified is None:
            return None
        return self.activated - self.notified

    def to_data(self) -> dict[str, Any]:
        return {
            mn.NOTIFIED: self.notified,
            mn.ACTIVATED: self.activated,
            mn.TIME_TO_ACTIVATE: self.time_to_activate,
            mn.LEVEL: self.level,
            mn.STAFF: self.staff,
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
    handed_back: float | None = None
    """When the district room handed the incident back to its town plan (the last time)."""
    town_level_decided: float | None = None
    """When the town room first put a level of its town plan in force."""
    town_level: str | None = None
    """That first town-plan level."""
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

    @property
    def level_ok(self) -> bool | None:
        """Whether the peak level reached the required one (``None``: none required)."""
        if self.required_level is None:
            return None
        return self.peak_level is not None and _rank(self.peak_level) >= _rank(self.required_level)

    def lead_record(self) -> HQRecord:
        """The lead HQ's record; an empty one if the incident has no lead or it
        was never notified."""
        return self.hq.get(self.lead or "", _NO_HQ)

    def to_data(self) -> dict[str, Any]:
        # Only incidents a town plan governs carry the hand-over keys.
        town = (
            {
                "town_plan": self.town_plan,
                mn.HANDED_OVER: self.handed_over,
                mn.HANDED_BACK: self.handed_back,
                mn.TOWN_LEVEL_DECIDED: self.town_level_decided,
                mn.TOWN_LEVEL: self.town_level,
            }
            if self.town_plan is not None
            else {}
        )
        lags = {mn.SIGNAL_LAG: dict(self.signal_lag)} if self.signal_lag else {}
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
            mn.ONSET: self.onset,
            mn.AWARE: self.aware,
            mn.LEVEL_DECIDED: self.level_decided,
            mn.LEVEL: self.level,
            mn.PEAK_LEVEL: self.peak_level,
            mn.REQUIRED_LEVEL: self.required_level,
            mn.LEVEL_OK: self.level_ok,
            mn.OVER_RESPONSE: self.over_response,
            "plan": self.plan,
            "lead": self.lead,
            mn.REPORTS: self.reports,
            mn.TAKEOVER: self.takeover,
            mn.HQ: {k: v.to_data() for k, v in self.hq.items()},
            mn.DEADLINE: {k: v.to_data() for k, v in self.deadline.items()},
            mn.REPORTING: {k: v.to_data() for k, v in self.reporting.items()},
        }


def _rank(level: str) -> int:
    return {"IV": 1, "III": 2, "II": 3, "I": 4}[level]


_NO_HQ = HQRecord()


@attrs.frozen
class StageTotals:
    """The reports of one stage over the whole run: called for, and how they went."""

    called: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0

    def to_data(self) -> dict[str, int]:
        return {
            "called": self.called,
            "on_time": self.on_time,
            "late": self.late,
            "missing": self.missing,
            "pending": self.pending,
        }


@attrs.frozen
class TakeoverRecord:
    """The general HQ's takeover (minutes from start; ``None``: never).

    ``by``, ``rule_held`` and ``declined`` are set only when a player took
    the general HQ's decision (role ``general-hq``): ``rule_held`` when
    the plan's rule first held, ``declined`` each time the player declined.
    ``ended``: when the takeover ended, the last incident's response closed
    (``None``: it held to the end of the run); ``again``: each later
    takeover, the rule having held anew after one ended, as
    ``(triggered, time, ended)`` (written only when there is one).
    ``reason``: why the rule first held, as data (a kind, the level, the HQs
    active); the metrics hold its English phrase, as they always have.
    """

    triggered: float | None = None
    time: float | None = None
    reason: Reason | None = None
    by: str | None = None
    rule_held: float | None = None
    declined: tuple[float, ...] = ()
    ended: float | None = None
    again: tuple[tuple[float | None, float | None, float | None], ...] = ()

    @property
    def held(self) -> float | None:
        """Minutes the first takeover held (to the end of the run: ``None``)."""
        if self.time is None or self.ended is None:
            return None
        return self.ended - self.time

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "triggered": self.triggered,
            "time": self.time,
            # the English phrase the metrics have always held (``3 HQs active``)
            "reason": None if self.reason is None else str(self.reason),
            "ended": self.ended,
        }
        if self.again:
            data["again"] = [
                {"triggered": t, "time": at, "ended": end} for t, at, end in self.again
            ]
        # The player's keys only when a player decided, as before they existed.
        if self.by is not None:
            data["by"] = self.by
        if self.rule_held is not None:
            data["rule_held"] = self.rule_held
        if self.declined:
            data["declined"] = list(self.declined)
        return data


@attrs.frozen
class CoverageRecord:
    """What the plans leave uncovered, known before the run (incident and inject ids)."""

    incidents: int = 0
    no_plan: tuple[str, ...] = ()
    no_lead: tuple[str, ...] = ()
    injects_no_plan: tuple[str, ...] = ()

    @property
    def gaps(self) -> int:
        return len(self.no_plan) + len(self.no_lead) + len(self.injects_no_plan)

    def to_data(self) -> dict[str, Any]:
        return {
            "incidents": self.incidents,
            "no_plan": list(self.no_plan),
            "no_lead": list(self.no_lead),
            "injects_no_plan": list(self.injects_no_plan),
            "gaps": self.gaps,
        }


@attrs.frozen
class RunRecord:
    """A run's metrics, typed: what :attr:`RunResult.metrics` writes as data.

    ``utilisation`` and ``wait`` are keyed by duty room, unit and
    ``resource:<id>`` (``None``: no capacity, or no one waited);
    ``events`` counts the events emitted, logged or not.
    """

    incidents: Mapping[str, IncidentRecord] = attrs.field(factory=dict)
    reporting: Mapping[str, StageTotals] = attrs.field(factory=dict)
    takeover: TakeoverRecord = TakeoverRecord()
    utilisation: Mapping[str, float | None] = attrs.field(factory=dict)
    wait: Mapping[str, float | None] = attrs.field(factory=dict)
    coverage: CoverageRecord = CoverageRecord()
    events: int = 0
    merged: int = 0
    """Sub-incidents merged into their site's case."""
    two_leads: int = 0
    """Sites where two plans' leads met."""
    committee: Mapping[str, Any] | None = None
    """Each committee's notification and convening; only where the district has bodies."""
    community: Mapping[str, Any] | None = None
    """The committees' first actions by incident; only where the district has bodies."""
    officers: Mapping[str, TierRecord] | None = None
    """The information officers' relaying by tier; only where a report went through them."""

    def to_data(self) -> dict[str, Any]:
        """The nested mapping of ``metrics.json`` (before float rounding)."""
        data: dict[str, Any] = {
            mn.INCIDENT: {k: v.to_data() for k, v in self.incidents.items()},
            "merge": {"incidents": self.merged, "two_leads": self.two_leads},
            mn.REPORTING: {k: v.to_data() for k, v in self.reporting.items()},
            mn.TAKEOVER: self.takeover.to_data(),
            "utilisation": dict(self.utilisation),
            "wait": dict(self.wait),
            "coverage": self.coverage.to_data(),
            "events": self.events,
        }
        # Only where the district has them, so other scenarios' metrics stay as they were.
        if self.committee is not None:
            data["committee"] = self.committee
        if self.community is not None:
            data["community"] = self.community
        if self.officers is not None:
            data[mn.OFFICERS] = {k: v.to_data() for k, v in self.officers.items()}
        return data


@attrs.frozen
class RunResult:
    """One run: the scenario and seed it came from, the log and the metrics.

    ``record`` holds the metrics typed (:class:`RunRecord`: an
    :class:`IncidentRecord` per incident …); :attr:`metrics` is the same
    as the nested mapping of JSON-able values that ``metrics.json`` holds
    (see ``docs/engine.md``): ``incident.<id>.*``, ``takeover``,
    ``utilisation``, ``coverage``.
    ``start`` is the scenario's start as ISO text, for the timeline's clock.
    """

    scenario_id: str
    seed: int | str
    _log: tuple[Event, ...] | Logged = attrs.field(
        alias="events", eq=lambda log: _built(log), repr=False
    )
    """The log: events, or the run's entries made into events when first read."""
    record: RunRecord
    start: str = ""
    horizon: float = 0.0

    @property
    def events(self) -> tuple[Event, ...]:
        """The log in time order (ties in the order they were logged)."""
        return _built(self._log)

    @functools.cached_property
    def metrics(self) -> Mapping[str, Any]:
        """The metrics as nested data, made from :attr:`record` on first use."""
        return self.record.to_data()

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


Entry = tuple[float, str, str, "str | None", dict[str, Any]]
"""One line of the log as the run writes it: time, actor, kind, incident, details."""


class Logged:
    """A run's log as written: made into :class:`Event` values on first read.

    Most replications of a batch are never read event by event, and making
    an event (its details frozen and sorted) costs more than the run's own
    bookkeeping of it; a run appends plain tuples and the result reads them
    here, once.
    """

    __slots__ = ("_entries", "_events")

    def __init__(self, entries: list[Entry]) -> None:
        self._entries = entries
        self._events: tuple[Event, ...] | None = None

    def events(self) -> tuple[Event, ...]:
        if self._events is None:
            # A stable sort: ties keep the order they were logged in (SimPy's).
            entries = sorted(self._entries, key=_time)
            self._events = tuple(Event(*entry) for entry in entries)
            self._entries = []
        return self._events


def _time(entry: Entry) -> float:
    return entry[0]


def _built(log: tuple[Event, ...] | Logged) -> tuple[Event, ...]:
    return log.events() if isinstance(log, Logged) else log
