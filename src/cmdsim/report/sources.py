"""Read what a report is made from: a run's output directory (``cmdsim run
--out DIR``: ``events.jsonl`` and ``metrics.json``), a batch's
``summary.json``, a sweep's ``sweep.json`` or ``sensitivity.json``
(``cmdsim sweep --out DIR``), or an exercise log (``cmdsim drill --log FILE``).

Batches and sweeps are read in :mod:`~cmdsim.report.batch_sources`; what
every source needs (JSON that may be damaged, the checker's findings) in
:mod:`~cmdsim.report.source_files`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from cmdsim.atomic import DIGESTS_KEY, files_changed
from cmdsim.errors import CmdsimError, LoadError, Problem, ScenarioError
from cmdsim.exercise.log import check_log
from cmdsim.io import load
from cmdsim.io.finding import locate_scenario
from cmdsim.jsonlines import read_jsonl
from cmdsim.model.switches import recorded
from cmdsim.report.batch_sources import from_batch, from_sweep
from cmdsim.report.build import build_report
from cmdsim.report.facts import check_facts_apply, from_log, load_facts, merge
from cmdsim.report.numbers import r1
from cmdsim.report.source_files import (
    SWEEP_FILES,
    checker_findings,
    int_or_none,
    read_json,
    required_levels,
    str_or_none,
)


def detect(path: Path) -> str:
    """``run``, ``batch``, ``sweep`` or ``exercise`` for a report input path."""
    if path.is_dir():
        if (path / "summary.json").is_file():
            return "batch"
        if any((path / name).is_file() for name in SWEEP_FILES):
            return "sweep"
        if (path / "events.jsonl").is_file() or (path / "metrics.json").is_file():
            return "run"
        if (path / "manifest.json").is_file() and (path / "parts").is_dir():
            # A batch stopped before its end (Ctrl-C, a crash) keeps its chunks.
            raise LoadError(
                [
                    Problem(
                        "an unfinished batch (its manifest and parts, no summary.json yet): "
                        f"finish it with the same `cmdsim batch … --out {path} --resume`, "
                        "then report it",
                        file=str(path),
                    )
                ]
            )
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
        # Blank lines are skipped as the reader skips them; none left is a
        # log without a record, which no report can be made of.
        first = b""
        while not first.strip():
            first = handle.readline(1 << 20)
            if not first:
                raise LoadError([_no_events(path)])
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


def _no_events(log: Path, why: str = "the file holds no record") -> Problem:
    """The error for a log that holds no event: an after-action report of it
    would say nothing happened, which is not what the log means.  One
    wording for an empty or blank file, whether a run's directory or the
    file itself was given."""
    return Problem(f"no events ({why}); nothing to report", file=str(log), line=1)


def load_source(
    path: str | Path,
    scenario: Any = None,
    facts: str | Path | None = None,
    *,
    accept_changes: bool = False,
    warn: Callable[[Problem], None] | None = None,
) -> dict[str, Any]:
    """The report data for a run dir, batch dir/summary or exercise log.

    The scenario the result was made from is found by itself (the path it
    recorded, from its own folder, checked against its digest); ``scenario``
    (a :class:`cmdsim.model.Scenario`) gives it instead.  It adds the names,
    the origins, the clock, the required levels, the coverage matrix and the
    findings; a path to a scenario file is loaded.  ``facts`` is a YAML file of
    the exercise's facts and edits of the improvement plan
    (:mod:`cmdsim.report.facts`), over the log's own.

    An exercise log whose replay no longer gives the logged events (a newer
    engine, an edited scenario) is an error at the first difference, unless
    ``accept_changes``: then the report is of the replay (its events,
    metrics and verdicts; the log's decisions, injects and facts), each
    difference goes to ``warn`` and the report's ``replay_notes`` list them.
    """
    path = Path(path)
    if isinstance(scenario, str | Path):
        scenario = load(scenario)
    kind = detect(path)
    extra = load_facts(facts) if facts is not None else {}
    if facts is not None:
        check_facts_apply(facts, extra, kind)
    if accept_changes and kind != "exercise":
        raise CmdsimError(
            f"{path}: accepting a replay's changes (--accept-changes) is for an exercise "
            f"log; this is a {kind}'s output, which is not replayed"
        )
    if kind == "exercise":
        return _from_exercise(path, scenario, extra, accept_changes, warn)
    if kind == "batch":
        return from_batch(path, scenario, extra)
    if kind == "sweep":
        return from_sweep(path, scenario)
    return _from_run(path, scenario, extra)


def with_batch(report: dict[str, Any], batch: str | Path, scenario: Any = None) -> dict[str, Any]:
    """A run's or exercise's report with the distributions of a batch added
    (``cmdsim report RUN --batch DIR``); ``scenario`` as for :func:`load_source`."""
    if report.get("kind") == "sweep":
        # Its summary's replications are the comparison's; a batch's
        # distributions would stand beside it as if they were the sweep's.
        raise LoadError(
            [
                Problem(
                    "a what-if comparison's report takes no batch: its numbers are the "
                    "variants'; report the batch on its own",
                    file=str(batch),
                )
            ]
        )
    extra = load_source(batch, scenario=scenario)
    if extra["kind"] != "batch":
        raise LoadError([Problem("not a batch output (no summary.json)", file=str(batch))])
    if report.get("scenario") and extra.get("scenario") != report["scenario"]:
        # Another drill's distributions under this one's title.
        raise LoadError(
            [
                Problem(
                    f"a batch of {extra.get('scenario')!r}, not of {report['scenario']!r} "
                    "the report is of",
                    "scenario",
                    file=str(batch),
                )
            ]
        )
    summary = dict(report["summary"])
    if "replications" in extra["summary"]:
        summary["replications"] = extra["summary"]["replications"]
    merged = {
        **report,
        "summary": summary,
        "distributions": [*report["distributions"], *extra["distributions"]],
    }
    if extra.get("run_as"):
        # The distributions may come from a "before" (--no-town-plans): said.
        merged["batch_run_as"] = extra["run_as"]
    return merged


def event_record(record: Any) -> dict[str, Any]:
    """One log line as a plain record: an engine ``Event`` or a record already."""
    if isinstance(record, Mapping):
        return dict(record)
    data: dict[str, Any] = record.to_data()
    return data


def from_result(result: Any, scenario: Any = None, seed: int | None = None) -> dict[str, Any]:
    """The report data of an in-memory run (a ``RunResult`` of the engine)."""
    events = [event_record(e) for e in getattr(result, "events", ())]
    coverage, findings = checker_findings(scenario)
    metrics = getattr(result, "metrics", None)
    return build_report(
        kind="run",
        events=events,
        metrics=metrics if isinstance(metrics, Mapping) else None,
        scenario=scenario,
        scenario_name=str_or_none(getattr(result, "scenario_id", None)),
        seed=seed if seed is not None else int_or_none(getattr(result, "seed", None)),
        coverage=coverage,
        findings=findings,
        required=required_levels(scenario),
    )


def _from_run(path: Path, scenario: Any, facts: Mapping[str, Any]) -> dict[str, Any]:
    base = path if path.is_dir() else path.parent
    events_file = base / "events.jsonl" if path.is_dir() else path
    events = (
        read_jsonl(events_file) if events_file.is_file() and events_file.suffix == ".jsonl" else []
    )
    if not events and events_file.suffix == ".jsonl" and events_file.is_file():
        raise LoadError([_no_events(events_file)])
    metrics_file = base / "metrics.json"
    metrics = read_json(metrics_file) if metrics_file.is_file() else {}
    if not isinstance(metrics, dict):
        metrics = {}
    about_file = base / "run.json"
    about = read_json(about_file) if about_file.is_file() else {}
    if not isinstance(about, dict):
        about = {}
    _check_one_run(about_file, about)
    scenario = locate_scenario(
        about_file if about_file.is_file() else base,
        logged=str_or_none(about.get("scenario")),
        relative=str_or_none(about.get("scenario_relative")),
        digest=str_or_none(about.get("scenario_digest")),
        explicit=scenario,
        # run.json records its switches (``no_injects``); a hand-made run directory has none.
        switches=recorded(about) if about_file.is_file() else None,
        record=str(about_file),
    )
    coverage, findings = checker_findings(scenario)
    report = build_report(
        kind="run",
        events=events,
        metrics=metrics,
        scenario=scenario,
        scenario_name=str_or_none(about.get("scenario_id") or metrics.get("scenario")),
        seed=int_or_none(about.get("seed", metrics.get("seed"))),
        coverage=coverage,
        findings=findings,
        required=required_levels(scenario),
        facts=facts,
    )
    how = dict.fromkeys(recorded(about), True)
    if how:
        report["run_as"] = how
    return report


def _check_one_run(about_file: Path, about: Mapping[str, Any]) -> None:
    """Refuse a run directory whose files are not all of the run ``run.json``
    records: ``cmdsim run --out`` renames it last, after the others, so a
    ``kill -9`` between the renames leaves new files beside the earlier
    ``run.json``, whose digests they do not match.  (A ``run.json`` of
    before cmdsim recorded them, or a hand-made directory's, says nothing.)"""
    digests = about.get(DIGESTS_KEY)
    if not isinstance(digests, Mapping):
        return
    changed = files_changed(about_file.parent, digests)
    if changed:
        raise LoadError(
            [
                Problem(
                    f"{', '.join(changed)} {'is' if len(changed) == 1 else 'are'} not of the "
                    f"run run.json records (SHA-256 not its `{DIGESTS_KEY}`'s): "
                    "`cmdsim run --out` was stopped while it "
                    "replaced the files (kill -9, a power cut), or a file was changed since; "
                    "run it again",
                    file=str(about_file),
                )
            ]
        )


def _from_exercise(
    path: Path,
    scenario: Any,
    extra: Mapping[str, Any],
    accept_changes: bool = False,
    warn: Callable[[Problem], None] | None = None,
) -> dict[str, Any]:
    records = read_jsonl(path)
    if not any(r.get("type") == "event" for r in records):
        raise LoadError([_no_events(path, "the exercise log has no event record")])
    # The header and records as a replay checks them: a log without its
    # scenario is an error at its line, not a report without names or plans.
    check_log(records, path)
    head = records[0]

    def locate(digest: str | None) -> Any:
        return locate_scenario(
            path,
            logged=str_or_none(head.get("scenario")),
            relative=str_or_none(head.get("scenario_relative")),
            digest=digest,
            explicit=scenario,
            line=1,
        )

    try:
        scenario = locate(str_or_none(head.get("scenario_digest")))
    except LoadError as first:
        if not accept_changes:
            raise
        try:  # edited since: the replay says what moved, as a drill's does
            scenario = locate(None)
        except LoadError:
            raise first from None
    said: list[Problem] = []
    metrics, replayed = _replayed(path, scenario, accept_changes, said.append)
    for problem in said:
        if warn is not None:
            warn(problem)
    # Accepted, the story is the replay's: its events and verdicts, with
    # the log's own decisions, injects and facts (the same in both).
    told = replayed if accept_changes and replayed is not None else records
    events = [
        r["event"] for r in told if r.get("type") == "event" and isinstance(r.get("event"), dict)
    ]
    decisions = [
        _decision_record(r)
        for r in sorted(
            (r for r in records if r.get("type") in ("decision", "inject")),
            key=lambda r: float(r.get("time") or 0.0),
        )
    ]
    verdicts = next((r.get("verdicts") or [] for r in reversed(told) if r.get("type") == "end"), [])
    facts = merge(from_log(records, str(path)), extra)
    coverage, findings = checker_findings(scenario)
    msel = head.get("msel") if isinstance(head.get("msel"), Mapping) else {}
    report = build_report(
        kind="exercise",
        events=events,
        metrics=metrics,
        scenario=scenario,
        scenario_name=str_or_none(head.get("scenario_id") or head.get("scenario")),
        seed=int_or_none(head.get("seed")),
        verdicts=verdicts,
        decisions=decisions,
        coverage=coverage,
        findings=findings,
        required=required_levels(scenario),
        msel=msel,
        facts=facts,
        play=[str(p) for p in head.get("play") or ()],
    )
    if accept_changes and said:
        report["replay_notes"] = [str(problem) for problem in said]
    return report


def _replayed(
    log: Path, scenario: Any, accept_changes: bool, warn: Callable[[Problem], None]
) -> tuple[dict[str, Any] | None, list[dict[str, Any]] | None]:
    """The engine's metrics of a logged exercise, by replaying it, and the
    replay's log records.

    The log holds the events but not the metrics (activation per incident,
    deadline outcomes with their due times); a replay gives the same run,
    byte for byte, so its metrics are the exercise's.  ``None`` only for a
    log that names no scenario; one that no longer replays is an error,
    unless ``accept_changes`` (each difference to ``warn``).
    """
    if scenario is None:
        return None, None
    from cmdsim.exercise.run import ReplayDiverges, replay_exercise
    from cmdsim.sim import SimOptions, simulate

    try:
        exercise = replay_exercise(
            log,
            scenario=scenario,
            accept_changes=accept_changes,
            warn=warn if accept_changes else None,
        )
        options = SimOptions(decisions=exercise.recorded_policy())
        result = simulate(exercise.scenario(), exercise.spec.seed, options=options)
    except ReplayDiverges as exc:
        raise LoadError(
            [
                *exc.problems,
                Problem(
                    "for the report of the exercise as it runs now: "
                    "cmdsim report LOG --accept-changes",
                    file=str(log),
                ),
            ]
        ) from None
    except LoadError:
        raise  # located at the log's line already (a hand-edited inject record)
    except CmdsimError as exc:
        raise ScenarioError(
            f"{log}: the exercise does not replay on its scenario ({exc}); "
            "its activations and deadlines cannot be reported"
        ) from None
    return dict(result.metrics), exercise.log_records()


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


__all__ = [
    "detect",
    "event_record",
    "from_result",
    "load_source",
    "read_jsonl",
    "with_batch",
]
