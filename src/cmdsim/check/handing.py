"""At which levels a town's case goes to the district though its town plan
covers the level: the coverage matrix's town rows (``check/matrix.py``).

Two routes, each the engine's:

- **Triggers** (:func:`handed_levels`): the town room hands a case over
  where its town plan's triggers, all of them together, set no level on
  what is known and the successor's set one
  (:func:`cmdsim.model.governing.outgrown`, asked as ``Case.outgrown``
  asks it).  Read over every picture a successor trigger fires on: the
  case goes up at that trigger's level (one higher with a raise flag) where
  some picture fires it while none of the town plan's triggers and none of
  the successor's higher ones fire.
- **A report's level** (:func:`handing`, ``reported``): a report that
  states a level (an inject's ``level``) makes the case want that level
  (``Case.wanted``), and the town room asks the same question of it: where
  the town plan's triggers set nothing on what is known and the
  successor's set a level at or below the stated one, the case goes up at
  the stated level.  So every level from the lowest a successor trigger
  sets alone up to the town plan's top is handed over on such a report.
- **A warning link** (:func:`link_levels`): the district plan's link
  (``sim/warnings.py``) starts its level on a signal and the district room
  takes the case from the town plan at once (``sim/handover.claim``), with
  no ground report, at every level the link maps a colour to.

A picture is what a room knows: an attribute a trigger does not test may be
unknown, and a condition on an unknown value does not hold, so the
pictures read are those that state only what the trigger tests.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import attrs

from cmdsim.check.intervals import INF, Interval, normalise, of_condition
from cmdsim.model import Level, Plan, Signal
from cmdsim.model.conditions import Condition, Trigger
from cmdsim.model.governing import linked_levels, outgrown
from cmdsim.model.plans import Confirmer

Box = dict[str, Interval]
"""Attribute -> the values a picture may take; the attributes not in it are unknown."""


def box_of(conditions: Sequence[Condition]) -> Box | None:
    """Attribute -> the values all ``conditions`` admit together; ``None``
    when they contradict."""
    box: Box = {}
    for condition in conditions:
        interval = of_condition(condition)
        held = box.get(condition.attribute)
        box[condition.attribute] = interval if held is None else held.intersect(interval)
        if box[condition.attribute].empty:
            return None
    return box


def ways(trigger: Trigger) -> Iterator[Box]:
    """The boxes of pictures ``trigger`` fires on: one per condition of its
    ``any_of`` (with all of ``all_of``), none that contradicts itself."""
    for chosen in trigger.any_of or (None,):
        box = box_of((*trigger.all_of, *(() if chosen is None else (chosen,))))
        if box is not None:
            yield box


def _outside(attribute: str, held: Interval, cut: Interval) -> Iterator[Interval]:
    """The values of ``held`` below ``cut`` and above it."""
    below = held.intersect(Interval(held.lo, cut.lo, held.lo_open, not cut.lo_open))
    above = held.intersect(Interval(cut.hi, held.hi, not cut.hi_open, held.hi_open))
    for part in (below, above):
        if not part.empty:
            part = normalise(attribute, part)
            if not part.empty:
                yield part


def _minus(box: Box, cut: Box) -> Iterator[Box]:
    """Disjoint boxes covering ``box`` less ``cut`` (``cut`` tests only
    attributes ``box`` has)."""
    rest = dict(box)
    for attribute, interval in cut.items():
        held = rest[attribute]
        for part in _outside(attribute, held, interval):
            yield {**rest, attribute: part}
        rest[attribute] = held.intersect(interval)


def _escape(box: Box, cuts: Sequence[Box]) -> Box | None:
    """A box of pictures in ``box`` that lie in none of ``cuts``; ``None``
    when ``cuts`` cover it."""
    for index, cut in enumerate(cuts):
        if all(box[a].meets(interval) for a, interval in cut.items()):
            later = cuts[index + 1 :]
            for part in _minus(box, cut):
                found = _escape(part, later)
                if found is not None:
                    return found
            return None
    return box


def _point(attribute: str, interval: Interval) -> Any:
    """One value of a non-empty ``interval`` (a signal's colour by rank)."""
    x = interval.lo
    if interval.lo_open:
        x = (interval.lo + interval.hi) / 2 if interval.hi != INF else interval.lo + 1
    if attribute == "signal":
        return next(s for s in Signal if s.rank == int(x))
    return float(x)


def alone(trigger: Trigger, others: Sequence[Trigger]) -> dict[str, Any] | None:
    """A picture ``trigger`` fires on and none of ``others`` does, stating
    only what ``trigger`` tests (a condition on an attribute it does not
    test does not hold there); ``None`` when there is none."""
    for box in ways(trigger):
        cuts = [
            cut
            for other in others
            for cut in ways(other)
            if all(attribute in box for attribute in cut)
        ]
        found = _escape(box, cuts)
        if found is not None:
            return {attribute: _point(attribute, found[attribute]) for attribute in found}
    return None


@attrs.frozen
class Witness:
    """What a town room knows (``known``, stating only what the successor's
    trigger tests), whether the triggers are read with a raise flag
    (``flagged``: an incident's flag, or a holiday), and the level a report
    states (``reported``; ``None``: no report states one), on which its case
    goes to the successor."""

    known: dict[str, Any]
    flagged: bool = False
    reported: Level | None = None


@attrs.frozen
class Handing:
    """The levels at or below the top of a town plan's triggers at which its
    case goes to the successor all the same, by each route, with a witness
    for each level (:attr:`witness`, the trigger route's where it has one)."""

    triggered: frozenset[Level] = frozenset()
    """Where the successor's triggers set the level while the town plan's set none."""
    reported: frozenset[Level] = frozenset()
    """Where only a report stating the level hands the case over (not in
    :attr:`triggered`): the successor's triggers set a lower level alone."""
    witness: dict[Level, Witness] = attrs.field(factory=dict)


NOTHING_HANDED = Handing()

HandedMemo = dict[tuple[tuple[Trigger, ...], tuple[Trigger, ...], bool], Handing]
"""Answers of :func:`handing` by the triggers asked about."""


def handing(local: Plan, after: Plan, memo: HandedMemo | None = None) -> Handing:
    """The levels at or below the top of town plan ``local``'s triggers at
    which its case goes to ``after`` all the same: where ``local``'s
    triggers, together, set no level and ``after``'s set one
    (:func:`cmdsim.model.governing.outgrown`, the engine's rule).

    By the triggers (:attr:`Handing.triggered`): the level of each of
    ``after``'s triggers (one higher with a raise flag) that can fire while
    none of ``local``'s and none of ``after``'s higher ones does.  Town
    triggers that cover a successor trigger only together (one death, or
    one serious injury) hand nothing over, as none alone would.  By a
    report stating a level (:attr:`Handing.reported`): the case wants the
    higher of the stated level and the triggers' (``Case.wanted``), so on
    the same picture every stated level from the lowest such trigger's up
    to the top goes up too."""
    key = (local.triggers, after.triggers, bool(after.raise_flags))
    if memo is not None:
        found = memo.get(key)
        if found is None:
            found = memo[key] = _handing(*key)
        return found
    return _handing(*key)


def handed_levels(local: Plan, after: Plan, memo: HandedMemo | None = None) -> frozenset[Level]:
    """The levels :func:`handing` hands over at by the successor's triggers."""
    return handing(local, after, memo).triggered


def _handing(local: tuple[Trigger, ...], after: tuple[Trigger, ...], raised: bool) -> Handing:
    top = max((t.level for t in local), default=None)
    if top is None:
        return NOTHING_HANDED
    witness: dict[Level, Witness] = {}
    lowest: tuple[Level, dict[str, Any]] | None = None
    for trigger in after:
        higher = [t for t in after if t.level > trigger.level]
        picture = alone(trigger, (*local, *higher))
        if picture is None:
            continue
        if lowest is None or trigger.level < lowest[0]:
            lowest = (trigger.level, picture)
        levels = {trigger.level, trigger.level.raised()} if raised else {trigger.level}
        for level in sorted(levels):
            if level <= top and outgrown(top, level, None, level):
                witness.setdefault(level, Witness(picture, level != trigger.level))
    triggered = frozenset(witness)
    if lowest is not None:
        low, picture = lowest
        for level in Level:
            if low <= level <= top and level not in witness:
                witness[level] = Witness(picture, reported=level)
    return Handing(triggered, frozenset(witness) - triggered, witness)


def link_levels(plan: Plan, warned: bool) -> frozenset[Level]:
    """The levels at which ``plan``'s warning link takes a town's case from
    its town plan (``plan`` the district room decides the incident by, not
    the town plan itself): every level the link maps a colour to, where the
    link fires — confirmed by the HQ's office, or by the duty room when a
    warning channel covers the hazard (``warned``; else CMD018)."""
    link = plan.warnings
    if link is None or (link.confirm_by is Confirmer.DUTY_ROOM and not warned):
        return frozenset()
    return linked_levels(plan)


__all__ = [
    "NOTHING_HANDED",
    "Box",
    "HandedMemo",
    "Handing",
    "Witness",
    "alone",
    "box_of",
    "handed_levels",
    "handing",
    "link_levels",
    "ways",
]
