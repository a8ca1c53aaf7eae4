"""Residential and village committees' first actions (先期处置) in a run.

A committee learns of an incident in its compounds at the incident's onset
(or, for a committee the officers' relay drew, when its compound officer's
report reaches it).  With a community handbook (社区应急工作手册) it acts
at once; without one it waits for the town room's instructions
(``CommunityResponse.instructions`` × band factor, one draw from the stream
``community/<incident>/<committee>``), and so does its information
officer's hop up the network: the relay's committee-tier hop starts no
earlier than the committee may act.

Each first action (warn residents, evacuate a compound, …) starts when the
committee may act, or when the action it comes ``after`` is done, and takes
its ``duration`` (× band factor at its start; stream
``community/<incident>/<action>``).  These are new stream names: no
existing draw moves, and a district whose committees all have handbooks
gives the same results as before, event for event.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from typing import Any

import simpy

from cmdsim.cache import ScenarioCache
from cmdsim.model.levels import Tier
from cmdsim.model.organisation import ChannelKind, Committee
from cmdsim.model.scenario import Scenario
from cmdsim.sim.compiled import CompiledIncident, compiled
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
        people = compiled(scenario).officers
        # (compound group, committee group) -> (town, committee), every committee
        self.by_group: dict[tuple[Group, Group], tuple[str, str]] = {}
        for town in district.towns:
            t = people.town_index[town.id]
            for c, committee in enumerate(town.committees):
                self.by_group[people.committee_groups[t][c]] = (town.id, committee.id)
        self.unprepared = {key for key, c in self.committees.items() if not c.handbook}
        self.located = tuple(
            i for i in scenario.incidents if i.committee is not None and district.community.actions
        )


_STATIC: ScenarioCache[_Static] = ScenarioCache(_Static)


def needed(scenario: Scenario) -> bool:
    """Whether a run of ``scenario`` has committee actions or a committee without a handbook."""
    static = _STATIC(scenario)
    return bool(static.located or static.unprepared)


def holds_relay(scenario: Scenario) -> str | None:
    """Why the officers' relay of some incident may wait for a committee's
    instructions (a committee without a handbook it may go through), if it may."""
    static = _STATIC(scenario)
    if not static.unprepared:
        return None
    district = scenario.district
    relayed = [c for c in district.channels if c.kind is ChannelKind.OFFICERS]
    unprepared = static.unprepared
    for incident in scenario.incidents:
        if not any(c.covers(incident.hazard) for c in relayed):
            continue
        town = next((t for t in district.towns if t.id == incident.town), None)
        if town is None:
            continue
        committees = [c for c in town.committees if incident.committee in (None, c.id)]
        for committee in committees:
            if (town.id, committee.id) in unprepared:
                return (
                    f"incident {incident.id}'s information officers may go through committee "
                    f"{committee.id}, which has no community handbook and waits for "
                    "instructions; the fast path does not replay that wait"
                )
    return None


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

    def may_act(self, incident: str, town: str, committee: str) -> float:
        """When the committee may act on the incident (it learns of it now, if not before)."""
        key = (incident, committee)
        found = self.acts.get(key)
        if found is not None:
            return found
        run = self.run
        now = run.env.now
        spec = self.static.committees.get((town, committee))
        at = now
        if spec is not None and not spec.handbook:
            rng = run.streams(community_stream(incident, committee))
            wait = self.spec.instructions.sample(rng) * self.spec.factors.factor(run.band())
            at = now + wait
        self.acts[key] = at
        if at > now:
            run.emit(committee, EventKind.COMMUNITY_WAITING, incident, until=at)
        return at

    def _committee(self, groups: Mapping[Tier, Group]) -> tuple[str, str] | None:
        compound, own = groups.get(Tier.COMPOUND), groups.get(Tier.COMMITTEE)
        if compound is None or own is None:
            return None
        return self.static.by_group.get((compound, own))

    def hold(self, incident: str, groups: Mapping[Tier, Group]) -> float:
        """Minutes the relay's committee-tier hop waits for the committee's instructions."""
        found = self._committee(groups)
        if found is None or found not in self.static.unprepared:
            return 0.0
        town, committee = found
        return max(0.0, self.may_act(incident, town, committee) - self.run.env.now)

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
        start = self.may_act(incident.id, incident.town, committee)
        if start > env.now:
            yield env.timeout(start - env.now)
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
            spec = self.static.committees.get((incident.town, committee))
            acts = self.acts.get((incident.id, committee))
            reported = self.reported.get(incident.id)
            done = self.done.get(incident.id, {})
            out[incident.id] = {
                "committee": committee,
                "handbook": spec.handbook if spec is not None else None,
                "acting": None if acts is None else acts - onset,
                "reported": None if reported is None else reported - onset,
                "actions": {
                    a.id: (done[a.id] - onset if a.id in done else None)
                    for a in self.spec.actions
                    if a.covers(incident.hazard)
                },
            }
        return out
