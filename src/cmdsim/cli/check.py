"""``cmdsim check``: static analysis of plans, no simulation.

Each PATH (a district directory or file, or a scenario file) gets its own
report.  If any PATH cannot be read, its problems are printed and the
command exits 2 before checking anything; otherwise it exits 1 when any
report has an error-level finding and 0 when none has.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.markup import escape

from cmdsim.cli._common import console, emit_json, grid, user_errors

if TYPE_CHECKING:
    from cmdsim.check import CheckReport

EXIT_FINDINGS = 1

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
def check(paths: tuple[Path, ...], as_json: bool) -> None:
    """Check the plans in PATH… for gaps, overlaps and infeasible rules.

    Exit 0 when clean, 1 when any error-level finding, 2 when a PATH
    cannot be read.
    """
    with user_errors():
        reports = [check_path(path) for path in load_all(paths)]
    if as_json:
        emit_json({"reports": [r.to_dict() for r in reports]})
    else:
        for report in reports:
            print_report(report)
    if any(not r.ok for r in reports):
        sys.exit(EXIT_FINDINGS)


def load_all(paths: tuple[Path, ...]) -> list[tuple[Path, Any]]:
    """Every path loaded with its locations; all problems at once if any fail."""
    from cmdsim.errors import LoadError, Problem
    from cmdsim.io import load_with_locations

    loaded: list[tuple[Path, Any]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            loaded.append((path, load_with_locations(path)))
        except LoadError as exc:
            problems.extend(exc.problems)
    if problems:
        raise LoadError(problems)
    return loaded


def check_path(item: tuple[Path, Any]) -> CheckReport:
    from cmdsim.check import check as run_check
    from cmdsim.io import unincluded

    path, loaded = item
    # A directory is the district's: a YAML file in it nothing includes is
    # a plan in effect nowhere (CMD090).
    stray = unincluded(path, loaded) if path.is_dir() else []
    return run_check(loaded.value, loaded.locations, source=str(path), unincluded=stray)


def print_report(report: CheckReport) -> None:
    title = f"{report.source or report.district}: coverage matrix"
    levels = ("I", "II", "III", "IV")
    matrix = grid(title, ("tier · hazard", *levels))
    rows: dict[str, dict[str, str]] = {}
    for cell in report.matrix:
        row = cell.hazard if cell.tier == "district" else f"{cell.tier} · {cell.hazard}"
        leads = cell.leads
        if not leads:
            text = "[red]—[/red]" if cell.tier == "district" else ""
        elif len(leads) > 1:
            text = "[bold red]" + " / ".join(leads) + "[/bold red]"
        else:
            text = leads[0]
        rows.setdefault(row, {})[cell.level.value] = text
    for row, cells in rows.items():
        matrix.add_row(row, *(cells.get(level, "") for level in levels))
    console.print(matrix)
    if not report.findings:
        console.print("[green]no findings[/green]")
        return
    table = grid(
        f"{report.source or report.district}: findings", ("severity", "code", "where", "finding")
    )
    for f in report.findings:
        where = f.file or ""
        if f.file and f.line is not None:
            where += f":{f.line}"
            if f.column is not None:
                where += f":{f.column}"
        style = _STYLE[f.severity.value]
        path = f"{f.path}: " if f.path else ""
        table.add_row(
            f"[{style}]{f.severity.value}[/{style}]",
            f.code,
            escape(where),
            f"{escape(path + f.message)}\n[dim]{escape(f.why)}[/dim]",
        )
    console.print(table)
    counts = report.counts()
    console.print(f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} infos")
