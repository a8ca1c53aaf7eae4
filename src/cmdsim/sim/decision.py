"""The duty rooms' decisions: one case per incident, its level from
the plan's triggers on what is KNOWN (the severity each report observed, or
the lead's re-assessment), leader approval, then notification of the HQs,
tasks and reports; escalation and de-escalation per ``Plan.escalation``.

The district room decides under the district's plans; a town room with a
town-tier plan for an incident's hazard decides under it until the incident
outgrows it, then hands the case over to the district room (see
:meth:`Decisions.take_over`).  The town's first response (its plan's own
level, its command and tasks) runs even when the first news is already
beyond the town plan; a district plan's warning link takes the case over at
once.  With the town plan's ``escalation.hand_back`` the district room hands
the case back when its plan would de-escalate to a level the town plan
covers (:meth:`Decisions.take_back`).

Reports of one incident reaching the room within ``merge_window`` minutes of
its first are merged into the case (``report_merged``); later ones update it.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from typing import Any

import simpy

from cmdsim.model.levels import Clock, Level, Signal
from cmdsim.plain import plain
from cmdsim.sim.activation import HQProcess, Takeovers
from cmdsim.sim.compiled import CompiledPlan
from cmdsim.sim.context import DecisionPoint, Run
from cmdsim.sim.events import EventKind
from cmdsim.sim.reporting import Report
from cmdsim.sim.streams import (
    approval_stream,
    handback_stream,
    handover_stream,
    reassess_stream,
)
from cmdsim.sim.tasks import Workforce

TOWN_ROOM = "town-room"
"""The role of a town duty room deciding under its town plan: a drill's
``duty-room`` player plays the district room, not the towns' rooms."""

LEAD_HQ = "lead-hq"
"""The role of the lead HQ's commander at reassessment (see :meth:`Decisions._lead`)."""


MIN_REASSESS = 1.0
"""Minutes between a lead's reassessments at the least: nobody re-walks a
scene more often, and a near-zero delay (``Fixed(1e-300)``) would otherwise
step the run forward by nothing, forever."""


def merge_known(known: dict[str, Any], seen: Mapping[str, Any]) -> None:
    """Fold what a report says (``seen``) into what a case knows: each figure
    or signal kept at its highest (the fast path folds its reports the same way)."""
    for key, value in seen.items():
        old = known.get(key)
        if old is None or _rank(value) > _rank(old):
            known[key] = value


def _rank(value: Any) -> float:
    if type(value) is float:
        return value
    if isinstance(value, Signal):
        return float(value.rank)
    rank = getattr(value, "rank", None)
    return float(rank) if rank is not None else float(value)


class Case:
    """One incident as the duty room handles it."""

    def __init__(
        self,
        run: Run,
        incident: str,
        hazard: str,
        town: str | None,
        compiled: CompiledPlan | None,
    ) -> None:
        self.incident = incident
        self.hazard = hazard
        self.town = town
        self.rule = compiled
        self.plan = compiled.plan if compiled is not None else None
        self.known: dict[str, Any] = {}
        self.reported: Level | None = None
        self.first = run.env.now
        self.level: Level | None = None
        self.since = run.env.now
        self.busy = False
        self.active_hqs: set[str] = set()
        self.flags: tuple[str, ...] = ()
        self.reassessing = False
        self.tasks: set[str] = set()
        self.deferred = False
        """This room does not decide the case: a town plan governs it (at the
        district room, until hand-over), or it was handed over (at a town room)."""
        self.successor: CompiledPlan | None = None
        """At a town room: the plan that takes over when the case outgrows the town plan."""
        self.taken_over = False
        """At the district room: the case came from a town plan by hand-over."""
        self.joined: tuple[CompiledPlan, ...] = ()
        """The plans of the sub-incidents merged into this case (one response
        per site): their triggers count towards its one level, their HQs join
        its lead's response."""


class Decisions:
    """Receives triaged reports at one deciding room and runs each case.

    The district room's (``upstream`` is ``None``) decides under
    :meth:`Compiled.plan_for`, deferring incidents a town plan governs until
    they are handed over; a town room's decides under the town's plan and
    hands over to ``upstream``.
    """

    def __init__(
        self,
        run: Run,
        room_id: str,
        hqs: Callable[[str], HQProcess | None],
        workforce: Workforce,
        takeovers: Takeovers,
        on_level: Callable[[str, Level | None], None] | None = None,
        upstream: Decisions | None = None,
        downstream: Callable[[Report], None] | None = None,
    ) -> None:
        self.run = run
        self.room_id = room_id
        self.hqs = hqs
        self.workforce = workforce
        self.takeovers = takeovers
        self.upstream = upstream
        self.downstream = downstream
        self.cases: dict[str, Case] = {}
        self.room = run.compiled.rooms[room_id]
        self.town_of: Callable[[str | None], Decisions | None] | None = None
        """At the district room: the town room's decisions for a town (hand-back, link)."""

    def received(self, report: Report) -> None:
        """A report reached the room (before queueing): awareness starts here."""
        run = self.run
        run.ledger.reports[report.incident] = run.ledger.reports.get(report.incident, 0) + 1
        if report.incident not in run.ledger.aware:
            run.ledger.aware[report.incident] = run.env.now
            run.emit(self.room_id, EventKind.AWARE, report.incident, channel=report.channel)
        elif run.trace:
            run.emit(
                self.room_id, EventKind.REPORT_RECEIVED, report.incident, channel=report.channel
            )

    def triaged(self, report: Report) -> None:
        run = self.run
        case = self.cases.get(report.incident)
        if case is None:
            case = self._open(report.incident, report.hazard, report.town)
            if case.plan is None and not case.deferred:
                run.ledger.no_plan.append(report.incident)
                run.emit(self.room_id, EventKind.NO_PLAN, report.incident, hazard=report.hazard)
            elif case.plan is not None and case.plan.lead is None and not case.deferred:
                run.ledger.no_lead.append(report.incident)
                run.emit(self.room_id, EventKind.NO_LEAD, report.incident, plan=case.plan.id)
        elif run.trace:
            merged = run.env.now - case.first <= self.room.merge_window
            run.emit(
                self.room_id,
                EventKind.REPORT_MERGED if merged else EventKind.REPORT_UPDATE,
                report.incident,
            )
        if case.deferred and self.downstream is not None and report.via is None:
            # A town plan governs: the district room passes the report down to
            # the town room, which has not seen it.
            known = run.compiled.incident.get(report.incident)
            self.downstream(report if known is None else report._replace(town=known.town))
        merge_known(case.known, report.known)
        self._seen(case)
        if case.plan is not None and not case.deferred:
            self.workforce.reporting.figures(case.incident, case.plan, case.known)
        if report.level is not None:
            case.reported = report.level
        if case.plan is not None and not case.busy and (not case.deferred or self._first(case)):
            case.busy = True
            run.env.process(self._decide(case))

    def _first(self, case: Case) -> bool:
        """A town room's case whose first response is still to come (even if handed over)."""
        return self.upstream is not None and case.level is None

    def _open(self, incident_id: str, hazard: str, town: str | None) -> Case:
        """A new case under the plan this room decides it by (see the class)."""
        run = self.run
        comp = run.compiled
        # The incident's own town, whatever the first report said: an inject
        # naming no town must not change which plan decides the case.
        town = comp.case_town(incident_id, town)
        town_plan = comp.town_plan_for(hazard, town)
        rule = town_plan if self.upstream is not None else comp.plan_for(hazard, town)
        case = self.cases[incident_id] = Case(run, incident_id, hazard, town, rule)
        if town_plan is not None:
            if self.upstream is None:
                case.deferred = True
            else:
                case.successor = comp.hand_over_to(town_plan, hazard)
                above = self.upstream.cases.get(incident_id)
                # The district room took it over already (a warning link).
                case.deferred = above is not None and above.taken_over and not above.deferred
        incident = comp.incident.get(incident_id)
        case.flags = incident.flags if incident is not None else ()
        group = comp.sites.get(incident_id)
        if group is not None and self.upstream is None and rule is not None:
            joined: dict[str, CompiledPlan] = {}
            for member in group.merged:
                other = comp.incident[member]
                found = comp.plan_for(other.hazard, other.town)
                if found is not None and found.id != rule.id:
                    joined.setdefault(found.id, found)
                case.flags = tuple(dict.fromkeys((*case.flags, *other.flags)))
            case.joined = tuple(joined.values())
        return case

    def take_over(self, town_case: Case) -> None:
        """The district room takes over a case a town plan outgrew (``plan_handed_over``)."""
        run = self.run
        successor = town_case.successor
        assert successor is not None and town_case.plan is not None
        case = self.cases.get(town_case.incident)
        if case is None:
            case = self._open(town_case.incident, town_case.hazard, town_case.town)
        elif case.taken_over and not case.deferred:
            merge_known(case.known, town_case.known)  # it governs already (a warning link)
            return
        case.rule = successor
        case.plan = successor.plan
        case.deferred = False
        case.taken_over = True
        merge_known(case.known, town_case.known)
        if town_case.reported is not None:
            case.reported = town_case.reported
        run.ledger.handed_over.setdefault(case.incident, (run.env.now, successor.id))
        self.workforce.reporting.governs(case.incident, successor.plan, self.room_id)
        run.emit(
            self.room_id,
            EventKind.PLAN_HANDED_OVER,
            case.incident,
            **{"from": town_case.plan.id},
            to=successor.id,
            level=None if town_case.level is None else town_case.level.value,
        )
        if not case.busy:
            case.busy = True
            run.env.process(self._decide(case))

    def _hand_over(self, case: Case, level: Level) -> Generator[simpy.Event, Any, None]:
        """The town room reports the outgrown case up: the district room takes
        it over after the room's ``forward`` delay, as a report would reach it."""
        run = self.run
        assert case.successor is not None
        run.emit(
            self.room_id,
            EventKind.HAND_OVER_REQUESTED,
            case.incident,
            to=case.successor.id,
            level=level.value,
        )
        rng = run.streams(handover_stream(self.room_id, case.incident))
        delay = self.room.forward.sample(rng) * self.room.factors.factor(run.band())
        yield run.env.timeout(delay)
        assert self.upstream is not None
        self.upstream.take_over(case)

    def _outgrown(self, case: Case, level: Level) -> bool:
        """Whether a town case's warranted ``level`` is beyond what its plan covers."""
        successor = case.successor
        if successor is None or case.rule is None:
            return False
        top = case.rule.top
        if top is None or level > top:
            return True
        return case.rule.level_for(case.known, self._flags(case)) is None and (
            successor.level_for(case.known, self._flags(case)) is not None
        )

    def _seen(self, case: Case) -> None:
        """Note the case's known picture for the results (what reporters knew)."""
        knowledge = self.run.knowledge
        if knowledge is None or case.deferred or case.rule is None:
            return
        level = case.rule.level_for(case.known, self._flags(case))
        knowledge.seen(case.incident, case.known, case.rule, level)

    def _own(self, case: Case) -> Level | None:
        """The town plan's own level on what is known, at most its top level."""
        rule = case.rule
        if rule is None:
            return None
        level = rule.level_for(case.known, self._flags(case))
        if level is not None and rule.top is not None and level > rule.top:
            level = rule.top
        return level

    def _flags(self, case: Case) -> tuple[str, ...]:
        return case.flags + (("holiday",) if self.run.band().is_holiday else ())

    def _level_on(self, case: Case, known: Mapping[str, Any]) -> Level | None:
        """The level the case's plan and the plans merged into it give on ``known``."""
        assert case.rule is not None
        flags = self._flags(case)
        level = case.rule.level_for(known, flags)
        for other in case.joined:
            found = other.level_for(known, flags)
            if found is not None and (level is None or found > level):
                level = found
        return level

    def _warranted(self, case: Case) -> Level | None:
        """The level the plans' triggers give for what is known (raise flags included)."""
        level = self._level_on(case, case.known)
        if case.successor is not None:
            above = case.successor.level_for(case.known, self._flags(case))
            if above is not None and (level is None or above > level):
                level = above
        return level

    def _wanted(self, case: Case) -> Level | None:
        level = self._warranted(case)
        reported = case.reported
        if reported is not None and (level is None or reported > level):
            level = reported
        return level

    def _decide(self, case: Case) -> Generator[simpy.Event, Any, None]:
        """Decide or raise the level until the case's knowledge stops moving."""
        run = self.run
        assert case.plan is not None
        plan = case.plan
        while True:
            level = self._wanted(case)
            if level is None or (case.level is not None and level <= case.level):
                break
            if self.upstream is not None and self._outgrown(case, level):
                if not case.deferred:
                    case.deferred = True
                    run.env.process(self._hand_over(case, level))
                # The town's first response runs under its own plan all the same.
                own = self._own(case)
                if case.level is not None or own is None:
                    break
                level = own
            activate = case.rule.activated_by(level) if case.rule is not None else ()
            known = {k: plain(v) for k, v in case.known.items()}
            decided_by = "plan"
            policy = run.options.decisions
            if policy is not None:
                point = DecisionPoint(
                    "duty-room" if self.upstream is None else TOWN_ROOM,
                    run.env.now,
                    case.incident,
                    level,
                    tuple(activate),
                    known,
                    plan.id,
                    case.level,
                )
                decision = policy.decide(point)
                if decision is not None:
                    level = decision.level
                    activate = tuple(decision.activate)
                    decided_by = "player"
                    run.emit(
                        self.room_id,
                        EventKind.DECISION,
                        case.incident,
                        level=None if level is None else level.value,
                        activate=list(activate),
                    )
                if level is None or (case.level is not None and level <= case.level):
                    break
            # Each case its own stream: one incident's escalations never
            # shift another's approvals (common random numbers across
            # variants; the fast path's first decisions are exact).
            rng = run.streams(approval_stream(self.room_id, case.incident))
            approval = self.room.approval.sample(rng)
            yield run.env.timeout(approval * self.room.factors.factor(run.band()))
            if case.level is not None and level <= case.level:
                # A warning link confirmed this level (or more) while the
                # leader was approving: nothing left to raise.
                continue
            self._set(case, level, tuple(activate), known, decided_by)
        case.busy = False
        if case.level is not None and not case.reassessing and not case.deferred:
            case.reassessing = True
            run.env.process(self._reassess(case))

    def _set(
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
        peak = run.ledger.peak.get(case.incident)
        if peak is None or level > Level(peak):
            # The highest level of any room: a case handed back and over again
            # may start lower than before; a town's first response to a case
            # already handed over may come after the district room's level.
            run.ledger.peak[case.incident] = level.value
        if not (self.upstream is not None and case.deferred):
            run.ledger.final_level[case.incident] = level.value
            run.ledger.levels.setdefault(case.incident, []).append((run.env.now, level.value))
        town_room = self.upstream is not None
        if first and not ((case.taken_over or town_room) and case.incident in run.ledger.decided):
            run.ledger.decided[case.incident] = (run.env.now, level.value)
        if first and town_room:
            run.ledger.town_decided.setdefault(case.incident, (run.env.now, level.value))
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
        if by != "warning":
            self._over(case, level, by)
        if first:
            self._two_leads(case)
        self._respond(case, level, activate, first)

    def _over(self, case: Case, level: Level, by: str) -> None:
        """Record an over-response: ``level`` above what the triggers give
        for what is known (a raise flag the plan lists is in that level);
        a warning link's level is the plan's own rule, never one."""
        warranted = self._warranted(case)
        if warranted is not None and level <= warranted:
            return
        run = self.run
        source = "player" if by == "player" else "report"
        wanted = None if warranted is None else warranted.value
        run.ledger.over.setdefault(case.incident, []).append(
            (run.env.now, level.value, wanted, source)
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
            pair = (other.incident, case.incident)
            run.ledger.two_leads.append((run.env.now, pair))
            run.emit(
                self.room_id,
                EventKind.TWO_LEADS,
                case.incident,
                leads=[other.plan.lead, lead],
                incidents=list(pair),
                site=site,
                resolved_by=None,
            )
            return

    def linked(
        self, incident: str, hazard: str, town: str | None, level: Level, signal: Signal
    ) -> None:
        """A warning link confirmed ``level`` for ``signal``: no triage, no approval.

        The level is put in force at once unless it already is; the case is
        opened if no report has reached the room yet.  A case a town plan
        governs is left to the town room (the link is the district plan's).
        """
        run = self.run
        group = run.compiled.sites.get(incident)
        if group is not None and group.key != incident:
            key = run.compiled.incident[group.key]
            incident, hazard, town = key.id, key.hazard, key.town
        case = self.cases.get(incident)
        if case is None:
            case = self._open(incident, hazard, town)
        if case.deferred and case.plan is not None and self.upstream is None:
            self._claim(case)
        if case.plan is None or case.deferred:
            return
        merge_known(case.known, {"signal": signal})
        if case.level is not None and level <= case.level:
            run.emit(
                self.room_id,
                EventKind.WARNING_CONFIRMED,
                incident,
                signal=signal.value,
                level=case.level.value,
            )
            return
        activate = case.rule.activated_by(level) if case.rule is not None else ()
        known = {k: plain(v) for k, v in case.known.items()}
        self._set(case, level, tuple(activate), known, "warning", signal=signal.value)
        if not case.reassessing:
            case.reassessing = True
            run.env.process(self._reassess(case))

    def _claim(self, case: Case) -> None:
        """The district plan's warning link takes a case from the town plan at once
        (``plan_handed_over`` with ``by: warning``); the town room's first response
        still runs."""
        run = self.run
        comp = run.compiled
        origin = comp.town_plan_of(case.incident, case.hazard, case.town)
        case.deferred = False
        case.taken_over = True
        assert case.rule is not None and case.plan is not None
        run.ledger.handed_over.setdefault(case.incident, (run.env.now, case.rule.id))
        self.workforce.reporting.governs(case.incident, case.plan, self.room_id)
        run.emit(
            self.room_id,
            EventKind.PLAN_HANDED_OVER,
            case.incident,
            **{"from": None if origin is None else origin.id},
            to=case.rule.id,
            level=None,
            by="warning",
        )
        town = self.town_of(case.town) if self.town_of is not None else None
        below = town.cases.get(case.incident) if town is not None else None
        if below is not None:
            below.deferred = True

    def _hand_back(self, case: Case, lower: Level | None, known: Mapping[str, Any]) -> bool:
        """Hand a taken-over case back to its town plan if that plan's ``hand_back``
        rule applies to the level the district plan would lower it to."""
        run = self.run
        comp = run.compiled
        origin = comp.town_plan_of(case.incident, case.hazard, case.town)
        if origin is None or not origin.plan.escalation.hand_back or case.plan is None:
            return False
        town_level = origin.level_for(known, self._flags(case))
        if town_level is None or (origin.top is not None and town_level > origin.top):
            return False
        if lower is not None and origin.top is not None and lower > origin.top:
            return False
        run.ledger.handed_back[case.incident] = (run.env.now, origin.id)
        run.emit(
            self.room_id,
            EventKind.PLAN_HANDED_BACK,
            case.incident,
            **{"from": case.plan.id},
            to=origin.id,
            level=town_level.value,
        )
        case.known = dict(known)
        self._lower(case, None, "hand_back")
        case.deferred = True
        run.env.process(self._give_back(case, town_level))
        return True

    def _give_back(self, case: Case, level: Level) -> Generator[simpy.Event, Any, None]:
        """The hand-back reaches the town room in the district room's ``forward`` delay."""
        run = self.run
        rng = run.streams(handback_stream(self.room_id, case.incident))
        delay = self.room.forward.sample(rng) * self.room.factors.factor(run.band())
        yield run.env.timeout(delay)
        town = self.town_of(case.town) if self.town_of is not None else None
        if town is not None:
            town.take_back(case.incident, level, case.known)

    def take_back(self, incident: str, level: Level, known: Mapping[str, Any]) -> None:
        """The town room takes a case back under its town plan at ``level``
        (``plan_taken_back``) and reassesses it again."""
        run = self.run
        case = self.cases.get(incident)
        if case is None or case.plan is None:
            return
        case.deferred = False
        case.known = dict(known)
        case.reported = None
        case.level = level
        case.since = run.env.now
        run.ledger.final_level[incident] = level.value
        run.ledger.levels.setdefault(incident, []).append((run.env.now, level.value))
        run.emit(
            self.room_id, EventKind.PLAN_TAKEN_BACK, incident, plan=case.plan.id, level=level.value
        )
        for command in case.rule.activated_by(level) if case.rule is not None else ():
            hq = self.hqs(command)
            if hq is not None:
                hq.notify(incident, level)
                case.active_hqs.add(command)
        self.workforce.reporting.level(incident, case.plan, level, self.room_id)
        self.takeovers.level(incident, level)
        if not case.reassessing and not case.busy:
            case.reassessing = True
            run.env.process(self._reassess(case))

    def _respond(self, case: Case, level: Level, activate: tuple[str, ...], first: bool) -> None:
        assert case.plan is not None
        response = case.plan.levels.get(level)
        for command in activate:
            hq = self.hqs(command)
            if hq is not None:
                hq.notify(case.incident, level)
                case.active_hqs.add(command)
        lead = self.hqs(case.plan.lead) if case.plan.lead is not None else None
        responses = [response] if response is not None else []
        for other in case.joined:
            # A merged sub-incident's plan: its HQs join under the one lead,
            # its tasks at the one level run once.
            for command in other.activated_by(level):
                hq = self.hqs(command)
                if hq is not None and command not in activate:
                    hq.notify(case.incident, level)
                    case.active_hqs.add(command)
            if (joined := other.plan.levels.get(level)) is not None:
                responses.append(joined)
        for response in responses:
            for target in response.notify:
                self.run.emit(target, EventKind.UNIT_NOTIFIED, case.incident, level=level.value)
            for task in response.tasks:
                # A task repeated at a higher level is the same work, not new work.
                if task.id not in case.tasks:
                    case.tasks.add(task.id)
                    self._clock(case.incident, task.id, task.clock, lead)
                    self.workforce.task(case.incident, task, level.value)
        # Reports follow their own rules (stages, min_level reached later).
        self.workforce.reporting.level(case.incident, case.plan, level, self.room_id, lead)
        if not (self.upstream is not None and case.deferred):
            # The district room's level is the incident's once it is handed over.
            self.takeovers.level(case.incident, level)

    def _clock(self, incident: str, ident: str, clock: Clock, lead: HQProcess | None) -> None:
        """Start the ``activation`` clock of a task set now: when the lead is at
        work (a ``decision`` clock starts now)."""
        clocks = self.run.ledger.clocks
        if clock is Clock.DECISION:
            clocks.setdefault((incident, ident), self.run.env.now)
        if clock is not Clock.ACTIVATION or lead is None:
            return

        def started(time: float) -> None:
            clocks.setdefault((incident, ident), time)

        lead.when_active(incident, started)

    def _reassess(self, case: Case) -> Generator[simpy.Event, Any, None]:
        """The lead, on the scene, re-applies the triggers to the true severity.

        With a decision policy the lead HQ's commander (role ``lead-hq``) is
        asked where the plan's rule would move the level: whether to request
        the escalation the severity warrants (the duty room then decides), and
        whether to lower the level or close the response.  A held level is
        asked about again at the next reassessment.
        """
        run = self.run
        assert case.plan is not None
        escalation = case.plan.escalation
        town = None if self.upstream is None else self.room_id
        rng = run.streams(reassess_stream(case.incident, town))
        incident = run.compiled.incident.get(case.incident)
        if incident is None or case.rule is None:
            return
        onset = incident.onset
        env = run.env
        policy = run.options.decisions
        while case.level is not None and not case.deferred:
            yield env.timeout(max(escalation.reassess.sample(rng), MIN_REASSESS))
            if case.deferred:
                case.reassessing = False
                return
            now_known = incident.severity_at(env.now - onset)
            if case.joined or case.incident in run.compiled.sites:
                now_known = self._site_severity(case, now_known)
            knowledge = run.knowledge
            if knowledge is not None:
                # Figures that come by counts are not the lead's to see:
                # they are what the rooms' counts say (2b).
                merge_known(case.known, knowledge.on_scene(now_known, case.hazard))
                self._seen(case)
            else:
                merge_known(case.known, now_known)
            self.workforce.reporting.figures(case.incident, case.plan, case.known)
            wanted = self._wanted(case) if not case.busy else None
            if wanted is not None and wanted > case.level:
                if policy is not None:
                    asked = self._lead(case, wanted, case.known)
                    if asked is not None and asked[0] == "hold":
                        continue
                case.busy = True
                env.process(self._decide(case))
                continue
            if not escalation.deescalate or env.now - case.since < escalation.hold:
                continue
            lower = self._level_on(case, now_known)
            if lower is not None and lower >= case.level:
                continue
            by = None
            if policy is not None:
                asked = self._lead(case, lower, now_known)
                if asked is not None:
                    if asked[0] == "hold":
                        continue
                    lower, by = asked[1], "player"
            if case.taken_over and self._hand_back(case, lower, now_known):
                case.reassessing = False
                return
            # The level comes down when the situation truly eased (as judged
            # above, on the truth); counted figures stay no higher than counted.
            case.known = (
                dict(now_known)
                if knowledge is None
                else knowledge.lowering(now_known, case.known, case.hazard)
            )
            self._lower(case, lower, by)

    def _site_severity(self, case: Case, own: Mapping[str, Any]) -> Mapping[str, Any]:
        """What is true now of a merged case's site: the worst of each attribute
        over its sub-incidents that have begun."""
        run = self.run
        group = run.compiled.sites[case.incident]
        known: dict[str, Any] = dict(own)
        for member in group.merged:
            other = run.compiled.incident[member]
            if other.onset <= run.env.now:
                merge_known(known, other.severity_at(run.env.now - other.onset))
        return known

    def _lead(
        self, case: Case, proposed: Level | None, known: Mapping[str, Any]
    ) -> tuple[str, Level | None] | None:
        """Ask the policy (role ``lead-hq``) about the plan's move to ``proposed``.

        ``None``: the plan's rule stands; else the player's choice (see
        :func:`lead_choice`) and level, logged as a ``decision`` event and,
        when the level is held, a ``level_held`` event.
        """
        run = self.run
        assert case.plan is not None and case.level is not None
        current = case.level
        point = DecisionPoint(
            LEAD_HQ,
            run.env.now,
            case.incident,
            proposed,
            (),
            {k: plain(v) for k, v in known.items()},
            case.plan.id,
            current,
        )
        decision = run.options.decisions.decide(point)
        if decision is None:
            return None
        chosen = decision.level
        choice = lead_choice(proposed, current, chosen)
        actor = case.plan.lead or self.room_id
        run.emit(
            actor,
            EventKind.DECISION,
            case.incident,
            role=LEAD_HQ,
            choice=choice,
            level=None if chosen is None else chosen.value,
            proposed=None if proposed is None else proposed.value,
        )
        if choice == "hold":
            run.emit(
                actor,
                EventKind.LEVEL_HELD,
                case.incident,
                level=current.value,
                proposed=None if proposed is None else proposed.value,
                by="player",
            )
        elif choice == "request":
            run.emit(
                actor,
                EventKind.ESCALATION_REQUESTED,
                case.incident,
                level=None if proposed is None else proposed.value,
                by="player",
            )
        return choice, chosen

    def _lower(self, case: Case, level: Level | None, by: str | None = None) -> None:
        run = self.run
        assert case.plan is not None
        case.level = level
        case.since = run.env.now
        # The lead's reassessment supersedes a level reported earlier (an
        # inject's): left in place it would raise the level straight back.
        case.reported = None
        run.ledger.final_level[case.incident] = None if level is None else level.value
        run.ledger.levels.setdefault(case.incident, []).append(
            (run.env.now, None if level is None else level.value)
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
        # A follow-up on the change of level, or the final report on closing.
        self.workforce.reporting.level(case.incident, case.plan, level, self.room_id)
        self.takeovers.level(case.incident, level)


def lead_choice(proposed: Level | None, current: Level, chosen: Level | None) -> str:
    """What the lead HQ's answer ``chosen`` means where the plan proposes ``proposed``.

    Where the plan would escalate (``proposed`` above ``current``): ``request``
    for any level above the current one (the duty room then decides the
    level), else ``hold``.  Where it would lower the level or close the
    response: ``close`` for no level, ``lower`` for a level below the current
    one (the level becomes ``chosen``), else ``hold``.
    """
    if proposed is not None and proposed > current:
        return "request" if chosen is not None and chosen > current else "hold"
    if chosen is None:
        return "close"
    return "lower" if chosen < current else "hold"
