"""Member units at work: tasks and reports against their deadlines.

A unit works on at most ``staff`` tasks at once (a SimPy ``Resource``); a
task holds the resources it names (rescue teams, pumps: SimPy ``Container``
levels shared by every incident) for its whole duration.  A deadline is
minutes after its :class:`~cmdsim.model.levels.Clock`; its due time is
resolved at the end of the run, since the clock (an HQ's activation) may
start after the work is done.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from cmdsim.model.plans import ReportDeadline, Task
from cmdsim.sim.context import Run


class Workforce:
    """Every unit's staff and every resource, shared across incidents."""

    def __init__(self, run: Run, rooms: dict[str, simpy.PriorityResource]) -> None:
        self.run = run
        self.staff: dict[str, Any] = {}
        self.resources: dict[str, simpy.Container] = {}
        self.rooms = rooms
        for unit in run.district.units:
            self.staff[unit.id] = simpy.Resource(run.env, capacity=run.capacity(unit.staff))
            run.ledger.busy[unit.id] = 0.0
            run.ledger.capacity[unit.id] = float(unit.staff)
            for resource in unit.resources:
                size = run.capacity(resource.capacity)
                self.resources[resource.id] = simpy.Container(run.env, capacity=size, init=size)
                run.ledger.busy[f"resource:{resource.id}"] = 0.0
                run.ledger.capacity[f"resource:{resource.id}"] = float(resource.capacity)

    def task(self, incident: str, task: Task, level: str) -> None:
        self.run.env.process(self._task(incident, task, level))

    def report(self, incident: str, duty: ReportDeadline, level: str) -> None:
        self.run.env.process(self._report(incident, duty, level))

    def _task(self, incident: str, task: Task, level: str) -> Generator[simpy.Event, Any, None]:
        run = self.run
        rng = run.streams(f"task/{incident}/{task.id}")
        duration = task.duration.sample(rng)
        run.emit(task.unit, "task_assigned", incident, task=task.id, level=level)
        with self.staff[task.unit].request() as request:
            yield request
            held = []
            for resource_id, count in sorted(task.resources.items()):
                container = self.resources.get(resource_id)
                if container is None:
                    continue
                yield container.get(count)
                held.append((resource_id, container, count))
            run.emit(task.unit, "task_started", incident, task=task.id)
            yield run.env.timeout(duration)
            for resource_id, container, count in held:
                yield container.put(count)
                run.ledger.busy[f"resource:{resource_id}"] += count * duration
            run.ledger.busy[task.unit] += duration
        self._done(incident, task.id, "task", task.unit, task.clock.value, task.deadline)

    def _report(
        self, incident: str, duty: ReportDeadline, level: str
    ) -> Generator[simpy.Event, Any, None]:
        run = self.run
        rng = run.streams(f"report/{incident}/{duty.id}")
        duration = duty.duration.sample(rng)
        workers = self.rooms.get(duty.by)
        if workers is not None:
            request = workers.request(priority=0)
        elif duty.by in self.staff:
            request = self.staff[duty.by].request()
        else:
            request = None
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
