"""The automatic fast path never answers wrongly: on scenarios the project's
own strategies generate (:mod:`cmdsim.testing.strategies`), every row it
gives is the engine's, value for value, or it refuses (``permits``) or hands
the replication to the engine.  Plus the hand-made regressions it found."""

from __future__ import annotations

import collections
import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from cmdsim.analysis import BatchResult, replicate
from cmdsim.analysis.fastpath import fast_metrics
from cmdsim.cli import main
from cmdsim.model import Scenario
from cmdsim.testing.reachable import reachable_scenarios
from cmdsim.testing.strategies import scenarios

DATA = Path(__file__).parent / "data" / "fast_generated"


def _batch(path: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["batch", str(path), "--no-progress", *args])
    return result.exit_code, result.stdout, result.stderr


def test_batch_on_a_town_without_committees_gives_the_engines_numbers() -> None:
    # Issue 15: an IndexError traceback from the fast path, where `run` worked.
    path = DATA / "no_committees.yaml"
    metric = "incident.leak.aware"
    common = ("-n", "20", "--seed", "3", "--metric", metric, "--json")
    code, out, err = _batch(path, *common)
    assert code == 0, err
    assert "Traceback" not in err
    assert "engine: fast path" in err
    fast = json.loads(out)
    code, out, err = _batch(path, *common, "--no-fast")
    assert code == 0, err
    des = json.loads(out)
    assert (fast["engine"], des["engine"]) == ("fast", "des")
    assert fast["metrics"][metric] == des["metrics"][metric]
    # The officers' relay (town, then district tier) reached the room in
    # some replications: the metric was really observed.
    assert fast["metrics"][metric]["count"] == 20


def test_batch_where_a_reporting_room_never_hears_of_the_incident() -> None:
    # Found by the generated scenarios: the plan has a town room write a
    # report, but no report of the incident ever reaches that room, so the
    # engine never starts it; the fast path's pilot ended in a KeyError.
    path = DATA / "silent_room.yaml"
    metric = "incident.leak.level_decided"
    common = ("-n", "12", "--seed", "5", "--metric", metric, "--json")
    code, out, err = _batch(path, *common)
    assert code == 0, err
    assert "engine: fast path" in err
    fast = json.loads(out)
    code, out, err = _batch(path, *common, "--no-fast")
    assert code == 0, err
    assert fast["metrics"][metric] == json.loads(out)["metrics"][metric]
    assert fast["metrics"][metric]["count"] == 12


def test_an_inject_naming_no_town_is_decided_under_the_incidents_town_plan() -> None:
    # Found by the generated scenarios (a CI run of 200): the inject reached
    # the district room first and named no town, the engine opened the case
    # under no town, found no plan and decided nothing; the fast path used
    # the incident's own town and decided.  Both now use the incident's town.
    path = DATA / "inject_without_town.yaml"
    result = CliRunner().invoke(main, ["run", str(path), "--json"])
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)
    leak = run["incident"]["leak"]
    # Aware at the inject (minute 1); the police report (minute 5) carries the
    # figures, triaged by 7, approved by 10: the town's own plan decides IV.
    assert (leak["aware"], leak["level_decided"], leak["plan"]) == (1.0, 10.0, "east_gas")
    assert leak["hq"]["gas_hq"]["activated"] == 20.0
    assert run["coverage"]["gaps"] == 0  # the inject is about the leak, which has a plan
    metric = "incident.leak.level_decided"
    common = ("-n", "8", "--seed", "2", "--metric", metric, "--json")
    code, out, err = _batch(path, *common)
    assert code == 0, err
    assert "engine: fast path" in err
    fast = json.loads(out)
    code, out, err = _batch(path, *common, "--no-fast")
    assert code == 0, err
    assert fast["metrics"][metric] == json.loads(out)["metrics"][metric]
    assert fast["metrics"][metric]["count"] == 8


def test_run_with_a_task_holding_none_of_a_resource() -> None:
    # Found by the generated scenarios below: the engine crashed on a valid
    # count of 0 (SimPy refuses Container.get(0)); the batch compared rows
    # with the engine's, so it could not run either.
    path = DATA / "zero_resource.yaml"
    result = CliRunner().invoke(main, ["run", str(path), "--json"])
    assert result.exit_code == 0, result.output
    run = json.loads(result.stdout)
    # The gas company did the task (30 of the run's 600 minutes), without a van.
    assert run["incident"]["leak"]["level"] == "IV"
    assert run["utilisation"]["gas_company"] > 0
    assert run["utilisation"]["resource:van"] == 0
    code, _, err = _batch(path, "-n", "4", "--json")
    assert code == 0, err


def _text(result: BatchResult) -> dict[str, list[str]]:
    """Each column as written (``repr``: NaN equals NaN, -0.0 is not 0.0)."""
    return {c: [repr(float(x)) for x in result.column(c)] for c in result.columns}


def _fast_equals_engine(scenario: Scenario, seed: int, spread: bool, unlimited: bool) -> str:
    """The automatic choice's rows against the engine's: ``"fast"`` when the
    fast path ran (and gave the engine's rows), ``"refused"`` when it did not."""
    metrics = list(fast_metrics(scenario))
    common: dict[str, Any] = {
        "seed": seed,
        "metrics": metrics,
        "keep": True,
        "spread_week": spread,
        "unlimited_capacity": unlimited,
        "chunk_size": 3,
        # Every row is compared below; a mismatch is an assertion with the
        # values, not the batch's own check.
        "check_sample": 0,
    }
    auto = replicate(scenario, REPLICATIONS, **common)
    engine = replicate(scenario, REPLICATIONS, fast=False, **common)
    assert engine.engine == "des"
    if auto.engine != "fast":
        assert auto.engine == "des" and auto.reason  # a refusal says why
        return "refused"
    assert _text(auto) == _text(engine)
    return "fast"


REPLICATIONS = 6


def _check_generated(
    examples: int, other: bool = False, drawn: st.SearchStrategy[Scenario] | None = None
) -> collections.Counter[str]:
    """Check ``examples`` generated scenarios; ``other`` draws another derandomized
    sequence than the default's (whose first examples are the same for any count);
    ``drawn``: the scenarios (default: :func:`scenarios` with an incident)."""
    seen: collections.Counter[str] = collections.Counter()
    random = os.environ.get("CMDSIM_FAST_GENERATED_RANDOM") == "1"

    @seed(OTHER_SEED if other and not random else None)
    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        # The same examples in every CI run; CMDSIM_FAST_GENERATED_RANDOM=1
        # draws new ones (a random run found the onset-at-the-horizon case).
        derandomize=not random,
    )
    @given(
        drawn if drawn is not None else scenarios().filter(lambda s: bool(s.incidents)),
        st.integers(0, 2**32 - 1),
        st.booleans(),
        st.booleans(),
    )
    def check(scenario: Scenario, seed: int, spread: bool, unlimited: bool) -> None:
        seen[_fast_equals_engine(scenario, seed, spread, unlimited)] += 1

    check()
    return seen


def test_the_automatic_fast_path_gives_the_engines_rows_on_generated_scenarios() -> None:
    seen = _check_generated(60)
    # Most generated scenarios take the fast path: the comparison is real.
    assert seen["fast"] >= 0.5 * sum(seen.values()), seen


def test_the_automatic_fast_path_on_generated_scenarios_that_reach_decisions() -> None:
    # The scenarios above seldom decide a level: the fast path's decisions
    # and call-outs are compared on these, most of which do.
    seen = _check_generated(30, drawn=reachable_scenarios())
    assert seen["fast"] >= 0.5 * sum(seen.values()), seen


#: The slow test's sequence: not the quick test's again (a derandomized run
#: of 200 began with the same 60 examples, checked twice in every CI run).
OTHER_SEED = 20261207


@pytest.mark.slow
def test_the_automatic_fast_path_on_1500_generated_scenarios() -> None:
    # 1,500 take about 15 minutes here: the default run (and CI) checks 140
    # others than the test above's 60, 200 in all; CMDSIM_FAST_GENERATED=1500
    # runs 1,500.
    count = int(os.environ.get("CMDSIM_FAST_GENERATED", "140"))
    seen = _check_generated(count, other=True)
    print(f"{count} generated scenarios with incidents: {dict(seen)}")
    assert seen["fast"] >= 0.5 * sum(seen.values()), seen
