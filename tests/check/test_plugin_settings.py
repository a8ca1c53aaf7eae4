"""The plugin's setting as a planning office's CI meets it.

A misspelt ``cmdsim_plans`` or one pointing at nothing must fail the run
with the ini file's name, not skip every plan test and leave CI green.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

OFFICE = Path(__file__).resolve().parents[2] / "examples" / "planning-office"

TEST = """
def test_plans_load(cmdsim_district):
    assert cmdsim_district.id == "riverside"
"""


def _project(tmp_path: Path, ini: str) -> Path:
    root = tmp_path / "office"
    shutil.copytree(OFFICE / "plans", root / "plans")
    (root / "tests").mkdir()
    (root / "tests" / "test_plans.py").write_text(TEST, encoding="utf-8")
    (root / "pytest.ini").write_text("[pytest]\ntestpaths = tests\n" + ini, encoding="utf-8")
    return root


def _pytest(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_setting_loads_the_plans(tmp_path: Path) -> None:
    done = _pytest(_project(tmp_path, "cmdsim_plans = plans\n"))
    assert done.returncode == 0, done.stdout
    assert "1 passed" in done.stdout


def test_a_misspelt_setting_fails_instead_of_skipping_every_plan_test(tmp_path: Path) -> None:
    root = _project(tmp_path, "cmdsim_plan = plans\n")
    done = _pytest(root)
    assert done.returncode == 1, done.stdout
    assert (
        f"{root / 'pytest.ini'}: unknown setting 'cmdsim_plan' (did you mean 'cmdsim_plans'?)"
    ) in done.stdout
    assert "1 error" in done.stdout and " skipped" not in done.stdout.splitlines()[-1]


def test_a_setting_pointing_at_nothing_names_the_ini_file(tmp_path: Path) -> None:
    root = _project(tmp_path, "cmdsim_plans = plan\n")
    done = _pytest(root)
    assert done.returncode == 1, done.stdout
    assert f"{root / 'pytest.ini'}: cmdsim_plans = plan: {root / 'plan'} does not exist" in (
        done.stdout
    )


def test_no_setting_still_skips(tmp_path: Path) -> None:
    # A project that has cmdsim installed but keeps no plans is not failed.
    done = _pytest(_project(tmp_path, "other_setting_of_nobody = 1\n"))
    assert done.returncode == 0, done.stdout
    assert "1 skipped" in done.stdout


def test_cmdsim_check_names_a_plan_file_nothing_includes(tmp_path: Path) -> None:
    root = _project(tmp_path, "cmdsim_plans = plans\n")
    special = root / "plans" / "special"
    (special / "fire.yaml").write_text(
        (special / "gas.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (root / "tests" / "test_stray.py").write_text(
        "def test_stray(cmdsim_check):\n"
        "    stray = [str(f) for f in cmdsim_check.findings if f.code == 'CMD090']\n"
        "    assert not stray, '\\n'.join(stray)\n",
        encoding="utf-8",
    )
    done = _pytest(root)
    assert done.returncode == 1, done.stdout
    assert f"{special / 'fire.yaml'}:1:1: CMD090 warning: nothing in the district includes" in (
        done.stdout
    )
