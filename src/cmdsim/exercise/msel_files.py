"""Reading the files an MSEL comes from, before their rows are read as
injects: a spreadsheet's rows (CSV, XLSX) with their line numbers, and YAML
with the line of every mapping.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import attrs
import yaml

from cmdsim.errors import LoadError, Problem
from cmdsim.io.reading import DataLoader, ReadFailed, decode, load_data, read_as_gbk


def read_csv(path: Path) -> list[tuple[int, list[str]]]:
    """Rows of a CSV file with their line numbers: UTF-8 (a BOM from Excel is
    dropped), or UTF-16/32 as a spreadsheet's "Unicode" export writes it."""
    rows: list[tuple[int, list[str]]] = []
    raw = path.read_bytes()
    try:
        text = decode(raw, str(path))
    except ReadFailed as failed:
        where = failed.problem
        if where.line is None:  # UTF-16/32 that does not decode
            raise LoadError([where]) from None
        # Chinese Excel saves "CSV (comma delimited)" in GBK: say so, but do
        # not read it so (the same bytes read as other encodings too).
        shown = read_as_gbk(raw, where.line)
        looks = (
            ""
            if shown is None
            else "it reads as GBK/GB18030, as Chinese Excel saves a CSV,"
            f" and so read this line says {shown!r}"
        )
        advice = "save the spreadsheet as CSV UTF-8, or use the .xlsx"
        message = f"not UTF-8 text ({looks}): {advice}" if looks else f"not UTF-8 text ({advice})"
        raise LoadError([attrs.evolve(where, message=message)]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    for cells in reader:
        rows.append((line, cells))
        line = reader.line_num + 1
    return rows


def read_xlsx(path: Path, sheet: str | None = None) -> list[tuple[int, list[Any]]]:
    """Rows of one sheet (the first, unless named) with their row numbers."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise LoadError([Problem(f"cannot read workbook: {exc}", file=str(path))]) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise LoadError(
                [
                    Problem(
                        f"no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})",
                        file=str(path),
                    )
                ]
            )
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        return [
            (index, list(cells))
            for index, cells in enumerate(ws.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


class _LineLoader(DataLoader):
    """A safe loader that records the line of every mapping it builds."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """The YAML (or JSON) document of ``path``, each mapping holding its line
    as ``__line__`` (see :func:`strip_lines`)."""
    try:
        return load_data(path, str(path), _LineLoader)
    except ReadFailed as exc:
        raise LoadError([exc.problem]) from None


def strip_lines(value: Any) -> Any:
    """``value`` without the ``__line__`` keys :func:`read_yaml` adds."""
    if isinstance(value, dict):
        return {k: strip_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [strip_lines(v) for v in value]
    return value
