"""Which values of an incident attribute a condition admits, as intervals.

Counts (deaths, injuries, households) are whole numbers and warning signals
are ranks 1 (blue) to 4 (red): their intervals are normalised to closed
integer bounds, so ``deaths <= 2`` and ``deaths >= 3`` leave no hole.  The
other attributes are non-negative reals.
"""

from __future__ import annotations

import math

import attrs

from cmdsim.check.words import Phrase, say
from cmdsim.model import Condition, Op, Signal

INF = math.inf

COUNTS = frozenset({"deaths", "serious_injuries", "casualties", "households"})
"""Attributes that only take whole values."""


def discrete(attribute: str) -> bool:
    return attribute in COUNTS or attribute == "signal"


@attrs.frozen
class Interval:
    """Values from ``lo`` to ``hi``; an open end excludes its bound."""

    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False

    @property
    def empty(self) -> bool:
        return self.lo > self.hi or (self.lo == self.hi and (self.lo_open or self.hi_open))

    @property
    def bounded(self) -> bool:
        return self.hi != INF

    def intersect(self, other: Interval) -> Interval:
        if self.lo > other.lo or (self.lo == other.lo and self.lo_open):
            lo, lo_open = self.lo, self.lo_open
        else:
            lo, lo_open = other.lo, other.lo_open
        if self.hi < other.hi or (self.hi == other.hi and self.hi_open):
            hi, hi_open = self.hi, self.hi_open
        else:
            hi, hi_open = other.hi, other.hi_open
        return Interval(lo, hi, lo_open, hi_open)

    def meets(self, other: Interval) -> bool:
        return not self.intersect(other).empty

    def text(self, attribute: str) -> str:
        if attribute == "signal":
            names = [str(s.value) for s in Signal]
            first, last = int(self.lo), int(self.hi)
            if first == last:
                return f"signal {names[first - 1]}"
            return f"signal {names[first - 1]} to {names[last - 1]}"
        if discrete(attribute):
            if self.hi == INF:
                return f"{attribute} {self.lo:g} or more"
            if self.lo == self.hi:
                return f"{attribute} = {self.lo:g}"
            return f"{attribute} from {self.lo:g} to {self.hi:g}"
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open or self.hi == INF else "]"
        hi = "inf" if self.hi == INF else f"{self.hi:g}"
        return f"{attribute} in {left}{self.lo:g}, {hi}{right}"

    def words(self, attribute: str) -> Phrase:
        """:meth:`text` as a phrase, for a message in any language."""
        if attribute == "signal":
            names = [str(s.value) for s in Signal]
            first, last = int(self.lo), int(self.hi)
            if first == last:
                return say("band.signal", colour=say(f"colour.{names[first - 1]}"))
            low, high = (say(f"colour.{names[i - 1]}") for i in (first, last))
            return say("band.signals", low=low, high=high)
        if discrete(attribute):
            if self.hi == INF:
                return say("band.or_more", attribute=attribute, lo=self.lo)
            if self.lo == self.hi:
                return say("band.equal", attribute=attribute, lo=self.lo)
            return say("band.from_to", attribute=attribute, lo=self.lo, hi=self.hi)
        left = "(" if self.lo_open else "["
        right = ")" if self.hi_open or self.hi == INF else "]"
        hi = "inf" if self.hi == INF else f"{self.hi:g}"
        return say("band.in", attribute=attribute, left=left, lo=self.lo, hi=hi, right=right)


def domain(attribute: str) -> Interval:
    """Every value the attribute can take.

    A signal's are the colours' ranks; no signal in force (before the first,
    or after a lift, ``signal: lifted``) is no value at all: no condition on
    the signal holds then, not even ``signal <= blue``."""
    if attribute == "signal":
        return Interval(1.0, float(len(Signal)))
    return Interval(0.0, INF)


def normalise(attribute: str, interval: Interval) -> Interval:
    """Clip to the attribute's domain; close integer bounds for whole values."""
    clipped = interval.intersect(domain(attribute))
    if not discrete(attribute) or clipped.empty:
        return clipped
    lo = math.floor(clipped.lo) + 1 if clipped.lo_open else math.ceil(clipped.lo)
    if clipped.hi == INF:
        hi = INF
    else:
        hi = math.ceil(clipped.hi) - 1 if clipped.hi_open else math.floor(clipped.hi)
    return Interval(float(lo), float(hi))


def of_condition(condition: Condition) -> Interval:
    """The values a condition admits, normalised to its attribute's domain."""
    value = condition.value
    x = float(value.rank) if isinstance(value, Signal) else float(value)
    match condition.op:
        case Op.GE:
            raw = Interval(x, INF)
        case Op.GT:
            raw = Interval(x, INF, lo_open=True)
        case Op.LE:
            raw = Interval(-INF, x)
        case Op.LT:
            raw = Interval(-INF, x, hi_open=True)
        case Op.EQ:
            raw = Interval(x, x)
    return normalise(condition.attribute, raw)


def merge(attribute: str, intervals: list[Interval]) -> list[Interval]:
    """The union as disjoint intervals in ascending order."""
    spans = sorted((i for i in intervals if not i.empty), key=lambda i: (i.lo, i.lo_open))
    out: list[Interval] = []
    for span in spans:
        if out and not hole_between(attribute, out[-1], span):
            last = out[-1]
            if span.hi > last.hi or (span.hi == last.hi and last.hi_open and not span.hi_open):
                out[-1] = Interval(last.lo, span.hi, last.lo_open, span.hi_open)
            continue
        out.append(span)
    return out


def hole_between(attribute: str, low: Interval, high: Interval) -> Interval | None:
    """The values strictly between ``low`` and a ``high`` that starts no earlier."""
    if discrete(attribute):
        if high.lo > low.hi + 1:
            return Interval(low.hi + 1, high.lo - 1)
        return None
    if high.lo > low.hi or (high.lo == low.hi and low.hi_open and high.lo_open):
        return Interval(low.hi, high.lo, lo_open=not low.hi_open, hi_open=not high.lo_open)
    return None
