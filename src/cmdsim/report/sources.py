"""Read what a report is made from: a run's output directory (``cmdsim run
--out DIR``: ``events.jsonl`` and ``metrics.json``), a batch's
``summary.json``, a sweep's ``sweep.json`` or ``sensitivity.json``
(``cmdsim sweep --out DIR``), or an exercise log (``cmdsim drill --log FILE``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cmdsim.errors import CmdsimError, LoadError, Problem, ScenarioError
from cmdsim.io import load
from cmdsim.jsonlines import read_jsonl
from cmdsim.report.build import build_report, comparison
from cmdsim.report.context import locate_scenario
from cmdsim.report.facts import from_log, load_facts, merge
from cmdsim.report.numbers import distribution, r1

SWEEP_FILES = ("sweep.json", "sensitivity.json")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise LoadError(
            [
                Problem(
                    f"not valid JSON: {exc.msg}", file=str(path), line=exc.lineno, column=exc.colno
                )
            ]
        ) from None


def detect(path: Path) -> str:
    """``run``, ``batch``, ``sweep`` or ``exercise`` for a report input path."""
    if path.is_dir():
        if (path / "summary.json").is_file():
            return "batch"
        if any((path / name).is_file() for name in SWEEP_FILES):
            return "sweep"
        if (path / "events.jsonl").is_file() or (path / "metrics.json").is_file():
            return "run"
        raise LoadError(
            [
                Problem(
                    "not a run, batch or sweep output (no events.jsonl, metrics.json, "
                    "summary.json, sweep.json or sensitivity.json)",
                    file=str(path),
                )
            ]
        )
    if not path.is_file():
        what = "not a regular file" if path.exists() else "no such file or directory"
        raise LoadError([Problem(what, file=str(path))])
    if path.name == "summary.json":
        return "batch"
    if path.name in SWEEP_FILES:
        return "sweep"
    if path.suffix == ".json":
        return "run"
    with path.open("rb") as handle:
        first = handle.readline(1 << 20)
    try:
        head = json.loads(first.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        head = None
    if not isinstance(head, dict):
        raise LoadError(
            [
                Problem(
                    "not a run's event log, a batch summary or an exercise log "
                    "(its first line is not a JSON record)",
                    file=str(path),
                    line=1,
                )
            ]
        )
    if head.get("type") == "exercise":
        return "exercise"
    return "run"


def load_source(
    path: str | Path, scenario: Any = None, facts: str | Path | None = None
) -> dict[str, Any]:
    """The report data for a run dir, batch dir/summary or exercise log.

    The scenario the result was made from is found by itself (the path it
    recorded, from its own folder, checked against its digest); ``scenario``
    (a :class:`cmdsim.model.Scenario`) gives it instead.  It adds the names,
    the origins, the clock, the required levels, the coverage matrix and the
    findings; a path to a scenario file is loaded.  ``facts`` is a YAML file of
    the exercise's facts and edits of the improvement plan
    (:mod:`cmdsim.report.facts`), over the log's own.
    """
    path = Path(path)
    if isinstance(scenario, str | Path):
        scenario = load(scenario)
    kind = detect(path)
    extra = load_facts(facts) if facts is not None else {}
    if kind == "exercise":
        return _from_exercise(path, scenario, extra)
    if kind == "batch":
        return _from_batch(path, scenario, extra)
    if kind == "sweep":
        return _from_sweep(path, scenario)
    return _from_run(path, scenario, extra)


def with_batch(report: dict[str, Any], batch: str | Path, scenario: Any = None) -> dict[str, Any]:
    """A run's or exercise's report with the distributions of a batch added
    (``cmdsim report RUN --batch DIR``); ``scenario`` as for :func:`load_source`."""
    extra = load_source(batch, scenario=scenario)
    if extra["kind"] != "batch":
        raise LoadError([Problem("not a batch output (no summary.json)", file=str(batch))])
    summary = dict(report["summary"])
    if "replications" in extra["summary"]:
        summary["replications"] = extra["summary"]["replications"]
    return {
        **report,
        "summary": summary,
        "distributions": [*report["distributions"], *extra["distributions"]],
    }


def event_record(record: Any) -> dict[str, Any]:
    """One log line as a plain record: an engine ``Event`` or a record already."""
    if isinstance(record, Mapping):
        return dict(record)
    data: dict[str, Any] = record.to_data()
    return data


def from_result(result: Any, scenario: Any = None, seed: int | None = None) -> dict[str, Any]:
    """The report data of an in-memory run (a ``RunResult`` of the engine)."""
    events = [event_record(e) for e in getattr(result, "events", ())]
    coverage, findings = _checker(scenario)
    metrics = getattr(result, "metrics", None)
    return build_report(
        kind="run",
        events=events,
        metrics=metrics if isinstance(metrics, Mapping) else None,
        scenario=scenario,
        scenario_name=_str_or_none(getattr(result, "scenario_id", None)),
        seed=seed if seed is not None else _int_or_none(getattr(result, "seed", None)),
        coverage=coverage,
        findings=findings,
        required=_required(scenario),
    )


def _checker(scenario: Any) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The coverage matrix and the findings of ``cmdsim.check``, when it exists."""
    if scenario is None:
        return None, []
    try:
        from cmdsim.report.checks import check_scenario
    except ImportError:  # pragma: no cover - the adapter ships with the report
        return None, []
    return check_scenario(scenario)


def _required(scenario: Any) -> dict[str, str | None]:
    if scenario is None:
        return {}
    from cmdsim.model import required_level

    out: dict[str, str | None] = {}
    for incident in scenario.incidents:
        levels = [
            required_level(plan, incident) for plan in scenario.district.plans_for(incident.hazard)
        ]
        found = [lv for lv in levels if lv is not None]
        out[incident.id] = max(found).value if found else None
    return out


def _from_run(path: Path, scenario: Any, facts: Mapping[str, Any]) -> dict[str, Any]:
    base = path if path.is_dir() else path.parent
    events_file = base / "events.jsonl" if path.is_dir() else path
    events = (
        read_jsonl(events_file) if events_file.is_file() and events_file.suffix == ".jsonl" else []
    )
    metrics_file = base / "metrics.json"
    metrics = _read_json(metrics_file) if metrics_file.is_file() else {}
    if not isinstance(metrics, dict):
        metrics = {}
    about_file = base / "run.json"
    about = _read_json(about_file) if about_file.is_file() else {}
    if not isinstance(about, dict):
        about = {}
    scenario = locate_scenario(
        about_file if about_file.is_file() else base,
        logged=_str_or_none(about.get("scenario")),
        relative=_str_or_none(about.get("scenario_relative")),
        digest=_str_or_none(about.get("scenario_digest")),
        explicit=scenario,
    )
    coverage, findings = _checker(scenario)
    return build_report(
        kind="run",
        events=events,
        metrics=metrics,
        scenario=scenario,
        scenario_name=_str_or_none(about.get("scenario_id") or metrics.get("scenario")),
        seed=_int_or_none(about.get("seed", metrics.get("seed"))),
        coverage=coverage,
        findings=findings,
        required=_required(scenario),
        facts=facts,
    )


def _from_exercise(path: Path, scenario: Any, extra: Mapping[str, Any]) -> dict[str, Any]:
    records = read_jsonl(path)
    head = records[0]
    scenario = locate_scenario(
        path,
        logged=_str_or_none(head.get("scenario")),
        relative=_str_or_none(head.get("scenario_relative")),
        digest=_str_or_none(head.get("scenario_digest")),
        explicit=scenario,
    )
    events = [
        r["event"] for r in records if r.get("type") == "event" and isinstance(r.get("event"), dict)
    ]
    decisions = [
        _decision_record(r)
        for r in sorted(
            (r for r in records if r.get("type") in ("decision", "inject")),
            key=lambda r: float(r.get("time") or 0.0),
        )
    ]
    verdicts = next(
        (r.get("verdicts") or [] for r in reversed(records) if r.get("type") == "end"), []
    )
    facts = merge(from_log(records, str(path)), extra)
    coverage, findings = _checker(scenario)
    msel = head.get("msel") if isinstance(head.get("msel"), Mapping) else {}
    return build_report(
        kind="exercise",
        events=events,
        metrics=_replayed_metrics(path, scenario),
        scenario=scenario,
        scenario_name=_str_or_none(head.get("scenario_id") or head.get("scenario")),
        seed=_int_or_none(head.get("seed")),
        verdicts=verdicts,
        decisions=decisions,
        coverage=coverage,
        findings=findings,
        required=_required(scenario),
        msel=msel,
        facts=facts,
        play=[str(p) for p in head.get("play") or ()],
    )


def _replayed_metrics(log: Path, scenario: Any) -> dict[str, Any] | None:
    """The engine's metrics of a logged exercise, by replaying it.

    The log holds the events but not the metrics (activation per incident,
    deadline outcomes with their due times); a replay gives the same run,
    byte for byte, so its metrics are the exercise's.  ``None`` only for a
    log that names no scenario; one that no longer replays is an error.
    """
    if scenario is None:
        return None
    from cmdsim.exercise.run import replay_exercise
    from cmdsim.sim import SimOptions, simulate

    try:
        exercise = replay_exercise(log, scenario=scenario)
        options = SimOptions(decisions=exercise.recorded_policy())
        result = simulate(exercise.scenario(), exercise.spec.seed, options=options)
    except CmdsimError as exc:
        raise ScenarioError(
            f"{log}: the exercise does not replay on its scenario ({exc}); "
            "its activations and deadlines cannot be reported"
        ) from None
    return dict(result.metrics)


def _decision_record(record: Mapping[str, Any]) -> dict[str, Any]:
    """A decision or an added inject of the log, as data (worded by language)."""
    if record.get("type") == "inject":
        inject = record.get("inject") or {}
        return {
            "text": f"inject {inject.get('id', '')}: {inject.get('message', '')}",
            "time": r1(record.get("time")),
            "actor": "facilitator",
            "inject": str(inject.get("id", "")),
            "message": str(inject.get("message", "")),
        }
    role = record.get("role")
    parts = [str(record["incident"])] if record.get("incident") else []
    if record.get("choice"):
        parts.append(str(record["choice"]).replace("_", " "))
    if record.get("level"):
        parts.append(f"level {record['level']}")
    show = record.get("activate") is not None and (not role or role == "duty-room")
    if show:
        parts.append("activate " + (", ".join(record["activate"]) or "none"))
    return {
        # ``text`` in English with ids; the report's language words it anew.
        "text": " · ".join(parts) or str(record.get("point") or "decision"),
        "time": r1(record.get("time")),
        "actor": str(role or record.get("by") or ""),
        "incident": record.get("incident"),
        "choice": record.get("choice"),
        "level": record.get("level"),
        "activate": list(record.get("activate") or []),
        # The general and lead HQs' answers say take over / request / hold;
        # only the duty room's lists the HQs it activates.
        "show_activate": show,
        "by": record.get("by"),
        "player": record.get("player") or None,
        "rationale": record.get("rationale") or None,
    }


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


def _from_batch(path: Path, scenario: Any, facts: Mapping[str, Any]) -> dict[str, Any]:
    """A batch (``cmdsim.analysis``): ``summary.json`` and, when there,
    ``replications.csv`` with one row per replication (for histograms).

    With its scenario (found by the digest in ``manifest.json``, or given),
    the distributions are grouped by hazard and the time band of the
    onset and measured from each incident's origin, and the timeline is a
    representative replication's, run again.
    """
    file = path / "summary.json" if path.is_dir() else path
    summary = _read_json(file)
    if not isinstance(summary, Mapping):
        raise LoadError([Problem("summary.json is not a JSON object", file=str(file))])
    scenario = _batch_scenario(file.parent, summary, scenario)
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
    return report


def _batch_scenario(folder: Path, summary: Mapping[str, Any], scenario: Any) -> Any:
    """The batch's scenario: given, or found by the digest its manifest
    records among the scenario files near it (``scenarios/*.yaml`` of the
    working directory and of the batch directory's parents)."""
    del summary
    manifest_file = folder / "manifest.json"
    manifest = _read_json(manifest_file) if manifest_file.is_file() else {}
    digest = manifest.get("scenario_digest") if isinstance(manifest, Mapping) else None
    return locate_scenario(
        folder,
        logged=None,
        relative=None,
        digest=digest if isinstance(digest, str) else None,
        explicit=scenario,
    )


def _read_rows(path: Path) -> list[dict[str, float]]:
    """The replications table, one dict per replication (non-numbers left out)."""
    import csv
    import math

    out: list[dict[str, float]] = []
    with path.open(encoding="utf-8", newline="") as handle:
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
    coverage, findings = _checker(scenario)
    return build_report(
        kind=kind,
        scenario=scenario,
        scenario_name=_str_or_none(data.get("scenario")),
        seed=_int_or_none(data.get("seed")),
        coverage=coverage,
        findings=findings,
        required=_required(scenario),
        **parts,
    )


def _from_sweep(path: Path, scenario: Any) -> dict[str, Any]:
    """A sweep or sensitivity ranking: the comparison with the base."""
    file = path
    if path.is_dir():
        file = next(path / name for name in SWEEP_FILES if (path / name).is_file())
    data = _read_json(file)
    missing = _sweep_problem(data)
    if missing is not None:
        raise LoadError([Problem(missing, file=str(file))])
    compared = comparison(data)
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
    return {**report, "summary": summary, "comparison": compared}


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
    stats = stats if isinstance(stats, Mapping) else {}
    count = stats.get("count")
    return {
        "name": name,
        "n": int(count) if isinstance(count, int) else 0,
        "mean": r1(stats.get("mean")),
        "p50": r1(stats.get("p50")),
        "p90": r1(stats.get("p90")),
        "p95": r1(stats.get("p95")),
        "min": r1(stats.get("min")),
        "max": r1(stats.get("max")),
        "bins": [],
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


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


__all__ = [
    "collect_samples",
    "detect",
    "event_record",
    "from_result",
    "load_source",
    "read_jsonl",
    "with_batch",
]
