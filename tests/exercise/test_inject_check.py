"""An inject added while an exercise runs (the console's ``i``, a script's,
the Python API's) is checked field by field before anything changes: a bad
one is an :class:`InjectError` naming the inject and the field, located at
its file and line when it came from one; a replayed log's ``inject`` records
are checked the same way, at their lines."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from rich.console import Console

from cmdsim.cli import main
from cmdsim.errors import LoadError
from cmdsim.exercise.console import DrillConsole, Quit
from cmdsim.exercise.drill import InjectError
from cmdsim.exercise.msel import msel_from_data
from cmdsim.exercise.run import replay_exercise, scripted_exercise
from cmdsim.io import dump
from cmdsim.model import Channel, Inject

from . import fake
from .test_drill_driver import make


def inject(**fields: Any) -> Inject:
    values: dict[str, Any] = {"id": "x", "at": 30.0, "message": "Levee seepage"}
    return Inject(**{**values, **fields})


@pytest.mark.parametrize(
    ("fields", "now", "field", "words"),
    [
        ({"id": "m1"}, 0.0, "id", "an inject with this id already exists"),
        ({"message": " "}, 0.0, "message", "the inject 'x' needs a message"),
        ({"at": 20.0}, 25.0, "at", "at 20 min is before the exercise clock (25 min)"),
        ({"at": 180.0}, 0.0, "at", "at 180 min is when the exercise ends (horizon 180 min)"),
        ({"at": 999.0}, 0.0, "at", "after the exercise ends"),
        ({"hazard": "volcano"}, 0.0, "hazard", "unknown hazard 'volcano' (known: flood)"),
        ({"hazard": "flood", "town": "t9"}, 0.0, "town", "unknown town 't9' (known: t1)"),
        ({"channel": "fax"}, 0.0, "channel", "unknown channel 'fax' (the district has none)"),
        ({"figures": {"deaths": 2}}, 0.0, "figures", "figures on an inject that names no hazard"),
        (
            {"hazard": "flood", "town": "t1", "to": "Ministry"},
            0.0,
            "to",
            "unknown duty room, command, unit or town 'Ministry'",
        ),
    ],
)
def test_a_bad_added_inject_names_its_field_and_changes_nothing(
    fields: dict[str, Any], now: float, field: str, words: str
) -> None:
    ex = make()
    spec = ex.spec
    with pytest.raises(InjectError) as caught:
        ex.add_inject(inject(**fields), now=now)
    assert caught.value.field == field
    assert words in str(caught.value)
    assert caught.value.inject == fields.get("id", "x")
    assert ex.spec is spec


def test_a_good_added_inject_is_delivered() -> None:
    ex = make()
    ex.add_inject(inject(hazard="flood", town="t1", to="t1", figures={"deaths": 2}), now=10)
    ex.project(lambda _point: None, by="plan")
    fired = [e for e in ex.events if e["kind"] == "inject" and e["details"]["inject"] == "x"]
    assert [(e["time"], e["details"]["to"]) for e in fired] == [(30.0, "t1")]


def test_every_bad_field_is_named_once() -> None:
    ex = make()
    with pytest.raises(InjectError) as caught:
        ex.add_inject(inject(id="m2", message="", at=500.0, hazard="volcano"))
    assert caught.value.fields == ("id", "message", "at", "hazard")


def test_firing_unknown_or_at_the_end_is_an_inject_error() -> None:
    ex = make()
    with pytest.raises(InjectError) as unknown:
        ex.fire("nope", 10)
    assert (unknown.value.field, str(unknown.value)) == ("id", "id: no inject 'nope'")
    with pytest.raises(InjectError) as fired:
        ex.fire("m2", 60.0)
    assert (fired.value.field, str(fired.value)) == (
        "id",
        "id: the inject 'm2' has fired already (at 60 min)",
    )
    # an MSEL inject after the end (the Python API does not refuse one, as
    # open_exercise does) fired with the clock at the end: never delivered
    late = msel_from_data(
        {"injects": [{"id": "m9", "time": 200, "from": "F", "to": "x", "message": "late"}]}
    )
    ex.spec = attrs.evolve(ex.spec, msel=late)
    with pytest.raises(InjectError) as end:
        ex.fire("m9", 180.0)
    assert end.value.field == "at" and "when the exercise ends" in str(end.value)
    assert ex.spec.added == ()
    assert ex.fire("m9", 40.0).at == 40.0


# -- a script's injects: located at the file, line and field -----------------


@pytest.fixture
def drill_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    monkeypatch.setattr("cmdsim.exercise.run.default_runner", lambda: fake.runner)
    scenario = tmp_path / "fake.yaml"
    scenario.write_text(dump(fake.scenario()), encoding="utf-8")
    msel = tmp_path / "msel.yaml"
    msel.write_text(
        "injects:\n  - {id: m1, time: 5, from: Weather, to: 区总值班室, message: Red rain}\n",
        encoding="utf-8",
    )
    return {"scenario": scenario, "msel": msel, "dir": tmp_path}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "{id: m1, time: 30, from: F, to: x, message: again}",
            "injects[1].id: the inject 'm1': an inject with this id already exists",
        ),
        (
            "{id: late, time: 200, from: F, to: x, message: hi}",
            "injects[1].at: the inject 'late' at 200 min is after the exercise ends "
            "(horizon 180 min): it would never be delivered",
        ),
        (
            "{id: r, time: 30, from: F, to: Ministry, message: hi, hazard: flood, town: t1}",
            "injects[1].to: the inject 'r': unknown duty room, command, unit or town 'Ministry'",
        ),
    ],
)
def test_a_scripts_bad_inject_is_located_at_its_line_and_field(
    drill_files: dict[str, Path], entry: str, message: str
) -> None:
    script = drill_files["dir"] / "script.yaml"
    script.write_text(
        "decisions: []\ninjects:\n"
        "  - {id: fine, time: 10, from: F, to: x, message: ok}\n"
        f"  - {entry}\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        scripted_exercise(drill_files["scenario"], drill_files["msel"], ["duty-room"], script, 1)
    assert len(caught.value.problems) == 1
    assert str(caught.value.problems[0]).startswith(f"{script}:4: {message}")


def test_a_scripts_method_names_a_channel_as_an_msels_does(
    drill_files: dict[str, Path],
) -> None:
    with_channel = attrs.evolve(
        fake.scenario(),
        district=attrs.evolve(
            fake.scenario().district,
            channels=(Channel(id="hotline_12345"),),
        ),
    )
    drill_files["scenario"].write_text(dump(with_channel), encoding="utf-8")
    script = drill_files["dir"] / "script.yaml"
    script.write_text(
        "injects:\n  - {id: call, time: 10, from: R, to: x, message: smoke, method: hotline}\n",
        encoding="utf-8",
    )
    ex = scripted_exercise(drill_files["scenario"], None, ["duty-room"], script, 1)
    assert [(i.id, i.channel) for i in ex.spec.added] == [("call", "hotline_12345")]


# -- the console ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("i -5 Power cut", "minutes: -5 is not 0 or more minutes from now"),
        ("i 5", "message: the inject 'facilitator_1' needs a message"),
        ("i 500 Power cut", "minutes: the inject 'facilitator_1' at 500 min is after the"),
        ("p 0", "usage: p [MINUTES PER SECOND] (more than 0)"),
        ("p -2", "usage: p [MINUTES PER SECOND] (more than 0)"),
        ("s -3", "usage: s MINUTES (more than 0)"),
        ("+0", "usage: s MINUTES (more than 0)"),
    ],
)
def test_the_console_says_what_is_wrong_and_saves_nothing(typed: str, said: str) -> None:
    ex = make(play=())
    saved: list[str] = []
    typed_lines = iter([typed])

    def read(_prompt: str) -> str:
        line = next(typed_lines, None)
        if line is None:
            raise EOFError
        return line

    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    drill = DrillConsole(ex, console, read, save=lambda: saved.append("saved"))
    ex.project()
    with pytest.raises(Quit):  # the end of input, after the one command
        drill.loop()
    assert said in out.getvalue()
    assert ex.spec.added == () and saved == []
    assert drill.now == 0.0


def test_a_console_inject_takes_a_number_nobody_has() -> None:
    ex = make(play=())
    ex.add_inject(inject(id="facilitator_1"))
    out = io.StringIO()
    drill = DrillConsole(ex, Console(file=out, width=200, color_system=None), input)
    drill.add_inject("5 Power cut")
    assert [i.id for i in ex.spec.added] == ["facilitator_1", "facilitator_2"]


# -- a replayed log ---------------------------------------------------------


def _log(drill_files: dict[str, Path]) -> Path:
    script = drill_files["dir"] / "script.yaml"
    script.write_text(
        "injects:\n  - {id: extra, time: 30, from: F, to: district_duty_room, message: Cut}\n",
        encoding="utf-8",
    )
    log = drill_files["dir"] / "drill.jsonl"
    args = [
        "drill",
        str(drill_files["scenario"]),
        "--msel",
        str(drill_files["msel"]),
        "--play",
        "duty-room",
        "--script",
        str(script),
        "--log",
        str(log),
    ]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    return log


def test_a_hand_edited_inject_record_is_an_error_at_its_line(
    drill_files: dict[str, Path],
) -> None:
    log = _log(drill_files)
    lines = log.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines) if '"type":"inject"' in line)
    record = json.loads(lines[number])
    record["inject"]["hazard"] = "volcano"
    lines[number] = json.dumps(record)
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = CliRunner().invoke(main, ["drill", "--replay", str(log)])
    assert done.exit_code == 2
    assert done.stderr == (
        f"{log}:{number + 1}: inject.hazard: the inject 'extra': unknown hazard 'volcano' "
        "(known: flood)\n"
    )
    del record["inject"]["id"]
    record["inject"]["at"] = -5
    lines[number] = json.dumps(record)
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = CliRunner().invoke(main, ["drill", "--replay", str(log)])
    assert done.exit_code == 2 and "Traceback" not in done.output
    assert done.stderr.splitlines() == [
        f"{log}:{number + 1}: inject.id: missing (inject record)",
        f"{log}:{number + 1}: inject.at: -5 is not 0 or more minutes",
    ]


def test_replay_finds_the_scenario_from_the_logs_own_folder(
    drill_files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header's ``scenario`` is the path as given from where the drill
    ran; ``scenario_relative`` the path from the log.  A replay read only
    the first, so a log replayed from elsewhere failed where its report
    (and ``cmdsim serve --resume``) found the scenario."""
    monkeypatch.chdir(tmp_path)
    drill_files["scenario"] = Path("fake.yaml")  # relative, as typed
    log = _log(drill_files)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    head = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    assert (head["scenario"], head["scenario_relative"]) == ("fake.yaml", "fake.yaml")
    assert replay_exercise(log).base.id == "fake_flood"
