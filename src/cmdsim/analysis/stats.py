"""Streaming statistics in bounded memory.

An :class:`Accumulator` keeps, for one metric, the count, Welford's running
mean and sum of squared deviations, the minimum and maximum, the number of
replications in which the thing never happened (NaN), and a DDSketch for
percentiles.  Memory does not grow with the number of replications: the
sketch holds one counter per logarithmic bucket, and buckets are
``(1 + a) / (1 - a)`` wide for relative accuracy ``a``; any percentile it
reports is within a factor ``1 ± a`` of a value of the sample at that rank
(:data:`RELATIVE_ACCURACY`, 0.5 %).

A :class:`Collector` feeds one accumulator per metric, and another per metric
and time-of-day band of the incident onset, always in replication order; the
summary it makes is therefore the same, byte for byte, however the
replications were split among workers.

>>> acc = Accumulator()
>>> for x in (1.0, 2.0, 3.0, float("nan")):
...     acc.add(x)
>>> acc.count, acc.missing, acc.mean, acc.variance
(3, 1, 2.0, 1.0)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from ddsketch import DDSketch
from ddsketch.store import DenseStore

from cmdsim.analysis.percentiles import PERCENTILE_KEYS, percentile_note, thin_percentiles
from cmdsim.analysis.percentiles import PERCENTILES as PERCENTILES
from cmdsim.model.levels import TimeBand
from cmdsim.sim.metric_names import BAND

RELATIVE_ACCURACY = 0.005
"""Relative error of every percentile reported (DDSketch's guarantee)."""

BANDS: tuple[TimeBand, ...] = (
    TimeBand.DAY,
    TimeBand.NIGHT,
    TimeBand.HOLIDAY,
    TimeBand.HOLIDAY_NIGHT,
)
BAND_CODES: dict[TimeBand, float] = {band: float(i) for i, band in enumerate(BANDS)}
"""A band stored as a per-replication number: day 0, night 1, holiday 2."""

BAND_SUFFIX = BAND
"""Metric names ending in this hold a band code, not a measurement."""

Z975 = 1.959963984540054
"""The 97.5 % quantile of the standard normal."""


def _t_central(t: float, dof: int) -> float:
    """P(|T| <= t) for Student's t with ``dof`` degrees of freedom, exactly
    (Abramowitz and Stegun 26.7.3 and 26.7.4: a finite sum for whole ``dof``)."""
    theta = math.atan(t / math.sqrt(dof))
    c2 = math.cos(theta) ** 2
    if dof % 2:
        total, term = 0.0, math.cos(theta)
        for k in range(1, (dof - 1) // 2 + 1):
            total += term
            term *= c2 * (2 * k) / (2 * k + 1)
        return 2 / math.pi * (theta + math.sin(theta) * total) if dof > 1 else 2 * theta / math.pi
    total, term = 0.0, 1.0
    for k in range(1, dof // 2 + 1):
        total += term
        term *= c2 * (2 * k - 1) / (2 * k)
    return math.sin(theta) * total


@functools.cache
def t975(dof: int) -> float:
    """The 97.5 % quantile of Student's t with ``dof`` degrees of freedom.

    Exact to the last bits up to 100 degrees (the central probability in
    closed form, solved by bisection); beyond, the Cornish-Fisher expansion
    (Abramowitz and Stegun 26.7.5), whose error there is below 1e-6.
    (Before 2026-12-07 a step table gave 2.021 from 31 to 39 degrees, 2.000
    to 59, 1.980 to 119 and 1.960 on: every interval up to 1 % too narrow.)
    """
    if dof < 1:
        return math.nan
    if dof > 100:
        z = Z975
        g1 = (z**3 + z) / 4
        g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
        g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
        g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
        return z + g1 / dof + g2 / dof**2 + g3 / dof**3 + g4 / dof**4
    low, high = Z975, 12.71  # the quantile lies between the normal's and one degree's
    for _ in range(64):
        middle = (low + high) / 2
        if _t_central(middle, dof) < 0.95:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def json_float(x: float) -> float | None:
    """A float for JSON: NaN and infinities become null."""
    return x if math.isfinite(x) else None


class Accumulator:
    """Running statistics of one metric; NaN counts as "never happened"."""

    __slots__ = ("_m2", "count", "maximum", "mean", "minimum", "missing", "sketch")

    def __init__(self) -> None:
        self.count = 0
        self.missing = 0
        self.mean = 0.0
        self._m2 = 0.0
        self.minimum = math.inf
        self.maximum = -math.inf
        self.sketch = DDSketch(relative_accuracy=RELATIVE_ACCURACY)

    def add(self, x: float, sketch: bool = True) -> None:
        """Count ``x``; ``sketch=False`` leaves the sketch to a merge."""
        if math.isnan(x):
            self.missing += 1
            return
        self.count += 1
        delta = x - self.mean
        self.mean += delta / self.count
        self._m2 += delta * (x - self.mean)
        if x < self.minimum:
            self.minimum = x
        if x > self.maximum:
            self.maximum = x
        if sketch:
            self.sketch.add(x)

    def merge(self, other: Accumulator) -> None:
        """Fold ``other`` in (Chan et al.); the result may differ from feeding
        the values one by one in the last bits, so batches do not use it."""
        if other.count == 0:
            self.missing += other.missing
            return
        total = self.count + other.count
        delta = other.mean - self.mean
        self._m2 += other._m2 + delta * delta * self.count * other.count / total
        self.mean += delta * other.count / total
        self.count = total
        self.missing += other.missing
        self.minimum = min(self.minimum, other.minimum)
        self.maximum = max(self.maximum, other.maximum)
        self.sketch.merge(other.sketch)

    def __getstate__(self) -> tuple[Any, ...]:
        # Chunks travel from workers to the batch with their sketches; a
        # pickled DDSketch carries every empty bucket of its dense stores
        # (about 4 KB each, 1 MB a chunk), so only the filled buckets go.
        return (
            self.count,
            self.missing,
            self.mean,
            self._m2,
            self.minimum,
            self.maximum,
            _pack_sketch(self.sketch),
        )

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        (self.count, self.missing, self.mean, self._m2, self.minimum, self.maximum, packed) = state
        self.sketch = _unpack_sketch(packed)

    @property
    def variance(self) -> float:
        """Sample variance (n - 1 in the denominator); NaN below two values."""
        return self._m2 / (self.count - 1) if self.count > 1 else math.nan

    @property
    def ci95(self) -> tuple[float, float]:
        """95 % confidence interval of the mean (Student's t)."""
        if self.count < 2:
            return (math.nan, math.nan)
        half = t975(self.count - 1) * math.sqrt(self.variance / self.count)
        return (self.mean - half, self.mean + half)

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile (0..100), within :data:`RELATIVE_ACCURACY`."""
        if self.count == 0:
            return math.nan
        value = self.sketch.get_quantile_value(p / 100.0)
        assert value is not None
        # The sketch answers a bucket's midpoint: keep it inside the sample's range.
        return min(max(float(value), self.minimum), self.maximum)

    def to_dict(self) -> dict[str, Any]:
        percentiles = [self.percentile(p) for p in PERCENTILES]
        return moments_dict(
            self.count, self.missing, self.mean, self._m2, self.minimum, self.maximum, percentiles
        )


def moments_dict(
    count: int,
    missing: int,
    mean: float,
    m2: float,
    minimum: float,
    maximum: float,
    percentiles: Sequence[float],
) -> dict[str, Any]:
    """One metric's entry of a summary: count, missing, mean, variance, std,
    95 % CI, min, max and the :data:`PERCENTILES` (given in that order), from
    the running moments (``m2``: Welford's sum of squared deviations), and
    ``thin``: the percentiles ``count`` values are too few for
    (:func:`thin_percentiles`).

    :meth:`Accumulator.to_dict` and the batch's column-wise statistics
    (:mod:`cmdsim.analysis.colstats`) both write their entries here, so the
    two give the same bytes for the same moments.
    """
    variance = m2 / (count - 1) if count > 1 else math.nan
    if count < 2:
        low, high = math.nan, math.nan
    else:
        half = t975(count - 1) * math.sqrt(variance / count)
        low, high = mean - half, mean + half
    out: dict[str, Any] = {
        "count": count,
        "missing": missing,
        "mean": json_float(mean) if count else None,
        "variance": json_float(variance),
        "std": json_float(math.sqrt(variance)) if count > 1 else None,
        "ci95": [json_float(low), json_float(high)],
        "min": json_float(minimum),
        "max": json_float(maximum),
    }
    for key, value in zip(PERCENTILE_KEYS, percentiles, strict=True):
        out[key] = json_float(value)
    # The values stay; what they rest on is said beside them (docs/statistics.md).
    out["thin"] = thin_percentiles(count)
    return out


def _pack_store(store: DenseStore) -> tuple[bytes, bytes]:
    """The filled buckets of a store: their keys and counts, as arrays' bytes."""
    if store.count == 0:
        return b"", b""
    bins = np.asarray(store.bins, dtype=np.float64)
    filled = np.flatnonzero(bins)
    keys = (filled + store.offset).astype(np.int64)
    return keys.tobytes(), bins[filled].tobytes()


def _unpack_store(store: DenseStore, packed: tuple[bytes, bytes]) -> None:
    keys = np.frombuffer(packed[0], dtype=np.int64).tolist()
    if not keys:
        return
    counts = np.frombuffer(packed[1], dtype=np.float64).tolist()
    store._extend_range(keys[0], keys[-1])  # one allocation, the store's own layout
    bins, offset = store.bins, store.offset
    for key, count in zip(keys, counts, strict=True):
        bins[key - offset] = count
    store.count = math.fsum(counts)


def _pack_sketch(sketch: DDSketch) -> tuple[Any, ...]:
    """A sketch as plain values; :func:`_unpack_sketch` rebuilds one that
    answers and merges exactly like it (same counts in the same buckets)."""
    return (
        _pack_store(sketch._store),
        _pack_store(sketch._negative_store),
        sketch._zero_count,
        sketch._count,
        sketch._min,
        sketch._max,
        sketch._sum,
    )


def _unpack_sketch(packed: tuple[Any, ...]) -> DDSketch:
    sketch = DDSketch(relative_accuracy=RELATIVE_ACCURACY)
    positive, negative, zero, count, low, high, total = packed
    _unpack_store(sketch._store, positive)
    _unpack_store(sketch._negative_store, negative)
    sketch._zero_count = zero
    sketch._count = count
    sketch._min = low
    sketch._max = high
    sketch._sum = total
    return sketch


class Proportion:
    """How often a 0/1 metric is 1: a deadline met.  NaN rows are left out."""

    __slots__ = ("count", "missing", "successes")

    def __init__(self) -> None:
        self.count = 0
        self.successes = 0
        self.missing = 0

    def add(self, x: float) -> None:
        if math.isnan(x):
            self.missing += 1
            return
        self.count += 1
        if x >= 0.5:
            self.successes += 1

    @property
    def p(self) -> float:
        return self.successes / self.count if self.count else math.nan

    @property
    def ci95(self) -> tuple[float, float]:
        """Wilson score interval: sound at 0 and 1 and for small counts."""
        n = self.count
        if n == 0:
            return (math.nan, math.nan)
        z = 1.959963984540054
        p = self.p
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return (max(0.0, centre - half), min(1.0, centre + half))

    def to_dict(self) -> dict[str, Any]:
        low, high = self.ci95
        return {
            "count": self.count,
            "missing": self.missing,
            "met": self.successes,
            "p": json_float(self.p),
            "ci95": [json_float(low), json_float(high)],
        }


def band_of_code(code: float) -> TimeBand | None:
    if math.isnan(code):
        return None
    return BANDS[int(code)]


def band_key(metric: str, band_keys: Iterable[str]) -> str | None:
    """The band metric a metric is split by.

    ``incident.<id>.…`` metrics follow their own incident's onset band; all
    others follow the top-level ``onset_band`` (the first incident's).
    """
    parts = metric.split(".")
    if parts[0] == "incident" and len(parts) > 2:
        own = f"incident.{parts[1]}.{BAND_SUFFIX}"
        if own in band_keys:
            return own
    return BAND_SUFFIX if BAND_SUFFIX in band_keys else None


def band_group(metric: str) -> str:
    """The band column a metric follows: ``incident.<id>.onset_band`` for
    ``incident.<id>.…`` metrics, ``onset_band`` for all others.

    In a replication without its incident's band (the column absent or
    NaN) an incident's metric follows ``onset_band`` instead, as
    :func:`band_key` gives for a chunk without that
    column.  Decided row by row from the row's own values, so it does not
    depend on which other replications share the chunk.
    """
    parts = metric.split(".")
    if parts[0] == "incident" and len(parts) > 2:
        return f"incident.{parts[1]}.{BAND_SUFFIX}"
    return BAND_SUFFIX


def is_deadline(metric: str) -> bool:
    """Metrics named ``….met`` hold 1 when a deadline was met, 0 when missed."""
    return metric.endswith(".met")


def _accumulator(table: dict[str, Accumulator], name: str) -> Accumulator:
    found = table.get(name)
    if found is None:
        found = table[name] = Accumulator()
    return found


def _proportion(table: dict[str, Proportion], name: str) -> Proportion:
    found = table.get(name)
    if found is None:
        found = table[name] = Proportion()
    return found


class Collector:
    """All statistics of a batch, fed one replication at a time, in order.

    Sketching is the costly part, so a batch sketches each chunk where it
    runs (:meth:`add` on a worker's own collector) and the reducing collector,
    made with ``sketch=False``, merges those sketches with
    :meth:`merge_sketches`.  A sketch's buckets hold whole counts, so merging
    is exact and the percentiles do not depend on how replications were
    chunked; the moments are still fed value by value, in replication order.
    """

    def __init__(self, sketch: bool = True) -> None:
        self.sketch = sketch
        self.replications = 0
        self.metrics: dict[str, Accumulator] = {}
        self.deadlines: dict[str, Proportion] = {}
        self.by_band: dict[TimeBand, dict[str, Accumulator]] = {b: {} for b in BANDS}
        self.deadlines_by_band: dict[TimeBand, dict[str, Proportion]] = {b: {} for b in BANDS}
        self.band_counts: dict[str, dict[TimeBand, int]] = {}
        # Per incident band column: replications with that band, by onset_band's band.
        self._both: dict[str, dict[TimeBand, int]] = {}

    def add(self, row: Mapping[str, float]) -> None:
        """Feed one replication: metric name -> value (NaN: never happened)."""
        self.add_rows(tuple(row), (tuple(row.values()),))

    def add_rows(self, columns: Sequence[str], rows: Sequence[Sequence[float]]) -> None:
        """Feed many replications at once, as :meth:`add` would row by row.

        Column by column instead: each accumulator still sees its values in
        replication order, so the statistics are the same to the last bit,
        and the per-value work is a tight loop (a batch's reducing process
        feeds every replication through here).
        """
        if not rows:
            return
        self.replications += len(rows)
        index = {name: i for i, name in enumerate(columns)}
        band_keys = [name for name in columns if name.endswith(BAND_SUFFIX)]
        bands: dict[str, list[TimeBand | None]] = {}
        for key in band_keys:
            i = index[key]
            bands[key] = [band_of_code(row[i]) for row in rows]
            counts = self.band_counts.get(key)
            if counts is None:
                counts = self.band_counts[key] = {b: 0 for b in BANDS}
            for band in bands[key]:
                if band is not None:
                    counts[band] += 1
        first = bands.get(BAND_SUFFIX)
        if first is not None:
            for key, found in bands.items():
                if key != BAND_SUFFIX:
                    both = self._both.setdefault(key, {b: 0 for b in BANDS})
                    for mine, band in zip(found, first, strict=True):
                        if mine is not None and band is not None:
                            both[band] += 1
        none: list[TimeBand | None] = [None] * len(rows)
        effective: dict[str, list[TimeBand | None]] = {}
        for name in columns:
            if name.endswith(BAND_SUFFIX):
                continue
            group = band_group(name)
            if group not in effective:
                own = bands.get(group) if group != BAND_SUFFIX else None
                fallback = first or none
                effective[group] = fallback if own is None else [
                    o if o is not None else f for o, f in zip(own, fallback, strict=True)
                ]  # fmt: skip
            split = effective[group]
            i = index[name]
            values = [float(row[i]) for row in rows]
            if is_deadline(name):
                whole = _proportion(self.deadlines, name)
                for r, x in enumerate(values):
                    whole.add(x)
                    band = split[r] if split is not None else None
                    if band is not None:
                        _proportion(self.deadlines_by_band[band], name).add(x)
            add = _accumulator(self.metrics, name).add
            for x in values:
                add(x, self.sketch)
            if split is not None:
                for x, band in zip(values, split, strict=True):
                    if band is not None:
                        _accumulator(self.by_band[band], name).add(x, self.sketch)

    def merge_sketches(self, other: Collector) -> None:
        """Fold the percentile sketches of ``other`` (a chunk's) into this one."""
        for name, acc in other.metrics.items():
            _accumulator(self.metrics, name).sketch.merge(acc.sketch)
        for band in BANDS:
            for name, acc in other.by_band[band].items():
                _accumulator(self.by_band[band], name).sketch.merge(acc.sketch)

    def _scope_sizes(self, name: str) -> dict[TimeBand, int]:
        """Replications in each band scope of metric ``name`` (see
        :func:`band_group`): its incident's band where a replication has one,
        else ``onset_band``'s."""
        zero = {b: 0 for b in BANDS}
        first = self.band_counts.get(BAND_SUFFIX, zero)
        group = band_group(name)
        if group == BAND_SUFFIX:
            return dict(first)
        own = self.band_counts.get(group, zero)
        both = self._both.get(group, zero)
        return {b: own[b] + first[b] - both[b] for b in BANDS}

    def summary(self) -> dict[str, Any]:
        """Plain data, ready for JSON with sorted keys (see docs/experiments.md).

        A metric's missing count in a scope is the scope's replications less
        its count: replications that did not report the metric at all count
        as missing, so no split of the replications moves it; a metric has an
        entry in every band that has replications.
        """
        sizes = {name: self._scope_sizes(name) for name in self.metrics}

        def metric(acc: Accumulator | None, size: int) -> dict[str, Any]:
            out = (acc or Accumulator()).to_dict()
            out["missing"] = size - out["count"]
            return out

        def deadline(proportion: Proportion | None, size: int) -> dict[str, Any]:
            out = (proportion or Proportion()).to_dict()
            out["missing"] = size - out["count"]
            return out

        def scope(
            size: Callable[[str], int],
            metrics: dict[str, Accumulator],
            deadlines: dict[str, Proportion],
        ) -> dict[str, Any]:
            names = [name for name in sorted(self.metrics) if size(name)]
            return {
                "metrics": {k: metric(metrics.get(k), size(k)) for k in names},
                "deadlines": {
                    k: deadline(deadlines.get(k), size(k)) for k in names if is_deadline(k)
                },
            }

        whole = scope(lambda _: self.replications, self.metrics, self.deadlines)
        return {
            "replications": self.replications,
            "relative_accuracy": RELATIVE_ACCURACY,
            "percentiles": percentile_note(),
            "metrics": whole["metrics"],
            "deadlines": whole["deadlines"],
            "bands": {
                k: {b.value: n for b, n in counts.items()}
                for k, counts in sorted(self.band_counts.items())
            },
            "by_band": {
                band.value: scope(
                    lambda k, band=band: sizes[k][band],  # type: ignore[misc]
                    self.by_band[band],
                    self.deadlines_by_band[band],
                )
                for band in BANDS
            },
        }
