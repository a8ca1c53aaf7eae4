"""Coordinating bodies, responsibility lists and community first actions.

The district's committees (委员会) are bodies of the organisation beside the
HQs: the work-safety committee (安委会) with its specialised committees
(专委会) and the disaster-prevention committee (灾防委).  A body has member
units, an office (the unit that runs it day to day), the hazards and HQs it
coordinates, and rules for when it is notified and when it is convened.

Responsibility lists (in the spirit of the 安全生产四类清单) say who owns
each regulated duty: a hazard × a kind of duty, owned by exactly one unit,
HQ or body.

A residential or village committee's first actions (先期处置) under its
community emergency handbook (社区应急工作手册) are data too: with a
handbook they start as soon as the committee knows; without one, once the
town room's instructions arrive.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from cmdsim.errors import ModelError
from cmdsim.model import validators as v
from cmdsim.model.levels import Level
from cmdsim.model.timing import BandFactors, Delay, Fixed, LogNormal


class BodyKind(enum.Enum):
    WORK_SAFETY = "work_safety"
    """安委会: the work-safety committee."""
    SPECIALISED = "specialised"
    """专委会: one of the work-safety committee's specialised committees."""
    DISASTER_PREVENTION = "disaster_prevention"
    """灾防委: the disaster prevention and relief committee."""


@attrs.frozen
class BodyRule:
    """When a body is notified or convened: every condition stated holds.

    ``min_level``: an incident of one of ``hazards`` (the body's own when
    left out) is at that level or above (left out: any level decided);
    ``min_active``: at least that many of the HQs the body coordinates are
    active at once (0: no such condition).  ``delay`` is the time from the
    rule holding to the body being notified or met (times the body's band
    factor).
    """

    min_level: Level | None = None
    hazards: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)
    min_active: int = attrs.field(converter=v.whole, default=0, validator=v.people)
    delay: Delay = Fixed(0.0)


@attrs.frozen
class Body:
    """A coordinating body: 安委会, one of its 专委会, or 灾防委.

    ``parent`` is the body a specialised committee belongs to (parents may
    not go round in a circle: :func:`parent_cycles`); ``office``
    the unit that runs it (its 办公室); ``commands`` the HQs it coordinates.
    Any rule of ``notify`` holding notifies it; any of ``convene`` convenes
    it (a meeting of its members), which notifies it too if it was not.
    """

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    kind: BodyKind = BodyKind.SPECIALISED
    parent: str | None = None
    office: str = attrs.field(kw_only=True, validator=v.ref)
    members: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)
    hazards: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)
    commands: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)
    notify: tuple[BodyRule, ...] = attrs.field(default=(), converter=v.items)
    convene: tuple[BodyRule, ...] = attrs.field(default=(), converter=v.items)
    factors: BandFactors = BandFactors(night=1.5, holiday=1.3)
    source: str = ""

    def __attrs_post_init__(self) -> None:
        if self.parent == self.id:
            raise ModelError("a body cannot be its own parent", "parent")


class DutyKind(enum.Enum):
    """Kinds of regulated duty (illustrative; the seed names the lists, not the kinds)."""

    SUPERVISION = "supervision"
    """行业监管: supervising the sector's safety."""
    INSPECTION = "inspection"
    """隐患排查治理: finding and fixing hazards."""
    COORDINATION = "coordination"
    """综合协调: coordinating the units concerned."""
    RESPONSE = "response"
    """应急处置: leading the response to an incident."""
    INVESTIGATION = "investigation"
    """事故调查: investigating an accident."""


def _some_kinds(kinds: tuple[DutyKind, ...]) -> None:
    if not kinds:
        raise ModelError("lists no kind of duty", "kinds")


@attrs.frozen
class RegulatedDuty:
    """Duties of one hazard that the district regulates: one owner each."""

    hazard: str = attrs.field(validator=v.ref)
    kinds: tuple[DutyKind, ...] = attrs.field(converter=v.items)
    source: str = ""

    def __attrs_post_init__(self) -> None:
        _some_kinds(self.kinds)


@attrs.frozen
class Responsibility:
    """A line of a responsibility list (清单): ``owner`` owns these duties.

    The owner is a unit, an HQ or a body.
    """

    owner: str = attrs.field(validator=v.ref)
    hazard: str = attrs.field(validator=v.ref)
    kinds: tuple[DutyKind, ...] = attrs.field(converter=v.items)
    source: str = ""

    def __attrs_post_init__(self) -> None:
        _some_kinds(self.kinds)


@attrs.frozen
class FirstAction:
    """A committee's first action under its handbook: warn residents,
    evacuate a compound, ….

    It starts when the committee may act (at once with a handbook, after
    the town room's instructions without) or, with ``after``, when that
    action is done; it takes ``duration`` (times the band factor).
    ``hazards`` limits it to incidents of those hazards (empty: all).
    """

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    duration: Delay = LogNormal(median=20.0, sigma=0.5)
    after: str | None = None
    hazards: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)

    def covers(self, hazard: str) -> bool:
        return not self.hazards or hazard in self.hazards


@attrs.frozen
class CommunityResponse:
    """What residential and village committees do first (先期处置).

    ``instructions`` is the wait of a committee without a handbook for its
    town's instructions (times ``factors``), from when the duty room that
    handles the incident knows of it (:mod:`cmdsim.sim.community`); it holds
    back its ``actions``, not its information officer's report.  A
    committee with a handbook acts at once on a hazard its handbook covers.
    ``handbook_hazards`` are the hazards the district's community handbook
    covers (empty: all): on any other hazard a committee with a handbook
    waits for instructions as one without.
    """

    actions: tuple[FirstAction, ...] = attrs.field(
        default=(), converter=v.items, validator=v.unique_ids
    )
    handbook_hazards: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)
    instructions: Delay = LogNormal(median=30.0, sigma=0.5)
    factors: BandFactors = BandFactors(night=1.5, holiday=1.3)
    source: str = ""

    def covers(self, hazard: str) -> bool:
        """Whether the community handbook covers ``hazard``."""
        return not self.handbook_hazards or hazard in self.handbook_hazards

    def __attrs_post_init__(self) -> None:
        ids = [a.id for a in self.actions]
        for index, action in enumerate(self.actions):
            if action.after is None:
                continue
            if action.after not in ids[:index]:
                if action.after in ids:
                    where = "comes later"
                else:
                    close = difflib.get_close_matches(action.after, ids[:index], n=1, cutoff=0.6)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    where = f"is not an action{hint}"
                raise ModelError(
                    f"{action.after!r} {where}: 'after' names an action listed before this one",
                    f"actions[{index}].after",
                )


Check = Callable[[str | None, Mapping[str, Any], str, str], None]
"""``check(ref, known, what, path)``: records a reference that names nothing."""


def reference_errors(district: Any, check: Check) -> None:
    """Check the bodies', duties' and community actions' references."""
    hazards = {h.id: h for h in district.hazards}
    units = {u.id: u for u in district.units}
    commands = {c.id: c for c in district.commands}
    bodies = {b.id: b for b in district.bodies}
    for bi, body in enumerate(district.bodies):
        base = f"bodies[{bi}]"
        check(body.parent, bodies, "body", f"{base}.parent")
        check(body.office, units, "unit", f"{base}.office")
        for mi, member in enumerate(body.members):
            check(member, units, "unit", f"{base}.members[{mi}]")
        for hi, hazard in enumerate(body.hazards):
            check(hazard, hazards, "hazard", f"{base}.hazards[{hi}]")
        for ci, command in enumerate(body.commands):
            check(command, commands, "command", f"{base}.commands[{ci}]")
        for name in ("notify", "convene"):
            for ri, rule in enumerate(getattr(body, name)):
                for hi, hazard in enumerate(rule.hazards):
                    check(hazard, hazards, "hazard", f"{base}.{name}[{ri}].hazards[{hi}]")
    for di, duty in enumerate(district.duties):
        check(duty.hazard, hazards, "hazard", f"duties[{di}].hazard")
    owners = {**units, **commands, **bodies}
    for ri, line in enumerate(district.responsibilities):
        check(line.owner, owners, "unit, command or body", f"responsibilities[{ri}].owner")
        check(line.hazard, hazards, "hazard", f"responsibilities[{ri}].hazard")
    for ai, action in enumerate(district.community.actions):
        for hi, hazard in enumerate(action.hazards):
            check(hazard, hazards, "hazard", f"community.actions[{ai}].hazards[{hi}]")
    for hi, hazard in enumerate(district.community.handbook_hazards):
        check(hazard, hazards, "hazard", f"community.handbook_hazards[{hi}]")


def shared_id_errors(district: Any) -> list[ModelError]:
    """Community actions whose id is also a committee's.

    A run draws a committee's wait for instructions and an action's
    duration from random streams named by the incident and that id
    (``cmdsim.sim.streams.community_stream`` and ``community_action_stream``):
    with one id the two would draw from one stream and each would move the
    other's draws, silently.  The names stay (renaming them would move every
    result), so the ids must differ.
    """
    committees: dict[str, str] = {}
    for ti, town in enumerate(district.towns):
        for ci, committee in enumerate(town.committees):
            committees.setdefault(committee.id, f"towns[{ti}].committees[{ci}] ({town.id})")
    errors: list[ModelError] = []
    for ai, action in enumerate(district.community.actions):
        where = committees.get(action.id)
        if where is not None:
            errors.append(
                ModelError(
                    f"community action {action.id!r} has the id of committee {where}: a "
                    "committee's instructions wait and an action's duration draw from random "
                    "streams named by the id, so they must differ (rename the action)",
                    f"community.actions[{ai}].id",
                )
            )
    return errors


def parent_cycles(bodies: tuple[Body, ...]) -> list[ModelError]:
    """Bodies whose ``parent`` links go round in a circle (A's parent B, B's A).

    A circle leaves no body on top to coordinate the others.  Each circle is
    reported once, at the ``parent`` that closes it (the last body reached
    on the walk from the first listed member); an unknown parent ends a walk
    (it is reported as an unknown reference), and a body that is its own
    parent is the model's own error.
    """
    index = {b.id: i for i, b in enumerate(bodies)}
    state = [0] * len(bodies)  # 0 new, 1 on the current walk, 2 done
    errors: list[ModelError] = []
    for root in range(len(bodies)):
        walk: list[int] = []
        node: int | None = root
        while node is not None and state[node] == 0:
            state[node] = 1
            walk.append(node)
            parent = bodies[node].parent
            node = index.get(parent) if parent is not None and parent != bodies[node].id else None
        if node is not None and state[node] == 1:
            circle = [*walk[walk.index(node) :], node]
            names = " → ".join(bodies[i].id for i in circle)
            errors.append(
                ModelError(
                    f"parents go round in a circle: {names} (no body is on top)",
                    f"bodies[{walk[-1]}].parent",
                )
            )
        for i in walk:
            state[i] = 2
    return errors
