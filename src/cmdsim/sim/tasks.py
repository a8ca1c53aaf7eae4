"""Member units at work: tasks and reports against their deadlines.

A unit works on at most ``staff`` tasks at once (a SimPy ``Resource``); a
task holds the resources it names (rescue teams, pumps: SimPy ``Container``
levels shared by every incident) for its whole duration.  A deadline is
minutes after its :class:`~cmdsim.model.levels.Clock`; its due time is
resolved at the end of the run, since the clock (an HQ's activation) may
start after the work is done.  The ``activation`` clock of a task starts
when the plan's lead is at work at the level that set the task: at that
level's decision if the lead is already active, else at its activation.

A unit's staff and a resource are built on their first use.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from cmdsim.model.plans import ReportDeadline, Task
from cmdsim.sim.context import Run


class Workforce:
    """Every unit's staff and every resource, shared across incidents."""

    def __init__(self, run: Run, rooms: Callable[[str], simpy.PriorityResource | None]) -> None:
        self.run = run
        self._staff: dict[str, simpy.Resource] = {}
        self._resources: dict[str, simpy.Container] = {}
        self.rooms = rooms

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

    def task(self, incident: str, task: Task, level: str) -> None:
        self.run.env.process(self._task(incident, task, level))

    def report(self, incident: str, duty: ReportDeadline, level: str) -> None:
        self.run.env.process(self._report(incident, duty, level))

    def _task(self, incident: str, task: Task, level: str) -> Generator[simpy.Event, Any, None]:
        run = self.run
        rng = run.streams(f"task/{incident}/{task.id}")
        duration = task.duration.sample(rng)
        run.emit(task.unit, "task_assigned", incident, task=task.id, level=level)
        staff = self.staff(task.unit)
        request = staff.request() if staff is not None else None
        if request is not None:
            yield request
        held = []
        for resource_id, count in sorted(task.resources.items()):
            container = self.resource(resource_id)
            if container is None:
                continue
            yield container.get(count)
            held.append((resource_id, container, count))
        run.emit(task.unit, "task_started", incident, task=task.id)
        yield run.env.timeout(duration)
        busy = run.ledger.busy
        for resource_id, container, count in held:
            yield container.put(count)
            key = f"resource:{resource_id}"
            busy[key] = busy.get(key, 0.0) + count * duration
        busy[task.unit] = busy.get(task.unit, 0.0) + duration
        if request is not None and staff is not None:
            staff.release(request)
        self._done(incident, task.id, "task", task.unit, task.clock.value, task.deadline)

    def _report(
        self, incident: str, duty: ReportDeadline, level: str
    ) -> Generator[simpy.Event, Any, None]:
        run = self.run
        rng = run.streams(f"report/{incident}/{duty.id}")
        duration = duty.duration.sample(rng)
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
        yield run.env.timeout(duration)
        if request is not None:
            request.resource.release(request)
        run.ledger.busy[duty.by] = run.ledger.busy.get(duty.by, 0.0) + duration
        self._done(incident, duty.id, "report", duty.by, duty.clock.value, duty.within)

    def _done(
        self, incident: str, ident: str, kind: str, actor: str, clock: str, within: float | None
    ) -> None:
        run = self.run
        run.ledger.deadlines.setdefault(
            (incident, ident), (kind, actor, clock, within, run.env.now)
        )
        run.emit(
            actor,
            "report_sent" if kind == "report" else "task_done",
            incident,
            deadline=ident,
            clock=clock,
            within=within,
        )
