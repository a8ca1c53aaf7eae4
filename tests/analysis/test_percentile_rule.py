"""The rule a summary's percentiles follow (docs/statistics.md): the p-th
percentile of n values is their k-th smallest, k = 1 + floor(p (n − 1) / 100),
read from its DDSketch bucket; and which percentiles n values are too few for."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmdsim.analysis.colstats import ColumnCollector, SketchCounts
from cmdsim.analysis.percentiles import (
    PERCENTILE_KEYS,
    PERCENTILE_NEEDS,
    PERCENTILES,
    percentile_needs,
    percentile_rank,
    thin_percentiles,
)
from cmdsim.analysis.stats import RELATIVE_ACCURACY, Accumulator

# Magnitudes the sketch keys (not below its smallest bucket, which it counts as
# zero), of both signs, exact zeros, and many repeats.
magnitude = st.floats(1e-3, 1e6, allow_nan=False)
value = st.one_of(
    magnitude, magnitude.map(lambda x: -x), st.just(0.0), st.integers(1, 9).map(float)
)


def _close(estimate: float, exact: float) -> bool:
    """Within DDSketch's guarantee: ``|estimate − x| ≤ a |x|`` (0 answered as 0)."""
    return abs(estimate - exact) <= RELATIVE_ACCURACY * abs(exact) * (1 + 1e-12)


@given(st.lists(value, min_size=1, max_size=150))
def test_each_percentile_is_its_order_statistic(values: list[float]) -> None:
    """For any sample, each reported percentile is the order statistic the
    stated rule names, within the sketch's relative accuracy, from the batch's
    column-wise statistics and from the value-by-value accumulator alike."""
    ordered = sorted(values)
    n = len(values)
    acc = Accumulator()
    for x in values:
        acc.add(x)
    collector = ColumnCollector()
    rows = [(x,) for x in values]
    collector.add_rows(("m",), rows)
    collector.merge_sketches(SketchCounts.of_rows(("m",), rows))
    entry = collector.summary()["metrics"]["m"]
    for p, key in zip(PERCENTILES, PERCENTILE_KEYS, strict=True):
        exact = ordered[percentile_rank(p, n) - 1]
        assert _close(acc.percentile(p), exact), (p, exact, acc.percentile(p))
        assert entry[key] == acc.percentile(p)
    assert entry["thin"] == thin_percentiles(n)


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=300))
def test_the_rank_is_numpys_lower_method(values: list[float]) -> None:
    """``percentile_rank`` is numpy's ``quantile(method="lower")``, which the
    docs name: the same order statistic, exactly."""
    ordered = sorted(values)
    for p in PERCENTILES:
        lower = float(np.quantile(np.array(values), p / 100, method="lower"))
        assert ordered[percentile_rank(p, len(values)) - 1] == lower


@pytest.mark.parametrize("p", PERCENTILES)
def test_a_thin_percentile_is_an_extreme_or_next_to_it(p: int) -> None:
    """Below what it needs, a percentile has at most one value beyond it on
    its short side (it stands for the max or min, or the one next to them);
    from what it needs on, at least one is expected there (n × min(q, 1 − q) ≥ 1)."""
    need = percentile_needs(p)
    for n in range(1, 1001):
        k = percentile_rank(p, n)
        beyond = n - k if p > 50 else k - 1
        if n < need:
            assert beyond <= 1, (p, n, k)
        else:
            assert n * min(p, 100 - p) >= 100


def test_a_p99_of_24_is_the_second_largest_and_marked() -> None:
    """The case that asked for the mark: 24 replications' p99 is the second
    largest value (k = 1 + floor(0.99 × 23) = 23) and the summary says p99
    needs 100; p05 and p95 (20 each) are supported by 24."""
    acc = Accumulator()
    for x in range(1, 25):
        acc.add(float(x))
    assert percentile_rank(99, 24) == 23
    assert acc.percentile(99) == pytest.approx(23.0, rel=RELATIVE_ACCURACY)
    entry = acc.to_dict()
    assert entry["thin"] == ["p99"]
    assert entry["p99"] == acc.percentile(99)  # the value is kept, only marked
    assert PERCENTILE_NEEDS == {
        "p05": 20,
        "p25": 4,
        "p50": 2,
        "p75": 4,
        "p90": 10,
        "p95": 20,
        "p99": 100,
    }
    assert thin_percentiles(12) == ["p05", "p95", "p99"]
    assert thin_percentiles(1) == list(PERCENTILE_KEYS)  # one value supports none
    assert thin_percentiles(0) == []  # never observed: no percentiles to mark
    assert thin_percentiles(100) == []
