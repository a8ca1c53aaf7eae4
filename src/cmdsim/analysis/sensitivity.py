"""One-at-a-time sensitivity: each delay and capacity of the district scaled
down and up in turn, against the base, with common random numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from cmdsim.analysis.batch import ProgressFn, RunFn, check_arguments
from cmdsim.analysis.built import check_scenario
from cmdsim.analysis.executors import Executor
from cmdsim.analysis.paths import get_path, key_of, replace_at
from cmdsim.analysis.stats import json_float
from cmdsim.analysis.sweep import (
    Comparison,
    Points,
    compare,
    default_metric,
    engine_label,
    run_variant,
)
from cmdsim.errors import CmdsimError
from cmdsim.model.scenario import Scenario
from cmdsim.model.timing import Empirical, Exponential, Fixed, LogNormal, Triangular


def scale_delay(delay: Any, factor: float) -> Any:
    """The delay with its time scale multiplied by ``factor`` (shape kept)."""
    if isinstance(delay, Fixed):
        return Fixed(delay.minutes * factor)
    if isinstance(delay, Exponential):
        return Exponential(delay.mean * factor)
    if isinstance(delay, LogNormal):
        return LogNormal(median=delay.median * factor, sigma=delay.sigma)
    if isinstance(delay, Triangular):
        return Triangular(delay.low * factor, delay.mode * factor, delay.high * factor)
    if isinstance(delay, Empirical):
        return Empirical(tuple(x * factor for x in delay.samples))
    raise TypeError(f"not a delay: {delay!r}")


CAPACITY_FIELDS: dict[str, tuple[str, ...]] = {
    "Staffing": ("day", "night", "holiday"),
    "Unit": ("staff",),
    "Resource": ("capacity",),
}
"""Which integer fields count as capacities (perturbed by ±1)."""


def _walk(obj: Any, path: str) -> Iterator[tuple[str, Any]]:
    """``(path, value)`` for every attrs field below ``obj``, depth first."""
    if not attrs.has(type(obj)):
        return
    for field in attrs.fields(type(obj)):
        value = getattr(obj, field.name)
        here = f"{path}.{field.name}" if path else field.name
        yield here, value
        if isinstance(value, tuple):
            for item in value:
                if attrs.has(type(item)) and hasattr(item, "id"):
                    yield from _walk(item, f"{here}[{item.id}]")
        elif isinstance(value, Mapping):
            for key, item in value.items():
                yield from _walk(item, f"{here}[{key_of(key)}]")
        else:
            yield from _walk(value, here)


@attrs.frozen
class Parameter:
    """A perturbable parameter: a delay's scale or a capacity."""

    path: str
    kind: str  # "delay" or "capacity"
    value: Any


def _under(path: str, prefix: str) -> bool:
    if not prefix.startswith(("district.", "district[")) and prefix != "district":
        prefix = f"district.{prefix}"
    return path == prefix or path.startswith((f"{prefix}.", f"{prefix}["))


def parameters(scenario: Scenario, only: Sequence[str] = ()) -> list[Parameter]:
    """Every delay and capacity of the district, optionally under path prefixes."""
    found: list[Parameter] = []
    for path, value in _walk(scenario.district, "district"):
        if only and not any(_under(path, p) for p in only):
            continue
        if isinstance(value, Fixed | Exponential | LogNormal | Triangular | Empirical):
            found.append(Parameter(path, "delay", value))
        elif isinstance(value, int) and not isinstance(value, bool):
            owner, _, name = path.rpartition(".")
            owner_type = type(get_path(scenario, owner)) if owner != "district" else None
            if owner_type is not None and name in CAPACITY_FIELDS.get(owner_type.__name__, ()):
                found.append(Parameter(path, "capacity", value))
    return found


def default_scope(scenario: Scenario) -> tuple[str, ...]:
    """Where sensitivity looks by default: what lies on the lead HQ's path.

    The district duty room, the channels, the officer network, the duty
    rooms of the incidents' towns, the general HQ and the lead HQ of every
    plan for the incidents' hazards (or the first specialised HQ).
    """
    from cmdsim.analysis.metrics import lead_hq

    district = scenario.district
    scope = ["district.duty_room", "district.channels", "district.officers"]
    towns = dict.fromkeys(i.town for i in scenario.incidents)
    scope += [f"district.towns[{t}].duty_room" for t in towns]
    commands: dict[str, None] = {}
    if district.general_command is not None:
        commands[district.general_command.id] = None
    for incident in scenario.incidents:
        for plan in district.plans_for(incident.hazard):
            if plan.lead is not None:
                commands[plan.lead] = None
    if scenario.incidents:
        commands[lead_hq(scenario)[1]] = None
    scope += [f"district.commands[{c}]" for c in commands]
    return tuple(scope)


@attrs.frozen
class SensitivityRow:
    parameter: str
    kind: str
    low: Comparison | None
    high: Comparison | None

    @property
    def swing(self) -> float:
        effects = [abs(c.diff) for c in (self.low, self.high) if c is not None]
        finite = [e for e in effects if math.isfinite(e)]
        return max(finite) if finite else math.nan

    def to_dict(self) -> dict[str, Any]:
        return {
            "parameter": self.parameter,
            "kind": self.kind,
            "low": self.low.to_dict() if self.low else None,
            "high": self.high.to_dict() if self.high else None,
            "swing": json_float(self.swing),
        }


@attrs.frozen
class SensitivityResult:
    scenario: str
    metric: str
    n: int
    seed: int
    base: Comparison
    rows: tuple[SensitivityRow, ...]
    engine: str = "des"
    """``fast``, ``des`` or ``mixed``: which path ran the points."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "cmdsim.sensitivity/1",
            "engine": self.engine,
            "scenario": self.scenario,
            "metric": self.metric,
            "n": self.n,
            "seed": self.seed,
            "base": self.base.to_dict(),
            "ranking": [r.to_dict() for r in self.rows],
        }


def _variants(scenario: Scenario, p: Parameter, factors: tuple[float, float]) -> list[Any]:
    if p.kind == "delay":
        return [scale_delay(p.value, f) for f in factors]
    return [p.value - 1, p.value + 1]


def _label(p: Parameter, new: Any, factor: float | None) -> str:
    if p.kind == "delay":
        return f"{p.path} ×{factor:g}"
    return f"{p.path}={new}"


def sensitivity(
    scenario: Scenario,
    n: int = 200,
    seed: int = 0,
    executor: Executor | None = None,
    *,
    run: RunFn | None = None,
    fast: bool | None = None,
    metric: str | None = None,
    factors: tuple[float, float] = (0.5, 1.5),
    only: Sequence[str] = (),
    unlimited_capacity: bool = False,
    progress: ProgressFn | None = None,
) -> SensitivityResult:
    """One-at-a-time sensitivity of ``metric`` (default: the lead HQ's activation).

    Each delay's time scale is multiplied by ``factors`` and each capacity
    moved by ±1 (a change the model refuses, such as 0 staff, is skipped);
    ``only`` lists path prefixes to perturb (default :func:`default_scope`);
    the rows are ranked by the larger absolute change of the mean — the data
    of a tornado chart.  ``progress(done, total)`` is told the replications
    done over all points.
    """
    check_arguments(n, seed, executor)
    if isinstance(only, str):
        raise CmdsimError(
            f"only= takes a list of path prefixes, got the string {only!r} (write only=[{only!r}])"
        )
    if len(factors) != 2 or not all(isinstance(f, int | float) and f > 0 for f in factors):
        raise CmdsimError(
            f"factors= takes two positive scales (down, up) such as (0.5, 1.5), got {factors!r}"
        )
    check_scenario(scenario, "sensitivity")
    metric = metric or default_metric(scenario, fast)
    for prefix in only:
        _check_prefix(scenario, prefix)
    perturbed = parameters(scenario, only or default_scope(scenario))
    points = Points(1 + len(factors) * len(perturbed), n, progress)
    base_result = run_variant(
        scenario, n, seed, executor, run, fast, metric, unlimited_capacity, points.point()
    )
    engines = {base_result.engine}
    base_values = base_result.column(metric)
    base = compare("base", (), base_values, base_result, metric)
    rows: list[SensitivityRow] = []
    for p in perturbed:
        outcomes: list[Comparison | None] = []
        for new, factor in zip(_variants(scenario, p, factors), factors, strict=True):
            try:
                changed = replace_at(scenario, p.path, new)
                check_scenario(changed, "sensitivity")
            except CmdsimError:
                outcomes.append(None)
                points.skip()
                continue
            label = _label(p, new, factor)
            result = run_variant(
                changed, n, seed, executor, run, fast, metric, unlimited_capacity, points.point()
            )
            engines.add(result.engine)
            outcomes.append(compare(label, ((p.path, label),), base_values, result, metric))
        rows.append(SensitivityRow(p.path, p.kind, outcomes[0], outcomes[1]))
    rows.sort(key=lambda r: (-r.swing if math.isfinite(r.swing) else math.inf, r.parameter))
    return SensitivityResult(scenario.id, metric, n, seed, base, tuple(rows), engine_label(engines))


def _check_prefix(scenario: Scenario, prefix: str) -> None:
    """A path prefix of ``only`` names a field with something to perturb.

    A mistyped id or field would otherwise perturb nothing and rank an empty
    table without a word.
    """
    get_path(scenario, prefix)  # raises, with "did you mean", for a bad path
    if not parameters(scenario, (prefix,)):
        raise CmdsimError(f"{prefix}: no delay or capacity to perturb under this path")
