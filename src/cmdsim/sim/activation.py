"""HQ activation: call-out of each post's people, quorum, stand-down, takeover.

A notified HQ calls out every post at once.  Each person is reached with
probability ``reach`` and arrives ``callout × band factor`` later; a post is
filled when ``needed`` people have arrived; a quorum term holds when ``k`` of
its posts are filled; the HQ is activated when every term holds (no terms:
every post; no posts: at once).  Nothing in a call-out contends for
capacity: the call-out is computed once (:mod:`cmdsim.sim.callout`, the
implementation the fast path uses too, with one replication) and each
post's fill is scheduled as one timeout.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy

from cmdsim.model.levels import Level
from cmdsim.model.organisation import Command
from cmdsim.model.plans import Takeover
from cmdsim.sim.callout import draw_callout, fill_times
from cmdsim.sim.case import Case
from cmdsim.sim.context import DecisionPoint, HQFacts, Run
from cmdsim.sim.events import EventKind
from cmdsim.sim.reasons import HQS_ACTIVE, LEVEL, Reason
from cmdsim.sim.streams import callout_stream


class HQProcess:
    """One HQ across incidents: called out once, serves every incident it joins."""

    def __init__(
        self,
        run: Run,
        command: Command,
        on_active: Callable[[], None],
        on_inactive: Callable[[], None] | None = None,
    ) -> None:
        self.run = run
        self.command = command
        self.on_active = on_active
        self.on_inactive = on_inactive
        self.active = False
        self.calling = False
        self.generation = 0
        self.incidents: dict[str, str] = {}
        # incident -> callbacks waiting for this HQ to be at work for it
        self.waiting: dict[str, list[Callable[[float], None]]] = {}

    def when_active(self, incident: str, callback: Callable[[float], None]) -> None:
        """``callback(time)`` once the HQ is at work for the incident (now if it is)."""
        if self.active and incident in self.incidents:
            callback(self.run.env.now)
        else:
            self.waiting.setdefault(incident, []).append(callback)

    def _at_work(self, incident: str) -> None:
        for callback in self.waiting.pop(incident, ()):
            callback(self.run.env.now)

    def notify(self, incident: str, level: Level | None) -> None:
        """Called by the deciding process; returns at once (the call-out is a process)."""
        run = self.run
        command = self.command.id
        label = level.value if level is not None else None
        if incident in self.incidents:
            if label is not None and self.incidents[incident] != label:
                self.incidents[incident] = label
                run.ledger.incident(incident).hq[command].level = label
                run.emit(self.command.id, EventKind.HQ_LEVEL_CHANGED, incident, level=label)
            return
        self.incidents[incident] = label or ""
        hq = run.ledger.incident(incident).hq
        facts = hq.get(command)
        if facts is None:
            facts = hq[command] = HQFacts(run.env.now)
        facts.level = label or ""
        run.emit(self.command.id, EventKind.HQ_NOTIFIED, incident, level=label)
        if self.active:
            if facts.activated is None:
                facts.activated = run.env.now
            run.emit(self.command.id, EventKind.HQ_JOINED, incident, level=label)
            self._at_work(incident)
        elif not self.calling:
            self.calling = True
            run.env.process(self._callout())

    def stand_down(self, incident: str) -> None:
        run = self.run
        if self.incidents.pop(incident, None) is None:
            return
        run.emit(self.command.id, EventKind.HQ_RELEASED, incident)
        if not self.incidents:
            self.generation += 1
            self.calling = False
            if self.active:
                self.active = False
                run.emit(self.command.id, EventKind.HQ_DEACTIVATED, None)
                if self.on_inactive is not None:
                    self.on_inactive()

    def _callout(self) -> Generator[simpy.Event, Any, None]:
        run = self.run
        env = run.env
        generation = self.generation
        command = self.command
        draws = draw_callout(command, run.band(), run.streams(callout_stream(command.id)))
        filled = {post: float(at[0]) for post, at in fill_times(command, draws).items()}
        start = env.now
        post_events: dict[str, simpy.Event] = {}
        for post in self.command.posts:
            at = filled[post.id]
            if math.isinf(at):
                post_events[post.id] = env.event()
                run.emit(self.command.id, EventKind.POST_UNFILLED, None, post=post.id)
                continue
            event = env.timeout(at)
            event.callbacks.append(self._filled_logger(post.id, generation))
            post_events[post.id] = event
        if not self.command.posts:
            yield env.timeout(0)
        elif not self.command.quorum:
            # Every post (Command.terms): one all_of, the same events as ever.
            yield env.all_of(list(post_events.values()))
        else:
            yield env.all_of(
                [
                    self._k_of(term.k, [post_events[p] for p in term.posts])
                    for term in self.command.terms
                ]
            )
        if generation != self.generation:
            return
        elapsed = env.now - start
        staff = sum(
            int(np.count_nonzero(post.reached & (post.arrivals <= elapsed)))
            for post in draws.values()
        )
        self.calling = False
        self.active = True
        run.emit(self.command.id, EventKind.HQ_ACTIVATED, None, staff=staff, delay=elapsed)
        for incident, label in self.incidents.items():
            facts = run.ledger.incident(incident).hq[command.id]
            if facts.activated is None:
                facts.activated = env.now
            if facts.staff is None:
                facts.staff = staff
            run.emit(self.command.id, EventKind.HQ_ACTIVE_FOR, incident, level=label or None)
        for incident in list(self.incidents):
            self._at_work(incident)
        self.on_active()

    def _k_of(self, k: int, events: list[simpy.Event]) -> simpy.Event:
        env = self.run.env
        done = env.event()
        count = [0]

        def tick(_: simpy.Event) -> None:
            count[0] += 1
            if count[0] == k and not done.triggered:
                done.succeed()

        for event in events:
            event.callbacks.append(tick)
        return done

    def _filled_logger(self, post: str, generation: int) -> Callable[[simpy.Event], None]:
        def log(_: simpy.Event) -> None:
            if generation == self.generation:
                self.run.emit(self.command.id, EventKind.POST_FILLED, None, post=post)

        return log


class Takeovers:
    """Watches the general plan's rule and calls out the general HQ once it holds.

    ``active`` counts the specialised HQs at work now: an HQ that stands down
    (``hq_deactivated``) no longer counts towards ``min_active``.

    The takeover ends when the event it took over is over: the last
    incident's response in force closes (事故处毕终报: its final report, its
    HQs stood down; the general plan's part of it closed with it).  The rule
    no longer holding (levels lowered, HQs stood down) does not end it: the
    general HQ keeps coordinating what is still being handled.  At the end:
    one ``takeover_ended``, the general plan out of force, and the general
    HQ released from ``_coordination`` (it stands down unless a plan's level
    keeps it at work).  The rule is watched again from then on: should it
    hold anew, that is a second takeover (``n: 2`` on its events, in the
    record's ``again``).

    With a decision policy (``SimOptions.decisions``) the general HQ's
    commander is asked (role ``general-hq``) when the rule holds: take over
    now, or decline.  A declined takeover is asked again when the situation
    escalates while the rule still holds: a specialised HQ becomes active that
    was not at the decline, or an incident's level rises above its level then
    (an incident with no level then counts as rising).
    """

    def __init__(self, run: Run, rule: Takeover | None, general: HQProcess | None) -> None:
        self.run = run
        self.rule = rule
        self.general_id: str | None = general.command.id if general is not None else None
        self.hq: Callable[[str], HQProcess | None] = lambda _: general
        self.done = False
        """A takeover is under way (triggered, and not ended)."""
        self.holding = False
        """The general HQ has taken over, and the event is not over."""
        self.count = 0
        """Takeovers triggered so far in the run."""
        self.active: set[str] = set()
        self.levels: dict[str, Level] = {}
        self.cases: dict[str, Case] = {}
        """Incident -> its case at the room deciding it, while its level is in force."""
        self.passing: set[str] = set()
        """Incidents on their way back to their town plan (see :meth:`level`)."""
        # the situation at the last decline: active HQs and levels
        self.declined: tuple[frozenset[str], dict[str, Level]] | None = None
        self.bodies: Any = None
        """The committees (:class:`~cmdsim.sim.bodies.Bodies`), told the same news."""
        self.general: Any = None
        """The general plan's response (:class:`~cmdsim.sim.general.GeneralResponse`),
        put in force by the takeover and told of every level after it."""

    def hq_active(self, command: str) -> None:
        if self.general_id is not None and command != self.general_id:
            self.active.add(command)
        if self.bodies is not None:
            self.bodies.hq_active(command)
        self.check()

    def hq_inactive(self, command: str) -> None:
        self.active.discard(command)
        if self.bodies is not None:
            self.bodies.hq_inactive(command)

    def level(
        self, incident: str, level: Level | None, passing: bool = False, case: Case | None = None
    ) -> None:
        """An incident's level in force moved (``None``: its response closed;
        ``passing``: closed at the district only to be handed back to its
        town plan, whose room takes it back after the hand-back's delay: the
        event is not over, and its committees keep sitting).  ``case`` is
        the incident as the room deciding it holds it: the plan it is
        decided under, the work set for it."""
        if level is None:
            self.levels.pop(incident, None)
            self.cases.pop(incident, None)
            if passing:
                self.passing.add(incident)
        else:
            self.levels[incident] = level
            if case is not None:
                self.cases[incident] = case
            self.passing.discard(incident)
        if self.bodies is not None and not passing:
            self.bodies.level(incident, level)
        if self.general is not None:
            self.general.update(self.levels, self.cases)
        if self.holding and not self.levels and not self.passing:
            self._end()
        self.check()

    def check(self) -> None:
        if self.done or self.rule is None or self.general_id is None:
            return
        reason = None
        if len(self.active) >= self.rule.min_active:
            reason = Reason(HQS_ACTIVE, active=tuple(sorted(self.active)))
        elif any(level >= self.rule.min_level for level in self.levels.values()):
            reason = Reason(LEVEL, max(self.levels.values()).value)
        if reason is None:
            return
        general = self.hq(self.general_id)
        if general is None:
            return
        run = self.run
        by: dict[str, Any] = {}
        if run.options.decisions is not None:
            if self.declined is not None and not self._escalated(*self.declined):
                return
            take = self._take_over(reason)
            if take is False:
                return
            if take:
                by = {"by": "player"}
        self.done = True
        self.count += 1
        facts = run.ledger.takeover
        if self.count == 1:
            facts.triggered = run.env.now
            facts.reason = reason
        else:
            facts.again.append([run.env.now, None, None])
            by["n"] = self.count
        run.emit(self.general_id, EventKind.TAKEOVER_TRIGGERED, None, **reason.details(), **by)
        general.notify("_coordination", None)
        # At once if the general HQ is already at work (a plan's level called it
        # out), else when its call-out's quorum holds.
        general.when_active("_coordination", self._took_over)

    def _nth(self) -> dict[str, int]:
        """The ``n`` of a takeover's events from the second on (none on the first)."""
        return {"n": self.count} if self.count > 1 else {}

    def _took_over(self, time: float) -> None:
        takeover = self.run.ledger.takeover
        if self.count == 1:
            takeover.time = time
        else:
            takeover.again[-1][1] = time
        assert self.general_id is not None
        self.holding = True
        self.run.emit(self.general_id, EventKind.TAKEOVER, None, **self._nth())
        if self.bodies is not None and self.rule is not None:
            self.bodies.takeover(self.rule.convene)
        if self.general is not None:
            self.general.start(self.levels, self.cases)
        if not self.levels and not self.passing:
            # Every response closed while the general HQ was being called out.
            self._end()

    def _end(self) -> None:
        """The event taken over is over (see the class)."""
        run = self.run
        assert self.general_id is not None
        takeover = run.ledger.takeover
        if self.count == 1:
            takeover.ended = run.env.now
        else:
            takeover.again[-1][2] = run.env.now
        self.holding = False
        self.done = False
        self.declined = None
        run.emit(self.general_id, EventKind.TAKEOVER_ENDED, None, **self._nth())
        if self.general is not None:
            self.general.stop()
        general = self.hq(self.general_id)
        if general is not None:
            general.stand_down("_coordination")

    def _escalated(self, active: frozenset[str], levels: dict[str, Level]) -> bool:
        if any(command not in active for command in self.active):
            return True
        return any(
            incident not in levels or level > levels[incident]
            for incident, level in self.levels.items()
        )

    def _take_over(self, reason: Reason) -> bool | None:
        """Ask the decision policy (role ``general-hq``): ``True`` a player takes
        over now, ``False`` a player declines, ``None`` the plan's rule stands."""
        run = self.run
        assert self.general_id is not None
        top = max(self.levels.values()) if self.levels else None
        point = DecisionPoint(
            "general-hq",
            run.env.now,
            None,
            top,
            (self.general_id,),
            {**reason.details(), "active": ", ".join(sorted(self.active))},
            None,
        )
        decision = run.options.decisions.decide(point)
        if decision is None:
            return None
        take = self.general_id in tuple(decision.activate)
        facts = run.ledger.takeover
        facts.by = "player"
        if facts.rule_held is None:
            facts.rule_held = run.env.now
        run.emit(
            self.general_id,
            EventKind.DECISION,
            None,
            role="general-hq",
            choice="take_over" if take else "decline",
            **reason.details(),
        )
        if not take:
            facts.declined.append(run.env.now)
            self.declined = (frozenset(self.active), dict(self.levels))
            run.emit(
                self.general_id, EventKind.TAKEOVER_DECLINED, None, **reason.details(), by="player"
            )
        return take
