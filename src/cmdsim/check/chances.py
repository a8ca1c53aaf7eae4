"""How likely a delay, or two in a row, ends within a time: for CMD042.

:func:`chance_within` gives ``P(first + second <= minutes)`` for two
independent delays (a report's writing and its transmission, drawn from
their own streams), exactly when either always takes the same time and
otherwise by averaging one's distribution function over ``QUANTILES``
evenly spaced quantiles of the other (an error of about a tenth of a
percentage point).  :func:`median_of_sum` is the least time the pair ends within in
half of the draws.  Nothing here draws at random: the same delays give the
same answer, byte for byte.
"""

from __future__ import annotations

import math
from functools import cache
from statistics import NormalDist

from cmdsim.model import Delay, Empirical, Exponential, Fixed, LogNormal, Triangular

QUANTILES = 1024
"""Quantiles of a delay averaged over when neither of two always takes the same time."""

_NORMAL = NormalDist()


def point(delay: Delay) -> float | None:
    """The one value a delay always takes, or ``None`` if it varies."""
    if isinstance(delay, Fixed):
        return delay.minutes
    if isinstance(delay, LogNormal) and delay.sigma == 0:
        return delay.median
    if isinstance(delay, Triangular) and delay.low == delay.high:
        return delay.low
    if isinstance(delay, Empirical) and min(delay.samples) == max(delay.samples):
        return delay.samples[0]
    return None


def cdf(delay: Delay, minutes: float) -> float:
    """``P(delay <= minutes)``."""
    fixed = point(delay)
    if fixed is not None:
        return 1.0 if fixed <= minutes else 0.0
    if minutes < 0:
        return 0.0
    if isinstance(delay, Exponential):
        return 1.0 - math.exp(-minutes / delay.mean)
    if isinstance(delay, LogNormal):
        ratio = minutes / delay.median
        if ratio == 0.0:
            # Also a subnormal ``minutes`` whose ratio underflows: the
            # distribution's mass below it is 0.0 in floating point anyway.
            return 0.0
        return _NORMAL.cdf(math.log(ratio) / delay.sigma)
    if isinstance(delay, Triangular):
        low, mode, high = delay.low, delay.mode, delay.high
        if minutes <= low:
            return 0.0
        if minutes >= high:
            return 1.0
        if minutes <= mode:
            return (minutes - low) ** 2 / ((high - low) * (mode - low))
        return 1.0 - (high - minutes) ** 2 / ((high - low) * (high - mode))
    assert isinstance(delay, Empirical)
    return sum(1 for x in delay.samples if x <= minutes) / len(delay.samples)


def _quantile(delay: Delay, u: float) -> float:
    """The ``u``-quantile of a delay that varies and is not empirical."""
    if isinstance(delay, Exponential):
        return -delay.mean * math.log1p(-u)
    if isinstance(delay, LogNormal):
        return delay.median * math.exp(delay.sigma * _NORMAL.inv_cdf(u))
    assert isinstance(delay, Triangular)
    low, mode, high = delay.low, delay.mode, delay.high
    cut = (mode - low) / (high - low)
    if u < cut:
        return low + math.sqrt(u * (high - low) * (mode - low))
    return high - math.sqrt((1 - u) * (high - low) * (high - mode))


@cache
def _support(delay: Delay) -> tuple[tuple[float, float], ...]:
    """Values of a varying delay with their weights: an empirical delay's
    samples, else ``QUANTILES`` evenly spaced quantiles."""
    if isinstance(delay, Empirical):
        weight = 1.0 / len(delay.samples)
        return tuple((x, weight) for x in delay.samples)
    weight = 1.0 / QUANTILES
    return tuple((_quantile(delay, (i + 0.5) / QUANTILES), weight) for i in range(QUANTILES))


@cache
def chance_within(first: Delay, second: Delay, minutes: float) -> float:
    """``P(first + second <= minutes)`` for two independent delays."""
    for one, other in ((first, second), (second, first)):
        fixed = point(one)
        if fixed is not None:
            return cdf(other, minutes - fixed)
    # Average over the empirical one if there is one (exact), else over the
    # quantiles of the second.
    outer, inner = (first, second) if isinstance(first, Empirical) else (second, first)
    return sum(weight * cdf(inner, minutes - x) for x, weight in _support(outer))


def median_of_sum(first: Delay, second: Delay) -> float:
    """The least ``m`` with ``P(first + second <= m) >= 1/2`` (to 0.01 min)."""
    low, high = 0.0, 1.0
    while chance_within(first, second, high) < 0.5:
        low, high = high, high * 2
    while high - low > 0.005:
        mid = (low + high) / 2
        if chance_within(first, second, mid) >= 0.5:
            high = mid
        else:
            low = mid
    return high
