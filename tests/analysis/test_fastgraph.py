"""The fast path from onset to HQ activated: exactly the engine's numbers when
fed the engine's draws, auto-selection only where it changes nothing."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest
from analysis_fakes import no_call_ins, without_officer_burst
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis import replicate
from cmdsim.analysis.fastgraph import compute, engine_draws, metric_columns
from cmdsim.analysis.fastpath import (
    CONTENDED,
    ExactRun,
    covered_pairs,
    fast_metrics,
    graph,
    permits,
)
from cmdsim.analysis.metrics import flatten
from cmdsim.errors import CmdsimError
from cmdsim.io import load_scenario
from cmdsim.model import Scenario
from cmdsim.sim import SimOptions, simulate

ROOT = Path(__file__).resolve().parents[2]
TINY = Path(__file__).parent / "data" / "fast_tiny.yaml"
BUNDLED = ["gas", "flood-typhoon", "traffic"]


def _load(name: str) -> Scenario:
    """A drill as the fast path replays it: without warning links and merge
    rules, which it refuses (``test_fast_exact.py::test_warning_linked_drills_are_refused``,
    ``test_a_merged_site_is_refused``)."""
    scenario = load_scenario(TINY if name == "tiny" else ROOT / "scenarios" / f"{name}.yaml")
    # What reporters know is the engine's only; so is a wait for an information
    # officer, which the flood drill's burst of compound reports makes.
    scenario = without_officer_burst(scenario).with_truth_reported()
    scenario = scenario.without_town_plans()  # refused too (test_town_plans.py)
    plans = tuple(
        attrs.evolve(p, warnings=None, merge=(), levels=no_call_ins(p))
        for p in scenario.district.plans
    )
    if name == "flood-typhoon":
        # The garages' rain stops (+300) and the district closes its response,
        # which could stand the flood HQ down: the fast path does not replay a
        # lowering and covers no flood HQ then (test_fast_exact.py::
        # test_a_level_lowered_in_the_run_falls_back).  Levels are held here.
        plans = tuple(
            attrs.evolve(p, escalation=attrs.evolve(p.escalation, deescalate=False)) for p in plans
        )
    return attrs.evolve(scenario, district=attrs.evolve(scenario.district, plans=plans))


def _compare(scenario: Scenario, seq: np.random.SeedSequence) -> int:
    """Engine (unlimited capacity) against the fast path fed the engine's streams."""
    options = SimOptions(unlimited_capacity=True)
    engine = flatten(simulate(scenario, seq, options=options))
    g = graph(scenario)
    response = compute(g, engine_draws(g, seq), unlimited=True)
    assert not response.contended[0]
    fast = metric_columns(g, response, covered_pairs(g))
    compared = 0
    for name, values in fast.items():
        want, got = engine.get(name, math.nan), float(values[0])
        assert (math.isnan(want) and math.isnan(got)) or want == got, name  # exact
        compared += not math.isnan(got)
    return compared


@pytest.mark.parametrize("name", [*BUNDLED, "tiny"])
def test_onset_to_activation_equals_the_engine_exactly(name: str) -> None:
    scenario = _load(name)
    assert any(m.endswith(".activated") for m in fast_metrics(scenario))
    compared = sum(_compare(scenario, np.random.SeedSequence(9, spawn_key=(i,))) for i in range(4))
    assert compared >= 4 * 5


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**63 - 1))
def test_onset_to_activation_equals_the_engine_for_any_seed(seed: int) -> None:
    _compare(_load("tiny"), np.random.SeedSequence(seed))


def test_only_hqs_no_other_case_can_call_out_first_are_covered() -> None:
    # The gas plan activates the flood HQ at level II: an escalation of the
    # leak may call it out before the rain's first decision does.
    names = fast_metrics(_load("tiny"))
    assert "incident.leak.hq.gas_hq.activated" in names
    assert not any(".hq.flood_hq." in n for n in names)


def test_permits_is_conservative() -> None:
    gas = _load("gas")
    lead = "incident.gas_main_rupture.hq.gas_hq.activated"
    assert permits(gas, [lead], unlimited=True) is None
    assert "metrics" in (permits(gas, None, unlimited=True) or "")
    assert "does not compute" in (permits(gas, ["incident.gas_main_rupture.reports"]) or "")
    # Real staffing no longer refuses: a report waiting for a duty-room
    # officer is found per replication (tests/analysis/test_fast_exact.py).
    assert permits(gas, [lead]) is None


def test_auto_selection_gives_the_engines_numbers() -> None:
    scenario = _load("tiny")
    metrics = ["incident.leak.hq.gas_hq.activated", "incident.rain.level_decided"]
    kw: dict[str, Any] = {"metrics": metrics, "unlimited_capacity": True, "keep": True}
    auto = replicate(scenario, 24, seed=3, **kw)
    des = replicate(scenario, 24, seed=3, fast=False, **kw)
    assert (auto.engine, des.engine) == ("fast", "des")
    assert auto.summary.pop("engine") == "fast" and des.summary.pop("engine") == "des"
    auto.summary.pop("fast")
    des.summary.pop("fast")
    # How it was run, not what: the summary says the engine was forced.
    assert des.summary["switches"].pop("fast") is False
    assert auto.summary == des.summary
    assert auto.columns == des.columns
    assert np.array_equal(auto.values, des.values, equal_nan=True)  # type: ignore[arg-type]


def test_a_replication_the_fast_path_cannot_vouch_for_runs_on_the_engine() -> None:
    scenario = _load("traffic")
    run = ExactRun(("incident.tanker_leak.hq.hazardous_chemicals_hq.activated",), False)
    seeds = [np.random.SeedSequence(2, spawn_key=(i,)) for i in range(6)]
    rows = run.rows(scenario, seeds, [0.0] * 6)
    for seq, row in zip(seeds, rows, strict=True):
        want = flatten(simulate(scenario, seq))
        for name, value in row.items():
            if not name.endswith("onset_band"):
                assert value == want[name] or (math.isnan(value) and math.isnan(want[name]))


def test_forcing_the_fast_path_refuses_what_it_cannot_compute() -> None:
    with pytest.raises(CmdsimError, match="does not compute"):
        replicate(_load("tiny"), 10, fast=True, metrics=["incident.leak.reports"])
    result = replicate(_load("tiny"), 50, fast=True)
    assert CONTENDED in result.summary["metrics"]


def test_forced_fast_path_matches_the_engine_in_distribution() -> None:
    scenario = _load("tiny")
    metric = "incident.leak.hq.gas_hq.activated"
    fast = replicate(scenario, 2000, seed=5, fast=True, metrics=[metric])
    des = replicate(scenario, 300, seed=5, fast=False, metrics=[metric], unlimited_capacity=True)
    a, b = fast.summary["metrics"][metric], des.summary["metrics"][metric]
    assert abs(a["mean"] - b["mean"]) < 4 * math.hypot(
        a["std"] / math.sqrt(a["count"]), b["std"] / math.sqrt(b["count"])
    )
    assert abs(a["missing"] / 2000 - b["missing"] / 300) < 0.08


def test_cli_says_which_path_ran() -> None:
    from click.testing import CliRunner

    from cmdsim.cli import main

    metric = "incident.leak.hq.gas_hq.activated"
    base = ["batch", str(TINY), "-n", "16", "--metric", metric, "--json", "--no-progress"]
    runner = CliRunner()
    auto = runner.invoke(main, [*base, "--unlimited-capacity"])
    assert auto.exit_code == 0, auto.output
    assert "engine: fast path (permitted" in auto.stderr
    des = runner.invoke(main, [*base, "--unlimited-capacity", "--no-fast"])
    assert "engine: discrete-event" in des.stderr
    fast, slow = json.loads(auto.stdout), json.loads(des.stdout)
    assert (fast.pop("engine"), slow.pop("engine")) == ("fast", "des")
    assert fast["metrics"] == slow["metrics"]
    limited = runner.invoke(main, base)
    assert "engine: fast path (permitted" in limited.stderr
    limited_des = runner.invoke(main, [*base, "--no-fast"])
    assert json.loads(limited.stdout)["metrics"] == json.loads(limited_des.stdout)["metrics"]
    refused = runner.invoke(main, [*base, "--fast", "--metric", "incident.leak.reports"])
    assert refused.exit_code == 2 and "does not compute incident.leak.reports" in refused.stderr
    vary = ["--vary", "district.duty_room.approval.mean=3,9"]
    sweep = runner.invoke(
        main,
        [
            "sweep",
            str(TINY),
            *vary,
            "-n",
            "8",
            "--metric",
            metric,
            "--unlimited-capacity",
            "--json",
        ],
    )
    assert sweep.exit_code == 0, sweep.output
    assert json.loads(sweep.stdout)["engine"] == "fast"
