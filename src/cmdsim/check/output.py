"""What ``cmdsim check`` prints for a machine: JSON, GitHub Actions workflow
commands and SARIF 2.1.0.

All three are made from one list, :func:`entries`: every finding of every
report, and every problem that kept an input from being checked (a file
that cannot be read, an option that cannot be used), so a format never
shows what another leaves out.  A CI step that reads the output always gets
a whole document, whatever went wrong before checking.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

import attrs

from cmdsim.check.findings import KINDS, Accepted, Severity
from cmdsim.check.run import CheckReport
from cmdsim.check.words import kind_words
from cmdsim.check.words_zh import UI as UI_ZH
from cmdsim.errors import Problem

FAIL_ON = ("error", "warning", "never")
"""``--fail-on`` choices: the lowest severity that makes the check fail."""

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNCHECKED = 2

INPUT_RULE = "input"
"""The rule id of a problem that kept an input from being checked: not a
finding about the plans (those are the ``CMD`` codes), but a path that
cannot be read or an option that cannot be used; the command exits 2."""

INPUT_TITLE = "input not checked"
INPUT_WHY = (
    "the file cannot be read or is not a valid district or scenario (or an option cannot be "
    "used), so nothing was checked: fix it and check again"
)
INPUT_FIX = "correct the file at the line the message names (or the option), then check again."

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
"""The base of relative artifact URIs: the working directory, which in a CI
job is the repository's root (GitHub code scanning resolves it there)."""

_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


@attrs.frozen
class Skipped:
    """A file of a directory of scenarios that is not a scenario, and what it is."""

    file: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "reason": self.reason}


@attrs.frozen
class Entry:
    """One thing the output says: a report's finding (``rule`` its ``CMD``
    code) or a problem that kept an input from being checked (``rule``
    :data:`INPUT_RULE`, level ``error``)."""

    rule: str
    level: str
    title: str
    message: str
    why: str
    path: str = ""
    file: str | None = None
    line: int | None = None
    column: int | None = None
    source: str | None = None
    accepted: Accepted | None = None
    """The district's acceptance of the finding: shown, but not failing the check."""

    @property
    def text(self) -> str:
        """The message with its field path in front, as the terminal shows it."""
        return f"{self.path}: {self.message}" if self.path else self.message


def ui(key: str, lang: str, english: str) -> str:
    """One of the output's own words in ``lang`` (``english`` is its English)."""
    return UI_ZH[key] if lang == "zh" else english


def entries(
    reports: Sequence[CheckReport], problems: Sequence[Problem] = (), lang: str = "en"
) -> list[Entry]:
    """Every problem, then every report's findings in the report's order:
    the one list each format is made from; titles, messages and whys in
    ``lang`` (a problem's message is the loader's, in English)."""
    out = [
        Entry(
            INPUT_RULE,
            "error",
            ui("input.title", lang, INPUT_TITLE),
            p.message,
            ui("input.why", lang, INPUT_WHY),
            p.path,
            p.file,
            p.line,
            p.column,
        )
        for p in problems
    ]
    for report in reports:
        out.extend(
            Entry(
                f.code,
                f.severity.value,
                kind_words(f.kind, lang).title,
                f.text(lang),
                kind_words(f.kind, lang).why,
                f.path,
                f.file,
                f.line,
                f.column,
                report.source,
                f.accepted,
            )
            for f in report.findings
        )
    return out


def fails(reports: Sequence[CheckReport], fail_on: str = "error") -> bool:
    """Whether a finding at or above ``fail_on`` (one of :data:`FAIL_ON`) is
    there that the district does not accept."""
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    if fail_on == "never":
        return False
    floor = Severity(fail_on).rank
    return any(f.severity.rank >= floor and f.accepted is None for r in reports for f in r.findings)


def exit_code(
    reports: Sequence[CheckReport], problems: Sequence[Problem] = (), fail_on: str = "error"
) -> int:
    """2 when an input was not checked, else 1 when :func:`fails`, else 0."""
    if problems:
        return EXIT_UNCHECKED
    return EXIT_FINDINGS if fails(reports, fail_on) else EXIT_OK


def problem_dict(problem: Problem) -> dict[str, Any]:
    """A problem as JSON: where it is and what is wrong, with the keys of a finding's."""
    return {
        "message": problem.message,
        "path": problem.path,
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
    }


def as_json(
    reports: Sequence[CheckReport],
    problems: Sequence[Problem] = (),
    skipped: Sequence[Skipped] = (),
    *,
    code: int = EXIT_OK,
    lang: str = "en",
) -> dict[str, Any]:
    """The ``--json`` document: ``reports`` (empty when an input was not
    checked), ``problems``, ``skipped`` and the command's ``exit_code``;
    findings' titles, messages and whys in ``lang``, every key in English."""
    return {
        "reports": [r.to_dict(lang) for r in reports],
        "problems": [problem_dict(p) for p in problems],
        "skipped": [s.to_dict() for s in skipped],
        "exit_code": code,
    }


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": sorted(properties),
        "additionalProperties": False,
        "properties": properties,
    }


_LOCATED: dict[str, Any] = {
    "path": {"type": "string", "description": "the field path, or '' for the whole file"},
    "file": {"type": ["string", "null"]},
    "line": {"type": ["integer", "null"], "minimum": 1},
    "column": {"type": ["integer", "null"], "minimum": 1},
    "message": {"type": "string"},
}
_STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}

_ENTRY = _object(
    {
        "plan": {"type": "string"},
        "lead": {"type": ["string", "null"]},
        "general": {"type": "boolean"},
        "response": {"type": "boolean"},
        "written": {"type": "boolean"},
        "units": _STRINGS,
        "tasks": _STRINGS,
    }
)
"""A plan's part in a matrix cell (:class:`cmdsim.check.matrix.Entry`)."""

JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "cmdsim check --json",
    "description": "What `cmdsim check --json` prints: always this document, also when an "
    "input could not be checked (exit_code 2, reports empty, problems listed).",
    **_object(
        {
            "exit_code": {"enum": [EXIT_OK, EXIT_FINDINGS, EXIT_UNCHECKED]},
            "problems": {"type": "array", "items": _object(_LOCATED)},
            "skipped": {
                "type": "array",
                "items": _object({"file": {"type": "string"}, "reason": {"type": "string"}}),
            },
            "reports": {
                "type": "array",
                "items": _object(
                    {
                        "source": {"type": ["string", "null"]},
                        "district": {"type": "string"},
                        "ok": {"type": "boolean"},
                        "counts": _object(
                            {
                                s: {"type": "integer", "minimum": 0}
                                for s in (*(v.value for v in Severity), "accepted")
                            }
                        ),
                        "findings": {
                            "type": "array",
                            "items": _object(
                                {
                                    **_LOCATED,
                                    "code": {"enum": sorted(KINDS)},
                                    "severity": {"enum": [s.value for s in Severity]},
                                    "title": {"type": "string"},
                                    "why": {"type": "string"},
                                    "accepted": {
                                        "anyOf": [
                                            {"type": "null"},
                                            _object(
                                                {
                                                    **{
                                                        k: v
                                                        for k, v in _LOCATED.items()
                                                        if k != "message"
                                                    },
                                                    "reason": {"type": "string", "minLength": 1},
                                                }
                                            ),
                                        ]
                                    },
                                }
                            ),
                        },
                        "matrix": {
                            "type": "array",
                            "items": _object(
                                {
                                    "tier": {"type": "string"},
                                    "hazard": {"type": "string"},
                                    "level": {"enum": ["I", "II", "III", "IV"]},
                                    "leads": _STRINGS,
                                    "governs": {"anyOf": [{"type": "null"}, _ENTRY]},
                                    "handed_over": {"anyOf": [{"type": "null"}, _ENTRY]},
                                    "handed_over_on_report": {"anyOf": [{"type": "null"}, _ENTRY]},
                                    "handed_over_by_link": {"anyOf": [{"type": "null"}, _ENTRY]},
                                    "plans": {"type": "array", "items": _ENTRY},
                                }
                            ),
                        },
                    }
                ),
            },
        }
    ),
}
"""The JSON Schema (2020-12) of :func:`as_json`'s document: every key
required, no other allowed, so a CI step can validate what it parses."""


def shown_path(file: str, cwd: str | os.PathLike[str] | None = None) -> PurePath:
    """``file`` relative to the working directory when it lies under it (as
    a CI job names a repository's files), else absolute."""
    base = Path(os.path.abspath(cwd if cwd is not None else os.getcwd()))
    absolute = Path(os.path.abspath(file))
    try:
        return absolute.relative_to(base)
    except ValueError:
        return absolute


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(
    items: Sequence[Entry], *, cwd: str | os.PathLike[str] | None = None, lang: str = "en"
) -> list[str]:
    """GitHub Actions workflow commands, one line per entry:
    ``::error file=F,line=L,col=C,title=CMD014 hole between threshold bands::MESSAGE``
    (``warning`` for warnings, ``notice`` for infos; ``file``, ``line`` and
    ``col`` only where known).  The message is the field path and what was
    found, then on a second line why it matters.

    An annotation is given once: the scenarios of one district report the
    district's findings each, at the same lines, and GitHub shows only the
    first ten errors and ten warnings of a step.

    A finding the district accepts is no annotation (they would take the
    places of new findings in those ten); one ``::notice`` at the end counts
    them by code, and the SARIF log and ``--json`` list each with its reason."""
    lines: list[str] = []
    accepted: dict[str, set[tuple[object, ...]]] = {}
    for item in items:
        if item.accepted is not None:
            key = (item.file, item.line, item.column, item.text)
            accepted.setdefault(item.rule, set()).add(key)
            continue
        props = []
        if item.file is not None:
            props.append(f"file={_escape_property(shown_path(item.file, cwd).as_posix())}")
            if item.line is not None:
                props.append(f"line={item.line}")
                if item.column is not None:
                    props.append(f"col={item.column}")
        title = item.title if item.rule == INPUT_RULE else f"{item.rule} {item.title}"
        props.append(f"title={_escape_property(title)}")
        body = _escape_data(f"{item.text}\n{item.why}")
        line = f"::{_GITHUB_LEVEL[item.level]} {','.join(props)}::{body}"
        if line not in lines:
            lines.append(line)
    if accepted:
        total = sum(len(found) for found in accepted.values())
        title = f"cmdsim check: {total} accepted finding{'s' * (total != 1)}"
        codes = ", ".join(f"{rule} ×{len(found)}" for rule, found in sorted(accepted.items()))
        body = (
            f"{codes}: accepted in the district's accept list, with reasons, so not annotated "
            "and not failing the check (--format sarif and --json list each with its reason)"
        )
        if lang == "zh":
            title = UI_ZH["github.accepted"].format(total=total)
            body = codes + UI_ZH["github.accepted_body"]
        lines.append(f"::notice title={_escape_property(title)}::{_escape_data(body)}")
    return lines


def _rule(
    rule: str, title: str, why: str, fix: str, level: str, lang: str = "en", name: str = ""
) -> dict[str, Any]:
    where = "docs/check.md" + ("" if rule == INPUT_RULE else f", {rule}")
    guide = f"The guide (Checking plans, {where}) shows an example."
    stop, fixed = ".", "Fix"
    if lang == "zh":
        guide, stop, fixed = UI_ZH["sarif.guide"].format(where=where), "。", UI_ZH["sarif.fix"]
    # The rule's name is an identifier: the English title's, in every language.
    name = name or title
    return {
        "id": rule,
        "name": "".join(word.capitalize() for word in name.replace("'", "").split()),
        "shortDescription": {"text": title},
        "fullDescription": {"text": why},
        "help": {
            "text": f"{why}{stop} {fixed}: {fix.replace('`', '')} {guide}",
            "markdown": f"{why}{stop}\n\n**{fixed}**: {fix}\n\n{guide}",
        },
        "defaultConfiguration": {"level": _SARIF_LEVEL[level]},
    }


RULES: tuple[str, ...] = (*KINDS, INPUT_RULE)
"""The SARIF driver's rules, in order: every finding code, then the input rule."""


def _uri(file: str, cwd: str | os.PathLike[str] | None) -> dict[str, str]:
    shown = shown_path(file, cwd)
    if shown.is_absolute():
        return {"uri": Path(shown).as_uri()}
    # A name the file system gave in bytes UTF-8 cannot decode (Latin-1 on
    # a UTF-8 machine) holds surrogates: its URI has those very bytes.
    return {"uri": quote(shown.as_posix(), errors="surrogateescape"), "uriBaseId": SRCROOT}


def _physical(
    file: str, line: int | None, column: int | None, cwd: str | os.PathLike[str] | None
) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _uri(file, cwd)}
    if line is not None:
        region = {"startLine": line}
        if column is not None:
            region["startColumn"] = column
        physical["region"] = region
    return physical


def _suppression(item: Entry, cwd: str | os.PathLike[str] | None) -> dict[str, Any]:
    """The district's acceptance of a finding as a SARIF suppression: in the
    checked files themselves (``inSource``), accepted, with its reason as the
    justification and its own place as the location."""
    mark = item.accepted
    assert mark is not None
    out: dict[str, Any] = {"kind": "inSource", "status": "accepted", "justification": mark.reason}
    location: dict[str, Any] = {"logicalLocations": [{"fullyQualifiedName": mark.path}]}
    if mark.file is not None:
        location["physicalLocation"] = _physical(mark.file, mark.line, mark.column, cwd)
    out["location"] = location
    return out


def as_sarif(
    items: Sequence[Entry],
    *,
    code: int = EXIT_OK,
    version: str = "0+unknown",
    cwd: str | os.PathLike[str] | None = None,
    lang: str = "en",
) -> dict[str, Any]:
    """A SARIF 2.1.0 log of one run: the driver's ``rules`` are every finding
    code with its title, why and fix (and :data:`INPUT_RULE`); each entry is a
    result with its rule, level (``note`` for infos), message and, where
    known, its file (relative to the working directory, under
    :data:`SRCROOT`) and line and column; the field path is its logical
    location.  A finding's ``suppressions`` are empty, or for a finding the
    district accepts one ``inSource`` suppression, ``accepted``, with the
    reason as its ``justification``.  ``invocations`` say whether everything could be checked and
    the exit code.  In ``lang`` ``zh`` the texts are Chinese and the run's
    ``language`` says so (``zh-CN``; SARIF's default is ``en-US``)."""
    rules = []
    for rule in RULES:
        if rule == INPUT_RULE:
            title = ui("input.title", lang, INPUT_TITLE)
            why, fix = ui("input.why", lang, INPUT_WHY), ui("input.fix", lang, INPUT_FIX)
            rules.append(_rule(rule, title, why, fix, "error", lang, INPUT_TITLE))
        else:
            kind = KINDS[rule]
            said = kind_words(kind, lang)
            level = kind.severity.value
            rules.append(_rule(rule, said.title, said.why, said.fix, level, lang, kind.title))
    index = {rule: i for i, rule in enumerate(RULES)}
    results = []
    for item in items:
        result: dict[str, Any] = {
            "ruleId": item.rule,
            "ruleIndex": index[item.rule],
            "level": _SARIF_LEVEL[item.level],
            "message": {"text": item.text},
        }
        location: dict[str, Any] = {}
        if item.file is not None:
            location["physicalLocation"] = _physical(item.file, item.line, item.column, cwd)
        if item.path:
            location["logicalLocations"] = [{"fullyQualifiedName": item.path}]
        if location:
            result["locations"] = [location]
        if item.source is not None:
            result["properties"] = {"source": item.source}
        if item.rule != INPUT_RULE:
            # An empty list says "not suppressed": SARIF reads a missing one as "not known".
            result["suppressions"] = [] if item.accepted is None else [_suppression(item, cwd)]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cmdsim check",
                        "version": version,
                        "rules": rules,
                    }
                },
                **({"language": "zh-CN"} if lang == "zh" else {}),
                "columnKind": "unicodeCodePoints",
                "invocations": [{"executionSuccessful": code != EXIT_UNCHECKED, "exitCode": code}],
                "results": results,
            }
        ],
    }
