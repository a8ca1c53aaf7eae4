"""``load_source(..., scenario=PATH)``: a path to the scenario is loaded (it
crashed with an AttributeError on a string)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.report import load_source

GAS = Path(__file__).resolve().parents[2] / "scenarios" / "gas.yaml"


def test_a_scenario_given_as_a_path_is_the_scenario_given_as_a_value(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = CliRunner().invoke(main, ["run", str(GAS), "--seed", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    found = load_source(out)
    assert load_source(out, scenario=str(GAS)) == found
    assert load_source(out, scenario=GAS) == found
    assert found["kind"] == "run"
