"""Plans as data: triggers that set a response level, what each level
activates, the tasks and reporting deadlines it sets, escalation, and the
rule under which the general HQ takes over coordination.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from cmdsim.errors import ModelError
from cmdsim.model import validators as v
from cmdsim.model.conditions import Trigger
from cmdsim.model.frozen import FrozenDict, freeze
from cmdsim.model.levels import Clock, Issuer, Level, Signal
from cmdsim.model.timing import Delay, Fixed, LogNormal, parse_clock


def _counts(value: Mapping[str, float]) -> Mapping[str, int]:
    # Whole floats as the ints a file's `2.0` loads as; the rest for the validator.
    if not isinstance(value, Mapping):
        return value
    return FrozenDict({key: v.whole(count) for key, count in value.items()})


@attrs.frozen
class Task:
    """A member unit's task under a level, with an optional deadline.

    ``deadline`` is minutes after ``clock``; ``resources`` maps resource ids
    to the number held for the task's whole duration.
    """

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    unit: str = attrs.field(default="", validator=v.ref)
    duration: Delay = LogNormal(median=30.0, sigma=0.5)
    deadline: float | None = attrs.field(default=None, validator=v.minutes)
    clock: Clock = Clock.ACTIVATION
    resources: Mapping[str, int] = attrs.field(factory=FrozenDict, converter=_counts)

    @resources.validator
    def _counts(
        self, attribute: attrs.Attribute[Mapping[str, int]], value: Mapping[str, int]
    ) -> None:
        for key, count in value.items():
            v.check_people(count, f"{attribute.name}.{key}")


class ReportStage(enum.Enum):
    INITIAL = "initial"
    FOLLOW_UP = "follow_up"
    FINAL = "final"


class ReportMedium(enum.Enum):
    PHONE = "phone"
    WRITTEN = "written"


class ReportOn(enum.Enum):
    """A development that calls for a follow-up report (续报)."""

    LEVEL = "level"
    """Every change of the response level (escalation, de-escalation)."""
    CASUALTIES = "casualties"
    """Every rise of the known dead or seriously injured."""


@attrs.frozen
class ReportLimit:
    """A time limit that replaces a report's ``within`` where it applies.

    It applies when the incident's level is at least ``min_level`` (any
    level if left out) and its place is in ``zone`` (any place if left out):
    "serious and above by phone within 15 minutes", "outside the inner ring
    road within 60".
    """

    within: float = attrs.field(converter=v.number, validator=v.minutes)
    min_level: Level | None = None
    zone: str | None = None

    def applies(self, level: Level | None, zone: str | None) -> bool:
        if self.min_level is not None and (level is None or level < self.min_level):
            return False
        return self.zone is None or self.zone == zone


MIN_EVERY = 1.0
"""Minutes between two interval follow-up reports at the least."""

DAY = 1440.0
"""Minutes in a day: between two reports due at a time of day (``daily_at``),
and the longest interval a daily follow-up (每日续报) may have."""


@attrs.frozen
class ReportDeadline:
    """A reporting duty (信息报送): e.g. by phone within 30 minutes of learning of it.

    ``by`` is the unit or duty room that reports; ``duration`` the time the
    report takes to prepare once work on it starts; ``transmit`` the time it
    takes to reach its recipient ``to`` (the city duty room, a city HQ, the
    general HQ): a report counts when it arrives.

    ``stage`` says when a report is due: an ``initial`` report (初报) once
    the event is known, the clock started and the level is at least
    ``min_level`` (reached later by escalation, it starts then); a
    ``follow_up`` (续报) on each development listed in ``upon``, on each
    inject named in ``injects`` and every ``every`` minutes while the
    response runs, counted from when its level first reaches ``min_level``
    ("daily for the gravest" runs from level I), or each day at the time of
    day ``daily_at`` (每日X时报送) while the response is at ``min_level`` or
    above; a ``final`` report
    (终报/核报) when the response ends.
    ``within`` is the limit unless one of ``limits`` applies (the first
    that does, in order).  Follow-up and final reports count from their
    own occasion; an initial report from its ``clock``.
    """

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    within: float = attrs.field(default=30.0, converter=v.number, validator=v.minutes)
    clock: Clock = Clock.AWARE
    stage: ReportStage = ReportStage.INITIAL
    medium: ReportMedium = ReportMedium.PHONE
    by: str = attrs.field(default="district_duty_room", validator=v.ref)
    duration: Delay = LogNormal(median=10.0, sigma=0.5)
    min_level: Level = Level.IV
    to: str = attrs.field(default="city_duty_room", validator=v.slug)
    transmit: Delay = Fixed(0.0)
    limits: tuple[ReportLimit, ...] = attrs.field(default=(), converter=v.items)
    upon: tuple[ReportOn, ...] = attrs.field(default=(), converter=v.items)
    injects: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.slugs)
    every: float | None = attrs.field(default=None, validator=v.minutes)
    daily_at: dt.time | None = attrs.field(
        default=None, converter=attrs.converters.optional(parse_clock)
    )

    def __attrs_post_init__(self) -> None:
        follow_up = self.stage is ReportStage.FOLLOW_UP
        timed = self.every is not None or self.daily_at is not None
        if follow_up and not (self.upon or self.injects or timed):
            raise ModelError(
                "a follow-up report needs 'upon', 'injects', 'every' or 'daily_at'", "stage"
            )
        if not follow_up:
            for name in ("upon", "injects", "every", "daily_at"):
                if getattr(self, name) not in ((), None):
                    raise ModelError(
                        f"only a follow_up report has {name!r} (this one is {self.stage.value})",
                        name,
                    )
        if self.every is not None and self.every < MIN_EVERY:
            raise ModelError(f"must be at least {MIN_EVERY:g} minute", "every")
        if self.every is not None and self.daily_at is not None:
            # Two clocks for one duty would call it twice a day with no rule
            # saying which report is "the daily one".
            raise ModelError("give 'every' or 'daily_at', not both", "daily_at")

    def limit(self, level: Level | None, zone: str | None) -> float:
        """Minutes allowed at ``level`` in ``zone``: the first limit that applies, else ``within``.

        >>> duty = ReportDeadline(id="phone", limits=(ReportLimit(15, min_level=Level.II),))
        >>> duty.limit(Level.I, None), duty.limit(Level.III, None)
        (15.0, 30.0)
        """
        for limit in self.limits:
            if limit.applies(level, zone):
                return limit.within
        return self.within


@attrs.frozen
class Reinforce:
    """加强值班: ``officers`` more on duty in the duty room ``room`` while the
    level is in force, called in and there ``arrive`` minutes after it is.

    A level includes the actions of the levels below it ("每级响应行动包含
    低级别应急响应的所有内容"), so a room has the most any level up to the
    one in force asks of it; of several responses in force, the most any of
    them asks.
    """

    room: str = attrs.field(validator=v.ref)
    officers: int = attrs.field(converter=v.whole, validator=v.people_at_least_one)
    arrive: Delay = Fixed(0.0)


@attrs.frozen
class LevelResponse:
    """What a level of a plan sets in motion, besides what the levels below it
    set: a level includes their actions (每级响应行动包含低级别应急响应的所有内容),
    so one in force has every lower level's ``activate``, ``notify``,
    ``tasks`` and ``reinforce`` too (:class:`cmdsim.sim.compiled.CompiledPlan`)."""

    activate: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)
    notify: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)
    tasks: tuple[Task, ...] = attrs.field(default=(), converter=v.items, validator=v.unique_ids)
    reinforce: tuple[Reinforce, ...] = attrs.field(
        default=(), converter=v.items, validator=lambda _i, _a, calls: _one_call_per_room(calls)
    )


def _one_call_per_room(calls: tuple[Reinforce, ...]) -> None:
    """A room is asked the most of its call-ins, not their sum: a second
    call-in to one room at one level would be silently halved away."""
    first: dict[str, int] = {}
    for index, call in enumerate(calls):
        if call.room in first:
            raise ModelError(
                f"{call.room} is already called in to at reinforce[{first[call.room]}]:"
                " a room has the most one call-in asks, not the sum of them;"
                " write one call-in with every officer",
                f"reinforce[{index}].room",
            )
        first[call.room] = index


def _fewer_than_below(levels: Mapping[Level, LevelResponse]) -> None:
    """A level includes the call-ins of the levels below it, so one asking a
    room for fewer officers than a lower level has no effect (IV is the
    lowest level: ``IV: 3, III: 1`` reads the levels upside down)."""
    most: dict[str, tuple[Level, int]] = {}
    for level in sorted(levels):
        for index, call in enumerate(levels[level].reinforce):
            below = most.get(call.room)
            if below is not None and call.officers < below[1]:
                raise ModelError(
                    f"{call.officers} officer{'' if call.officers == 1 else 's'} for {call.room}"
                    f" at level {level.value}, fewer"
                    f" than the {below[1]} level {below[0].value} calls in: a level includes"
                    " the call-ins of the levels below it (IV is the lowest), so this one"
                    " would have no effect",
                    f"levels.{level.value}.reinforce[{index}].officers",
                )
            if below is None or call.officers > below[1]:
                most[call.room] = (level, call.officers)


def asked(levels: Mapping[Level, LevelResponse], level: Level | None) -> dict[str, Reinforce]:
    """Room -> the largest call-in of the levels up to ``level`` (none when closed).

    >>> levels = {Level.IV: LevelResponse(reinforce=[Reinforce("room", 1)]),
    ...           Level.III: LevelResponse(reinforce=[Reinforce("room", 2)])}
    >>> asked(levels, Level.II)["room"].officers
    2
    """
    out: dict[str, Reinforce] = {}
    if level is None:
        return out
    for at, response in levels.items():
        if at > level:
            continue
        for call in response.reinforce:
            held = out.get(call.room)
            if held is None or call.officers > held.officers:
                out[call.room] = call
    return out


def most_asked(plans: Iterable[Plan]) -> dict[str, int]:
    """Room -> the most officers any level of any plan calls in to it."""
    out: dict[str, int] = {}
    for plan in plans:
        for response in plan.levels.values():
            for call in response.reinforce:
                out[call.room] = max(out.get(call.room, 0), call.officers)
    return out


@attrs.frozen
class Escalation:
    """How the level follows the known severity once a response runs.

    Every ``reassess`` minutes (one at the least, however short the delay
    drawn) the lead re-applies the triggers; a level is lowered only if
    ``deescalate`` and it has held for ``hold`` minutes.
    ``hand_over`` names the plans that take over when the incident outgrows
    this plan's top level (a town plan handing over to the district plan).
    ``hand_back`` (a town plan's rule): when the plan that took the incident
    over would lower its level to one this plan covers (its triggers fire and
    the lower level is at most this plan's top), or close it while this plan's
    triggers still fire, that plan's response ends and the incident comes back
    under this plan (``plan_handed_back``).
    """

    reassess: Delay = Fixed(30.0)
    deescalate: bool = True
    hold: float = attrs.field(default=60.0, converter=v.number, validator=v.minutes)
    hand_over: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)
    hand_back: bool = False


@attrs.frozen
class Takeover:
    """When the general HQ takes over coordination (总指挥部统一指挥).

    ``convene``: bodies (committees) the general HQ convenes as it takes
    over, each that coordinates a hazard of an incident then at a level.
    """

    min_active: int = attrs.field(converter=v.whole, default=2, validator=v.people_at_least_one)
    min_level: Level = Level.II
    convene: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)


@attrs.frozen
class MergeRule:
    """When reports and sub-incidents belong to one response (一个现场一个响应).

    Incidents with the same ``site`` whose hazards are all in ``hazards``
    (the hazard family) and whose onsets lie within ``window`` minutes of
    the first one's are one response: one case, one lead, one set of
    reports, one level.  ``hazards`` is also the coordination rule's
    precedence: the plan for the first hazard listed that the site holds
    leads (its lead HQ, its reports); the other plans' HQs join it.

    A duplicate report of one incident is not a sub-incident: the duty
    room's ``merge_window`` folds those into their incident's case whatever
    this rule says.
    """

    id: str = attrs.field(validator=v.slug)
    hazards: tuple[str, ...] = attrs.field(converter=v.items, validator=v.refs)
    name: str = ""
    window: float = attrs.field(default=60.0, converter=v.number, validator=v.minutes)
    source: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.hazards:
            raise ModelError("names no hazard, so it merges nothing", "hazards")
        if len(set(self.hazards)) != len(self.hazards):
            raise ModelError("lists a hazard twice", "hazards")

    def rank(self, hazard: str) -> int:
        """The hazard's place in the precedence (0 leads); ``len(hazards)`` if absent."""
        return self.hazards.index(hazard) if hazard in self.hazards else len(self.hazards)


class Confirmer(enum.Enum):
    """Who confirms a warning-linked response (预警响应联动)."""

    OFFICE = "office"
    """The lead HQ's office, which receives the signal as it is issued."""
    DUTY_ROOM = "duty_room"
    """The district duty room, once the warning channel has delivered the signal."""


def _signal_levels(value: Any) -> Mapping[Signal, Level]:
    if not isinstance(value, Mapping):
        return value  # type: ignore[no-any-return]
    return FrozenDict(
        {
            k if isinstance(k, Signal) else Signal.parse(str(k)): (
                val if isinstance(val, Level) else Level(str(val))
            )
            for k, val in value.items()
        }
    )


@attrs.frozen
class WarningLink:
    """A warning signal starts its level with it (预警响应联动).

    ``levels`` maps a signal colour to the level it starts; the level is
    confirmed by ``confirm_by`` after the ``confirm`` delay (times the
    district duty room's band factor), with no triage queue and no leader's
    approval.  A later, more severe signal raises the level the same way,
    and a lowered one lowers it the same way (to its colour's level, or none,
    never below the triggers: :mod:`cmdsim.sim.lowering`).
    ``issuers`` lists whose signals count: the city's meteorological
    service, the district's weather station, or both.

    >>> link = WarningLink(levels={Signal.BLUE: Level.IV, Signal.YELLOW: Level.III})
    >>> link.level_for(Signal.ORANGE)
    <Level.III: 'III'>
    """

    levels: Mapping[Signal, Level] = attrs.field(converter=_signal_levels)
    confirm_by: Confirmer = Confirmer.OFFICE
    confirm: Delay = LogNormal(median=3.0, sigma=0.6)
    issuers: tuple[Issuer, ...] = attrs.field(
        default=(Issuer.CITY, Issuer.DISTRICT), converter=v.items
    )

    def __attrs_post_init__(self) -> None:
        if not self.levels:
            raise ModelError("maps no signal to a level", "levels")
        if not self.issuers:
            raise ModelError("lists no issuer, so no signal would start a level", "issuers")
        ordered = sorted(self.levels.items(), key=lambda item: item[0].rank)
        for (low, low_level), (high, high_level) in itertools.pairwise(ordered):
            if high_level < low_level:
                raise ModelError(
                    f"{high.value} starts level {high_level.value}, below"
                    f" {low_level.value} for {low.value}: a more severe signal"
                    " never lowers the response",
                    f"levels.{high.value}",
                )

    def level_for(self, signal: Signal) -> Level | None:
        """The level ``signal`` starts: that of the most severe colour at or below it."""
        found = [lvl for sig, lvl in self.levels.items() if sig.rank <= signal.rank]
        return max(found) if found else None


class PlanKind(enum.Enum):
    GENERAL = "general"
    SPECIAL = "special"
    TOWN = "town"
    HANDBOOK = "handbook"


class PlanTier(enum.Enum):
    DISTRICT = "district"
    TOWN = "town"
    COMMUNITY = "community"


@attrs.frozen
class Plan:
    """An emergency plan (预案).

    ``triggers`` set a response level from what is known; ``raise_flags``
    (``holiday``, ``major_event``, ``sensitive_site``) raise it by one;
    ``levels`` says what each level sets in motion.  ``sites`` lists the
    site types (an incident's ``location_type``) where the plan's lead can
    lead; ``cmdsim check`` finds two leads on one site type from it (CMD080).
    ``merge`` holds the rules that make one response of a site's
    sub-incidents (:class:`MergeRule`; usually the general plan's).
    """

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    kind: PlanKind = PlanKind.SPECIAL
    tier: PlanTier = PlanTier.DISTRICT
    town: str | None = None
    hazards: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)
    lead: str | None = None
    triggers: tuple[Trigger, ...] = attrs.field(default=(), converter=v.items)
    raise_flags: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.slugs)
    levels: Mapping[Level, LevelResponse] = attrs.field(factory=FrozenDict, converter=freeze)
    reports: tuple[ReportDeadline, ...] = attrs.field(
        default=(), converter=v.items, validator=v.unique_ids
    )
    escalation: Escalation = Escalation()
    takeover: Takeover | None = None
    warnings: WarningLink | None = None
    sites: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.slugs)
    merge: tuple[MergeRule, ...] = attrs.field(
        default=(), converter=v.items, validator=v.unique_ids
    )
    source: str = ""

    def __attrs_post_init__(self) -> None:
        _fewer_than_below(self.levels)
        if self.tier is PlanTier.TOWN and self.warnings is not None:
            _town_link_errors(self.warnings, self.triggers)

    def level_for(self, known: Mapping[str, Any], flags: tuple[str, ...] = ()) -> Level | None:
        """The level the triggers set on what is known, raised by a flag once.

        >>> from cmdsim.model.conditions import Condition, Trigger
        >>> rule = Trigger(Level.III, any_of=(Condition.parse("deaths >= 3"),))
        >>> plan = Plan(id="p", triggers=(rule,))
        >>> plan.level_for({"deaths": 4.0}), plan.level_for({"deaths": 1.0})
        (<Level.III: 'III'>, None)
        """
        fired = [t.level for t in self.triggers if t.fires(known)]
        if not fired:
            return None
        level = max(fired)
        if any(flag in self.raise_flags for flag in flags):
            level = level.raised()
        return level

    def included(self, level: Level) -> LevelResponse:
        """What the plan sets in motion at ``level``: that level's response and
        every lower level's (每级响应行动包含低级别应急响应的所有内容), lowest
        first, each HQ and unit once.  A task a higher level repeats is that
        level's version of it, in the place it first appeared; a room is
        called in to for the most any of these levels asks (:func:`asked`).
        The plan's lead is not in ``activate``: it leads at every level.
        The one reading of a level for the engine and the checker alike.

        >>> low = LevelResponse(activate=["pump_hq"], tasks=[Task("patrol", unit="water")])
        >>> high = LevelResponse(tasks=[Task("patrol", unit="water", deadline=30.0)])
        >>> plan = Plan(id="p", levels={Level.IV: low, Level.III: high})
        >>> at_iii = plan.included(Level.III)
        >>> at_iii.activate, [(t.id, t.deadline) for t in at_iii.tasks]
        (('pump_hq',), [('patrol', 30.0)])
        >>> plan.included(Level.IV).tasks[0].deadline is None
        True
        """
        below = [self.levels[at] for at in Level if at <= level and at in self.levels]
        tasks: dict[str, Task] = {}
        for response in below:
            for task in response.tasks:
                tasks[task.id] = task
        return LevelResponse(
            activate=tuple(dict.fromkeys(hq for r in below for hq in r.activate)),
            notify=tuple(dict.fromkeys(unit for r in below for unit in r.notify)),
            tasks=tuple(tasks.values()),
            reinforce=tuple(asked(self.levels, level).values()),
        )

    def responds(self, level: Level) -> bool:
        """Whether the plan has a response in force at ``level``: it writes
        that level or a lower one, whose actions a level includes
        (:meth:`included`).  Where it writes neither, an incident it governs
        at ``level`` gets its lead called out and nothing else — the coverage
        gap of ``cmdsim check`` (CMD001).  A level written empty (``IV: {}``)
        counts: it is the plan's word that its lead alone answers there.

        >>> pump = LevelResponse(activate=["pump_hq"])
        >>> plan = Plan(id="p", lead="hq", levels={Level.III: pump})
        >>> plan.responds(Level.I), plan.responds(Level.IV)
        (True, False)
        """
        return any(at <= level for at in self.levels)


def _town_link_errors(link: WarningLink, triggers: tuple[Trigger, ...]) -> None:
    """A town plan's warning link starts only what the town plan covers.

    Its office confirms the level (the district duty room's confirmation is
    the district plan's), and a level above the top its triggers reach is
    beyond the town plan: the district plan's own link starts that one.
    """
    if link.confirm_by is not Confirmer.OFFICE:
        raise ModelError(
            "a town plan's warning link is confirmed by the town HQ's office (office);"
            " duty_room is the district duty room, whose confirmation is the district"
            " plan's link",
            "warnings.confirm_by",
        )
    top = max((t.level for t in triggers), default=None)
    for signal, level in sorted(link.levels.items(), key=lambda item: item[0].rank):
        if top is None or level > top:
            reach = "no level" if top is None else f"at most level {top.value}"
            raise ModelError(
                f"{signal.value} starts level {level.value}, but the town plan's triggers"
                f" reach {reach}: a level beyond the town plan is the district plan's"
                " (its own warning link starts it)",
                f"warnings.levels.{signal.value}",
            )


DEFAULT_REPORTS = (
    ReportDeadline(id="phone_report", name="电话初报 first report by phone", within=30.0),
    ReportDeadline(
        id="written_report",
        name="书面报告 written report",
        within=60.0,
        medium=ReportMedium.WRITTEN,
        duration=LogNormal(median=25.0, sigma=0.4),
    ),
)
"""The deadlines most Chinese plans write: 30 minutes by phone, 1 hour written."""
