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
from cmdsim.sim.results import Entry, Event
from cmdsim.sim.streams import Streams

if TYPE_CHECKING:
    from cmdsim.sim.tasks import ReportItem

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
    first decided, the plan it was handed over to or back to, the case a
    sub-incident joined."""

    time: float
    what: str


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
    """What happened to one incident (or a case's pseudo-incident such as
    the general HQ's ``_coordination``) during a run."""

    hq: dict[str, HQFacts] = attrs.field(factory=dict)
    """Command -> that HQ's part in the incident."""
    deadlines: dict[str, DeadlineFact] = attrs.field(factory=dict)
    """Task or report id -> the first time it was done."""
    signals: list[SignalFact] = attrs.field(factory=list)
    """Every warning signal issued for it, in order."""
    reporting: list[ReportItem] = attrs.field(factory=list)
    """Every report called for, in order."""
    merged: Stamp | None = None
    """A sub-incident: when its first report arrived, and the case it joined."""
    merged_reports: int = 0
    """A sub-incident: its own reports, routed to the case it joined."""


class TakeoverFacts:
    """The general HQ's takeover as it happened (minutes from start).

    ``by``, ``rule_held`` and ``declined`` only when a player took the
    general HQ's decision (role ``general-hq``).
    """

    __slots__ = ("by", "declined", "reason", "rule_held", "time", "triggered")

    def __init__(self) -> None:
        self.triggered: float | None = None
        self.time: float | None = None
        self.reason: str | None = None
        self.by: str | None = None
        self.rule_held: float | None = None
        self.declined: list[float] = []


class Ledger:
    """Raw facts collected during a run, turned into metrics at its end.

    What belongs to one incident is in its :class:`IncidentFacts`
    (:meth:`incident`); what belongs to the run, here.
    """

    __slots__ = (
        "aware",
        "busy",
        "called_out",
        "clocks",
        "decided",
        "final_level",
        "handed_back",
        "handed_over",
        "incidents",
        "levels",
        "no_lead",
        "no_plan",
        "over",
        "peak",
        "reports",
        "takeover",
        "town_decided",
        "two_leads",
        "waits",
    )

    def __init__(self) -> None:
        self.incidents: dict[str, IncidentFacts] = {}
        self.aware: dict[str, float] = {}
        self.decided: dict[str, tuple[float, str]] = {}
        self.peak: dict[str, str] = {}
        self.final_level: dict[str, str | None] = {}
        self.reports: dict[str, int] = {}
        # (incident, task or report) -> when its ``activation`` clock started:
        # the lead HQ active at the level that set the task.
        self.clocks: dict[tuple[str, str], float] = {}
        self.takeover = TakeoverFacts()
        self.busy: dict[str, float] = {}
        self.waits: dict[str, list[float]] = {}
        self.no_plan: list[str] = []
        self.no_lead: list[str] = []
        self.called_out: dict[str, int] = {}
        # incident -> (when, plan) a town plan handed it over to the district room
        self.handed_over: dict[str, tuple[float, str]] = {}
        # incident -> (when, plan) the district room handed it back to its town plan
        self.handed_back: dict[str, tuple[float, str]] = {}
        # incident -> (when, level) the town room first put a town-plan level in force
        self.town_decided: dict[str, tuple[float, str]] = {}
        # incident -> (when, level) each time the deciding room's level moved
        self.levels: dict[str, list[tuple[float, str | None]]] = {}
        # two leads on one site that no merge rule resolved: (when, incidents)
        self.two_leads: list[tuple[float, tuple[str, str]]] = []
        # incident -> (when, level, warranted, by) each level put in force
        # above what the plan's triggers give for what is known
        self.over: dict[str, list[tuple[float, str, str | None, str]]] = {}

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
        self.entries.append((self.env.now, actor, kind, incident, details))


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
            now = self.env.now
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
