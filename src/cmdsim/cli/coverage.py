"""``cmdsim coverage``: what the plans cover in simulated runs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from cmdsim.cli._common import REPLICATIONS, SEED, console, emit_json, grid, user_errors

if TYPE_CHECKING:
    from cmdsim.testing.coverage import Coverage


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


@click.command("coverage")
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("-n", "n", type=REPLICATIONS, default=100, show_default=True, help="Replications.")
@click.option("--seed", type=SEED, default=0, show_default=True, help="Seed of the batch.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def coverage(scenario: Path, n: int, seed: int, as_json: bool, no_progress: bool) -> None:
    """Share of incidents and injects handled by a plan with a lead, and of
    each plan's deadlines met, over N replications of SCENARIO."""
    with user_errors():
        from cmdsim.cli.batch import ProgressBar
        from cmdsim.errors import LoadError, Problem
        from cmdsim.io import load
        from cmdsim.model import Scenario
        from cmdsim.testing.coverage import coverage as run_coverage

        # Refused before any bar is drawn: a path that does not load, a district.
        model = load(scenario)
        if not isinstance(model, Scenario):
            raise LoadError([Problem("is a district, not a scenario", file=str(scenario))])
        with ProgressBar(model.id, n, enabled=not no_progress) as bar:
            result = run_coverage(model, n, seed, progress=bar)
    if as_json:
        emit_json(result.to_dict())
    else:
        print_coverage(result)


def print_coverage(result: Coverage) -> None:
    handled = result.handled
    console.print(
        f"[bold]{result.scenario}[/bold]: {result.n} replications, seed {result.seed}; "
        f"handled by a plan with a lead: {handled.hits}/{handled.total} "
        f"({_pct(handled.share)})"
    )
    cases = grid("incidents and injects", ("kind", "id", "handled", "share"), {"handled", "share"})
    for kind, items in (("incident", result.incidents), ("inject", result.injects)):
        for ident, share in sorted(items.items()):
            cases.add_row(kind, ident, f"{share.hits}/{share.total}", _pct(share.share))
    console.print(cases)
    plans = grid("by plan and level", ("plan", "level", "handled", "share"), {"handled", "share"})
    for (plan, level), share in sorted(result.by_plan.items()):
        plans.add_row(plan, level, f"{share.hits}/{share.total}", _pct(share.share))
    console.print(plans)
    counts = ("met", "missed", "not started", "share met")
    deadlines = grid("deadlines met", ("plan", "level", "deadline", *counts), counts)
    for (plan, level, name), due in sorted(result.deadlines.items()):
        deadlines.add_row(
            plan,
            level,
            name,
            str(due.met),
            str(due.missed),
            str(due.not_started),
            _pct(due.share),
        )
    console.print(deadlines)
