"""Deadlines that no run can meet, whatever the luck (CMD040, CMD041), and
report deadlines that most runs miss even with no queue (CMD042).

Each task's and report's least time from its clock is the fastest path of
:func:`cmdsim.check.bounds.fastest`, which follows the engine's own order of
steps with every delay at its minimum: a task starts at the decision that
sets it (no call-out before it), an initial report once its reporter knows
(a duty room after triaging the news) and its clock has started.  These are
lower bounds, so a finding here is certain, not a guess.  CMD042 keeps the
path up to the reporter knowing at its fastest but takes the writing and
transmission as they are drawn: a report late in more than half of those
draws is late in more than half of the runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.bounds import Path, activation_floor, fastest, minimum
from cmdsim.check.chances import chance_within, median_of_sum, point
from cmdsim.check.findings import Finding, finding
from cmdsim.check.words import Join, Phrase, say
from cmdsim.model import BandFactors, Delay, District, Fixed, Level, Plan, ReportDeadline

__all__ = ["activation_floor", "check_deadlines", "fastest_delay"]


def fastest_delay(delay: Delay, factors: BandFactors | None = None) -> float:
    """A delay at its minimum and smallest band factor (:func:`bounds.minimum`)."""
    return minimum(delay, factors)


def in_force(plan: Plan) -> dict[int, list[Level]]:
    """``id(task)`` of each task the plan writes -> the levels at which the
    engine has that version of it in force, lowest first: its own and every
    higher one up to the level that writes the task again
    (:meth:`Plan.included`, the reading ``sim/compiled.py`` runs)."""
    out: dict[int, list[Level]] = {}
    for level in sorted(Level):
        for task in plan.included(level).tasks:
            out.setdefault(id(task), []).append(level)
    return out


def check_deadlines(district: District) -> Iterator[Finding]:
    for pi, plan in enumerate(district.plans):
        levels_of = (
            in_force(plan)
            if any(t.deadline is not None for r in plan.levels.values() for t in r.tasks)
            else {}
        )
        for level, response in plan.levels.items():
            for ki, task in enumerate(response.tasks):
                if task.deadline is None:
                    continue
                # A task is in force at its level and the higher ones that
                # include it; the fastest path is the same at each of them.
                path = fastest(district, plan, task, level)
                if path is not None and task.deadline < path.total:
                    held = levels_of.get(id(task), [level])
                    shown = Join([at.value for at in held])
                    where = (
                        say("task.at", level=level.value)
                        if held == [level]
                        else say("task.in_force", level=level.value, shown=shown)
                    )
                    said = say(
                        "CMD040",
                        task=task.id,
                        plan=plan.id,
                        where=where,
                        deadline=task.deadline,
                        clock=say(f"clock.{task.clock.value}"),
                        path=path.words(),
                    )
                    yield finding(
                        "CMD040", said, f"plans[{pi}].levels.{level.value}.tasks[{ki}].deadline"
                    )
        for ri, report in enumerate(plan.reports):
            path = fastest(district, plan, report)
            if path is None:
                continue
            for li, limit in enumerate(report.limits):
                parts: list[Phrase] = []
                if limit.min_level is not None:
                    parts.append(say("limit.level", level=limit.min_level.value))
                if limit.zone is not None:
                    parts.append(say("limit.zone", zone=limit.zone))
                limited: Phrase | Join = Join(parts, " ") if parts else say("limit.index", index=li)
                if limit.within < path.total:
                    field = f"plans[{pi}].reports[{ri}].limits[{li}].within"
                    applies = say("limit.applies", index=li)
                    yield _infeasible(report, plan.id, limit.within, path, applies, field)
                else:
                    yield from _unlikely(
                        plan.id,
                        report,
                        path,
                        limit.within,
                        Join([_after(report), limited], " "),
                        f"plans[{pi}].reports[{ri}].limits[{li}].within",
                    )
            if report.within < path.total:
                field = f"plans[{pi}].reports[{ri}].within"
                yield _infeasible(report, plan.id, report.within, path, "", field)
            else:
                yield from _unlikely(
                    plan.id,
                    report,
                    path,
                    report.within,
                    _after(report),
                    f"plans[{pi}].reports[{ri}].within",
                )


def _infeasible(
    report: ReportDeadline, plan: str, within: float, path: Path, limit: Phrase | str, where: str
) -> Finding:
    """CMD041: even the fastest path misses ``within`` (a limit's, when ``limit``)."""
    said = say(
        "CMD041",
        report=report.id,
        plan=plan,
        within=within,
        after=_after(report),
        limit=limit,
        path=path.words(),
    )
    return finding("CMD041", said, where)


def _unlikely(
    plan: str, report: ReportDeadline, path: Path, within: float, after: Phrase | Join, where: str
) -> Iterator[Finding]:
    """CMD042: the reporter knows at the earliest (the fastest path up to
    the writing) and the writing and sending take their usual time, yet the
    report is late in more than half of the draws of those two."""
    knowing = path.knowing()
    slack = within - knowing.total
    chance = chance_within(report.duration, report.transmit, slack)
    if chance >= 0.5:
        return
    median = median_of_sum(report.duration, report.transmit)
    known = (
        say("known.after", knowing=knowing.words()) if knowing.total > 0 else say("known.at_once")
    )
    said = say(
        "CMD042",
        report=report.id,
        plan=plan,
        within=within,
        after=after,
        known=known,
        writing=_shown(report.duration),
        sending=_shown(report.transmit),
        median=median,
        chance=chance,
    )
    yield finding("CMD042", said, where)


def _shown(delay: Delay) -> Phrase:
    fixed = point(delay)
    if fixed is not None:
        return say("delay.fixed", minutes=fixed)
    return say("delay.median", minutes=median_of_sum(delay, Fixed(0.0)))


def _after(report: object) -> Phrase:
    from cmdsim.model import ReportDeadline, ReportStage

    assert isinstance(report, ReportDeadline)
    if report.stage is ReportStage.INITIAL:
        return say(f"clock.{report.clock.value}")
    return say("after.occasion" if report.stage is ReportStage.FOLLOW_UP else "after.end")
