"""Who decides in a drill: the roles people play, their decisions, and the
policy the engine asks at each decision point (the plan's rule, a recorded
decision, or a chooser: a keyboard, a script, a browser)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

import attrs

from cmdsim.errors import ScenarioError
from cmdsim.model import Level, Scenario

DUTY_ROOM, GENERAL_HQ, LEAD_HQ = "duty-room", "general-hq", "lead-hq"
ROLES = (DUTY_ROOM, GENERAL_HQ, LEAD_HQ)
"""Roles people can play.

``duty-room``: the district duty room's choice of the level to declare and of
the HQs to activate.  ``general-hq``: the general HQ's commander, when the
general plan's takeover rule holds: take over coordination now or decline
(asked again when the situation escalates).  ``lead-hq``: the lead HQ's
commander at reassessment, where the plan's rule would move the level:
request the escalation or hold; lower the level (or close the response) or
hold.
"""

Event = dict[str, Any]


@attrs.frozen
class Decision:
    """What a player decided at a decision point.

    ``duty-room``: the level and the HQs to activate.  ``general-hq``: the
    general HQ in ``activate`` takes over, none declines.  ``lead-hq``: the
    level (see :func:`cmdsim.sim.decision.lead_choice`).  ``choice`` names the
    answer of a ``general-hq`` or ``lead-hq`` decision (``take_over``,
    ``decline``; ``request``, ``lower``, ``close``, ``hold``).
    ``rationale`` is the players' reason in their words and ``player`` who
    answered (both optional, logged, never read by the engine).
    """

    level: Level | None
    activate: tuple[str, ...]
    choice: str | None = None
    rationale: str = ""
    player: str = ""


@attrs.frozen
class Point:
    """A decision point as the driver sees it (copied from the engine's)."""

    key: str
    role: str
    time: float
    incident: str | None
    level: Level | None
    activate: tuple[str, ...]
    known: Mapping[str, Any] = attrs.field(factory=dict)
    plan: str | None = None
    current: Level | None = None


Chooser = Callable[[Point], Decision | None]
"""Asked for a decision a played role must take; ``None`` accepts the plan's."""


class Runner(Protocol):
    """Runs one simulation: ``(scenario, seed, policy) -> event records``."""

    def __call__(self, scenario: Scenario, seed: int, policy: Any) -> list[Event]: ...


class Refusal(ScenarioError):
    """A request an exercise refuses, with the ``field`` of the request it
    is about (``None`` when it is about none: the exercise has ended), so a
    front end can say which of its fields is wrong."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NeedDecision(Exception):
    """Raised inside a run when a played role reaches an undecided point."""

    def __init__(self, point: Point) -> None:
        # SimPy re-raises a failed process's exception as type(exc)(*exc.args):
        # the point must be the only argument to survive that.
        super().__init__(point)
        self.point = point


def as_level(value: Any) -> Level | None:
    """A level from what a log, a script or a chooser gives: a :class:`Level`,
    its value (``"II"``) or anything with such a ``value``; ``None`` stays ``None``."""
    if value is None or isinstance(value, Level):
        return value
    return Level.parse(str(getattr(value, "value", value)))


class Policy:
    """The ``decisions`` object handed to the engine.

    The engine calls :meth:`decide` with its decision point; the policy
    numbers the points per role and incident, answers from the recorded
    decisions (or the chooser, for a played role), and returns ``None`` to
    let the plan's rule stand.
    """

    def __init__(
        self,
        play: Iterable[str],
        recorded: Mapping[str, Decision],
        chooser: Chooser | None,
    ) -> None:
        self.play = set(play)
        self.recorded = dict(recorded)
        self.chooser = chooser
        self.counts: dict[tuple[str, str | None], int] = {}
        self.points: list[Point] = []
        self.taken: dict[str, Decision] = {}
        self.defaulted: set[str] = set()
        """Points the chooser left to the plan's rule (it answered ``None``)."""

    def point_of(self, raw: Any) -> Point:
        role = str(getattr(raw, "role", "duty-room"))
        incident = getattr(raw, "incident", None)
        incident = None if incident is None else str(incident)
        n = self.counts.get((role, incident), 0) + 1
        self.counts[(role, incident)] = n
        return Point(
            key=f"{role}:{incident or '-'}:{n}",
            role=role,
            time=float(getattr(raw, "time", 0.0)),
            incident=incident,
            level=as_level(getattr(raw, "level", None)),
            activate=tuple(str(a) for a in getattr(raw, "activate", ()) or ()),
            known=dict(getattr(raw, "known", {}) or {}),
            plan=getattr(raw, "plan", None),
            current=as_level(getattr(raw, "current", None)),
        )

    def decide(self, raw: Any) -> Decision | None:
        point = self.point_of(raw)
        self.points.append(point)
        if point.role not in self.play:
            return None
        decision = self.recorded.get(point.key)
        if decision is None and self.chooser is not None:
            decision = self.chooser(point)
            if decision is None:
                # The chooser (a script with no entry for the point) left it
                # to the plan's rule: the log says so, not "script".
                self.defaulted.add(point.key)
        decision = with_choice(point, decision or plan_decision(point))
        self.taken[point.key] = decision
        return decision


def plan_decision(point: Point) -> Decision:
    """The plan's own answer at ``point`` (what Enter or ``plan`` keeps)."""
    return Decision(None if point.role == GENERAL_HQ else point.level, point.activate)


def hold(point: Point) -> Decision:
    """The lead HQ keeps the level it has (``lead-hq``)."""
    return Decision(point.current, ())


def take_over(point: Point, take: bool) -> Decision:
    """The general HQ takes over now or declines (``general-hq``)."""
    return Decision(None, point.activate if take else ())


def with_choice(point: Point, decision: Decision) -> Decision:
    """``decision`` with the ``choice`` it means at ``point`` (none for the duty room)."""
    if point.role == GENERAL_HQ:
        taken = any(command in decision.activate for command in point.activate)
        return attrs.evolve(decision, choice="take_over" if taken else "decline")
    if point.role == LEAD_HQ and point.current is not None:
        from cmdsim.sim.decision import lead_choice

        choice = lead_choice(point.level, point.current, decision.level)
        return attrs.evolve(decision, activate=(), choice=choice)
    return decision


_CHOICE_TEXT = {
    "take_over": "take over coordination now",
    "decline": "decline the takeover for now",
    "request": "request escalation (the duty room decides)",
    "hold": "hold the level",
    "close": "close the response",
}


def decision_text(decision: Decision) -> str:
    """One line for a decision, as the console and the log show it."""
    level = decision.level.value if decision.level else "none"
    if decision.choice == "lower":
        return f"lower the level to {level}"
    if decision.choice is not None:
        return _CHOICE_TEXT.get(decision.choice, decision.choice)
    return f"level {level}; activate {', '.join(decision.activate) or 'none'}"


def check_roles(play: Iterable[str]) -> tuple[str, ...]:
    """The roles played, in the order given, once each; ``a,b`` counts as two.

    Unknown roles are one error that lists them and the valid ones.
    """
    roles = tuple(
        dict.fromkeys(part.strip() for item in play for part in item.split(",") if part.strip())
    )
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        names = ", ".join(repr(role) for role in unknown)
        plural = "s" if len(unknown) > 1 else ""
        raise ScenarioError(f"unknown role{plural} {names} (roles: {', '.join(ROLES)})")
    return roles


@attrs.frozen
class Options:
    """What a player may answer at a decision point, without the plan's answer.

    ``duty-room``: ``levels`` (the plan's levels, most severe first, then
    ``none``) and ``hqs`` (every HQ the plan activates at some level).
    ``general-hq``: ``choices`` ``take_over`` or ``decline``.  ``lead-hq``:
    at an escalation ``request`` or ``hold``; at a de-escalation ``lower``
    (to one of ``levels``, all below the current one), ``close`` or ``hold``.
    """

    role: str
    levels: tuple[str, ...] = ()
    hqs: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()


def _plan_levels(point: Point, scenario: Scenario | None) -> tuple[Level, ...]:
    plans = () if scenario is None else scenario.district.plans
    plan = next((p for p in plans if p.id == point.plan), None)
    found = tuple(plan.levels) if plan is not None and plan.levels else tuple(Level)
    return tuple(sorted(found, reverse=True))


def options(point: Point, scenario: Scenario | None = None) -> Options:
    """The answers a player has at ``point`` (see :class:`Options`)."""
    if point.role == GENERAL_HQ:
        return Options(point.role, choices=("take_over", "decline"))
    levels = _plan_levels(point, scenario)
    if point.role == LEAD_HQ:
        current = point.current
        if current is not None and point.level is not None and point.level > current:
            return Options(point.role, choices=("request", "hold"))
        below = tuple(lv.value for lv in levels if current is not None and lv < current)
        return Options(point.role, levels=below, choices=("lower", "close", "hold"))
    plans = () if scenario is None else scenario.district.plans
    plan = next((p for p in plans if p.id == point.plan), None)
    # what the plan could activate at any level, never what it proposes here
    hqs: dict[str, None] = {}
    if plan is not None:
        hqs.update(dict.fromkeys([plan.lead] if plan.lead else []))
        for level in levels:
            response = plan.levels.get(level)
            hqs.update(dict.fromkeys(response.activate if response is not None else ()))
    if scenario is not None:
        commands = scenario.district.commands
        hqs.update(dict.fromkeys(c.id for c in commands if c.general or plan is None))
    return Options(
        point.role, levels=(*(lv.value for lv in levels), "none"), hqs=tuple(sorted(hqs))
    )


def answer(
    point: Point,
    offered: Options,
    *,
    level: str | None = None,
    activate: Iterable[str] = (),
    choice: str | None = None,
    rationale: str = "",
    player: str = "",
) -> Decision:
    """A player's answer at ``point`` as a decision, checked against ``offered``.

    ``duty-room``: ``level`` (one of the offered levels or ``none``) and
    ``activate``; ``general-hq``: ``choice``; ``lead-hq``: ``choice`` and,
    to lower, ``level``.  Anything not offered is a :class:`Refusal` (a
    :class:`ScenarioError`) naming its field, and so is a field the role
    does not answer with (the general HQ's
    ``level`` or ``activate``, the duty room's ``choice``): it would have no
    effect.
    """
    hqs_given = tuple(activate)
    if point.role == GENERAL_HQ and (level not in (None, "") or hqs_given):
        extra = "level" if level not in (None, "") else "activate"
        raise Refusal(
            f"the general HQ answers take_over or decline (choice): {extra} would have no effect",
            extra,
        )
    if point.role == DUTY_ROOM and choice not in (None, ""):
        raise Refusal(
            "the duty room answers with a level and the HQs to activate: "
            "choice would have no effect",
            "choice",
        )
    activate = hqs_given
    if point.role == GENERAL_HQ or point.role == LEAD_HQ:
        if choice not in offered.choices:
            raise Refusal(
                f"choose one of {', '.join(offered.choices)} (got {choice or 'nothing'!r})",
                "choice",
            )
        if point.role == GENERAL_HQ:
            decision = take_over(point, choice == "take_over")
        elif choice == "request":
            decision = Decision(point.level, ())
        elif choice == "hold":
            decision = hold(point)
        elif choice == "close":
            decision = Decision(None, ())
        else:
            if level not in offered.levels:
                raise Refusal(
                    f"lower to one of {', '.join(offered.levels) or 'no level'} (got {level!r})",
                    "level",
                )
            decision = Decision(Level.parse(level), ())
    else:
        if level not in offered.levels:
            raise Refusal(f"level: one of {', '.join(offered.levels)} (got {level!r})", "level")
        hqs = tuple(dict.fromkeys(activate))
        unknown = [hq for hq in hqs if hq not in offered.hqs]
        if unknown:
            raise Refusal(
                f"activate: unknown HQ {', '.join(map(repr, unknown))} "
                f"(HQs: {', '.join(offered.hqs)})",
                "activate",
            )
        decision = Decision(None if level == "none" else Level.parse(level), hqs)
    decision = attrs.evolve(decision, rationale=rationale.strip(), player=player.strip())
    return with_choice(point, decision)
