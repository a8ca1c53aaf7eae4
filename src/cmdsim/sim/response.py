"""What a deciding room does when a case's level changes: the ledger and the
events of the change, the over-response and two-leads checks, the HQs
notified or stood down, the tasks set and the reports due.

:class:`Response` is one room's; :class:`~cmdsim.sim.decision.Decisions`
decides the level and calls :meth:`Response.decided` or
:meth:`Response.lowered`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from cmdsim.model.levels import Level
from cmdsim.sim.activation import HQProcess, Takeovers
from cmdsim.sim.case import Case, raise_flags
from cmdsim.sim.context import LevelChange, OverResponse, Run, Stamp, TwoLeads
from cmdsim.sim.events import EventKind
from cmdsim.sim.tasks import Workforce


class Response:
    """Puts a case's level in force at one room (``town_room``: a town's
    room deciding under its town plan) and answers for it."""

    def __init__(
        self,
        run: Run,
        room_id: str,
        hqs: Callable[[str], HQProcess | None],
        workforce: Workforce,
        takeovers: Takeovers,
        cases: Mapping[str, Case],
        town_room: bool,
    ) -> None:
        self.run = run
        self.room_id = room_id
        self.hqs = hqs
        self.workforce = workforce
        self.takeovers = takeovers
        self.cases = cases
        self.town_room = town_room
        self.town_duty: Callable[[Case], None] | None = None
        """At the district room: told of each change of level of a case taken
        over from a town plan (:meth:`~cmdsim.sim.decision.Decisions.town_duty`)."""

    def decided(
        self,
        case: Case,
        level: Level,
        activate: tuple[str, ...],
        known: Mapping[str, Any],
        by: str,
        **details: Any,
    ) -> None:
        """Put ``level`` in force on the case (decided or raised) and respond to it."""
        run = self.run
        assert case.plan is not None
        first = case.level is None
        case.level = level
        case.since = run.env.now
        facts = run.ledger.incident(case.incident)
        peak = facts.peak
        if peak is None or level > Level(peak):
            # The highest level of any room: a case handed back and over again
            # may start lower than before; a town's first response to a case
            # already handed over may come after the district room's level.
            facts.peak = level.value
        town_room = self.town_room
        if not (town_room and case.deferred):
            facts.levels.append(LevelChange(run.env.now, level.value))
        # The first decision of any room, once: a response closed and opened
        # again is not decided anew (its level is in ``levels``).
        if first and facts.decided is None:
            facts.decided = Stamp(run.env.now, level.value)
        if first and town_room and facts.town_decided is None:
            facts.town_decided = Stamp(run.env.now, level.value)
        run.emit(
            self.room_id,
            EventKind.LEVEL_DECIDED if first else EventKind.LEVEL_ESCALATED,
            case.incident,
            level=level.value,
            plan=case.plan.id,
            known=dict(known),
            by=by,
            **details,
        )
        if by not in ("warning", "district"):
            # A level back with the district's response was judged when first decided.
            self._over(case, level, by)
        if first and by != "district":
            self._two_leads(case)
        self._respond(case, level, activate)
        if self.town_duty is not None and case.taken_over:
            self.town_duty(case)

    def _over(self, case: Case, level: Level, by: str) -> None:
        """Record an over-response: ``level`` above what the triggers give
        for what is known (a raise flag the plan lists is in that level);
        a warning link's level is the plan's own rule, never one."""
        warranted = case.warranted(raise_flags(case, self.run))
        if warranted is not None and level <= warranted:
            return
        run = self.run
        source = "player" if by == "player" else "report"
        wanted = None if warranted is None else warranted.value
        run.ledger.incident(case.incident).over.append(
            OverResponse(run.env.now, level.value, wanted, source)
        )
        run.emit(
            self.room_id,
            EventKind.OVER_RESPONSE,
            case.incident,
            level=level.value,
            warranted=wanted,
            by=source,
        )

    def _two_leads(self, case: Case) -> None:
        """Log two leads on one site that no merge rule made one response."""
        run = self.run
        comp = run.compiled
        own = comp.incident.get(case.incident)
        site = own.incident.site if own is not None else None
        lead = case.plan.lead if case.plan is not None else None
        if site is None or lead is None:
            return
        for other in self.cases.values():
            if other is case or other.level is None or other.plan is None:
                continue
            found = comp.incident.get(other.incident)
            if found is None or found.incident.site != site or other.plan.lead in (None, lead):
                continue
            run.ledger.two_leads.append(TwoLeads(run.env.now, other.incident, case.incident))
            run.emit(
                self.room_id,
                EventKind.TWO_LEADS,
                case.incident,
                leads=[other.plan.lead, lead],
                incidents=[other.incident, case.incident],
                site=site,
                resolved_by=None,
            )
            return

    def staffed(self, case: Case, level: Level | None) -> None:
        """The duty rooms the case's level calls officers in to (加强值班), told of it."""
        calls = self.run.reinforcements
        if calls is not None and case.plan is not None:
            calls.level(f"{self.room_id}/{case.incident}", case.plan, level)

    def _respond(self, case: Case, level: Level, activate: tuple[str, ...]) -> None:
        assert case.plan is not None and case.rule is not None
        self.staffed(case, level)
        for command in activate:
            hq = self.hqs(command)
            if hq is not None:
                hq.notify(case.incident, level)
                case.active_hqs.add(command)
        lead = self.hqs(case.plan.lead) if case.plan.lead is not None else None
        for other in case.joined:
            # A merged sub-incident's plan: its HQs join under the one lead.
            for command in other.activated_by(level):
                hq = self.hqs(command)
                if hq is not None and command not in activate:
                    hq.notify(case.incident, level)
                    case.active_hqs.add(command)
        # The level includes the levels below it (``CompiledPlan.tasks``): a
        # case decided straight at II sets IV's and III's tasks too. A unit
        # named by several plans hears the level once.
        notified: set[str] = set()
        for plan in (case.rule, *case.joined):
            for target in plan.notify[level]:
                if target in notified:
                    continue
                notified.add(target)
                self.run.emit(target, EventKind.UNIT_NOTIFIED, case.incident, level=level.value)
            for task in plan.tasks[level]:
                if case.claim(self.run.compiled.task_name(case.incident, plan.id, task.id), task):
                    self.workforce.set_task(case.incident, plan.id, task, level, lead)
        # Reports follow their own rules (stages, min_level reached later).
        self.workforce.reporting.level(case.incident, case.plan, level, self.room_id, lead)
        if not (self.town_room and case.deferred):
            # The district room's level is the incident's once it is handed over.
            self.takeovers.level(case.incident, level, case=case)

    def lowered(self, case: Case, level: Level | None, by: str | None = None) -> None:
        """Lower the case's level to ``level`` (``None``: close the response):
        HQs no longer activated stand down, the others hear the new level."""
        run = self.run
        assert case.plan is not None
        case.level = level
        case.since = run.env.now
        # The lead's reassessment supersedes a level reported earlier (an
        # inject's): left in place it would raise the level straight back.
        case.reported = None
        # A town's part of a handed-over case closes with the district's
        # response (``by: district``), whose level is the incident's.
        below = self.town_room and case.deferred
        if not below:
            run.ledger.incident(case.incident).levels.append(
                LevelChange(run.env.now, None if level is None else level.value)
            )
        run.emit(
            self.room_id,
            EventKind.LEVEL_DEESCALATED if level is not None else EventKind.RESPONSE_CLOSED,
            case.incident,
            level=None if level is None else level.value,
            plan=case.plan.id,
            **({"by": by} if by is not None else {}),
        )
        assert case.rule is not None
        keep = set(case.rule.activated_by(level))
        for other in case.joined:
            keep.update(other.activated_by(level))
        for command in sorted(case.active_hqs - keep):
            hq = self.hqs(command)
            if hq is not None:
                hq.stand_down(case.incident)
        case.active_hqs &= keep
        for command in sorted(keep):
            hq = self.hqs(command)
            if hq is not None:
                hq.notify(case.incident, level)
        self.staffed(case, level)
        if self.town_duty is not None and case.taken_over and by != "hand_back":
            # Handed back, the town plan's level keeps the town room's officers.
            self.town_duty(case)
        # A follow-up on the change of level, or the final report on closing.
        self.workforce.reporting.level(case.incident, case.plan, level, self.room_id)
        if not below:
            self.takeovers.level(case.incident, level, passing=by == "hand_back", case=case)
