"""A hand-edited exercise log is a located error at its line and field when
replayed (and so when reported or resumed), never a traceback and never a
record silently dropped or misread: a decision answering no point of the
run, an edit of an improvement item that is not there, an unknown record
type or role, a header MSEL that does not parse."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.exercise.run import scripted_exercise

ROOT = Path(__file__).resolve().parents[2]
TWO_HAZARDS = ROOT / "tests" / "sim" / "two_hazards.yaml"

Records = list[dict[str, Any]]


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Records]:
    """A scripted drill of the two-hazard scenario: the duty room decides
    level IV for the flood (line 2 of the log) and the gas leak (line 3)."""
    folder = tmp_path_factory.mktemp("logged")
    scenario = folder / "two_hazards.yaml"
    scenario.write_bytes(TWO_HAZARDS.read_bytes())
    script = folder / "script.yaml"
    script.write_text("decisions: [{level: IV}, {level: IV}]\n", encoding="utf-8")
    log = folder / "drill.jsonl"
    exercise = scripted_exercise(scenario, None, ["duty-room"], script, seed=1)
    log.write_text(exercise.log_text(log), encoding="utf-8")
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [r["type"] for r in records[:3]] == ["exercise", "decision", "decision"]
    return log, records


def _header(edit: Callable[[dict[str, Any]], None]) -> Callable[[Records], None]:
    return lambda records: edit(records[0])


def _decision(edit: Callable[[dict[str, Any]], None]) -> Callable[[Records], None]:
    return lambda records: edit(records[1])


CASES: list[tuple[str, Callable[[Records], None], str]] = [
    (
        "a header inject without its id",
        _header(lambda h: h["msel"]["injects"].append({"at": 5, "from": "F", "to": "x"})),
        ":1: msel.injects[0].id: missing (exercise record: the log names every inject)",
    ),
    (
        "a header MSEL that is not a mapping",
        _header(lambda h: h.update(msel="x")),
        ":1: msel: expected a mapping (exercise record)",
    ),
    (
        "a header criterion that does not parse",
        _header(
            lambda h: h["msel"].update(
                criteria=[{"id": "c", "expect": {"kind": "aware"}, "within": "soon"}]
            )
        ),
        ":1: msel.criteria[0].within: 'soon' is not a number of minutes",
    ),
    (
        "an unknown role played",
        _header(lambda h: h.update(play=["mayor"])),
        ":1: play: unknown role 'mayor' (roles: duty-room, general-hq, lead-hq)",
    ),
    (
        "a decision key without its incident",
        _decision(lambda d: d.update(key="duty-room")),
        ":2: key: 'duty-room' is not a decision point ROLE:INCIDENT:N",
    ),
    (
        "a decision's level",
        _decision(lambda d: d.update(level="V")),
        ":2: level: 'V' is not one of IV, III, II, I",
    ),
    (
        # tuple("hq") was ('h', 'q'): two HQs nobody has
        "a decision's HQs as text",
        _decision(lambda d: d.update(activate="hq")),
        ":2: activate: expected a list of HQ ids (decision record)",
    ),
    (
        "a decision for an incident the run does not have",
        _decision(lambda d: d.update(key="duty-room:fire9:1")),
        ":2: key: the run has no decision point 'duty-room:fire9:1' of a played role "
        "(played: duty-room): the decision would go unused",
    ),
    (
        "a decision for a role nobody played",
        _decision(lambda d: d.update(key="lead-hq:flood1:1", role="lead-hq")),
        ":2: key: the run has no decision point 'lead-hq:flood1:1'",
    ),
    (
        "an edit of an improvement item that is not there",
        lambda records: records.insert(1, {"type": "improvement_edit", "index": 0, "issue": "x"}),
        ":2: index: no improvement item 0 (the plan has 0 then)",
    ),
    (
        "a decision recorded twice",
        lambda records: records.insert(2, {**records[1], "level": None}),
        ":3: key: a decision at 'duty-room:flood1:1' is recorded already, at line 2",
    ),
    (
        "an unknown record type",
        lambda records: records.insert(1, {"type": "decison", "key": "duty-room:flood1:1"}),
        ":2: type: unknown record type 'decison' (known: clock, decision, end, event, ",
    ),
]


@pytest.mark.parametrize(("what", "edit", "said"), CASES, ids=[c[0] for c in CASES])
def test_a_hand_edited_log_is_a_located_error(
    logged: tuple[Path, Records],
    tmp_path: Path,
    what: str,
    edit: Callable[[Records], None],
    said: str,
) -> None:
    _source, records = logged
    edited = copy.deepcopy(records)
    edit(edited)
    log = tmp_path / "edited.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in edited), encoding="utf-8")
    # beside the scenario, so that the scenario is found as before
    (tmp_path / "two_hazards.yaml").write_bytes(TWO_HAZARDS.read_bytes())
    done = CliRunner().invoke(main, ["drill", "--replay", str(log)])
    assert done.exit_code == 2, (what, done.output)
    assert "Traceback" not in done.output
    assert done.stderr.startswith(f"{log}{said}"), done.stderr


def test_the_log_unedited_replays(logged: tuple[Path, Records]) -> None:
    log, _records = logged
    done = CliRunner().invoke(main, ["drill", "--replay", str(log)])
    assert done.exit_code == 0, done.output


def test_an_edit_after_a_removal_counts_the_items_then(
    logged: tuple[Path, Records], tmp_path: Path
) -> None:
    _source, records = logged
    plan = [
        {"type": "improvement", "issue": "a"},
        {"type": "improvement", "issue": "b"},
        {"type": "improvement_edit", "index": 0, "removed": True},
        {"type": "improvement_edit", "index": 1, "issue": "c"},  # one item left: 0 only
    ]
    log = tmp_path / "edited.jsonl"
    (tmp_path / "two_hazards.yaml").write_bytes(TWO_HAZARDS.read_bytes())
    log.write_text(
        "".join(json.dumps(r) + "\n" for r in [records[0], *plan, *records[1:]]),
        encoding="utf-8",
    )
    done = CliRunner().invoke(main, ["drill", "--replay", str(log)])
    assert done.exit_code == 2
    assert done.stderr == f"{log}:5: index: no improvement item 1 (the plan has 1 then)\n"
    plan[3]["index"] = 0
    log.write_text(
        "".join(json.dumps(r) + "\n" for r in [records[0], *plan, *records[1:]]),
        encoding="utf-8",
    )
    assert CliRunner().invoke(main, ["drill", "--replay", str(log)]).exit_code == 0


def test_the_version_has_one_home() -> None:
    """``cmdsim.__version__``, ``cmdsim --version`` and a log's header read
    ``cmdsim.version``; no other module asks the package metadata."""
    import cmdsim
    from cmdsim.version import cmdsim_version

    assert cmdsim.__version__ == cmdsim_version()
    src = Path(cmdsim.__file__).parent
    asking = sorted(
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if "importlib.metadata" in p.read_text(encoding="utf-8")
    )
    assert asking == ["version.py"]
