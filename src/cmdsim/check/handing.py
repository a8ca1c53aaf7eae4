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


HandedMemo = dict[tuple[tuple[Trigger, ...], tuple[Trigger, ...], bool], frozenset[Level]]
"""Answers of :func:`handed_levels` by the triggers asked about."""


def handed_levels(local: Plan, after: Plan, memo: HandedMemo | None = None) -> frozenset[Level]:
    """The levels at or below the top of town plan ``local``'s triggers at
    which its case goes to ``after`` all the same: where ``local``'s
    triggers, together, set no level and ``after``'s set one
    (:func:`cmdsim.model.governing.outgrown`, the engine's rule) — the level
    of each of ``after``'s triggers (one higher with a raise flag) that can
    fire while none of ``local``'s and none of ``after``'s higher ones does.
    Town triggers that cover a successor trigger only together (one death,
    or one serious injury) hand nothing over, as none alone would."""
    key = (local.triggers, after.triggers, bool(after.raise_flags))
    if memo is not None:
        found = memo.get(key)
        if found is None:
            found = memo[key] = _handed(*key)
        return found
    return _handed(*key)


def _handed(
    local: tuple[Trigger, ...], after: tuple[Trigger, ...], raised: bool
) -> frozenset[Level]:
    top = max((t.level for t in local), default=None)
    if top is None:
        return frozenset()
    out: set[Level] = set()
    for trigger in after:
        higher = [t for t in after if t.level > trigger.level]
        if alone(trigger, (*local, *higher)) is None:
            continue
        levels = {trigger.level, trigger.level.raised()} if raised else {trigger.level}
        out |= {level for level in levels if level <= top and outgrown(top, level, None, level)}
    return frozenset(out)


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
    "Box",
    "HandedMemo",
    "alone",
    "box_of",
    "handed_levels",
    "link_levels",
    "ways",
]
