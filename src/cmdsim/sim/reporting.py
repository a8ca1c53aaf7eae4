"""Detection and reporting: every channel that covers an incident's hazard.

Information officers relay tier by tier (compound → committee → town →
district), each hop by a particular officer (see :mod:`cmdsim.sim.officers`)
with its tier's delay and miss probability; the town officer reports to the
town's duty room as well as up to the district officer, who reports to the
district duty room (``to: town`` stops at the town); other channels (12345, 随申拍,
110/119, sensors) take one delay and may miss; the warning channel passes
only meteorological signals, and a point that only changes the signal is
the warning channel's alone (:func:`~cmdsim.sim.topology.carries`).  A
report ends in a duty room's store.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from typing import Any, NamedTuple

import simpy

from cmdsim.model.levels import Tier
from cmdsim.model.organisation import Channel, ChannelKind, Receiver
from cmdsim.model.scenario import SeverityPoint
from cmdsim.sim.compiled import CompiledIncident
from cmdsim.sim.context import Run
from cmdsim.sim.officers import OfficerState
from cmdsim.sim.streams import channel_stream, officers_stream
from cmdsim.sim.topology import REPORTS_TO_TOWN, carries, relay_hops


class Report(NamedTuple):
    """What reaches a duty room: an incident as seen at ``observed`` (after onset)."""

    incident: str
    hazard: str
    town: str | None
    channel: str
    observed: float
    known: Mapping[str, Any]
    level: Any = None
    via: str | None = None
    """The town room that forwarded it, if one did."""
    nature: str = ""
    """A channel's report of an observation (""), or a later ``count`` of its
    figures, a ``false_alarm`` or a ``duplicate`` (:mod:`cmdsim.sim.knowledge`)."""


Deliver = Callable[[Report, Receiver], None]


Carry = Callable[[Channel, Mapping[str, Any]], Mapping[str, Any]]


def observer(
    run: Run, deliver: Deliver, carry: Carry | None = None
) -> Callable[[CompiledIncident, SeverityPoint], None]:
    """The callback an incident process calls at each observation.

    ``carry(channel, truth)``, if given, is what a channel's report carries
    of the truth (:func:`cmdsim.sim.knowledge.carried`)."""
    officers: list[OfficerState] = []

    memo = run.compiled.carried

    def observe(incident: CompiledIncident, point: SeverityPoint) -> None:
        known = incident.severity_at(point.at)
        process = run.env.process
        opens = point is incident.opening
        for channel in run.compiled.channels_for(incident.hazard):
            if not carries(channel, point, opens=opens):
                continue
            if carry is None:
                seen = known
            else:
                # What it carries depends on the channel and the point alone:
                # worked out in the scenario's first run, read in the others.
                key = (carry, channel.id, incident.id, point.at)
                found = memo.get(key)
                if found is None:
                    found = memo[key] = carry(channel, known)
                seen = found
            report = Report(incident.id, incident.hazard, incident.town, channel.id, point.at, seen)
            if channel.kind is ChannelKind.OFFICERS:
                if not officers:
                    officers.append(OfficerState(run.compiled))
                    run.officers = officers[0]
                process(_relay(run, officers[0], incident, channel, report, deliver))
            else:
                process(_send(run, channel, report, deliver))

    return observe


def _send(
    run: Run, channel: Channel, report: Report, deliver: Deliver
) -> Generator[simpy.Event, Any, None]:
    rng = run.streams(channel_stream(report.incident, channel.id))
    missed = rng.random() < channel.miss
    delay = channel.delay.sample(rng) * channel.factors.factor(run.band())
    if missed:
        return
    yield run.env.timeout(delay)
    deliver(report, channel.to)


def _relay(
    run: Run,
    officers: OfficerState,
    incident: CompiledIncident,
    channel: Channel,
    report: Report,
    deliver: Deliver,
) -> Generator[simpy.Event, Any, None]:
    """Tier by tier, each hop by one officer; a missed hop ends the chain."""
    rng = run.streams(officers_stream(report.incident))
    groups = officers.groups(incident, rng)
    if groups is None:
        return
    to_town = channel.to is Receiver.TOWN
    hops = relay_hops(channel)
    # On the way up, the town officer's report to a town that has a room.
    town_room = not to_town and (report.town or "") in run.compiled.town_rooms
    tiers = run.compiled.tiers
    env = run.env
    for tier in hops:
        spec = tiers.get(tier)
        group = groups.get(tier)
        if spec is None or group is None or group[0] == group[1]:
            continue
        missed = rng.random() < spec.miss
        drawn = spec.relay.sample(rng)
        if missed:
            return
        now = env.now
        who, start = officers.take(group, now)
        # A report that waits is worked in the band of when the officer starts on it.
        work = drawn * spec.factors.factor(run.band() if start == now else run.band(start))
        officers.work(tier, group, who, now, start, work)
        yield env.timeout(work if start == now else start - now + work)
        if tier is Tier.COMMITTEE and run.community is not None:
            run.community.relayed(report.incident, groups)
        if town_room and tier is REPORTS_TO_TOWN:
            deliver(report, Receiver.TOWN)
    deliver(report, channel.to)
