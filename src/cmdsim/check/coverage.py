"""Gaps and overlaps in the coverage matrix (CMD001, CMD002).

A gap is a district hazard at a level where no plan of the district tier
has a lead HQ.  An overlap is a cell of any tier with two or more distinct
lead HQs among its special plans — the "duties cross or are unclear"
problem.  The general plan never overlaps: it leads only where no special
plan does.
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.matrix import DISTRICT_TIER, Matrix
from cmdsim.model import District


def check_coverage(district: District, matrix: Matrix) -> Iterator[Finding]:
    hazard_index = {h.id: i for i, h in enumerate(district.hazards)}
    # Gaps are gathered per hazard (and per leaderless plan) into one finding.
    uncovered: dict[str, list[str]] = {}
    leaderless: dict[tuple[str, int, str], list[str]] = {}
    for cell in matrix:
        level = cell.level.value
        if not cell.leads:
            if cell.tier != DISTRICT_TIER:
                continue
            if cell.entries:
                entry = cell.entries[0]
                leaderless.setdefault((cell.hazard, entry.plan_index, entry.plan), []).append(level)
            else:
                uncovered.setdefault(cell.hazard, []).append(level)
        elif len(cell.leads) > 1:
            acting = cell.acting
            plans = ", ".join(f"{e.plan!r} (lead {e.lead!r})" for e in acting)
            yield finding(
                "CMD002",
                f"hazard {cell.hazard!r} at level {level} in tier {cell.tier}: "
                f"{len(cell.leads)} leads — {plans}",
                f"plans[{acting[1].plan_index}].levels.{level}",
            )
    for (hazard, plan_index, plan), levels in leaderless.items():
        yield finding(
            "CMD001",
            f"hazard {hazard!r} at level {', '.join(levels)}: plan {plan!r} names no lead HQ",
            f"plans[{plan_index}].lead",
        )
    for hazard, levels in uncovered.items():
        yield finding(
            "CMD001",
            f"hazard {hazard!r} at level {', '.join(levels)}: no district plan with a lead HQ "
            f"sets out a response",
            f"hazards[{hazard_index[hazard]}]",
        )
