"""Duties at levels a plan is never put at (CMD025, CMD044, CMD045).

Which levels the engine can put in force under a plan is one answer,
:meth:`cmdsim.model.governing.PlanChoice.reach` (its triggers and their raise
flags, the warning link a signal comes by, the triggers and links of plans
merged into its cases, a town plan's cap at its top), read here and by
CMD008's limits:

- **CMD025** (warning): a call-in (``levels.<L>.reinforce``, 加强值班) at a
  level above every level the plan reaches: a level's call-ins are in force
  at it and above, so these officers are never called in.
- **CMD044** (warning): a report whose ``min_level`` is above every level
  the plan reaches: the report is never called for, whatever its stage.
- **CMD045** (warning): ``upon: [level]`` on a plan that is only ever at one
  level: its level never rises or falls while a response runs, so the
  follow-up is called for only when a closed response opens again.

A plan that governs no incident reaches no level; CMD006/CMD007 say so, and
these checks leave it alone, as they do a plan with no trigger or link that
can set a level (CMD016).
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.words import Join, Phrase, say
from cmdsim.model import District, Level, Plan, PlanTier
from cmdsim.model.governing import plan_choice
from cmdsim.model.plans import ReportOn


def levels_text(levels: frozenset[Level]) -> Phrase:
    """``level IV`` or ``levels IV and III`` (lowest first) for a message."""
    names = [level.value for level in sorted(levels)]
    if len(names) == 1:
        return say("levels.one", level=names[0])
    return say("levels.many", first=Join(names[:-1]), last=names[-1])


def _call_ins(plan: Plan, base: str, reach: frozenset[Level]) -> Iterator[Finding]:
    top = max(reach)
    for level in sorted(plan.levels):
        if level <= top:
            continue
        for ci, call in enumerate(plan.levels[level].reinforce):
            said = say(
                "CMD025",
                plan=plan.id,
                n=call.officers,
                s="" if call.officers == 1 else "s",
                room=call.room,
                level=level.value,
                reach=levels_text(reach),
            )
            yield finding("CMD025", said, f"{base}.levels.{level.value}.reinforce[{ci}]")


def _reports(plan: Plan, base: str, reach: frozenset[Level]) -> Iterator[Finding]:
    top = max(reach)
    for ri, report in enumerate(plan.reports):
        path = f"{base}.reports[{ri}]"
        if report.min_level > top:
            said = say(
                "CMD044",
                report=report.id,
                level=report.min_level.value,
                plan=plan.id,
                reach=levels_text(reach),
            )
            yield finding("CMD044", said, f"{path}.min_level")
        elif ReportOn.LEVEL in report.upon and len(reach) == 1:
            # A district plan reporting ahead of a town plan (急事即报) hears
            # its first level as news too; a town plan never reports ahead.
            ahead = "" if plan.tier is PlanTier.TOWN else say("ahead")
            said = say(
                "CMD045", report=report.id, plan=plan.id, reach=levels_text(reach), ahead=ahead
            )
            yield finding("CMD045", said, f"{path}.upon[{report.upon.index(ReportOn.LEVEL)}]")


def check_reach(district: District) -> Iterator[Finding]:
    """CMD025, CMD044 and CMD045 on every plan that reaches some level."""
    ix = plan_choice(district)
    for index, plan in enumerate(district.plans):
        reach = ix.reach(plan)
        if not reach:
            continue
        base = f"plans[{index}]"
        yield from _call_ins(plan, base, reach)
        yield from _reports(plan, base, reach)
