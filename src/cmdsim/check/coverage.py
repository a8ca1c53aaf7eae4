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
from cmdsim.check.words import Join, say
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
            plans = Join([say("claim", plan=e.plan, lead=e.lead) for e in claimants])
            taken = (
                say("claim.taken", plan=gov.plan) if gov is not None and gov in claimants else ""
            )
            said = say(
                "CMD002",
                hazard=cell.hazard,
                level=level,
                tier=cell.tier,
                n=len(cell.claims),
                plans=plans,
                taken=taken,
            )
            yield finding("CMD002", said, f"plans[{second.plan_index}].levels.{level}")
    for (hazard, plan_index, plan), levels in leaderless.items():
        said = say("CMD001.no_lead", hazard=hazard, levels=Join(levels), plan=plan)
        yield finding("CMD001", said, f"plans[{plan_index}].lead")
    for (hazard, plan_index, plan, lead), levels in silent.items():
        these = "this level" if len(levels) == 1 else "these levels"
        said = say(
            "CMD001.silent", hazard=hazard, levels=Join(levels), plan=plan, these=these, lead=lead
        )
        yield finding("CMD001", said, f"plans[{plan_index}].levels")
    for hazard, levels in uncovered.items():
        said = say("CMD001", hazard=hazard, levels=Join(levels))
        yield finding("CMD001", said, f"hazards[{hazard_index[hazard]}]")
