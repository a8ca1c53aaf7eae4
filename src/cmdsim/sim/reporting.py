"""Detection and reporting: every channel that covers an incident's hazard.

Information officers relay tier by tier (compound → committee → town →
district), each hop with its tier's delay and miss probability; other
channels (12345, 随申拍, 110/119, sensors) take one delay and may miss;
the warning channel passes only meteorological signals.  A report ends in
a duty room's store.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from typing import Any

import attrs
import simpy

from cmdsim.model.levels import Tier
from cmdsim.model.organisation import Channel, ChannelKind, Receiver
from cmdsim.model.scenario import Incident, SeverityPoint
from cmdsim.sim.context import Run


@attrs.frozen
class Report:
    """What reaches a duty room: an incident as seen at ``observed`` (after onset)."""

    incident: str
    hazard: str
    town: str | None
    channel: str
    observed: float
    known: Mapping[str, Any]
    level: Any = None


TOWN_HOPS = (Tier.COMPOUND, Tier.COMMITTEE)
DISTRICT_HOPS = (Tier.COMPOUND, Tier.COMMITTEE, Tier.TOWN, Tier.DISTRICT)

Deliver = Callable[[Report, Receiver], None]


def observer(run: Run, deliver: Deliver) -> Callable[[Incident, SeverityPoint], None]:
    """The callback an incident process calls at each observation."""

    def observe(incident: Incident, point: SeverityPoint) -> None:
        known = incident.severity_at(point.at)
        report = Report(incident.id, incident.hazard, incident.town, "", point.at, known, None)
        for channel in run.district.channels:
            if not channel.covers(incident.hazard):
                continue
            if channel.kind is ChannelKind.WARNING:
                if point.signal is None:
                    continue
            elif point.at < 0:
                continue
            run.env.process(_send(run, channel, attrs.evolve(report, channel=channel.id), deliver))

    return observe


def _send(
    run: Run, channel: Channel, report: Report, deliver: Deliver
) -> Generator[simpy.Event, Any, None]:
    if channel.kind is ChannelKind.OFFICERS:
        yield from _relay(run, channel, report, deliver)
        return
    rng = run.streams(f"channel/{report.incident}/{channel.id}")
    missed = rng.random() < channel.miss
    delay = channel.delay.sample(rng) * channel.factors.factor(run.band())
    if missed:
        return
    yield run.env.timeout(delay)
    deliver(report, channel.to)


def _relay(
    run: Run, channel: Channel, report: Report, deliver: Deliver
) -> Generator[simpy.Event, Any, None]:
    """Tier by tier; a missed hop ends the chain (nobody passes it on)."""
    rng = run.streams(f"officers/{report.incident}")
    hops = TOWN_HOPS if channel.to is Receiver.TOWN else DISTRICT_HOPS
    tiers = run.district.officers.tiers
    for tier in hops:
        spec = tiers.get(tier)
        if spec is None:
            continue
        missed = rng.random() < spec.miss
        delay = spec.relay.sample(rng) * spec.factors.factor(run.band())
        if missed:
            return
        yield run.env.timeout(delay)
    deliver(report, channel.to)
