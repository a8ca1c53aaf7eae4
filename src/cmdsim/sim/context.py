"""The run context every process gets: environment, scenario, streams, log.

The log and the ledger are output only; processes never read each other's
state through them, they talk through SimPy events and stores.
"""

from __future__ import annotations

import bisect
import datetime as dt
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import numpy as np
import simpy

from cmdsim.model.levels import TimeBand
from cmdsim.model.scenario import Scenario
from cmdsim.sim.compiled import compiled
from cmdsim.sim.events import EventKind
from cmdsim.sim.reasons import Reason
from cmdsim.sim.results import Entry, Event
from cmdsim.sim.streams import Streams

if TYPE_CHECKING:
    from cmdsim.sim.report_duties import ReportItem

UNLIMITED = 10**9
"""Capacity standing in for "as many as needed"."""


@attrs.frozen
class SimOptions:
    """How to run.

    ``unlimited_capacity`` makes every duty room, unit and resource as large
    as needed (the fast path's and the critical-path tests' assumption).
    ``decisions`` is asked at each decision point (see
    :class:`DecisionPoint`); its ``decide(point)`` returns ``None`` to let the
    plan's rule stand, or an object with ``level`` and ``activate``.
    ``trace`` adds per-report events (received, merged) to the log.
    ``log=False`` keeps no log: the run counts its events (the ``events``
    metric) but makes none, and the result's ``events`` is empty — the same
    metrics for less work, what a batch of replications wants.
    """

    unlimited_capacity: bool = False
    decisions: Any = None
    trace: bool = True
    log: bool = True


@attrs.frozen
class DecisionPoint:
    """Where a role decides; ``role`` is one of

    - ``duty-room``: the level to declare and the HQs to activate (``level``
      and ``activate`` are the plan's; ``current`` the case's level so far);
    - ``general-hq``: whether the general HQ takes over now (``activate`` is
      the general HQ, ``level`` the highest incident level, ``known`` the
      rule's reason and the active HQs); an answer whose ``activate`` names
      the general HQ takes over, any other declines;
    - ``lead-hq``: at a reassessment where the plan's rule would move the
      level from ``current`` to ``level``; the answer's ``level`` is the lead
      HQ's (see :func:`cmdsim.sim.decision.lead_choice`).
    """

    role: str
    time: float
    incident: str | None
    level: Any
    activate: tuple[str, ...]
    known: dict[str, Any]
    plan: str | None
    current: Any = None


@attrs.frozen
class Stamp:
    """What happened to an incident and when (minutes from start): the level
    first decided (``what`` is the level), the plan it was handed over or
    back to (the plan's id), the case a sub-incident joined (its key)."""

    time: float
    what: str


@attrs.frozen
class LevelChange:
    """The deciding room's level moved (``None``: the response closed or was
    handed back)."""

    time: float
    level: str | None


@attrs.frozen
class OverResponse:
    """A level put in force above what the plan's triggers give for what is
    known (``warranted``; ``None``: no level), by a ``player`` or a ``report``."""

    time: float
    level: str
    warranted: str | None
    by: str


@attrs.frozen
class DeadlineFact:
    """A deadline-bound task or report done: what, by whom, on which clock,
    within how many minutes of it (``None``: no deadline), done when."""

    kind: str
    actor: str
    clock: str
    within: float | None
    done: float


@attrs.frozen
class SignalFact:
    """A warning signal issued for an incident: its colour, when, and the
    level its plan calls for (``None``: no plan maps the colour)."""

    colour: str
    issued: float
    wanted: str | None


@attrs.frozen
class TwoLeads:
    """Two leads on one site that no merge rule made one response: ``first``
    the case already at a level, ``second`` the one just decided."""

    time: float
    first: str
    second: str


class HQFacts:
    """One HQ's part in one incident, minutes from start: notified (first
    time), activated for it (first time; ``None``: never), at which level,
    with how many staff when it activated."""

    __slots__ = ("activated", "level", "notified", "staff")

    def __init__(self, notified: float) -> None:
        self.notified = notified
        self.activated: float | None = None
        self.level = ""
        self.staff: int | None = None


@attrs.define
class IncidentFacts:
    """What happened to one incident during a run, minutes from start (also
    kept for the general HQ's ``_coordination``, whose only facts are its HQs)."""

    aware: float | None = None
    """When someone in the chain first knew of it (a report, an office's signal)."""
    reports: int = 0
    """Reports the rooms received under its id (a case's include its sub-incidents')."""
    decided: Stamp | None = None
    """The first level the deciding room put in force."""
    town_decided: Stamp | None = None
    """The first level its town room put in force under a town plan."""
    peak: str | None = None
    """The highest level any room put in force."""
    levels: list[LevelChange] = attrs.field(factory=list)
    """Each time the deciding room's level moved, in order."""
    over: list[OverResponse] = attrs.field(factory=list)
    """Each level put in force above what was warranted."""
    handed_over: Stamp | None = None
    """A town plan handed it over to the district room (``what``: the district plan)."""
    handed_back: Stamp | None = None
    """The district room handed it back to its town plan (``what``: the town plan)."""
    hq: dict[str, HQFacts] = attrs.field(factory=dict)
    """Command -> that HQ's part in the incident."""
    deadlines: dict[str, DeadlineFact] = attrs.field(factory=dict)
    """Task or report id -> the first time it was done."""
    clocks: dict[str, float] = attrs.field(factory=dict)
    """Task or report id -> when its ``activation`` clock started (the lead
    HQ at work for the level that set it) or its ``decision`` clock."""
    signals: list[SignalFact] = attrs.field(factory=list)
    """Every warning signal issued for it, in order."""
    reporting: list[ReportItem] = attrs.field(factory=list)
    """Every report called for, in order."""
    merged: Stamp | None = None
    """A sub-incident: when its first report arrived, and the case it joined."""
    merged_reports: int = 0
    """A sub-incident: its own reports, routed to the case it joined."""

    @property
    def final_level(self) -> str | None:
        """The deciding room's level at the end (``None``: none, or closed)."""
        return self.levels[-1].level if self.levels else None


class TakeoverFacts:
    """The general HQ's takeover as it happened (minutes from start).

    ``by``, ``rule_held`` and ``declined`` only when a player took the
    general HQ's decision (role ``general-hq``).  ``ended``: when the first
    takeover ended (every incident's response closed); ``again``: each later
    takeover as ``[triggered, time, ended]``, the rule having held anew.
    """

    __slots__ = ("again", "by", "declined", "ended", "reason", "rule_held", "time", "triggered")

    def __init__(self) -> None:
        self.triggered: float | None = None
        self.time: float | None = None
        self.reason: Reason | None = None
        self.by: str | None = None
        self.rule_held: float | None = None
        self.declined: list[float] = []
        self.ended: float | None = None
        self.again: list[list[float | None]] = []


class Ledger:
    """Raw facts collected during a run, turned into metrics at its end.

    What belongs to one incident is in its :class:`IncidentFacts`
    (:meth:`incident`); what belongs to the run, here.
    """

    __slots__ = (
        "busy",
        "called_in",
        "incidents",
        "takeover",
        "two_leads",
        "waits",
    )

    def __init__(self) -> None:
        self.incidents: dict[str, IncidentFacts] = {}
        """Incident -> its facts, in the order first asked for (:meth:`incident`)."""
        self.takeover = TakeoverFacts()
        self.busy: dict[str, float] = {}
        """Room, unit or ``resource:<id>`` -> minutes of work done."""
        self.waits: dict[str, list[float]] = {}
        """Duty room -> each report's wait for a desk."""
        self.called_in: dict[str, list[tuple[float, int]]] = {}
        """Duty room -> (time, officers called in on duty from then), in time order (加强值班)."""
        self.two_leads: list[TwoLeads] = []
        """Two leads on one site that no merge rule resolved."""

    def incident(self, incident: str) -> IncidentFacts:
        """The facts of ``incident``, made empty the first time it is asked for."""
        facts = self.incidents.get(incident)
        if facts is None:
            facts = self.incidents[incident] = IncidentFacts()
        return facts


class Emit(Protocol):
    """Where the processes report what happens: ``run.emit(actor, kind, incident, **details)``."""

    def __call__(
        self, actor: str, kind: EventKind, incident: str | None = None, **details: Any
    ) -> None: ...


class EventLog:
    """The event log as a probe on :attr:`Run.emit`: every event kept, at the run's time
    (as plain entries, made into :class:`Event` values when read: :class:`Logged`)."""

    __slots__ = ("entries", "env")

    def __init__(self, env: simpy.Environment, entries: list[Entry]) -> None:
        self.env = env
        self.entries = entries

    def record(
        self, actor: str, kind: EventKind, incident: str | None = None, **details: Any
    ) -> None:
        # ``env._now``: what SimPy's ``now`` property returns, without the
        # property call (hundreds of events a run).
        self.entries.append((self.env._now, actor, kind, incident, details))


class EventCount:
    """The probe of a run without a log: events counted (the ``events`` metric), none made."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0

    def record(
        self, actor: str, kind: EventKind, incident: str | None = None, **details: Any
    ) -> None:
        self.count += 1


class Run:
    """One simulation run's shared context.

    The processes report what happens through :attr:`emit`, the probe the
    run's options attach (:class:`EventLog`, or :class:`EventCount` without
    a log); they never read it.
    """

    def __init__(self, scenario: Scenario, seed: int | np.random.SeedSequence, options: SimOptions):
        self.env = simpy.Environment()
        self.scenario = scenario
        self.compiled = compiled(scenario)
        self.district = scenario.district
        self.options = options
        self.streams = Streams(seed)
        self.entries: list[Entry] = []
        """The log as written (empty without a log); :attr:`events` reads it."""
        self.log = options.log
        self._count = EventCount()
        self.emit: Emit = (
            EventLog(self.env, self.entries).record if options.log else self._count.record
        )
        self.ledger = Ledger()
        self.onsets = self.compiled.onsets
        self.unlimited = options.unlimited_capacity
        self.trace = options.trace
        self.knowledge: Any = None
        """What reporters know (:class:`~cmdsim.sim.knowledge.Knowledge`), when
        the scenario's channels delay figures, add noise or are verified."""
        self._band: TimeBand = TimeBand.DAY
        self._band_from = self._band_until = 0.0
        self.community: Any = None
        """The committees' first actions (:class:`~cmdsim.sim.community.Community`),
        when the district has some or a committee lacks a handbook."""
        self.bodies: Any = None
        """The district's committees (:class:`~cmdsim.sim.bodies.Bodies`), when it has some."""
        self.reinforcements: Any = None
        """The call-ins of officers to duty rooms (:class:`~cmdsim.sim.reinforce.Reinforcements`),
        when a plan's level calls some in."""
        self.officers: Any = None
        """The information officers' state (:class:`~cmdsim.sim.officers.OfficerState`),
        made when a report first goes through them."""

    @property
    def events(self) -> list[Event]:
        """The events logged so far, in the order they were logged."""
        return [Event(*entry) for entry in self.entries]

    @property
    def unlogged(self) -> int:
        """Events emitted but not kept (``SimOptions.log`` off)."""
        return self._count.count

    def when(self, minutes: float) -> dt.datetime:
        return self.scenario.start + dt.timedelta(minutes=minutes)

    def band(self, minutes: float | None = None) -> TimeBand:
        if minutes is None:
            # Most calls ask about now, and now rarely crosses a band edge:
            # the band in force is kept with the span it holds for.
            now = self.env._now  # ``now`` without the property call (see EventLog.record)
            if self._band_from <= now < self._band_until:
                return self._band
            band = self._band = self.compiled.band_at(now)
            edges = self.compiled.edges
            if 0.0 <= now < edges[-1]:
                index = bisect.bisect_right(edges, now)
                self._band_from, self._band_until = edges[index - 1], edges[index]
            return band
        return self.compiled.band_at(minutes)

    def capacity(self, nominal: int) -> int:
        return UNLIMITED if self.unlimited else nominal


def next_band_change(run: Run, minutes: float) -> float:
    """Minutes from start of the next instant the time band may change."""
    return run.compiled.next_change(minutes)
