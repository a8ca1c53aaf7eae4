"""The exercise's facts and the improvement plan's edits: from the exercise
log (records the facilitator's page writes) and from a YAML file
(``cmdsim report LOG --facts facts.yaml``).

Two log record types, appended to an exercise log like any other record
(later records win, field by field)::

    {"type": "exercise_facts", "facts": {"date": "2025-01-30", "place": "…",
     "facilitator": "…", "participants": [{"name": "…", "unit": "…", "role": "duty-room"}],
     "notes": "…", "observations": ["…"], "signoff": [{"title": "…", "name": "…", "date": "…"}],
     "ratings": {"g1_smell": {"status": "partly", "note": "…"}}}}
    {"type": "improvement", "id": "activation:gas_hq:explosion", "issue": "…",
     "action": "…", "capability": "…", "unit": "…", "due": "2025-03-01"}

An ``improvement`` whose ``id`` is an item the report found edits it; a new
``id`` adds an item; ``"deleted": true`` drops one.  :func:`facts_record`
and :func:`improvement_record` build them, checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from cmdsim.errors import LoadError, Problem, no_file
from cmdsim.io.reading import ReadFailed, load_data, read_text

FACT_TEXT = ("date", "place", "facilitator", "notes")
FACT_KEYS = (*FACT_TEXT, "participants", "observations", "signoff", "ratings", "improvements")
PARTICIPANT_KEYS = ("name", "unit", "role")
SIGNOFF_KEYS = ("title", "name", "date")
RATING_KEYS = ("status", "note")
RATINGS = ("met", "partly", "missed")
IMPROVEMENT_KEYS = ("id", "issue", "action", "capability", "unit", "due", "deleted")


class _Checker:
    """Checks plain data against the facts' shape, collecting located problems."""

    def __init__(self, file: str, lines: Mapping[str, int] | None = None) -> None:
        self.file = file
        self.lines = lines or {}
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        line = self.lines.get(path)
        while line is None and "." in path:
            path = path.rsplit(".", 1)[0]
            line = self.lines.get(path)
        self.problems.append(Problem(message, path=path, file=self.file, line=line))

    def text(self, value: Any, path: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
        self.problem(path, "expected text")
        return None

    def mapping(self, value: Any, path: str, keys: Sequence[str]) -> dict[str, Any] | None:
        if not isinstance(value, Mapping):
            self.problem(path, "expected a mapping")
            return None
        for key in value:
            if key not in keys:
                self.problem(
                    f"{path}.{key}" if path else str(key), f"unknown key (use {', '.join(keys)})"
                )
        return dict(value)

    def rows(self, value: Any, path: str, keys: Sequence[str]) -> list[dict[str, Any]]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, "expected a list")
            return []
        out = []
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            row = self.mapping(item, where, keys)
            if row is None:
                continue
            clean: dict[str, Any] = {}
            for key in keys:
                if key == "deleted":
                    if row.get(key) not in (None, True, False):
                        self.problem(f"{where}.deleted", "expected true or false")
                    clean[key] = bool(row.get(key))
                else:
                    clean[key] = self.text(row.get(key), f"{where}.{key}")
            out.append(clean)
        return out

    def facts(self, data: Any) -> dict[str, Any]:
        root = self.mapping(data if data is not None else {}, "", FACT_KEYS)
        if root is None:
            return {}
        out: dict[str, Any] = {}
        for key in FACT_TEXT:
            if key in root:
                out[key] = self.text(root[key], key)
        if "participants" in root:
            out["participants"] = self.rows(root["participants"], "participants", PARTICIPANT_KEYS)
        if "signoff" in root:
            out["signoff"] = self.rows(root["signoff"], "signoff", SIGNOFF_KEYS)
        if "observations" in root:
            value = root["observations"]
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list):
                self.problem("observations", "expected a list of text")
            else:
                texts = [self.text(v, f"observations[{i}]") for i, v in enumerate(value)]
                out["observations"] = [t for t in texts if t]
        if "ratings" in root:
            ratings = root["ratings"]
            out["ratings"] = {}
            if not isinstance(ratings, Mapping):
                self.problem("ratings", "expected a mapping of inject ids")
                ratings = {}
            for inject, rating in ratings.items():
                where = f"ratings.{inject}"
                row = self.mapping(rating, where, RATING_KEYS)
                if row is None:
                    continue
                status = self.text(row.get("status"), f"{where}.status")
                if status not in RATINGS:
                    self.problem(f"{where}.status", f"expected one of {', '.join(RATINGS)}")
                    continue
                out["ratings"][str(inject)] = {
                    "status": status,
                    "note": self.text(row.get("note"), f"{where}.note"),
                }
        if "improvements" in root:
            items = self.rows(root["improvements"], "improvements", IMPROVEMENT_KEYS)
            for index, item in enumerate(items):
                if not item.get("id"):
                    self.problem(f"improvements[{index}].id", "missing")
            out["improvements"] = items
        return out


def _lines(
    node: yaml.Node | None, path: str = "", out: dict[str, int] | None = None
) -> dict[str, int]:
    """The line of every key and list item of a YAML document, by path."""
    out = {} if out is None else out
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            where = f"{path}.{key.value}" if path else str(key.value)
            out[where] = key.start_mark.line + 1
            _lines(value, where, out)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            where = f"{path}[{index}]"
            out[where] = item.start_mark.line + 1
            _lines(item, where, out)
    return out


def load_facts(path: str | Path) -> dict[str, Any]:
    """The facts in a YAML file, checked; problems name file, line and field."""
    path = Path(path)
    if not path.is_file():
        raise LoadError([no_file(path, "facts file")])
    try:
        data = load_data(path, str(path))
        # Read cleanly once, so composed again only for the lines of the keys.
        node = yaml.compose(read_text(path, str(path)))
    except ReadFailed as exc:
        raise LoadError([exc.problem]) from None
    checker = _Checker(str(path), _lines(node))
    facts = checker.facts(data)
    if checker.problems:
        raise LoadError(checker.problems)
    return facts


def check_facts_apply(path: str | Path, facts: Mapping[str, Any], kind: str) -> None:
    """Facts given for a result whose report shows none of them are an
    error, each at its key: an exercise's facts (date, place, participants,
    ratings …) show only in an exercise log's report, its improvement plan's
    edits in a run's, a batch's or a log's, and a what-if comparison's
    report has neither.  Given anyway, they were dropped without a word."""
    applies = set(FACT_KEYS) if kind == "exercise" else set()
    if kind in ("run", "batch"):
        applies = {"improvements"}
    lines = _lines(yaml.compose(read_text(Path(path), str(path))))
    what = {"sweep": "a what-if comparison"}.get(kind, f"a {kind}")
    where = (
        "an exercise log's report"
        if kind == "sweep"
        else "an exercise log's report; here only improvements apply"
    )
    problems = [
        Problem(
            f"{what}'s report shows no {key} (exercise facts show in {where})",
            key,
            str(path),
            lines.get(key),
        )
        for key in facts
        if key not in applies
    ]
    if problems:
        raise LoadError(problems)


def from_log(records: Sequence[Mapping[str, Any]], file: str) -> dict[str, Any]:
    """The facts and improvement edits an exercise log's records hold."""
    facts: dict[str, Any] = {}
    improvements: list[dict[str, Any]] = []
    live: list[str] = []  # the facilitator's items not removed, in order
    made = 0
    problems: list[Problem] = []
    for number, record in enumerate(records, start=1):
        kind = record.get("type")
        if kind == "exercise_facts":
            checker = _Checker(file)
            # ``cmdsim serve`` writes the fields at the top of the record
            # (notes as a list); a record may also nest them under ``facts``.
            data = record.get("facts")
            if data is None:
                data = {k: v for k, v in record.items() if k in FACT_KEYS}
                if isinstance(data.get("notes"), list):
                    data["notes"] = "\n".join(str(n) for n in data["notes"])
            found = checker.facts(data)
            problems += [_at_line(p, number) for p in checker.problems]
            facts = merge(facts, found)
        elif kind in ("improvement", "improvement_edit"):
            # An item with an ``id`` edits the report's item of that id; one
            # without is the facilitator's own, numbered in order
            # (``improvement_edit`` with ``index`` changes or removes one).
            fields = {
                k: v
                for k, v in record.items()
                if k not in ("type", "time", "by", "index", "removed")
            }
            if "clause" in fields:
                fields["capability"] = fields.pop("clause")
            checker = _Checker(file)
            rows = checker.rows([fields], "improvement", IMPROVEMENT_KEYS)
            problems += [_at_line(p, number) for p in checker.problems]
            if not rows:
                continue
            row = rows[0]
            if kind == "improvement_edit":
                # ``index`` counts the facilitator's items as they were then,
                # after earlier removals (as cmdsim serve numbers them).
                index = record.get("index")
                if isinstance(index, int) and 0 <= index < len(live):
                    row["id"] = live[index]
                    row["deleted"] = bool(record.get("removed"))
                    if row["deleted"]:
                        del live[index]
                    improvements.append(row)
                continue
            if not row.get("id"):
                made += 1
                row["id"] = f"facilitator:{made}"
                live.append(row["id"])
            improvements.append(row)
    if problems:
        raise LoadError(problems)
    if improvements:
        facts["improvements"] = [*facts.get("improvements", []), *improvements]
    return facts


def _at_line(problem: Problem, line: int) -> Problem:
    return Problem(problem.message, path=problem.path, file=problem.file, line=line)


def merge(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """``new`` over ``old``: given fields replace, ratings merge by inject,
    improvement edits are appended (applied in order)."""
    out = dict(old)
    for key, value in new.items():
        if key == "ratings":
            out["ratings"] = {**out.get("ratings", {}), **value}
        elif key == "improvements":
            out["improvements"] = [*out.get("improvements", []), *value]
        else:
            out[key] = value
    return out


def facts_record(facts: Mapping[str, Any]) -> dict[str, Any]:
    """An ``exercise_facts`` log record, checked (``LoadError`` if not valid)."""
    checker = _Checker("<facts>")
    clean = checker.facts(dict(facts))
    if checker.problems:
        raise LoadError(checker.problems)
    clean.pop("improvements", None)
    return {"type": "exercise_facts", "facts": clean}


def improvement_record(**fields: Any) -> dict[str, Any]:
    """An ``improvement`` log record (``id`` plus any of issue, action,
    capability, unit, due, deleted), checked."""
    checker = _Checker("<improvement>")
    rows = checker.rows([fields], "improvement", IMPROVEMENT_KEYS)
    if rows and not rows[0].get("id"):
        checker.problem("improvement.id", "missing")
    if checker.problems:
        raise LoadError(checker.problems)
    row = {k: v for k, v in rows[0].items() if v not in (None, False)}
    return {"type": "improvement", **row}
