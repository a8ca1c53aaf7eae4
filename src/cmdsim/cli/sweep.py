"""``cmdsim sweep``: what-if grids and one-at-a-time sensitivity.

A thin wrapper around :func:`cmdsim.analysis.sweep` and
:func:`cmdsim.analysis.sensitivity`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from cmdsim.cli._common import (
    REPLICATIONS,
    SEED,
    console,
    emit_json,
    execution_options,
    grid,
    user_errors,
)
from cmdsim.cli.batch import ProgressBar, executor_options, load_run_function, say_engine
from cmdsim.errors import CmdsimError


def _fmt(x: Any) -> str:
    return "-" if x is None else f"{x:+.2f}" if isinstance(x, float) and x < 0 else f"{x:.2f}"


def _print_sweep(data: dict[str, Any]) -> None:
    # Labels and titles are escaped: rich would take the ids in paths such as
    # channels[hotline_12345].delay for markup and print channels.delay.
    numbers = ("mean", "diff vs base", "diff 95% CI", "never")
    table = grid(
        escape(f"{data['scenario']}: {data['metric']} ({data['n']} replications each)"),
        ("variant", *numbers),
        numbers,
    )
    rows = [data["base"], *data["variants"]]
    for row in rows:
        low, high = row["diff_ci95"]
        table.add_row(
            escape(row["label"]),
            _fmt(row["mean"]),
            _fmt(row["diff"]),
            f"{_fmt(low)} … {_fmt(high)}",
            str(row["missing"]),
        )
    console.print(table)


def _print_sensitivity(data: dict[str, Any]) -> None:
    numbers = ("low", "high", "swing")
    title = escape(f"{data['scenario']}: what moves {data['metric']} most")
    table = grid(title, ("parameter", *numbers), numbers)
    for row in data["ranking"]:
        low = row["low"]["diff"] if row["low"] else None
        high = row["high"]["diff"] if row["high"] else None
        table.add_row(escape(row["parameter"]), _fmt(low), _fmt(high), _fmt(row["swing"]))
    console.print(table)


@click.command("sweep")
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option(
    "--vary",
    "varies",
    multiple=True,
    metavar="PATH=V1,V2,...",
    help="A field and its values, e.g. district.duty_room.staffing.night=1,2,3.",
)
@click.option(
    "--sensitivity",
    "do_sensitivity",
    is_flag=True,
    help="Rank every delay (×0.5, ×1.5) and capacity (±1) by effect.",
)
@click.option(
    "--only",
    multiple=True,
    metavar="PREFIX",
    help="With --sensitivity: only parameters under this path.",
)
@click.option(
    "--metric",
    "metrics",
    multiple=True,
    metavar="NAME",
    help="Metric compared, once (default: lead HQ activation).",
)
@click.option(
    "-n", "n", type=REPLICATIONS, default=200, show_default=True, help="Replications each."
)
@click.option("--seed", type=SEED, default=0, show_default=True)
@execution_options
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write sweep.json (or sensitivity.json) into this directory.",
)
def sweep(
    scenario: Path,
    varies: tuple[str, ...],
    do_sensitivity: bool,
    only: tuple[str, ...],
    metrics: tuple[str, ...],
    n: int,
    seed: int,
    workers: int | None,
    dask: str | None,
    fast: bool | None,
    unlimited_capacity: bool,
    run_spec: str | None,
    as_json: bool,
    no_progress: bool,
    out: Path | None,
) -> None:
    """Compare variants of SCENARIO with common random numbers."""
    with user_errors():
        from cmdsim.analysis.sensitivity import sensitivity
        from cmdsim.analysis.store import write_text
        from cmdsim.analysis.sweep import Variation
        from cmdsim.analysis.sweep import sweep as run_sweep
        from cmdsim.io import load_scenario

        if not varies and not do_sensitivity:
            raise CmdsimError("give --vary PATH=V1,V2,... or --sensitivity")
        if varies and do_sensitivity:
            raise CmdsimError("--vary and --sensitivity are separate runs; give one")
        if only and not do_sensitivity:
            raise CmdsimError(
                f"--only {only[0]} limits --sensitivity's parameters; a --vary sweep varies "
                "the fields it names (leave --only out, or run --sensitivity)"
            )
        if n < 2:
            raise CmdsimError(f"-n must be at least 2 to compare, got {n}")
        if len(metrics) > 1:
            # click would keep the last one silently; a sweep compares one.
            raise CmdsimError(
                f"--metric given {len(metrics)} times ({', '.join(metrics)}): a sweep "
                "compares one metric; run one sweep per metric"
            )
        metric = metrics[0] if metrics else None
        model = load_scenario(scenario)
        variations = [Variation.parse(v) for v in varies]
        run = load_run_function(run_spec) if run_spec else None
        if out is not None:
            # Before the replications, not after them: an --out that cannot
            # be a directory must not cost the whole comparison.
            out.mkdir(parents=True, exist_ok=True)
        executor = executor_options(workers, dask)
        try:
            with ProgressBar(model.id, n, enabled=not no_progress) as bar:
                # What both kinds of comparison are run with.
                common: dict[str, Any] = {
                    "run": run,
                    "fast": fast,
                    "metric": metric,
                    "unlimited_capacity": unlimited_capacity,
                    "progress": bar,
                }
                if do_sensitivity:
                    data = sensitivity(model, n, seed, executor, only=only, **common).to_dict()
                    name = "sensitivity.json"
                else:
                    data = run_sweep(model, variations, n, seed, executor, **common).to_dict()
                    name = "sweep.json"
        finally:
            executor.close()
        if run is None:
            say_engine(data["engine"], None)
        if out is not None:
            from cmdsim.io import scenario_digest
            from cmdsim.report.context import relative_to

            # Where `cmdsim report DIR` finds the scenario again (as a
            # batch's manifest says): without it a comparison's report had
            # no plans, names or coverage.
            data = {
                **data,
                "scenario_relative": relative_to(scenario, out),
                "scenario_digest": scenario_digest(model),
            }
            text = json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
            write_text(out / name, text)
    if as_json:
        emit_json(data)
    elif do_sensitivity:
        _print_sensitivity(data)
    else:
        _print_sweep(data)
