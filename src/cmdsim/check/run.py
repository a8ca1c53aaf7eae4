"""Run every rule over a district or scenario and gather one report."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from cmdsim.check.accept import apply_acceptances
from cmdsim.check.coverage import check_coverage
from cmdsim.check.daily_reports import check_daily_reports
from cmdsim.check.deadlines import check_deadlines
from cmdsim.check.duties import check_duties
from cmdsim.check.escalation import check_escalation
from cmdsim.check.findings import Finding, Severity, finding
from cmdsim.check.governs import check_governs
from cmdsim.check.locations import Locator, locate, position
from cmdsim.check.matrix import Matrix, build_matrix
from cmdsim.check.officer_tiers import check_officer_tiers
from cmdsim.check.reach import check_reach
from cmdsim.check.signals import check_timeline_signals, check_warning_links
from cmdsim.check.site_tasks import check_site_tasks
from cmdsim.check.sites import check_sites
from cmdsim.check.staffing import check_duty_rooms, check_staffing
from cmdsim.check.stubs import check_stubs
from cmdsim.check.tasks import check_tasks
from cmdsim.check.town_plans import check_town_plans
from cmdsim.check.towns import check_handbook_hazards, check_towns
from cmdsim.check.triggers import check_triggers
from cmdsim.check.words import say
from cmdsim.model import District, Scenario

RULES: tuple[Callable[[District], Iterable[Finding]], ...] = (
    check_stubs,
    check_triggers,
    check_staffing,
    check_duty_rooms,
    check_officer_tiers,
    check_tasks,
    check_deadlines,
    check_daily_reports,
    check_escalation,
    check_towns,
    check_handbook_hazards,
    check_duties,
    check_sites,
    check_site_tasks,
    check_town_plans,
    check_governs,
    check_reach,
    check_warning_links,
)
"""Rules that need only the district; coverage also needs the matrix."""


@attrs.frozen
class CheckReport:
    """The findings on one district and its coverage matrix.

    Findings the district does not accept come first, then the accepted
    ones; each group errors first, then warnings, then infos, within a
    severity by code, then in the order they stand in the input.
    """

    district: str
    findings: tuple[Finding, ...]
    matrix: Matrix
    source: str | None = None

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The error-level findings the district does not accept."""
        return tuple(
            f for f in self.findings if f.severity is Severity.ERROR and f.accepted is None
        )

    @property
    def accepted(self) -> tuple[Finding, ...]:
        """The findings the district accepts (each with its reason)."""
        return tuple(f for f in self.findings if f.accepted is not None)

    @property
    def ok(self) -> bool:
        """No error-level finding the district does not accept."""
        return not self.errors

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def counts(self) -> dict[str, int]:
        """The findings not accepted, by severity, then how many are accepted."""
        open_ = [f for f in self.findings if f.accepted is None]
        counts = {s.value: sum(1 for f in open_ if f.severity is s) for s in Severity}
        counts["accepted"] = len(self.findings) - len(open_)
        return counts

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """As JSON, the findings' words in ``lang``."""
        return {
            "source": self.source,
            "district": self.district,
            "ok": self.ok,
            "counts": self.counts(),
            "findings": [f.to_dict(lang) for f in self.findings],
            "matrix": self.matrix.to_dict(),
        }


def check(
    subject: District | Scenario,
    locations: Locator | None = None,
    *,
    source: str | None = None,
    unincluded: Sequence[str] | None = None,
    accept: bool = True,
) -> CheckReport:
    """Check a district's plans (a scenario's district) without simulating;
    of a scenario, also its incidents' timelines (CMD019, at paths from the
    scenario's top: ``incidents[0].timeline[1].signal``).

    ``locations`` (from ``cmdsim.io.load_with_locations``) adds file, line and
    column to each finding; field paths of a scenario's district are looked
    up under ``district.``.  ``unincluded`` (from ``cmdsim.io.unincluded``)
    names the district directory's YAML files the load did not read: each is
    a CMD090 finding at its first line (``None``, the default: not sought).

    The district's ``accept`` list marks the findings it accepts (they stay
    in the report, after the others) and each acceptance that matches none
    is a CMD091 finding; ``accept=False`` leaves the list out, as if it were
    empty.  An acceptance this check cannot judge is no CMD091: one of
    CMD090 when stray files were not sought, one naming a ``file`` without
    ``locations``.
    """
    if isinstance(subject, Scenario):
        district, prefix = subject.district, "district."
    else:
        district, prefix = subject, ""
    matrix = build_matrix(district)
    found: list[Finding] = list(check_coverage(district, matrix))
    for rule in RULES:
        found.extend(rule(district))
    found.sort(key=lambda f: (-f.severity.rank, f.code))
    located = [locate(f, locations, prefix) for f in found]
    if isinstance(subject, Scenario):
        # The scenario's own fields: paths from its top (``incidents[0]…``).
        located.extend(locate(f, locations) for f in check_timeline_signals(subject))
    for name in unincluded or ():
        stray = finding("CMD090", say("CMD090"), "")
        located.append(attrs.evolve(stray, file=name, line=1, column=1))
    located.sort(key=lambda f: (-f.severity.rank, f.code))
    if accept and district.accept:
        scenario_file = scenario = None
        if isinstance(subject, Scenario):
            where = position(locations, "incidents")
            scenario_file = (where[0] if where is not None else None) or ""
            scenario = subject.id
        located = apply_acceptances(
            located,
            district,
            locations,
            prefix,
            strays_sought=unincluded is not None,
            scenario_file=scenario_file,
            scenario=scenario,
        )
        located.sort(key=lambda f: (f.accepted is not None, -f.severity.rank, f.code))
    return CheckReport(district=district.id, findings=tuple(located), matrix=matrix, source=source)
