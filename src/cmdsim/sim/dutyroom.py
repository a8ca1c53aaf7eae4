"""Duty rooms: reports queue for the officers on shift, are triaged, merged
per incident, and the district room decides the level with a leader's approval.

Officers are a SimPy ``PriorityResource`` as large as the largest shift; a
shift process holds the surplus with top-priority "blocker" requests, so the
number free follows :class:`~cmdsim.model.timing.Staffing` by time band and a
report can queue at night.  A shift change never interrupts work in hand.

A room is built when its first report arrives (a run touches few of the
district's rooms); its rostered minutes come from the compiled band schedule.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from cmdsim.model.organisation import DutyRoom
from cmdsim.sim.context import UNLIMITED, Run, next_band_change
from cmdsim.sim.events import EventKind
from cmdsim.sim.reporting import Report
from cmdsim.sim.streams import forward_stream, triage_stream

Triaged = Callable[[Report], None]


class DutyRoomProcess:
    """One duty room: a store of incoming reports and officers to triage them."""

    def __init__(self, run: Run, room: DutyRoom, on_triaged: Triaged) -> None:
        self.run = run
        self.room = room
        self.on_triaged = on_triaged
        self.inbox: simpy.Store = simpy.Store(run.env)
        self.arrivals: list[Triaged] = []
        """Probes told of each report as it is put (before any queue)."""
        staffing = room.staffing
        self.extra = 0
        """Officers called in (加强值班, :mod:`cmdsim.sim.reinforce`) on top of the shift."""
        self.top = staffing.largest + run.compiled.reinforce.get(room.id, 0)
        unlimited = run.options.unlimited_capacity
        self.officers = simpy.PriorityResource(
            run.env, capacity=UNLIMITED if unlimited else self.top
        )
        self.blockers: list[Any] = []
        run.ledger.busy.setdefault(room.id, 0.0)
        self.waits: list[float] = run.ledger.waits.setdefault(room.id, [])
        if not unlimited:
            run.env.process(self._shifts())
        run.env.process(self._dispatch())

    def put(self, report: Report) -> simpy.Event:
        """A report reaches the room: the probes see it, then it joins the inbox."""
        for probe in self.arrivals:
            probe(report)
        return self.inbox.put(report)

    def _shifts(self) -> Generator[simpy.Event, Any, None]:
        run = self.run
        env = run.env
        horizon = run.compiled.horizon
        while True:
            self._roster(self.room.staffing.on_duty(run.band()))
            until = next_band_change(run, env.now)
            if until >= horizon:
                return
            yield env.timeout(until - env.now)

    def reinforce(self, officers: int) -> None:
        """``officers`` called in are now on duty on top of the shift."""
        self.extra = officers
        if not self.run.options.unlimited_capacity:
            self._roster(self.room.staffing.on_duty(self.run.band()))

    def _roster(self, on_duty: int) -> None:
        wanted = self.top - on_duty - self.extra
        while len(self.blockers) > wanted:
            request = self.blockers.pop()
            if request.triggered:
                self.officers.release(request)
            else:
                request.cancel()
        while len(self.blockers) < wanted:
            self.blockers.append(self.officers.request(priority=-1))

    def _dispatch(self) -> Generator[simpy.Event, Any, None]:
        while True:
            report = yield self.inbox.get()
            self.run.env.process(self._handle(report))

    def _handle(self, report: Report) -> Generator[simpy.Event, Any, None]:
        # Once per report: the room's and run's attributes read once each.
        run = self.run
        env = run.env
        room = self.room
        room_id = room.id
        officers = self.officers
        arrived = env._now  # ``now`` without the property call (see EventLog.record)
        request = officers.request(priority=0)
        yield request
        self.waits.append(env._now - arrived)
        # Each incident's reports draw from a stream of their own, so another
        # incident's reports never shift them (common random numbers).
        known = run.knowledge
        name = (
            triage_stream(room_id, report.incident)
            if known is None
            else known.triage_stream(room_id, report)
        )
        factor = room.factors.factor(run.band())
        work = room.triage.sample(run.streams(name)) * factor
        # Verification (核实) is the same officer's work, after triage.
        verify = 0.0 if known is None else known.verification(room_id, report, factor)
        yield env.timeout(work + verify)
        # Added, never assigned: the room's officers also write reports
        # (sim/tasks.py adds that time to the same total).
        run.ledger.busy[room_id] += work + verify
        officers.release(request)
        if known is None or known.handled(room_id, report, work, verify):
            self.on_triaged(report)


class TownRoom:
    """A town duty room: triage, then forward to the district room
    (``upstream``: the district room's :meth:`DutyRoomProcess.put`).

    ``decide``, if given, is handed each triaged report first (the town's own
    decisions under a town plan); forwarding goes on as without it.
    """

    def __init__(
        self,
        run: Run,
        room: DutyRoom,
        upstream: Callable[[Report], simpy.Event],
        decide: Triaged | None = None,
    ) -> None:
        self.run = run
        self.room = room
        self.upstream = upstream
        self.decide = decide
        self.process = DutyRoomProcess(run, room, self._forward)

    def _forward(self, report: Report) -> None:
        if self.decide is not None:
            self.decide(report)
        self.run.env.process(self._send(report))

    def _send(self, report: Report) -> Generator[simpy.Event, Any, None]:
        run = self.run
        rng = run.streams(forward_stream(self.room.id, report.incident))
        delay = self.room.forward.sample(rng) * self.room.factors.factor(run.band())
        yield run.env.timeout(delay)
        if run.options.trace:
            run.emit(
                self.room.id, EventKind.REPORT_FORWARDED, report.incident, channel=report.channel
            )
        yield self.upstream(report._replace(via=self.room.id))
