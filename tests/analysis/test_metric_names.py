"""Metric names asked for are checked against what the scenario can report."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cmdsim.analysis import replicate
from cmdsim.analysis.fastpath import fast_metrics
from cmdsim.analysis.metrics import engine_run, known_metrics
from cmdsim.analysis.seeds import replication_seed
from cmdsim.cli import main
from cmdsim.errors import ScenarioError
from cmdsim.io import load_scenario


@pytest.mark.parametrize(
    "name", ["gas", "traffic", "flood-typhoon", "compound-typhoon", "typhoon-landfall"]
)
def test_every_name_a_run_reports_is_known(name: str) -> None:
    scenario = load_scenario(f"scenarios/{name}.yaml")
    known = known_metrics(scenario)
    for index in range(2):
        reported = set(engine_run(scenario, replication_seed(3, index)))
        assert reported - known == set()
    assert set(fast_metrics(scenario)) - known == set()


def test_a_misspelt_metric_is_an_error_before_anything_runs() -> None:
    scenario = load_scenario("scenarios/gas.yaml")
    with pytest.raises(ScenarioError) as caught:
        replicate(scenario, 5, metrics=["incident.gas_main_rupture.hq.gas_hq.activatd"])
    assert str(caught.value) == (
        "unknown metric 'incident.gas_main_rupture.hq.gas_hq.activatd' "
        "(did you mean 'incident.gas_main_rupture.hq.gas_hq.activated'?)"
    )


def test_the_cli_exits_2_on_a_misspelt_metric(tmp_path: object) -> None:
    done = CliRunner().invoke(
        main,
        [
            "batch",
            "scenarios/gas.yaml",
            "-n",
            "3",
            "--no-progress",
            "--metric",
            "incident.gas_main.aware",
        ],
    )
    assert done.exit_code == 2
    assert "unknown metric 'incident.gas_main.aware'" in done.output
    assert "Traceback" not in done.output
