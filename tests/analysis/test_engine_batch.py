"""Batches and sweeps through the real engine on the bundled gas drill."""

from __future__ import annotations

import json

from click.testing import CliRunner

from cmdsim.analysis import ProcessExecutor, replicate
from cmdsim.analysis.sweep import Variation, sweep
from cmdsim.cli import main
from cmdsim.io import load_scenario

GAS = "scenarios/gas.yaml"
LEAD = "incident.gas_main_rupture.hq.gas_hq.activated"


def test_engine_batch_is_the_same_serially_and_on_a_pool() -> None:
    scenario = load_scenario(GAS)
    serial = replicate(scenario, 24, seed=3)
    with ProcessExecutor(2) as pool:
        pooled = replicate(scenario, 24, seed=3, executor=pool, chunk_size=5)
    assert pooled.to_json() == serial.to_json()
    stats = serial.summary["metrics"][LEAD]
    assert stats["count"] + stats["missing"] == 24
    assert stats["min"] > 0  # the HQ is activated after the onset
    assert any(k.endswith("phone_report.met") for k in serial.summary["deadlines"])


def test_engine_sweep_identical_variant_differs_by_exactly_zero() -> None:
    scenario = load_scenario(GAS)
    result = sweep(
        scenario,
        [Variation.parse("district.commands[gas_hq].callout.median=25,50")],
        n=12,
        seed=5,
    )
    same, slower = result.variants
    assert result.metric == LEAD
    assert same.diff == 0.0
    assert slower.diff > 0


def test_engine_batch_spread_over_a_week_fills_the_bands() -> None:
    result = replicate(load_scenario(GAS), 30, seed=2, spread_week=True)
    counts = result.summary["bands"]["onset_band"]
    assert sum(counts.values()) == 30
    assert sum(1 for n in counts.values() if n > 0) >= 2


def test_cmdsim_batch_runs_the_engine(tmp_path) -> None:
    out = tmp_path / "gas"
    args = ["batch", GAS, "-n", "8", "--out", str(out), "--json", "--no-progress"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["metrics"][LEAD]["count"] <= 8
    assert (out / "replications.csv").read_text().count("\n") == 9
