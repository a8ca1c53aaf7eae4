"""``cmdsim report LOG --accept-changes``: the report of an exercise whose
replay no longer gives the logged events (a newer engine, an edited
scenario), of the exercise as it replays now, the differences on stderr and
in the report; without it, the report stops at the first difference and
says how to take the replay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.errors import LoadError, Problem
from cmdsim.report import load_source, render

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The gas drill's log as played, and a copy whose first district level
    reads II where the replay gives III (as a changed engine would)."""
    from cmdsim.exercise.run import scripted_exercise

    base = tmp_path_factory.mktemp("accept")
    exercise = scripted_exercise(
        SCENARIOS / "gas.yaml",
        SCENARIOS / "msel" / "gas.yaml",
        ["duty-room"],
        SCENARIOS / "msel" / "gas-script.yaml",
        1,
    )
    played = base / "gas.jsonl"
    played.write_text(exercise.log_text(), encoding="utf-8")
    lines = played.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(
        n
        for n, text in enumerate(lines)
        if '"kind":"level_decided"' in text and '"actor":"district_duty_room"' in text
    )
    assert '"level":"III"' in lines[line]
    lines[line] = lines[line].replace('"level":"III"', '"level":"II"', 1)
    moved = base / "moved.jsonl"
    moved.write_text("".join(lines), encoding="utf-8")
    return played, moved


def _line(log: Path) -> int:
    return next(
        n
        for n, text in enumerate(log.read_text(encoding="utf-8").splitlines(), start=1)
        if '"kind":"level_decided"' in text and '"level":"II"' in text
    )


def test_without_it_the_report_stops_and_names_both_ways_on(logs: tuple[Path, Path]) -> None:
    _played, moved = logs
    line = _line(moved)
    done = CliRunner().invoke(main, ["report", str(moved), "--format", "md"])
    assert done.exit_code == 2
    assert done.output.splitlines() == [
        f"{moved}:{line}: event.details.level: level_decided district_duty_room "
        "gas_main_rupture level II at 18:24 logged, replay gives level III at 18:24",
        f"{moved}: the replay diverges from the log at line {line} (1 difference in all): "
        "the engine (cmdsim) has changed since the log was written, or the log was edited; "
        "to take the exercise as it runs now: cmdsim drill --replay LOG --accept-changes "
        "--log NEW",
        f"{moved}: for the report of the exercise as it runs now: "
        "cmdsim report LOG --accept-changes",
    ]


def test_accepted_the_report_is_the_replays_with_the_differences_listed(
    logs: tuple[Path, Path], tmp_path: Path
) -> None:
    played, moved = logs
    line = _line(moved)
    out = tmp_path / "moved.md"
    done = CliRunner().invoke(
        main, ["report", str(moved), "--accept-changes", "--lang", "zh", "-o", str(out)]
    )
    assert done.exit_code == 0, done.output
    difference = (
        f"{moved}:{line}: event.details.level: level_decided district_duty_room "
        "gas_main_rupture level II at 18:24 logged, replay gives level III at 18:24"
    )
    assert done.output.splitlines() == [
        f"warning: {moved}: the replay differs from the log in 1 place (the engine (cmdsim) "
        "has changed since the log was written, or the log was edited); accepted: the "
        "replay stands",
        f"warning: {difference}",
        f"wrote {out}",
    ]
    text = out.read_text(encoding="utf-8")
    assert "## 重放说明" in text and f"2. {difference}" in text
    # the story told is the replay's: the level the engine gives now (III), as
    # in the report of the log as played; the section aside, the same report
    said: list[Problem] = []
    accepted = load_source(moved, accept_changes=True, warn=said.append)
    as_played = load_source(played)
    assert [str(p) for p in said] == accepted["replay_notes"]
    assert accepted["timeline"] == as_played["timeline"]
    assert {k: v for k, v in accepted.items() if k != "replay_notes"} == as_played
    page = render(accepted, "html", "zh")
    assert '<h2 id="replay">重放说明</h2>' in page and "replay gives level III" in page
    assert '<h2 id="replay">' not in render(as_played, "html", "zh")
    view = json.loads(render(accepted, "json", "zh"))
    assert any(b["label"].endswith("III级") for b in view["timeline"]["bars"])


def test_a_log_that_replays_as_logged_gives_the_same_report(logs: tuple[Path, Path]) -> None:
    played, _moved = logs
    said: list[Problem] = []
    accepted = load_source(played, accept_changes=True, warn=said.append)
    assert said == [] and "replay_notes" not in accepted
    assert render(accepted, "md", "zh") == render(load_source(played), "md", "zh")


def test_the_python_api_raises_at_the_difference_without_it(logs: tuple[Path, Path]) -> None:
    _played, moved = logs
    with pytest.raises(LoadError) as caught:
        load_source(moved)
    first = caught.value.problems[0]
    assert (first.file, first.line, first.path) == (str(moved), _line(moved), "event.details.level")


def test_only_an_exercise_log_is_replayed(tmp_path: Path) -> None:
    out = tmp_path / "batch"
    runner = CliRunner()
    ran = runner.invoke(
        main, ["batch", str(SCENARIOS / "gas.yaml"), "-n", "2", "--no-progress", "--out", str(out)]
    )
    assert ran.exit_code == 0, ran.output
    done = runner.invoke(main, ["report", str(out), "--accept-changes"])
    assert done.exit_code == 2
    assert done.output == (
        f"error: {out}: accepting a replay's changes (--accept-changes) is for an exercise "
        "log; this is a batch's output, which is not replayed\n"
    )


def test_a_scenario_edited_since_is_reported_as_it_replays_now(tmp_path: Path) -> None:
    """The scenario file changed after the drill (the rupture five minutes
    later): without the flag the report stops (its content is not the one
    logged); with it, the report is of the replay on the file as it is now."""
    import shutil

    from cmdsim.exercise.run import scripted_exercise

    drills = tmp_path / "drills"
    shutil.copytree(SCENARIOS, drills)
    scenario = drills / "gas.yaml"
    exercise = scripted_exercise(
        scenario,
        drills / "msel" / "gas.yaml",
        ["duty-room"],
        drills / "msel" / "gas-script.yaml",
        1,
    )
    log = tmp_path / "gas.jsonl"
    log.write_text(exercise.log_text(log), encoding="utf-8")
    text = scenario.read_text(encoding="utf-8")
    onset = "onset: 2025-01-29T18:00:00"
    assert onset in text
    scenario.write_text(text.replace(onset, "onset: 2025-01-29T18:05:00"), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_source(log, scenario)
    assert "is not the one it was made from" in str(caught.value)
    said: list[Problem] = []
    report = load_source(log, scenario, accept_changes=True, warn=said.append)
    assert (
        said[0].message.startswith("the replay differs from the log in ")
        and "the scenario's content is not the one logged" in said[0].message
    )
    assert report["replay_notes"][0] == str(said[0])
    # the story is the replay's: the rupture at 18:05, as the file says now
    bar = next(b for b in report["timeline"]["bars"] if b["lane"] == "incident:gas_main_rupture")
    assert bar["start"] == 5.0
