"""Reading the files a report is made from: JSON that may be damaged, and the
scenario's checker findings and required levels, for every kind of source."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cmdsim.errors import LoadError, Problem

SWEEP_FILES = ("sweep.json", "sensitivity.json")


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise LoadError(
            [
                Problem(
                    f"not valid JSON: {exc.msg}", file=str(path), line=exc.lineno, column=exc.colno
                )
            ]
        ) from None


def checker_findings(scenario: Any) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """The coverage matrix and the findings of ``cmdsim.check``, when it exists."""
    if scenario is None:
        return None, []
    try:
        from cmdsim.report.checks import check_scenario
    except ImportError:  # pragma: no cover - the adapter ships with the report
        return None, []
    return check_scenario(scenario)


def required_levels(scenario: Any) -> dict[str, str | None]:
    if scenario is None:
        return {}
    from cmdsim.model import required_level

    out: dict[str, str | None] = {}
    for incident in scenario.incidents:
        levels = [
            required_level(plan, incident) for plan in scenario.district.plans_for(incident.hazard)
        ]
        found = [lv for lv in levels if lv is not None]
        out[incident.id] = max(found).value if found else None
    return out


def str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
