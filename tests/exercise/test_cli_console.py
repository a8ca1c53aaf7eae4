"""``cmdsim drill`` at the terminal, from the CLI: the plan's answer is never
shown before the players decide; ``q`` and the end of input end the drill
cleanly at any prompt; a script must be played.

The engine is the stand-in of :mod:`tests.exercise.fake`: its first decision
point is the duty room's for the incident ``flood`` at 23.0 minutes (seed 1), where
the plan's rule says level III and the flood and general HQs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.io import dump

from . import fake


@pytest.fixture
def scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("cmdsim.exercise.run.default_runner", lambda: fake.runner)
    path = tmp_path / "fake.yaml"
    path.write_text(dump(fake.scenario()), encoding="utf-8")
    msel = tmp_path / "msel.yaml"
    msel.write_text(
        "injects:\n"
        "  - {id: m1, time: 5, from: Weather, to: 区总值班室, message: Red rain}\n"
        "criteria:\n"
        "  - {id: c1, text: A decision within 30 minutes, after: {inject: m1},\n"
        "     expect: {kind: decision}, within: 30}\n",
        encoding="utf-8",
    )
    return path


def drill(scenario: Path, typed: str, *extra: str) -> tuple[int, str, list[dict[str, object]]]:
    log = scenario.parent / "drill.jsonl"
    args = ["drill", str(scenario), "--msel", str(scenario.parent / "msel.yaml")]
    result = CliRunner().invoke(
        main, [*args, "--play", "duty-room", "--log", str(log), *extra], input=typed
    )
    records = (
        [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        if log.exists()
        else []
    )
    return result.exit_code, result.output, records


def decisions(records: list[dict[str, object]]) -> dict[object, tuple[object, object]]:
    return {r["key"]: (r["level"], r["by"]) for r in records if r["type"] == "decision"}


def test_the_plans_answer_is_not_shown_before_the_decision(scenario: Path) -> None:
    code, out, records = drill(scenario, "c\nII\nflood_hq\nq\n")
    assert code == 0, out
    before, after = out.split("recorded:", 1)
    asked = before[before.index("DECISION duty-room for flood at 23.0 min") :]
    # the options the plan allows, and nothing of its answer
    assert "levels: I, II, III, IV, none   HQs: flood_hq, general_hq" in asked
    assert "level [I/II/III/IV/none] (Enter: the plan's rule decides):" in asked
    for shown in ("level_decided", "hq_notified", "  decision  ", "criterion", "plan says"):
        assert shown not in before
    # once decided: the answer, the plan's for comparison, then the run goes on
    assert after.startswith(
        " level II; activate flood_hq  (the plan's rule: level III; activate flood_hq, general_hq)"
    )
    assert "criterion c1: ✔ met" in after
    assert decisions(records)["duty-room:flood:1"] == ("II", "human")


@pytest.mark.parametrize(
    ("typed", "where"),
    [
        ("c\nq\n", "q at the level prompt"),
        ("c\nIII\nq\n", "q at the HQ prompt"),
        ("c\n", "end of input at the level prompt"),
        ("c\nIII\n", "end of input at the HQ prompt"),
        ("", "end of input at the drill prompt"),
        ("n\nquit\n", "quit at the drill prompt"),
    ],
)
def test_q_and_end_of_input_end_the_drill_cleanly(scenario: Path, typed: str, where: str) -> None:
    code, out, records = drill(scenario, typed)
    assert code == 0, (where, out)
    assert "Aborted" not in out and "not one of" not in out
    assert "Evaluation criteria" in out
    # the log is kept: the rest simulated with the plan's rule
    assert records[0]["type"] == "exercise" and records[-1]["type"] == "end"
    assert decisions(records)["duty-room:flood:1"] == ("III", "plan"), where


def test_a_script_for_roles_nobody_plays_exits_2(scenario: Path, tmp_path: Path) -> None:
    script = tmp_path / "script.yaml"
    script.write_text(
        "decisions:\n  - {incident: flood, level: II}\n  - {role: general-hq, take_over: no}\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    base = ["drill", str(scenario), "--script", str(script)]
    result = runner.invoke(main, base)
    assert result.exit_code == 2
    assert result.output == (
        f"error: --script {script} decides for the roles duty-room, general-hq, but "
        "duty-room, general-hq are not played (add --play duty-room,general-hq)\n"
    )
    result = runner.invoke(main, [*base, "--play", "duty-room"])
    assert result.exit_code == 2
    assert result.output.endswith("general-hq is not played (add --play duty-room,general-hq)\n")
    result = runner.invoke(main, [*base, "--play", "general-hq,duty-room"])
    assert result.exit_code == 0, result.output
