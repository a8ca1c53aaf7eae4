"""``cmdsim show``: what a district or a scenario holds.

The numbers come from :func:`cmdsim.summary.summarise`, so Python users get
exactly what ``--json`` prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from cmdsim.cli._common import console, emit_json, grid, user_errors


@click.command("show")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON (sorted keys).")
@click.option(
    "--list",
    "kind",
    metavar="KIND",
    help="List the ids (with names) of one kind: towns, committees, units, commands, "
    "channels, plans, town_plans, hazards, duty_rooms, bodies (安委会, 专委会, 灾防委), duties; "
    "for a scenario also incidents, injects.",
)
def show(path: Path, as_json: bool, kind: str | None) -> None:
    """Show what the district or scenario at PATH holds.

    Commands (the general HQ and the specialised HQs), towns, information
    officers per tier, channels, plans per hazard and level and, for a
    scenario, its incidents.  With --list KIND, the ids a scenario may use
    for that kind, with their names.  Exit 2 when PATH cannot be loaded or
    KIND is not a kind the model holds.
    """
    from cmdsim.io import load
    from cmdsim.summary import list_ids, list_kind, summarise

    with user_errors():
        # A typo in KIND is refused before a large district is loaded.
        kind = None if kind is None else list_kind(kind)
        loaded = load(path)
        if kind is not None:
            items = list_ids(loaded, kind)
        else:
            summary = summarise(loaded)
    if kind is not None:
        if as_json:
            emit_json(items)
        else:
            print_items(loaded, kind, items)
    elif as_json:
        emit_json(summary)
    else:
        print_summary(summary)


def print_items(obj: Any, kind: str, items: list[dict[str, Any]]) -> None:
    """Render a ``--list`` answer as a table: id, name, then the other facts."""
    from cmdsim.model import Scenario

    what = f"scenario {obj.id}" if isinstance(obj, Scenario) else f"district {obj.id}"
    if not items:
        console.print(f"{what} has no {kind.replace('_', ' ')}", markup=False)
        return
    columns = list(items[0])
    numbers = {
        c
        for c in columns
        if isinstance(items[0][c], int | float) and not isinstance(items[0][c], bool)
    }
    table = grid(f"{kind.replace('_', ' ')} of {what} ({len(items)})", columns, numbers)
    for item in items:
        table.add_row(*(_cell(item[c]) for c in columns))
    console.print(table)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return escape(", ".join(str(v) for v in value)) or "-"
    if isinstance(value, float):
        return f"{value:g}"
    # Names are free text: "[draft]" must print, not vanish as rich markup.
    return escape(str(value))


def print_summary(summary: dict[str, Any]) -> None:
    """Render a summary as rich tables on the terminal."""
    if summary["kind"] == "scenario":
        _print_scenario(summary)
        summary = summary["district"]
    _print_district(summary)


def _print_scenario(s: dict[str, Any]) -> None:
    console.print(f"[bold]scenario {escape(s['id'])}[/bold] {escape(s['name'])}")
    console.print(
        f"start {s['start']}, horizon {s['horizon_minutes']:g} min, {s['injects']} injects"
    )
    table = grid(
        "incidents (level: what the plans require at the peak)",
        ("id", "hazard", "town", "onset", "level"),
        {"onset"},
    )
    for i in s["incidents"]:
        required = i["required_levels"]
        if len(required) == 1:
            level = next(iter(required.values())) or "-"
        else:
            level = ", ".join(f"{p}: {lv or '-'}" for p, lv in required.items()) or "no plan"
        onset = i["onset"][5:16].replace("T", " ")
        table.add_row(*map(escape, (i["id"], i["hazard"], i["town"] or "-", onset, level)))
    console.print(table)


def _print_district(d: dict[str, Any]) -> None:
    from rich.table import Table

    kinds = d["towns_by_kind"]
    tiers = d["information_officers_by_tier"]
    console.print(f"[bold]district {escape(d['id'])}[/bold] {escape(d['name'])}")
    facts = Table(show_header=False, box=None)
    facts.add_row("general HQs", str(d["general_hqs"]))
    facts.add_row("specialised HQs", str(d["specialised_hqs"]))
    facts.add_row("member units", str(d["units"]))
    facts.add_row("towns", f"{d['towns']} ({kinds['street']} streets, {kinds['town']} towns)")
    facts.add_row(
        "committees",
        f"{d['committees']} ({d['compounds']} compounds, {d['handbooks']} with a handbook)",
    )
    facts.add_row("bodies", ", ".join(d["bodies"]) or "-")
    per_tier = ", ".join(f"{tier} {n}" for tier, n in tiers.items())
    facts.add_row("information officers", f"{d['information_officers']} ({per_tier})")
    facts.add_row("channels", ", ".join(c["id"] for c in d["channels"]) or "-")
    console.print(facts)

    counts = ("members", "posts", "people")
    commands = grid("commands", ("id", "name", "lead unit", *counts), counts)
    for c in d["commands"]:
        name = f"{c['name']} (general)" if c["general"] else c["name"]
        commands.add_row(
            *map(escape, (c["id"], name, c["lead_unit"])),
            str(c["member_units"]),
            str(c["posts"]),
            str(c["people"]),
        )
    console.print(commands)

    plans = grid("plans", ("plan", "hazards", "lead", "levels", "also activated"))
    for p in d["plans"]:
        where = "" if p["town"] is None else f" ({p['town']})"
        # The levels as written; --json lists the ones in force as well.
        levels = " ".join(r["level"] for r in p["levels"] if r["written"]) or "-"
        also = "; ".join(
            f"{r['level']}: {', '.join(others)}"
            for r in p["levels"]
            if (others := [c for c in r["activate"] if c != r["lead"]])
        )
        row = (p["id"] + where, ", ".join(p["hazards"]), p["lead"] or "-", levels, also)
        plans.add_row(*map(escape, row))
    console.print(plans)
