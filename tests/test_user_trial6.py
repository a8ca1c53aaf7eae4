"""User trial 6: a planner's slips in a night drill, and outputs that cannot
be written.

A small drill that starts at 23:30 (a district in its own file, an MSEL and
a scripted decision, Chinese names) is broken the way people break files,
one slip at a time: each is refused by ``validate`` or ``drill`` with one
located message (file and line first) and exit 2, never a traceback.  Its
run across midnight is checked by hand.  The defects this trial found (each
test says what went wrong before): an empty ``--script`` file played the
drill as if none were given; a ``--log`` that is a folder, or under a file,
was refused only after the exercise had been played; an output under a
file said "File exists".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cmdsim.cli import main

NIGHT = """\
# 夜间演练: a gas leak just before midnight (every delay fixed).
id: night
name: 夜间燃气泄漏 night gas leak
start: 2024-07-03T23:30:00
horizon: 300
district: {include: district.yaml}
incidents:
  - id: gas1
    name: 燃气泄漏 gas leak
    hazard: gas
    town: town_a
    onset: 2024-07-03T23:40:00
    timeline:
      - {at: 0, deaths: 0}
      - {at: 50, deaths: 3}
"""
DISTRICT = """\
id: tiny
hazards: [{id: flood}, {id: gas}]
units: [{id: water}]
commands:
  - {id: gas_hq, lead_unit: water, posts: [{id: commander, callout: 20}], factors: {}}
duty_room:
  id: district_duty_room
  staffing: {day: 1, night: 1, holiday: 1}
  triage: 5
  approval: 8
  factors: {}
towns: [{id: town_a, name: 川沙镇}]
channels: [{id: hotline, delay: 10, miss: 0}]
plans:
  - id: gas_plan
    hazards: [gas]
    lead: gas_hq
    triggers:
      - {level: IV, any_of: ["deaths >= 0"]}
      - {level: III, any_of: ["deaths >= 3"]}
    levels: {IV: {}, III: {}}
"""
MSEL = """\
name: 夜间演练 night drill
injects:
  - id: x1
    time: "00:05"
    from: 川沙镇 town
    to: district_duty_room
    message: 地下通道积水 water in the underpass
criteria:
  - id: c1
    text: decide within 30 minutes
    after: {inject: x1}
    expect: {kind: decision}
    within: 30
"""
SCRIPT = """\
decisions:
  - {incident: gas1, level: III, activate: [gas_hq]}
"""
FILES = {"night.yaml": NIGHT, "district.yaml": DISTRICT, "msel.yaml": MSEL, "script.yaml": SCRIPT}
DRILL = ("drill", "night.yaml", "--msel", "msel.yaml", "--script", "script.yaml")
PLAYED = ("--play", "duty-room")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _cli(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def test_a_night_run_across_midnight_hand_checked(tree: Path) -> None:
    # Onset 23:40; the hotline's report takes 10 min (23:50), triage 5 and
    # approval 8: level IV at 00:03 the next day; the HQ's commander comes
    # 20 min after the call (00:23).  Three dead at +50 (00:30): the lead's
    # reassessment 30 min after the decision (00:33) asks for III, approved
    # 8 min later (00:41).  Clock times past midnight say the day.
    result = _cli("run", "night.yaml")
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    for expected in (
        "23:50 [gas1] district_duty_room: aware channel=hotline",
        "00:03 +1d [gas1] district_duty_room: level_decided by=plan level=IV plan=gas_plan",
        "00:23 +1d gas_hq: hq_activated delay=20.0 staff=1",
        "00:41 +1d [gas1] district_duty_room: level_escalated by=plan level=III plan=gas_plan",
    ):
        assert expected in lines, expected


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert text.count(old) == 1, old
        return text.replace(old, new)

    return edit


def _doubled(line: str) -> Callable[[str], str]:
    return _replace(line, line + line)


SLIPS: dict[str, tuple[str, Callable[[str], str], str]] = {
    # slip: (file, edit, the first line of stderr starts with)
    "misspelled key": (
        "night.yaml",
        _replace("horizon:", "horizn:"),
        "night.yaml:5:1: unknown key 'horizn' (did you mean 'horizon'?)",
    ),
    "wrong indentation": (
        "night.yaml",
        _replace("    hazard: gas", "   hazard: gas"),
        # Before: "expected <block end>, but found '<block mapping start>'".
        "night.yaml:10:4: invalid YAML: this line is indented differently from the keys above "
        "it: the keys of one mapping start in the same column",
    ),
    "indented too far": (
        "night.yaml",
        _replace("    hazard: gas", "     hazard: gas"),
        # Before: "mapping values are not allowed here".
        "night.yaml:10:12: invalid YAML: a 'key: value' cannot stand here: the line is "
        "indented more than the keys above it, or a value holds ': ' (put that value in quotes)",
    ),
    "a list item out of line": (
        "night.yaml",
        _replace("      - {at: 50", "     - {at: 50"),
        "night.yaml:15:6: invalid YAML: this list item is indented differently from the items "
        "above it: the '-' of one list's items stand in the same column",
    ),
    "a key with no colon": (
        "night.yaml",
        _replace("horizon: 300", "horizon 300"),
        # Before: "night.yaml:6:1: invalid YAML: could not find expected ':'", the line below.
        "night.yaml:5:1: invalid YAML: this line has no ':' after its key: write 'key: value', "
        "with a space after the colon",
    ),
    "no space after the colon": (
        "night.yaml",
        _replace("hazard: gas", "hazard:gas"),
        "night.yaml:10:5: invalid YAML: this line has no ':' after its key",
    ),
    "MSEL: a key with no colon": (
        "msel.yaml",
        _replace("    from: 川沙镇", "    from 川沙镇"),
        "msel.yaml:5:5: invalid YAML: this line has no ':' after its key",
    ),
    "a tab": (
        "night.yaml",
        _replace("    hazard: gas", "\thazard: gas"),
        "night.yaml:10:1: invalid YAML: a tab in the indentation",
    ),
    "a town that does not exist": (
        "night.yaml",
        _replace("town: town_a", "town: town_b"),
        "night.yaml:11:5: incidents[0].town: unknown town 'town_b'",
    ),
    "hour 25": (
        "night.yaml",
        _replace("T23:30", "T25:30"),
        "night.yaml:4:8: start: cannot read value '2024-07-03T25:30:00': hour must be in 0..23",
    ),
    "3pm": (
        "night.yaml",
        _replace("2024-07-03T23:30:00", "3pm"),
        "night.yaml:4:8: start: expected a date and time",
    ),
    "negative horizon": (
        "night.yaml",
        _replace("horizon: 300", "horizon: -300"),
        "night.yaml:5:1: horizon: -300 minutes is negative",
    ),
    "duplicated key": (
        "night.yaml",
        _doubled("horizon: 300\n"),
        "night.yaml:6:1: duplicate key 'horizon' (first at line 5)",
    ),
    "empty file": ("night.yaml", lambda _: "", "night.yaml: file is empty"),
    "missing include": (
        "night.yaml",
        _replace("include: district.yaml", "include: distrct.yaml"),
        "night.yaml:6:21: district: cannot include 'distrct.yaml': file not found",
    ),
    "level V": (
        "district.yaml",
        _replace("{level: III,", "{level: V,"),
        "district.yaml:20:17: district.plans[0].triggers[1].level: 'V' is not one of",
    ),
    "negative duration": (
        "district.yaml",
        _replace("triage: 5", "triage: -5"),
        "district.yaml:9:11: district.duty_room.triage",
    ),
    "an HQ that does not exist": (
        "district.yaml",
        _replace("lead: gas_hq", "lead: gas_hqq"),
        "district.yaml:17:5: district.plans[0].lead: unknown command 'gas_hqq' (did you mean "
        "'gas_hq'?)",
    ),
    "MSEL: hour 25": (
        "msel.yaml",
        _replace('"00:05"', '"25:00"'),
        "msel.yaml:3: injects[0].at: '25:00' is not a time of day",
    ),
    "MSEL: 3pm": (
        "msel.yaml",
        _replace('"00:05"', '"3pm"'),
        "msel.yaml:3: injects[0].at: '3pm' is not a time",
    ),
    "MSEL: misspelled key": (
        "msel.yaml",
        _replace("message:", "mesage:"),
        "msel.yaml:3: injects[0]",
    ),
    "MSEL: negative limit": (
        "msel.yaml",
        _replace("within: 30", "within: -30"),
        "msel.yaml:9: criteria[0].within: -30 is not a number of minutes",
    ),
    "MSEL: a colon in a message": (
        "msel.yaml",
        _replace("message: 地下通道积水", "message: 注意: 地下通道积水"),
        "msel.yaml:7:16: invalid YAML: a 'key: value' cannot stand here",
    ),
    "MSEL: empty file": ("msel.yaml", lambda _: "", "msel.yaml:1: an MSEL is a mapping"),
    "script: level V": (
        "script.yaml",
        _replace("level: III", "level: V"),
        "script.yaml:2: decisions[0].level: 'V' is not one of IV, III, II, I",
    ),
    "script: misspelled key": (
        "script.yaml",
        _replace("level: III", "levle: III"),
        "script.yaml:2: decisions[0].levle: unknown key 'levle'",
    ),
    # Before: exit 0, the plan's rule deciding for the played duty room.
    "script: empty file": ("script.yaml", lambda _: "", "script.yaml: the script holds no"),
    "script: no decisions": (
        "script.yaml",
        lambda _: "decisions: []\n",
        "script.yaml: the script holds no decisions and no injects, so it would change nothing",
    ),
}


@pytest.mark.parametrize("slip", SLIPS)
def test_one_slip_one_located_message_exit_2(tree: Path, slip: str) -> None:
    name, edit, first = SLIPS[slip]
    path = tree / name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = _cli(*DRILL, *PLAYED)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""  # refused before anything was played
    assert result.stderr.splitlines()[0].startswith(first), result.stderr


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize(
    "save",
    [
        pytest.param(lambda text: text.encode("utf-8-sig"), id="BOM"),
        pytest.param(lambda text: text.replace("\n", "\r\n").encode("utf-8"), id="CRLF"),
    ],
)
def test_a_windows_editor_s_file_plays_the_same(
    tree: Path, name: str, save: Callable[[str], bytes]
) -> None:
    played = _cli(*DRILL, *PLAYED)
    assert played.exit_code == 0, played.output
    (tree / name).write_bytes(save(FILES[name]))
    again = _cli(*DRILL, *PLAYED)
    assert (again.exit_code, again.stdout) == (0, played.stdout)


def test_a_chinese_windows_file_is_said_to_be_not_utf_8_where(tree: Path) -> None:
    (tree / "night.yaml").write_bytes(NIGHT.encode("gbk"))
    result = _cli("validate", "night.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("night.yaml:1:")
    assert "not UTF-8" in result.stderr and "GBK" in result.stderr


@pytest.mark.parametrize("log", ["logs", "notes.txt/drill.jsonl"])
def test_a_log_that_cannot_be_written_is_refused_before_the_drill(tree: Path, log: str) -> None:
    """Before, the drill was played (all its events printed) and only then
    ``error: cannot use logs: Is a directory``: with people at the console,
    the exercise's record lost."""
    (tree / "logs").mkdir()
    (tree / "notes.txt").write_text("notes\n", encoding="utf-8")
    result = _cli(*DRILL, *PLAYED, "--log", log)
    assert result.exit_code == 2
    assert result.stdout == ""
    reason = "is a folder" if log == "logs" else "notes.txt is a file, not a folder"
    assert result.stderr.startswith(f"error: --log {log}: {reason}"), result.stderr


def test_a_served_drill_s_log_that_is_a_folder_is_not_offered_to_resume(tree: Path) -> None:
    """``cmdsim serve --log logs`` (a folder) said "logs exists: continue it
    with cmdsim serve --resume logs", which could only fail."""
    pytest.importorskip("starlette")
    (tree / "logs").mkdir()
    result = _cli("serve", "night.yaml", "--msel", "msel.yaml", *PLAYED, "--log", "logs")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "error: --log logs: is a folder; give a file name (e.g. logs/drill.jsonl)\n"
    )


def test_an_output_under_a_file_says_so(tree: Path) -> None:
    """``report -o notes.txt/report.html`` said "cannot use notes.txt: File
    exists", as if the report were already there."""
    assert _cli("run", "night.yaml", "--out", "run").exit_code == 0
    (tree / "notes.txt").write_text("notes\n", encoding="utf-8")
    result = _cli("report", "run", "-o", "notes.txt/report.html")
    assert result.exit_code == 2
    assert result.stderr == "error: cannot use notes.txt: it is a file, not a folder " + (
        "(give a path whose folders are folders)\n"
    )
    assert (tree / "notes.txt").read_text(encoding="utf-8") == "notes\n"


@pytest.mark.parametrize("field", ["start", "horizon"])
def test_a_sweep_of_the_start_without_scenario_says_how(tree: Path, field: str) -> None:
    """``sweep --vary start=…`` (trying the drill at another hour) said only
    "District has no field 'start'": a path starts at the district unless it
    says ``scenario.``."""
    result = _cli("sweep", "night.yaml", "-n", "2", "--no-progress", "--vary", f"{field}=1")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {field}: District has no field {field!r} "
        f"(the scenario's {field} is scenario.{field}: write that)\n"
    )


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (("drill", "night.yaml", "--msel", "logs", *PLAYED), "MSEL file"),
        (("drill", "night.yaml", "--script", "logs", *PLAYED), "script file"),
        (("drill", "--replay", "logs"), "exercise log"),
    ],
)
def test_a_folder_given_for_a_drill_file_is_called_a_folder(
    tree: Path, args: tuple[str, ...], what: str
) -> None:
    """``--msel logs`` (a folder) said "logs: no such MSEL file"."""
    (tree / "logs").mkdir()
    result = _cli(*args)
    assert result.exit_code == 2
    assert result.stderr == f"logs: is a folder; give the {what} itself\n"


def test_a_log_in_a_folder_not_ours_to_write_is_refused_before_the_drill(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--log /srv/drills/x.jsonl`` in a read-only folder: the drill was
    played, then "cannot use …: Permission denied".  As root every folder is
    writable, so the folder's answer is stood in for."""
    import os

    from cmdsim.cli import _common

    locked = tree / "locked"
    locked.mkdir()
    real = os.access
    monkeypatch.setattr(
        _common.os,
        "access",
        lambda p, mode: Path(p).resolve() != locked.resolve() and real(p, mode),
    )
    result = _cli(*DRILL, *PLAYED, "--log", "locked/sub/drill.jsonl")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: --log locked/sub/drill.jsonl: cannot write in locked (permission denied)\n"
    )


def test_brackets_typed_at_the_console_or_in_a_name_are_shown_as_typed(tree: Path) -> None:
    """The console printed what people typed, and the drill's name, as rich
    markup: ``[/]`` typed as a command or at the level prompt was a
    traceback (MarkupError) in the middle of the exercise, a name's
    ``[draft]`` vanished, and ``i`` with no minutes showed its usage as
    "i MINUTES     MESSAGE", its ``[hazard=H] …`` eaten."""
    night = tree / "night.yaml"
    text = night.read_text(encoding="utf-8")
    night.write_text(text.replace("night gas leak", "night gas leak [draft] [/]"), encoding="utf-8")
    typed = "[/]\ni x\ns 25\n[/b]\n\n\nq\n"
    result = CliRunner().invoke(main, ["drill", "night.yaml", *PLAYED], input=typed)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 0, result.output
    for shown in (
        "Drill: 夜间燃气泄漏 night gas leak [draft] [/]  seed 1",
        "unknown command '[/]' (h for help)",
        "usage: i MINUTES [hazard=H] [town=T] [level=L] [to=R] MESSAGE",
        "'[/b]' is not one of IV, III, II, I",
    ):
        assert shown in result.stdout, shown


@pytest.mark.parametrize(("lang", "said"), [("en", "Not measured: "), ("zh", "未测量：")])
def test_a_sweep_s_report_says_deadlines_and_misses_were_not_measured(
    tree: Path, lang: str, said: str
) -> None:
    """A what-if comparison's report showed "0 deadlines, 0 met, 0 missed"
    and "Nothing was missed." for the bundled gas drill and its ten
    deadlines: a sweep records one metric, none of that."""
    sweep = ("sweep", "night.yaml", "-n", "3", "--no-progress", "--out", "cmp")
    assert _cli(*sweep, "--vary", "district.duty_room.triage=5,10").exit_code == 0
    result = _cli("report", "cmp", "--lang", lang, "--format", "md")
    assert result.exit_code == 0, result.output
    assert result.stdout.count(said) == 3  # deadlines, improvement items, plan
    assert "Nothing was missed." not in result.stdout and "无遗漏事项" not in result.stdout
    assert "| 0 | 0 | 0 |" not in result.stdout


def test_a_sweep_s_report_finds_its_scenario(tree: Path) -> None:
    """``sweep.json`` named the scenario by id only: its report had the id
    for a title and "The plan checker is not available for this input."
    (no coverage matrix, no findings, no word of what to do).  It records
    the scenario's path from the output folder and its digest, as a batch's
    manifest does."""
    sweep = ("sweep", "night.yaml", "-n", "3", "--no-progress", "--out", "out/cmp")
    assert _cli(*sweep, "--vary", "district.duty_room.triage=5,10").exit_code == 0
    recorded = json.loads((tree / "out" / "cmp" / "sweep.json").read_text(encoding="utf-8"))
    assert recorded["scenario_relative"] == "../../night.yaml"
    report = _cli("report", "out/cmp", "--format", "md")
    assert report.exit_code == 0, report.output
    assert "Scenario: 夜间燃气泄漏 night gas leak · Source: what-if comparison" in report.stdout
    assert "Not checked: the scenario" not in report.stdout
    # One made before (no path, no digest): the report says how to give it.
    for key in ("scenario_relative", "scenario_digest"):
        del recorded[key]
    older = tree / "older" / "sweep.json"
    older.parent.mkdir()
    older.write_text(json.dumps(recorded), encoding="utf-8")
    unknown = _cli("report", "older", "--format", "md")
    assert unknown.exit_code == 0, unknown.output
    said = "Not checked: the scenario this result came from is not known (give it with "
    assert unknown.stdout.count(said + "`--scenario FILE`).") == 2  # matrix, findings
    # The scenario moved away: said, with how to give it, never a bare report.
    (tree / "keep").mkdir()
    for name in ("night.yaml", "district.yaml"):
        (tree / name).rename(tree / "keep" / name)
    moved = _cli("report", "out/cmp", "--format", "md")
    assert moved.exit_code == 2
    assert "was not found" in moved.stderr and "--scenario FILE" in moved.stderr
    given = _cli("report", "out/cmp", "--scenario", "keep/night.yaml", "--format", "md")
    assert given.exit_code == 0, given.output


def test_the_report_of_an_unfinished_batch_says_resume(tree: Path) -> None:
    """A batch stopped by Ctrl-C keeps its manifest and parts; its report
    said "not a run, batch or sweep output"."""
    (tree / "bo" / "parts").mkdir(parents=True)
    (tree / "bo" / "manifest.json").write_text("{}\n", encoding="utf-8")
    result = _cli("report", "bo")
    assert result.exit_code == 2
    assert result.stderr == (
        "bo: an unfinished batch (its manifest and parts, no summary.json yet): finish it "
        "with the same `cmdsim batch … --out bo --resume`, then report it\n"
    )
