"""Metrics nothing in a run can move ("not measured", analysis/measured.py)
are named in a batch's summary and counted apart from what never happened."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.analysis import replicate
from cmdsim.analysis.measured import NO_HAZARD, NO_HOLD, NO_WORK, not_measured
from cmdsim.cli import main
from cmdsim.io import load_scenario

ROOT = Path(__file__).resolve().parents[2]
FAMILIES = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
"""Every bundled drill (a new one is checked without a change here)."""


@pytest.mark.parametrize("towns", [True, False], ids=["with-town-plans", "no-town-plans"])
@pytest.mark.parametrize("family", FAMILIES)
def test_what_is_not_measured_is_zero_in_every_replication(family: str, towns: bool) -> None:
    """The claim the summary makes: each metric it lists as not measured is
    0 (or has no capacity to be measured against) in every replication of
    every bundled scenario, with and without the towns' plans."""
    scenario = load_scenario(ROOT / "scenarios" / f"{family}.yaml")
    if not towns:
        scenario = scenario.without_town_plans()
    result = replicate(scenario, 3, seed=11, keep=True, progress=None)
    listed = result.summary["not_measured"]
    assert listed and set(listed) <= set(result.columns)
    assert set(listed.values()) <= {NO_WORK, NO_HOLD, NO_HAZARD}
    for name in listed:
        column = result.column(name)
        assert all(x == 0.0 or math.isnan(x) for x in column), (name, column)
    # and what is measured but idle here is not listed: work the plans can give
    assert "utilisation.district_duty_room" not in listed


def test_town_plans_left_out_make_the_towns_work_unmeasured() -> None:
    """The town's rescue team works only under the town's plan: measured
    with it, not measured without (its 0 is then no finding)."""
    gas = load_scenario(ROOT / "scenarios" / "gas.yaml")
    team = "utilisation.sanlin_town_rescue_team"
    assert team not in not_measured(gas)
    assert not_measured(gas.without_town_plans())[team] == NO_WORK
    assert set(not_measured(gas)) < set(not_measured(gas.without_town_plans()))


def test_the_table_counts_never_zero_and_unmeasured_apart() -> None:
    """``--no-town-plans``: the table's note says how many metrics never
    happened, how many stayed 0 and how many no plan of the run can move,
    each its own count (they add up to what the table left out), and the
    last names the switch; --json lists them under not_measured."""
    gas = str(ROOT / "scenarios" / "gas.yaml")
    args = ["batch", gas, "-n", "4", "--no-progress", "--no-town-plans"]
    table = CliRunner().invoke(main, args)
    assert table.exit_code == 0, table.output
    data = json.loads(CliRunner().invoke(main, [*args, "--json"]).stdout)
    off = data["not_measured"]
    assert off["utilisation.sanlin_town_rescue_team"] == NO_WORK
    metrics = {k: s for k, s in data["metrics"].items() if not k.endswith(".met")}
    idle = {k for k, s in metrics.items() if s["count"] == 0 or s["min"] == s["max"] == 0}
    never = {k for k in idle - set(off) if metrics[k]["count"] == 0}
    zero = idle - set(off) - never
    text = " ".join(table.stdout.split())  # rich wraps long lines
    assert f"{len(never)} metrics not shown: never observed in any replication" in text
    assert f"{len(zero)} metrics not shown: 0 in every replication" in text
    assert (
        f"{len(idle & set(off))} metrics not shown, not measured: nothing in this run "
        "can move them (units and resources no plan gives work: --no-town-plans leaves "
        "the towns' plans out, committees watching none of its hazards)" in text
    )
    assert never and zero and idle & set(off)
