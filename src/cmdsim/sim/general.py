"""The general plan in force under a takeover (总体应急预案: the "1" HQ acts under it).

When the general HQ takes over (:class:`~cmdsim.sim.activation.Takeovers`),
the general plan comes into force for every incident whose response is in
force then or later (the incidents taken over), at one level: the gravest
level in force among those incidents' responses.  A plan writing only some
levels is read as the engine reads every plan: a level includes the lower
levels' actions (``Plan.included``, :class:`~cmdsim.sim.compiled.CompiledPlan`).

For each incident taken over, the level's HQs are notified for it (the
general HQ, at work already, joins it), its units notified and its reports
called for (:class:`~cmdsim.sim.report_duties.Reporting`, with the special
plans' clock rules).  The plan's tasks (open the command post, mass care …)
are the general HQ's, done once for the event it took over: each is set
once, when the plan first comes in force at a level that includes it (a
task repeated at a higher level is the same work), with the incident whose
level brings that level in force (the first taken over at the gravest
level); a later incident raising the gravest level adds only the tasks of
the levels newly included.  The general plan learns of an incident
when it takes it over: a report due from learning of it (``aware`` or
``onset``) runs from the takeover (:meth:`Reporting.learns`).  The special
plans keep their own levels and duties: each HQ reports its own sector.

The general level follows the gravest level in force; an incident's part
of it closes when the incident's own response closes (its final report,
its HQs stood down).  The takeover ends when the last of them closes
(:class:`~cmdsim.sim.activation.Takeovers`), and the plan goes out of force
(:meth:`GeneralResponse.stop`), so the general plan is in force for an
incident exactly while a takeover holds and the incident's own response is
in force.  An incident the general plan governs itself keeps its own level
under it and nothing of the plan is set for it again: what counts is the
plan its case is decided under (a town room may decide under a town-tier
general plan), read at every change, so an incident handed over to the plan
leaves the takeover's part (:meth:`GeneralResponse.governs`).  Each change
is one ``general_plan`` event (``level``: ``None`` on closing); none follows
the takeover's end.  A second takeover puts it in force again; a task
already set in the run is not set again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from cmdsim.model.levels import Level
from cmdsim.sim.activation import HQProcess
from cmdsim.sim.case import Case
from cmdsim.sim.compiled import CompiledPlan
from cmdsim.sim.context import Run
from cmdsim.sim.events import EventKind
from cmdsim.sim.tasks import Workforce


class GeneralResponse:
    """The general plan's response under a takeover, one level for every
    incident taken over (see the module)."""

    def __init__(
        self,
        run: Run,
        plan: CompiledPlan,
        room: str,
        hqs: Callable[[str], HQProcess | None],
        workforce: Workforce,
    ) -> None:
        self.run = run
        self.plan = plan
        self.room = room
        self.hqs = hqs
        self.workforce = workforce
        self.active = False
        self.level: Level | None = None
        self.in_force: dict[str, Level] = {}
        """Incident -> the general plan's level in force for it."""
        self.tasks: set[str] = set()
        """The plan's tasks set: each once for the event taken over."""

    def governs(self, case: Case | None) -> bool:
        """Whether the plan governs the incident of ``case`` itself (a hazard
        no special plan names, or a town room deciding under it): in force
        for it already, under the case's own level, whatever plan the
        district would have chosen for its hazard."""
        return case is not None and case.plan is not None and case.plan.id == self.plan.id

    def start(self, levels: Mapping[str, Level], cases: Mapping[str, Case]) -> None:
        """The takeover holds from now: put the plan in force (``levels``:
        each incident's level in force; ``cases``: each incident's case at
        the room deciding it)."""
        self.active = True
        self.update(levels, cases)

    def stop(self) -> None:
        """The takeover ended (every incident's part already closed): out of force."""
        self.active = False
        self.level = None

    def update(self, levels: Mapping[str, Level], cases: Mapping[str, Case]) -> None:
        """An incident's level moved: follow the gravest, close what closed."""
        if not self.active:
            return
        for incident in [i for i in self.in_force if i not in levels]:
            self._close(incident)
        for incident in [i for i in self.in_force if self.governs(cases.get(i))]:
            self._yield(incident, levels[incident])
        if not levels:
            return
        level = max(levels.values())
        self.level = level
        taken = [i for i in levels if not self.governs(cases.get(i))]
        # The incident the level's new tasks go with: the first at it.
        owner = next((i for i in taken if levels[i] == level), taken[0] if taken else None)
        for incident in taken:
            if self.in_force.get(incident) != level:
                self._put(incident, level, incident == owner, cases.get(incident))

    def _put(self, incident: str, level: Level, owner: bool, case: Case | None) -> None:
        """Put the plan in force for ``incident`` at ``level``; with ``owner``,
        set the level's tasks not yet set for the event, each unless ``case``
        (the incident's case at the room deciding it) has the same work set
        already (:meth:`~cmdsim.sim.case.Case.claim`: the same task id, the
        same unit, under its lead plan)."""
        run = self.run
        plan = self.plan
        old = self.in_force.get(incident)
        self.in_force[incident] = level
        lead_id = plan.lead
        run.emit(
            lead_id or self.room,
            EventKind.GENERAL_PLAN,
            incident,
            level=level.value,
            plan=plan.id,
            was=None if old is None else old.value,
        )
        keep = plan.activated_by(level)
        if old is not None:
            for command in plan.activated_by(old):
                hq = self.hqs(command)
                if command not in keep and hq is not None:
                    hq.stand_down(incident)
        for command in keep:
            hq = self.hqs(command)
            if hq is not None:
                hq.notify(incident, level)
        lead = self.hqs(lead_id) if lead_id is not None else None
        for target in plan.notify[level]:
            run.emit(target, EventKind.UNIT_NOTIFIED, incident, level=level.value)
        for task in plan.tasks[level] if owner else ():
            if task.id in self.tasks:
                continue
            self.tasks.add(task.id)
            # Work the lead plan set the same unit already is under way for
            # the event: the general HQ coordinates it, it does not start it
            # again (nor does the lead plan, should the general plan set it first).
            name = run.compiled.task_name(incident, plan.id, task.id)
            if case is None or case.claim(name, task):
                self.workforce.set_task(incident, plan.id, task, level, lead)
        reporting = self.workforce.reporting
        if old is None:
            reporting.learns(incident, plan.plan)
        reporting.level(incident, plan.plan, level, self.room, lead)

    def _yield(self, incident: str, level: Level) -> None:
        """The plan came to govern the incident itself (handed over to it):
        its part under the takeover gives way to the case's own ``level``,
        which its room has put in force and reported; the HQs only the part
        called stand down for it."""
        old = self.in_force.pop(incident)
        keep = self.plan.activated_by(level)
        for command in self.plan.activated_by(old):
            hq = self.hqs(command)
            if command not in keep and hq is not None:
                hq.stand_down(incident)

    def _close(self, incident: str) -> None:
        run = self.run
        plan = self.plan
        old = self.in_force.pop(incident)
        run.emit(
            plan.lead or self.room,
            EventKind.GENERAL_PLAN,
            incident,
            level=None,
            plan=plan.id,
            was=old.value,
        )
        for command in plan.activated_by(old):
            hq = self.hqs(command)
            if hq is not None:
                hq.stand_down(incident)
        self.workforce.reporting.level(incident, plan.plan, None, self.room)
