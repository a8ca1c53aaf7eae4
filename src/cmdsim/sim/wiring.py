"""The engine's wiring: which part hands what to which, as named connections.

One run is the chain channel → relay → room → decision → call-out.
:class:`Wiring` builds its parts in dependency order (nothing is used before
it exists) and joins them by its methods, one per connection:

======================  ==================================================
``observe``             an incident's observation → the warning links (a
                        signal) and every channel covering the hazard
``deliver``             a channel's (or an inject's) report → the town room
                        (``to: town``, a town with a room) or the district
``arrived``             probe on the district inbox (see below)
``district_triaged``    the district room's triaged report → its decisions
``town_triaged``        a town room's triaged report → the town's decisions,
                        for incidents its town's plan governs
``pass_down``           a report the district room defers → the town room
                        whose plan governs the incident
``town_linked``         a town plan's warning link's confirmation → the
                        town room's decisions
``hq``                  a decision's call-out → the HQ (built on first use)
``officers``            a reporting duty's writer → the room's officers
======================  ==================================================

Instrumentation stays outside the processes.  The district room's arrivals
are watched by a probe on its inbox (:meth:`DutyRoomProcess.put` calls its
``arrivals`` before the store): :meth:`arrived` counts the report, starts the
room's awareness and passes a delivered warning to the links.  Each room's
triage is told to the committees (:meth:`Community.triaged
<cmdsim.sim.community.Community.triaged>`), whose instructions without a
handbook follow the room's knowledge.  The event log is the run's probe
(:attr:`Run.emit`, chosen by ``SimOptions.log``).

Rooms, HQs and units are built on first use: a run touches few of them.
"""

from __future__ import annotations

import functools
from collections.abc import Generator
from typing import Any

import simpy

from cmdsim.model.levels import Level, Lift, Signal
from cmdsim.model.organisation import ChannelKind, Receiver
from cmdsim.model.scenario import Inject, SeverityPoint
from cmdsim.sim.activation import HQProcess, Takeovers
from cmdsim.sim.bodies import Bodies
from cmdsim.sim.community import Community
from cmdsim.sim.community import needed as community_needed
from cmdsim.sim.compiled import CompiledIncident
from cmdsim.sim.context import Run
from cmdsim.sim.decision import Decisions
from cmdsim.sim.dutyroom import DutyRoomProcess, TownRoom
from cmdsim.sim.events import EventKind
from cmdsim.sim.general import GeneralResponse
from cmdsim.sim.incident import incident_process
from cmdsim.sim.knowledge import DUPLICATE, FALSE_ALARM, Knowledge, carried, reason
from cmdsim.sim.lowering import signal_lowered
from cmdsim.sim.reinforce import Reinforcements
from cmdsim.sim.reporting import Report, observer
from cmdsim.sim.sites import SiteRouter
from cmdsim.sim.tasks import Workforce
from cmdsim.sim.topology import inject_receiver
from cmdsim.sim.warnings import WarningLinks

NOISE = (FALSE_ALARM, DUPLICATE)
"""Reports that make nobody aware: the room's triage finds them out."""


class Wiring:
    """The processes of one run and the connections between them."""

    def __init__(self, run: Run) -> None:
        self.run = run
        comp = self.compiled = run.compiled
        district = run.district
        if reason(run.scenario) is not None:
            run.knowledge = Knowledge(run)
        self.hqs: dict[str, HQProcess] = {}
        self.takeovers = Takeovers(run, comp.takeover, None)
        if district.bodies:
            run.bodies = self.takeovers.bodies = Bodies(run)
        if community_needed(run.scenario):
            run.community = Community(run)
            run.community.start()
        self.takeovers.general_id = comp.general
        self.takeovers.hq = self.hq
        self.district_id = district.duty_room.id
        self.district_room = DutyRoomProcess(run, district.duty_room, self.district_triaged)
        self.district_room.arrivals.append(self.arrived)
        if comp.reinforce:
            run.reinforcements = Reinforcements(run, self.duty_room)
        self.town_rooms: dict[str, TownRoom] = {}
        self.room_towns = {room.id: town for town, room in comp.town_rooms.items()}
        self.town_decisions: dict[str, Decisions] = {}
        self.workforce = Workforce(run, self.officers)
        self.decisions = Decisions(
            run,
            self.district_id,
            self.hq,
            self.workforce,
            self.takeovers,
            downstream=self.pass_down,
        )
        self.decisions.town_of = self.town_decider
        if comp.takeover_plan is not None:
            self.takeovers.general = GeneralResponse(
                run, comp.takeover_plan, self.district_id, self.hq, self.workforce
            )
        self.sites = SiteRouter(run)
        self.links = WarningLinks(
            run,
            self.decisions.linked,
            self.town_linked,
            functools.partial(signal_lowered, self.decisions),
            self.town_lowered,
        )
        self.warning_channels = frozenset(
            c.id for c in district.channels if c.kind is ChannelKind.WARNING
        )
        knowledge = run.knowledge
        self.relay = (
            observer(run, self.deliver)
            if knowledge is None
            else observer(run, knowledge.deliverer(self.deliver), carried)
        )

    def start(self) -> None:
        """Start the incidents and the injects."""
        run = self.run
        process = run.env.process
        for incident in self.compiled.incidents:
            process(incident_process(run, incident, self.observe))
        for inject in run.scenario.injects:
            process(self._inject(inject))

    # -- the parts, built on first use ------------------------------------

    def hq(self, command_id: str) -> HQProcess | None:
        """The HQ ``command_id`` (``None``: no such command)."""
        found = self.hqs.get(command_id)
        if found is None:
            command = self.compiled.commands.get(command_id)
            if command is None:
                return None
            takeovers = self.takeovers
            # A town's own command is not one of the "N" the takeover rule counts.
            found = self.hqs[command_id] = HQProcess(
                self.run,
                command,
                functools.partial(takeovers.hq_active, command_id)
                if command.town is None
                else _nothing,
                functools.partial(takeovers.hq_inactive, command_id),
            )
        return found

    def town_room(self, town: str | None) -> TownRoom | None:
        """The town's duty room (``None``: the town has none)."""
        key = town or ""
        room = self.town_rooms.get(key)
        if room is None:
            spec = self.compiled.town_rooms.get(key)
            if spec is None:
                return None
            room = self.town_rooms[key] = TownRoom(
                self.run,
                spec,
                self.district_room.put,
                functools.partial(self.town_triaged, spec.id, town),
            )
        return room

    def duty_room(self, room_id: str) -> DutyRoomProcess | None:
        """The duty room ``room_id``: the district's, or a town's (built on first use)."""
        if room_id == self.district_id:
            return self.district_room
        town = self.room_towns.get(room_id)
        room = self.town_room(town) if town is not None else None
        return room.process if room is not None else None

    def officers(self, room_id: str) -> simpy.PriorityResource | None:
        """The officers of a duty room, who also write its reports."""
        room = self.duty_room(room_id)
        return room.officers if room is not None else None

    # -- the connections ---------------------------------------------------

    def observe(self, incident: CompiledIncident, point: SeverityPoint) -> None:
        """Incident → warning links (a signal) and the reporting channels."""
        if point.signal is not None:
            self.links.issued(incident, point)
        self.relay(incident, point)

    def deliver(self, report: Report, to: Receiver) -> None:
        """Channel → the town room (``to: town`` and the town has one), else the district.

        A sub-incident's report joins its site's case (one response per site).
        """
        if report.incident in self.compiled.sites:
            to_town = self.town_room(report.town) if to is Receiver.TOWN else None
            report = self.sites.route(report, to_town.room.id if to_town else self.district_id)
        room = self.town_room(report.town) if to is Receiver.TOWN else None
        if room is not None:
            if report.nature not in NOISE:
                self.workforce.reporting.received(
                    report.incident, report.hazard, report.town, room.room.id
                )
            room.process.put(report)
        else:
            self.district_room.put(report)

    def arrived(self, report: Report) -> None:
        """Probe on the district inbox: a report reached the room (before any queue)."""
        if report.nature in NOISE:
            return
        self.workforce.reporting.received(
            report.incident, report.hazard, report.town, self.district_id
        )
        self.decisions.received(report)
        if report.channel in self.warning_channels:
            incident = self.compiled.incident.get(report.incident)
            if incident is not None:
                self.links.delivered(incident, report.observed)

    def district_triaged(self, report: Report) -> None:
        """District room → its decisions."""
        self.workforce.reporting.heard(
            report.incident, report.hazard, report.town, self.district_id
        )
        if self.run.community is not None:
            self.run.community.triaged(self.district_id, report.incident)
        self.decisions.triaged(report)

    def town_triaged(self, room_id: str, town: str | None, report: Report) -> None:
        """Town room → the town's decisions, for incidents its town's plan governs.

        Each report the town room triaged, or the district room passed down.
        """
        self.workforce.reporting.heard(report.incident, report.hazard, report.town, room_id)
        if self.run.community is not None:
            self.run.community.triaged(room_id, report.incident)
        plan = self.compiled.town_plan_of(report.incident, report.hazard, report.town)
        if plan is None or plan.plan.town != town:
            return
        decisions = self.town_decider(town)
        if decisions is not None:
            decisions.triaged(report)

    def town_decider(self, town: str | None) -> Decisions | None:
        """The town room's own decisions (built on first use); the district
        room reaches them for a warning link's take-over and a hand-back."""
        spec = self.compiled.town_rooms.get(town or "")
        if spec is None:
            return None
        decisions = self.town_decisions.get(spec.id)
        if decisions is None:
            decisions = self.town_decisions[spec.id] = Decisions(
                self.run,
                spec.id,
                self.hq,
                self.workforce,
                self.takeovers,
                upstream=self.decisions,
            )
        return decisions

    def town_linked(
        self, incident: str, hazard: str, town: str, level: Level, signal: Signal, issued: float
    ) -> None:
        """A town plan's warning link → the town room's decisions."""
        decisions = self.town_decider(town)
        if decisions is not None:
            decisions.linked(incident, hazard, town, level, signal, issued)

    def town_lowered(
        self, incident: str, hazard: str, town: str | None, signal: Signal | Lift, issued: float
    ) -> None:
        """A town plan's warning link confirmed its signal lowered → the town room's decisions."""
        decisions = self.town_decider(town)
        if decisions is not None:
            signal_lowered(decisions, incident, hazard, town, signal, issued)

    def pass_down(self, report: Report) -> None:
        """District decisions → the town room whose plan governs the incident."""
        room = self.town_room(report.town)
        if room is not None and room.decide is not None:
            room.decide(report)

    def _inject(self, inject: Inject) -> Generator[simpy.Event, Any, None]:
        """An MSEL inject: logged at its minute; one about a hazard is a report."""
        run = self.run
        yield run.env.timeout(inject.at)
        run.emit(
            inject.source or "msel",
            EventKind.INJECT,
            None,
            inject=inject.id,
            text=inject.message,
            to=inject.to,
            hazard=inject.hazard,
            # The level an inject announces (a warning's), said only when it
            # has one: logs of level-less injects replay unchanged.
            **({} if inject.level is None else {"level": inject.level.value}),
        )
        if inject.hazard is None:
            return
        target = self.compiled.inject_target(inject)
        # A follow-up report the plan names for it (under its site's case).
        self.workforce.reporting.inject(self.sites.key(target), inject.id)
        # Its figures are what the room learns from it, news of its own time
        # (Case.hears): a lowering found on the scene before it does not drop them.
        observed = 0.0
        incident = self.compiled.incident.get(target) if inject.figures else None
        if incident is not None:
            observed = inject.at - incident.onset
        report = Report(
            target,
            inject.hazard,
            inject.town,
            inject.channel or "inject",
            observed,
            inject.known(),
            inject.level,
        )
        self.deliver(report, inject_receiver(inject, self.compiled.recipients))


def _nothing() -> None:
    """A town command's activation, which the takeover rule does not count."""
