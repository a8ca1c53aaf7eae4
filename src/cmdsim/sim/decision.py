"""The duty rooms' decisions: one case per incident, its level from
the plan's triggers on what is KNOWN (the severity each report observed, or
the lead's re-assessment), leader approval, then the response
(:mod:`cmdsim.sim.response`: notification of the HQs, tasks and reports);
escalation and de-escalation per ``Plan.escalation``.

The district room decides under the district's plans; a town room with a
town-tier plan for an incident's hazard decides under it until the incident
outgrows it, then hands the case over to the district room (see
:mod:`cmdsim.sim.handover`).  The town's first response (its plan's own
level, its command and tasks) runs even when the first news is already
beyond the town plan; a district plan's warning link takes the case over at
once.  With the town plan's ``escalation.hand_back`` the district room hands
the case back when its plan would de-escalate to a level the town plan
covers.

Reports of one incident reaching the room within ``merge_window`` minutes of
its first are merged into the case (``report_merged``); later ones update it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Mapping
from typing import Any

import simpy

from cmdsim.model.levels import Level, Signal
from cmdsim.plain import plain
from cmdsim.sim import lowering
from cmdsim.sim.activation import HQProcess, Takeovers
from cmdsim.sim.case import Case, merge_known, raise_flags, truth_now
from cmdsim.sim.compiled import CompiledPlan
from cmdsim.sim.context import DecisionPoint, Run
from cmdsim.sim.events import EventKind
from cmdsim.sim.handover import claim, hand_over
from cmdsim.sim.reporting import Report
from cmdsim.sim.response import Response
from cmdsim.sim.streams import approval_stream, reassess_stream
from cmdsim.sim.tasks import Workforce

TOWN_ROOM = "town-room"
"""The role of a town duty room deciding under its town plan: a drill's
``duty-room`` player plays the district room, not the towns' rooms."""

LEAD_HQ = "lead-hq"
"""The role of the lead HQ's commander at the district room's reassessments
(see :meth:`Decisions._lead`)."""

TOWN_LEAD = "town-lead"
"""The role of a town command's lead at a town room's reassessments: a drill's
``lead-hq`` player plays the district plan's lead HQ, not the towns'."""


MIN_REASSESS = 1.0
"""Minutes between a lead's reassessments at the least: nobody re-walks a
scene more often, and a near-zero delay (``Fixed(1e-300)``) would otherwise
step the run forward by nothing, forever."""


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
        self.response = Response(
            run, room_id, hqs, workforce, takeovers, self.cases, upstream is not None
        )
        if upstream is None:
            self.response.town_duty = self.town_duty

    def received(self, report: Report) -> None:
        """A report reached the room (before queueing): awareness starts here."""
        run = self.run
        facts = run.ledger.incidents.get(report.incident) or run.ledger.incident(report.incident)
        facts.reports += 1
        if facts.aware is None:
            facts.aware = run.env.now
            run.emit(self.room_id, EventKind.AWARE, report.incident, channel=report.channel)
        elif run.trace:
            run.emit(
                self.room_id, EventKind.REPORT_RECEIVED, report.incident, channel=report.channel
            )

    def triaged(self, report: Report) -> None:
        run = self.run
        case = self.cases.get(report.incident)
        if case is None:
            case = self.open_case(report.incident, report.hazard, report.town)
            # The run's results list these from the plans (``coverage.no_plan``,
            # ``no_lead``); the event says when a room met one.
            if case.plan is None and not case.deferred:
                run.emit(self.room_id, EventKind.NO_PLAN, report.incident, hazard=report.hazard)
            elif case.plan is not None and case.plan.lead is None and not case.deferred:
                run.emit(self.room_id, EventKind.NO_LEAD, report.incident, plan=case.plan.id)
        elif run.trace:
            merged = run.env._now - case.first <= self.room.merge_window
            run.emit(
                self.room_id,
                EventKind.REPORT_MERGED if merged else EventKind.REPORT_UPDATE,
                report.incident,
            )
        incident = run.compiled.incident.get(report.incident)
        if case.deferred and self.downstream is not None and report.via is None:
            # A town plan governs: the district room passes the report down to
            # the town room, which has not seen it.
            self.downstream(report if incident is None else report._replace(town=incident.town))
        if incident is None or case.hears(report.observed, incident.onset):
            merge_known(case.known, report.known)
        self._seen(case)
        reporting = self.workforce.reporting
        if case.plan is not None and (
            not case.deferred or reporting.reports_ahead(case.incident, case.plan.id)
        ):
            # While a town plan governs, the district plan that reports ahead
            # of its hand-over (急事即报) follows up the casualties it learns.
            reporting.figures(case.incident, case.plan, case.known)
        if report.level is not None:
            case.reported = report.level
        if case.plan is not None and not case.busy and (not case.deferred or self._first(case)):
            case.busy = True
            run.env.process(self.decide(case))

    def _first(self, case: Case) -> bool:
        """A town room's case whose first response is still to come (even if
        handed over; not one held while the district's response is closed)."""
        return self.upstream is not None and case.level is None and case.paused is None

    def open_case(self, incident_id: str, hazard: str, town: str | None) -> Case:
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
                if (
                    case.deferred
                    and above is not None
                    and above.level is None
                    and above.assessed > -math.inf
                ):
                    # ... and closed its response since: the town's part is over too.
                    case.closed_above, case.assessed = True, above.assessed
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

    def town_duty(self, case: Case) -> None:
        """The town's part of the response to a case the district room took
        over, told of each change of the district's level (not a hand-back).

        The town plan's level stays in force under the district plan (the
        town's first response), and with it its command and the officers it
        called in to the town's own room (加强值班: the flood plan's rule
        strengthens every tier's duty while the response runs).  When the
        district's response closes other than by a hand-back, the incident's
        handling ends at both tiers: the town's level closes too
        (``response_closed`` at the town room, ``by: district``), its command
        stands down, its officers go home, and what the district's lead found
        on the scene is the town room's too (old news stays old).  If the
        district's response opens again, the town plan's level comes back in
        force with it (``level_decided``, ``by: district``).
        """
        town = self.town_of(case.town) if self.town_of is not None else None
        below = town.cases.get(case.incident) if town is not None else None
        if town is None or below is None or not below.deferred:
            return
        if case.level is None:
            below.closed_above = True
            below.assessed = max(below.assessed, case.assessed)
            if below.level is not None:
                below.paused = below.level
                town.response.lowered(below, None, "district")
        elif below.closed_above:
            below.closed_above = False
            level, below.paused = below.paused, None
            if level is not None:
                town.put_back(below, level)

    def put_back(self, case: Case, level: Level) -> None:
        """At a town room: the town plan's ``level`` in force again on a
        handed-over case, with the district's response opening again."""
        activate = case.rule.activated_by(level) if case.rule is not None else ()
        known = {k: plain(v) for k, v in case.known.items()}
        self.response.decided(case, level, tuple(activate), known, "district")

    def _held(self, case: Case, level: Level) -> None:
        """At a town room: the town plan's ``level`` (its first response, or
        its link's on a new signal) comes when the district's response to the
        handed-over case has closed; it is not put in force (``level_held``,
        ``by: district``) but waits for that response to open again
        (:meth:`town_duty`)."""
        case.paused = level
        self.run.emit(
            self.room_id,
            EventKind.LEVEL_HELD,
            case.incident,
            level=None,
            proposed=level.value,
            by="district",
        )

    def _seen(self, case: Case) -> None:
        """Note the case's known picture for the results (what reporters knew)."""
        knowledge = self.run.knowledge
        if knowledge is None or case.deferred or case.rule is None:
            return
        knowledge.picture(case.incident, case.known, case.rule, raise_flags(case, self.run))

    def decide(self, case: Case) -> Generator[simpy.Event, Any, None]:
        """Decide or raise the level until the case's knowledge stops moving."""
        run = self.run
        assert case.plan is not None
        plan = case.plan
        while True:
            if case.level is None and lowering.handled(case, run):
                # A late report of an incident whose handling is over (处置完毕)
                # opens no response again: its final report is out.
                break
            flags = raise_flags(case, run)  # no time passes until the approval
            level = case.wanted(flags)
            if level is None or (case.level is not None and level <= case.level):
                break
            if self.upstream is not None and case.outgrown(level, flags):
                if not case.deferred:
                    case.deferred = True
                    run.env.process(hand_over(self, case, level))
                # The town's first response runs under its own plan all the same.
                own = case.own(flags)
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
            if case.closed_above:
                # The district's response closed while the town was approving.
                self._held(case, level)
                break
            self.response.decided(case, level, tuple(activate), known, decided_by)
        case.busy = False
        if case.level is not None and not case.reassessing and not case.deferred:
            case.reassessing = True
            run.env.process(self.reassess(case))

    def linked(
        self,
        incident: str,
        hazard: str,
        town: str | None,
        level: Level,
        signal: Signal,
        issued: float | None = None,
    ) -> None:
        """A warning link confirmed ``level`` for ``signal``: no triage, no approval.

        The level is put in force at once unless it already is; the case is
        opened if no report has reached the room yet.  At the district room a
        case a town plan governs is taken over (:func:`claim`: the link is the
        district plan's).  At a town room (its town plan's own link, the
        signal ``issued`` at that minute) see :meth:`_town_linked`.
        """
        run = self.run
        group = run.compiled.sites.get(incident)
        if group is not None and group.key != incident:
            key = run.compiled.incident[group.key]
            incident, hazard, town = key.id, key.hazard, key.town
        case = self.cases.get(incident)
        if case is None:
            case = self.open_case(incident, hazard, town)
        if self.upstream is not None:
            self._town_linked(case, level, signal, issued)
            return
        if case.deferred and case.plan is not None:
            claim(self, case)
        if case.plan is None or case.deferred:
            return
        merge_known(case.known, {"signal": signal})
        if not self._put_linked(case, level, signal):
            return
        if not case.reassessing:
            case.reassessing = True
            run.env.process(self.reassess(case))

    def _put_linked(self, case: Case, level: Level, signal: Signal) -> bool:
        """Put a warning link's ``level`` in force on the case (``True``), or
        log that the level in force already covers the signal (``False``)."""
        run = self.run
        if case.level is not None and level <= case.level:
            run.emit(
                self.room_id,
                EventKind.WARNING_CONFIRMED,
                case.incident,
                signal=signal.value,
                level=case.level.value,
            )
            return False
        activate = case.rule.activated_by(level) if case.rule is not None else ()
        known = {k: plain(v) for k, v in case.known.items()}
        self.response.decided(case, level, tuple(activate), known, "warning", signal=signal.value)
        if run.community is not None:
            # The room knows of the incident: its instructions can go out.
            run.community.triaged(self.room_id, case.incident)
        return True

    def _town_linked(self, case: Case, level: Level, signal: Signal, issued: float | None) -> None:
        """The town plan's own warning link confirmed ``level`` at this town room.

        Its level is put in force as the town's first response even when the
        district's link has taken the case over already (as a report's would
        be); once the district governs, the town decides nothing more.  A
        signal issued before the lead last found the situation eased
        (:attr:`Case.assessed`) is old news.  Otherwise the town room then
        looks, as on a report, whether the signal puts the case beyond its
        plan (:meth:`decide`: the hand-over).
        """
        run = self.run
        if case.plan is None or (case.deferred and case.level is not None):
            return
        if issued is not None and issued < case.assessed:
            return
        if case.closed_above:
            # The district governs and its response has closed: a new signal
            # is the district's to act on (its own link, or a report), which
            # brings the town plan's level back with it.
            self._held(case, level if case.paused is None else max(case.paused, level))
            return
        merge_known(case.known, {"signal": signal})
        incident = case.incident
        # The chain knows (the successor's 急事即报 reports start once its
        # reporter does), and the town room does from now on.
        self.workforce.reporting.received(incident, case.hazard, case.town)
        self._put_linked(case, level, signal)
        if not case.busy and not case.deferred:
            case.busy = True
            run.env.process(self.decide(case))

    def reassess(self, case: Case) -> Generator[simpy.Event, Any, None]:
        """The lead, on the scene, re-applies the triggers to the true severity.

        With a decision policy the lead HQ's commander (role ``lead-hq``; at a
        town room the town command's, role ``town-lead``) is asked where the
        plan's rule would move the level: whether to request
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
            if case.deferred or case.level is None:  # handed back, or closed with its signal
                case.reassessing = False
                return
            if lowering.handled(case, run):
                # 处置完毕: the response ends with the handling, whatever the figures.
                lowering.close_handled(self, case)
                case.reassessing = False
                return
            now_known = truth_now(case, run) or incident.severity_at(env.now - onset)
            knowledge = run.knowledge
            if knowledge is not None:
                # Figures that come by counts are not the lead's to see:
                # they are what the rooms' counts say (2b).
                merge_known(case.known, knowledge.on_scene(now_known, case.hazard))
                self._seen(case)
            else:
                merge_known(case.known, now_known)
            self.workforce.reporting.figures(case.incident, case.plan, case.known)
            wanted = case.wanted(raise_flags(case, run)) if not case.busy else None
            if wanted is not None and wanted > case.level:
                if policy is not None:
                    asked = self._lead(case, wanted, case.known)
                    if asked is not None and asked[0] == "hold":
                        continue
                case.busy = True
                env.process(self.decide(case))
                continue
            if not escalation.deescalate or env.now - case.since < escalation.hold:
                continue
            lower = case.level_on(now_known, raise_flags(case, run))
            if lower is not None and lower >= case.level:
                continue
            by = None
            if policy is not None:
                asked = self._lead(case, lower, now_known)
                if asked is not None:
                    if asked[0] == "hold":
                        continue
                    lower, by = asked[1], "player"
            # The level comes down when the situation truly eased (as judged
            # above, on the truth).
            if lowering.lower(self, case, lower, now_known, env.now, by):
                case.reassessing = False
                return
        # Closed: a response opened again is reassessed again (decide, linked).
        case.reassessing = False

    def _lead(
        self, case: Case, proposed: Level | None, known: Mapping[str, Any]
    ) -> tuple[str, Level | None] | None:
        """Ask the policy (role ``lead-hq``, ``town-lead`` at a town room) about
        the plan's move to ``proposed``.

        ``None``: the plan's rule stands; else the player's choice (see
        :func:`lead_choice`) and level, logged as a ``decision`` event and,
        when the level is held, a ``level_held`` event.
        """
        run = self.run
        assert case.plan is not None and case.level is not None
        current = case.level
        role = LEAD_HQ if self.upstream is None else TOWN_LEAD
        point = DecisionPoint(
            role,
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
            role=role,
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
