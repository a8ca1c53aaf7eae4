"""Reading the JSON-lines files cmdsim writes: event logs and exercise logs.

One record per line, each a JSON object.  Every bad line is reported with
its number (not UTF-8, not JSON, not an object) in one :class:`LoadError`,
so a hand-edited or truncated log gets a message, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cmdsim.errors import LoadError, Problem


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """The records of a JSON-lines file, in order; blank lines are skipped.

    >>> import tempfile
    >>> log = Path(tempfile.mkdtemp()) / "log.jsonl"
    >>> _ = log.write_text('{"a": 1}\\n\\n[2]\\n', encoding="utf-8")
    >>> try:
    ...     read_jsonl(log)
    ... except LoadError as exc:
    ...     print(exc.problems[0].message)
    each line must be a JSON object
    """
    path = Path(path)
    records: list[dict[str, Any]] = []
    problems: list[Problem] = []
    where = str(path)
    data = path.read_bytes()
    lines = data.splitlines()
    # Every line cmdsim writes ends with a newline: a bad last line without
    # one is half a record (a crash mid-write, an interrupted copy).
    cut = f" (line {len(lines)} is cut short: was the file truncated?)"
    cut_line = 0 if data.endswith((b"\n", b"\r")) else len(lines)
    for number, raw in enumerate(lines, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            message = "not UTF-8 text" + (cut if number == cut_line else "")
            problems.append(Problem(message, file=where, line=number, column=exc.start + 1))
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            message = f"not valid JSON: {exc.msg}" + (cut if number == cut_line else "")
            problems.append(Problem(message, file=where, line=number, column=exc.colno))
            continue
        if not isinstance(record, dict):
            problems.append(Problem("each line must be a JSON object", file=where, line=number))
            continue
        records.append(record)
    if problems:
        raise LoadError(problems)
    return records
