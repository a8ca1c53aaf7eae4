"""The rule a summary's percentiles follow, and which ones a count supports.

A batch's ``p05`` … ``p99`` come from DDSketch (:mod:`cmdsim.analysis.stats`,
:mod:`cmdsim.analysis.colstats`), which ranks ``q × (n − 1)`` and rounds down:
the p-th percentile of ``n`` values stands for their k-th smallest,
``k = 1 + floor(p (n − 1) / 100)`` (numpy's ``quantile(method="lower")``),
within the sketch's relative accuracy.  Below :func:`percentile_needs` values
a percentile is an extreme or the value next to it, whatever the tail does:
the summary keeps the number and lists it under the metric's ``thin``
(docs/statistics.md; ``tests/analysis/test_percentile_rule.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

PERCENTILES = (5, 25, 50, 75, 90, 95, 99)

PERCENTILE_RULE = (
    "the k-th smallest of the n values, k = 1 + floor(p (n - 1) / 100) "
    "(numpy's method='lower'), as DDSketch's bucket of it (within "
    "relative_accuracy), clipped to [min, max]"
)
"""How a summary's ``pNN`` is estimated (docs/statistics.md): DDSketch's rank
rule, ``rank = q × (n − 1)`` rounded down, read as an order statistic."""


def percentile_rank(p: float, n: int) -> int:
    """The order statistic (1-based) a summary's ``p``-th percentile of ``n``
    values stands for: ``1 + floor(p (n − 1) / 100)``, as DDSketch ranks
    (``q × (n − 1)`` in floating point equals the exact product rounded down
    for the :data:`PERCENTILES` and every ``n`` up to 200,000)."""
    return 1 + math.floor(p / 100.0 * (n - 1))


def percentile_needs(p: float) -> int:
    """Values the ``p``-th percentile needs before it says something of its
    tail: one expected beyond it on its short side, ``ceil(100 / min(p,
    100 − p))`` (p99 and p01: 100; p95 and p05: 20; p90: 10; p75 and p25: 4;
    p50: 2).  With fewer, a ``p99`` is the second largest value whatever the
    tail does, and a ``p05`` the smallest."""
    return math.ceil(100 / min(p, 100 - p))


PERCENTILE_KEYS = tuple(f"p{p:02d}" for p in PERCENTILES)
"""The summary's field of each of :data:`PERCENTILES`: ``p05`` … ``p99``."""

PERCENTILE_NEEDS: dict[str, int] = {
    key: percentile_needs(p) for key, p in zip(PERCENTILE_KEYS, PERCENTILES, strict=True)
}
""":func:`percentile_needs` of each summary field: ``{"p05": 20, …, "p99": 100}``."""


def percentile_note() -> dict[str, Any]:
    """A summary's ``percentiles`` field: the rule its ``pNN`` follow and the
    values each needs (a metric's ``thin`` lists those its count falls short of)."""
    return {"rule": PERCENTILE_RULE, "needs": dict(PERCENTILE_NEEDS)}


def thin_percentiles(count: int, keys: Sequence[str] = PERCENTILE_KEYS) -> list[str]:
    """Those of ``keys`` (``pNN``) that ``count`` values are too few for
    (:func:`percentile_needs`); none of a metric never observed, which has
    no percentiles at all."""
    if count == 0:
        return []
    return [key for key in keys if count < percentile_needs(int(key[1:]))]
