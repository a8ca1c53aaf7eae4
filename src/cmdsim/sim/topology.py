"""Where reports go: the routing of a scenario's observations and injects.

One description, read by both paths.  The engine's reporting
(:mod:`cmdsim.sim.reporting`) asks :func:`carries` which channels report a
timeline point and :func:`relay_hops` which tiers an officers relay climbs,
and :func:`inject_receiver` where an inject goes; the fast path
(:mod:`cmdsim.analysis.fast.graph`) reads the whole routing, built once per
compiled scenario (``Compiled.topology``): the cases the district room
decides on and every report source with the room it first reaches.
:func:`carries` and what it reads of a point, and :func:`relay_hops`, are
pure data rules, kept in
:mod:`cmdsim.model.carrying` (the loader and ``cmdsim check`` read them
too) and named here as the routing's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from cmdsim.model.carrying import DISTRICT_HOPS as DISTRICT_HOPS
from cmdsim.model.carrying import GROUND_FIELDS as GROUND_FIELDS
from cmdsim.model.carrying import REPORTS_TO_TOWN as REPORTS_TO_TOWN
from cmdsim.model.carrying import TOWN_HOPS as TOWN_HOPS
from cmdsim.model.carrying import carries as carries
from cmdsim.model.carrying import opening as opening
from cmdsim.model.carrying import relay_hops as relay_hops
from cmdsim.model.carrying import seen_on_ground as seen_on_ground
from cmdsim.model.levels import Level, Tier
from cmdsim.model.organisation import Channel, ChannelKind, Receiver
from cmdsim.model.scenario import Incident, Inject, SeverityPoint

if TYPE_CHECKING:
    from cmdsim.sim.compiled import Compiled, CompiledPlan


ONSET_POINT = SeverityPoint(at=0.0)
"""The one observation of an incident whose timeline is empty: its onset."""


def points(incident: Incident) -> tuple[SeverityPoint, ...]:
    """The timeline points an incident process observes, in order: its
    timeline, or its onset alone (:data:`ONSET_POINT`) when it has none."""
    return incident.timeline or (ONSET_POINT,)


def inject_receiver(inject: Inject, recipients: Mapping[str, str | None]) -> Receiver:
    """Where an inject is handed in: its town's room if it is addressed to
    the town (its room, command, a unit of its command, the town itself:
    ``recipients``, :meth:`~cmdsim.model.scenario.District.recipients`),
    else the district room."""
    to_town = inject.town is not None and recipients.get(inject.to) == inject.town
    return Receiver.TOWN if to_town else Receiver.DISTRICT


@attrs.frozen
class Case:
    """What the district room decides on: an incident, or the target of an
    inject that names no incident (as the engine opens a case for it)."""

    id: str
    hazard: str
    town: str | None
    flags: tuple[str, ...]
    rule: CompiledPlan | None
    incident: int | None  # index in the compiled incidents


@attrs.frozen
class Source:
    """One report: an observation on one channel, or an inject."""

    case: int
    kind: str  # "channel" | "officers" | "officers_town" | "inject"
    at: float  # minutes from start it leaves (observation, inject)
    known: Mapping[str, Any] = attrs.field(repr=False)
    level: Level | None
    room: str  # the room it first reaches
    channel: Channel | None = attrs.field(default=None, repr=False)
    hops: tuple[Tier, ...] = ()
    parent: int | None = None
    """``officers_town``: the officers relay (a source index) whose town
    officer reports to the town room on the way up; it has no draws of its own."""


class Topology:
    """The cases of a compiled scenario and every report source, in a fixed
    order: each incident's observations (timeline order, then channel order),
    then the injects naming a hazard."""

    def __init__(self, comp: Compiled, district_room: str, injects: tuple[Inject, ...]) -> None:
        self.comp = comp
        self.district_room = district_room
        self.cases: list[Case] = []
        self.sources: list[Source] = []
        index: dict[str, int] = {}
        for k, incident in enumerate(comp.incidents):
            index[incident.id] = len(self.cases)
            rule = comp.plan_for(incident.hazard, incident.town)
            self.cases.append(
                Case(incident.id, incident.hazard, incident.town, incident.flags, rule, k)
            )
        for k, incident in enumerate(comp.incidents):
            self._observations(index[incident.id], k)
        for inject in injects:
            if inject.hazard is None:
                continue
            target = comp.inject_target(inject)
            if target not in index:
                index[target] = len(self.cases)
                rule = comp.plan_for(inject.hazard, comp.case_town(target, inject.town))
                self.cases.append(Case(target, inject.hazard, inject.town, (), rule, None))
            room = self.room(inject.town, inject_receiver(inject, comp.recipients))
            self.sources.append(
                Source(
                    index[target], "inject", float(inject.at), inject.known(), inject.level, room
                )
            )
        self.case_index = index

    def room(self, town: str | None, to: Receiver) -> str:
        """The room a report for ``to`` reaches: the town's own room if it
        has one, else the district room."""
        if to is Receiver.TOWN:
            room = self.comp.town_rooms.get(town or "")
            if room is not None:
                return room.id
        return self.district_room

    def _observations(self, case: int, k: int) -> None:
        comp = self.comp
        incident = comp.incidents[k]
        now, started = 0.0, False
        for point in incident.points:
            if point.at >= 0 and not started:
                now, started = max(now, incident.onset), True
            now = max(now, incident.onset + point.at)
            known = incident.severity_at(point.at)
            for channel in comp.channels_for(incident.hazard):
                if not carries(channel, point, opens=point is incident.opening):
                    continue
                room = self.room(incident.town, channel.to)
                if channel.kind is ChannelKind.OFFICERS:
                    hops = relay_hops(channel)
                    parent = len(self.sources)
                    self.sources.append(
                        Source(case, "officers", now, known, None, room, channel, hops)
                    )
                    town_room = self.room(incident.town, Receiver.TOWN)
                    if channel.to is Receiver.DISTRICT and town_room != self.district_room:
                        # The same relay, seen by the town room when the town
                        # officer passes it on (sim/reporting.py).
                        self.sources.append(
                            Source(
                                case,
                                "officers_town",
                                now,
                                known,
                                None,
                                town_room,
                                channel,
                                (),
                                parent,
                            )
                        )
                else:
                    self.sources.append(Source(case, "channel", now, known, None, room, channel))
