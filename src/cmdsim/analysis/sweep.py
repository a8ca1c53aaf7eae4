"""What-if: factorial sweeps with common random numbers.

Scenarios are changed through paths (:mod:`cmdsim.analysis.paths`);
sensitivity is :mod:`cmdsim.analysis.sensitivity`.

Every variant of a sweep runs the same replication seeds as the base (common
random numbers), so a variant identical to the base differs by exactly 0.0
and a real difference is not drowned in sampling noise.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from typing import Any

import attrs
import numpy as np
import yaml

from cmdsim.analysis.batch import (
    FORCED,
    BatchResult,
    ProgressFn,
    RunFn,
    check_arguments,
    replicate,
)
from cmdsim.analysis.built import check_scenario
from cmdsim.analysis.executors import Executor
from cmdsim.analysis.paths import Segment, parse_path, set_path, show_value
from cmdsim.analysis.stats import Accumulator, json_float
from cmdsim.errors import CmdsimError
from cmdsim.model.scenario import Scenario


@attrs.frozen
class Variation:
    """One ``--vary PATH=V1,V2,...``: a path and the values it takes."""

    path: str
    values: tuple[Any, ...]

    @classmethod
    def parse(cls, text: str) -> Variation:
        path, sep, raw = text.partition("=")
        if not sep or not path.strip() or not raw.strip():
            raise CmdsimError(f"--vary wants PATH=V1,V2,..., got {text!r}")
        try:
            values = yaml.safe_load(f"[{raw}]")
        except yaml.YAMLError as exc:
            raise CmdsimError(f"--vary {text}: the values are not YAML: {exc}") from None
        parse_path(path)
        return cls(path.strip(), tuple(values))


@attrs.frozen
class Comparison:
    """A variant against the base on one metric, replication by replication."""

    label: str
    settings: tuple[tuple[str, Any], ...]
    mean: float
    ci95: tuple[float, float]
    diff: float
    diff_ci95: tuple[float, float]
    count: int
    missing: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "settings": {path: value for path, value in self.settings},
            "mean": json_float(self.mean),
            "ci95": [json_float(self.ci95[0]), json_float(self.ci95[1])],
            "diff": json_float(self.diff),
            "diff_ci95": [json_float(self.diff_ci95[0]), json_float(self.diff_ci95[1])],
            "count": self.count,
            "missing": self.missing,
        }


def compare(
    label: str,
    settings: tuple[tuple[str, Any], ...],
    base: np.ndarray[Any, np.dtype[np.float64]],
    variant: BatchResult,
    metric: str,
) -> Comparison:
    """A variant's ``metric`` against the base's, replication by replication."""
    values = variant.column(metric)
    if len(base) != len(values):
        raise CmdsimError(
            f"{label}: {len(values)} replications against a base of {len(base)}; "
            "a paired comparison needs the same replications on both sides"
        )
    level, paired = Accumulator(), Accumulator()
    for b, v in zip(base, values, strict=True):
        level.add(float(v))
        paired.add(float(v - b) if not (math.isnan(b) or math.isnan(v)) else math.nan)
    return Comparison(
        label=label,
        settings=settings,
        mean=level.mean if level.count else math.nan,
        ci95=level.ci95,
        diff=paired.mean if paired.count else math.nan,
        diff_ci95=paired.ci95,
        count=level.count,
        missing=level.missing,
    )


def compare_batches(
    base: BatchResult, variant: BatchResult, metric: str, label: str = "variant"
) -> Comparison:
    """Two batches run in Python (two plans, say) on ``metric``, paired.

    The difference is a difference of plans only when both batches ran the
    same replications: the same ``n``, seed and week spread (common random
    numbers, as a sweep's points do) over the same clock (start and
    horizon: a shorter horizon turns late activations into "never").  Two
    batches that differ in any of these are refused with what differs,
    rather than their difference shown as the plans'.  Both need
    ``keep=True``.
    """
    differs = [
        f"{name} {mine!r} against {theirs!r}"
        for name, mine, theirs in (
            ("n", variant.n, base.n),
            ("seed", variant.seed, base.seed),
            ("spread_week", variant.spread_week, base.spread_week),
            ("start", variant.start, base.start),
            ("horizon", variant.horizon, base.horizon),
        )
        if mine != theirs
    ]
    forced = (base.reason == FORCED, variant.reason == FORCED)
    if forced[0] != forced[1]:
        # The forced fast path draws its own numbers, not the engine's streams.
        differs.append(
            f"{'the base' if forced[0] else 'the variant'} ran the forced fast path "
            "(fast=True), whose random numbers are not the engine's"
        )
    if differs:
        raise CmdsimError(
            f"{label}: not the base's replications ({'; '.join(differs)}): the difference "
            "would mix the plans with other draws or another clock; run both with the same "
            "n, seed, spread_week, start and horizon"
        )
    return compare(label, (), base.column(metric), variant, metric)


@attrs.frozen
class SweepResult:
    """The base and every grid point, compared on ``metric``."""

    scenario: str
    metric: str
    n: int
    seed: int
    base: Comparison
    variants: tuple[Comparison, ...]
    engine: str = "des"
    """``fast``, ``des`` or ``mixed``: which path ran the points."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "cmdsim.sweep/1",
            "engine": self.engine,
            "scenario": self.scenario,
            "metric": self.metric,
            "n": self.n,
            "seed": self.seed,
            "base": self.base.to_dict(),
            "variants": [v.to_dict() for v in self.variants],
        }


def default_metric(scenario: Scenario, fast: bool | None = None) -> str:
    """The lead HQ's activation time (the same name whichever path runs)."""
    from cmdsim.analysis.metrics import lead_activation_metric

    del fast  # the fast path's metrics carry the engine's names
    return lead_activation_metric(scenario)


class Points:
    """Progress over every point of a sweep: ``(replications done, all)``."""

    def __init__(self, points: int, n: int, progress: ProgressFn | None) -> None:
        self.total = points * n
        self.n = n
        self.done = 0
        self.progress = progress

    def point(self) -> ProgressFn | None:
        """The progress callback of the next point (its replications)."""
        progress = self.progress
        if progress is None:
            return None
        start, total = self.done, self.total
        self.done += self.n

        def report(done: int, _: int) -> None:
            progress(start + done, total)

        return report

    def skip(self) -> None:
        """A point not run (a change the model refuses) counts as done."""
        if self.progress is not None:
            self.done += self.n
            self.progress(self.done, self.total)


def run_variant(
    scenario: Scenario,
    n: int,
    seed: int,
    executor: Executor | None,
    run: RunFn | None,
    fast: bool | None,
    metric: str,
    unlimited: bool = False,
    progress: ProgressFn | None = None,
) -> BatchResult:
    """One point: the fast path when it permits (see ``replicate``), only ``metric`` kept."""
    metrics = [metric] if run is None else None
    chosen: dict[str, Any] = {"fast": fast, "metrics": metrics, "unlimited_capacity": unlimited}
    return replicate(
        scenario, n, seed=seed, executor=executor, run=run, keep=True, progress=progress, **chosen
    )


def grid(variations: Sequence[Variation]) -> Iterator[tuple[tuple[str, Any], ...]]:
    """Every combination of the variations' values, in the order given."""
    for combo in itertools.product(*(v.values for v in variations)):
        yield tuple((v.path, value) for v, value in zip(variations, combo, strict=True))


def sweep(
    scenario: Scenario,
    variations: Sequence[Variation],
    n: int,
    seed: int = 0,
    executor: Executor | None = None,
    *,
    run: RunFn | None = None,
    fast: bool | None = None,
    metric: str | None = None,
    unlimited_capacity: bool = False,
    progress: ProgressFn | None = None,
) -> SweepResult:
    """The factorial grid of ``variations``, each point against the base.

    ``progress(done, total)`` is told the replications done over all points.
    """
    check_arguments(n, seed, executor)
    check_variations(variations)
    check_scenario(scenario, "sweep")
    metric = metric or default_metric(scenario, fast)
    # Build every variant first, so a bad value stops the sweep before any run.
    variants: list[tuple[tuple[tuple[str, Any], ...], Scenario]] = []
    for settings in grid(variations):
        changed = scenario
        for path, value in settings:
            changed = set_path(changed, path, value)
        try:
            check_scenario(changed, "sweep")
        except CmdsimError as exc:
            shown = ", ".join(f"{p}={show_value(v)}" for p, v in settings)
            raise CmdsimError(f"the point {shown}: {exc}") from None
        variants.append((settings, changed))
    points = Points(1 + len(variants), n, progress)
    base_result = run_variant(
        scenario, n, seed, executor, run, fast, metric, unlimited_capacity, points.point()
    )
    base_values = base_result.column(metric)
    base = compare("base", (), base_values, base_result, metric)
    engines = {base_result.engine}
    compared = []
    for settings, changed in variants:
        result = run_variant(
            changed, n, seed, executor, run, fast, metric, unlimited_capacity, points.point()
        )
        engines.add(result.engine)
        label = ", ".join(f"{p}={show_value(v)}" for p, v in settings)
        compared.append(compare(label, settings, base_values, result, metric))
    return SweepResult(scenario.id, metric, n, seed, base, tuple(compared), engine_label(engines))


def check_variations(variations: Sequence[Variation]) -> None:
    """Each field is varied once, each value given once.

    A field varied twice (``night=1,2`` and ``night=3``, or a mapping and a
    field inside it) has its later values applied over the earlier ones:
    every point of the grid would run the later values while its label
    said the earlier, a comparison of nothing.  A value given twice is a
    variant run twice under one label.
    """
    if isinstance(variations, str | Variation):
        raise CmdsimError(
            f"variations= takes a list of Variation, got {variations!r} "
            "(write [Variation.parse('PATH=V1,V2')])"
        )
    seen: list[tuple[tuple[str, tuple[Segment, ...]], Variation]] = []
    for variation in variations:
        if not isinstance(variation, Variation):
            raise CmdsimError(
                f"a variation is a Variation (Variation.parse('PATH=V1,V2') or "
                f"Variation(path, (v1, v2))), got {variation!r}"
            )
        if not isinstance(variation.values, tuple | list) or not variation.values:
            raise CmdsimError(
                f"{variation.path}: a variation's values are a non-empty tuple, got "
                f"{variation.values!r} (write Variation({variation.path!r}, (value, ...)))"
            )
        root, segments = parse_path(variation.path)
        for (other_root, other), earlier in seen:
            shorter = min(len(segments), len(other))
            if root == other_root and segments[:shorter] == other[:shorter]:
                raise CmdsimError(
                    f"--vary {variation.path}: the field is varied already by "
                    f"{earlier.path} (the later values would override the earlier at every "
                    "point, under the earlier's label); give a field's values once"
                )
        seen.append(((root, segments), variation))
        shown = [show_value(v) for v in variation.values]
        twice = sorted({s for s in shown if shown.count(s) > 1})
        if twice:
            raise CmdsimError(
                f"--vary {variation.path}: the value {', '.join(twice)} is given twice "
                "(the same variant, run twice)"
            )


def engine_label(engines: set[str]) -> str:
    """``fast`` or ``des`` if every point ran on it, else ``mixed``."""
    return engines.pop() if len(engines) == 1 else "mixed"
