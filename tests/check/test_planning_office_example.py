"""The planning-office example runs as its own pytest project, as a planning
office's CI would run it: through the installed ``cmdsim`` pytest plugin."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "planning-office"

NO_DEADLINE = """\
# Added by cmdsim's own test: hypothesis without its per-example deadline, so
# a loaded CI machine cannot fail the example (the example itself is unchanged).
from hypothesis import settings

settings.register_profile("no_deadline", deadline=None)
settings.load_profile("no_deadline")
"""


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """A copy of the example to run in: pytest and hypothesis write their
    caches next to the project they run, and that must not be the clone."""
    copy = tmp_path / "planning-office"
    shutil.copytree(
        EXAMPLE, copy, ignore=shutil.ignore_patterns(".hypothesis", ".benchmarks", "__pycache__")
    )
    (copy / "conftest.py").write_text(NO_DEADLINE, encoding="utf-8")
    return copy


def test_planning_office_example_passes(office: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=office,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
    assert "skipped" not in result.stdout


def test_planning_office_tests_fail_on_flawed_plans(office: Path) -> None:
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
        cwd=office,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "test_plans_have_no_error_findings FAILED" in result.stdout or (
        "FAILED tests/test_plans.py::test_plans_have_no_error_findings" in result.stdout
    )


def test_a_town_missing_a_required_plan_is_named_at_its_line(office: Path) -> None:
    district = office / "plans" / "district.yaml"
    text = district.read_text(encoding="utf-8")
    full = "special: [flood_typhoon, gas, road_traffic]"
    assert full in text
    district.write_text(text.replace(full, "special: [flood_typhoon, road_traffic]", 1), "utf-8")
    line = text[: text.index(full)].count("\n") + 1
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_plans.py::test_every_town_has_the_required_special_plans",
        ],
        cwd=office,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        f"{district}:{line}:31: CMD060 error: towns[0].plan_set.special: town 'riverside_town' "
        "has no special plan for 'gas'"
    ) in result.stdout
