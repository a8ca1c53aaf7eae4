"""`--no-injects`: a drill with its injects left out, so detection is the
channels' alone (issue 12, 2b: an inject is a message arriving at its time)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from cmdsim import bundled
from cmdsim.cli import main
from cmdsim.io import load_scenario
from cmdsim.sim import simulate


def test_without_injects_the_gas_leak_is_known_only_through_the_channels() -> None:
    scenario = load_scenario(bundled.path("gas.yaml"))
    assert scenario.injects, "the gas drill's residents call at minute 5"
    bare = scenario.without_injects()
    assert bare.injects == () and bare.incidents == scenario.incidents
    with_injects = simulate(scenario, 3)
    without = simulate(bare, 3)
    assert not any(e.kind == "inject" for e in without.events)
    assert any(e.kind == "inject" for e in with_injects.events)
    # The call at minute 5 makes the room aware at once; without it, a channel must.
    aware = with_injects.metrics["incident"]["gas_main_rupture"]["aware"]
    assert aware <= 5.0
    channel = {
        e.detail("channel")
        for e in without.events
        if e.kind == "aware" and e.incident == "gas_main_rupture"
    }
    assert channel and "inject" not in channel


def test_run_and_batch_take_the_flag(tmp_path: Path) -> None:
    gas = str(bundled.path("gas.yaml"))
    runner = CliRunner()
    out = tmp_path / "r"
    result = runner.invoke(main, ["run", gas, "--no-injects", "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "run.json").read_text())["no_injects"] is True
    metric = "incident.gas_main_rupture.aware"
    args = ["batch", gas, "-n", "20", "--metric", metric, "--json", "--no-progress"]
    plain = _summary(runner.invoke(main, args).output)
    bare = _summary(runner.invoke(main, [*args, "--no-injects"]).output)
    # the residents' call at minute 5 caps awareness; without it the channels can be later
    assert plain["metrics"][metric]["p95"] <= 5.0 < bare["metrics"][metric]["p95"]


def _summary(output: str) -> dict[str, Any]:
    """The JSON summary after the line saying which engine ran."""
    found: dict[str, Any] = json.loads(output[output.index("{") :])
    return found
