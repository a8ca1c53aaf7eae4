"""A scripted drill of each bundled scenario family, with its MSEL and
script, and its replay giving the same exercise log byte for byte.

Run twice: on the stand-in engine of :mod:`tests.exercise.fake` (the drill's
own machinery on the real scenario, MSEL and script files) and on the real
engine ``cmdsim.sim`` with the duty room played.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from cmdsim.exercise.drill import Runner
from cmdsim.exercise.run import replay_exercise, scripted_exercise

from . import fake

ROOT = Path(__file__).resolve().parents[2]
FAMILIES = {
    "flood-typhoon": "flood-typhoon.csv",
    "gas": "gas.yaml",
    "traffic": "traffic.yaml",
}
HAVE_ENGINE = importlib.util.find_spec("cmdsim.sim") is not None


def runners() -> list[object]:
    real = pytest.param(
        None,
        id="engine",
        marks=pytest.mark.skipif(not HAVE_ENGINE, reason="the engine cmdsim.sim is not installed"),
    )
    return [pytest.param(fake.runner, id="stand-in"), real]


@pytest.mark.parametrize("runner", runners())
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_scripted_drill_replays_byte_for_byte(
    family: str, runner: Runner | None, tmp_path: Path
) -> None:
    scenarios = ROOT / "scenarios"
    exercise = scripted_exercise(
        scenarios / f"{family}.yaml",
        scenarios / "msel" / FAMILIES[family],
        ["duty-room"],
        scenarios / "msel" / f"{family}-script.yaml",
        seed=11,
        runner=runner,
    )
    assert exercise.pending is None
    assert exercise.spec.decisions, "the duty room was asked for no decision"
    kinds = {e["kind"] for e in exercise.events}
    assert {"inject", "decision"} <= kinds
    assert len(kinds) > 3, "the simulated organisation did nothing"
    text = exercise.log_text()
    log = tmp_path / f"{family}.jsonl"
    log.write_text(text, encoding="utf-8")
    again = replay_exercise(log, runner=runner)
    assert again.log_text().encode("utf-8") == log.read_bytes()
