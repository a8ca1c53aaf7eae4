"""An exercise log a report or a replay cannot stand on is a located error
(file, line, what is missing), exit 2, nothing written: no entries, a
header without its scenario, a scenario nowhere to be found, a hand-edited
inject record.  And the empty-log check of a run's events.jsonl and of a
log given as a file is one, with one wording."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.errors import LoadError
from cmdsim.exercise.run import replay_exercise, scripted_exercise
from cmdsim.report import load_source

ROOT = Path(__file__).resolve().parents[2]
TWO_HAZARDS = ROOT / "tests" / "sim" / "two_hazards.yaml"


@pytest.fixture
def log(tmp_path: Path) -> Path:
    """A scripted drill of the two-hazard scenario, with an added inject, logged."""
    scenario = tmp_path / "two_hazards.yaml"
    scenario.write_bytes(TWO_HAZARDS.read_bytes())
    script = tmp_path / "script.yaml"
    script.write_text(
        "injects:\n  - {id: extra, time: 30, from: F, to: district_duty_room, message: Cut}\n",
        encoding="utf-8",
    )
    path = tmp_path / "drill.jsonl"
    exercise = scripted_exercise(scenario, None, ["duty-room"], script, seed=1)
    path.write_text(exercise.log_text(path), encoding="utf-8")
    return path


def edit_header(log: Path, **changes: object) -> None:
    lines = log.read_text(encoding="utf-8").splitlines()
    head = json.loads(lines[0])
    for key, value in changes.items():
        if value is None:
            head.pop(key, None)
        else:
            head[key] = value
    log.write_text("\n".join([json.dumps(head), *lines[1:]]) + "\n", encoding="utf-8")


def refused(args: list[str]) -> str:
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 2, done.output
    assert "Traceback" not in done.output
    return done.stderr


def report_and_replay_refuse(log: Path, tmp_path: Path) -> tuple[str, str]:
    out = tmp_path / "aar.html"
    report = refused(["report", str(log), "-o", str(out)])
    assert not out.exists()
    replay = refused(["drill", "--replay", str(log)])
    return report, replay


def test_a_header_without_its_scenario(log: Path, tmp_path: Path) -> None:
    edit_header(log, scenario="", scenario_relative=None, scenario_digest=None)
    report, replay = report_and_replay_refuse(log, tmp_path)
    said = (
        f"{log}:1: scenario: missing (exercise record): the scenario file the exercise ran, "
        "which a replay and a report need\n"
    )
    # before: the report had no scenario (no names, no plans: "not activated")
    assert report == replay == said
    with pytest.raises(LoadError) as caught:
        load_source(log)
    assert [(p.file, p.line, p.path) for p in caught.value.problems] == [(str(log), 1, "scenario")]


def test_a_scenario_that_cannot_be_found(log: Path, tmp_path: Path) -> None:
    edit_header(log, scenario="gone.yaml", scenario_relative="gone.yaml", scenario_digest="0" * 64)
    report, replay = report_and_replay_refuse(log, tmp_path)
    found = f"{log}:1: scenario: the scenario it was made from ('gone.yaml') was not found"
    # before: the replay said only "gone.yaml: file not found", not which log named it
    assert report.startswith(found) and report.endswith("give it with --scenario FILE\n")
    assert replay.startswith(found)
    assert replay.endswith("give it with SCENARIO (cmdsim drill SCENARIO --replay LOG)\n")


def test_a_log_of_its_header_only_does_not_replay_as_the_plans_run(
    log: Path, tmp_path: Path
) -> None:
    log.write_text(log.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    report, replay = report_and_replay_refuse(log, tmp_path)
    assert (
        report == f"{log}:1: no events (the exercise log has no event record); nothing to report\n"
    )
    # before: exit 0 and the plan's run, as if it were the exercise
    assert replay.startswith(f"{log}:1: the exercise log holds only its header: no inject,")
    with pytest.raises(LoadError, match="holds only its header"):
        replay_exercise(log)


def test_a_hand_edited_inject_record_is_located_in_the_report_too(
    log: Path, tmp_path: Path
) -> None:
    lines = log.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines) if '"type":"inject"' in line)
    record = json.loads(lines[number])
    record["inject"]["town"] = "town_z"
    lines[number] = json.dumps(record)
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report, replay = report_and_replay_refuse(log, tmp_path)
    said = f"{log}:{number + 1}: inject.town: the inject 'extra': unknown town 'town_z'"
    assert report.startswith(said) and replay.startswith(said)


@pytest.mark.parametrize("text", ["", "\n \n"])
def test_an_empty_event_log_reads_the_same_given_as_a_file_or_its_directory(
    run_dir: Path, text: str
) -> None:
    events = run_dir / "events.jsonl"
    events.write_text(text, encoding="utf-8")
    said = f"{events}:1: no events (the file holds no record); nothing to report\n"
    assert refused(["report", str(run_dir)]) == said
    assert refused(["report", str(events)]) == said
