"""What-if: factorial sweeps and one-at-a-time sensitivity, with common
random numbers.

A *path* addresses a field of the scenario's district::

    district.duty_room.staffing.night
    district.commands[flood_hq].callout.median
    channels[hotline_12345].miss            (``district.`` may be left out)
    district.officers.tiers[committee].relay (``[key]`` also picks a mapping's entry)
    scenario.horizon                        (``scenario.`` addresses the scenario itself)

``[id]`` picks the item of a tuple whose ``id`` is that.  A value is a YAML
scalar or flow mapping, converted through the model exactly as a file's
would be, and the change is rebuilt up the path with ``attrs.evolve`` so
every validator (down to the district's cross-references) runs again.

Every variant of a sweep runs the same replication seeds as the base (common
random numbers), so a variant identical to the base differs by exactly 0.0
and a real difference is not drowned in sampling noise.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import yaml

from cmdsim.analysis.batch import BatchResult, ProgressFn, RunFn, replicate
from cmdsim.analysis.executors import Executor
from cmdsim.analysis.stats import Accumulator, _num
from cmdsim.errors import CmdsimError, LoadError, ModelError
from cmdsim.model.scenario import Scenario
from cmdsim.model.timing import DELAY_KINDS, Empirical, Exponential, Fixed, LogNormal, Triangular

_SEGMENT = re.compile(r"^([a-z_][a-z0-9_]*)(?:\[([^\]]+)\])?$")


@attrs.frozen
class Segment:
    name: str
    key: str | None = None

    def __str__(self) -> str:
        return self.name if self.key is None else f"{self.name}[{self.key}]"


def parse_path(path: str) -> tuple[str, tuple[Segment, ...]]:
    """``(root, segments)``: root is ``"district"`` or ``"scenario"``."""
    parts = re.split(r"\.(?![^\[]*\])", path.strip())
    segments: list[Segment] = []
    for part in parts:
        match = _SEGMENT.match(part)
        if not match:
            raise CmdsimError(f"{path}: {part!r} is not a field name or name[id]")
        segments.append(Segment(match.group(1), match.group(2)))
    root = "district"
    if segments and segments[0] == Segment("district"):
        segments = segments[1:]
    elif segments and segments[0] == Segment("scenario"):
        root, segments = "scenario", segments[1:]
    if not segments:
        raise CmdsimError(f"{path!r} names no field")
    return root, tuple(segments)


def _fields(obj: Any) -> list[str]:
    return [f.name for f in attrs.fields(type(obj))]


def _key_of(item: Any) -> str:
    value = getattr(item, "value", item)
    return str(value)


def _child(obj: Any, segment: Segment, where: str) -> Any:
    if not attrs.has(type(obj)):
        raise CmdsimError(f"{where}: {type(obj).__name__} has no fields")
    names = _fields(obj)
    if segment.name not in names:
        close = difflib.get_close_matches(segment.name, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise CmdsimError(f"{where}: {type(obj).__name__} has no field {segment.name!r}{hint}")
    value = getattr(obj, segment.name)
    if segment.key is None:
        return value
    if isinstance(value, tuple):
        for item in value:
            if getattr(item, "id", None) == segment.key:
                return item
        ids = [str(getattr(i, "id", "?")) for i in value]
        close = difflib.get_close_matches(segment.key, ids, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise CmdsimError(f"{where}: no {segment.name} item with id {segment.key!r}{hint}")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if _key_of(key) == segment.key:
                return item
        known = ", ".join(_key_of(k) for k in value)
        raise CmdsimError(f"{where}: {segment.name} has no entry {segment.key!r} (has {known})")
    raise CmdsimError(f"{where}: {segment.name} is neither a list nor a mapping, [..] cannot apply")


def _replace_child(obj: Any, segment: Segment, new: Any) -> Any:
    value = getattr(obj, segment.name)
    if segment.key is not None:
        if isinstance(value, tuple):
            value = tuple(new if getattr(i, "id", None) == segment.key else i for i in value)
        else:
            value = {k: (new if _key_of(k) == segment.key else v) for k, v in value.items()}
    else:
        value = new
    changes: dict[str, Any] = {segment.name: value}
    return attrs.evolve(obj, **changes)


def _set_leaf(obj: Any, name: str, raw: Any) -> Any:
    """``obj`` with field ``name`` set from plain data, converted by cmdsim.io."""
    from cmdsim.io import from_data, to_data

    data = to_data(obj)
    if not isinstance(data, dict):
        raise CmdsimError(f"cannot set {name!r} on {type(obj).__name__}")
    if type(obj) in DELAY_KINDS.values():
        data.pop("kind", None)
    data[name] = raw
    built: Any = from_data(data, type(obj))
    return built


def get_path(scenario: Scenario, path: str) -> Any:
    """The value a path addresses."""
    root, segments = parse_path(path)
    obj: Any = scenario.district if root == "district" else scenario
    for i, segment in enumerate(segments):
        obj = _child(obj, segment, ".".join(str(s) for s in segments[: i + 1]))
    return obj


def set_path(scenario: Scenario, path: str, value: Any) -> Scenario:
    """A new scenario with the field at ``path`` set to ``value`` (plain data).

    Raises :class:`CmdsimError` naming the path for a bad path or value.
    """
    root, segments = parse_path(path)
    top: Any = scenario.district if root == "district" else scenario
    chain: list[Any] = [top]
    for i, segment in enumerate(segments[:-1]):
        chain.append(_child(chain[-1], segment, ".".join(str(s) for s in segments[: i + 1])))
    last = segments[-1]
    try:
        parent = chain[-1]
        _child(parent, last, path)  # the field (and item) exist
        if last.key is None:
            new = _set_leaf(parent, last.name, value)
        else:
            item = _child(parent, last, path)
            from cmdsim.io import from_data

            new_item: Any = from_data(value, type(item))
            new = _replace_child(parent, last, new_item)
        for obj, segment in zip(reversed(chain[:-1]), reversed(segments[:-1]), strict=True):
            new = _replace_child(obj, segment, new)
    except LoadError as exc:
        detail = "; ".join(p.message for p in exc.problems)
        raise CmdsimError(f"{path}={_show(value)}: {detail}") from None
    except (ModelError, ValueError, TypeError) as exc:
        raise CmdsimError(f"{path}={_show(value)}: {exc}") from None
    if root == "scenario":
        assert isinstance(new, Scenario)
        return new
    changes: dict[str, Any] = {"district": new}
    try:
        return attrs.evolve(scenario, **changes)
    except ModelError as exc:
        raise CmdsimError(f"{path}={_show(value)}: {exc}") from None


def _show(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, width=1000).strip()
    return text.removesuffix("...").strip()


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
            "mean": _num(self.mean),
            "ci95": [_num(self.ci95[0]), _num(self.ci95[1])],
            "diff": _num(self.diff),
            "diff_ci95": [_num(self.diff_ci95[0]), _num(self.diff_ci95[1])],
            "count": self.count,
            "missing": self.missing,
        }


def _compare(
    label: str,
    settings: tuple[tuple[str, Any], ...],
    base: np.ndarray[Any, np.dtype[np.float64]],
    variant: BatchResult,
    metric: str,
) -> Comparison:
    values = variant.column(metric)
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


class _Points:
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


def _run(
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
    metric = metric or default_metric(scenario, fast)
    # Build every variant first, so a bad value stops the sweep before any run.
    variants: list[tuple[tuple[tuple[str, Any], ...], Scenario]] = []
    for settings in grid(variations):
        changed = scenario
        for path, value in settings:
            changed = set_path(changed, path, value)
        variants.append((settings, changed))
    points = _Points(1 + len(variants), n, progress)
    base_result = _run(
        scenario, n, seed, executor, run, fast, metric, unlimited_capacity, points.point()
    )
    base_values = base_result.column(metric)
    base = _compare("base", (), base_values, base_result, metric)
    engines = {base_result.engine}
    compared = []
    for settings, changed in variants:
        result = _run(
            changed, n, seed, executor, run, fast, metric, unlimited_capacity, points.point()
        )
        engines.add(result.engine)
        label = ", ".join(f"{p}={_show(v)}" for p, v in settings)
        compared.append(_compare(label, settings, base_values, result, metric))
    return SweepResult(scenario.id, metric, n, seed, base, tuple(compared), _engine(engines))


# -- sensitivity -------------------------------------------------------------


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
                yield from _walk(item, f"{here}[{_key_of(key)}]")
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
            "swing": _num(self.swing),
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
    metric = metric or default_metric(scenario, fast)
    for prefix in only:
        _check_prefix(scenario, prefix)
    perturbed = parameters(scenario, only or default_scope(scenario))
    points = _Points(1 + len(factors) * len(perturbed), n, progress)
    base_result = _run(
        scenario, n, seed, executor, run, fast, metric, unlimited_capacity, points.point()
    )
    engines = {base_result.engine}
    base_values = base_result.column(metric)
    base = _compare("base", (), base_values, base_result, metric)
    rows: list[SensitivityRow] = []
    for p in perturbed:
        outcomes: list[Comparison | None] = []
        for new, factor in zip(_variants(scenario, p, factors), factors, strict=True):
            try:
                changed = _replace_at(scenario, p.path, new)
            except CmdsimError:
                outcomes.append(None)
                points.skip()
                continue
            label = _label(p, new, factor)
            result = _run(
                changed, n, seed, executor, run, fast, metric, unlimited_capacity, points.point()
            )
            engines.add(result.engine)
            outcomes.append(_compare(label, ((p.path, label),), base_values, result, metric))
        rows.append(SensitivityRow(p.path, p.kind, outcomes[0], outcomes[1]))
    rows.sort(key=lambda r: (-r.swing if math.isfinite(r.swing) else math.inf, r.parameter))
    return SensitivityResult(scenario.id, metric, n, seed, base, tuple(rows), _engine(engines))


def _check_prefix(scenario: Scenario, prefix: str) -> None:
    """A path prefix of ``only`` names a field with something to perturb.

    A mistyped id or field would otherwise perturb nothing and rank an empty
    table without a word.
    """
    get_path(scenario, prefix)  # raises, with "did you mean", for a bad path
    if not parameters(scenario, (prefix,)):
        raise CmdsimError(f"{prefix}: no delay or capacity to perturb under this path")


def _engine(engines: set[str]) -> str:
    """``fast`` or ``des`` if every point ran on it, else ``mixed``."""
    return engines.pop() if len(engines) == 1 else "mixed"


def _replace_at(scenario: Scenario, path: str, new: Any) -> Scenario:
    """Like :func:`set_path` with a model object instead of plain data."""
    from cmdsim.io import to_data

    data = to_data(new)
    return set_path(scenario, path, data)
