"""``cmdsim drill`` through click: scripted, logged, replayed, and its errors.

The engine is replaced by the stand-in of :mod:`tests.exercise.fake` so this
tests the command itself; the bundled scenarios on the real engine are
tested in ``test_drill_scenarios.py``.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.io import dump

from . import fake


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.setattr("cmdsim.exercise.run.default_runner", lambda: fake.runner)
    scenario = tmp_path / "fake.yaml"
    scenario.write_text(dump(fake.scenario()), encoding="utf-8")
    msel = tmp_path / "msel.csv"
    msel.write_text(
        "Event #,Time,From,To,Method,Message,Expected Action,Objective,Hazard,Town\n"
        "1,+00:05,Weather,区总值班室,warning,Red rain,Level III,O1,,\n"
        "2,22:50,Town,区总值班室,hotline,Garage flooded,Pumps,O2,flood,t1\n",
        encoding="utf-8",
    )
    script = tmp_path / "script.yaml"
    script.write_text(
        "decisions:\n  - {incident: flood, level: II, activate: [flood_hq]}\n"
        "injects:\n  - {id: extra, time: 30, from: Facilitator, to: 区总值班室, message: Cut}\n",
        encoding="utf-8",
    )
    return {"scenario": scenario, "msel": msel, "script": script, "dir": tmp_path}


def test_scripted_drill_log_and_replay(files: dict[str, Path]) -> None:
    runner = CliRunner()
    log = files["dir"] / "drill.jsonl"
    args = [
        "drill",
        str(files["scenario"]),
        "--msel",
        str(files["msel"]),
        "--play",
        "duty-room",
        "--script",
        str(files["script"]),
        "--log",
        str(log),
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Garage flooded" in result.output
    text = log.read_text(encoding="utf-8")
    assert '"key":"duty-room:flood:1","level":"II"' in text
    again = files["dir"] / "again.jsonl"
    replay = runner.invoke(main, ["drill", "--replay", str(log), "--log", str(again)])
    assert replay.exit_code == 0, replay.output
    assert again.read_bytes() == log.read_bytes()
    report = runner.invoke(main, ["report", str(log), "--format", "json"])
    assert report.exit_code == 0
    assert '"kind": "exercise"' in report.output


def test_msel_row_missing_field_exits_2(files: dict[str, Path]) -> None:
    bad = files["dir"] / "bad.csv"
    bad.write_text("Event #,Time,From,To,Message\n1,+00:05,Weather,,Red rain\n", encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["drill", str(files["scenario"]), "--msel", str(bad), "--script", str(files["script"])],
    )
    assert result.exit_code == 2
    assert result.output == f"{bad}:2:4: To: missing recipient (to)\n"


def test_unknown_role_and_bad_column_exit_2(files: dict[str, Path]) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["drill", str(files["scenario"]), "--play", "mayor"])
    assert result.exit_code == 2
    assert result.output == (
        "error: unknown role 'mayor' (roles: duty-room, general-hq, lead-hq)\n"
    )
    result = runner.invoke(
        main,
        ["drill", str(files["scenario"]), "--play", "duty-room,mayor", "--play", "lead_hq"],
    )
    assert result.exit_code == 2
    assert result.output == (
        "error: unknown roles 'mayor', 'lead_hq' (roles: duty-room, general-hq, lead-hq)\n"
    )
    result = runner.invoke(main, ["drill", str(files["scenario"]), "--column", "at"])
    assert result.exit_code == 2
    assert "is not FIELD=HEADER" in result.output


def test_replay_on_a_changed_scenario_exits_2(files: dict[str, Path]) -> None:
    runner = CliRunner()
    log = files["dir"] / "drill.jsonl"
    # A name of its own: a replay, as a report, takes a copy of the original
    # found near the log by its digest (a stray /tmp/fake.yaml would be one).
    unique = attrs.evolve(fake.scenario(), name=f"fake {files['dir'].name}")
    files["scenario"].write_text(dump(unique), encoding="utf-8")
    args = [
        "drill",
        str(files["scenario"]),
        "--msel",
        str(files["msel"]),
        "--play",
        "duty-room",
        "--script",
        str(files["script"]),
        "--log",
        str(log),
    ]
    assert runner.invoke(main, args).exit_code == 0
    text = files["scenario"].read_text(encoding="utf-8")
    files["scenario"].write_text(text.replace("horizon: 180.0", "horizon: 200.0"), "utf-8")
    result = runner.invoke(main, ["drill", "--replay", str(log)])
    # The edited file replays, and stops where its run leaves the logged one
    # (the events are the same: the longer horizon moves the end).
    assert result.exit_code == 2
    lines = len(log.read_text(encoding="utf-8").splitlines())
    assert result.output.splitlines()[0] == (
        f"{log}:{lines}: end.time: the exercise ends at 180 min logged, replay ends at 200 min"
    )
    assert "the scenario's content is not the one logged (its digest differs)" in result.output
    # Given the original (a copy with the logged digest), the replay takes it.
    original = files["dir"] / "original.yaml"
    original.write_text(text, encoding="utf-8")
    again = runner.invoke(main, ["drill", str(original), "--replay", str(log)])
    assert again.exit_code == 0, again.output


def test_drill_without_a_scenario_plays_the_bundled_flagship(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As `cmdsim run`: from any directory, with the flagship drill README's
    # quick start runs, and the file used said on stderr.
    from cmdsim import bundled

    monkeypatch.chdir(tmp_path)
    flagship = bundled.flagship()
    script = bundled.path("msel/compound-typhoon-script.yaml")
    log = tmp_path / "演练.jsonl"
    play = "duty-room,general-hq,lead-hq"
    args = ["drill", "--play", play, "--script", str(script), "--log", str(log)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"no SCENARIO given: the bundled flagship drill {flagship}" in result.stderr
    assert f"--msel {bundled.path('msel/compound-typhoon.yaml')}" in result.stderr
    assert str(flagship) not in result.stdout
    head = log.read_text(encoding="utf-8").splitlines()[0]
    assert f'"scenario":"{flagship.as_posix()}"' in head
    helped = CliRunner().invoke(main, ["drill", "--help"])
    assert "Without SCENARIO, plays the bundled flagship drill" in " ".join(helped.output.split())
