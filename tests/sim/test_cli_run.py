"""``cmdsim run`` on the bundled scenarios and its error exits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.io import load_scenario
from cmdsim.sim import simulate

ROOT = Path(__file__).resolve().parents[2]


def test_run_default_is_the_flagship_drill() -> None:
    done = CliRunner().invoke(main, ["run", "--seed", "1", "--json"])
    assert done.exit_code == 0, done.output
    metrics = json.loads(done.output)
    assert "typhoon_rainstorm" in metrics["incident"]
    again = CliRunner().invoke(main, ["run", "--seed", "1", "--json"])
    assert again.output == done.output


def test_run_writes_its_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = CliRunner().invoke(
        main, ["run", str(ROOT / "scenarios" / "gas.yaml"), "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    assert "incidents" in done.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["events.jsonl", "metrics.json", "run.json", "timeline.txt"]
    lines = (out / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["kind"]
    assert json.loads((out / "metrics.json").read_text(encoding="utf-8"))["coverage"]["gaps"] == 0
    about = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert (about["scenario_id"], about["seed"]) == ("gas", 0)
    # The report finds the scenario again: HQ names and the coverage matrix.
    from cmdsim.report import load_source

    report = load_source(out)
    assert (report["scenario"], report["seed"]) == ("gas", 0)
    assert report["coverage"] is not None


def test_an_unwritable_out_exits_2_without_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    done = CliRunner().invoke(
        main, ["run", str(ROOT / "scenarios" / "gas.yaml"), "--out", str(blocker / "out")]
    )
    assert done.exit_code == 2
    assert f"error: cannot use {blocker / 'out'}" in done.output
    assert "Traceback" not in done.output
    assert blocker.read_text(encoding="utf-8") == "x"


def test_run_missing_scenario_exits_2(tmp_path: Path) -> None:
    done = CliRunner().invoke(main, ["run", str(tmp_path / "nope.yaml")])
    assert done.exit_code == 2
    assert "Traceback" not in done.output


@pytest.mark.parametrize(
    "name", ["flood-typhoon", "gas", "traffic", "compound-typhoon", "typhoon-landfall"]
)
def test_bundled_scenarios_run_deterministically(name: str) -> None:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    a = simulate(scenario, 7)
    assert a.to_json() == simulate(scenario, 7).to_json()
    for m in a.metrics["incident"].values():
        assert m["aware"] is not None and m["level"] is not None


def test_a_negative_seed_exits_2() -> None:
    done = CliRunner().invoke(main, ["run", str(ROOT / "scenarios" / "gas.yaml"), "--seed", "-1"])
    assert done.exit_code == 2
    assert "Invalid value for '--seed': -1 is not in the range x>=0" in done.output
    from cmdsim.errors import ScenarioError

    with pytest.raises(ScenarioError, match="a seed is a non-negative integer, got -1"):
        simulate(load_scenario(ROOT / "scenarios" / "gas.yaml"), -1)


def test_summary_names_every_incident_and_late_deadline_in_80_columns() -> None:
    """The flagship's summary at a pipe's 80 columns: no name cut short."""
    done = CliRunner().invoke(main, ["run", "--seed", "0"], env={"COLUMNS": "80"})
    assert done.exit_code == 0, done.output
    summary = done.output[done.output.index("incidents (minutes after onset") :]
    metrics = simulate(load_scenario(ROOT / "scenarios" / "compound-typhoon.yaml"), 0).metrics
    assert all(len(line) <= 80 for line in summary.splitlines())
    assert "…" not in summary
    for ident, m in metrics["incident"].items():
        late = [k for k, d in sorted(m["deadline"].items()) if d["met"] is False]
        row = next(line for line in summary.splitlines() if line.split()[:1] == [ident])
        assert row.split()[-1] == (str(len(late)) if late else "-")
        if late:
            # A long list (the town's deadlines too) wraps at 80 columns.
            assert f"{ident}: {', '.join(late)}" in " ".join(summary.split())
