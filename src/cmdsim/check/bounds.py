"""The fastest path: the least time from a deadline's clock to the work done.

:func:`fastest` is the one place the checker (CMD040, CMD041) and anything
else needing "the fastest possible" take it from.  It follows the engine's
own order of steps (:mod:`cmdsim.sim`) with every delay at its minimum and
every band factor at its smallest:

- a report reaches a duty room; the room triages it (``triage``); the
  deciding room's leader approves a level (``approval``) and the level's
  HQs are called out (``call-out``, :func:`activation_floor`);
- a task starts at the decision that sets it and takes its ``duration``;
- an initial report starts once its reporter knows (a duty room after its
  triage of the news, a unit when the chain knows), its clock has started
  and, with a ``min_level`` above IV, a decision has reached that level;
  it is written (``writing``), then sent (``transmission``), and counts
  when it arrives; a follow-up or final report starts at its occasion.

A step on the way to the clock's start but not to the work (the lead's
call-out before an ``activation`` clock) counts at its *longest*, since a
later clock leaves more time.  Where no lower bound holds for every run —
a warning link or an exercise inject can make a level or a report before
what a clock counts from — :func:`fastest` returns ``None``.  Detection
(onset to the first report) is not counted: an inject may report an
incident at its onset.  The bounds are certain: no run does better (the
``tests/check/test_bounds_property.py`` property).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import attrs

from cmdsim.check.words import Join, Phrase, say
from cmdsim.model import (
    BandFactors,
    ChannelKind,
    Clock,
    Command,
    Delay,
    District,
    DutyRoom,
    Empirical,
    Exponential,
    Fixed,
    Level,
    LogNormal,
    Plan,
    PlanTier,
    Receiver,
    ReportDeadline,
    ReportStage,
    Task,
    TimeBand,
    Triangular,
)


def _factors(factors: BandFactors | None) -> list[float]:
    if factors is None:
        return [1.0]
    return [factors.factor(band) for band in TimeBand]


def minimum(delay: Delay, factors: BandFactors | None = None) -> float:
    """The shortest a delay can be, at its smallest band factor."""
    return delay.minimum * min(_factors(factors))


def maximum(delay: Delay, factors: BandFactors | None = None) -> float:
    """The longest a delay can be, at its largest band factor (``inf``: unbounded)."""
    if isinstance(delay, Fixed):
        top = delay.minutes
    elif isinstance(delay, Triangular):
        top = delay.high
    elif isinstance(delay, Empirical):
        top = max(delay.samples)
    elif isinstance(delay, LogNormal) and delay.sigma == 0:
        top = delay.median
    else:
        return math.inf
    return top * max(_factors(factors))


def _kth(values: Sequence[float], k: int) -> float:
    ordered = sorted(values)
    return ordered[k - 1] if len(ordered) >= k else math.inf


def activation_floor(command: Command) -> float:
    """The earliest an HQ can count as activated after it is called.

    As the engine (:mod:`cmdsim.sim.activation`): a post is filled by its
    ``needed``-th arrival (never with fewer people); each term of the
    quorum in force (:attr:`Command.terms`: every post when none is listed)
    holds at its ``k``-th filled post; no posts, at once.
    """
    if not command.posts:
        return 0.0
    filled = {
        post.id: (
            minimum(post.callout or command.callout, command.factors)
            if post.people >= post.needed
            else math.inf
        )
        for post in command.posts
    }
    return max(
        (_kth([filled[p] for p in term.posts], term.k) for term in command.terms), default=0.0
    )


def activation_ceiling(command: Command) -> float:
    """The latest an HQ that is activated at all can be (``inf``: no bound)."""
    if not command.posts:
        return 0.0
    filled = {
        post.id: (
            maximum(post.callout or command.callout, command.factors)
            if post.people >= post.needed and post.reach >= 1.0
            else math.inf
        )
        for post in command.posts
    }
    return max(
        (_kth([filled[p] for p in term.posts], term.k) for term in command.terms), default=0.0
    )


WRITING = "writing"
TRANSMISSION = "transmission"
"""The names of a report's last two steps in :func:`fastest`'s path."""


@attrs.frozen
class Step:
    """One step of a fastest path; ``minutes`` is negative for a step that
    delays the clock's start (counted at its longest)."""

    name: str
    minutes: float


@attrs.frozen
class Path:
    """The steps from a clock to the work done, in the engine's order."""

    steps: tuple[Step, ...]

    @property
    def total(self) -> float:
        return sum(step.minutes for step in self.steps)

    def knowing(self) -> Path:
        """A report's path up to its reporter knowing and its clock started:
        without its writing and transmission (the last two steps)."""
        return Path(tuple(s for s in self.steps if s.name not in (WRITING, TRANSMISSION)))

    def text(self) -> str:
        """``"4 triage + 10 writing = 14"``."""
        parts = ""
        for i, step in enumerate(self.steps):
            sign = "-" if step.minutes < 0 else "+"
            if i == 0:
                parts = f"{'-' if step.minutes < 0 else ''}{abs(step.minutes):g} {step.name}"
            else:
                parts += f" {sign} {abs(step.minutes):g} {step.name}"
        return f"{parts} = {self.total:g}"

    def words(self) -> Phrase:
        """:meth:`text` as a phrase, its steps' names in every language."""
        parts = [
            say(
                "path.first" if i == 0 else "path.next",
                sign=("-" if step.minutes < 0 else "") if i == 0 else "-+"[step.minutes >= 0],
                minutes=abs(step.minutes),
                name=say(f"step.{step.name}"),
            )
            for i, step in enumerate(self.steps)
        ]
        return say("path", steps=Join(parts, ""), total=self.total)


@attrs.frozen
class _Index:
    """What :func:`fastest` looks up for every plan, gathered once per
    district: without it each look-up walks every plan, room or town, and
    checking a district grows with the square of its plans."""

    rooms: dict[str, DutyRoom]
    commands: dict[str, Command]
    town_rooms: dict[str, DutyRoom]
    named: frozenset[str]
    """Plans a town plan's ``hand_over`` names."""
    unnamed: frozenset[str]
    """Hazards of the town plans that name no plan to hand over to."""


_LAST: list[tuple[District, _Index]] = []


def _index(district: District) -> _Index:
    # One district is checked at a time: keep the last one's index (by
    # identity, as hashing a whole district would cost what it saves).
    if _LAST and _LAST[0][0] is district:
        return _LAST[0][1]
    rooms: dict[str, DutyRoom] = {}
    for room in district.duty_rooms():
        rooms.setdefault(room.id, room)
    commands: dict[str, Command] = {}
    for command in district.commands:
        commands.setdefault(command.id, command)
    town_rooms: dict[str, DutyRoom] = {}
    for town in district.towns:
        if town.duty_room is not None:
            town_rooms.setdefault(town.id, town.duty_room)
    named: set[str] = set()
    unnamed: set[str] = set()
    for other in district.plans:
        if other.tier is PlanTier.TOWN:
            named.update(other.escalation.hand_over)
            if not other.escalation.hand_over:
                unnamed.update(other.hazards)
    index = _Index(rooms, commands, town_rooms, frozenset(named), frozenset(unnamed))
    _LAST[:] = [(district, index)]
    return index


def _room(district: District, room_id: str) -> DutyRoom | None:
    return _index(district).rooms.get(room_id)


def deciding_room(district: District, plan: Plan) -> DutyRoom:
    """The room that decides under ``plan``: its town's for a town-tier plan
    whose town has one, else the district room."""
    if plan.tier is PlanTier.TOWN and plan.town is not None:
        room = _index(district).town_rooms.get(plan.town)
        if room is not None:
            return room
    return district.duty_room


def _taken_over(district: District, plan: Plan) -> bool:
    """Whether an incident may come to ``plan`` by a town plan's hand-over
    (its first decision then needs no triage of its own)."""
    if plan.tier is PlanTier.TOWN:
        return False
    index = _index(district)
    return plan.id in index.named or not index.unnamed.isdisjoint(plan.hazards)


def fastest(
    district: District, plan: Plan, work: Task | ReportDeadline, level: Level | None = None
) -> Path | None:
    """The fastest path from ``work``'s clock to its end under ``plan``
    (a task set at ``level``, or a report); ``None`` where no lower bound
    holds for every run.  See the module's text for the engine's order."""
    room = deciding_room(district, plan)
    triage = Step("triage", minimum(room.triage, room.factors))
    approval = Step("approval", minimum(room.approval, room.factors))
    handed = _taken_over(district, plan)
    linked = getattr(plan, "warnings", None) is not None
    if handed:
        # Taken over from a town plan: the district room approves what the
        # town room triaged.
        triage = Step("triage", 0.0)
    if isinstance(work, Task):
        steps = [Step("work", minimum(work.duration))]
        clock = work.clock
        if clock is Clock.ACTIVATION:
            if plan.lead is None:
                return None
            lead = _index(district).commands.get(plan.lead)
            if lead is None:
                return None
            ceiling = activation_ceiling(lead)
            if math.isinf(ceiling):
                return None
            if ceiling > 0:
                steps.append(Step("call-out at most", -ceiling))
            return Path(tuple(steps))
        if clock is Clock.DECISION:
            return Path(tuple(steps))
        if linked:
            return None  # a warning link may decide before anyone is aware
        if clock is Clock.ONSET and _warned(district, plan):
            return None
        return Path((triage, approval, *steps))
    duty = work
    writing = [
        Step(WRITING, minimum(duty.duration)),
        Step(TRANSMISSION, minimum(duty.transmit)),
    ]
    if duty.stage is not ReportStage.INITIAL:
        return Path(tuple(writing))
    clock = duty.clock
    if clock is Clock.ONSET and _warned(district, plan):
        return None
    if clock in (Clock.DECISION, Clock.ACTIVATION):
        return Path(tuple(writing))
    if duty.min_level is not Level.IV and not linked:
        return Path((triage, approval, *writing))
    reporter = _room(district, duty.by)
    if reporter is None or linked or handed:
        return Path(tuple(writing))
    own = minimum(reporter.triage, reporter.factors)
    if reporter.id != district.duty_room.id and _handed_down(district, plan):
        # The district room may hand a town room news that reached it
        # directly: the town room learns as it is handed it (no triage of its
        # own), and its clock starts then.
        own = 0.0
    return Path((Step("triage", own), *writing))


def _handed_down(district: District, plan: Plan) -> bool:
    """Whether news of the plan's hazards may reach the district room first
    (a channel reporting to it), to be handed down to a town room."""
    return any(
        channel.to is Receiver.DISTRICT and any(channel.covers(h) for h in plan.hazards)
        for channel in district.channels
    )


def _warned(district: District, plan: Plan) -> bool:
    """Whether a warning may reach a room before the onset of an incident
    under ``plan``: its hazard is forecastable, or a warning channel covers it."""
    hazards = {h.id: h.forecastable for h in district.hazards}
    if not plan.hazards or any(hazards.get(h, False) for h in plan.hazards):
        return True
    return any(
        channel.kind is ChannelKind.WARNING and any(channel.covers(h) for h in plan.hazards)
        for channel in district.channels
    )


def at_minimum(value: _T) -> _T:
    """``value`` (a scenario, district, plan …) with every delay at its
    minimum: each distribution a :class:`Fixed` of its ``minimum``, every
    band factor the smallest of its set, no channel or relay missing a
    report, every person reached — the run :func:`fastest` describes."""
    return _at_minimum(value)  # type: ignore[no-any-return]


_T = TypeVar("_T")
_DELAYS = (Fixed, Exponential, LogNormal, Triangular, Empirical)


def _at_minimum(value: Any) -> Any:
    if isinstance(value, _DELAYS):
        return Fixed(value.minimum)
    if isinstance(value, BandFactors):
        fields = {
            f.name: getattr(value, f.name)
            for f in attrs.fields(BandFactors)
            if getattr(value, f.name) is not None
        }
        low = min(fields.values())
        return attrs.evolve(value, **{name: low for name in fields})
    if isinstance(value, tuple):
        return tuple(_at_minimum(item) for item in value)
    if isinstance(value, Mapping):
        return {key: _at_minimum(item) for key, item in value.items()}
    if attrs.has(type(value)):
        changes: dict[str, Any] = {}
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if field.name == "miss" and isinstance(item, float):
                new: Any = 0.0
            elif field.name == "reach" and isinstance(item, float):
                new = 1.0
            else:
                new = _at_minimum(item)
            if new is not item:
                changes[field.name] = new
        return attrs.evolve(value, **changes) if changes else value
    return value
