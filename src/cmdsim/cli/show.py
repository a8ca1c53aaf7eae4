"""``cmdsim show``: what a district or a scenario holds.

The numbers come from :func:`cmdsim.summary.summarise`, so Python users get
exactly what ``--json`` prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cmdsim.cli._common import console, emit_json, grid, user_errors


@click.command("show")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON (sorted keys).")
def show(path: Path, as_json: bool) -> None:
    """Show what the district or scenario at PATH holds.

    Commands (the general HQ and the specialised HQs), towns, information
    officers per tier, channels, plans per hazard and level and, for a
    scenario, its incidents.  Exit 2 when PATH cannot be loaded.
    """
    from cmdsim.io import load
    from cmdsim.summary import summarise

    with user_errors():
        summary = summarise(load(path))
    if as_json:
        emit_json(summary)
    else:
        print_summary(summary)


def print_summary(summary: dict[str, Any]) -> None:
    """Render a summary as rich tables on the terminal."""
    if summary["kind"] == "scenario":
        _print_scenario(summary)
        summary = summary["district"]
    _print_district(summary)


def _print_scenario(s: dict[str, Any]) -> None:
    console.print(f"[bold]scenario {s['id']}[/bold] {s['name']}")
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
        table.add_row(i["id"], i["hazard"], i["town"], onset, level)
    console.print(table)


def _print_district(d: dict[str, Any]) -> None:
    from rich.table import Table

    kinds = d["towns_by_kind"]
    tiers = d["information_officers_by_tier"]
    console.print(f"[bold]district {d['id']}[/bold] {d['name']}")
    facts = Table(show_header=False, box=None)
    facts.add_row("general HQs", str(d["general_hqs"]))
    facts.add_row("specialised HQs", str(d["specialised_hqs"]))
    facts.add_row("member units", str(d["units"]))
    facts.add_row("towns", f"{d['towns']} ({kinds['street']} streets, {kinds['town']} towns)")
    facts.add_row("committees", f"{d['committees']} ({d['compounds']} compounds)")
    per_tier = ", ".join(f"{tier} {n}" for tier, n in tiers.items())
    facts.add_row("information officers", f"{d['information_officers']} ({per_tier})")
    facts.add_row("channels", ", ".join(c["id"] for c in d["channels"]) or "-")
    console.print(facts)

    counts = ("members", "posts", "people")
    commands = grid("commands", ("id", "name", "lead unit", *counts), counts)
    for c in d["commands"]:
        name = f"{c['name']} (general)" if c["general"] else c["name"]
        commands.add_row(
            c["id"], name, c["lead_unit"], str(c["member_units"]), str(c["posts"]), str(c["people"])
        )
    console.print(commands)

    plans = grid("plans", ("plan", "hazards", "lead", "levels", "also activated"))
    for p in d["plans"]:
        where = "" if p["town"] is None else f" ({p['town']})"
        levels = " ".join(r["level"] for r in p["levels"]) or "-"
        also = "; ".join(
            f"{r['level']}: {', '.join(others)}"
            for r in p["levels"]
            if (others := [c for c in r["activate"] if c != r["lead"]])
        )
        plans.add_row(p["id"] + where, ", ".join(p["hazards"]), p["lead"] or "-", levels, also)
    console.print(plans)
