"""A replay compares its events with those its log recorded.

On the stand-in engine of :mod:`tests.exercise.fake` (seed 1: awareness 8
minutes after the onset, which is at 22:10, so the duty room decides at
22:23, the HQs are notified at 22:24 and the flood HQ is at work at 22:48),
the times below are worked out by hand.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from cmdsim.cli import main
from cmdsim.errors import LoadError, Problem
from cmdsim.exercise.divergence import log_divergences
from cmdsim.exercise.run import replay_exercise
from cmdsim.io import dump

from . import fake

START = dt.datetime(2024, 9, 14, 22, 0)


@pytest.fixture
def logged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scripted drill's log on the stand-in engine: the duty room decides
    level II and the flood HQ for the flood."""
    monkeypatch.setattr("cmdsim.exercise.run.default_runner", lambda: fake.runner)
    scenario = tmp_path / "fake.yaml"
    # a name of its own: no other test's copy near the log has its digest
    unique = attrs.evolve(fake.scenario(), name=f"fake {tmp_path.name}")
    scenario.write_text(dump(unique), encoding="utf-8")
    script = tmp_path / "script.yaml"
    script.write_text(
        "decisions:\n  - {incident: flood, level: II, activate: [flood_hq]}\n", encoding="utf-8"
    )
    log = tmp_path / "drill.jsonl"
    args = ["drill", str(scenario), "--play", "duty-room", "--script", str(script)]
    done = CliRunner().invoke(main, [*args, "--log", str(log)])
    assert done.exit_code == 0, done.output
    return log


def _lines(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def _line_of(log: Path, kind: str, actor: str | None = None) -> int:
    for number, record in enumerate(_lines(log), start=1):
        event = record.get("event") or {}
        if event.get("kind") == kind and actor in (None, event.get("actor")):
            return number
    raise AssertionError(f"no {kind} event in {log}")


def _edit(log: Path, line: int, old: str, new: str) -> None:
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    log.write_text("".join(lines), encoding="utf-8")


def test_the_logged_timeline_is_the_hand_checked_one(logged: Path) -> None:
    events = [r["event"] for r in _lines(logged) if r["type"] == "event"]
    shown = [(e["time"], e["kind"], e["actor"]) for e in events if e["kind"] != "decision"]
    assert shown == [
        (10.0, "onset", "flood"),
        (18.0, "aware", "district_duty_room"),
        (23.0, "level_decided", "district_duty_room"),
        (24.0, "hq_notified", "flood_hq"),
        (48.0, "hq_activated", "flood_hq"),
    ]


def test_an_identical_replay_passes_without_a_word(logged: Path) -> None:
    again = logged.parent / "again.jsonl"
    done = CliRunner().invoke(main, ["drill", "--replay", str(logged), "--log", str(again)])
    assert done.exit_code == 0, done.output
    assert "warning" not in done.output
    assert again.read_bytes() == logged.read_bytes()


def test_a_log_edited_to_diverge_stops_at_its_line(logged: Path) -> None:
    line = _line_of(logged, "level_decided")
    _edit(logged, line, '"level":"II"', '"level":"III"')
    done = CliRunner().invoke(main, ["drill", "--replay", str(logged)])
    assert done.exit_code == 2
    assert done.output.splitlines() == [
        f"{logged}:{line}: event.details.level: level_decided district_duty_room flood "
        "level III at 22:23 logged, replay gives level II at 22:23",
        f"{logged}: the replay diverges from the log at line {line} (1 difference in all): "
        "the engine (cmdsim) has changed since the log was written, or the log was edited; "
        "to take the exercise as it runs now: cmdsim drill --replay LOG --accept-changes "
        "--log NEW",
    ]


def test_accept_changes_takes_the_replay_and_lists_what_moved(logged: Path) -> None:
    original = logged.read_bytes()
    line = _line_of(logged, "hq_activated")
    _edit(logged, line, '"time":48.0', '"time":47.5')
    again = logged.parent / "again.jsonl"
    args = ["drill", "--replay", str(logged), "--accept-changes", "--log", str(again)]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    assert (
        f"warning: {logged}: the replay differs from the log in 1 place (the engine (cmdsim) "
        "has changed since the log was written, or the log was edited); accepted: the replay "
        "stands\n"
        f"warning: {logged}:{line}: event.time: hq_activated flood_hq flood at 22:47 "
        "logged, replay gives it at 22:48\n"
    ) in done.output
    assert again.read_bytes() == original  # the replay as it runs now


def test_accept_changes_without_replay_is_refused(logged: Path) -> None:
    done = CliRunner().invoke(main, ["drill", "--accept-changes", "--play", "duty-room"])
    assert done.exit_code == 2
    assert "--accept-changes is an option of --replay" in done.output


def _later_hq(scn: Any, seed: int, policy: Any) -> list[dict[str, Any]]:
    """The stand-in engine changed: the flood HQ is at work 5 minutes later."""
    events = fake.runner(scn, seed, policy)
    for event in events:
        if event["kind"] == "hq_activated":
            event["time"] += 5
    return events


def test_a_changed_engine_is_found_at_the_first_event_it_moves(
    logged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cmdsim.exercise.run.default_runner", lambda: _later_hq)
    line = _line_of(logged, "hq_activated")
    done = CliRunner().invoke(main, ["drill", "--replay", str(logged)])
    assert done.exit_code == 2
    assert done.output.splitlines()[0] == (
        f"{logged}:{line}: event.time: hq_activated flood_hq flood at 22:48 logged, "
        "replay gives it at 22:53"
    )
    # the report re-simulates the log for its metrics: the same stop
    report = CliRunner().invoke(main, ["report", str(logged), "--format", "json"])
    assert report.exit_code == 2
    assert report.output.splitlines()[0] == done.output.splitlines()[0]


def test_the_python_api_raises_or_hands_over_the_differences(
    logged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cmdsim.exercise.run.default_runner", lambda: _later_hq)
    with pytest.raises(LoadError) as raised:
        replay_exercise(logged)
    first = raised.value.problems[0]
    assert (first.file, first.line, first.path) == (
        str(logged),
        _line_of(logged, "hq_activated"),
        "event.time",
    )
    said: list[Problem] = []
    exercise = replay_exercise(logged, accept_changes=True, warn=said.append)
    assert [p.path for p in said] == ["", "event.time"]
    assert [e["time"] for e in exercise.events if e["kind"] == "hq_activated"] == [53.0]


def test_a_scenario_edited_after_logging_diverges_at_its_first_moved_event(
    logged: Path,
) -> None:
    scenario = logged.parent / "fake.yaml"
    text = scenario.read_text(encoding="utf-8")
    assert "2024-09-14T22:10:00" in text
    scenario.write_text(text.replace("2024-09-14T22:10:00", "2024-09-14T22:20:00"), "utf-8")
    done = CliRunner().invoke(main, ["drill", "--replay", str(logged)])
    assert done.exit_code == 2
    line = _line_of(logged, "onset")
    first, why = done.output.splitlines()
    assert first == (
        f"{logged}:{line}: event.time: onset flood at 22:10 logged, replay gives it at 22:20"
    )
    # every event but the logged decision moves, some out of order: the count
    # is difflib's, the cause the digest's
    assert why.startswith(f"{logged}: the replay diverges from the log at line {line} (")
    assert why.endswith(
        " differences in all): the scenario's content is not the one logged (its digest "
        "differs); to take the exercise as it runs now: cmdsim drill --replay LOG "
        "--accept-changes --log NEW"
    )


def test_a_scenario_edited_without_changing_the_events_is_said_once(logged: Path) -> None:
    scenario = logged.parent / "fake.yaml"
    text = scenario.read_text(encoding="utf-8")
    scenario.write_text(text.replace("name: fake", "name: renamed fake"), "utf-8")
    assert scenario.read_text(encoding="utf-8") != text
    done = CliRunner().invoke(main, ["drill", "--replay", str(logged)])
    assert done.exit_code == 0, done.output
    note = (
        f"warning: {logged}:1: scenario: the scenario's content is not the one logged "
        "(its digest differs), but the replay gives the logged events"
    )
    assert done.output.count("warning") == 1 and note in done.output


# -- the comparison itself -----------------------------------------------------


def _event(time: float, kind: str = "aware", level: str | None = None) -> dict[str, Any]:
    details = {"level": level} if level else {}
    return {"time": time, "actor": "room", "kind": kind, "incident": "i", "details": details}


def _records(events: list[dict[str, Any]], end: bool = True) -> list[dict[str, Any]]:
    head: dict[str, Any] = {"type": "exercise"}
    tail = [{"type": "end", "time": 600.0, "verdicts": []}] if end else []
    return [head, *({"type": "event", "event": e} for e in events), *tail]


def test_a_missing_and_an_extra_event_are_located() -> None:
    events = [_event(1), _event(2, "level_decided", "IV"), _event(3)]
    missing = log_divergences(_records(events), _records([events[0], events[2]]), START, "l")
    assert [str(p) for p in missing] == [
        "l:3: event: level_decided room i level IV at 22:02 logged, the replay does not give it"
    ]
    extra = log_divergences(_records([events[0], events[2]]), _records(events), START, "l")
    assert [str(p) for p in extra] == [
        "l:3: event: the replay gives level_decided room i level IV at 22:02, which the log "
        "does not have (before this line)"
    ]


def test_times_after_midnight_say_the_day() -> None:
    # a night drill from 22:00: 150 minutes on is 00:30 the next day
    old, new = _event(150, "level_decided", "III"), _event(150, "level_decided", "II")
    found = log_divergences(_records([old]), _records([new]), START, "l")
    assert [str(p) for p in found] == [
        "l:2: event.details.level: level_decided room i level III at 00:30 +1d logged, "
        "replay gives level II at 00:30 +1d"
    ]


def test_a_log_without_events_is_not_compared() -> None:
    # a served exercise not yet ended: its journal holds no event
    assert log_divergences(_records([]), _records([_event(1)]), START, "l") == []


def test_a_log_saved_before_the_end_is_the_start_of_the_replay() -> None:
    # the console's log while the drill goes on: no end record, the run so far
    events = [_event(1), _event(2, "level_decided", "IV"), _event(3)]
    assert log_divergences(_records(events[:2], end=False), _records(events), START, "l") == []
    wrong = [events[0], _event(2, "level_decided", "III")]
    found = log_divergences(_records(wrong, end=False), _records(events), START, "l")
    assert [(p.line, p.path) for p in found] == [(3, "event.details.level")]


def test_verdicts_and_the_end_are_compared() -> None:
    end = {
        "type": "end",
        "time": 180.0,
        "verdicts": [{"criterion": "c", "status": "met", "at": 20}],
    }
    other = {"type": "end", "time": 200.0, "verdicts": [{"criterion": "c", "status": "missed"}]}
    records = [*_records([_event(1)], end=False), end]
    found = log_divergences(records, [*_records([_event(1)], end=False), other], START, "l")
    assert [str(p) for p in found] == [
        "l:3: end.time: the exercise ends at 180 min logged, replay ends at 200 min",
        "l:3: end.verdicts: criterion c met at 20 min logged, replay gives missed",
    ]


EVENTS = st.lists(
    st.builds(
        _event,
        st.integers(0, 600).map(float),
        st.sampled_from(["aware", "level_decided", "hq_notified"]),
        st.sampled_from([None, "I", "II", "III", "IV"]),
    ),
    max_size=30,
)


@given(EVENTS)
def test_a_log_and_its_own_events_never_diverge(events: list[dict[str, Any]]) -> None:
    assert log_divergences(_records(events), _records(events), START, "l") == []


@given(EVENTS, st.data())
def test_the_first_divergence_is_at_the_first_changed_event(
    events: list[dict[str, Any]], data: st.DataObject
) -> None:
    if not events:
        return
    index = data.draw(st.integers(0, len(events) - 1))
    changed = [dict(e) for e in events]
    changed[index] = {**changed[index], "time": changed[index]["time"] + 0.5}
    found = log_divergences(_records(events), _records(changed), START, "l")
    # one event moved is one difference, its time, at a line holding an
    # event equal to it (an equal twin may be the one aligned otherwise);
    # the header is line 1, event k line k + 2
    assert [p.path for p in found] == ["event.time"]
    line = found[0].line
    assert line is not None and events[line - 2] == events[index]


def test_resuming_an_ended_log_on_a_changed_engine_stops(logged: Path) -> None:
    from cmdsim.serve.server import open_session

    with pytest.raises(LoadError) as raised:
        open_session(log=logged, resume=True, runner=_later_hq)
    first = raised.value.problems[0]
    assert (first.line, first.path) == (_line_of(logged, "hq_activated"), "event.time")
    assert open_session(log=logged, resume=True, runner=fake.runner).ended


def test_a_replay_from_another_folder_writes_the_same_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The header records the scenario's path as given (from the folder the
    # drill ran in) and from the log's folder; a replay run from elsewhere
    # made the latter from the working directory: "../elsewhere/fake.yaml",
    # a file that is not there, and a log that was not the same.
    monkeypatch.setattr("cmdsim.exercise.run.default_runner", lambda: fake.runner)
    unique = attrs.evolve(fake.scenario(), name=f"fake {tmp_path.name}")
    (tmp_path / "fake.yaml").write_text(dump(unique), encoding="utf-8")
    (tmp_path / "logs").mkdir()
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path)
    args = ["drill", "fake.yaml", "--play", "duty-room", "--log", "logs/drill.jsonl"]
    script = tmp_path / "script.yaml"
    script.write_text("decisions:\n  - {level: II}\n", encoding="utf-8")
    assert CliRunner().invoke(main, [*args, "--script", str(script)]).exit_code == 0
    assert _lines(tmp_path / "logs" / "drill.jsonl")[0]["scenario_relative"] == "../fake.yaml"
    monkeypatch.chdir(tmp_path / "elsewhere")
    again = ["drill", "--replay", "../logs/drill.jsonl", "--log", "../logs/again.jsonl"]
    done = CliRunner().invoke(main, again)
    assert done.exit_code == 0, done.output
    logs = tmp_path / "logs"
    assert (logs / "again.jsonl").read_bytes() == (logs / "drill.jsonl").read_bytes()


def test_a_log_another_version_wrote_says_the_versions(logged: Path) -> None:
    from cmdsim.version import cmdsim_version

    assert _lines(logged)[0]["cmdsim"] == cmdsim_version()
    _edit(logged, 1, f'"cmdsim":"{cmdsim_version()}"', '"cmdsim":"0.0.1"')
    # the same events: said once, and the replay stands
    done = CliRunner().invoke(main, ["drill", "--replay", str(logged)])
    assert done.exit_code == 0, done.output
    assert done.output.count("warning") == 1
    assert (
        f"warning: {logged}:1: cmdsim: the log was written by cmdsim 0.0.1, this is cmdsim "
        f"{cmdsim_version()}, but the replay gives the logged events"
    ) in done.output
    # other events: the versions are the cause given
    _edit(logged, _line_of(logged, "level_decided"), '"level":"II"', '"level":"III"')
    done = CliRunner().invoke(main, ["drill", "--replay", str(logged)])
    assert done.exit_code == 2
    assert (
        f"(1 difference in all): the log was written by cmdsim 0.0.1, this is cmdsim "
        f"{cmdsim_version()}; to take"
    ) in done.output


def test_a_console_log_whose_terminal_died_replays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two decision points (the flood at minute 23, the inject's at 113): the
    # console saves after the first, then its terminal dies.  The log holds
    # the run up to 113 and no end record; its replay (the plan's rule at
    # 113) gives those events first, and goes on to the end.
    monkeypatch.setattr("cmdsim.exercise.run.default_runner", lambda: fake.runner)
    unique = attrs.evolve(fake.scenario(), name=f"fake {tmp_path.name}")
    scenario = tmp_path / "fake.yaml"
    scenario.write_text(dump(unique), encoding="utf-8")
    msel = tmp_path / "msel.yaml"
    msel.write_text(
        "injects:\n  - {id: levee, time: 100, from: Town, to: district_duty_room,\n"
        "     message: Levee breach, hazard: flood, town: t1}\n",
        encoding="utf-8",
    )
    from cmdsim.cli._common import console

    typed = iter(["c", "II", "flood_hq"])

    def read(_prompt: str) -> str:
        answer = next(typed, None)
        if answer is None:
            raise RuntimeError("the terminal died")
        return answer

    monkeypatch.setattr(console, "input", read)
    log = tmp_path / "drill.jsonl"
    args = ["drill", str(scenario), "--msel", str(msel), "--play", "duty-room"]
    died = CliRunner().invoke(main, [*args, "--log", str(log)])
    assert isinstance(died.exception, RuntimeError)
    saved = _lines(log)
    assert "end" not in [r["type"] for r in saved]
    assert max(r["event"]["time"] for r in saved if r["type"] == "event") < 113
    again = tmp_path / "again.jsonl"
    done = CliRunner().invoke(main, ["drill", "--replay", str(log), "--log", str(again)])
    assert done.exit_code == 0, done.output
    replayed = _lines(again)
    assert replayed[-1]["type"] == "end"
    events = [r for r in replayed if r["type"] == "event"]
    assert events[: len(saved) - 2] == [r for r in saved if r["type"] == "event"]
    assert [e["event"]["time"] for e in events if e["event"]["kind"] == "level_decided"] == [
        23.0,
        113.0,
    ]
