"""A batch's statistics, a chunk at a time: the numbers of
:class:`~cmdsim.analysis.stats.Collector`, computed with numpy over every
metric of a replication at once.

A batch reduces every replication through its statistics, so what they cost
per value is paid about 1,300 times a replication (the flagship drill's 658
metrics, most of them also split by time band).  :class:`Collector` feeds one
:class:`~cmdsim.analysis.stats.Accumulator` per metric and band value by
value, each value a few Python calls and a DDSketch ``add``.  Here:

* **Moments** (Welford's mean and sum of squared deviations, min, max): one
  row at a time, since the floating-point result depends on the order, but
  each row's update is a handful of numpy operations over all its metrics
  and bands together.  numpy's elementwise ``+ - * /`` round exactly as
  Python's float operations do, so every mean and variance is the
  ``Collector``'s to the last bit.
* **Counts** (never happened, deadlines met, replications per band): order
  does not matter, so whole columns are summed at once.
* **Percentile sketches**: a DDSketch answers from the number of values in
  each logarithmic bucket and nothing else.  :class:`SketchCounts` holds a
  chunk's values as (metric, band, store, bucket key) codes and their
  counts; the key is the sketch's own formula (``math.log(x, 2)`` per value,
  as the library calls it, times the mapping's multiplier, rounded up), and
  :class:`ColumnCollector` merges the counts of each chunk and answers a
  percentile with DDSketch's own rank rule and bucket value.  The buckets
  hold whole counts, so merging is exact and the percentiles do not depend
  on how the replications were chunked.

Missing counts are ``replications − count`` in each scope, for every
metric the batch reported anywhere, so a metric absent from whole chunks
counts as missing there too and no split of the batch changes a byte.

``tests/analysis/test_colstats.py`` checks that the summaries equal the
``Collector``'s byte for byte (hypothesis over values, metrics and band
columns absent from whole chunks, bands and chunk boundaries) and that
the keys and percentiles equal DDSketch's; ``tests/analysis/test_batch_splits.py`` that
any split of replications reporting different metrics and band columns
gives the same summary.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
from ddsketch.mapping import LogarithmicMapping
from numpy.typing import NDArray

from cmdsim.analysis.percentiles import percentile_note
from cmdsim.analysis.stats import (
    BAND_SUFFIX,
    BANDS,
    PERCENTILES,
    RELATIVE_ACCURACY,
    Proportion,
    band_group,
    band_of_code,
    is_deadline,
    moments_dict,
)

SCOPES = 1 + len(BANDS)
"""Scope 0 is every replication; scope ``1 + i`` those whose band is ``BANDS[i]``."""

MAPPING = LogarithmicMapping(RELATIVE_ACCURACY)
"""The bucket mapping of ``DDSketch(relative_accuracy=RELATIVE_ACCURACY)``."""

NEGATIVE, ZERO, POSITIVE = 0, 1, 2
"""A value's store in a DDSketch: the negative store, the zero count, the positive store."""

_KEY_BITS = 19
_KEY_BIAS = 1 << 18  # keys of finite doubles lie within ±71,400 at 0.5 % accuracy
_KEY_MASK = (1 << _KEY_BITS) - 1
_BAND_INDEX = {band: i for i, band in enumerate(BANDS)}
_QUANTILES = tuple(p / 100.0 for p in PERCENTILES)  # as Accumulator.percentile asks


def bucket_keys(values: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The store (:data:`NEGATIVE`, :data:`ZERO`, :data:`POSITIVE`) and the
    bucket key of each value, as ``DDSketch.add`` files it (no NaN here).

    The key is ``ceil(log(|x|, 2) × multiplier)``: the logarithm by
    ``math.log`` for each value, as the library computes it (numpy's ``log``
    may differ from the C library's in the last bit, which can move a value
    on a bucket's edge), the product and the rounding by numpy, which do the
    same IEEE operations as Python.  An infinite value raises the library's
    own ``OverflowError``.
    """
    stores = np.full(values.shape, ZERO, dtype=np.int64)
    keys = np.zeros(values.shape, dtype=np.int64)
    low = MAPPING.min_possible
    positive = values > low
    negative = values < -low
    stores[positive] = POSITIVE
    stores[negative] = NEGATIVE
    signed = positive | negative
    magnitudes = np.abs(values[signed])
    if magnitudes.size:
        if not np.isfinite(magnitudes).all():
            MAPPING.key(float(magnitudes[~np.isfinite(magnitudes)][0]))  # raises as DDSketch does
        logs = np.fromiter(
            map(math.log, magnitudes.tolist(), itertools.repeat(2)),
            dtype=np.float64,
            count=magnitudes.size,
        )
        keys[signed] = (np.ceil(logs * MAPPING._multiplier) + MAPPING._offset).astype(np.int64)
    return stores, keys


def _codes(
    slots: NDArray[np.int64], stores: NDArray[np.int64], keys: NDArray[np.int64]
) -> NDArray[np.int64]:
    """One sortable integer per (slot, store, key): slot-major, then store, then key."""
    return ((slots * 3 + stores) << _KEY_BITS) | (keys + _KEY_BIAS)


@attrs.frozen
class _Layout:
    """Which metric of a chunk counts in which scope, row by row."""

    metrics: tuple[str, ...]
    """The chunk's metric columns (its band columns left out), in its order."""
    values: NDArray[np.float64]
    """Rows × metrics."""
    present: NDArray[np.bool_]
    """Rows × metrics × scopes: the value counts there (NaN: as never happened)."""
    bands: dict[str, NDArray[np.int64]]
    """Each band column's band index by row (-1: no band)."""


def _layout(columns: Sequence[str], rows: Any) -> _Layout:
    table = np.array(rows, dtype=np.float64).reshape(len(rows), len(columns))
    band_keys = [name for name in columns if name.endswith(BAND_SUFFIX)]
    bands: dict[str, NDArray[np.int64]] = {}
    index = {name: i for i, name in enumerate(columns)}
    for key in band_keys:
        found = (band_of_code(x) for x in table[:, index[key]].tolist())
        bands[key] = np.array(
            [-1 if b is None else _BAND_INDEX[b] for b in found], dtype=np.int64
        ).reshape(len(rows))
    picked = [i for i, name in enumerate(columns) if not name.endswith(BAND_SUFFIX)]
    metrics = tuple(columns[i] for i in picked)
    present = np.zeros((len(rows), len(metrics), SCOPES), dtype=np.bool_)
    present[:, :, 0] = True
    groups: dict[str, list[int]] = {}
    for j, name in enumerate(metrics):
        groups.setdefault(band_group(name), []).append(j)
    for group, members in groups.items():
        band = _effective_band(bands, group, len(rows))
        rows_in = np.flatnonzero(band >= 0)
        present[rows_in[:, None], np.array(members)[None, :], (1 + band[rows_in])[:, None]] = True
    return _Layout(metrics, table[:, picked], present, bands)


def _effective_band(
    bands: dict[str, NDArray[np.int64]], group: str, rows: int
) -> NDArray[np.int64]:
    """The band each row's metrics of ``group`` count in (-1: none)."""
    none = np.full(rows, -1, dtype=np.int64)
    first = bands.get(BAND_SUFFIX, none)
    own = bands.get(group)
    if own is None or group == BAND_SUFFIX:
        return first
    return np.where(own >= 0, own, first)


@attrs.frozen(eq=False)
class SketchCounts:
    """A chunk's percentile sketches, as bucket counts.

    ``codes`` (sorted, distinct) encode (``j × SCOPES + s``, store, key) and ``counts`` say
    how many values fell there.  A few arrays: cheap to send from a worker.
    """

    metrics: tuple[str, ...]
    codes: NDArray[np.int64]
    counts: NDArray[np.int64]

    @classmethod
    def of_rows(cls, columns: Sequence[str], rows: Any) -> SketchCounts:
        """The sketches a fresh ``Collector().add_rows(columns, rows)`` makes."""
        if len(rows) == 0:
            empty = np.zeros(0, dtype=np.int64)
            return cls((), empty, empty)
        layout = _layout(columns, rows)
        r, m = layout.values.shape
        values = np.broadcast_to(layout.values[:, :, None], (r, m, SCOPES))
        counted = layout.present & ~np.isnan(values)
        row_of, metric_of, scope_of = np.nonzero(counted)
        # A value counted in several scopes (all, and its band) is keyed once.
        keyed = counted.any(axis=2)
        stores_2d = np.zeros((r, m), dtype=np.int64)
        keys_2d = np.zeros((r, m), dtype=np.int64)
        stores_2d[keyed], keys_2d[keyed] = bucket_keys(layout.values[keyed])
        slots = metric_of.astype(np.int64) * SCOPES + scope_of
        codes = _codes(slots, stores_2d[row_of, metric_of], keys_2d[row_of, metric_of])
        unique, counts = np.unique(codes, return_counts=True)
        return cls(layout.metrics, unique, counts.astype(np.int64))


_FLOAT_STATE = {"mean": 0.0, "m2": 0.0, "minimum": math.inf, "maximum": -math.inf}
_INT_STATE = ("count", "met_successes")


class ColumnCollector:
    """All statistics of a batch, fed a chunk at a time in replication order.

    Its :meth:`summary` depends on the replications alone, not on how they
    were cut into chunks: a metric reported anywhere in the batch has an
    entry in every scope that has replications, missing in those that did
    not report it (``replications − count``), and an incident's metrics
    follow the band of :func:`band_group` row by row.  It is byte for byte
    that of a :class:`~cmdsim.analysis.stats.Collector(sketch=False)` fed
    the same chunks with ``add_rows`` and their sketches with
    ``merge_sketches``, the batch's reduce before this module.
    Each metric and scope has a slot ``id × SCOPES + scope`` in flat arrays.
    """

    def __init__(self) -> None:
        self.replications = 0
        self._ids: dict[str, int] = {}
        self.band_counts: dict[str, NDArray[np.int64]] = {}
        # Per incident band column: replications with that band and an
        # onset_band of each band (see _scope_sizes).
        self._both: dict[str, NDArray[np.int64]] = {}
        self._capacity = 0
        self._float: dict[str, NDArray[np.float64]] = {}
        self._int: dict[str, NDArray[np.int64]] = {}
        self._codes = np.zeros(0, dtype=np.int64)
        self._counts = np.zeros(0, dtype=np.int64)
        self._grow(64)

    def _grow(self, metrics: int) -> None:
        size = metrics * SCOPES
        old = self._capacity * SCOPES
        for name, start in _FLOAT_STATE.items():
            grown = np.full(size, start, dtype=np.float64)
            grown[:old] = self._float.get(name, grown[:0])
            self._float[name] = grown
        for name in _INT_STATE:
            grown_int = np.zeros(size, dtype=np.int64)
            grown_int[:old] = self._int.get(name, grown_int[:0])
            self._int[name] = grown_int
        self._capacity = metrics

    def _slots(self, metrics: Sequence[str]) -> NDArray[np.int64]:
        """Metric × scope slots of ``metrics`` (new names get an id)."""
        ids = self._ids
        for name in metrics:
            if name not in ids:
                ids[name] = len(ids)
        if len(ids) > self._capacity:
            self._grow(max(len(ids), 2 * self._capacity))
        first = np.array([ids[name] for name in metrics], dtype=np.int64).reshape(len(metrics))
        return (first[:, None] * SCOPES + np.arange(SCOPES)).ravel()

    def add_rows(self, columns: Sequence[str], rows: Any) -> None:
        """Feed the replications ``rows`` (one value per column each, NaN:
        never happened; the columns distinct), as ``Collector.add_rows``."""
        if len(rows) == 0:
            return
        layout = _layout(columns, rows)
        r, m = layout.values.shape
        self.replications += r
        for key, band in layout.bands.items():
            counts = self.band_counts.setdefault(key, np.zeros(len(BANDS), dtype=np.int64))
            counts += np.bincount(band[band >= 0], minlength=len(BANDS))
        first = layout.bands.get(BAND_SUFFIX)
        if first is not None:
            for key, band in layout.bands.items():
                if key != BAND_SUFFIX:
                    both = self._both.setdefault(key, np.zeros(len(BANDS), dtype=np.int64))
                    both += np.bincount(first[(band >= 0) & (first >= 0)], minlength=len(BANDS))
        slots = self._slots(layout.metrics)
        present = layout.present.reshape(r, m * SCOPES)
        values = np.where(present, np.repeat(layout.values, SCOPES, axis=1), math.nan)
        missing = np.isnan(values)
        self._deadlines(layout, slots, present, values)
        counted = present & ~missing
        active = counted.any(axis=0)
        self._moments(slots[active], values[:, active], counted[:, active])

    def _deadlines(
        self,
        layout: _Layout,
        slots: NDArray[np.int64],
        present: NDArray[np.bool_],
        values: NDArray[np.float64],
    ) -> None:
        picked = [j for j, name in enumerate(layout.metrics) if is_deadline(name)]
        if not picked:
            return
        local = (np.array(picked)[:, None] * SCOPES + np.arange(SCOPES)).ravel()
        where, x = present[:, local], values[:, local]
        at = slots[local]
        with np.errstate(invalid="ignore"):
            self._int["met_successes"][at] += (where & (x >= 0.5)).sum(axis=0)

    def _moments(
        self, at: NDArray[np.int64], values: NDArray[np.float64], counted: NDArray[np.bool_]
    ) -> None:
        """Welford's update, row after row, of the slots ``at`` (as ``Accumulator.add``)."""
        state = self._float
        counts = self._int["count"][at] + np.cumsum(counted, axis=0)
        divisors = np.maximum(counts, 1).astype(np.float64)
        mean, m2 = state["mean"][at], state["m2"][at]
        low, high = state["minimum"][at], state["maximum"][at]
        with np.errstate(all="ignore"):  # NaN where nothing counts; np.where drops it
            for x, counts_here, divisor in zip(values, counted, divisors, strict=True):
                delta = x - mean
                mean = np.where(counts_here, mean + delta / divisor, mean)
                m2 = np.where(counts_here, m2 + delta * (x - mean), m2)
                low = np.where(x < low, x, low)
                high = np.where(x > high, x, high)
        self._int["count"][at] = counts[-1]
        state["mean"][at], state["m2"][at] = mean, m2
        state["minimum"][at], state["maximum"][at] = low, high

    def merge_sketches(self, sketches: SketchCounts) -> None:
        """Fold a chunk's sketches in (``Collector.merge_sketches``)."""
        slots = self._slots(sketches.metrics)
        if sketches.codes.size == 0:
            return
        local = sketches.codes >> _KEY_BITS
        keys = (sketches.codes & _KEY_MASK) - _KEY_BIAS
        codes = _codes(slots[local // 3], local % 3, keys)
        order = np.argsort(codes, kind="stable")
        codes, counts = codes[order], sketches.counts[order]
        at = np.searchsorted(self._codes, codes)
        inside = at < self._codes.size
        found = np.zeros(codes.size, dtype=np.bool_)
        found[inside] = self._codes[at[inside]] == codes[inside]
        self._counts[at[found]] += counts[found]
        new = ~found
        self._codes = np.insert(self._codes, at[new], codes[new])
        self._counts = np.insert(self._counts, at[new], counts[new])

    def _percentiles(self, slots: NDArray[np.int64]) -> NDArray[np.float64]:
        """:data:`PERCENTILES` of each slot (``len(slots) × 7``) as
        ``Accumulator.percentile`` gives them from its merged DDSketch.

        ``DDSketch.get_quantile_value``: ``rank = q × (count - 1)``; below
        the negative store's count, the first negative bucket (by key) where
        the running count reaches ``count_neg - rank``; then 0 within the
        zero count; else the first positive bucket where the running count
        exceeds ``rank - zeros - count_neg``; answered with the bucket's
        value, kept within the sample's min and max.  The running counts
        are whole numbers, so "reaches t" is "≥ ceil(t)" and "exceeds r" is
        "≥ floor(r) + 1", found over the cumulative counts by bisection.
        """
        out = np.full((slots.size, len(PERCENTILES)), math.nan)
        if slots.size == 0:
            return out
        counted = self._int["count"][slots] > 0
        slots = slots[counted]
        codes = self._codes
        cumulative = np.concatenate(([0], np.cumsum(self._counts)))
        edges = [np.searchsorted(codes, (slots * 3 + store) << _KEY_BITS) for store in range(4)]
        neg_start, zero_start, pos_start, end = edges
        negatives = cumulative[zero_start] - cumulative[neg_start]
        zeros = cumulative[pos_start] - cumulative[zero_start]
        total = (negatives + zeros + cumulative[end] - cumulative[pos_start]).astype(np.float64)
        assert (total > 0).all(), "a metric has values but no sketch"  # as Accumulator.percentile
        neg_f, zero_f = negatives.astype(np.float64), zeros.astype(np.float64)
        low = self._float["minimum"][slots]
        high = self._float["maximum"][slots]
        found = np.empty((slots.size, len(PERCENTILES)))
        for column, q in enumerate(_QUANTILES):
            rank = q * (total - 1)
            in_negative = rank < neg_f
            in_zero = ~in_negative & (rank < zero_f + neg_f)
            with np.errstate(invalid="ignore"):
                reach = np.ceil(neg_f - rank - 1 + 1)
                exceed = np.floor(rank - zero_f - neg_f) + 1
            target = np.where(
                in_negative,
                cumulative[neg_start] + np.where(in_negative, reach, 0).astype(np.int64),
                cumulative[pos_start] + np.where(in_negative | in_zero, 0, exceed).astype(np.int64),
            )
            bucket = np.searchsorted(cumulative, target) - 1
            bucket = np.where(in_zero, 0, bucket)
            keys = (codes[bucket] & _KEY_MASK) - _KEY_BIAS if codes.size else bucket
            value = _bucket_values(keys)
            value = np.where(in_negative, -value, np.where(in_zero, 0.0, value))
            value = np.where(low > value, low, value)  # max(value, low), then min(…, high)
            found[:, column] = np.where(high < value, high, value)
        out[counted] = found
        return out

    def _scope_sizes(self, names: Sequence[str]) -> NDArray[np.int64]:
        """Replications in each scope of each metric (``len(names) × SCOPES``).

        A metric's missing count in a scope is this less its count, whether
        or not a chunk reported the metric at all, so no split of the batch
        moves it.  An incident's metrics count in its band where a
        replication has one, else in ``onset_band``'s: that band's
        replications, plus ``onset_band``'s, less those of ``onset_band``'s
        that had the incident's band (``_both``).
        """
        zero = np.zeros(len(BANDS), dtype=np.int64)
        first = self.band_counts.get(BAND_SUFFIX, zero)
        out = np.empty((len(names), SCOPES), dtype=np.int64)
        out[:, 0] = self.replications
        for k, name in enumerate(names):
            group = band_group(name)
            if group == BAND_SUFFIX:
                out[k, 1:] = first
            else:
                own = self.band_counts.get(group, zero)
                out[k, 1:] = own + first - self._both.get(group, zero)
        return out

    def summary(self) -> dict[str, Any]:
        """Plain data, as ``Collector.summary`` (see docs/experiments.md)."""
        names = sorted(self._ids)
        ids = np.array([self._ids[n] for n in names], dtype=np.int64).reshape(len(names))
        sizes = self._scope_sizes(names)
        made = sizes > 0
        slots = (ids[:, None] * SCOPES + np.arange(SCOPES))[made]
        table = dict(zip(slots.tolist(), self._percentiles(slots).tolist(), strict=True))
        count, successes = self._int["count"].tolist(), self._int["met_successes"].tolist()
        mean, m2 = self._float["mean"].tolist(), self._float["m2"].tolist()
        low, high = self._float["minimum"].tolist(), self._float["maximum"].tolist()
        rows, deadline = sizes.tolist(), [is_deadline(name) for name in names]

        def scope(s: int) -> tuple[dict[str, Any], dict[str, Any]]:
            metrics: dict[str, Any] = {}
            deadlines: dict[str, Any] = {}
            for k, (name, ident) in enumerate(zip(names, ids.tolist(), strict=True)):
                size = rows[k][s]
                if not size:
                    continue
                slot = ident * SCOPES + s
                missing = size - count[slot]
                metrics[name] = moments_dict(
                    count[slot], missing, mean[slot], m2[slot], low[slot], high[slot], table[slot]
                )
                if deadline[k]:
                    proportion = Proportion()
                    proportion.count, proportion.missing = count[slot], missing
                    proportion.successes = successes[slot]
                    deadlines[name] = proportion.to_dict()
            return metrics, deadlines

        metrics, deadlines = scope(0)
        by_band = {}
        for i, band in enumerate(BANDS):
            band_metrics, band_deadlines = scope(1 + i)
            by_band[band.value] = {"metrics": band_metrics, "deadlines": band_deadlines}
        return {
            "replications": self.replications,
            "relative_accuracy": RELATIVE_ACCURACY,
            "percentiles": percentile_note(),
            "metrics": metrics,
            "deadlines": deadlines,
            "bands": {
                k: {b.value: n for b, n in zip(BANDS, counts.tolist(), strict=True)}
                for k, counts in sorted(self.band_counts.items())
            },
            "by_band": by_band,
        }


def _bucket_values(keys: NDArray[np.int64]) -> NDArray[np.float64]:
    """``MAPPING.value`` of each key (the library's own function, once per key)."""
    unique, inverse = np.unique(keys, return_inverse=True)
    values = np.array([MAPPING.value(k) for k in unique.tolist()], dtype=np.float64)
    return values[inverse.reshape(keys.shape)]
