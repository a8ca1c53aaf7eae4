"""A batch's column-wise statistics (``analysis/colstats.py``) give the
summary of the value-by-value ``Collector`` byte for byte, and percentiles
from DDSketch's own buckets, however the replications are chunked."""

from __future__ import annotations

import itertools
import json
import math
import pickle
import sys

import numpy as np
import pytest
from ddsketch import DDSketch
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis.colstats import (
    MAPPING,
    NEGATIVE,
    POSITIVE,
    ZERO,
    ColumnCollector,
    SketchCounts,
    bucket_keys,
)
from cmdsim.analysis.stats import BAND_SUFFIX, RELATIVE_ACCURACY, Accumulator, Collector

METRICS = (
    "incident.a.aware",
    "incident.a.deadline.phone.met",
    "incident.b.hq.x.activated",
    "incident.b.deadline.call.met",
    "takeover.time",
    "utilisation.room",
)
BAND_COLUMNS = (f"incident.a.{BAND_SUFFIX}", f"incident.b.{BAND_SUFFIX}", BAND_SUFFIX)

# Values a metric takes, and the awkward ones: signed zeros, values the
# sketch counts as zero, subnormals, repeats, huge and negative values.
awkward = st.sampled_from(
    [0.0, -0.0, 1.0, 1.0, 2.5, -3.0, 5e-324, -5e-324, sys.float_info.min, 1e-300, 1e300, -1e300]
)
value = st.one_of(
    st.floats(-1e4, 1e4, allow_nan=False), awkward, st.just(math.nan), st.integers(0, 30).map(float)
)
band_code = st.sampled_from([0.0, 1.0, 2.0, 3.0, -1.0, math.nan])
deadline = st.sampled_from([0.0, 1.0, 0.5, 0.49, math.nan])


@st.composite
def chunk(draw: st.DrawFn) -> tuple[tuple[str, ...], list[tuple[float, ...]]]:
    """Some of the columns (a batch's chunk holds those its replications
    reported), in any order, and up to 12 rows: metrics absent from whole
    chunks, and band columns that differ from chunk to chunk."""
    names = draw(st.lists(st.sampled_from(METRICS + BAND_COLUMNS), unique=True, max_size=9))
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        row = []
        for name in names:
            if name.endswith(BAND_SUFFIX):
                row.append(draw(band_code))
            elif name.endswith(".met"):
                row.append(draw(deadline))
            else:
                row.append(draw(value))
        rows.append(tuple(row))
    return tuple(names), rows


def reference(chunks: list[tuple[tuple[str, ...], list[tuple[float, ...]]]]) -> str:
    """The batch's reduce before colstats: moments by ``Collector.add_rows``,
    sketches made per chunk by a fresh ``Collector`` and merged."""
    collector = Collector(sketch=False)
    for columns, rows in chunks:
        collector.add_rows(columns, rows)
        own = Collector()
        own.add_rows(columns, rows)
        collector.merge_sketches(own)
    return json.dumps(collector.summary())  # insertion order compared too


def columnwise(chunks: list[tuple[tuple[str, ...], list[tuple[float, ...]]]]) -> str:
    collector = ColumnCollector()
    for columns, rows in chunks:
        collector.add_rows(columns, rows)
        # Sketches travel from a worker pickled.
        sketches = pickle.loads(pickle.dumps(SketchCounts.of_rows(columns, rows)))
        collector.merge_sketches(sketches)
    return json.dumps(collector.summary())


@settings(max_examples=150, deadline=None)
@given(st.lists(chunk(), max_size=5))
def test_the_summary_is_the_collectors_byte_for_byte(chunks: list) -> None:
    assert columnwise(chunks) == reference(chunks)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(*(value for _ in METRICS), band_code, band_code, band_code), max_size=60),
    st.lists(st.integers(0, 60), max_size=6),
)
def test_chunk_boundaries_do_not_change_a_byte(rows: list, cuts: list[int]) -> None:
    """The same replications, one chunk or cut anywhere (every column present)."""
    columns = METRICS + BAND_COLUMNS
    edges = sorted({0, len(rows), *(min(c, len(rows)) for c in cuts)})
    pieces = [(columns, rows[a:b]) for a, b in itertools.pairwise(edges)]
    whole = columnwise([(columns, rows)])
    assert columnwise(pieces) == whole
    assert whole == reference([(columns, rows)])


def _bucket_edges() -> list[float]:
    """Values on and next to bucket boundaries, where a last-bit difference
    in the logarithm would move a value to the neighbouring bucket."""
    out = []
    for key in range(-3000, 3000, 7):
        edge = MAPPING.value(key) * (1 + MAPPING.gamma) / 2  # gamma ** key
        out += [edge, math.nextafter(edge, 0), math.nextafter(edge, math.inf)]
    out += [2.0**k for k in range(-60, 60)]
    return out


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=False, allow_infinity=False),
            st.floats(-1e6, 1e6, allow_nan=False),
            awkward,
        ),
        max_size=80,
    )
)
def test_bucket_keys_are_ddsketchs(values: list[float]) -> None:
    check_keys(values)


def test_bucket_keys_on_bucket_edges() -> None:
    edges = _bucket_edges()
    check_keys(edges + [-x for x in edges])


def check_keys(values: list[float]) -> None:
    sketch = DDSketch(relative_accuracy=RELATIVE_ACCURACY)
    for x in values:
        sketch.add(x)
    stores, keys = bucket_keys(np.array(values, dtype=np.float64).reshape(len(values)))

    def filled(store: object, which: int) -> dict[int, float]:
        bins = store.bins  # type: ignore[attr-defined]
        offset = store.offset  # type: ignore[attr-defined]
        mine = [int(k) for s, k in zip(stores, keys, strict=True) if s == which]
        assert sum(bins) == len(mine)
        return {i + offset: c for i, c in enumerate(bins) if c}

    def counted(which: int) -> dict[int, float]:
        out: dict[int, float] = {}
        for s, k in zip(stores.tolist(), keys.tolist(), strict=True):
            if s == which:
                out[k] = out.get(k, 0.0) + 1.0
        return out

    assert counted(POSITIVE) == filled(sketch._store, POSITIVE)
    assert counted(NEGATIVE) == filled(sketch._negative_store, NEGATIVE)
    assert int((stores == ZERO).sum()) == sketch._zero_count


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.floats(-50, 1e5, allow_nan=False), awkward, st.sampled_from([7.0, 0.0])),
        min_size=1,
        max_size=400,
    ),
    st.integers(1, 50),
)
def test_percentiles_are_the_accumulators(values: list[float], size: int) -> None:
    """Many values of one metric (ranks deep into the buckets), in chunks of ``size``."""
    acc = Accumulator()
    for x in values:
        acc.add(x)
    collector = ColumnCollector()
    for start in range(0, len(values), size):
        rows = [(x,) for x in values[start : start + size]]
        collector.add_rows(("m",), rows)
        collector.merge_sketches(SketchCounts.of_rows(("m",), rows))
    assert json.dumps(collector.summary()["metrics"]["m"]) == json.dumps(acc.to_dict())


def test_an_infinite_value_is_refused_as_the_sketch_refuses_it() -> None:
    with pytest.raises(OverflowError):
        DDSketch(relative_accuracy=RELATIVE_ACCURACY).add(math.inf)
    with pytest.raises(OverflowError):
        SketchCounts.of_rows(("m",), [(1.0,), (math.inf,)])
