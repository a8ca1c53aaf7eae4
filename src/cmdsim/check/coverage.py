"""Gaps and overlaps in the coverage matrix (CMD001, CMD002).

A gap is a district hazard at a level where the incident gets no lead's
response: no plan governs it, the governing plan names no lead HQ, or the
governing plan writes no response at that level or any level below it
(:meth:`Plan.responds`: a level includes every lower level's actions, so a
level the plan does not write has the lower written levels' response and is
no gap; the engine decides every level of a hazard by one plan, and the
general plan does not fill its missing levels).  An overlap is a cell of
any tier where plans of the tier claim it with two or more distinct lead
HQs — the "duties cross or are unclear" problem; the engine takes the
first, the others' duties never run there.
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.matrix import DISTRICT_TIER, Matrix
from cmdsim.model import District


def check_coverage(district: District, matrix: Matrix) -> Iterator[Finding]:
    hazard_index = {h.id: i for i, h in enumerate(district.hazards)}
    # Gaps are gathered per hazard (and per governing plan) into one finding.
    uncovered: dict[str, list[str]] = {}
    leaderless: dict[tuple[str, int, str], list[str]] = {}
    silent: dict[tuple[str, int, str, str], list[str]] = {}
    for cell in matrix:
        level = cell.level.value
        gov = cell.governs
        if not cell.leads and cell.tier == DISTRICT_TIER:
            if gov is None:
                uncovered.setdefault(cell.hazard, []).append(level)
            elif gov.lead is None:
                leaderless.setdefault((cell.hazard, gov.plan_index, gov.plan), []).append(level)
            else:
                key = (cell.hazard, gov.plan_index, gov.plan, gov.lead)
                silent.setdefault(key, []).append(level)
        if len(cell.claims) > 1:
            claimants = cell.claimants
            first = claimants[0].lead
            second = next(e for e in claimants if e.lead != first)
            plans = ", ".join(f"{e.plan!r} (lead {e.lead!r})" for e in claimants)
            taken = (
                f"; the engine decides by {gov.plan!r}"
                if gov is not None and gov in claimants
                else ""
            )
            yield finding(
                "CMD002",
                f"hazard {cell.hazard!r} at level {level} in tier {cell.tier}: "
                f"{len(cell.claims)} leads — {plans}{taken}",
                f"plans[{second.plan_index}].levels.{level}",
            )
    for (hazard, plan_index, plan), levels in leaderless.items():
        yield finding(
            "CMD001",
            f"hazard {hazard!r} at level {', '.join(levels)}: plan {plan!r} names no lead HQ",
            f"plans[{plan_index}].lead",
        )
    for (hazard, plan_index, plan, lead), levels in silent.items():
        these = "this level" if len(levels) == 1 else "these levels"
        yield finding(
            "CMD001",
            f"hazard {hazard!r} at level {', '.join(levels)}: plan {plan!r} governs its "
            f"incidents at every level but writes no response at {these} or any level "
            f"below (a level includes the lower levels' actions): an incident decided at "
            f"{these} gets only its lead {lead!r} called out; the general plan does not "
            "step in",
            f"plans[{plan_index}].levels",
        )
    for hazard, levels in uncovered.items():
        yield finding(
            "CMD001",
            f"hazard {hazard!r} at level {', '.join(levels)}: no plan governs its incidents "
            "(no plan names it, and the district has no general plan naming no hazard)",
            f"hazards[{hazard_index[hazard]}]",
        )
