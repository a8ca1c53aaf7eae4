"""Feeding a collector a chunk at a time gives the statistics of feeding it
replication by replication, to the last bit."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis.stats import BAND_SUFFIX, Collector

COLUMNS = (
    "incident.a.aware",
    "incident.a.deadline.phone.met",
    f"incident.a.{BAND_SUFFIX}",
    "incident.b.hq.x.activated",
    f"incident.b.{BAND_SUFFIX}",
    "takeover.time",
    BAND_SUFFIX,
)

value = st.one_of(st.floats(-1e3, 1e4, allow_nan=False), st.just(math.nan))
band = st.sampled_from([0.0, 1.0, 2.0, math.nan])


@st.composite
def chunk(draw: st.DrawFn) -> list[tuple[float, ...]]:
    n = draw(st.integers(0, 12))
    rows = []
    for _ in range(n):
        row = []
        for name in COLUMNS:
            if name.endswith(BAND_SUFFIX):
                row.append(draw(band))
            elif name.endswith(".met"):
                row.append(draw(st.sampled_from([0.0, 1.0, math.nan])))
            else:
                row.append(draw(value))
        rows.append(tuple(row))
    return rows


@settings(max_examples=60, deadline=None)
@given(st.lists(chunk(), max_size=4), st.booleans())
def test_add_rows_is_add_row_by_row(chunks: list[list[tuple[float, ...]]], sketch: bool) -> None:
    """``sketch=False`` is the batch's reducer: moments here, sketches merged
    from the chunks' own collectors (made with ``add_rows`` where they ran)."""
    one, many = Collector(sketch=sketch), Collector(sketch=sketch)
    for rows in chunks:
        for row in rows:
            one.add(dict(zip(COLUMNS, row, strict=True)))
        many.add_rows(COLUMNS, rows)
        if not sketch:
            by_rows, by_row = Collector(), Collector()
            by_rows.add_rows(COLUMNS, rows)
            for row in rows:
                by_row.add(dict(zip(COLUMNS, row, strict=True)))
            many.merge_sketches(by_rows)
            one.merge_sketches(by_row)
    assert json.dumps(many.summary(), sort_keys=True) == json.dumps(one.summary(), sort_keys=True)
