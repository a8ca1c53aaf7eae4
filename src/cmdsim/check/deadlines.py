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
                    shown = ", ".join(at.value for at in held)
                    where = (
                        f"at level {level.value}"
                        if held == [level]
                        else f"written at level {level.value}, in force at {shown}"
                    )
                    yield finding(
                        "CMD040",
                        f"task {task.id!r} of plan {plan.id!r} {where} is due "
                        f"{task.deadline:g} min after {task.clock.value}, but takes at least "
                        f"{path.text()} min",
                        f"plans[{pi}].levels.{level.value}.tasks[{ki}].deadline",
                    )
        for ri, report in enumerate(plan.reports):
            path = fastest(district, plan, report)
            if path is None:
                continue
            for li, limit in enumerate(report.limits):
                parts = []
                if limit.min_level is not None:
                    parts.append(f"at level {limit.min_level.value} and above")
                if limit.zone is not None:
                    parts.append(f"in {limit.zone}")
                where = " ".join(parts) or f"where its limit {li} applies"
                if limit.within < path.total:
                    yield finding(
                        "CMD041",
                        f"report {report.id!r} of plan {plan.id!r} is due {limit.within:g} min "
                        f"after {_after(report)} where its limit {li} applies, but takes at least "
                        f"{path.text()} min",
                        f"plans[{pi}].reports[{ri}].limits[{li}].within",
                    )
                else:
                    yield from _unlikely(
                        plan.id,
                        report,
                        path,
                        limit.within,
                        f"{_after(report)} {where}",
                        f"plans[{pi}].reports[{ri}].limits[{li}].within",
                    )
            if report.within < path.total:
                yield finding(
                    "CMD041",
                    f"report {report.id!r} of plan {plan.id!r} is due {report.within:g} min "
                    f"after {_after(report)}, but takes at least {path.text()} min",
                    f"plans[{pi}].reports[{ri}].within",
                )
            else:
                yield from _unlikely(
                    plan.id,
                    report,
                    path,
                    report.within,
                    _after(report),
                    f"plans[{pi}].reports[{ri}].within",
                )


def _unlikely(
    plan: str, report: ReportDeadline, path: Path, within: float, after: str, where: str
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
        f"its reporter knows {knowing.text()} min after at the earliest"
        if knowing.total > 0
        else "its reporter may know at once"
    )
    yield finding(
        "CMD042",
        f"report {report.id!r} of plan {plan!r} is due {within:g} min after {after}; "
        f"{known}, and writing ({_shown(report.duration)}) and sending "
        f"({_shown(report.transmit)}) take a median of {median:.1f} min together, so it is "
        f"on time in at most {chance:.0%} of runs, even with nothing ahead of it in the "
        f"reporter's queue",
        where,
    )


def _shown(delay: Delay) -> str:
    fixed = point(delay)
    if fixed is not None:
        return f"{fixed:g} min"
    return f"median {median_of_sum(delay, Fixed(0.0)):.1f} min"


def _after(report: object) -> str:
    from cmdsim.model import ReportDeadline, ReportStage

    assert isinstance(report, ReportDeadline)
    if report.stage is ReportStage.INITIAL:
        return report.clock.value
    return "its occasion" if report.stage is ReportStage.FOLLOW_UP else "the response ends"
