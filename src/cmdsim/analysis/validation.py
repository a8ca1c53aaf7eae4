"""Checks of the engine against public figures: how the model's timing
compares with what a real district did.

The first check is the warning-to-level lag: on 17 Aug 2023 Shanghai's
flood HQ started level IV two minutes after the rainstorm blue signal and
level III six minutes after yellow.  :func:`signal_lag_bands` gives the
model's distribution of the same lag, so a planner (and the test suite) can
ask whether the observed figures fall inside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import attrs
import numpy as np

from cmdsim.analysis.batch import replicate
from cmdsim.analysis.percentiles import percentile_rank, thin_percentiles
from cmdsim.errors import ScenarioError
from cmdsim.model.levels import Signal
from cmdsim.model.scenario import Scenario

OBSERVED_17_AUG_2023: Mapping[str, float] = {"blue": 2.0, "yellow": 6.0}
"""Minutes from the signal to the level it starts, Shanghai, 17 Aug 2023
(blue 11:50 → level IV 11:52; yellow 12:20 → level III 12:26)."""


@attrs.frozen
class LagBand:
    """One colour's signal-to-level lag over the replications (minutes).

    ``p05``, ``p50`` and ``p95`` follow the batch summary's rule
    (:mod:`cmdsim.analysis.percentiles`): the p-th percentile of the ``n``
    lags seen is their k-th smallest, ``k = 1 + floor(p (n − 1) / 100)``,
    one of the lags and never a value between two of them.  ``thin`` names
    those the count is too few for (a ``p95`` of fewer than 20 lags is the
    largest or the next to it, whatever the tail does), as a summary's
    ``thin`` does; reports mark them ``*``."""

    colour: str
    p05: float
    p50: float
    p95: float
    never: int
    """Replications in which the level the signal calls for was never reached."""
    values: tuple[float, ...] = attrs.field(repr=False)
    thin: tuple[str, ...] = ()
    """Those of ``"p05"``, ``"p50"``, ``"p95"`` too few lags support
    (:func:`cmdsim.analysis.percentiles.thin_percentiles`)."""

    def label(self, key: str, digits: int = 1) -> str:
        """``key``'s value (``"p05"``, ``"p50"``, ``"p95"``) to ``digits``
        decimals, marked ``*`` if it is thin, as the batch report marks one."""
        mark = "*" if key in self.thin else ""
        return f"{getattr(self, key):.{digits}f}{mark}"

    def holds(self, minutes: float) -> bool:
        """Whether ``minutes`` lies inside the 5-95 % band."""
        return self.p05 <= minutes <= self.p95


def signal_lag_bands(
    scenario: Scenario, incident: str, n: int = 1000, seed: int = 0
) -> dict[str, LagBand]:
    """The 5, 50 and 95 % points of each signal's lag to its level, by the
    batch summary's percentile rule (order statistics, thin ones named: see
    :class:`LagBand`).

    >>> from cmdsim import bundled
    >>> from cmdsim.io import load_scenario
    >>> sc = load_scenario(bundled.path("validation/rainstorm-20230817.yaml"))
    >>> bands = signal_lag_bands(sc, "rainstorm", n=200)
    >>> all(bands[c].holds(m) for c, m in OBSERVED_17_AUG_2023.items())
    True
    """
    found = next((i for i in scenario.incidents if i.id == incident), None)
    if found is None:
        known = ", ".join(i.id for i in scenario.incidents)
        raise ScenarioError(f"{scenario.id} has no incident {incident!r} (it has: {known})")
    colours = list(
        dict.fromkeys(p.signal.value for p in found.timeline if isinstance(p.signal, Signal))
    )
    if not colours:
        raise ScenarioError(f"incident {incident!r} of {scenario.id} has no warning signal")
    names = [f"incident.{incident}.signal_lag.{c}" for c in colours]
    result = replicate(scenario, n, seed=seed, metrics=names, keep=True, progress=None)
    out: dict[str, LagBand] = {}
    for colour, name in zip(colours, names, strict=True):
        column = np.asarray(result.column(name), dtype=float)
        seen = column[~np.isnan(column)]
        p05, p50, p95 = order_statistics(seen, (5, 50, 95))
        out[colour] = LagBand(
            colour,
            p05,
            p50,
            p95,
            int(column.size - seen.size),
            tuple(seen),
            tuple(thin_percentiles(int(seen.size), ("p05", "p50", "p95"))),
        )
    return out


def order_statistics(values: np.ndarray, ps: tuple[float, ...]) -> tuple[float, ...]:
    """Each ``p`` of ``ps`` as the summary's percentile of ``values``: their
    ``percentile_rank(p, n)``-th smallest (NaN for each if there are none)."""
    if values.size == 0:
        return tuple(math.nan for _ in ps)
    ordered = np.sort(values)
    return tuple(float(ordered[percentile_rank(p, int(ordered.size)) - 1]) for p in ps)
