"""Findings of ``cmdsim check`` a district accepts, each with its reason.

A plan set may have a finding its planners know and accept: the bundled
district's written report is late in most runs at an illustrative writing
time against a sourced limit.  An :class:`Acceptance` in the district's
``accept`` list names the finding's code, optionally where it stands (a
plan, a report, a field path, a file; ``*`` stands for any run of
characters), and why it is accepted.  The checker still reports the
finding, marked accepted with this reason, and leaves it out of what fails
the check; an acceptance that matches no finding is itself a finding
(CMD091), so none outlives what it was written for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import attrs

from cmdsim.errors import ModelError
from cmdsim.model.validators import suggest


def _reason(_inst: object, attr: attrs.Attribute[Any], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ModelError(
            "an acceptance needs a reason: say why the finding is accepted (a source, a "
            "decision, a date to look again), so that a reviewer can judge it",
            attr.name,
        )


def _where(_inst: object, attr: attrs.Attribute[Any], value: str | None) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ModelError(
            f"{attr.name} is empty: leave it out to accept the code anywhere", attr.name
        )


@attrs.frozen
class Acceptance:
    """A finding accepted on purpose: ``code`` where ``plan``, ``report``,
    ``path``, ``file``, ``hazard`` and ``scenario`` all match (those given),
    because of ``reason``.

    ``plan`` and ``report`` are ids (of the plan, of a report of the plan)
    the finding's field path lies under, ``hazard`` the id of the hazard it
    lies under (``hazards[3]``: a finding about one hazard of the district,
    such as CMD063's missing handbook chapter); ``path`` is the field path itself
    (``plans[*].reports[*].limits[0].within``); ``file`` the finding's file,
    relative to the file that holds the acceptance.  Each may use ``*`` for
    any run of characters.
    """

    code: str
    reason: str = attrs.field(validator=_reason)
    plan: str | None = attrs.field(default=None, validator=_where)
    report: str | None = attrs.field(default=None, validator=_where)
    path: str | None = attrs.field(default=None, validator=_where)
    file: str | None = attrs.field(default=None, validator=_where)
    hazard: str | None = attrs.field(default=None, validator=_where)
    scenario: str | None = attrs.field(default=None, validator=_where)
    """The id of the scenario whose own finding it accepts (CMD019, on an
    incident's timeline): a district serves several drills, and the
    acceptance is judged only in a check of that scenario."""

    def limits(self) -> list[tuple[str, str]]:
        """What the acceptance is limited to, field by field: ``[("plan", "gas_plan")]``."""
        return [
            (name, value)
            for name, value in (
                ("plan", self.plan),
                ("report", self.report),
                ("path", self.path),
                ("file", self.file),
                ("hazard", self.hazard),
                ("scenario", self.scenario),
            )
            if value is not None
        ]

    def where(self) -> str:
        """``report 'written_report', plan 'gas_plan'``: what the acceptance is limited to."""
        return ", ".join(f"{name} {value!r}" for name, value in self.limits()) or "anywhere"


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    # Only * is special: field paths are full of brackets, which fnmatch reads as sets.
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)


def glob_match(pattern: str, text: str) -> bool:
    """Whether ``text`` is ``pattern`` whole, each ``*`` standing for any run of characters.

    >>> glob_match("plans[*].reports[1].*", "plans[3].reports[1].limits[0].within")
    True
    """
    return _glob(pattern).fullmatch(text) is not None


def reference_errors(
    accept: Sequence[Acceptance], plans: Sequence[Any], hazards: Sequence[Any] | None = None
) -> list[ModelError]:
    """Acceptances whose ``plan`` or ``report`` names nothing among ``plans``
    (a district's), or whose ``hazard`` names none of ``hazards`` (not
    looked at when ``None``): ``unknown plan 'gas_pln' (did you mean
    'gas_plan'?)``, or for a pattern ``no plan matches 'x*'``.  Paths are the
    district's (``accept[0].plan``)."""
    errors: list[ModelError] = []
    named = [p for p in plans if isinstance(p.id, str)]
    hazard_ids = None if hazards is None else [h.id for h in hazards if isinstance(h.id, str)]
    for i, item in enumerate(accept):
        base = f"accept[{i}]"
        if (
            hazard_ids is not None
            and item.hazard is not None
            and not any(glob_match(item.hazard, h) for h in hazard_ids)
        ):
            errors.append(_unknown("hazard", item.hazard, hazard_ids, f"{base}.hazard"))
        chosen = named
        if item.plan is not None:
            chosen = [p for p in named if glob_match(item.plan, p.id)]
            if not chosen:
                errors.append(_unknown("plan", item.plan, [p.id for p in named], f"{base}.plan"))
                continue
        if item.report is not None:
            reports = sorted({r.id for p in chosen for r in p.reports if isinstance(r.id, str)})
            if not any(glob_match(item.report, r) for r in reports):
                where = "" if item.plan is None else f" in plan {item.plan!r}"
                errors.append(_unknown("report", item.report, reports, f"{base}.report", where))
    return errors


def _unknown(what: str, ref: str, known: Sequence[str], path: str, where: str = "") -> ModelError:
    if "*" in ref:
        return ModelError(f"no {what}{where} matches {ref!r}", path)
    hint = suggest(ref, sorted(known))
    if not hint and known:
        shown = ", ".join(sorted(known)[:8]) + (", …" if len(known) > 8 else "")
        hint = f" (there: {shown})"
    elif not known:
        hint = f" (there is no {what} to accept a finding of)"
    return ModelError(f"unknown {what} {ref!r}{where}{hint}", path)
