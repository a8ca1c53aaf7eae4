"""``cmdsim coverage`` through the engine."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.cli import main

HERE = Path(__file__).resolve().parent

DRILL = """\
id: drill
start: 2024-07-01T09:00:00
horizon: 600
district: {include: flawed/district.yaml}
incidents:
  - {id: spill, hazard: chemical, town: huamu, onset: 2024-07-01T09:10:00,
     timeline: [{at: 0, deaths: 2}]}
injects:
  - {id: call_spill, at: 15, hazard: chemical, town: huamu}
  - {id: call_flood, at: 25, hazard: flood, town: huamu}
  - {id: note, at: 30, message: a journalist calls}
"""


@pytest.fixture
def drill(tmp_path: Path) -> Path:
    shutil.copytree(HERE / "flawed", tmp_path / "flawed")
    path = tmp_path / "drill.yaml"
    path.write_text(DRILL, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["coverage", *args])
    return result.exit_code, result.stdout, result.stderr


def test_leaderless_plan_handles_nothing(drill: Path) -> None:
    code, out, _ = run(str(drill), "-n", "3", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["n"] == 3
    assert data["incidents"] == {"spill": {"hits": 0, "share": 0.0, "total": 3}}
    assert data["injects"]["call_spill"]["hits"] == 0
    assert data["injects"]["call_flood"] == {"hits": 3, "share": 1.0, "total": 3}
    assert "note" not in data["injects"]
    assert (data["handled"]["hits"], data["handled"]["total"]) == (3, 9)
    assert data["handled"]["share"] == pytest.approx(1 / 3)


def test_same_seed_same_bytes_and_tables(drill: Path) -> None:
    first = run(str(drill), "-n", "2", "--seed", "4", "--json")[1]
    assert first == run(str(drill), "-n", "2", "--seed", "4", "--json")[1]
    code, out, _ = run(str(drill), "-n", "2")
    assert code == 0
    assert "handled by a plan with a lead: 2/6 (33.3%)" in out
    assert "deadlines met" in out


def test_a_district_is_not_a_scenario() -> None:
    code, _, err = run(str(HERE / "flawed"))
    assert code == 2
    assert "not a scenario" in err


GAS = Path(__file__).resolve().parents[2] / "scenarios" / "gas.yaml"


def test_bundled_gas_drill_deadlines_by_plan_and_level() -> None:
    code, out, _ = run(str(GAS), "-n", "4", "--json")
    assert code == 0
    data = json.loads(out)
    rows = data["deadlines"]
    assert rows and all(r["met"] + r["missed"] + r["not_started"] == 4 for r in rows)
    assert {r["plan"] for r in rows} >= {"gas_plan"}
    assert all(r["level"] in {"I", "II", "III", "IV"} for r in data["by_plan"])
