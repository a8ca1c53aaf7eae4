"""``cmdsim batch``: many replications of a scenario, summarised.

A thin wrapper around :func:`cmdsim.analysis.replicate`; the progress bar
(with ETA) goes to stderr, results to stdout and ``--out DIR``.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from cmdsim.cli._common import (
    EXIT_INTERRUPTED,
    REPLICATIONS,
    SEED,
    console,
    emit_json,
    err_console,
    execution_options,
    grid,
    user_errors,
)
from cmdsim.errors import CmdsimError


def load_run_function(spec: str) -> Any:
    """``module:function`` -> the function (a custom replication)."""
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise CmdsimError(f"--run wants MODULE:FUNCTION, got {spec!r}")
    try:
        function = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise CmdsimError(f"--run {spec}: {exc}") from None
    if not callable(function):
        raise CmdsimError(f"--run {spec}: not a function")
    try:
        inspect.signature(function).bind(None, None)
    except TypeError:
        raise CmdsimError(
            f"--run {spec}: a replication function takes (scenario, seed_sequence)"
        ) from None
    except ValueError:  # no signature to inspect (some builtins): let the call tell
        pass
    return function


def executor_options(workers: int | None, dask: str | None) -> Any:
    from cmdsim.analysis import make_executor

    if workers is not None and workers < 1:
        raise CmdsimError(f"--workers must be at least 1, got {workers}")
    return make_executor(workers, dask)


class ProgressBar:
    """A rich progress bar with ETA on stderr, fed by ``(done, total)`` calls.

    It is drawn from the first call on, that is once work is done: whatever
    is refused before (a bad path, metric, output directory or ``--vary``)
    is refused with its message alone, never under a bar.  The elapsed time
    counts from when the bar was made.  ``batch``, ``sweep`` and ``coverage``
    share it, with ``--no-progress`` to turn it off.
    """

    def __init__(self, description: str, total: int, enabled: bool = True) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=err_console,
            disable=not enabled,
        )
        self._task = self._progress.add_task(escape(description), total=total)
        self._drawn = False

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._drawn:
            self._progress.stop()

    def __call__(self, done: int, total: int) -> None:
        if not self._drawn:
            self._drawn = True
            self._progress.start()
        self._progress.update(self._task, completed=done, total=total)


def interrupted_note(out: Path, work: Path | None = None) -> str:
    """What a batch stopped by Ctrl-C kept in ``work`` (its finished chunks,
    each written whole; ``out`` unless ``out`` held an earlier output, which
    it keeps) and how to go on from there."""
    from cmdsim.analysis.store import MANIFEST, PARTS

    work = out if work is None else work
    kept_earlier = "" if work == out else f"; {out} keeps what it held"
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
        size, n = int(manifest["chunk_size"]), int(manifest["n"])
        starts = [
            int(part.stem.rpartition("-")[2]) * size for part in work.glob(f"{PARTS}/chunk-*.json")
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return f"interrupted (Ctrl-C) before the batch in {out} began{kept_earlier}"
    kept = sum(max(0, min(size, n - start)) for start in starts)
    if not kept:
        return (
            "interrupted (Ctrl-C) before a chunk of replications finished: "
            f"{work} holds none{kept_earlier}"
        )
    return (
        f"interrupted (Ctrl-C): {kept} of {n} replications kept in {work}{kept_earlier}; "
        "the same command with --resume goes on from there"
    )


def say_engine(engine: str, reason: str | None) -> None:
    """The one line (on stderr) saying which path ran, and why not the fast one."""
    if engine == "fast":
        err_console.print(
            f"engine: fast path ({reason or 'see docs/experiments.md'})", markup=False
        )
    elif engine == "mixed":
        err_console.print("engine: fast path for some points, discrete-event for the others")
    else:
        why = f" (fast path not used: {reason})" if reason else ""
        err_console.print(f"engine: discrete-event{why}", markup=False)


def _idle(stats: dict[str, Any]) -> bool:
    """A metric no replication observed, or 0 in every one (an unused room's
    wait, an untouched unit's utilisation): noise in a table read by people."""
    if stats["count"] == 0:
        return True
    return bool(stats["min"] == 0 and stats["max"] == 0)


def thin_note(keys: list[str]) -> str:
    """The footnote of percentiles marked ``*``: what each needs and why."""
    from cmdsim.analysis.percentiles import PERCENTILE_NEEDS

    needs = ", ".join(f"{key} needs {PERCENTILE_NEEDS[key]}" for key in keys)
    return (
        f"* fewer observations than the percentile needs ({needs}): it is an extreme "
        "value or the one next to it, not an estimate of the tail "
        "(percentiles are the k-th smallest value, k = 1 + floor(p (n - 1) / 100); "
        "see docs/statistics.md)"
    )


def idle_note(never: int, zero: int, unmeasured: int, switch: str | None) -> list[str]:
    """The lines saying which metrics the table left out, apart: what never
    happened and what stayed 0 are observations; what nothing in the run can
    move (``not_measured``, e.g. the towns' units under ``--no-town-plans``)
    is not, and is not counted with them."""
    lines = []
    if never:
        lines.append(
            f"{never} metrics not shown: never observed in any replication "
            "(the event did not happen: an HQ not called out, a room no report reached)"
        )
    if zero:
        lines.append(
            f"{zero} metrics not shown: 0 in every replication "
            "(rooms no report reached, units and resources whose tasks never came)"
        )
    if unmeasured:
        why = f": {switch} leaves the towns' plans out" if switch else ""
        lines.append(
            f"{unmeasured} metrics not shown, not measured: nothing in this run can move "
            f"them (units and resources no plan gives work{why}, committees watching "
            "none of its hazards): not a finding"
        )
    if lines:
        lines.append("all are in --json and --out (not_measured lists the last kind)")
    return lines


def print_summary(summary: dict[str, Any], switch: str | None = None) -> None:
    """The summary as tables for people: ``switch`` names the what-if flag
    that switched a mechanism off, for the note on what was not measured."""
    numbers = ("mean", "95% CI", "p50", "p95", "never")
    table = grid(
        f"{summary['scenario']}: {summary['n']} replications, seed {summary['seed']}",
        ("metric", *numbers),
        numbers,
    )

    def fmt(x: Any) -> str:
        return "-" if x is None else f"{x:.1f}"

    thin: set[str] = set()

    def pct(stats: dict[str, Any], key: str) -> str:
        # A percentile its count cannot support keeps its value, marked.
        if key in stats.get("thin", ()):
            thin.add(key)
            return fmt(stats[key]) + "*"
        return fmt(stats[key])

    never = zero = unmeasured = 0
    off = summary.get("not_measured") or {}
    levels = False
    for name, stats in summary["metrics"].items():
        if name.endswith(".met"):
            continue
        if _idle(stats):
            if name in off:
                unmeasured += 1
            elif stats["count"] == 0:
                never += 1
            else:
                zero += 1
            continue
        levels = levels or name.endswith("level")
        low, high = stats["ci95"]
        table.add_row(
            name,
            fmt(stats["mean"]),
            f"{fmt(low)}–{fmt(high)}",
            pct(stats, "p50"),
            pct(stats, "p95"),
            str(stats["missing"]),
        )
    console.print(table)
    if thin:
        console.print(thin_note(sorted(thin)), markup=False)
    if levels:
        # A rank of 2 read as "level II" would be two levels off.
        console.print("levels are ranks: 1 = IV, 2 = III, 3 = II, 4 = I (the highest)")
    for line in idle_note(never, zero, unmeasured, switch):
        console.print(line, markup=False)
    if summary["deadlines"]:
        deadlines = grid("deadlines met", ("deadline", "P(met)", "95% CI"), {"P(met)", "95% CI"})
        for name, p in summary["deadlines"].items():
            low, high = p["ci95"]
            deadlines.add_row(
                name,
                fmt(100 * p["p"]) + " %" if p["p"] is not None else "-",
                f"{fmt(100 * low) if low is not None else '-'}–"
                f"{fmt(100 * high) if high is not None else '-'} %",
            )
        console.print(deadlines)


@click.command("batch")
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("-n", "n", type=REPLICATIONS, default=1000, show_default=True, help="Replications.")
@click.option("--seed", type=SEED, default=0, show_default=True, help="Batch seed.")
@execution_options
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write summary.json, replications.csv (and .parquet) here.",
)
@click.option("--resume", is_flag=True, help="Continue the batch in --out after a crash.")
@click.option(
    "--metric",
    "metrics",
    multiple=True,
    metavar="NAME",
    help="Keep only this metric (repeat); lets the fast path run when it computes them all.",
)
@click.option(
    "--spread-week",
    is_flag=True,
    help="Shift each replication by a random offset within a week (all time bands).",
)
@click.option("--chunk-size", type=int, default=None, help="Replications per work item.")
@click.option(
    "--check-sample",
    type=click.IntRange(min=0),
    default=None,
    metavar="K",
    help="Replications per chunk the fast path's batch also runs on the engine, to check "
    "its rows [default: 2]; 0 skips the check (unsafe).",
)
@click.option("--json", "as_json", is_flag=True, help="Print summary.json to stdout.")
@click.option(
    "--no-injects",
    is_flag=True,
    help="Leave the drill's injects out: incidents are found only by the channels.",
)
@click.option(
    "--truth-reported",
    is_flag=True,
    help="Every channel reports the truth at once: no late or under-counted figures, "
    "false alarms, duplicates or verification (what the fast path replays).",
)
@click.option(
    "--no-town-plans",
    is_flag=True,
    help="Leave the towns' plans out: the district room decides every incident from the "
    "first report (the before/after of the towns' part).",
)
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def batch(
    scenario: Path,
    n: int,
    seed: int,
    workers: int | None,
    dask: str | None,
    out: Path | None,
    resume: bool,
    fast: bool | None,
    metrics: tuple[str, ...],
    unlimited_capacity: bool,
    spread_week: bool,
    chunk_size: int | None,
    check_sample: int | None,
    run_spec: str | None,
    as_json: bool,
    no_injects: bool,
    truth_reported: bool,
    no_town_plans: bool,
    no_progress: bool,
) -> None:
    """Run N replications of SCENARIO and summarise them."""
    with user_errors():
        from cmdsim.analysis import replicate
        from cmdsim.io import load_scenario

        if resume and out is None:
            raise CmdsimError("--resume needs --out DIR")
        if chunk_size is not None and chunk_size < 1:
            raise CmdsimError(f"--chunk-size must be at least 1, got {chunk_size}")
        model = load_scenario(scenario)
        run = load_run_function(run_spec) if run_spec else None
        executor = executor_options(workers, dask)
        try:
            with ProgressBar(f"{model.id}", n, enabled=not no_progress) as bar:
                result = replicate(
                    model,
                    n,
                    seed=seed,
                    executor=executor,
                    run=run,
                    fast=fast,
                    metrics=list(metrics) or None,
                    unlimited_capacity=unlimited_capacity,
                    spread_week=spread_week,
                    out=out,
                    resume=resume,
                    chunk_size=chunk_size,
                    progress=bar,
                    check_sample=check_sample,
                    source=str(scenario),
                    # Given to the batch (not applied here) so its manifest records them.
                    no_injects=no_injects,
                    truth_reported=truth_reported,
                    no_town_plans=no_town_plans,
                )
        except KeyboardInterrupt as exc:
            if out is None:
                raise
            work = getattr(exc, "work", out)
            click.echo(interrupted_note(out, work if isinstance(work, Path) else out), err=True)
            sys.exit(EXIT_INTERRUPTED)
        finally:
            executor.close()
        if run is None:
            say_engine(result.engine, result.reason)
    if as_json:
        emit_json(result.summary)
    else:
        print_summary(result.summary, "--no-town-plans" if no_town_plans else None)
        if out is not None:
            console.print(f"written to {out}/", markup=False)
