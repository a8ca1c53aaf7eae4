"""The drill driver on a stand-in engine: decisions, injects, criteria, log, replay."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmdsim.exercise.drill import Decision, Exercise, ExerciseSpec, read_log, spec_from_log
from cmdsim.exercise.msel import msel_from_data
from cmdsim.model import Level

from . import fake

MSEL = {
    "injects": [
        {
            "id": "m1",
            "time": "+00:05",
            "from": "Weather",
            "to": "区总值班室",
            "message": "Red rain",
        },
        {
            "id": "m2",
            "time": 60,
            "from": "Town",
            "to": "区总值班室",
            "message": "Garage flooded",
            "hazard": "flood",
            "town": "t1",
        },
    ],
    "criteria": [
        {
            "id": "flood_iii",
            "text": "Flood HQ at level III within 45 min of m1",
            "after": {"inject": "m1"},
            "expect": {"kind": "hq_activated", "actor": "flood_hq", "details": {"level": ">=III"}},
            "within": 45,
        },
    ],
}


def make(play: tuple[str, ...] = ("duty-room",)) -> Exercise:
    spec = ExerciseSpec(
        scenario_path="fake.yaml",
        scenario_id="fake_flood",
        seed=3,
        play=play,
        msel=msel_from_data(MSEL),
    )
    return Exercise(fake.scenario(), spec, fake.runner)


def test_unplayed_roles_follow_the_plan() -> None:
    ex = make(play=())
    ex.project()
    assert ex.pending is None
    kinds = [(e["kind"], e["incident"]) for e in ex.events if e["kind"] == "level_decided"]
    assert kinds == [("level_decided", "flood"), ("level_decided", "m2")]
    assert [v.status.value for v in ex.verdicts(ex.end, final=True)] == ["met"]


def test_pending_point_and_human_decision() -> None:
    ex = make()
    ex.project()
    assert ex.pending is not None
    assert (ex.pending.key, ex.pending.level) == ("duty-room:flood:1", Level.III)
    assert max(e["time"] for e in ex.events) <= ex.pending.time
    ex.decide(ex.pending, Decision(Level.IV, ("flood_hq",)))
    ex.project()
    assert ex.pending is not None and ex.pending.key == "duty-room:m2:1"
    ex.project(lambda p: None, by="plan")
    act = [e for e in ex.events if e["kind"] == "hq_activated" and e["incident"] == "flood"]
    assert [(e["actor"], e["details"]["level"]) for e in act] == [("flood_hq", "IV")]
    verdict = ex.verdicts(ex.end, final=True)[0]
    assert verdict.status.value == "missed"


def test_log_replays_byte_for_byte(tmp_path: Path) -> None:
    ex = make()
    ex.run_scripted(lambda p: Decision(Level.II, ("flood_hq", "general_hq")))
    text = ex.log_text()
    log = tmp_path / "ex.jsonl"
    log.write_text(text, encoding="utf-8")
    spec = spec_from_log(read_log(log))
    again = Exercise(fake.scenario(), spec, fake.runner)
    again.project(lambda p: None, by="plan")
    assert again.log_text() == text


def test_console_steps_decides_and_adds_injects(tmp_path: Path) -> None:
    ex = make()
    text = fake.run_console(
        ex,
        [
            "n",
            "s 5",
            "c",
            "I",
            "flood_hq",
            "i 10 Power cut at the pumping station",
            "k",
            "c",
            "",
            "",
            "q",
        ],
    )
    assert "DECISION duty-room for flood" in text
    assert "recorded: level I; activate flood_hq" in text
    assert "inject facilitator_1" in text
    assert "Evaluation criteria" in text
    keys = {k: (d.level, by) for k, (_t, d, by) in ex.spec.decisions.items()}
    assert keys["duty-room:flood:1"] == (Level.I, "human")
    assert keys["duty-room:m2:1"] == (Level.IV, "human")
    assert [i.message for i in ex.spec.added] == ["Power cut at the pumping station"]
    # the console's exercise replays exactly too
    log = tmp_path / "console.jsonl"
    log.write_text(ex.log_text(), encoding="utf-8")
    again = Exercise(fake.scenario(), spec_from_log(read_log(log)), fake.runner)
    again.project(lambda p: None, by="plan")
    assert again.log_text() == log.read_text(encoding="utf-8")


def test_report_from_exercise_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cmdsim.report import load_source

    # The report replays the log for its metrics: on the runner that made it
    # (the engine's decision points are not the stand-in's, and a decision
    # answering no point of the replay is an error).
    monkeypatch.setattr("cmdsim.exercise.run.default_runner", lambda: fake.runner)
    ex = make()
    ex.run_scripted(lambda p: Decision(Level.IV, ("flood_hq",)))
    log = tmp_path / "ex.jsonl"
    log.write_text(ex.log_text(), encoding="utf-8")
    report = load_source(log, scenario=fake.scenario())
    assert report["kind"] == "exercise"
    assert [c["status"] for c in report["criteria"]] == ["missed"]
    assert any(i["id"] == "criterion:flood_iii" for i in report["improvements"])
    first = report["decisions"][0]
    assert (first["incident"], first["level"], first["activate"], first["by"]) == (
        "flood",
        "IV",
        ["flood_hq"],
        "script",
    )
    coverage = report["coverage"]
    assert coverage["columns"] == ["I", "II", "III", "IV"]
    assert coverage["rows"] == ["flood"]
    # flood_plan governs at I and II too, with III's response (a level
    # includes the lower ones'): its lead leads there, no gap.
    assert coverage["cells"] == [["flood_hq"] * 4]
    assert coverage["no_response"] == [[None] * 4]
    assert [f["code"] for f in report["findings"]] == []


def test_console_saves_after_each_decision_and_survives_ctrl_c(tmp_path: Path) -> None:
    """A drill whose terminal dies keeps its log to the last decision; Ctrl-C at
    the prompt ends the drill like ``q``; a bad ``p`` argument is a message."""
    import io

    from rich.console import Console

    from cmdsim.exercise.console import DrillConsole

    ex = make()
    saved: list[str] = []
    typed = iter(["p fast", "c", "I", "flood_hq", "i 10 Power cut"])

    def read(_prompt: str) -> str:
        answer = next(typed, None)
        if answer is None:
            raise KeyboardInterrupt
        return answer

    out = io.StringIO()
    console = Console(file=out, width=120, color_system=None)
    DrillConsole(ex, console, read, save=lambda: saved.append(ex.log_text())).run()
    text = out.getvalue()
    assert "usage: p [MINUTES PER SECOND]" in text
    assert "Evaluation criteria" in text  # the drill ended and showed its verdicts
    # saved after the decision, after the inject, and at the end
    assert len(saved) == 3
    assert '"key":"duty-room:flood:1"' in saved[0] and "Power cut" not in saved[0]
    assert "Power cut" in saved[1]
    assert saved[-1] == ex.log_text()


def test_console_filter_shows_only_key_events() -> None:
    """``f`` hides reports received, merged and forwarded; milestones stay."""
    import re

    from cmdsim.exercise.console import KEY_EVENTS

    def kinds(text: str) -> list[str]:
        # event lines: "22:15  actor [incident]  kind  details" (00:10 +1d past midnight)
        rows = [re.split(r"\s{2,}", line.strip()) for line in text.splitlines()]
        return [
            row[2] for row in rows if len(row) >= 3 and re.fullmatch(r"\d\d:\d\d( \+\d+d)?", row[0])
        ]

    from cmdsim.exercise.run import open_exercise

    def gas() -> Exercise:  # the real engine: reports received, merged, posts filled
        return open_exercise("scenarios/gas.yaml", "scenarios/msel/gas.yaml", [], 1)

    answers = ["c", "q"]
    everything = kinds(fake.run_console(gas(), answers))
    filtered_text = fake.run_console(gas(), ["f", *answers])
    filtered = kinds(filtered_text)
    assert "showing key events only" in filtered_text
    assert filtered and set(filtered) <= KEY_EVENTS
    assert set(everything) - KEY_EVENTS, "the stand-in run has no minor events to hide"
    assert [k for k in everything if k in KEY_EVENTS] == filtered


def test_console_events_show_clock_times_as_run_does() -> None:
    """An event line shows the time of day ``cmdsim run``'s timeline shows
    (:func:`cmdsim.sim.timeline.clock`), not minutes: the stand-in starts at
    22:00, so minute 30 is 22:30 and minute 135 is 00:15 the next day."""
    import io

    from rich.console import Console

    from cmdsim.exercise.console import DrillConsole

    buffer = io.StringIO()
    console = DrillConsole(make(), Console(file=buffer, width=120, color_system=None), input)
    for time in (30.0, 135.0):
        console.show_event(
            {"time": time, "actor": "district_duty_room", "kind": "aware", "incident": "flood"}
        )
    assert buffer.getvalue().splitlines() == [
        "22:30  district_duty_room [flood]  aware  ",
        "00:15 +1d  district_duty_room [flood]  aware  ",
    ]
