"""The automatic fast path never answers wrongly: on scenarios the project's
own strategies generate (:mod:`cmdsim.testing.strategies`), every row it
gives is the engine's, value for value, or it refuses (``permits``) or hands
the replication to the engine.  Plus the hand-made regressions it found."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cmdsim.cli import main

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
