"""Reports (信息报送) by stage: which each incident calls for, when, and how they fared.

:class:`Reporting` follows what happens to an incident (a report reaching
a duty room, a plan governing it, a level put in force or lowered, new
figures, an inject) and calls for each report its plans' duties ask for;
the workforce (:class:`cmdsim.sim.tasks.Workforce`) writes and sends it.
At the end of the run :func:`report_records` says, for each duty, when each
report was due, when it arrived and whether it was on time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Generator, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import simpy

from cmdsim.model.levels import Clock, Level
from cmdsim.model.plans import DAY, Plan, ReportDeadline, ReportOn, ReportStage
from cmdsim.sim.context import Run
from cmdsim.sim.metric_names import plan_duty
from cmdsim.sim.results import ReportItemRecord, ReportRecord, StageTotals

if TYPE_CHECKING:
    from cmdsim.sim.tasks import Workforce


@attrs.define
class ReportItem:
    """One report called for: the ``k``-th of its duty for the incident
    (initial and final: 0), from ``clock`` (a clock's name, or the occasion's
    time for a follow-up or final report), at ``level``."""

    incident: str
    plan: str
    duty: ReportDeadline
    k: int
    occasion: float
    clock: str
    base: float | None
    level: Level | None
    started: float | None = None
    arrived: float | None = None
    within: float | None = None
    key: str = ""
    """The duty's name in the results and its streams: its id, or for a plan
    that learned of the incident at a takeover (:meth:`Reporting.learns`)
    ``<plan>:<id>`` (the general plan's reports are its own, beside the
    special plan's of the same id)."""


class _Known:
    """What the reporting chain knows of one incident, and which reports it made."""

    def __init__(self) -> None:
        self.known: float | None = None
        self.rooms: dict[str, float] = {}
        self.receipts: dict[str, float] = {}
        """Each duty room's first receipt of a report of the incident (before
        any queue): when that room learned of it, its reports' ``aware`` clock."""
        self.governs: dict[str, Plan] = {}
        self.ahead: dict[str, Plan] = {}
        """Plans that do not govern yet whose reports are due from learning of
        the incident (:meth:`Reporting.received`)."""
        self.reported_ahead: dict[str, list[ReportItem]] = {}
        """Plan -> the initial reports it called for before governing (:attr:`ahead`)."""
        self.level: dict[str, Level | None] = {}
        self.decided: dict[str, list[tuple[float, Level]]] = {}
        self.activated: dict[tuple[str, str], float] = {}
        self.started: set[tuple[str, str]] = set()
        self.casualties: dict[str, float] = {}
        self.counts: dict[tuple[str, str], int] = {}
        self.closed: set[str] = set()
        self.learned: dict[str, float] = {}
        """Plan -> when it learned of the incident, if later than the chain
        (the general plan at a takeover, :meth:`Reporting.learns`)."""
        self.ticking: dict[tuple[str, str], object] = {}
        """(plan, duty) -> the token of the interval clock running for it: a
        clock started again (the response closed and opened again) ends the
        one before it at that one's next tick."""


class Reporting:
    """Which reports each incident calls for, and when (see :class:`ReportDeadline`).

    The engine tells it what happens: a report reaches a duty room
    (:meth:`received`), a room has triaged one (:meth:`heard`), a plan
    comes to govern it (:meth:`governs`), a level is put in force or
    lowered (:meth:`level`), the deciding room learns new figures
    (:meth:`figures`), an inject arrives (:meth:`inject`).

    An initial report is called for once its plan governs the incident,
    or — when its clock runs from learning of the incident (``aware`` or
    ``onset``) and it needs no level — once the incident is known, even while
    a town plan governs it ("急事即报": the district plan that would take the
    incident over reports it as soon as its reporter knows), its reporter
    knows (a duty room: once it has triaged a first report of it; a unit:
    when the chain first knows), its clock has started and
    the level is at least its ``min_level`` (``IV``, the lowest: no level
    needed).  Every report called for is in its incident's ``reporting``
    (:meth:`~cmdsim.sim.context.Ledger.incident`).
    """

    def __init__(self, workforce: Workforce) -> None:
        self.workforce = workforce
        self.run = workforce.run
        self.incidents: dict[str, _Known] = {}
        self._initials: dict[str, tuple[ReportDeadline, ...]] = {}

    def zone(self, incident: str) -> str | None:
        """Where the incident lies for limits by place: its own zone, else its town's."""
        return incident_zone(self.run, incident)

    def _of(self, incident: str) -> _Known | None:
        # The hot callers (a report received, heard, figures) look in
        # ``incidents`` themselves first and call this only for a new one.
        found = self.incidents.get(incident)
        if found is None:
            if incident not in self.run.compiled.incident:
                return None  # an inject naming no incident of the scenario
            found = self.incidents[incident] = _Known()
        return found

    def received(
        self, incident: str, hazard: str, town: str | None, room: str | None = None
    ) -> None:
        """A report of the incident reached a duty room (``room``, before any
        queue): that room and the chain know of it, and the plan for it governs it."""
        state = self.incidents.get(incident) or self._of(incident)
        if state is None:
            return
        if room is not None and room not in state.receipts:  # the first receipt
            state.receipts[room] = self.run.env.now
        if state.known is not None:
            return
        state.known = self.run.env.now
        comp = self.run.compiled
        town = comp.case_town(incident, town)
        town_plan = comp.town_plan_for(hazard, town)
        rule = town_plan or comp.plan_for(hazard, town)
        if town_plan is not None:
            successor = comp.hand_over_to(town_plan, hazard)
            if successor is not None:
                state.ahead.setdefault(successor.id, successor.plan)
        if rule is not None:
            self.governs(incident, rule.plan, None)
        else:
            self._check(incident, state)

    def heard(self, incident: str, hazard: str, town: str | None, room: str) -> None:
        """``room`` has triaged a report of the incident (or was handed it): it
        knows what happened and can report it."""
        state = self.incidents.get(incident) or self._of(incident)
        if state is None or room in state.rooms:
            return
        self.received(incident, hazard, town)
        state.rooms[room] = self.run.env.now
        self._check(incident, state)

    def governs(self, incident: str, plan: Plan, room: str | None) -> None:
        """``plan`` governs the incident from now (its first, or a hand-over);
        ``room`` (the room taking it over) knows of it."""
        state = self._of(incident)
        if state is None:
            return
        now = self.run.env.now
        if room is not None:
            state.rooms.setdefault(room, now)
        if state.known is None:
            state.known = now
        if plan.id not in state.governs:
            state.governs[plan.id] = plan
            state.level.setdefault(plan.id, None)
        self._check(incident, state)

    def learns(self, incident: str, plan: Plan) -> None:
        """``plan`` learns of the incident now, later than the chain did (the
        general plan as the general HQ takes it over): its reports due from
        learning (``aware``, ``onset``) run from now.  A plan that has
        governed the incident knew of it already: nothing changes (its
        reports keep their clocks and their names)."""
        state = self._of(incident)
        if state is not None and plan.id not in state.governs:
            state.learned.setdefault(plan.id, self.run.env.now)

    def level(
        self,
        incident: str,
        plan: Plan,
        level: Level | None,
        room: str,
        lead: Any = None,
    ) -> None:
        """The deciding ``room`` put ``level`` in force under ``plan`` (``None``: closed)."""
        state = self._of(incident)
        if state is None:
            return
        run = self.run
        now = run.env.now
        self.governs(incident, plan, room)
        old = state.level.get(plan.id)
        state.level[plan.id] = level
        # A level is news to report (续报 "for every new development") once
        # the plan has reported the incident: a change of its level, its
        # first level after it reported ahead of governing (急事即报 under a
        # town plan), or a response opened again after it was closed.
        news = old is not None or plan.id in state.decided or self._told(state, plan.id, now)
        if level is not None:
            decided = state.decided.setdefault(plan.id, [])
            if not decided:
                self._first_limits(incident, plan, level)
            decided.append((now, level))
            if lead is not None:
                self._activation(incident, state, plan, level, lead)
        if news and level is not None and level != old:
            top = level if old is None else max(old, level)
            for duty in plan.reports:
                if ReportOn.LEVEL in duty.upon and top >= duty.min_level:
                    self._call(incident, plan, duty, now, level)
        if old is not None and level is None and plan.id not in state.closed:
            state.closed.add(plan.id)
            peak = max(lv for _, lv in state.decided.get(plan.id, [(now, old)]))
            for duty in plan.reports:
                if duty.stage is ReportStage.FINAL and peak >= duty.min_level:
                    self._call(incident, plan, duty, now, peak)
        if level is None:
            for duty in plan.reports:
                state.ticking.pop((plan.id, duty.id), None)
        else:
            for duty in plan.reports:
                key = (plan.id, duty.id)
                # 每日续报 "daily for the gravest": the day is counted from the
                # level the duty is tied to (its min_level), reached now, not
                # from the response's first level.
                timed = duty.every is not None or duty.daily_at is not None
                if timed and level >= duty.min_level and key not in state.ticking:
                    token = state.ticking[key] = object()
                    run.env.process(self._every(incident, state, plan, duty, token))
        self._check(incident, state)

    def _first_limits(self, incident: str, plan: Plan, level: Level) -> None:
        """Reports of ``plan`` called before it had a level take the limit of
        its first one: a serious incident's 15 minutes are the district
        plan's own, not those of a town's IV put in force first (a town
        plan's warning link, or its room deciding before the hand-over)."""
        zone = self.zone(incident)
        for item in self.run.ledger.incident(incident).reporting:
            if item.plan == plan.id and item.within is None:
                item.within = item.duty.limit(level, zone)

    def _activation(
        self, incident: str, state: _Known, plan: Plan, level: Level, lead: Any
    ) -> None:
        for duty in plan.reports:
            key = (plan.id, duty.id)
            if (
                duty.stage is ReportStage.INITIAL
                and duty.clock is Clock.ACTIVATION
                and level >= duty.min_level
                and key not in state.activated
            ):
                state.activated[key] = -1.0  # asked; the time comes with the callback

                def started(time: float, key: tuple[str, str] = key) -> None:
                    state.activated[key] = time
                    self._check(incident, state)

                lead.when_active(incident, started)

    def reports_ahead(self, incident: str, plan: str) -> bool:
        """Whether ``plan`` reports the incident ahead of governing it (its
        initial reports from learning while a town plan governs)."""
        state = self.incidents.get(incident)
        return state is not None and plan in state.ahead and plan not in state.governs

    def figures(self, incident: str, plan: Plan, known: Mapping[str, Any]) -> None:
        """The deciding room's figures of the incident, after a report or a reassessment."""
        state = self.incidents.get(incident) or self._of(incident)
        if state is None:
            return
        casualties = known.get("casualties")
        if casualties is None:
            deaths, hurt = known.get("deaths"), known.get("serious_injuries")
            if deaths is None and hurt is None:
                return
            casualties = float(deaths or 0.0) + float(hurt or 0.0)
        last = state.casualties.get(plan.id)
        state.casualties[plan.id] = float(casualties)
        if last is None or float(casualties) <= last:
            return
        level = state.level.get(plan.id)
        for duty in plan.reports:
            if ReportOn.CASUALTIES in duty.upon and self._reached(state, plan, duty):
                self._call(incident, plan, duty, self.run.env.now, level)

    def inject(self, incident: str, inject: str) -> None:
        """The inject ``inject`` about the incident arrived."""
        state = self._of(incident)
        if state is None:
            return
        for plan in list(state.governs.values()):
            for duty in plan.reports:
                if inject in duty.injects and self._reached(state, plan, duty):
                    self._call(incident, plan, duty, self.run.env.now, state.level.get(plan.id))

    def _every(
        self, incident: str, state: _Known, plan: Plan, duty: ReportDeadline, token: object
    ) -> Generator[simpy.Event, Any, None]:
        """Interval follow-ups while the response runs, every ``duty.every``
        minutes from when its level first reached ``duty.min_level`` (its
        first level for ``IV``), at whatever level is in force then; or, with
        ``duty.daily_at``, at that time of day from the first such time at or
        after the level was reached, each day the level in force is then at
        ``duty.min_level`` or above."""
        env = self.run.env
        key = (plan.id, duty.id)
        if duty.daily_at is not None:
            first, interval = self.until_clock(duty.daily_at), DAY
        else:
            assert duty.every is not None
            first = interval = duty.every
        wait = first
        while True:
            yield env.timeout(wait)
            wait = interval
            if state.ticking.get(key) is not token:
                return  # the response closed (and perhaps opened again, on a new clock)
            level = state.level.get(plan.id)
            if duty.daily_at is not None and (level is None or level < duty.min_level):
                continue  # lowered below the duty's level: this day's hour passes without one
            self._call(incident, plan, duty, env.now, level)

    def until_clock(self, at: dt.time) -> float:
        """Minutes from now to the first time of day ``at`` at or after now
        (the scenario's ``start`` dates the run's minutes; 0 at the time itself)."""
        start = self.run.compiled.start
        now = _minute_of_day(start.time()) + self.run.env.now
        return (_minute_of_day(at) - now) % DAY

    @staticmethod
    def _told(state: _Known, plan: str, now: float) -> bool:
        """Whether an initial report ``plan`` made ahead of governing has
        arrived by ``now``: what comes after it is news (one still being
        written carries the level itself)."""
        return any(
            item.arrived is not None and item.arrived <= now
            for item in state.reported_ahead.get(plan, ())
        )

    def _reached(self, state: _Known, plan: Plan, duty: ReportDeadline) -> bool:
        """Whether the incident has been at ``duty.min_level`` or above under ``plan``."""
        if duty.min_level is Level.IV:
            return True
        return any(level >= duty.min_level for _, level in state.decided.get(plan.id, ()))

    def _check(self, incident: str, state: _Known) -> None:
        """Call for every initial report whose conditions now all hold."""
        plans = list(state.governs.values())
        plans += [p for p in state.ahead.values() if p.id not in state.governs]
        rooms = self.run.compiled.rooms
        started = state.started
        for plan in plans:
            ahead = plan.id not in state.governs
            for duty in self._initial(plan):
                if ahead and not _from_learning(duty):
                    continue
                key = (plan.id, duty.id)
                if key in started:
                    continue
                by_room = duty.by in rooms
                knows = state.rooms.get(duty.by) if by_room else state.known
                if knows is None:
                    continue
                decided = [
                    (t, lv) for t, lv in state.decided.get(plan.id, ()) if lv >= duty.min_level
                ]
                if duty.min_level is not Level.IV and not decided:
                    continue
                base: float | None
                match duty.clock:
                    case Clock.ONSET:
                        base = self.run.compiled.onsets[incident]
                    case Clock.AWARE:
                        # From the reporter's own learning of it ("within 30
                        # minutes of learning"; each level's clock runs from
                        # its own receipt): a duty room's first receipt, a
                        # unit's when the chain first knows.
                        base = state.receipts.get(duty.by, knows) if by_room else state.known
                    case Clock.DECISION:
                        if not decided:
                            continue
                        base = decided[0][0]
                    case Clock.ACTIVATION:
                        base = state.activated.get(key)
                        if base is None or base < 0:
                            continue
                learned = state.learned.get(plan.id)
                if learned is not None and duty.clock in (Clock.ONSET, Clock.AWARE):
                    base = max(base, learned) if base is not None else learned
                state.started.add(key)
                level = decided[0][1] if decided else state.level.get(plan.id)
                item = self._call(
                    incident, plan, duty, self.run.env.now, level, duty.clock.value, base
                )
                if ahead:
                    state.reported_ahead.setdefault(plan.id, []).append(item)

    def _initial(self, plan: Plan) -> tuple[ReportDeadline, ...]:
        """The plan's initial reports, in order (asked at every check)."""
        found = self._initials.get(plan.id)
        if found is None:
            found = self._initials[plan.id] = tuple(
                duty for duty in plan.reports if duty.stage is ReportStage.INITIAL
            )
        return found

    def _call(
        self,
        incident: str,
        plan: Plan,
        duty: ReportDeadline,
        now: float,
        level: Level | None,
        clock: str | None = None,
        base: float | None = None,
    ) -> ReportItem:
        state = self.incidents[incident]
        key = (plan.id, duty.id)
        k = state.counts.get(key, 0)
        state.counts[key] = k + 1
        item = ReportItem(
            incident,
            plan.id,
            duty,
            k,
            now,
            clock if clock is not None else "occasion",
            base if clock is not None else now,
            level,
            key=plan_duty(plan.id, duty.id) if plan.id in state.learned else duty.id,
        )
        if level is not None:
            item.within = duty.limit(level, self.zone(incident))
        self.run.ledger.incident(incident).reporting.append(item)
        self.workforce.write(item)
        return item


def _from_learning(duty: ReportDeadline) -> bool:
    """Whether an initial report is due from learning of the incident whatever
    plan governs it: its clock runs from onset or awareness and it needs no level."""
    return duty.clock in (Clock.AWARE, Clock.ONSET) and duty.min_level is Level.IV


def _minute_of_day(clock: dt.time) -> float:
    return clock.hour * 60.0 + clock.minute + (clock.second + clock.microsecond / 1e6) / 60.0


def incident_zone(run: Run, incident: str) -> str | None:
    """The incident's ``zone``, else its town's (``None``: neither says)."""
    return run.compiled.zones.get(incident)


STATUSES = ("on_time", "late", "missing", "pending")


def report_records(run: Run, incident: str, onset: float) -> dict[str, ReportRecord]:
    """Each reporting duty's reports of ``incident`` at the end of the run
    (times in minutes after ``onset``), keyed by the duty's id."""
    facts = run.ledger.incident(incident)
    items = facts.reporting
    if not items:
        return {}
    horizon = run.compiled.horizon
    decided = facts.decided
    first = Level.parse(decided.what) if decided is not None else None
    zone = incident_zone(run, incident)
    grouped: dict[str, list[ReportItem]] = {}
    for item in items:
        grouped.setdefault(item.key, []).append(item)
    out: dict[str, ReportRecord] = {}
    for ident, group in sorted(grouped.items()):
        duty = group[0].duty
        rows = []
        for item in group:
            within = item.within
            if within is None:
                within = duty.limit(first, zone)
            due = None if item.base is None else item.base + within
            arrived = item.arrived
            if arrived is not None and (due is None or arrived <= due):
                status, late = "on_time", None
            elif arrived is not None and due is not None:
                status, late = "late", arrived - due
            elif due is not None and due <= horizon:
                status, late = "missing", None
            else:
                status, late = "pending", None
            rows.append(
                ReportItemRecord(
                    occasion=item.occasion - onset,
                    due=None if due is None else due - onset,
                    arrived=None if arrived is None else arrived - onset,
                    status=status,
                    lateness=late,
                    level=None if item.level is None else item.level.value,
                    within=within,
                )
            )
        out[ident] = ReportRecord(
            stage=duty.stage.value,
            by=duty.by,
            to=duty.to,
            medium=duty.medium.value,
            items=tuple(rows),
        )
    return out


def stage_totals(records: Mapping[str, Mapping[str, ReportRecord]]) -> dict[str, StageTotals]:
    """Reports of the whole run by stage: how many were called for and their statuses."""
    counts = {stage.value: dict.fromkeys(("called", *STATUSES), 0) for stage in ReportStage}
    for per_incident in records.values():
        for record in per_incident.values():
            row = counts[record.stage]
            for item in record.items:
                row["called"] += 1
                row[item.status] += 1
    return {stage: StageTotals(**row) for stage, row in counts.items()}
