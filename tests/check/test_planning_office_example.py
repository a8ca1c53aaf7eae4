"""The planning-office example runs as its own pytest project, as a planning
office's CI would run it: through the installed ``cmdsim`` pytest plugin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "planning-office"


def test_planning_office_example_passes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
    assert "skipped" not in result.stdout


def test_planning_office_tests_fail_on_flawed_plans() -> None:
    flawed = Path(__file__).resolve().parent / "flawed"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--cmdsim-plans={flawed}",
        ],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "test_plans_have_no_error_findings FAILED" in result.stdout or (
        "FAILED tests/test_plans.py::test_plans_have_no_error_findings" in result.stdout
    )
