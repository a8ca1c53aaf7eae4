"""Accepted findings: the district's ``accept`` list applied to a report.

Each finding the district accepts stays in the report, marked with the
acceptance's reason and where it is written, and no longer counts toward
what fails the check.  Nothing is dropped in silence: an acceptance that
matches no finding is a finding itself (CMD091, at the acceptance's own
line, like ruff's unused ``noqa``), and :func:`acceptance_problems` gives
the refusals of one naming a code no finding has (the loader itself refuses
a plan or report that does not exist, and an empty reason).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

import attrs

from cmdsim.check.findings import KINDS, Accepted, Finding, finding
from cmdsim.check.locations import Locator, locate, position
from cmdsim.check.words import Join, Phrase, say
from cmdsim.errors import ModelError, Problem
from cmdsim.model import Acceptance, District, Scenario
from cmdsim.model.acceptance import glob_match
from cmdsim.model.validators import suggest

UNUSED = "CMD091"
"""The code of an acceptance that matches no finding."""

STRAY = "CMD090"
"""The code of a file nothing includes: found only when the check looks for such files."""

UNACCEPTABLE = frozenset({UNUSED})
"""Codes no acceptance may name: accepting an unused acceptance would hide it."""

SCENARIO_CODES = frozenset({"CMD019"})
"""Codes of findings about a scenario's own fields (its incidents' timelines),
made only when a scenario is checked: the district's acceptance of one names
the scenario (``scenario``, its id, or ``file``) and is judged only in a
check of that scenario."""

_PLAN_REPORT = re.compile(r"plans\[(\d+)\](?:\.reports\[(\d+)\])?")
_HAZARD = re.compile(r"hazards\[(\d+)\]")


def plan_and_report(district: District, path: str) -> tuple[str | None, str | None]:
    """The ids of the plan and the report a field path lies under, where it does."""
    match = _PLAN_REPORT.match(path)
    if match is None:
        return None, None
    pi = int(match[1])
    if pi >= len(district.plans):
        return None, None
    plan = district.plans[pi]
    if match[2] is None or int(match[2]) >= len(plan.reports):
        return plan.id, None
    return plan.id, plan.reports[int(match[2])].id


def hazard_of(district: District, path: str) -> str | None:
    """The id of the district's hazard a field path lies under (``hazards[3]…``), if it does."""
    match = _HAZARD.match(path)
    if match is None or int(match[1]) >= len(district.hazards):
        return None
    return district.hazards[int(match[1])].id


def _relative(file: str, base: str | None) -> str:
    """``file`` as the acceptance in ``base`` names it: relative to that file's
    directory, with ``/`` between parts on every system."""
    if base is not None:
        folder = os.path.dirname(os.path.abspath(base))
        file = os.path.relpath(os.path.abspath(file), folder)
    return file.replace(os.sep, "/")


def _matches(
    item: Acceptance, found: Finding, district: District, base: str | None, scenario: str | None
) -> bool:
    if item.code != found.code:
        return False
    if item.plan is not None or item.report is not None:
        plan, report = plan_and_report(district, found.path)
        if item.plan is not None and (plan is None or not glob_match(item.plan, plan)):
            return False
        if item.report is not None and (report is None or not glob_match(item.report, report)):
            return False
    if item.hazard is not None:
        hazard = hazard_of(district, found.path)
        if hazard is None or not glob_match(item.hazard, hazard):
            return False
    if item.path is not None and not glob_match(item.path, found.path):
        return False
    if item.scenario is not None and (scenario is None or not glob_match(item.scenario, scenario)):
        return False
    return item.file is None or (
        found.file is not None and glob_match(item.file, _relative(found.file, base))
    )


def apply_acceptances(
    findings: Sequence[Finding],
    district: District,
    locations: Locator | None = None,
    prefix: str = "",
    *,
    strays_sought: bool = True,
    scenario_file: str | None = None,
    scenario: str | None = None,
) -> list[Finding]:
    """The findings with the district's acceptances applied, then one CMD091
    per acceptance that accepts none of them.

    A finding takes the first acceptance that matches it; a later one that
    matches only findings accepted already is unused too (it says which
    acceptance took them).  ``locations`` and ``prefix`` are
    :func:`cmdsim.check.check`'s: they place each acceptance, for a
    ``file`` relative to it and for the marks' and CMD091's lines.

    An acceptance the findings cannot judge is not called unused: one naming
    a ``file`` when nothing is located (no finding has a file), one of
    CMD090 when stray files were not sought (``strays_sought``: a scenario
    file or a district file checked alone, an after-action report), one of
    a scenario's finding (:data:`SCENARIO_CODES`) in a check of no scenario
    (``scenario`` and ``scenario_file`` ``None``) or, naming a ``scenario``
    id or a ``file``, of another scenario than the one checked (a district
    serves several).
    """
    where = [position(locations, f"{prefix}accept[{i}]") for i in range(len(district.accept))]
    marks = [
        Accepted(item.reason, f"accept[{i}]", *(where[i] or (None, None, None)))
        for i, item in enumerate(district.accept)
    ]
    bases = [None if w is None else w[0] for w in where]
    used = [0] * len(district.accept)
    taken_by: list[int | None] = [None] * len(district.accept)
    out: list[Finding] = []
    for found in findings:
        chosen: int | None = None
        for i, item in enumerate(district.accept):
            if item.code in UNACCEPTABLE:
                continue
            if not _matches(item, found, district, bases[i], scenario):
                continue
            if chosen is None:
                chosen = i
                used[i] += 1
            elif taken_by[i] is None:
                taken_by[i] = chosen
        out.append(found if chosen is None else attrs.evolve(found, accepted=marks[chosen]))
    for i, item in enumerate(district.accept):
        unjudged = (
            (item.file is not None and locations is None)
            or (item.code == STRAY and not strays_sought)
            or _other_scenario(item, scenario, scenario_file, bases[i])
        )
        if used[i] or unjudged:
            continue
        message = _unused_message(item, taken_by[i], findings)
        out.append(locate(finding(UNUSED, message, f"accept[{i}]"), locations, prefix))
    return out


def _other_scenario(
    item: Acceptance, scenario: str | None, scenario_file: str | None, base: str | None
) -> bool:
    """Whether ``item`` accepts a scenario's finding the check cannot make:
    no scenario is checked, or it names another scenario (by id or file)."""
    if item.code not in SCENARIO_CODES and item.scenario is None:
        return False
    if scenario is None and scenario_file is None:
        return True
    if item.scenario is not None and not glob_match(item.scenario, scenario or ""):
        return True
    return (
        item.code in SCENARIO_CODES
        and item.file is not None
        and scenario_file is not None
        and not glob_match(item.file, _relative(scenario_file, base))
    )


def _unused_message(item: Acceptance, taken: int | None, findings: Sequence[Finding]) -> Phrase:
    code, where = item.code, _where(item)
    if item.code not in KINDS:
        return say("CMD091.unknown", code=code, where=where)
    if item.code in UNACCEPTABLE:
        return say("CMD091.unacceptable", code=code, where=where)
    if taken is not None:
        return say("CMD091.taken", code=code, where=where, taken=taken)
    elsewhere = [f for f in findings if f.code == item.code]
    if not elsewhere:
        return say("CMD091.none", code=code, where=where)
    first = elsewhere[0].path or elsewhere[0].file or ""
    more = (
        say("unused.more", first=first, n=len(elsewhere) - 1)
        if len(elsewhere) > 1
        else say("unused.one", first=first)
    )
    return say("CMD091", code=code, where=where, more=more)


def _where(item: Acceptance) -> Phrase:
    """What the acceptance is limited to (:meth:`Acceptance.where`), in words."""
    parts = [say(f"limited.{name}", value=value) for name, value in item.limits()]
    return say("limited.at", parts=Join(parts)) if parts else say("limited.anywhere")


def code_errors(district: District) -> list[ModelError]:
    """The district's acceptances of a code no finding has (with the nearest
    code) or of an :data:`UNACCEPTABLE` one, at ``accept[i].code``.

    The loader cannot tell (codes are the checker's, a layer beside it), so
    whatever checks a file — ``cmdsim check``, ``cmdsim validate``, the
    pytest plugin — refuses these as :func:`acceptance_problems`; in Python,
    :func:`cmdsim.check.check` makes each a CMD091."""
    errors: list[ModelError] = []
    for i, item in enumerate(district.accept):
        path = f"accept[{i}].code"
        if not isinstance(item.code, str) or item.code not in KINDS:
            known = sorted(set(KINDS) - UNACCEPTABLE)
            hint = suggest(str(item.code), known) or " (docs/check.md lists the codes)"
            errors.append(ModelError(f"unknown finding code {item.code!r}{hint}", path))
        elif item.code in UNACCEPTABLE:
            errors.append(
                ModelError(
                    f"{item.code} cannot be accepted: it is an acceptance that matches nothing, "
                    "so remove that acceptance instead",
                    path,
                )
            )
    return errors


def acceptance_problems(
    subject: District | Scenario, locations: Locator | None = None
) -> list[Problem]:
    """:func:`code_errors` as the problems of a file that cannot be checked,
    each at its file, line and column (a scenario's district's under
    ``district.``)."""
    if isinstance(subject, Scenario):
        district, prefix = subject.district, "district."
    else:
        district, prefix = subject, ""
    problems: list[Problem] = []
    for error in code_errors(district):
        path = f"{prefix}{error.path}"
        file, line, column = position(locations, path) or (None, None, None)
        problems.append(Problem(error.message, path, file, line, column))
    return problems


__all__ = [
    "SCENARIO_CODES",
    "STRAY",
    "UNACCEPTABLE",
    "UNUSED",
    "acceptance_problems",
    "apply_acceptances",
    "code_errors",
    "hazard_of",
    "plan_and_report",
]
