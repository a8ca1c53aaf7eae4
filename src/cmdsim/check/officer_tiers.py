"""Information-officer tiers a report climbs with nobody in them (CMD027, CMD028).

An officers channel's report climbs compound → committee → town (→ district)
officers (:func:`cmdsim.model.carrying.relay_hops`), one officer of the
incident's group a hop.  A group of 0 officers, or a tier with no
``officers.tiers`` entry, is passed over by the engine
(:mod:`cmdsim.sim.officers`): the hop takes no time and misses nothing, so
the report arrives sooner and surer than the network's figures say, and no
run tells the planner.

- **CMD027** (error): a town's reports are relayed by nobody: every tier of
  a chain is empty (they reach the room at the moment of observation), or
  the town has a duty room, a channel reports on to the district and the
  town has no officers — the town officer is who reports to the town's room,
  so that room never hears from the network.
- **CMD028** (warning): a tier the reports climb is empty for some of them
  (committees without compound or committee officers, a town without
  committees or without officers, no district officers under ``to:
  district``, a tier missing from ``officers.tiers``): those hops are passed
  over.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from cmdsim.check.findings import Finding, finding
from cmdsim.check.words import Join, Phrase, say
from cmdsim.model import District
from cmdsim.model.carrying import REPORTS_TO_TOWN, relay_hops
from cmdsim.model.levels import Tier
from cmdsim.model.organisation import ChannelKind, Committee, Receiver, Town


def _names(committees: Sequence[Committee]) -> Phrase:
    """The committees' ids for a message, the first five and how many more."""
    ids = [c.id for c in committees]
    more = say("tiers.more", n=len(ids) - 5) if len(ids) > 5 else ""
    return say("tiers.names", ids=Join(ids[:5]), more=more)


def _chain_empty(town: Town, district: District, hops: tuple[Tier, ...]) -> bool:
    """Whether some report of the town climbs ``hops`` through nobody at all."""
    if Tier.TOWN in hops and town.officers > 0:
        return False
    if Tier.DISTRICT in hops and district.officers.district > 0:
        return False
    if not town.committees:
        return True
    return any(c.compound_officers == 0 and c.officers == 0 for c in town.committees)


def _town_findings(
    town: Town, ti: int, district: District, hops_of: Sequence[tuple[Tier, ...]]
) -> Iterator[Finding]:
    base = f"towns[{ti}]"
    climbed = {tier for hops in hops_of for tier in hops}
    if not town.committees:
        yield finding("CMD028", say("CMD028.no_committees", town=town.id), f"{base}.committees")
    for tier, field, empty in (
        (
            Tier.COMPOUND,
            "compound_officers",
            [c for c in town.committees if c.compound_officers == 0],
        ),
        (Tier.COMMITTEE, "officers", [c for c in town.committees if c.officers == 0]),
    ):
        if tier not in climbed or not empty:
            continue
        first = town.committees.index(empty[0])
        said = say(
            "CMD028.committees",
            n=len(empty),
            of=len(town.committees),
            town=town.id,
            tier=say(f"officer_tier.{tier.value}"),
            names=_names(empty),
        )
        yield finding("CMD028", said, f"{base}.committees[{first}].{field}")
    if town.officers > 0:
        return
    silent = [hops for hops in hops_of if _chain_empty(town, district, hops)]
    onward = any(REPORTS_TO_TOWN in hops and Tier.DISTRICT in hops for hops in hops_of)
    if silent:
        yield finding("CMD027", say("CMD027", town=town.id), f"{base}.officers")
    elif onward and town.duty_room is not None:
        said = say("CMD027.room", town=town.id, room=town.duty_room.id)
        yield finding("CMD027", said, f"{base}.officers")
    else:
        yield finding("CMD028", say("CMD028.town", town=town.id), f"{base}.officers")


def check_officer_tiers(district: District) -> Iterator[Finding]:
    """CMD027/CMD028: the tiers an officers channel's reports climb with nobody in them."""
    channels = [c for c in district.channels if c.kind is ChannelKind.OFFICERS]
    if not channels:
        return
    hops_of = sorted({relay_hops(c) for c in channels}, key=len)
    climbed = {tier for hops in hops_of for tier in hops}
    unset = [tier for tier in Tier if tier in climbed and tier not in district.officers.tiers]
    if unset:
        names = Join([say(f"officer_tier.{tier.value}") for tier in unset])
        yield finding("CMD028", say("CMD028.unset", names=names), "officers.tiers")
    if Tier.DISTRICT in climbed and district.officers.district == 0:
        to = [c.id for c in channels if c.to is Receiver.DISTRICT]
        said = say("CMD028.district", to=Join(to), s="s" if len(to) == 1 else "")
        yield finding("CMD028", said, "officers.district")
    for ti, town in enumerate(district.towns):
        yield from _town_findings(town, ti, district, hops_of)
