"""Residential and village committees' first actions (先期处置) in a run.

A committee learns of an incident located in it (``Incident.committee``)
at the incident's onset: it is on the spot.  With a community handbook
(社区应急工作手册) that covers the incident's hazard
(``CommunityResponse.handbook_hazards``) it acts at once.  Without one, or
on a hazard its handbook does not cover, it waits for instructions from its
town, and those can only come once the room that handles the
incident knows of it: the town's duty room, at its triage of the first
report of the incident's case (its own or one the district passed down),
when the town has a room and the town's plan governs the incident; else the
district room, at its triage of the first report (or, before either, when a
warning link puts that room's level in force).  The wait is that moment
(or the onset, if the room knew first) plus ``CommunityResponse.instructions``
× the band factor then (one draw from the stream
``community/<incident>/<committee>``).  The wiring tells :meth:`Community.triaged`
of each room's triage (a probe; the rooms know nothing of committees).  A
room that never learns of the incident leaves the committee waiting
(``community_waiting`` is logged at the onset only when the room does not
know yet).

The committee's information officer passes the report up at once either
way: the first report is due as soon as the incident is known (急事即报),
it is a duty of the officer, not of the handbook, and for a town that
learns only through the officers it is how the town can come to instruct.

Each first action (warn residents, evacuate a compound, …) starts when the
committee may act, or when the action it comes ``after`` is done, and takes
its ``duration`` (× band factor at its start; stream
``community/<incident>/<action>``).  These are stream names of their own: no
other draw moves, and nothing else in the run waits for a committee.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

import simpy

from cmdsim.cache import ScenarioCache
from cmdsim.model.levels import Tier
from cmdsim.model.organisation import Committee
from cmdsim.model.scenario import Incident, Scenario
from cmdsim.sim.compiled import Compiled, CompiledIncident, compiled
from cmdsim.sim.context import Run
from cmdsim.sim.events import EventKind
from cmdsim.sim.streams import community_action_stream, community_stream

Group = tuple[int, int]


class _Static:
    """What a scenario's committees need, built once per scenario."""

    def __init__(self, scenario: Scenario) -> None:
        district = scenario.district
        self.committees: dict[tuple[str, str], Committee] = {
            (town.id, c.id): c for town in district.towns for c in town.committees
        }
        comp = compiled(scenario)
        people = comp.officers
        # (compound group, committee group) -> (town, committee), every committee
        self.by_group: dict[tuple[Group, Group], tuple[str, str]] = {}
        for town in district.towns:
            t = people.town_index[town.id]
            for c, committee in enumerate(town.committees):
                self.by_group[people.committee_groups[t][c]] = (town.id, committee.id)
        self.located = tuple(
            i for i in scenario.incidents if i.committee is not None and district.community.actions
        )
        # located incident -> whether its committee's handbook covers its
        # hazard (None: a committee the district does not list, which acts at once)
        self.prepared: dict[str, bool | None] = {}
        # located incident whose committee waits -> the room whose knowledge
        # its instructions follow; (room, case) -> those incidents
        self.instructor: dict[str, str] = {}
        self.waiting: dict[tuple[str, str], list[str]] = {}
        for incident in self.located:
            spec = self.committees.get((incident.town or "", incident.committee or ""))
            prepared = None
            if spec is not None:
                prepared = spec.handbook and district.community.covers(incident.hazard)
            self.prepared[incident.id] = prepared
            if prepared is False:
                room, case = instructing_room(comp, incident)
                self.instructor[incident.id] = room
                self.waiting.setdefault((room, case), []).append(incident.id)


_STATIC: ScenarioCache[_Static] = ScenarioCache(_Static)


def instructing_room(comp: Compiled, incident: Incident) -> tuple[str, str]:
    """The duty room whose knowledge of ``incident`` a committee's
    instructions follow, and the case (incident id) it knows it under.

    The case is the incident's site case when a merge rule makes it one
    response with others (the room sees their reports under the key
    incident).  The room is the incident's town's when the town has one
    and the town's plan governs the case, as the wiring decides for the
    town's own decisions; else the district's.
    """
    group = comp.sites.get(incident.id)
    case = incident.id if group is None else group.key
    key = comp.incident[case]
    plan = comp.town_plan_of(case, key.hazard, key.town)
    room = comp.town_rooms.get(incident.town or "")
    if plan is not None and room is not None and plan.plan.town == incident.town:
        return room.id, case
    return comp.district_room, case


def needed(scenario: Scenario) -> bool:
    """Whether a run of ``scenario`` has committees' first actions to run."""
    return bool(_STATIC(scenario).located)


class Community:
    """One run's committees: when each may act, and what each has done."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.static = _STATIC(run.scenario)
        self.spec = run.district.community
        # (incident, committee) -> when the committee may act (minutes from start)
        self.acts: dict[tuple[str, str], float] = {}
        # incident -> when the committee's officer passed the first report up
        self.reported: dict[str, float] = {}
        # incident -> action -> when done
        self.done: dict[str, dict[str, float]] = {}
        # incident whose committee waits -> succeeds when its room knows
        self.known: dict[str, simpy.Event] = {}

    def triaged(self, room: str, case: str) -> None:
        """Probe (the wiring's): ``room`` triaged a report of ``case``.

        The first one starts the instructions of each committee waiting for
        that room's knowledge of the case.  A room's triage never passes on
        a false alarm or a duplicate, so every report counts.
        """
        for incident in self.static.waiting.get((room, case), ()):
            event = self.known.get(incident)
            if event is None:
                event = self.known[incident] = self.run.env.event()
            if not event.triggered:
                event.succeed(self.run.env.now)

    def _committee(self, groups: Mapping[Tier, Group]) -> tuple[str, str] | None:
        compound, own = groups.get(Tier.COMPOUND), groups.get(Tier.COMMITTEE)
        if compound is None or own is None:
            return None
        return self.static.by_group.get((compound, own))

    def relayed(self, incident: str, groups: Mapping[Tier, Group]) -> None:
        """The committee's officer passed the first report of the incident up."""
        if incident not in self.reported:
            self.reported[incident] = self.run.env.now
            found = self._committee(groups)
            actor = found[1] if found is not None else "community"
            self.run.emit(actor, EventKind.COMMUNITY_REPORTED, incident)

    def start(self) -> None:
        """The first actions of every incident located in a committee."""
        for incident in self.static.located:
            comp = self.run.compiled.incident[incident.id]
            self.run.env.process(self._act(comp))

    def _act(self, incident: CompiledIncident) -> Generator[simpy.Event, Any, None]:
        run = self.run
        env = run.env
        committee = incident.committee
        assert committee is not None
        yield env.timeout(incident.onset)
        room = self.static.instructor.get(incident.id)
        if room is not None:
            # No handbook: instructions follow the room's knowledge (or the
            # onset, when the room knew first).
            known = self.known.get(incident.id)
            if known is None:
                known = self.known[incident.id] = env.event()
            if not known.triggered:
                # Logged only when it waits for the room: one that knew
                # first leaves just the instructions' delay.
                run.emit(committee, EventKind.COMMUNITY_WAITING, incident.id, room=room)
            if not known.processed:
                yield known
            knew = known.value
            rng = run.streams(community_stream(incident.id, committee))
            wait = self.spec.instructions.sample(rng) * self.spec.factors.factor(run.band())
            yield env.timeout(wait)
            self.acts[(incident.id, committee)] = env.now
            run.emit(committee, EventKind.COMMUNITY_ACTING, incident.id, room=room, knew=knew)
        else:
            self.acts[(incident.id, committee)] = env.now
            run.emit(committee, EventKind.COMMUNITY_ACTING, incident.id)
        self.done.setdefault(incident.id, {})
        finished: dict[str, simpy.Event] = {}
        for action in self.spec.actions:
            if action.covers(incident.hazard):
                finished[action.id] = env.process(
                    self._action(incident, committee, action, finished.get(action.after or ""))
                )
        yield env.all_of(list(finished.values()))

    def _action(
        self, incident: CompiledIncident, committee: str, action: Any, after: simpy.Event | None
    ) -> Generator[simpy.Event, Any, None]:
        run = self.run
        env = run.env
        if after is not None:
            yield after
        rng = run.streams(community_action_stream(incident.id, action.id))
        minutes = action.duration.sample(rng) * self.spec.factors.factor(run.band())
        yield env.timeout(minutes)
        self.done[incident.id][action.id] = env.now
        run.emit(committee, EventKind.COMMUNITY_ACTION_DONE, incident.id, action=action.id)

    def metrics(self) -> dict[str, Any]:
        """Per located incident: committee, handbook, when it could act, its
        officer's report and each action, in minutes after onset."""
        out: dict[str, Any] = {}
        comp = self.run.compiled
        for incident in self.static.located:
            committee = incident.committee
            assert committee is not None
            onset = comp.onsets[incident.id]
            acts = self.acts.get((incident.id, committee))
            reported = self.reported.get(incident.id)
            done = self.done.get(incident.id, {})
            out[incident.id] = {
                "committee": committee,
                "handbook": self.static.prepared[incident.id],
                "acting": None if acts is None else acts - onset,
                "reported": None if reported is None else reported - onset,
                "actions": {
                    a.id: (done[a.id] - onset if a.id in done else None)
                    for a in self.spec.actions
                    if a.covers(incident.hazard)
                },
            }
        return out
