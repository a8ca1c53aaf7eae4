"""A drill a planning office's test loads itself, broken by a plan change.

The CI log shows the test's line and the loader's located problem, not a
page of cmdsim's loader source ending in it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

OFFICE = Path(__file__).resolve().parents[2] / "examples" / "planning-office"

TEST = """
from pathlib import Path

from cmdsim.io import load_scenario


def test_drill_loads():
    drill = load_scenario(Path("drills") / "gas-leak.yaml")
    assert drill.id == "gas_leak"
"""


def _office_with_a_typo(tmp_path: Path) -> Path:
    root = tmp_path / "office"
    shutil.copytree(OFFICE / "plans", root / "plans")
    shutil.copytree(OFFICE / "drills", root / "drills")
    drill = root / "drills" / "gas-leak.yaml"
    text = drill.read_text(encoding="utf-8")
    assert "    town: riverside_town\n" in text
    drill.write_text(
        text.replace("    town: riverside_town\n", "    town: riverside_twn\n", 1), encoding="utf-8"
    )
    (root / "tests").mkdir()
    (root / "tests" / "test_drill.py").write_text(TEST, encoding="utf-8")
    (root / "pytest.ini").write_text(
        "[pytest]\ntestpaths = tests\ncmdsim_plans = plans\n", encoding="utf-8"
    )
    return root


def _pytest(root: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    return done.stdout


def test_a_drill_that_does_not_load_fails_with_its_located_problem(tmp_path: Path) -> None:
    root = _office_with_a_typo(tmp_path)
    out = _pytest(root)
    failure = out[out.index("test_drill_loads ___") :]
    assert f"{root / 'tests' / 'test_drill.py'}:8: in test_drill_loads\n" in failure
    assert 'drill = load_scenario(Path("drills") / "gas-leak.yaml")' in failure
    assert (
        "drills/gas-leak.yaml:11:5: incidents[0].town: unknown town 'riverside_twn' "
        "(did you mean 'riverside_town'?)"
    ) in failure
    # Nothing of cmdsim's own source.
    assert "loading.py" not in failure
    assert "raise LoadError" not in failure


def test_tb_long_keeps_the_traceback(tmp_path: Path) -> None:
    out = _pytest(_office_with_a_typo(tmp_path), "--tb=long")
    assert "raise LoadError" in out
