"""Findings: what the checker says about a plan set, with a stable code.

Every kind of finding has one code (``CMD001`` …), one severity and one
sentence of why it matters.  Codes never change meaning; new kinds get new
codes.  ``docs/check.md`` shows an example and a fix for each.  What a
kind is (:class:`Kind`, :class:`Severity`) lives in :mod:`cmdsim.check.kind`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from cmdsim.check.kind import Kind as Kind
from cmdsim.check.kind import Severity as Severity
from cmdsim.check.people_kinds import PEOPLE_KINDS
from cmdsim.check.plan_kinds import PLAN_KINDS
from cmdsim.check.site_kinds import SITE_KINDS
from cmdsim.check.town_kinds import TOWN_KINDS
from cmdsim.check.words import Phrase, kind_words, render
from cmdsim.check.work_kinds import WORK_KINDS
from cmdsim.errors import location

_KINDS = (
    *PLAN_KINDS,
    *PEOPLE_KINDS,
    *WORK_KINDS,
    *TOWN_KINDS,
    Kind(
        "CMD070",
        "duty without an owner",
        Severity.ERROR,
        "a regulated duty that no unit, HQ or committee owns is done by nobody",
        fix="add the line of the list that names its owner.",
    ),
    Kind(
        "CMD071",
        "duty with two owners",
        Severity.ERROR,
        "two owners of one duty: duties cross and each can wait for the other",
        fix="keep one owner; give the other a different kind of duty.",
    ),
    Kind(
        "CMD072",
        "duty shared by a committee and an HQ",
        Severity.ERROR,
        "a committee and an HQ both own the duty: who coordinates and who responds is unclear",
        fix="the committee coordinates, the HQ responds — or say so otherwise, once.",
    ),
    Kind(
        "CMD073",
        "owner of an unregulated duty",
        Severity.WARNING,
        "the responsibility list names a duty the district does not list as regulated",
        fix="add it to `duties`, or drop the line.",
    ),
    *SITE_KINDS,
    Kind(
        "CMD090",
        "file nothing includes",
        Severity.WARNING,
        "the district directory holds a YAML file the district does not include: a plan "
        "added without its include is checked, run and followed by nobody",
        fix=(
            "include the file, or move it out of the district directory (drills and drafts belong"
            " beside it, as in `examples/planning-office/`)."
        ),
    ),
    Kind(
        "CMD091",
        "acceptance that matches no finding",
        Severity.WARNING,
        "the district accepts a finding the check no longer makes: the plan was fixed, or the "
        "acceptance names the wrong place, and left in it would silently accept a new finding "
        "that comes to match it",
        fix=(
            "remove the acceptance if the finding is gone, or correct its `plan`, `report`, "
            "`path` or `file` to where the finding stands."
        ),
    ),
)

KINDS: dict[str, Kind] = {kind.code: kind for kind in _KINDS}
"""Every kind of finding by code."""


@attrs.frozen
class Accepted:
    """Why a finding is accepted, and where the acceptance is written: its
    field path in the district (``accept[0]``) and, when known, file, line
    and column."""

    reason: str
    path: str
    file: str | None = None
    line: int | None = None
    column: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "path": self.path,
            "file": self.file,
            "line": self.line,
            "column": self.column,
        }


@attrs.frozen
class Finding:
    """One thing the checker found, located in the input when possible.

    ``path`` is the field path (``plans[2].triggers[0]``); ``file``, ``line``
    and ``column`` come from the loader's locations when given.
    """

    code: str
    severity: Severity
    message: str
    path: str = ""
    file: str | None = None
    line: int | None = None
    column: int | None = None
    accepted: Accepted | None = None
    """The district's acceptance of it, if any: shown, but not failing the check."""
    phrase: Phrase | None = None
    """The message's template and parameters (:meth:`text`); ``None``: English only."""

    @property
    def kind(self) -> Kind:
        return KINDS[self.code]

    @property
    def why(self) -> str:
        return KINDS[self.code].why

    @property
    def params(self) -> Mapping[str, Any]:
        """The message's parameters (empty for an English-only message)."""
        return self.phrase.params if self.phrase else {}

    def text(self, lang: str = "en") -> str:
        """The message in ``lang`` (``en`` is :attr:`message`)."""
        if lang == "en" or self.phrase is None:
            return self.message
        return render(self.phrase, lang)

    def __str__(self) -> str:
        where = location(self.file, self.line, self.column)
        field = f"{self.path}: " if self.path else ""
        mark = "" if self.accepted is None else f" (accepted by {self.accepted.path})"
        return f"{where}{self.code} {self.severity.value}{mark}: {field}{self.message}"

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        """As JSON: title, message and why in ``lang``, the rest as it is."""
        words = kind_words(KINDS[self.code], lang)
        return {
            "code": self.code,
            "severity": self.severity.value,
            "title": words.title,
            "message": self.text(lang),
            "why": words.why,
            "path": self.path,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "accepted": None if self.accepted is None else self.accepted.to_dict(),
        }


def finding(code: str, message: str | Phrase, path: str) -> Finding:
    """A finding of the kind ``code`` with that kind's severity, not yet
    located; a message made by :func:`cmdsim.check.words.say` in every language."""
    phrase = message if isinstance(message, Phrase) else None
    return Finding(code, KINDS[code].severity, render(message), path, phrase=phrase)
