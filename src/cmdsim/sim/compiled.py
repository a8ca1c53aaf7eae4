"""What a run needs of a scenario that does not depend on the seed, built once.

:func:`compiled` turns a frozen :class:`~cmdsim.model.scenario.Scenario` into
look-up tables — plans by hazard and town with their triggers as flat
tuples, channels by hazard, incidents' severity in force after each point,
the time bands over the horizon, the duty rooms' rostered minutes, the
information officers as numbered people — and caches it by the scenario's
identity (a weak reference: the cache entry goes with the scenario), so
replications of one scenario pay for it once.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import operator
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from cmdsim.cache import ScenarioCache
from cmdsim.model.conditions import Condition, Op
from cmdsim.model.governing import PlanChoice
from cmdsim.model.levels import Level, Signal, Tier, TimeBand
from cmdsim.model.organisation import Channel, Command, DutyRoom, TierSpec, Unit
from cmdsim.model.plans import Plan, Task, most_asked
from cmdsim.model.scenario import (
    Incident,
    Inject,
    Scenario,
    general_plan,
    required_level,
)
from cmdsim.model.sites import SiteGroup, site_groups
from cmdsim.sim.metric_names import plan_duty
from cmdsim.sim.results import CoverageRecord
from cmdsim.sim.topology import Topology, opening, points

_OPS: dict[Op, Callable[[Any, Any], bool]] = {
    Op.GE: operator.ge,
    Op.GT: operator.gt,
    Op.LE: operator.le,
    Op.LT: operator.lt,
    Op.EQ: operator.eq,
}

Cond = tuple[str, Callable[[Any, Any], bool], float, bool]
"""``(attribute, operator, threshold, is_signal)``; signals compare by rank."""


def _cond(condition: Condition) -> Cond:
    value = condition.value
    if isinstance(value, Signal):
        return (condition.attribute, _OPS[condition.op], float(value.rank), True)
    return (condition.attribute, _OPS[condition.op], float(value), False)


def _holds(cond: Cond, known: Mapping[str, Any]) -> bool:
    attribute, op, want, is_signal = cond
    have = known.get(attribute)
    if have is None:
        return False
    if is_signal:
        have = Signal.parse(have).rank if isinstance(have, str) else have.rank
    return bool(op(have, want))


class CompiledPlan:
    """A plan's triggers as flat tuples, most severe level first."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.id = plan.id
        self.lead = plan.lead
        # Stable sort: the first trigger that fires in this order sets the
        # highest level, as ``max`` over all fired triggers does.
        ordered = sorted(plan.triggers, key=lambda t: -t.level.rank)
        self.triggers = tuple(
            (t.level, tuple(_cond(c) for c in t.any_of), tuple(_cond(c) for c in t.all_of))
            for t in ordered
        )
        self.raise_flags = frozenset(plan.raise_flags)
        self.top: Level | None = max((t.level for t in plan.triggers), default=None)
        """The highest level the plan's triggers can set (a flag may raise it once)."""
        self._memo: dict[Any, Level | None] = {}
        lead = (plan.lead,) if plan.lead is not None else ()
        # A level includes everything of the levels below it ("每级响应行动包含
        # 低级别应急响应的所有内容"): a case decided straight at II sets what IV
        # and III would have set too, lowest first (Plan.included, as check reads it).
        included = {level: plan.included(level) for level in Level}
        self.activate: dict[Level, tuple[str, ...]] = {
            level: tuple(dict.fromkeys((*lead, *response.activate)))
            for level, response in included.items()
        }
        self.notify: dict[Level, tuple[str, ...]] = {
            level: response.notify for level, response in included.items()
        }
        """Level -> the units and HQs told of it: its own and the lower levels', once each."""
        self.tasks: dict[Level, tuple[Task, ...]] = {
            level: response.tasks for level, response in included.items()
        }
        """Level -> the tasks it sets: its own and the lower levels', lowest first."""

    def level_for(self, known: Mapping[str, Any], flags: tuple[str, ...] = ()) -> Level | None:
        """:meth:`Plan.level_for`, the same answer, remembered per distinct input."""
        key = (tuple(known.items()), flags)
        try:
            return self._memo[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value: answer without remembering
            return self._level_for(known, flags)
        if len(self._memo) >= 4096:
            self._memo.clear()
        level = self._memo[key] = self._level_for(known, flags)
        return level

    def _level_for(self, known: Mapping[str, Any], flags: tuple[str, ...]) -> Level | None:
        for level, any_of, all_of in self.triggers:
            if any_of and not any(_holds(c, known) for c in any_of):
                continue
            if all(_holds(c, known) for c in all_of):
                if flags and not self.raise_flags.isdisjoint(flags):
                    return level.raised()
                return level
        return None

    def activated_by(self, level: Level | None) -> tuple[str, ...]:
        """The lead at every level, then the ``activate`` lists of the levels
        up to ``level``, lowest first, each HQ once."""
        return () if level is None else self.activate[level]


class CompiledIncident:
    """An incident's onset and the severity in force after each timeline point."""

    def __init__(self, scenario: Scenario, incident: Incident) -> None:
        self.incident = incident
        self.id = incident.id
        self.hazard = incident.hazard
        self.town = incident.town
        self.committee = incident.committee
        self.flags = incident.flags
        self.onset = scenario.onset_minutes(incident)
        self.times = [p.at for p in incident.timeline]
        self.points = points(incident)
        """The points its process observes (:func:`cmdsim.sim.topology.points`)."""
        self.opening = opening(self.points)
        """The first of them at or after onset, which every channel but the
        warning channel reports whatever it states (:func:`~cmdsim.sim.topology.carries`)."""
        self.known = [incident.severity_at(p.at) for p in incident.timeline]
        self.handled = incident.handled_at()
        """Minutes after onset when its handling is over (``None``: never in the run)."""

    def severity_at(self, minutes_after_onset: float) -> Mapping[str, Any]:
        """What is true at a time (shared: read it, do not change it)."""
        index = bisect.bisect_right(self.times, minutes_after_onset) - 1
        return self.known[index] if index >= 0 else {}


class Officers:
    """The information officers of the district as numbered people.

    Person ``i`` has ``tier[i]``, ``town[i]`` (-1 at district tier) and
    ``committee[i]`` (-1 above committee tier); each group of people a relay
    can go to (a committee's compound officers, its committee officers, a
    town's officers, the district's) is a contiguous range ``(lo, hi)``.
    """

    def __init__(self, scenario: Scenario) -> None:
        district = scenario.district
        # Runs of people sharing tier, town and committee, one list a column
        # (a tuple a run was ~3,000 tuples, 140 KiB, for the bundled district).
        sizes: list[int] = []
        tiers: list[int] = []
        towns: list[int] = []
        committees: list[int] = []
        tier_code = {tier: code for code, tier in enumerate(Tier)}
        self.town_index: dict[str, int] = {}
        self.committee_index: dict[str, dict[str, int]] = {}
        self.town_ids = [town.id for town in district.towns]
        self.committee_ids = [c.id for town in district.towns for c in town.committees]
        """Committee ids by serial (person ``i``'s is ``committee_ids[committee[i]]``)."""
        # (compound range, committee range) of each committee of each town
        self.committee_groups: list[list[tuple[tuple[int, int], tuple[int, int]]]] = []
        self.town_group: list[tuple[int, int]] = []
        count = 0

        def add(n: int, tier: Tier, town: int, committee: int) -> tuple[int, int]:
            nonlocal count
            sizes.append(n)
            tiers.append(tier_code[tier])
            towns.append(town)
            committees.append(committee)
            # A range starts where the last ended: one int object for both
            # (``count - n`` made ~2,900 more, 90 KiB, for the bundled district).
            lo = count
            count += n
            return lo, count

        serial = 0
        for t, town in enumerate(district.towns):
            self.town_index[town.id] = t
            self.committee_index[town.id] = {}
            groups = []
            for c, committee in enumerate(town.committees):
                self.committee_index[town.id][committee.id] = c
                compound = add(committee.compound_officers, Tier.COMPOUND, t, serial)
                own = add(committee.officers, Tier.COMMITTEE, t, serial)
                groups.append((compound, own))
                serial += 1
            self.committee_groups.append(groups)
            self.town_group.append(add(town.officers, Tier.TOWN, t, -1))
        self.district_group = add(district.officers.district, Tier.DISTRICT, -1, -1)
        repeats = np.asarray(sizes, dtype=np.int64)
        town_type = np.int16 if len(district.towns) < 2**15 else np.int32
        self.tier = np.repeat(np.asarray(tiers, dtype=np.int8), repeats)
        self.town = np.repeat(np.asarray(towns, dtype=town_type), repeats)
        self.committee = np.repeat(np.asarray(committees, dtype=np.int32), repeats)
        self.count = count

    def group_name(self, tier: Tier, lo: int) -> str:
        """The id of the group whose first person is ``lo``: its committee's at
        compound and committee tier, its town's at town tier, ``district``."""
        if tier is Tier.DISTRICT:
            return "district"
        if tier is Tier.TOWN:
            return self.town_ids[int(self.town[lo])]
        return self.committee_ids[int(self.committee[lo])]

    @property
    def nbytes(self) -> int:
        """Bytes of the per-person static arrays."""
        return int(self.tier.nbytes + self.town.nbytes + self.committee.nbytes)


class Compiled:
    """Everything seed-independent a run of ``scenario`` looks up."""

    def __init__(self, scenario: Scenario) -> None:
        district = scenario.district
        self.plans = district.plans
        self.choice = PlanChoice(district)
        """Which plan governs an incident (:mod:`cmdsim.model.governing`)."""
        self.channels = district.channels
        self.horizon = scenario.horizon
        self.start = scenario.start
        self.calendar = district.calendar
        self.incidents = tuple(CompiledIncident(scenario, i) for i in scenario.incidents)
        self.district_room = district.duty_room.id
        self.injects = scenario.injects
        self.incident = {i.id: i for i in self.incidents}
        town_zones = {t.id: t.zone for t in district.towns}
        self.zones: dict[str, str | None] = {
            i.id: i.incident.zone if i.incident.zone is not None else town_zones.get(i.town)
            for i in self.incidents
        }
        """Incident -> where it lies for reporting limits by place: its own
        ``zone``, else its town's (``None``: neither says)."""
        self.onsets = {i.id: i.onset for i in self.incidents}
        self.commands: dict[str, Command] = {c.id: c for c in district.commands}
        self.units: dict[str, Unit] = {u.id: u for u in district.units}
        self.resources = {r.id: r for u in district.units for r in u.resources}
        self.rooms: dict[str, DutyRoom] = {r.id: r for r in district.duty_rooms()}
        self.recipients = district.recipients()
        """Whom an inject may be addressed to, with the town whose room it reaches."""
        self.town_rooms: dict[str, DutyRoom] = {
            t.id: t.duty_room for t in district.towns if t.duty_room is not None
        }
        self.tiers: dict[Tier, TierSpec] = dict(district.officers.tiers)
        self.officers = Officers(scenario)
        self._plans: dict[tuple[str, str | None], CompiledPlan | None] = {}
        self._town_plans: dict[tuple[str, str | None], CompiledPlan | None] = {}
        self._compiled_plans: dict[str, CompiledPlan] = {}
        self._channels: dict[str, tuple[Channel, ...]] = {}
        self._successors: dict[tuple[str, str], CompiledPlan | None] = {}
        self._task_firsts: dict[str, dict[str, str]] = {}
        self.carried: dict[tuple[Any, ...], Mapping[str, Any]] = {}
        """What a channel's report of an incident's timeline point carries of
        the truth, and what a channel's count of it says, remembered across
        runs as they are first worked out (:mod:`cmdsim.sim.reporting`,
        :mod:`cmdsim.sim.knowledge`): functions of the scenario alone, shared
        like :meth:`CompiledIncident.severity_at`'s answers (read, never changed)."""
        gplan = general_plan(district)
        self.takeover = gplan.takeover if gplan is not None else None
        self.takeover_plan = self._compile(gplan) if self.takeover is not None else None
        """The general plan a takeover puts in force (:mod:`cmdsim.sim.general`)."""
        general = district.general_command
        if gplan is not None and gplan.lead is not None:
            general = self.commands.get(gplan.lead)
        self.general = general.id if general is not None else None
        self.sites: dict[str, SiteGroup] = site_groups(scenario)
        """Incidents one response with others (a plan's merge rule), to their group."""
        self.required: dict[str, Level | None] = {}
        for incident in scenario.incidents:
            self.required[incident.id] = self._required(incident)
        self.coverage = self._coverage(scenario)
        self.edges, self.bands = self._band_schedule()
        self.holidays = any(band.is_holiday for band in self.bands)
        """Whether the run meets a holiday band before its horizon: else no
        case's triggers are ever read with ``holiday`` (:func:`~cmdsim.sim.case.raise_flags`)."""
        self.rostered = {room.id: self._rostered(room) for room in self.rooms.values()}
        self.reinforce: dict[str, int] = most_asked(self.plans)
        """Room -> the most officers a level may call in to it (加强值班)."""

    def _required(self, incident: Incident) -> Level | None:
        """The level the governing plans require for the incident's true peak.

        Under a town plan, the higher of the town plan's level and its
        successor's — the level the town room warrants on full knowledge,
        which hands the incident over when it is beyond the town plan.
        """
        town = self.town_plan_for(incident.hazard, incident.town)
        if town is None:
            plan = self.plan_for(incident.hazard, incident.town)
            return required_level(plan.plan, incident) if plan is not None else None
        rules = (town, self.hand_over_to(town, incident.hazard))
        levels = [required_level(r.plan, incident) for r in rules if r is not None]
        return max((level for level in levels if level is not None), default=None)

    def plan_for(self, hazard: str, town: str | None) -> CompiledPlan | None:
        """The district plan for the hazard, else the town's own plan for it,
        else the general plan if it names no hazard (:func:`covering_plan`)."""
        key = (hazard, town)
        if key in self._plans:
            return self._plans[key]
        out = self._plans[key] = self._compile(self.choice.district_plan_for(hazard, town))
        return out

    def _compile(self, plan: Plan | None) -> CompiledPlan | None:
        if plan is None:
            return None
        out = self._compiled_plans.get(plan.id)
        if out is None:
            out = self._compiled_plans[plan.id] = CompiledPlan(plan)
        return out

    def town_plan_for(self, hazard: str, town: str | None) -> CompiledPlan | None:
        """The town-tier plan of ``town`` for the hazard, if the town has a duty room to run it.

        An incident with one is handled first by its town's duty room under
        that plan (see ``docs/engine.md``, town-level response).
        """
        key = (hazard, town)
        if key in self._town_plans:
            return self._town_plans[key]
        out = self._town_plans[key] = self._compile(self.choice.town_plan_for(hazard, town))
        return out

    @functools.cached_property
    def topology(self) -> Topology:
        """Where the scenario's reports go (:mod:`cmdsim.sim.topology`),
        built on first use: the fast path reads it whole."""
        return Topology(self, self.district_room, self.injects)

    @functools.cached_property
    def work_capacity(self) -> tuple[tuple[str, float], ...]:
        """Each room, unit and ``resource:<id>`` with the minutes of work it
        can do over the horizon, sorted by name: a run's ``utilisation`` is
        its busy minutes over these (built once, not at every run's record)."""
        horizon = self.horizon
        capacity: dict[str, float] = dict(self.rostered)
        for unit in self.units.values():
            capacity[unit.id] = unit.staff * horizon
            for resource in unit.resources:
                capacity[f"resource:{resource.id}"] = resource.capacity * horizon
        return tuple(sorted(capacity.items()))

    @functools.cached_property
    def work_capacities(self) -> dict[str, float]:
        """:attr:`work_capacity` as a mapping."""
        return dict(self.work_capacity)

    @functools.cached_property
    def idle_utilisation(self) -> dict[str, float | None]:
        """A run's ``utilisation`` with nothing done: 0 of each capacity
        (``None`` where there is none), sorted by name."""
        return {name: 0.0 / c if c > 0 else None for name, c in self.work_capacity}

    @functools.cached_property
    def sorted_rooms(self) -> tuple[str, ...]:
        """The duty rooms' ids, sorted (a run's ``wait`` is keyed by them)."""
        return tuple(sorted(self.rooms))

    def inject_target(self, inject: Inject) -> str:
        """The incident an inject is about: the first of its hazard (in its
        town, if it names one), else a case of its own under the inject's id."""
        return next(
            (
                i.id
                for i in self.incidents
                if i.hazard == inject.hazard and (inject.town is None or i.town == inject.town)
            ),
            inject.id,
        )

    def case_town(self, incident: str, town: str | None) -> str | None:
        """The town a case about ``incident`` is decided for: the incident's own,
        whatever a report or inject about it names (``town`` for a case of its own)."""
        known = self.incident.get(incident)
        return known.town if known is not None else town

    def town_plan_of(self, incident: str, hazard: str, town: str | None) -> CompiledPlan | None:
        """:meth:`town_plan_for` the incident's own town (a report's, an inject's, may differ)."""
        return self.town_plan_for(hazard, self.case_town(incident, town))

    def hand_over_to(self, plan: CompiledPlan, hazard: str) -> CompiledPlan | None:
        """The plan that takes over when an incident outgrows ``plan``.

        The first plan named in ``escalation.hand_over`` that lists the hazard,
        else the first named; with no ``hand_over``, the district-tier plan for
        the hazard; ``None`` when there is none.
        """
        key = (plan.id, hazard)
        if key in self._successors:  # asked at every town case's report and record
            return self._successors[key]
        found = self._compile(self.choice.successor(plan.plan, hazard))
        self._successors[key] = found
        return found

    def task_name(self, incident: str, plan: str, task: str) -> str:
        """The name ``plan``'s task ``task`` goes by in the incident's
        deadline records, events and random stream: its id, unless another
        plan that can set the incident's tasks names the same id before it
        (two plans' tasks are two pieces of work: they must not share a
        deadline record or a stream), then ``<plan>:<task>``
        (:func:`~cmdsim.sim.metric_names.plan_duty`).  The plans, in order:
        the incident's town plan, its district plan (the one a town plan hands
        over to), the plans of the incidents merged into it, the general plan
        a takeover puts in force.  So the plan an incident starts under keeps
        its tasks' names, and a name is the same in every run."""
        firsts = self._task_firsts.get(incident)
        if firsts is None:
            firsts = self._task_firsts[incident] = self._first_namers(incident)
        first = firsts.get(task)
        return task if first is None or first == plan else plan_duty(plan, task)

    def acting_plans(self, incident: str, *, takeover: bool = True) -> tuple[CompiledPlan, ...]:
        """The plans that can set an incident's tasks and reports, in the
        order :meth:`task_name` gives them precedence: its town plan, its
        district plan (the one a town plan hands over to), the plans of the
        incidents merged into it, and (with ``takeover``) the general plan a
        takeover puts in force, unless one of those is that plan already.
        Empty for an inject's case of its own (no incident of that id)."""
        known = self.incident.get(incident)
        if known is None:
            return ()
        town = self.town_plan_for(known.hazard, known.town)
        plans = [town, self.hand_over_to(town, known.hazard) if town is not None else None]
        if town is None:
            plans.append(self.plan_for(known.hazard, known.town))
        group = self.sites.get(incident)
        if group is not None and group.key == incident:
            for member in group.merged:
                other = self.incident[member]
                plans.append(self.plan_for(other.hazard, other.town))
        if takeover:
            plans.append(self.takeover_plan)
        out: dict[str, CompiledPlan] = {}
        for plan in plans:
            if plan is not None:
                out.setdefault(plan.id, plan)
        return tuple(out.values())

    def _first_namers(self, incident: str) -> dict[str, str]:
        """Task id -> the first plan acting on the incident that names it."""
        firsts: dict[str, str] = {}
        for plan in self.acting_plans(incident):
            for task in plan.tasks[Level.I]:
                firsts.setdefault(task.id, plan.id)
        return firsts

    def channels_for(self, hazard: str) -> tuple[Channel, ...]:
        out = self._channels.get(hazard)
        if out is None:
            out = self._channels[hazard] = tuple(c for c in self.channels if c.covers(hazard))
        return out

    def band_at(self, minutes: float) -> TimeBand:
        if 0.0 <= minutes < self.edges[-1]:
            return self.bands[bisect.bisect_right(self.edges, minutes) - 1]
        return self.calendar.band(self.start + dt.timedelta(minutes=minutes))

    def next_change(self, minutes: float) -> float:
        """Minutes from start of the next instant the time band may change."""
        if 0.0 <= minutes < self.edges[-1]:
            return self.edges[bisect.bisect_right(self.edges, minutes)]
        return self._next_change(minutes)

    def _next_change(self, minutes: float) -> float:
        calendar = self.calendar
        now = self.start + dt.timedelta(minutes=minutes)
        candidates = []
        for clock in (calendar.day_start, calendar.night_start, dt.time(0, 0)):
            at = dt.datetime.combine(now.date(), clock, tzinfo=now.tzinfo)
            if at <= now:
                at += dt.timedelta(days=1)
            candidates.append(at)
        return (min(candidates) - self.start).total_seconds() / 60.0

    def _band_schedule(self) -> tuple[list[float], list[TimeBand]]:
        # Bands change only at day/night starts and midnight: one entry each,
        # to the first change at or after the horizon.
        edges = [0.0]
        bands = [self.calendar.band(self.start)]
        while True:
            at = self._next_change(edges[-1])
            edges.append(at)
            if at >= self.horizon:
                return edges, bands
            bands.append(self.calendar.band(self.start + dt.timedelta(minutes=at)))

    def _rostered(self, room: DutyRoom) -> float:
        total = 0.0
        for index, band in enumerate(self.bands):
            low, high = self.edges[index], self.edges[index + 1]
            span = min(high, self.horizon) - low
            if span > 0:
                total += room.staffing.on_duty(band) * span
        return total

    def _coverage(self, scenario: Scenario) -> CoverageRecord:
        no_plan = sorted(
            {i.id for i in scenario.incidents if self.plan_for(i.hazard, i.town) is None}
        )
        no_lead = sorted(
            {
                i.id
                for i in scenario.incidents
                if (p := self.plan_for(i.hazard, i.town)) is not None and p.lead is None
            }
        )
        injects_no_plan = sorted(
            j.id
            for j in scenario.injects
            if j.hazard is not None
            and self.plan_for(j.hazard, self.case_town(self.inject_target(j), j.town)) is None
        )
        return CoverageRecord(
            incidents=len(scenario.incidents),
            no_plan=tuple(no_plan),
            no_lead=tuple(no_lead),
            injects_no_plan=tuple(injects_no_plan),
        )


_COMPILED = ScenarioCache(Compiled)


def compiled(scenario: Scenario) -> Compiled:
    """The scenario's compiled form, built on first use and kept while it lives."""
    return _COMPILED(scenario)


def clear_cache() -> None:
    """Forget every compiled scenario (benchmarks measure a cold build with it)."""
    _COMPILED.clear()
