"""Numbers as the report prints them: minutes to 0.1, distributions of a
sample, and :func:`fmt`, how every format shows a value (here so that the
table builder and the renderers use it without importing each other)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any


def r1(value: Any) -> float | None:
    """Minutes rounded to 0.1, the precision every format shows."""
    if value is None:
        return None
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return round(number, 1) + 0.0


SHOWN_PERCENTILES = ("p50", "p90", "p95")
"""The percentiles a report's distributions table shows."""


def distribution(name: str, values: Iterable[float], bins: int = 12) -> dict[str, Any]:
    """Summary statistics and a histogram of a sample of minutes.

    Percentiles by a batch summary's rule (:func:`cmdsim.analysis.percentiles.percentile_rank`,
    the k-th smallest value, exact here), so that a table mixing rows from a
    batch's ``replications.csv`` and from its ``summary.json`` reads one rule;
    ``thin`` lists those the sample is too small for.
    """
    from cmdsim.analysis.percentiles import percentile_rank, thin_percentiles

    xs = sorted(float(v) for v in values if v is not None and not math.isnan(float(v)))
    if not xs:
        return {
            "name": name,
            "n": 0,
            "mean": None,
            "p50": None,
            "p90": None,
            "p95": None,
            "min": None,
            "max": None,
            "bins": [],
            "thin": [],
        }

    def q(p: int) -> float:
        return xs[percentile_rank(p, len(xs)) - 1]

    lo, hi = xs[0], xs[-1]
    width = (hi - lo) / bins if hi > lo else 1.0
    counts = [0] * bins
    for x in xs:
        counts[min(bins - 1, int((x - lo) / width))] += 1
    return {
        "name": name,
        "n": len(xs),
        "mean": r1(sum(xs) / len(xs)),
        "p50": r1(q(50)),
        "p90": r1(q(90)),
        "p95": r1(q(95)),
        "min": r1(lo),
        "max": r1(hi),
        "bins": [
            {"lo": r1(lo + i * width), "hi": r1(lo + (i + 1) * width), "count": counts[i]}
            for i in range(bins)
        ],
        "thin": thin_percentiles(len(xs), SHOWN_PERCENTILES),
    }


def percentile_cell(dist: Mapping[str, Any], key: str) -> Any:
    """A distribution's ``key`` as a table shows it: a percentile its sample
    is too small for (``thin``) keeps its value, marked ``*`` for the
    table's footnote."""
    if key in (dist.get("thin") or ()):
        return f"{fmt(dist.get(key))}*"
    return dist.get(key)


def fmt(value: Any) -> str:
    """How every number is shown: one decimal for floats, ``–`` for none."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
