"""A batch's and a sweep's outputs as report data: samples and statistics
of the metrics, deadline rates, the representative run, the comparison."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cmdsim.errors import LoadError, Problem
from cmdsim.io.finding import locate_scenario
from cmdsim.model.switches import recorded
from cmdsim.report.build import build_report, comparison
from cmdsim.report.numbers import SHOWN_PERCENTILES, distribution, r1
from cmdsim.report.source_files import (
    SWEEP_FILES,
    checker_findings,
    int_or_none,
    read_json,
    required_levels,
    str_or_none,
)


def _numbers(value: Any) -> list[float] | None:
    if (
        isinstance(value, list)
        and value
        and all(
            x is None or (isinstance(x, int | float) and not isinstance(x, bool)) for x in value
        )
    ):
        return [float(x) for x in value if x is not None]
    return None


def collect_samples(summary: Any, prefix: str = "") -> dict[str, list[float]]:
    """Every list of numbers in a batch summary, by its JSON path: the
    per-replication activation times and delays the distributions show."""
    found: dict[str, list[float]] = {}
    if isinstance(summary, Mapping):
        for key in sorted(summary):
            path = f"{prefix}.{key}" if prefix else str(key)
            numbers = _numbers(summary[key])
            if numbers is not None and len(numbers) >= 2:
                found[path] = numbers
            else:
                found.update(collect_samples(summary[key], path))
    elif isinstance(summary, list) and summary and all(isinstance(x, Mapping) for x in summary):
        # a list of per-replication records: gather each numeric field
        keys = sorted({k for x in summary for k, v in x.items() if isinstance(v, int | float)})
        for key in keys:
            values = [x.get(key) for x in summary]
            numbers = _numbers(values)
            if numbers is not None and len(numbers) >= 2:
                found[f"{prefix}.{key}" if prefix else key] = numbers
    return found


def from_batch(path: Path, scenario: Any, facts: Mapping[str, Any]) -> dict[str, Any]:
    """A batch (``cmdsim.analysis``): ``summary.json`` and, when there,
    ``replications.csv`` with one row per replication (for histograms).

    With its scenario (found by the digest in ``manifest.json``, or given),
    the distributions are grouped by hazard and the time band of the
    onset and measured from each incident's origin, and the timeline is a
    representative replication's, run again.
    """
    file = path / "summary.json" if path.is_dir() else path
    summary = read_json(file)
    if not isinstance(summary, Mapping):
        raise LoadError([Problem("summary.json is not a JSON object", file=str(file))])
    manifest_file = file.parent / "manifest.json"
    manifest = read_json(manifest_file) if manifest_file.is_file() else {}
    manifest = manifest if isinstance(manifest, Mapping) else {}
    scenario = _batch_scenario(manifest_file, manifest, summary, scenario)
    how = run_as(summary, batch_switches(manifest, summary))
    metrics = summary.get("metrics") if isinstance(summary.get("metrics"), Mapping) else {}
    assert isinstance(metrics, Mapping)
    table = file.parent / "replications.csv"
    rows_table = _read_rows(table) if table.is_file() else []
    rows = _batch_deadlines(summary.get("deadlines"))
    extra: dict[str, Any] = {}
    for key in ("replications", "n"):
        if isinstance(summary.get(key), int):
            extra["replications"] = summary[key]
            break
    representative = None
    if scenario is not None and rows_table:
        from cmdsim.report.batch import grouped, representative_run, summary_figures

        dists = grouped(scenario, rows_table)
        extra.update(summary_figures(scenario, rows_table))
        representative = representative_run(scenario, summary, rows_table, file.parent)
    else:
        names = [n for n in sorted(metrics) if _is_time(n) and not n.endswith(".met")]
        names = _activation_first(names)
        samples: dict[str, list[float]] = {}
        if rows_table:
            columns = _columns(rows_table)
            samples = {n: columns[n] for n in names if n in columns}
        if not samples and not metrics:
            legacy = collect_samples(summary)
            samples = {k: v for k, v in legacy.items() if _is_time(k)} or legacy
        dists = [
            distribution(n, samples[n]) if n in samples else _from_stats(n, metrics[n])
            for n in names
        ]
        if not metrics:
            dists = [distribution(n, v) for n, v in sorted(samples.items())]
        dists = [d for d in dists if d["n"]]
    report = _result_report(
        "batch",
        scenario,
        summary,
        distributions=dists,
        deadline_rows=rows,
        extra_summary=extra,
        facts=facts,
        timeline_events=representative["events"] if representative else None,
    )
    if representative:
        report["representative"] = {k: v for k, v in representative.items() if k not in ("events",)}
    if how:
        report["run_as"] = how
    return report


def _batch_scenario(
    manifest_file: Path, manifest: Mapping[str, Any], summary: Mapping[str, Any], scenario: Any
) -> Any:
    """The batch's scenario: given, else the file its manifest names (from
    the batch directory), else found by the digest it records among the
    scenario files near it (``scenarios/*.yaml`` of the working directory and
    of the batch directory's parents); with the switches it was run with
    applied (the manifest's digest is the switched scenario's)."""
    digest = manifest.get("scenario_digest")
    relative = manifest.get("scenario_relative")
    return locate_scenario(
        manifest_file.parent,
        logged=None,
        relative=relative if isinstance(relative, str) else None,
        digest=digest if isinstance(digest, str) else None,
        explicit=scenario,
        switches=batch_switches(manifest, summary),
        record=str(manifest_file),
    )


def batch_switches(manifest: Mapping[str, Any], summary: Mapping[str, Any]) -> tuple[str, ...]:
    """The scenario switches a batch ran with, from its manifest (and its
    summary's ``switches``)."""
    how = summary.get("switches")
    return recorded({**manifest, **(how if isinstance(how, Mapping) else {})})


def run_as(summary: Mapping[str, Any], switches: Sequence[str]) -> dict[str, Any]:
    """How a batch was run, by option keyword (``no_town_plans: true``,
    ``metrics: [...]``...): its summary's ``switches`` (older summaries
    lack it: their ``spread_week``) with the scenario ``switches``."""
    how = summary.get("switches")
    out: dict[str, Any] = dict(how) if isinstance(how, Mapping) else {}
    out.update(dict.fromkeys(switches, True))
    if summary.get("spread_week") is True:
        out["spread_week"] = True
    return out


def _read_rows(path: Path) -> list[dict[str, float]]:
    """The replications table, one dict per replication (non-numbers left out)."""
    import csv
    import math

    out: list[dict[str, float]] = []
    # utf-8-sig: ours leads with a byte order mark, a hand-made one may not.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            values: dict[str, float] = {}
            for key, text in row.items():
                if key is None:
                    continue
                try:
                    value = float(text)
                except (TypeError, ValueError):
                    continue
                if math.isfinite(value):
                    values[key] = value
            out.append(values)
    return out


def _columns(rows: list[dict[str, float]]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    for row in rows:
        for key, value in row.items():
            out.setdefault(key, []).append(value)
    return out


def _result_report(
    kind: str, scenario: Any, data: Mapping[str, Any], **parts: Any
) -> dict[str, Any]:
    """:func:`build_report` of a result file naming its scenario and seed (a
    batch's, a sweep's), with the plans' part when the scenario is known."""
    coverage, findings = checker_findings(scenario)
    return build_report(
        kind=kind,
        scenario=scenario,
        scenario_name=str_or_none(data.get("scenario")),
        seed=int_or_none(data.get("seed")),
        coverage=coverage,
        findings=findings,
        required=required_levels(scenario),
        **parts,
    )


def from_sweep(path: Path, scenario: Any) -> dict[str, Any]:
    """A sweep or sensitivity ranking: the comparison with the base."""
    file = path
    if path.is_dir():
        file = next(path / name for name in SWEEP_FILES if (path / name).is_file())
    data = read_json(file)
    missing = _sweep_problem(data)
    if missing is not None:
        raise LoadError([Problem(missing, file=str(file))])
    compared = comparison(data)
    relative, digest = data.get("scenario_relative"), data.get("scenario_digest")
    scenario = locate_scenario(
        file.parent,
        logged=None,
        relative=relative if isinstance(relative, str) else None,
        digest=digest if isinstance(digest, str) else None,
        explicit=scenario,
        record=str(file),
    )
    report = _result_report(
        "sweep",
        scenario,
        data,
        extra_summary={
            "metric": compared["metric"],
            "replications": compared["n"],
            "base_mean": compared["base_mean"],
        },
    )
    # Nothing of one run's timeline is in a comparison: its empty lines go.
    summary = {k: v for k, v in report["summary"].items() if v is not None}
    # Nor its deadlines or misses: "0 deadlines" and "nothing was missed"
    # would be read as findings.
    return {**report, "summary": summary, "comparison": compared, "unmeasured": True}


def _sweep_problem(data: Any) -> str | None:
    """What keeps ``data`` from being a sweep's or sensitivity's result, naming the field."""
    if not isinstance(data, Mapping):
        return "not a sweep or sensitivity result (not a JSON object)"
    for key in ("base", "metric", "n"):
        if key not in data:
            return f"{key}: missing (not a sweep or sensitivity result)"
    base = data["base"]
    if not isinstance(base, Mapping) or "mean" not in base or not _number(base["mean"]):
        return "base.mean: missing or not a number"
    rows = data.get("variants", data.get("ranking"))
    if not isinstance(rows, list):
        return "variants (or ranking): missing or not a list"
    field = "variants" if "variants" in data else "ranking"
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            return f"{field}[{index}]: not an object"
        sides = [row] if field == "variants" else [row.get("low"), row.get("high")]
        sides = [side for side in sides if side is not None]
        if field == "ranking" and "parameter" not in row:
            return f"{field}[{index}].parameter: missing"
        for side in sides:
            if not isinstance(side, Mapping):
                return f"{field}[{index}]: a side is not an object"
            for key in ("label", "mean", "diff", "diff_ci95", "missing"):
                if key not in side:
                    return f"{field}[{index}].{key}: missing"
    return None


def _number(value: Any) -> bool:
    """A JSON number, or null (a metric never observed)."""
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


MAX_DISTRIBUTIONS = 12


def _activation_first(names: list[str]) -> list[str]:
    """Activation times first, then awareness and levels; at most a dozen."""

    def rank(name: str) -> int:
        lowered = name.lower()
        for i, word in enumerate(("activat", "aware", "level", "notif")):
            if word in lowered:
                return i
        return 9

    return sorted(names, key=lambda n: (rank(n), n))[:MAX_DISTRIBUTIONS]


def _from_stats(name: str, stats: Any) -> dict[str, Any]:
    """A distribution row from a batch's summary statistics (no histogram)."""
    from cmdsim.analysis.percentiles import thin_percentiles

    stats = stats if isinstance(stats, Mapping) else {}
    count = stats.get("count")
    n = int(count) if isinstance(count, int) else 0
    return {
        "name": name,
        "n": n,
        "mean": r1(stats.get("mean")),
        "p50": r1(stats.get("p50")),
        "p90": r1(stats.get("p90")),
        "p95": r1(stats.get("p95")),
        "min": r1(stats.get("min")),
        "max": r1(stats.get("max")),
        "bins": [],
        # From the count, as the summary's own "thin" (older summaries lack it).
        "thin": thin_percentiles(n, SHOWN_PERCENTILES),
    }


def _batch_deadlines(data: Any) -> list[dict[str, Any]]:
    """One row per deadline metric of a batch: how often it was met."""
    rows: list[dict[str, Any]] = []
    if not isinstance(data, Mapping):
        return rows
    for name in sorted(data):
        stats = data[name]
        if not isinstance(stats, Mapping) or not isinstance(stats.get("count"), int):
            continue
        count, met = int(stats["count"]), int(stats.get("met", 0))
        ident = name[: -len(".met")] if name.endswith(".met") else name
        parts = ident.split(".")
        incident = parts[1] if parts[0] == "incident" and len(parts) > 2 else None
        rows.append(
            {
                "id": ident,
                "name": ident,
                "incident": incident,
                "by": None,
                "due": None,
                "done": None,
                "slack": None,
                "count": count,
                "met_count": met,
                "rate": r1(100.0 * met / count) if count else None,
                "status": "met" if count and met == count else "missed",
            }
        )
    return rows


def _is_time(path: str) -> bool:
    """A metric holding minutes (by its last name): not a level code or a flag."""
    tokens = path.lower().rsplit(".", 1)[-1].split("_")
    words = {"aware", "notified", "decided", "time", "delay", "minutes", "wait"}
    return any(t in words or t.startswith("activat") for t in tokens)
