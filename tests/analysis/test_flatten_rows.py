"""The batch's quick ways from a run to a chunk's rows give what the general
ones give: ``flatten`` (plain types decided inline) against ``flatten_data``,
``Chunk.of_records`` and ``Chunk.aligned`` against rows read key by key."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis.chunks import Chunk, ChunkTask
from cmdsim.analysis.metrics import flatten, flatten_data


class Record:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def to_data(self) -> dict[str, Any]:
        return self.data


keys = st.sampled_from(["a", "b", "level", "peak_level", "x.level", "", "1", "met"])
leaves = st.one_of(
    st.floats(allow_nan=True),
    st.just(-0.0),
    st.none(),
    st.integers(-5, 5),
    st.booleans(),
    st.sampled_from(["I", "II", "III", "IV", "iv", "V", "text"]),
    st.lists(st.sampled_from(["x", "y"]), max_size=2),
    st.tuples(st.integers()),
    st.builds(np.float64, st.floats(-10, 10)),
    st.builds(np.bool_, st.booleans()),
    st.builds(np.int64, st.integers(-9, 9)),
)
nested = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.dictionaries(keys, inner, max_size=4),
        st.dictionaries(keys, inner, max_size=3).map(Record),
        st.dictionaries(st.integers(0, 3), inner, max_size=2),
    ),
    max_leaves=25,
)


def same(a: dict[str, float], b: dict[str, float]) -> bool:
    """Same keys in the same order, same values bit for bit (NaN equal)."""
    if list(a) != list(b):
        return False
    return all(
        (math.isnan(x) and math.isnan(y)) or (x == y and math.copysign(1, x) == math.copysign(1, y))
        for x, y in zip(a.values(), b.values(), strict=True)
    )


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, nested, max_size=5))
def test_flatten_is_flatten_data(metrics: dict[str, Any]) -> None:
    assert same(flatten(metrics), flatten_data(metrics))


def test_flatten_of_an_engine_run_is_flatten_data() -> None:
    from cmdsim.analysis.seeds import replication_seed
    from cmdsim.bundled import flagship
    from cmdsim.io import load_scenario
    from cmdsim.sim import SimOptions, simulate

    scenario = load_scenario(flagship())
    result = simulate(scenario, replication_seed(4, 0), options=SimOptions(log=False))
    flat = flatten(result)
    assert len(flat) > 500
    assert same(flat, flatten_data(result.metrics))


NAMES = ["m1", "m2", "m3", "m4", "onset_band"]


def same_rows(columns: Any, got: list[tuple[float, ...]], want: list[tuple[float, ...]]) -> bool:
    return len(got) == len(want) and all(
        same(dict(zip(columns, a, strict=True)), dict(zip(columns, b, strict=True)))
        for a, b in zip(got, want, strict=True)
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.sampled_from(NAMES), st.floats(allow_nan=True), max_size=5),
        min_size=1,
        max_size=8,
    ),
    st.lists(st.sampled_from([*NAMES, "other"]), unique=True, max_size=6),
)
def test_rows_are_the_records_key_by_key(records: list[dict[str, float]], columns: list) -> None:
    task = ChunkTask(0, 0, len(records), None, 0, None)  # type: ignore[arg-type]
    chunk = Chunk.of_records(task, records)
    assert chunk.columns == tuple(sorted({k for r in records for k in r}))
    expected = [tuple(r.get(c, math.nan) for c in chunk.columns) for r in records]
    assert same_rows(chunk.columns, list(chunk.rows), expected)
    for wanted in (columns, list(chunk.columns)):
        by_key = [tuple(r.get(c, math.nan) for c in wanted) for r in chunk.records()]
        assert same_rows(wanted, list(chunk.aligned(wanted)), by_key)
