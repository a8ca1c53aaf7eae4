"""A permitted fast batch runs a sample of its replications on the engine too
and stops, naming the scenario file, the replication and the metric, if a
row differs; the check never changes a result."""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from cmdsim.analysis import ProcessExecutor, fastgraph, replicate
from cmdsim.analysis.fastpath import (
    CHECK_SAMPLE,
    EngineRun,
    ExactRun,
    FastPathMismatch,
    check_order,
    first_difference,
)
from cmdsim.analysis.seeds import replication_seed
from cmdsim.cli import main
from cmdsim.errors import CmdsimError
from cmdsim.io import load_scenario
from cmdsim.model import Scenario

DATA = Path(__file__).parent / "data"
FILE = DATA / "fast_generated" / "no_committees.yaml"
TINY = DATA / "fast_tiny.yaml"
METRIC = "incident.leak.aware"


@pytest.fixture
def wrong_aware(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path computes every awareness half a minute late (a planted bug)."""
    right = fastgraph.metric_columns

    def wrong(*args: Any, **kwargs: Any) -> dict[str, Any]:
        columns = right(*args, **kwargs)
        return {k: v + 0.5 if k.endswith(".aware") else v for k, v in columns.items()}

    monkeypatch.setattr(fastgraph, "metric_columns", wrong)


def _computed(scenario: Scenario, metrics: tuple[str, ...], seed: int, n: int) -> list[bool]:
    """Which replications the fast path computes itself (the rest fall back)."""
    seeds = [replication_seed(seed, i) for i in range(n)]
    return ExactRun(metrics)._rows(scenario, seeds, [0.0] * n)[1]


@pytest.mark.usefixtures("wrong_aware")
def test_a_wrong_row_stops_the_cli_batch_naming_file_replication_and_metric() -> None:
    scenario = load_scenario(FILE)
    computed = _computed(scenario, (METRIC,), 3, 3)
    first = next(i for i in check_order(3, 0, 3) if computed[i])
    args = ["batch", str(FILE), "-n", "20", "--seed", "3", "--metric", METRIC, "--no-progress"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    message = result.stderr
    assert str(FILE) in message
    assert f"replication {first} (batch seed 3)" in message
    assert f"differs from the engine's in {METRIC}" in message
    assert "--no-fast" in message


@pytest.mark.usefixtures("wrong_aware")
def test_the_python_api_raises_a_cmdsim_error_with_the_difference() -> None:
    scenario = load_scenario(FILE)
    with pytest.raises(FastPathMismatch) as caught:
        replicate(scenario, 8, seed=5, metrics=[METRIC], chunk_size=4)
    error = caught.value
    assert isinstance(error, CmdsimError)
    assert error.metric == METRIC and error.scenario == "scenario no_committees"
    assert error.fast is not None and error.engine is not None
    assert error.fast == pytest.approx(error.engine + 0.5)
    assert 0 <= error.replication < 4  # the first chunk's check finds it
    # Raised in a worker process, it crosses back whole.
    again = pickle.loads(pickle.dumps(error))
    assert (again.replication, again.metric, str(again)) == (
        error.replication,
        error.metric,
        str(error),
    )


@pytest.mark.usefixtures("wrong_aware")
def test_a_worker_process_stops_the_batch_too() -> None:
    scenario = load_scenario(FILE)
    with ProcessExecutor(2) as pool, pytest.raises(FastPathMismatch, match=METRIC):
        replicate(scenario, 12, seed=1, metrics=[METRIC], chunk_size=3, executor=pool)


@pytest.mark.usefixtures("wrong_aware")
def test_without_the_check_the_wrong_rows_go_through() -> None:
    # What --check-sample 0 risks: a fast-path bug answers silently.
    scenario = load_scenario(FILE)
    unchecked = replicate(scenario, 10, seed=2, metrics=[METRIC], check_sample=0)
    engine = replicate(scenario, 10, seed=2, metrics=[METRIC], fast=False)
    assert unchecked.engine == "fast"
    assert unchecked.mean(METRIC) == pytest.approx(engine.mean(METRIC) + 0.5)


def test_the_check_changes_no_result_however_the_work_is_split() -> None:
    scenario = load_scenario(TINY)
    metrics = ["incident.leak.aware", "incident.rain.level_decided"]
    texts = set()
    for check, chunk, workers in [(0, 5, 1), (2, 5, 1), (30, 7, 1), (2, 4, 2)]:
        if workers > 1:
            with ProcessExecutor(workers) as pool:
                result = replicate(
                    scenario, 30, seed=9, metrics=metrics, chunk_size=chunk,
                    check_sample=check, executor=pool, keep=True,
                )  # fmt: skip
        else:
            result = replicate(
                scenario, 30, seed=9, metrics=metrics, chunk_size=chunk,
                check_sample=check, keep=True,
            )  # fmt: skip
        assert result.engine == "fast"
        assert result.values is not None
        texts.add(result.to_json() + json.dumps(result.values.tolist()))
    assert len(texts) == 1
    with pytest.raises(CmdsimError, match="check sample"):
        replicate(scenario, 4, metrics=metrics, check_sample=-1)


def test_each_chunk_checks_its_sample_on_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load_scenario(TINY)
    metrics = ("incident.leak.aware",)
    n, size, check = 24, 6, 2
    calls: list[np.random.SeedSequence] = []
    engine_call = EngineRun.__call__

    def counted(self: EngineRun, s: Scenario, seed: np.random.SeedSequence) -> dict[str, float]:
        calls.append(seed)
        return engine_call(self, s, seed)

    monkeypatch.setattr(EngineRun, "__call__", counted)
    computed = _computed(scenario, metrics, 4, n)
    calls.clear()
    replicate(scenario, n, seed=4, metrics=list(metrics), chunk_size=size, check_sample=check)
    # The engine ran for each replication that fell back, then for the
    # first `check` computed ones of each chunk in the seed's order.
    expected: list[int] = []
    for start in range(0, n, size):
        stop = start + size
        expected += [i for i in range(start, stop) if not computed[i]]
        expected += [i for i in check_order(4, start, stop) if computed[i]][:check]
    assert [c.spawn_key[0] for c in calls] == expected
    assert sum(computed) > n - 4  # the tiny drill is nearly all fast


def test_the_sample_is_the_seeds_not_the_chunkings() -> None:
    whole = check_order(11, 0, 40)
    for start, stop in [(0, 10), (10, 25), (25, 40)]:
        part = check_order(11, start, stop)
        assert sorted(part) == list(range(start, stop))
        assert part == [i for i in whole if start <= i < stop]
    assert check_order(12, 0, 40) != whole
    assert CHECK_SAMPLE >= 1


def _pairs() -> Iterator[tuple[dict[str, float], dict[str, float], Any]]:
    nan = float("nan")
    yield {"a": 1.0, "b": nan}, {"a": 1.0, "b": nan}, None
    yield {"a": 1.0}, {"a": 1.0 + 1e-12}, ("a", 1.0, 1.0 + 1e-12)
    yield {"a": 0.0}, {"a": -0.0}, ("a", 0.0, -0.0)
    yield {"a": 1.0, "c": 2.0}, {"a": 1.0}, ("c", 2.0, None)
    yield {"b": nan}, {"b": 3.0}, ("b", nan, 3.0)


@pytest.mark.parametrize(("fast", "engine", "found"), list(_pairs()))
def test_rows_are_compared_as_written(
    fast: dict[str, float], engine: dict[str, float], found: Any
) -> None:
    got = first_difference(fast, engine)
    assert repr(got) == repr(found)


def test_a_resume_may_change_the_check(tmp_path: Path) -> None:
    # The check is not part of the batch's identity: a batch resumed with
    # another sample size (or none) is the same batch, with the same files.
    scenario = load_scenario(TINY)
    metrics = ["incident.leak.aware"]
    out = tmp_path / "out"
    first = replicate(scenario, 12, seed=3, metrics=metrics, chunk_size=4, out=out, check_sample=0)
    summary = (out / "summary.json").read_text()
    again = replicate(
        scenario, 12, seed=3, metrics=metrics, chunk_size=4, out=out, resume=True, check_sample=3
    )
    assert again.to_json() == first.to_json() == summary
    assert (out / "summary.json").read_text() == summary
