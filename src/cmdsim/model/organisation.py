"""The organisation: units, commands (the 1 and the N), duty rooms, towns,
the information-officer network and the reporting channels.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

import attrs

from cmdsim.errors import ModelError
from cmdsim.model import validators as v
from cmdsim.model.frozen import FrozenDict, freeze
from cmdsim.model.levels import Tier
from cmdsim.model.timing import BandFactors, Delay, Fixed, LogNormal, Staffing


@attrs.frozen
class Hazard:
    """A kind of incident (``flood_typhoon``, ``gas``).  Open: files define more.

    ``forecastable`` hazards get meteorological warnings ahead of impact.
    """

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    forecastable: bool = False


@attrs.frozen
class Resource:
    """A contended resource a unit holds: rescue teams, pumps, tankers."""

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    capacity: int = attrs.field(converter=v.whole, default=1, validator=v.people_at_least_one)


@attrs.frozen
class Unit:
    """A member unit: a bureau, the police, fire rescue, a utility, a town.

    ``staff`` is how many tasks it can work on at once.
    """

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    staff: int = attrs.field(converter=v.whole, default=5, validator=v.people_at_least_one)
    resources: tuple[Resource, ...] = attrs.field(
        default=(), converter=v.items, validator=v.unique_ids
    )


class Role(enum.Enum):
    COMMANDER = "commander"
    DEPUTY = "deputy"
    LIAISON = "liaison"
    MEMBER = "member"
    EXPERT = "expert"
    STAFF = "staff"


@attrs.frozen
class Post:
    """A post in a command and the pool of people who can fill it.

    The post is filled once ``needed`` of its ``people`` have arrived; each
    person is reached with probability ``reach`` and arrives after the
    command's call-out delay (or the post's own).
    """

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    role: Role = Role.MEMBER
    unit: str | None = None
    people: int = attrs.field(converter=v.whole, default=1, validator=v.people)
    needed: int = attrs.field(converter=v.whole, default=1, validator=v.people_at_least_one)
    reach: float = attrs.field(default=1.0, converter=v.number, validator=v.probability)
    callout: Delay | None = None


@attrs.frozen
class QuorumTerm:
    """At least ``k`` of the listed posts must be filled."""

    posts: tuple[str, ...] = attrs.field(converter=v.items, validator=v.refs)
    k: int = attrs.field(converter=v.whole, default=1, validator=v.people_at_least_one)

    def __attrs_post_init__(self) -> None:
        if not self.posts:
            raise ModelError("names no posts", "posts")
        if self.k > len(self.posts):
            raise ModelError(f"needs {self.k} of only {len(self.posts)} posts", "k")


@attrs.frozen
class Command:
    """A command HQ.  ``general`` is the "1"; the others are the "N", except
    a town's own command (``town`` names the street or town it belongs to).

    The command counts as activated when every term of its ``quorum`` holds.
    An empty ``quorum`` means every post must be filled (the HQ at full
    strength); a command with no posts is activated at once.  Engine and
    checker read this one rule through :attr:`terms`.
    """

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    general: bool = False
    lead_unit: str = attrs.field(default="", validator=v.ref)
    member_units: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)
    posts: tuple[Post, ...] = attrs.field(default=(), converter=v.items, validator=v.unique_ids)
    quorum: tuple[QuorumTerm, ...] = attrs.field(default=(), converter=v.items)
    callout: Delay = LogNormal(median=25.0, sigma=0.5)
    factors: BandFactors = BandFactors(night=1.5, holiday=1.3)
    source: str = ""
    town: str | None = None

    @property
    def terms(self) -> tuple[QuorumTerm, ...]:
        """The quorum in force: the listed terms, or every post when none is listed.

        >>> hq = Command(id="hq", lead_unit="water", posts=(Post(id="a"), Post(id="b")))
        >>> hq.terms
        (QuorumTerm(posts=('a', 'b'), k=2),)
        >>> Command(id="empty", lead_unit="water").terms
        ()
        """
        if self.quorum or not self.posts:
            return self.quorum
        ids = tuple(post.id for post in self.posts)
        return (QuorumTerm(ids, len(ids)),)

    def post(self, post_id: str) -> Post:
        for post in self.posts:
            if post.id == post_id:
                return post
        raise KeyError(post_id)


@attrs.frozen
class DutyRoom:
    """A duty room (总值班室 / 街镇值班室): reports queue for its officers.

    ``triage`` is one officer's work on a report; ``approval`` is the time to
    reach a leader and have the level approved; ``forward`` is the time to
    pass a report up to the next room.
    """

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    staffing: Staffing = Staffing(day=3, night=1, holiday=2)
    triage: Delay = LogNormal(median=5.0, sigma=0.4)
    approval: Delay = LogNormal(median=8.0, sigma=0.5)
    forward: Delay = Fixed(5.0)
    factors: BandFactors = BandFactors(night=1.3, holiday=1.2)
    merge_window: float = attrs.field(default=60.0, converter=v.number, validator=v.minutes)


class TownKind(enum.Enum):
    STREET = "street"
    TOWN = "town"


class CommitteeKind(enum.Enum):
    RESIDENTIAL = "residential"
    VILLAGE = "village"


@attrs.frozen
class Committee:
    """A residential or village committee with its compounds (village groups).

    ``officers`` are committee-tier information officers; ``compound_officers``
    the compound-tier ones living in its compounds.
    """

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    kind: CommitteeKind = CommitteeKind.RESIDENTIAL
    compounds: int = attrs.field(converter=v.whole, default=1, validator=v.people)
    officers: int = attrs.field(converter=v.whole, default=1, validator=v.people)
    compound_officers: int = attrs.field(converter=v.whole, default=0, validator=v.people)
    handbook: bool = True


@attrs.frozen
class TownPlanSet:
    """A town's "1+10+X" plans: a general plan, special plans by hazard, others."""

    general: bool = True
    special: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)
    other: tuple[str, ...] = attrs.field(default=(), converter=v.items)


@attrs.frozen
class Town:
    """A street (街道) or town (镇) with its duty room, plans and committees."""

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    kind: TownKind = TownKind.TOWN
    duty_room: DutyRoom | None = None
    plan_set: TownPlanSet = TownPlanSet()
    officers: int = attrs.field(converter=v.whole, default=1, validator=v.people)
    committees: tuple[Committee, ...] = attrs.field(
        default=(), converter=v.items, validator=v.unique_ids
    )
    population: int = attrs.field(converter=v.whole, default=0, validator=v.non_negative)
    zone: str | None = None
    """Where the town lies for reporting limits by place (``inner``: inside
    the inner ring road, ``outer``); a report's ``limits`` may name it."""

    def officers_by_tier(self) -> dict[Tier, int]:
        return {
            Tier.COMPOUND: sum(c.compound_officers for c in self.committees),
            Tier.COMMITTEE: sum(c.officers for c in self.committees),
            Tier.TOWN: self.officers,
        }


@attrs.frozen
class TierSpec:
    """How one tier of information officers relays a report upward."""

    relay: Delay = LogNormal(median=10.0, sigma=0.6)
    miss: float = attrs.field(default=0.05, converter=v.number, validator=v.probability)
    factors: BandFactors = BandFactors(night=1.5, holiday=1.2)


def _default_tiers() -> FrozenDict[Tier, TierSpec]:
    return FrozenDict({tier: TierSpec() for tier in Tier})


@attrs.frozen
class OfficerNetwork:
    """The four-tier disaster-information-officer network (灾害信息员).

    ``district`` is the head count at district tier; town, committee and
    compound counts live on the towns and committees.
    """

    district: int = attrs.field(converter=v.whole, default=0, validator=v.people)
    tiers: Mapping[Tier, TierSpec] = attrs.field(factory=_default_tiers, converter=freeze)


class ChannelKind(enum.Enum):
    OFFICERS = "officers"
    HOTLINE = "hotline"
    APP = "app"
    POLICE = "police"
    FIRE = "fire"
    SENSOR = "sensor"
    WARNING = "warning"


class Receiver(enum.Enum):
    DISTRICT = "district"
    TOWN = "town"


FIGURES = ("deaths", "serious_injuries", "casualties", "households")
"""The figures a reporter counts (casualties and households affected): what
:class:`Figures` delays and under-counts.  Other attributes (rainfall, a
signal, hours cut) are reported as observed."""


@attrs.frozen
class Figures:
    """How a channel's casualty and household figures reach the duty room (2b).

    The first count of an observation's figures arrives ``lag`` minutes after
    the channel's report (with ``lag: 0`` it rides in the report itself;
    otherwise the report carries no figures and the count is a report of its
    own) and gives ``first`` of each true figure; then ``recounts`` further
    counts, ``every`` minutes apart, close the gap in equal steps, the last
    giving the truth.  Each count is a report: it is triaged (and verified,
    if the channel's reports are) before it counts.  ``first: 0`` with no
    recounts: the channel carries no figures at all (a sensor's video).
    """

    lag: Delay = Fixed(0.0)
    first: float = attrs.field(default=1.0, converter=v.number, validator=v.probability)
    recounts: int = attrs.field(converter=v.whole, default=0, validator=v.people)
    every: Delay = Fixed(30.0)

    @property
    def active(self) -> bool:
        """Whether the figures differ at all from the truth reported at once."""
        return not (
            self.first == 1.0
            and self.recounts == 0
            and isinstance(self.lag, Fixed)
            and self.lag.minutes == 0.0
        )

    def fraction(self, count: int) -> float:
        """The share of the truth count ``count`` (0 the first) gives.

        >>> [Figures(first=0.4, recounts=2).fraction(j) for j in range(3)]
        [0.4, 0.7, 1.0]
        """
        if self.recounts == 0:
            return self.first
        return self.first + (1.0 - self.first) * count / self.recounts


# The defaults of the fields an ``officers`` channel does not use, kept as
# these very objects so that one given explicitly (even equal to them) is
# told apart: an officers channel that states one is an error, not a no-op.
_CHANNEL_DELAY = LogNormal(median=15.0, sigma=0.7)
_CHANNEL_MISS = 0.1
_CHANNEL_FACTORS = BandFactors()


@attrs.frozen
class Channel:
    """A way the duty room learns of an incident (12345, 随申拍, 110/119 …).

    ``hazards`` limits the channel to those hazards; empty means all.  A
    ``warning`` channel delivers meteorological signals, not observations.

    An ``officers`` channel is the four-tier network: its reports climb
    compound → committee → town officers (who report to the town's duty
    room) and, with ``to: district``, on to the district officers (who
    report to the district duty room); each hop takes its tier's ``relay``
    delay and ``miss`` from ``officers.tiers``.  Its own ``delay``,
    ``miss`` and ``factors`` would have no effect, so stating one is an
    error.
    """

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    kind: ChannelKind = ChannelKind.HOTLINE
    delay: Delay = _CHANNEL_DELAY
    miss: float = attrs.field(default=_CHANNEL_MISS, converter=v.number, validator=v.probability)
    hazards: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)
    to: Receiver = Receiver.DISTRICT
    factors: BandFactors = _CHANNEL_FACTORS
    figures: Figures | None = None
    """How its casualty and household figures arrive; none: true and at once."""
    false_alarms: float = attrs.field(default=0.0, converter=v.number, validator=v.probability)
    """Share of its reports that are of nothing (public channels)."""
    duplicates: float = attrs.field(default=0.0, converter=v.number, validator=v.probability)
    """Share of its reports that repeat an incident the room already has."""
    verify: Delay | None = None
    """The receiving room's verification (核实) of each of its reports, after triage."""

    def __attrs_post_init__(self) -> None:
        noise = self.false_alarms > 0 or self.duplicates > 0
        if noise and self.false_alarms + self.duplicates >= 1.0:
            raise ModelError(
                f"false_alarms {self.false_alarms:g} and duplicates {self.duplicates:g} "
                "leave no genuine report (their sum must be below 1)",
                "duplicates",
            )
        if self.kind is ChannelKind.WARNING:
            for name in ("figures", "verify"):
                if getattr(self, name) is not None:
                    raise ModelError(
                        f"a warning channel passes signals, not reports; its {name!r} "
                        "would have no effect",
                        name,
                    )
        if noise and self.kind in (ChannelKind.OFFICERS, ChannelKind.WARNING):
            raise ModelError(
                f"false alarms and duplicates are for public channels; on an "
                f"{self.kind.value} channel they would have no effect",
                "false_alarms" if self.false_alarms > 0 else "duplicates",
            )
        if self.kind is not ChannelKind.OFFICERS:
            return
        for name, default in (
            ("delay", _CHANNEL_DELAY),
            ("miss", _CHANNEL_MISS),
            ("factors", _CHANNEL_FACTORS),
        ):
            if getattr(self, name) is not default:
                raise ModelError(
                    f"an officers channel takes its delays and misses from its tiers "
                    f"(officers.tiers.<tier>.relay, miss, factors); its own {name!r} "
                    "would have no effect",
                    name,
                )

    def covers(self, hazard: str) -> bool:
        return not self.hazards or hazard in self.hazards
