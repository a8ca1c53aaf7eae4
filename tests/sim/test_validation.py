"""The model against a public figure: Shanghai's flood HQ started level IV
two minutes after the blue signal and level III six minutes after yellow
(17 Aug 2023).  The bundled district's warning link must put both inside
its 5-95 % band (docs/validation.md)."""

from __future__ import annotations

import attrs
import pytest

from cmdsim import bundled
from cmdsim.analysis.validation import OBSERVED_17_AUG_2023, signal_lag_bands
from cmdsim.io import load_scenario


@pytest.mark.slow
def test_the_observed_lags_fall_inside_the_models_band() -> None:
    scenario = load_scenario(bundled.path("validation/rainstorm-20230817.yaml"))
    bands = signal_lag_bands(scenario, "rainstorm", n=300, seed=1)
    for colour, minutes in OBSERVED_17_AUG_2023.items():
        band = bands[colour]
        assert band.never == 0
        assert band.holds(minutes), (colour, band.p05, band.p95, minutes)


@pytest.mark.slow
def test_without_the_link_the_observed_two_minutes_fall_outside() -> None:
    # The comparison can fail: triage and approval alone are far slower.
    scenario = load_scenario(bundled.path("validation/rainstorm-20230817.yaml"))
    plans = tuple(attrs.evolve(p, warnings=None) for p in scenario.district.plans)
    unlinked = attrs.evolve(scenario, district=attrs.evolve(scenario.district, plans=plans))
    bands = signal_lag_bands(unlinked, "rainstorm", n=100, seed=1)
    assert not bands["blue"].holds(OBSERVED_17_AUG_2023["blue"])
    assert bands["blue"].p50 > 8.0
