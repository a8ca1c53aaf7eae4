"""Accumulators travel between processes with only their filled sketch buckets."""

from __future__ import annotations

import math
import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis.stats import Accumulator

values = st.lists(
    st.one_of(
        st.floats(-1e4, 1e4, allow_nan=False),
        st.just(0.0),
        st.just(math.nan),
    ),
    max_size=60,
)
QUANTILES = (0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0)


def _fed(xs: list[float]) -> Accumulator:
    acc = Accumulator()
    for x in xs:
        acc.add(x)
    return acc


def _answers(acc: Accumulator) -> tuple[object, ...]:
    sketch = acc.sketch
    return (
        acc.count,
        acc.missing,
        acc.mean,
        acc.variance if acc.count > 1 else None,
        acc.minimum,
        acc.maximum,
        sketch.count,
        sketch.sum,
        tuple(sketch.get_quantile_value(q) for q in QUANTILES),
    )


@settings(max_examples=60, deadline=None)
@given(values, values)
def test_a_pickled_accumulator_answers_and_merges_exactly_as_the_original(
    first: list[float], second: list[float]
) -> None:
    a, b = _fed(first), _fed(second)
    a2, b2 = pickle.loads(pickle.dumps(a)), pickle.loads(pickle.dumps(b))
    assert _answers(a2) == _answers(a)
    a.sketch.merge(b.sketch)
    a2.sketch.merge(b2.sketch)
    assert _answers(a2) == _answers(a)
    # Adding after the trip lands in the same buckets as adding before it.
    for x in (0.5, 3000.0, -7.0):
        a.add(x)
        a2.add(x)
    assert _answers(a2) == _answers(a)


def test_a_pickled_accumulator_is_small() -> None:
    acc = _fed([float(x) for x in range(1, 51)])
    assert len(pickle.dumps(acc)) < 1500
