"""The district's committees in a run: when each is notified and convened.

A body (安委会, a 专委会, 灾防委) watches two things the run already
tracks for the general HQ's takeover rule: each incident's level (as the
deciding room sets it) and which HQs are active.  When a rule of its
``notify`` list holds it is notified, when one of its ``convene`` list
holds it is convened, each after the rule's ``delay`` × the body's band
factor at that moment (one draw from the stream ``body/<id>/notify`` or
``body/<id>/convene``: new names, so no existing draw moves).  A call to
convene notifies a body not notified yet, at once.  The general plan's
takeover rule convenes the bodies it lists (``Takeover.convene``) that
coordinate the hazard of an incident at a level, when the general HQ
takes over.

A sitting ends (``committee_adjourned``) when no incident of the hazards
the body watches (its own and its rules') has a response in force: the
body's work is coordinating those incidents' handling.  A body convened
when none is in force any more (its convening delay outlasted them)
adjourns at once.  The takeover's end, every response closed, so adjourns
every body still sitting, those it convened among them.  A body sits once
in a run: one that adjourned is not convened again.

Bodies only observe: nothing else in the run waits for them.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy

from cmdsim.model.bodies import Body, BodyRule
from cmdsim.model.levels import Level
from cmdsim.sim.context import Run
from cmdsim.sim.events import EventKind
from cmdsim.sim.reasons import LEVEL, LEVEL_HQS_ACTIVE, NONE_IN_FORCE, TOOK_OVER, Reason
from cmdsim.sim.streams import body_stream

NOTIFIED, CONVENED, ADJOURNED = "notified", "convened", "adjourned"


class Bodies:
    """One run's bodies: their rules against the incidents' levels and the active HQs."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.bodies: tuple[Body, ...] = run.district.bodies
        self.levels: dict[str, Level] = {}
        self.hazards: dict[str, str] = {i.id: i.hazard for i in run.scenario.incidents}
        for inject in run.scenario.injects:
            # an inject naming no incident stands for one under its own id
            if inject.hazard is not None:
                self.hazards.setdefault(inject.id, inject.hazard)
        self.active: set[str] = set()
        # body -> "notified"/"convened" -> (when it happens, reason); set once
        self.due: dict[str, dict[str, tuple[float, Reason]]] = {b.id: {} for b in self.bodies}
        self.times: dict[str, dict[str, float]] = {b.id: {} for b in self.bodies}
        # Each body's watched hazards: its own and its rules' (a sitting lasts
        # while an incident of one is in force).
        self.watched: dict[str, frozenset[str]] = {
            b.id: frozenset(b.hazards).union(
                *(rule.hazards for rule in (*b.notify, *b.convene) if rule.hazards)
            )
            for b in self.bodies
        }
        # Each body's rules by stage, with the hazards each watches, read at
        # every change of a level or an HQ (a rule's hazards never change).
        self._rules = tuple(
            (
                body,
                self.due[body.id],
                tuple(
                    (
                        stage,
                        tuple((rule, frozenset(rule.hazards or body.hazards)) for rule in rules),
                    )
                    for stage, rules in ((CONVENED, body.convene), (NOTIFIED, body.notify))
                ),
            )
            for body in self.bodies
        )

    def level(self, incident: str, level: Level | None) -> None:
        """The deciding room set (or closed, with ``None``) an incident's level."""
        if level is None:
            self.levels.pop(incident, None)
            self._adjourn()
        else:
            self.levels[incident] = level
        self._check()

    def _sitting_over(self, body: Body) -> bool:
        """No incident of a hazard the body watches is in force."""
        watched = self.watched[body.id]
        return not any(self.hazards.get(i) in watched for i in self.levels)

    def _adjourn(self) -> None:
        for body in self.bodies:
            times = self.times[body.id]
            if CONVENED in times and ADJOURNED not in times and self._sitting_over(body):
                self._adjourned(body)

    def _adjourned(self, body: Body) -> None:
        self.times[body.id][ADJOURNED] = self.run.env.now
        self.run.emit(
            body.id,
            EventKind.COMMITTEE_ADJOURNED,
            None,
            **Reason(NONE_IN_FORCE).details(),
        )

    def hq_active(self, command: str) -> None:
        self.active.add(command)
        self._check()

    def hq_inactive(self, command: str) -> None:
        self.active.discard(command)

    def takeover(self, convene: tuple[str, ...]) -> None:
        """The general HQ took over: it convenes the listed bodies that coordinate a
        hazard of an incident at a level now."""
        leveled = {self.hazards.get(i) for i in self.levels}
        for body in self.bodies:
            if body.id in convene and leveled & set(body.hazards):
                self._call(body, CONVENED, 0.0, Reason(TOOK_OVER))

    def _holds(self, body: Body, rule: BodyRule, hazards: frozenset[str]) -> Reason | None:
        """The reason the rule (watching ``hazards``) holds now, or ``None``."""
        of = self.hazards.get
        levels = [lvl for i, lvl in self.levels.items() if of(i) in hazards]
        if not levels:
            return None
        top = max(levels)
        if rule.min_level is not None and top < rule.min_level:
            return None
        active = sorted(c for c in body.commands if c in self.active)
        if len(active) < rule.min_active:
            return None
        if rule.min_active:
            return Reason(LEVEL_HQS_ACTIVE, top.value, tuple(active))
        return Reason(LEVEL, top.value)

    def _check(self) -> None:
        for body, due, stages in self._rules:
            for stage, rules in stages:
                if stage in due:
                    continue
                for rule, hazards in rules:
                    reason = self._holds(body, rule, hazards)
                    if reason is not None:
                        name = "convene" if stage == CONVENED else "notify"
                        stream = self.run.streams(body_stream(body.id, name))
                        delay = rule.delay.sample(stream) * body.factors.factor(self.run.band())
                        self._call(body, stage, delay, reason)
                        break

    def _call(self, body: Body, stage: str, delay: float, reason: Reason) -> None:
        due = self.due[body.id]
        if stage in due:
            return
        now = self.run.env.now
        due[stage] = (now + delay, reason)
        self.run.env.process(self._happen(body, stage, delay, reason))
        if stage == CONVENED:
            # A call to meet is a notification: at once, unless one came sooner.
            notified = due.get(NOTIFIED)
            if notified is None or notified[0] > now:
                due[NOTIFIED] = (now, reason)
                self.run.env.process(self._happen(body, NOTIFIED, 0.0, reason))

    def _happen(
        self, body: Body, stage: str, delay: float, reason: Reason
    ) -> Generator[simpy.Event, Any, None]:
        yield self.run.env.timeout(delay)
        times = self.times[body.id]
        if stage in times:
            return
        times[stage] = self.run.env.now
        kind = EventKind.COMMITTEE_CONVENED if stage == CONVENED else EventKind.COMMITTEE_NOTIFIED
        self.run.emit(body.id, kind, None, **reason.details())
        if stage == CONVENED and self._sitting_over(body):
            self._adjourned(body)

    def metrics(self) -> dict[str, Any]:
        """``committee.<id>``: when notified, convened and adjourned, minutes
        from start (why: the events' ``reason``; adjourned ``None``: still
        sitting at the end of the run, or never convened)."""
        return {
            body.id: {
                stage: self.times[body.id].get(stage) for stage in (NOTIFIED, CONVENED, ADJOURNED)
            }
            for body in self.bodies
        }
