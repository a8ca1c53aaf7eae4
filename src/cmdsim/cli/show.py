"""``cmdsim show``: what a district or a scenario holds.

The numbers come from :func:`cmdsim.summary.summarise`, so Python users get
exactly what ``--json`` prints.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from cmdsim.cli._common import console, emit_json, grid, user_errors
from cmdsim.sim.moments import calendar, dated

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "scenario": "scenario",
        "scenario_facts": "start {start}, horizon {horizon:g} min, {injects} injects",
        "incidents": "incidents (level: what the plans require at the peak)",
        "incident_columns": "id|hazard|town|onset|level",
        "no_plan": "no plan",
        "district": "district",
        "general_hqs": "general HQs",
        "specialised_hqs": "specialised HQs",
        "member_units": "member units",
        "towns": "towns",
        "towns_facts": "{towns} ({street} streets, {town} towns)",
        "committees": "committees",
        "committees_facts": "{committees} ({compounds} compounds, {handbooks} with a handbook)",
        "bodies": "bodies",
        "information_officers": "information officers",
        "tiers": "district|town|committee|compound",
        "tier_joint": ", ",
        "officers_facts": "{officers} ({tiers})",
        "channels": "channels",
        "commands": "commands",
        "command_columns": "id|name|lead unit|members|posts|people",
        "general": "{name} (general)",
        "plans": "plans",
        "plan_columns": "plan|hazards|lead|levels|also activated",
        "level": "{level}",
        "level_below": "{level} (= {lower}'s)",
        "level_joint": ", ",
        "activated": "{level}: {commands}",
        "activated_joint": "; ",
        "command_joint": ", ",
    },
    "zh": {
        "scenario": "情景",
        "scenario_facts": "开始 {start}，时长 {horizon:g} 分钟，注入 {injects} 条",
        "incidents": "事件（级别：峰值时各预案要求的响应级别）",
        "incident_columns": "编号|灾种|街镇|发生|级别",
        "no_plan": "无预案",
        "district": "区",
        "general_hqs": "总指挥部",
        "specialised_hqs": "专项指挥部",
        "member_units": "成员单位",
        "towns": "街镇",
        "towns_facts": "{towns}（街道 {street} 个，镇 {town} 个）",
        "committees": "居村委",
        "committees_facts": "{committees}（居民小区（村民小组）{compounds} 个，"
        "有社区应急工作手册的 {handbooks} 个）",
        "bodies": "议事协调机构",
        "information_officers": "灾害信息员",
        "tiers": "区级|街镇级|居村级|小区级",
        "tier_joint": "，",
        "officers_facts": "{officers}（{tiers}）",
        "channels": "报告渠道",
        "commands": "指挥部",
        "command_columns": "编号|名称|牵头单位|成员单位|岗位|人员",
        "general": "{name}（总指挥部）",
        "plans": "预案",
        "plan_columns": "预案|灾种|牵头指挥部|响应级别|另启动",
        "level": "{level}级",
        "level_below": "{level}级（同{lower}级）",
        "level_joint": "、",
        "activated": "{level}级：{commands}",
        "activated_joint": "；",
        "command_joint": "、",
    },
}
"""The words of ``cmdsim show``'s tables, by ``--lang``; ids and names as the files write them."""

TIERS = ("district", "town", "committee", "compound")


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
@click.option(
    "--lang",
    type=click.Choice(sorted(WORDS)),
    default="en",
    show_default=True,
    help="The language of the tables (ids and names stay as written).",
)
def show(path: Path, as_json: bool, kind: str | None, lang: str) -> None:
    """Show what the district or scenario at PATH holds.

    Commands (the general HQ and the specialised HQs), towns, information
    officers per tier, channels, plans per hazard and level and, for a
    scenario, its incidents.  With --list KIND, the ids a scenario may use
    for that kind, with their names.  Each plan's levels are every level it
    responds at, a level it does not write marked with the lower level whose
    response it has (III (= IV's)).  Exit 2 when PATH cannot be loaded or
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
        print_summary(summary, lang)


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


def print_summary(summary: dict[str, Any], lang: str = "en") -> None:
    """Render a summary as rich tables on the terminal, in ``lang`` (``en``, ``zh``)."""
    words = WORDS[lang]
    if summary["kind"] == "scenario":
        _print_scenario(summary, words, lang)
        summary = summary["district"]
    _print_district(summary, words)


def levels_text(levels: list[dict[str, Any]], words: dict[str, str]) -> str:
    """A plan's levels in a summary (IV up to I, each it responds at): a
    level it writes by its name, one it does not with the highest written
    level below it, whose response it has (a level includes every lower
    level's): ``IV, III (= IV's), II``; ``-`` for none."""
    out: list[str] = []
    below: str | None = None
    for row in levels:
        level = row["level"]
        if row["written"] or below is None:
            out.append(words["level"].format(level=level))
            below = level
        else:
            out.append(words["level_below"].format(level=level, lower=below))
    return words["level_joint"].join(out) or "-"


def _print_scenario(s: dict[str, Any], words: dict[str, str], lang: str) -> None:
    console.print(f"[bold]{words['scenario']} {escape(s['id'])}[/bold] {escape(s['name'])}")
    facts = words["scenario_facts"]
    # the start and the onsets as a run's report writes them (2024-09-19 20:00, 09-20 04:30)
    start = dt.datetime.fromisoformat(s["start"])
    shown = calendar(start, lang)
    console.print(
        escape(facts.format(start=shown, horizon=s["horizon_minutes"], injects=s["injects"]))
    )
    columns = words["incident_columns"].split("|")
    table = grid(words["incidents"], columns, {columns[3]})
    for i in s["incidents"]:
        required = i["required_levels"]
        if len(required) == 1:
            level = next(iter(required.values())) or "-"
        else:
            joined = ", ".join(f"{p}: {lv or '-'}" for p, lv in required.items())
            level = joined or words["no_plan"]
        since = (dt.datetime.fromisoformat(i["onset"]) - start).total_seconds() / 60.0
        onset = dated(start, since, lang)
        table.add_row(*map(escape, (i["id"], i["hazard"], i["town"] or "-", onset, level)))
    console.print(table)


def _print_district(d: dict[str, Any], words: dict[str, str]) -> None:
    from rich.table import Table

    kinds = d["towns_by_kind"]
    tiers = d["information_officers_by_tier"]
    console.print(f"[bold]{words['district']} {escape(d['id'])}[/bold] {escape(d['name'])}")
    facts = Table(show_header=False, box=None)
    facts.add_row(words["general_hqs"], str(d["general_hqs"]))
    facts.add_row(words["specialised_hqs"], str(d["specialised_hqs"]))
    facts.add_row(words["member_units"], str(d["units"]))
    towns = words["towns_facts"].format(towns=d["towns"], **kinds)
    facts.add_row(words["towns"], towns)
    committees = words["committees_facts"].format(
        committees=d["committees"], compounds=d["compounds"], handbooks=d["handbooks"]
    )
    facts.add_row(words["committees"], committees)
    facts.add_row(words["bodies"], ", ".join(d["bodies"]) or "-")
    tier_names = dict(zip(TIERS, words["tiers"].split("|"), strict=True))
    per_tier = words["tier_joint"].join(f"{tier_names.get(t, t)} {n}" for t, n in tiers.items())
    officers = words["officers_facts"].format(officers=d["information_officers"], tiers=per_tier)
    facts.add_row(words["information_officers"], officers)
    facts.add_row(words["channels"], ", ".join(c["id"] for c in d["channels"]) or "-")
    console.print(facts)

    columns = words["command_columns"].split("|")
    commands = grid(words["commands"], columns, columns[3:])
    for c in d["commands"]:
        name = words["general"].format(name=c["name"]) if c["general"] else c["name"]
        commands.add_row(
            *map(escape, (c["id"], name, c["lead_unit"])),
            str(c["member_units"]),
            str(c["posts"]),
            str(c["people"]),
        )
    console.print(commands)

    plans = grid(words["plans"], words["plan_columns"].split("|"))
    for p in d["plans"]:
        where = "" if p["town"] is None else f" ({p['town']})"
        # Every level the plan responds at; one it does not write has the
        # response of the written levels below it (--json: "written").
        levels = levels_text(p["levels"], words)
        also = words["activated_joint"].join(
            words["activated"].format(
                level=r["level"], commands=words["command_joint"].join(others)
            )
            for r in p["levels"]
            if (others := [c for c in r["activate"] if c != r["lead"]])
        )
        row = (p["id"] + where, ", ".join(p["hazards"]), p["lead"] or "-", levels, also)
        plans.add_row(*map(escape, row))
    console.print(plans)
