"""One incident as a deciding room handles it (:class:`Case`), what the
room knows of it (:func:`merge_known`), and the levels its plans' triggers
give on that knowledge.

The triggers are read with the case's raise flags (:func:`raise_flags`): the
flags of its incidents, and ``holiday`` on a holiday.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from cmdsim.model.governing import outgrown
from cmdsim.model.levels import Level, Signal, TimeBand
from cmdsim.model.plans import Task
from cmdsim.sim.compiled import CompiledPlan
from cmdsim.sim.context import Run


def merge_known(known: dict[str, Any], seen: Mapping[str, Any]) -> None:
    """Fold what a report says (``seen``) into what a case knows: each figure
    or signal kept at its highest (the fast path folds its reports the same way)."""
    for key, value in seen.items():
        old = known.get(key)
        if old is None:
            known[key] = value
        elif value is old:
            # The same figure or signal again (reports share the timeline's
            # values): not higher, and no rank to work out for a signal.
            continue
        elif type(value) is float and type(old) is float:
            # Most figures are floats: compared as _rank would, without the calls.
            if value > old:
                known[key] = value
        elif _rank(value) > _rank(old):
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
        """The names of the tasks set for the case (:meth:`claim`)."""
        self.work: set[tuple[str, str]] = set()
        """The (task id, unit) pairs set for the case, whichever plan set them."""
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
        self.closed_above = False
        """At a town room, a case handed over: the district's response to it
        has closed other than by a hand-back, and the town's part closed with
        it (:meth:`~cmdsim.sim.decision.Decisions.town_duty`)."""
        self.paused: Level | None = None
        """At a town room, while :attr:`closed_above`: the town plan's level
        that comes back in force if the district's response opens again."""
        self.assessed = -math.inf
        """When the lead last found on the scene that the situation had eased
        (a level lowered, the response closed or handed back): news observed
        before then is older than what the room knows and does not raise its
        picture again (:meth:`hears`)."""

    def claim(self, name: str, task: Task) -> bool:
        """Whether ``task``, going by ``name`` in the incident, is new work
        for the case, and if so, mark it set.

        A task repeated at a higher level is the same work, not new work
        (its name is set).  At a merged site (one response per site) two
        plans' tasks of one id are one piece of work when the same unit
        does them: the version set first runs — at one level the leading
        plan's, which sets its tasks before the plans merged into it — and
        the other is not run (``cmdsim check`` names it, CMD082).  With
        different units they are two tasks, the later one named
        ``<plan>:<id>`` (:meth:`~cmdsim.sim.compiled.Compiled.task_name`).
        The general plan under a takeover asks the same of the case it sets
        a task for (:class:`~cmdsim.sim.general.GeneralResponse`)."""
        key = (task.id, task.unit)
        if name in self.tasks or key in self.work:
            return False
        self.tasks.add(name)
        self.work.add(key)
        return True

    def hears(self, report_observed: float, onset: float) -> bool:
        """Whether news observed ``report_observed`` minutes after ``onset`` is
        newer than the lead's last finding that the situation eased."""
        return onset + report_observed >= self.assessed

    def level_on(self, known: Mapping[str, Any], flags: tuple[str, ...]) -> Level | None:
        """The level the case's plan and the plans merged into it give on ``known``."""
        assert self.rule is not None
        level = self.rule.level_for(known, flags)
        for other in self.joined:
            found = other.level_for(known, flags)
            if found is not None and (level is None or found > level):
                level = found
        return level

    def warranted(self, flags: tuple[str, ...]) -> Level | None:
        """The level the plans' triggers give for what is known (raise flags included)."""
        return self.warranted_on(self.known, flags)

    def warranted_on(self, known: Mapping[str, Any], flags: tuple[str, ...]) -> Level | None:
        """:meth:`warranted` on another picture (the truth, say)."""
        level = self.level_on(known, flags)
        if self.successor is not None:
            above = self.successor.level_for(known, flags)
            if above is not None and (level is None or above > level):
                level = above
        return level

    def wanted(self, flags: tuple[str, ...]) -> Level | None:
        """The level to decide: the warranted one, or the level a report gave if higher."""
        level = self.warranted_on(self.known, flags)
        reported = self.reported
        if reported is not None and (level is None or reported > level):
            level = reported
        return level

    def own(self, flags: tuple[str, ...]) -> Level | None:
        """The town plan's own level on what is known, at most its top level."""
        rule = self.rule
        if rule is None:
            return None
        level = rule.level_for(self.known, flags)
        if level is not None and rule.top is not None and level > rule.top:
            level = rule.top
        return level

    def outgrown(self, level: Level, flags: tuple[str, ...]) -> bool:
        """Whether a town case's warranted ``level`` is beyond what its plan covers."""
        successor = self.successor
        if successor is None or self.rule is None:
            return False
        top = self.rule.top
        if top is None or level > top:
            return True  # not asking the triggers: outgrown whatever they say
        own = self.rule.level_for(self.known, flags)
        # The successor's triggers matter only where the town plan's set nothing.
        after = successor.level_for(self.known, flags) if own is None else None
        return outgrown(top, level, own, after)


def raise_flags(case: Case, run: Run) -> tuple[str, ...]:
    """The flags the case's triggers are read with now: its incidents' flags,
    and ``holiday`` when the run's time band is a holiday."""
    # Asked at every report a room triages, decision and reassessment: the
    # band compared in place (TimeBand.is_holiday is a property call), and
    # not asked for at all in a run that meets no holiday.
    if not run.compiled.holidays:
        return case.flags
    band = run.band()
    if band is TimeBand.HOLIDAY or band is TimeBand.HOLIDAY_NIGHT:
        return (*case.flags, "holiday")
    return case.flags


def truth_now(case: Case, run: Run) -> Mapping[str, Any] | None:
    """What is true now of the case's incident (``None``: not an incident of
    the scenario); of a merged case's site, the worst of each attribute over
    its sub-incidents that have begun."""
    comp = run.compiled
    incident = comp.incident.get(case.incident)
    if incident is None:
        return None
    now = run.env.now
    truth: Mapping[str, Any] = incident.severity_at(now - incident.onset)
    group = comp.sites.get(case.incident)
    if case.joined or group is not None:
        merged: dict[str, Any] = dict(truth)
        for member in group.merged if group is not None else ():
            other = comp.incident[member]
            if other.onset <= now:
                merge_known(merged, other.severity_at(now - other.onset))
        truth = merged
    return truth
