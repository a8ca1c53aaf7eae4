"""``cmdsim scenarios``: the bundled drills, and a copy of them to edit.

A thin wrapper around :mod:`cmdsim.bundled`, which finds the bundled tree
in a clone and in an installed wheel alike.
"""

from __future__ import annotations

from pathlib import Path

import click

from cmdsim.cli._common import console, emit_json, grid, user_errors


@click.group("scenarios", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print the drills as JSON (sorted keys).")
@click.pass_context
def scenarios(ctx: click.Context, as_json: bool) -> None:
    """List the drills (and validation scenarios) bundled with cmdsim.

    Each with its id, name, hazards and file inside the bundled tree.

    `cmdsim scenarios copy DIR` copies the whole bundled tree (district,
    drills, MSELs) out to edit; `cmdsim run DIR/compound-typhoon.yaml`
    then runs the copy.
    """
    if ctx.invoked_subcommand is not None:
        return
    _list(as_json)


@scenarios.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the drills as JSON (sorted keys).")
def list_(as_json: bool) -> None:
    """List the bundled drills (the same as `cmdsim scenarios`)."""
    _list(as_json)


def _list(as_json: bool) -> None:
    from cmdsim import bundled

    with user_errors():
        root = bundled.root()
        drills = bundled.drills()
    if as_json:
        emit_json(
            {
                "root": str(root),
                "flagship": bundled.FLAGSHIP,
                "district": bundled.DISTRICT,
                "drills": [d.to_data() for d in drills],
            }
        )
        return
    table = grid("bundled scenarios", ("id", "name", "hazards", "file"))
    for d in drills:
        table.add_row(d.id, d.name, ", ".join(d.hazards), d.file)
    console.print(table)
    console.print(f"in {root} (district in {bundled.DISTRICT}/, MSELs in msel/)", markup=False)
    console.print(f"cmdsim run without a scenario runs {bundled.FLAGSHIP}", markup=False)
    console.print("copy them to edit: cmdsim scenarios copy DIR", markup=False)


@scenarios.command("copy")
@click.argument("dest", metavar="DIR", type=click.Path(path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Copy into a non-empty DIR, replacing files of the same names (others stay).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was copied as JSON.")
def copy(dest: Path, force: bool, as_json: bool) -> None:
    """Copy the bundled district, drills and MSELs into DIR to edit.

    DIR must be new or empty (exit 2 otherwise, unless --force).  The copy
    is whole: it is made beside DIR and renamed into place, so DIR never
    holds half of it.
    """
    from cmdsim import bundled

    with user_errors():
        copied = bundled.copy(dest, force=force)
    if as_json:
        emit_json({"to": str(dest), "files": copied})
        return
    drills = len(bundled.drills())
    console.print(
        f"copied {len(copied)} files ({drills} scenarios, the district and the MSELs) to {dest}",
        markup=False,
    )
    console.print(f"run one: cmdsim run {dest / bundled.FLAGSHIP}", markup=False)
