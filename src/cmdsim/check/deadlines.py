"""Deadlines that no run can meet, whatever the luck (CMD040, CMD041).

Each task's and report's least time from its clock is the fastest path of
:func:`cmdsim.check.bounds.fastest`, which follows the engine's own order of
steps with every delay at its minimum: a task starts at the decision that
sets it (no call-out before it), an initial report once its reporter knows
(a duty room after triaging the news) and its clock has started.  These are
lower bounds, so a finding here is certain, not a guess.
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.bounds import activation_floor, fastest, minimum
from cmdsim.check.findings import Finding, finding
from cmdsim.model import BandFactors, Delay, District

__all__ = ["activation_floor", "check_deadlines", "fastest_delay"]


def fastest_delay(delay: Delay, factors: BandFactors | None = None) -> float:
    """A delay at its minimum and smallest band factor (:func:`bounds.minimum`)."""
    return minimum(delay, factors)


def check_deadlines(district: District) -> Iterator[Finding]:
    for pi, plan in enumerate(district.plans):
        for level, response in plan.levels.items():
            for ki, task in enumerate(response.tasks):
                if task.deadline is None:
                    continue
                path = fastest(district, plan, task, level)
                if path is not None and task.deadline < path.total:
                    yield finding(
                        "CMD040",
                        f"task {task.id!r} of plan {plan.id!r} at level {level.value} is due "
                        f"{task.deadline:g} min after {task.clock.value}, but takes at least "
                        f"{path.text()} min",
                        f"plans[{pi}].levels.{level.value}.tasks[{ki}].deadline",
                    )
        for ri, report in enumerate(plan.reports):
            path = fastest(district, plan, report)
            if path is None:
                continue
            for li, limit in enumerate(report.limits):
                if limit.within < path.total:
                    yield finding(
                        "CMD041",
                        f"report {report.id!r} of plan {plan.id!r} is due {limit.within:g} min "
                        f"after {_after(report)} where its limit {li} applies, but takes at least "
                        f"{path.text()} min",
                        f"plans[{pi}].reports[{ri}].limits[{li}].within",
                    )
            if report.within < path.total:
                yield finding(
                    "CMD041",
                    f"report {report.id!r} of plan {plan.id!r} is due {report.within:g} min "
                    f"after {_after(report)}, but takes at least {path.text()} min",
                    f"plans[{pi}].reports[{ri}].within",
                )


def _after(report: object) -> str:
    from cmdsim.model import ReportDeadline, ReportStage

    assert isinstance(report, ReportDeadline)
    if report.stage is ReportStage.INITIAL:
        return report.clock.value
    return "its occasion" if report.stage is ReportStage.FOLLOW_UP else "the response ends"
