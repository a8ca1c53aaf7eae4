"""Member units at work: tasks, and the writing of reports, on shared staff and resources.

A unit works on at most ``staff`` tasks at once (a SimPy ``Resource``); a
task holds the resources it names (rescue teams, pumps: SimPy ``Container``
levels shared by every incident) for its whole duration.  A deadline is
minutes after its :class:`~cmdsim.model.levels.Clock`; its due time is
resolved at the end of the run, since the clock (an HQ's activation) may
start after the work is done.  The ``activation`` clock of a task starts
when the plan's lead is at work at the level that set the task: at that
level's decision if the lead is already active, else at its activation.

A report (:mod:`cmdsim.sim.report_duties` says which are called for, and when)
is written by its reporter (a duty room's officer or a unit's staff, queued
like any other work), then takes its ``transmit`` time to reach its
recipient, and counts when it arrives.

A unit's staff and a resource are built on their first use.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import simpy

from cmdsim.model.levels import Clock, Level
from cmdsim.model.plans import Task
from cmdsim.model.timing import Fixed
from cmdsim.sim.context import DeadlineFact, Run
from cmdsim.sim.events import EventKind
from cmdsim.sim.report_duties import Reporting, ReportItem
from cmdsim.sim.streams import report_stream, task_stream, transmit_stream

if TYPE_CHECKING:
    from cmdsim.sim.activation import HQProcess


class Workforce:
    """Every unit's staff and every resource, shared across incidents."""

    def __init__(self, run: Run, rooms: Callable[[str], simpy.PriorityResource | None]) -> None:
        self.run = run
        self._staff: dict[str, simpy.Resource] = {}
        self._resources: dict[str, simpy.Container] = {}
        self.rooms = rooms
        self.reporting = Reporting(self)

    def staff(self, unit_id: str) -> simpy.Resource | None:
        """The unit's staff as a resource (``None``: no such unit)."""
        staff = self._staff.get(unit_id)
        if staff is None:
            unit = self.run.compiled.units.get(unit_id)
            if unit is None:
                return None
            staff = self._staff[unit_id] = simpy.Resource(
                self.run.env, capacity=self.run.capacity(unit.staff)
            )
        return staff

    def resource(self, resource_id: str) -> simpy.Container | None:
        container = self._resources.get(resource_id)
        if container is None:
            resource = self.run.compiled.resources.get(resource_id)
            if resource is None:
                return None
            size = self.run.capacity(resource.capacity)
            container = self._resources[resource_id] = simpy.Container(
                self.run.env, capacity=size, init=size
            )
        return container

    def set_task(
        self, incident: str, plan: str, task: Task, level: Level, lead: HQProcess | None
    ) -> None:
        """Set ``plan``'s ``task`` for the incident at ``level``: its deadline's
        clock starts (``decision``: now; ``activation``: when ``lead`` is at
        work for the incident), then the unit takes the work on.  The task
        goes by its name in the incident (:meth:`Compiled.task_name`: its id,
        or ``<plan>:<id>`` apart from another plan's of the same id) in its
        deadline record, its events and its stream."""
        clocks = self.run.ledger.incident(incident).clocks
        name = self.run.compiled.task_name(incident, plan, task.id)
        if task.clock is Clock.DECISION:
            clocks.setdefault(name, self.run.env.now)
        elif task.clock is Clock.ACTIVATION and lead is not None:

            def started(time: float) -> None:
                clocks.setdefault(name, time)

            lead.when_active(incident, started)
        self.run.env.process(self._task(incident, task, level.value, name))

    def _task(
        self, incident: str, task: Task, level: str, name: str
    ) -> Generator[simpy.Event, Any, None]:
        run = self.run
        rng = run.streams(task_stream(incident, name))
        duration = task.duration.sample(rng)
        run.emit(task.unit, EventKind.TASK_ASSIGNED, incident, task=name, level=level)
        staff = self.staff(task.unit)
        request = staff.request() if staff is not None else None
        if request is not None:
            yield request
        held = []
        for resource_id, count in sorted(task.resources.items()):
            container = self.resource(resource_id)
            if container is None or count == 0:
                # Holding none is allowed (count >= 0) and SimPy refuses get(0).
                continue
            yield container.get(count)
            held.append((resource_id, container, count))
        run.emit(task.unit, EventKind.TASK_STARTED, incident, task=name)
        yield run.env.timeout(duration)
        busy = run.ledger.busy
        for resource_id, container, count in held:
            yield container.put(count)
            key = f"resource:{resource_id}"
            busy[key] = busy.get(key, 0.0) + count * duration
        busy[task.unit] = busy.get(task.unit, 0.0) + duration
        if request is not None and staff is not None:
            staff.release(request)
        clock = task.clock.value  # an enum's value is a property call: read once
        deadlines = run.ledger.incident(incident).deadlines
        if name not in deadlines:
            deadlines[name] = DeadlineFact("task", task.unit, clock, task.deadline, run.env.now)
        run.emit(
            task.unit,
            EventKind.TASK_DONE,
            incident,
            deadline=name,
            clock=clock,
            within=task.deadline,
        )

    def write(self, item: ReportItem) -> None:
        """Write the report ``item`` (queued for its reporter) and send it."""
        self.run.env.process(self._write(item))

    def _write(self, item: ReportItem) -> Generator[simpy.Event, Any, None]:
        run = self.run
        duty = item.duty
        # The first report of a duty draws from the stream it always has; the
        # k-th follow-up from its own, so one never shifts another.
        rng = run.streams(report_stream(item.incident, item.key, item.k))
        duration = duty.duration.sample(rng)
        transmit = (
            duty.transmit.minutes
            if isinstance(duty.transmit, Fixed)
            else duty.transmit.sample(run.streams(transmit_stream(item.incident, item.key, item.k)))
        )
        workers = self.rooms(duty.by)
        request: Any = None
        if workers is not None:
            request = workers.request(priority=0)
        else:
            staff = self.staff(duty.by)
            if staff is not None:
                request = staff.request()
        if request is not None:
            yield request
        item.started = run.env.now
        yield run.env.timeout(duration)
        if request is not None:
            request.resource.release(request)
        run.ledger.busy[duty.by] = run.ledger.busy.get(duty.by, 0.0) + duration
        run.emit(
            duty.by,
            EventKind.REPORT_SENT,
            item.incident,
            deadline=item.key,
            stage=duty.stage.value,
            to=duty.to,
            clock=item.clock,
            within=item.within if item.within is not None else duty.within,
        )
        if transmit > 0:
            yield run.env.timeout(transmit)
            run.emit(
                duty.to, EventKind.REPORT_ARRIVED, item.incident, deadline=item.key, by=duty.by
            )
        item.arrived = run.env.now
