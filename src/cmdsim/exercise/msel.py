"""The master scenario events list (MSEL): the injects of an exercise.

An MSEL is written in YAML or imported from an HSEEP-style spreadsheet (CSV or
XLSX).  Each row becomes a :class:`cmdsim.model.Inject`; its time may be
absolute (a datetime, or a time of day on the exercise's start date) or
relative to the exercise start (minutes, ``+HH:MM`` or ``T+HH:MM``).

Spreadsheet columns are found through a mapping from inject fields to header
names; :data:`DEFAULT_COLUMNS` knows the common HSEEP headers and any field
can be overridden.  A row missing a mandatory value is reported with the file,
the row (as the line) and the column (the header name as the field), and all
such problems are raised together as one :class:`cmdsim.errors.LoadError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from cmdsim.errors import LoadError, ModelError, Problem, no_file
from cmdsim.exercise.criteria import Criterion, criterion_from_data
from cmdsim.exercise.msel_columns import (
    FIELDS,
    FIGURE_FIELDS,
    MANDATORY,
    PLACES,
    cell_text,
    column_mapping,
    find_columns,
    is_near,
    near_miss_headers,
)
from cmdsim.exercise.msel_files import read_csv, read_xlsx, read_yaml, strip_lines
from cmdsim.exercise.times import parse_time
from cmdsim.model import Inject, Level
from cmdsim.model.scenario import FIGURE_NAMES, figure_problem

_SLUG_BAD = re.compile(r"[^a-z0-9]+")


@attrs.frozen
class MselEntry:
    """One inject with where it came from.

    ``method`` is the delivery method as written (``Phone``, ``12345``);
    ``inject.channel`` is set only once it is resolved against a district's
    channels (:func:`resolve_channels`).  ``line`` is the source row.
    """

    inject: Inject
    time: str = ""
    method: str = ""
    line: int | None = None
    file: str = attrs.field(default="", eq=False)
    """The file the row is in (an imported sheet's, not the YAML's)."""
    cells: Mapping[str, tuple[str, int | None]] = attrs.field(factory=dict, eq=False)
    """Where the hazard and town were written: field -> (the header or YAML
    path, the column), for a located error when they name nothing."""


@attrs.frozen
class Msel:
    """The injects (in time order) and the evaluation criteria of an exercise."""

    entries: tuple[MselEntry, ...] = ()
    criteria: tuple[Criterion, ...] = ()
    name: str = ""
    source: str = ""

    @property
    def injects(self) -> tuple[Inject, ...]:
        return tuple(e.inject for e in self.entries)


def slugify(text: str, prefix: str = "inject", *, spell_unicode: bool = False) -> str:
    """An id from free text: ``"E-01"`` -> ``e_01``, ``"7"`` -> ``inject_7``.

    With ``spell_unicode`` a letter or digit outside ASCII is spelt by its
    code point rather than dropped, so that a Chinese sheet's 序号 一, 二 stay
    two ids (``u4e00``, ``u4e8c``), not one ``inject`` twice.
    """
    if spell_unicode:
        text = "".join(f"_u{ord(c):04x}_" if not c.isascii() and c.isalnum() else c for c in text)
    slug = _SLUG_BAD.sub("_", text.strip().lower()).strip("_")
    if not slug:
        return prefix
    if not slug[0].isalpha():
        slug = f"{prefix}_{slug}"
    return slug


# --------------------------------------------------------------------------- rows


def msel_from_rows(
    rows: Iterable[tuple[int, Sequence[Any]]],
    *,
    file: str,
    start: dt.datetime | None = None,
    columns: Mapping[str, str | Sequence[str]] | None = None,
) -> Msel:
    """Build an MSEL from spreadsheet rows ``(line, cells)``; the header is found
    as the first of the first ten rows that names at least two mapped fields."""
    mapping = column_mapping(columns)
    pending = list(rows)
    header_at = None
    found: dict[str, tuple[int, str]] = {}
    for index, (_line, cells) in enumerate(pending[:10]):
        found = find_columns(cells, mapping)
        if len(found) >= 2:
            header_at = index
            break
    if header_at is None:
        first = pending[0][0] if pending else 1
        raise LoadError(
            [
                Problem(
                    "no MSEL header row found (looked for "
                    + ", ".join(repr(mapping[f][0]) for f in MANDATORY)
                    + ")",
                    file=file,
                    line=first,
                )
            ]
        )
    header_line = pending[header_at][0]
    problems = near_miss_headers(pending[header_at][1], found, mapping, file, header_line)
    missed = {field for problem in problems for field in [problem.path] if field}
    for field in MANDATORY:
        if field not in found and not any(is_near(h, n) for h in missed for n in mapping[field]):
            wanted = " or ".join(repr(n) for n in mapping[field])
            problems.append(
                Problem(
                    f"no column for {field!r} (looked for {wanted})", file=file, line=header_line
                )
            )
    if problems:
        raise LoadError(problems)
    entries: list[MselEntry] = []
    seen: dict[str, int] = {}
    for line, cells in pending[header_at + 1 :]:
        if all(cell_text(c) == "" for c in cells):
            continue
        values: dict[str, Any] = {}
        for field, (col, _name) in found.items():
            values[field] = cells[col] if col < len(cells) else None
        row_problems: list[Problem] = []
        for field in MANDATORY:
            col, name = found[field]
            raw = values.get(field)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                row_problems.append(
                    Problem(f"missing {field_label(field)}", name, file, line, col + 1)
                )
        if row_problems:
            problems.extend(row_problems)
            continue
        try:
            entry = _entry(values, start, line)
        except _FieldError as exc:
            col, name = found[exc.field]
            problems.append(Problem(exc.message, name, file, line, col + 1))
            continue
        written = {f: (found[f][1], found[f][0] + 1) for f in PLACES if f in found}
        stated = [f for f in FIGURE_FIELDS if f in found and cell_text(values.get(f))]
        if stated:  # a figure's cell, for a message about the row's figures
            written["figures"] = (found[stated[0]][1], found[stated[0]][0] + 1)
        entry = attrs.evolve(entry, file=file, cells=written)
        ident = entry.inject.id
        if ident in seen:
            col, name = found.get("id", (0, "id"))
            problems.append(
                Problem(
                    f"duplicate event {ident!r} (first on line {seen[ident]})",
                    name,
                    file,
                    line,
                    col + 1,
                )
            )
            continue
        seen[ident] = line
        entries.append(entry)
    if problems:
        raise LoadError(problems)
    return Msel(entries=_ordered(entries), source=file)


def field_label(field: str) -> str:
    return {
        "at": "time",
        "source": "sender (from)",
        "to": "recipient (to)",
        "message": "message",
    }.get(field, field)


class _FieldError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _entry(values: Mapping[str, Any], start: dt.datetime | None, line: int | None) -> MselEntry:
    raw_time = values["at"]
    try:
        at = parse_time(raw_time, start)
    except ValueError as exc:
        raise _FieldError("at", str(exc)) from None
    raw_id = cell_text(values.get("id"))
    ident = (
        slugify(raw_id, spell_unicode=True)
        if raw_id
        else f"inject_{line if line is not None else 0}"
    )
    level = None
    if cell_text(values.get("level")):
        try:
            level = Level.parse(cell_text(values.get("level")))
        except ValueError as exc:
            raise _FieldError("level", str(exc)) from None
    optional: dict[str, str | None] = {}
    for field in PLACES:
        text = " ".join(cell_text(values.get(field)).split())
        # A Chinese name (川沙新镇) is kept as written for resolve_places:
        # made an id here, its Chinese would be dropped (every town "town").
        optional[field] = (text if not text.isascii() else slugify(text, field)) if text else None
    figures = _figures(values)
    try:
        inject = Inject(
            id=ident,
            at=at,
            message=cell_text(values["message"]),
            source=cell_text(values["source"]),
            to=cell_text(values["to"]),
            hazard=optional["hazard"],
            town=optional["town"],
            level=level,
            expect=cell_text(values.get("expect")),
            objective=cell_text(values.get("objective")),
            figures=figures,
        )
    except ModelError as exc:
        raise _FieldError(_field_of(exc.path), exc.message) from None
    return MselEntry(
        inject=inject, time=cell_text(raw_time), method=cell_text(values.get("channel")), line=line
    )


def _figures(values: Mapping[str, Any]) -> dict[str, float]:
    """The figures a row states: a YAML inject's ``figures`` mapping, or a
    sheet's figure columns (a number, or the cell left empty)."""
    out: dict[str, float] = {}
    given = values.get("figures")
    if given is not None and given != "":
        if not isinstance(given, Mapping):
            raise _FieldError(
                "figures", f"expected a mapping like {{deaths: 4}}, got {cell_text(given)!r}"
            )
        for name, raw in given.items():
            if name != "__line__":
                out[str(name)] = _figure(str(name), raw, f"figures.{name}")
    for name in FIGURE_FIELDS:
        raw = values.get(name)
        if cell_text(raw):
            out[name] = _figure(name, raw, name)
    return out


def _figure(name: str, raw: Any, field: str) -> float:
    """One figure of a row; a sheet's cell is text (``12,000`` reads as 12000)."""
    value = raw
    if name not in FIGURE_NAMES:  # before its value: `signal: red` is no figure at all
        raise _FieldError(field, figure_problem(name, 0.0) or name)
    if isinstance(raw, str):
        try:
            value = float(raw.strip().replace(",", ""))
        except ValueError:
            raise _FieldError(field, f"expected a number, got {raw.strip()!r}") from None
    problem = figure_problem(name, value)
    if problem is not None:
        raise _FieldError(field, problem)
    return float(value)


def _field_of(path: str) -> str:
    head = path.split(".")[0].split("[")[0]
    return head if head in FIELDS else "at"


def _ordered(entries: list[MselEntry]) -> tuple[MselEntry, ...]:
    # Stable: rows at the same time keep their order in the file.
    return tuple(sorted(entries, key=lambda e: e.inject.at))


# --------------------------------------------------------------------------- files


def load_msel(
    path: str | Path,
    *,
    start: dt.datetime | None = None,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    sheet: str | None = None,
) -> Msel:
    """Load an MSEL from ``.yaml``/``.yml``, ``.csv`` or ``.xlsx``.

    ``start`` is the exercise start, needed for absolute times; ``columns``
    overrides :data:`DEFAULT_COLUMNS` (field -> header name) for spreadsheets.
    """
    path = Path(path)
    if not path.is_file():
        raise LoadError([no_file(path, "MSEL file")])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return msel_from_rows(read_csv(path), file=str(path), start=start, columns=columns)
    if suffix in (".xlsx", ".xlsm"):
        rows = read_xlsx(path, sheet)
        return msel_from_rows(rows, file=str(path), start=start, columns=columns)
    if suffix in (".yaml", ".yml", ".json"):
        return _load_yaml(path, start, columns)
    raise LoadError(
        [Problem(f"unknown MSEL format {suffix!r} (use .yaml, .csv or .xlsx)", file=str(path))]
    )


_YAML_KEYS = {
    "time": "at",
    "at": "at",
    "from": "source",
    "source": "source",
    "to": "to",
    "channel": "channel",
    "method": "channel",
    "message": "message",
    "expect": "expect",
    "expected_action": "expect",
    "objective": "objective",
    "id": "id",
    "hazard": "hazard",
    "town": "town",
    "level": "level",
    "figures": "figures",
}


def _load_yaml(
    path: Path, start: dt.datetime | None, columns: Mapping[str, str | Sequence[str]] | None
) -> Msel:
    data = read_yaml(path)
    return msel_from_data(data, file=str(path), start=start, base=path.parent, columns=columns)


def msel_from_data(
    data: Any,
    *,
    file: str = "<msel>",
    start: dt.datetime | None = None,
    base: Path | None = None,
    columns: Mapping[str, str | Sequence[str]] | None = None,
) -> Msel:
    """An MSEL from parsed YAML/JSON: ``{name, start, import, injects, criteria}``.

    ``import`` names a spreadsheet (``{file, columns, sheet}``) whose rows are
    added to the ``injects`` listed here.
    """
    if isinstance(data, list):
        data = {"injects": data}
    if not isinstance(data, dict):
        raise LoadError([Problem("an MSEL is a mapping with 'injects'", file=file, line=1)])
    line0 = data.get("__line__")
    known = {"__line__", "name", "start", "import", "injects", "criteria"}
    problems = [
        Problem(
            f"unknown key {key!r} (known: import, injects, criteria, name, start)",
            str(key),
            file,
            line0,
        )
        for key in data
        if key not in known
    ]
    if data.get("start") is not None:
        raw_start = data["start"]
        if isinstance(raw_start, str):
            with contextlib.suppress(ValueError):
                raw_start = dt.datetime.fromisoformat(raw_start)
        if not isinstance(raw_start, dt.datetime):
            # A date alone (2025-01-29) was ignored without a word.
            problems.append(
                Problem(
                    f"{raw_start!r} is not a datetime (such as 2025-01-29T18:00)",
                    "start",
                    file,
                    line0,
                )
            )
        elif start is None:
            start = raw_start
        elif raw_start != start:
            # The MSEL's times count from the exercise's start, the
            # scenario's: another start here would have no effect at all.
            problems.append(
                Problem(
                    f"{raw_start:%Y-%m-%dT%H:%M} is not the exercise's start (the scenario "
                    f"starts {start:%Y-%m-%dT%H:%M}, and the MSEL's times count from it); "
                    "leave start out or make it the scenario's",
                    "start",
                    file,
                    line0,
                )
            )
    entries: list[MselEntry] = []
    imported = data.get("import")
    if imported is not None:
        entries.extend(_import_sheet(imported, file, base, start, columns, problems))
    for index, item in enumerate(data.get("injects") or []):
        where = f"injects[{index}]"
        if not isinstance(item, dict):
            problems.append(Problem("an inject is a mapping", where, file, line0))
            continue
        line = item.get("__line__")
        values: dict[str, Any] = {}
        written: dict[str, str] = {}
        for key, value in item.items():
            if key == "__line__":
                continue
            field = _YAML_KEYS.get(str(key))
            if field is None:
                problems.append(
                    Problem(
                        f"unknown key {key!r} (known: {', '.join(sorted(_YAML_KEYS))})",
                        f"{where}.{key}",
                        file,
                        line,
                    )
                )
                continue
            if field in written:
                # Two names of one field (time and at): one would win unseen.
                problems.append(
                    Problem(
                        f"{key!r} and {written[field]!r} both give the {field_label(field)}:"
                        " write one",
                        f"{where}.{key}",
                        file,
                        line,
                    )
                )
                continue
            written[field] = str(key)
            values[field] = value
        missing = [f for f in MANDATORY if values.get(f) in (None, "")]
        for field in missing:
            problems.append(
                Problem(f"missing {field_label(field)}", f"{where}.{field}", file, line)
            )
        if missing:
            continue
        try:
            entry = _entry(values, start, line)
        except _FieldError as exc:
            problems.append(Problem(exc.message, f"{where}.{exc.field}", file, line))
            continue
        paths = {f: (f"{where}.{f}", None) for f in (*PLACES, "figures")}
        entries.append(attrs.evolve(entry, file=file, cells=paths))
    criteria: list[Criterion] = []
    for index, item in enumerate(data.get("criteria") or []):
        where = f"criteria[{index}]"
        line = item.get("__line__") if isinstance(item, dict) else line0
        try:
            criterion = criterion_from_data(strip_lines(item), start)
            criteria.append(attrs.evolve(criterion, line=line))
        except ModelError as exc:
            sub = f"{where}.{exc.path}" if exc.path else where
            problems.append(Problem(exc.message, sub, file, line))
    ids: dict[str, int] = {}
    for entry in entries:
        if entry.inject.id in ids:
            problems.append(
                Problem(f"duplicate inject id {entry.inject.id!r}", "injects", file, entry.line)
            )
        ids[entry.inject.id] = 1
    if problems:
        raise LoadError(problems)
    return Msel(
        entries=_ordered(entries),
        criteria=tuple(criteria),
        name=str(data.get("name") or ""),
        source=file,
    )


def _import_sheet(
    spec: Any,
    file: str,
    base: Path | None,
    start: dt.datetime | None,
    columns: Mapping[str, str | Sequence[str]] | None,
    problems: list[Problem],
) -> list[MselEntry]:
    if isinstance(spec, str):
        spec = {"file": spec}
    if not isinstance(spec, dict) or "file" not in spec:
        problems.append(Problem("import needs a 'file'", "import", file))
        return []
    line = spec.get("__line__")
    unknown = [k for k in spec if k not in ("file", "sheet", "columns", "__line__")]
    for key in unknown:
        # A misspelt `colums:` was dropped, and the sheet read with the default headers.
        close = difflib.get_close_matches(str(key), ("file", "sheet", "columns"), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        problems.append(
            Problem(
                f"unknown key {key!r} ({hint}known: file, sheet, columns)",
                f"import.{key}",
                file,
                line,
            )
        )
    if unknown:
        return []
    target = Path(str(spec["file"]))
    if base is not None and not target.is_absolute():
        target = base / target
    merged: dict[str, str | Sequence[str]] = dict(strip_lines(spec.get("columns") or {}))
    merged.update(columns or {})
    sheet = spec.get("sheet")
    try:
        return list(
            load_msel(
                target, start=start, columns=merged, sheet=str(sheet) if sheet else None
            ).entries
        )
    except LoadError as exc:
        # A problem of the import's own mapping (its columns) has no file of
        # its own: it stands in the YAML, at the import.
        problems.extend(
            p if p.file else attrs.evolve(p, path=f"import.{p.path}", file=file, line=line)
            for p in exc.problems
        )
        return []


def msel_to_data(msel: Msel) -> dict[str, Any]:
    """Plain data for JSON/YAML: the injects with their minutes and criteria."""
    return {
        "name": msel.name,
        "injects": [
            {
                "id": e.inject.id,
                "at": e.inject.at,
                "time": e.time,
                "from": e.inject.source,
                "to": e.inject.to,
                "method": e.method,
                "channel": e.inject.channel,
                "message": e.inject.message,
                "expect": e.inject.expect,
                "objective": e.inject.objective,
                "hazard": e.inject.hazard,
                "town": e.inject.town,
                "level": e.inject.level.value if e.inject.level else None,
                **({"figures": dict(e.inject.figures)} if e.inject.figures else {}),
            }
            for e in msel.entries
        ],
        "criteria": [c.to_data() for c in msel.criteria],
    }
