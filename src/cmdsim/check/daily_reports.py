"""A plan that can reach level I without a daily follow-up report (CMD043).

The reporting principles (domain: "一事一报、急事即报、善后续报") ask for a
follow-up report for every new development *and daily for the gravest*:
level I is the gravest response, so a plan the engine can put at level I
(:meth:`~cmdsim.model.governing.PlanChoice.reach`: its triggers, raise
flags, the warning link a signal comes by, a merged plan's levels; a plan
that governs no incident reaches none, CMD006) names a follow-up report that comes at least
once a day while that response runs (``every`` at most :data:`DAY`
minutes, or ``daily_at`` a time of day; the engine counts its day from the
duty's ``min_level``, so any ``min_level`` up to I serves).  Only a plan
that states reporting duties is held to it: one with no ``reports`` at all
does not model its reporting (a plan under construction, a test's coverage
sketch).  Which report, by
whom and how late is the planners' call; that there is none is what the
check says (an info finding).
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.words import Join, say
from cmdsim.model import District, Level
from cmdsim.model.governing import plan_choice
from cmdsim.model.plans import DAY, ReportStage


def check_daily_reports(district: District) -> Iterator[Finding]:
    """CMD043: each plan that states reports, can reach level I and has no
    follow-up report due at least daily while its level-I response runs, at
    its ``reports``."""
    choice = plan_choice(district)
    for pi, plan in enumerate(district.plans):
        if not plan.reports or Level.I not in choice.reach(plan):
            continue
        intervals = [
            duty
            for duty in plan.reports
            if duty.stage is ReportStage.FOLLOW_UP and duty.every is not None
        ]
        daily = any(
            duty.stage is ReportStage.FOLLOW_UP and duty.daily_at is not None
            for duty in plan.reports
        )
        if daily or any(duty.every is not None and duty.every <= DAY for duty in intervals):
            continue
        every = Join([say("daily.every", report=d.id, every=d.every) for d in intervals])
        longer = say("daily.longer", reports=every) if intervals else ""
        said = say("CMD043", plan=plan.id, day=DAY, longer=longer)
        yield finding("CMD043", said, f"plans[{pi}].reports")
