"""The validation bands follow the batch summary's percentile rule: each
point is one of the lags (the k-th smallest, k = 1 + floor(p (n - 1) / 100)),
never a value interpolated between two, and a point too few lags support
is named thin and printed with ``*`` (docs/validation.md, docs/statistics.md)."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cmdsim import bundled
from cmdsim.analysis.percentiles import percentile_rank
from cmdsim.analysis.validation import order_statistics, signal_lag_bands
from cmdsim.io import load_scenario

lags = st.lists(st.floats(0, 500, allow_nan=False), min_size=1, max_size=60)


@given(lags)
def test_each_point_is_the_order_statistic_of_the_rule(values: list[float]) -> None:
    array = np.asarray(values)
    p05, p50, p95 = order_statistics(array, (5, 50, 95))
    ordered = sorted(values)
    for p, got in ((5, p05), (50, p50), (95, p95)):
        assert got == ordered[percentile_rank(p, len(values)) - 1]
        assert got == float(np.quantile(array, p / 100, method="lower"))
        assert got in values


def test_an_even_count_takes_the_lower_middle_not_the_mean_of_the_two() -> None:
    # numpy's default would give 2.5 and 9.5: values no run produced.
    assert order_statistics(np.asarray([4.0, 1.0, 3.0, 2.0]), (50,)) == (2.0,)
    assert order_statistics(np.asarray([float(v) for v in range(1, 11)]), (5, 95)) == (1.0, 9.0)
    assert all(np.isnan(v) for v in order_statistics(np.asarray([]), (5, 50)))


def test_a_small_run_marks_its_band_ends_thin() -> None:
    scenario = load_scenario(bundled.path("validation/rainstorm-20230817.yaml"))
    bands = signal_lag_bands(scenario, "rainstorm", n=12, seed=3)
    for band in bands.values():
        ordered = sorted(band.values)
        assert len(ordered) == 12 and band.never == 0
        # p05 and p95 need 20 values each (one beyond them expected): thin at 12.
        assert band.thin == ("p05", "p95")
        assert band.p05 == ordered[0] and band.p95 == ordered[percentile_rank(95, 12) - 1]
        assert band.p50 == ordered[percentile_rank(50, 12) - 1] == ordered[5]
        assert band.label("p95").endswith("*") and not band.label("p50").endswith("*")
    enough = signal_lag_bands(scenario, "rainstorm", n=20, seed=3)
    assert all(band.thin == () for band in enough.values())
