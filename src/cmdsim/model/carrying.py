"""Which channels carry a timeline point: what is seen on the ground and
what is the met service's news.

Pure data rules, read by the engine's routing (:mod:`cmdsim.sim.topology`
re-exports them), by the loader (a point that states nothing:
:mod:`cmdsim.io.checks`) and by ``cmdsim check`` (a signal that reaches no
room: :mod:`cmdsim.check.signals`), so the three cannot drift apart; and
which tiers an officers relay climbs (:func:`relay_hops`), read by the
engine's reporting and by ``cmdsim check`` (a tier with nobody in it:
:mod:`cmdsim.check.officer_tiers`).
"""

from __future__ import annotations

import attrs

from cmdsim.model.incidents import SeverityPoint
from cmdsim.model.levels import Tier
from cmdsim.model.organisation import Channel, ChannelKind, Receiver

TOWN_HOPS = (Tier.COMPOUND, Tier.COMMITTEE, Tier.TOWN)
"""An officers channel ``to: town``: up to the town officer, who reports to the town room."""
DISTRICT_HOPS = (Tier.COMPOUND, Tier.COMMITTEE, Tier.TOWN, Tier.DISTRICT)
"""``to: district``: on to the district officer; the town officer reports to
the town room on the way (:data:`REPORTS_TO_TOWN`)."""
REPORTS_TO_TOWN = Tier.TOWN
"""The tier whose officers report to their town's duty room."""


def relay_hops(channel: Channel) -> tuple[Tier, ...]:
    """The tiers an officers relay on ``channel`` climbs, in order."""
    return TOWN_HOPS if channel.to is Receiver.TOWN else DISTRICT_HOPS


GROUND_FIELDS = tuple(
    f.name for f in attrs.fields(SeverityPoint) if f.name not in ("at", "signal", "issuer")
)
"""What a timeline point may state that is seen on the ground: its figures
(casualties, households, loss) and conditions (rainfall, hours cut)."""


def opening(observed: tuple[SeverityPoint, ...]) -> SeverityPoint | None:
    """The first of ``observed`` at or after onset: the incident as it first
    shows on the ground, or ``None`` when every point comes before onset."""
    return next((point for point in observed if point.at >= 0), None)


def seen_on_ground(point: SeverityPoint) -> bool:
    """Whether ``point`` states something besides the signal (a figure or a
    condition: :data:`GROUND_FIELDS`)."""
    return any(getattr(point, name) is not None for name in GROUND_FIELDS)


def states_nothing(point: SeverityPoint) -> bool:
    """Whether ``point`` states no figure, no condition and no signal: it
    keeps everything of the point before, so it changes nothing."""
    return point.signal is None and not seen_on_ground(point)


def carries(channel: Channel, point: SeverityPoint, *, opens: bool) -> bool:
    """Whether ``channel`` reports the timeline ``point``; ``opens``: the
    point is the incident's :func:`opening` (the same object).

    A warning is issued by the meteorological service: the warning channel
    passes every point with a signal (a colour or a lift), before onset too,
    and nothing else.  Every other channel (a citizen on 12345 or 110, an
    information officer's relay, a sensor) reports what is seen on the
    ground, from onset on: the incident's opening point, whatever it states
    (the incident itself is news), and every later point except a
    signal-only one.  A later point that only changes or lifts the signal
    (no figure or condition: :func:`seen_on_ground`) is the met service's
    news, observed by nobody on the ground: it reaches the rooms by the
    warning channel and the plan's warning link alone.  A point that changes
    figures and the signal is reported by both; a ground report carries the
    picture in force, figures and signal (:meth:`CompiledIncident.severity_at
    <cmdsim.sim.compiled.CompiledIncident.severity_at>`).
    """
    if channel.kind is ChannelKind.WARNING:
        return point.signal is not None
    if point.at < 0:
        return False
    return opens or point.signal is None or seen_on_ground(point)


__all__ = ["GROUND_FIELDS", "carries", "opening", "seen_on_ground", "states_nothing"]
