"""The plan checker's view for the report: the coverage matrix and findings."""

from __future__ import annotations

import re
from typing import Any

from cmdsim.check import check
from cmdsim.check.matrix import hand_over_text
from cmdsim.model import Level

LEVEL_COLUMNS = ("I", "II", "III", "IV")
GAP = "—"


def check_scenario(scenario: Any) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """``(coverage, findings)`` for a scenario's district.

    The matrix keeps every district row and the rows of the towns the
    scenario's incidents are in: a drill's report is not the place for every
    town's plans (36 towns × 10 hazards in the bundled district; ``cmdsim
    check`` lists them all).  ``omitted_towns`` counts the towns left out.
    """
    report = check(scenario)
    towns = {i.town for i in getattr(scenario, "incidents", ()) if getattr(i, "town", None)}
    kept = [c for c in report.matrix if not _other_town(c.tier, towns)]
    table = coverage_table(kept)
    table["omitted_towns"] = len({c.tier for c in report.matrix if _other_town(c.tier, towns)})
    plans = [p.id for p in scenario.district.plans]
    return table, [_finding(f, plans) for f in report.findings]


def _other_town(tier: str, towns: set[str]) -> bool:
    return str(tier).startswith("town:") and str(tier)[5:] not in towns


def _finding(item: Any, plans: list[str]) -> dict[str, Any]:
    data = item.to_dict()
    where = f"{data['path']}: " if data.get("path") else ""
    # The plan a finding is in, by id: a title alone (the Chinese report
    # shows no English message) would read the same for every plan.
    index = re.match(r"plans\[(\d+)\]", str(data.get("path") or ""))
    plan = plans[int(index[1])] if index and int(index[1]) < len(plans) else None
    return {
        "severity": str(data.get("severity", "")),
        "code": str(data.get("code", "")),
        "title": str(data.get("title", "")),
        "path": data.get("path") or None,
        "plan": plan,
        "message": where + str(data.get("message", "")),
        # The district's reason for accepting it (its accept list), or None.
        "accepted": (data.get("accepted") or {}).get("reason"),
    }


def coverage_table(matrix: Any) -> dict[str, Any]:
    """Rows ``tier · hazard``, columns levels I–IV, cells the lead HQs
    (``a / b`` for an overlap, ``lead: no response`` where the governing plan
    sets out none at the level, ``—`` where no plan governs).

    ``no_response`` holds, per cell, the lead of a governing plan with no
    response there (``None`` elsewhere): the engine still calls that lead
    out, so the report names it as ``cmdsim check`` does, not as a blank.
    ``handed`` holds, per town cell, the lead of the plan the town room
    hands the case over to at that level where the town plan's triggers set
    none (``lead (↑other)``, as ``cmdsim check`` shows it; ``None`` elsewhere).
    ``linked`` holds, per town cell, the lead of the district plan whose
    warning link takes the case from the town plan on a signal at that level
    (``lead (↑other on a signal)``; ``None`` elsewhere).
    """
    rows: list[str] = []
    keys: list[dict[str, str]] = []
    cells: dict[str, dict[str, str]] = {}
    leads: dict[str, dict[str, list[str]]] = {}
    silent: dict[str, dict[str, str]] = {}
    up: dict[str, dict[str, str]] = {}
    signalled: dict[str, dict[str, str]] = {}
    for cell in matrix:
        row = cell.hazard if cell.tier == "district" else f"{cell.tier} · {cell.hazard}"
        if row not in cells:
            rows.append(row)
            keys.append({"tier": str(cell.tier), "hazard": str(cell.hazard)})
            cells[row] = {}
            leads[row] = {}
            silent[row] = {}
            up[row] = {}
            signalled[row] = {}
        level = cell.level.value if isinstance(cell.level, Level) else str(cell.level)
        # An overlap shows every claimant's lead; a governing plan with no
        # response at the level shows its lead so, and a gap (no plan) none.
        shown = cell.claims if len(cell.claims) > 1 else cell.leads
        text = " / ".join(shown)
        if not shown and cell.no_response and cell.lead is not None:
            silent[row][level] = cell.lead
            text = f"{cell.lead}: no response"
        handed = getattr(cell, "handed", None)
        if handed is not None and handed.lead is not None and handed.lead not in shown:
            up[row][level] = handed.lead
        linked = getattr(cell, "linked", None)
        if linked is not None and linked.lead is not None and linked.lead not in shown:
            signalled[row][level] = linked.lead
        text = hand_over_text(text or GAP, up[row].get(level), signalled[row].get(level))
        cells[row][level] = text or GAP
        leads[row][level] = list(shown)
    return {
        "columns": list(LEVEL_COLUMNS),
        "rows": rows,
        "keys": keys,
        "leads": [[leads[r].get(c, []) for c in LEVEL_COLUMNS] for r in rows],
        "cells": [[cells[r].get(c, GAP) for c in LEVEL_COLUMNS] for r in rows],
        "no_response": [[silent[r].get(c) for c in LEVEL_COLUMNS] for r in rows],
        "handed": [[up[r].get(c) for c in LEVEL_COLUMNS] for r in rows],
        "linked": [[signalled[r].get(c) for c in LEVEL_COLUMNS] for r in rows],
    }
