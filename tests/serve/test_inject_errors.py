"""A facilitator's inject in a served exercise is checked before it is
logged: a bad one is an error naming the inject and the field (over HTTP a
4xx JSON body with ``field``), and the journal is byte for byte as it was.
And ``open_session`` without a scenario plays the flagship drill, as
``cmdsim serve`` does."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from cmdsim import bundled
from cmdsim.errors import LoadError, ScenarioError
from cmdsim.exercise.drill import InjectError
from cmdsim.exercise.run import exercise_scenario
from cmdsim.serve.app import create_app
from cmdsim.serve.server import open_session
from cmdsim.serve.session import Session

from .conftest import TOKENS, two_hazards

F = TOKENS["facilitator"]


@pytest.mark.parametrize(
    ("form", "status", "field", "words"),
    [
        ({"message": "", "to": "duty-room"}, 422, "message", "needs a message"),
        ({"message": "  ", "to": "duty-room"}, 422, "message", "needs a message"),
        ({"message": "x", "to": "mayor"}, 422, "to", "unknown recipient 'mayor'"),
        ({"message": "x", "to": "duty-room", "minutes": -5}, 422, "minutes", "0 to 1440"),
        ({"message": "x", "to": "duty-room", "minutes": 2000}, 422, "minutes", "0 to 1440"),
        # 600 is the horizon: the run stops before what is timed there
        ({"message": "x", "to": "duty-room", "minutes": 600}, 422, "minutes", "when the exercise"),
        ({"message": "x", "to": "duty-room", "minutes": "soon"}, 400, "minutes", "a number"),
        ({"message": "x", "to": "duty-room", "minutes": "nan"}, 422, "minutes", "0 to 1440"),
        ({"message": ["x"], "to": "duty-room"}, 400, "message", "expected text"),
        ({"message": "x", "to": "duty-room", "hazard": "gsa"}, 422, "hazard", "unknown hazard"),
        ({"message": "x", "to": "duty-room", "hazard": ["gas"]}, 400, "hazard", "expected text"),
        # figures are an incident report's: none without a hazard
        (
            {"message": "x", "to": "duty-room", "figures": {"deaths": 4}},
            422,
            "figures",
            "no hazard",
        ),
        ({"message": "x", "to": "duty-room", "at": 30}, 400, "at", "unknown field"),
        ({"fire": "no_such"}, 409, "fire", "no inject 'no_such'"),
        ({"fire": "m2", "message": "x"}, 400, "message", "unknown field"),
    ],
)
def test_a_bad_inject_is_a_4xx_naming_its_field_and_the_log_is_untouched(
    make_session: Callable[..., Session],
    form: dict[str, Any],
    status: int,
    field: str,
    words: str,
) -> None:
    session = make_session(("duty-room",))
    log = session.journal.path
    before = log.read_bytes()
    with TestClient(create_app(session)) as client:
        answer = client.post(f"/api/{F}/inject", json=form)
        assert answer.status_code == status, answer.text
        body = answer.json()
        assert body["field"] == field
        assert words in body["error"]
        assert log.read_bytes() == before
        assert session.ex.spec.added == ()
        # and the next good inject takes the first number: nothing was used up
        good = client.post(f"/api/{F}/inject", json={"message": "Power cut", "to": "lead-hq"})
        assert good.json()["ok"] == "inject facilitator_1 added"
    added = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()[1:]]
    assert [r["inject"]["id"] for r in added] == ["facilitator_1"]
    assert added[0]["inject"]["to"] == "Lead HQ"


def test_an_inject_error_names_the_inject_and_every_bad_field(
    make_session: Callable[..., Session],
) -> None:
    session = make_session(("duty-room",))
    with TestClient(create_app(session)) as client:
        answer = client.post(f"/api/{F}/inject", json={"message": "", "to": "x", "minutes": -1})
    assert answer.status_code == 422
    body = answer.json()
    assert body["inject"] == "facilitator_1"
    assert body["fields"] == ["minutes", "to", "message"]
    assert body["error"].splitlines() == [
        "minutes: an inject fires 0 to 1440 minutes from now",
        "to: unknown recipient 'x': a role (duty-room, general-hq, lead-hq) or its name, "
        "or a duty room, command, unit or town of the district (id or name)",
        "message: the inject 'facilitator_1' needs a message",
    ]


def test_an_inject_at_or_after_the_end_is_refused(
    make_session: Callable[..., Session],
) -> None:
    session = make_session(("duty-room",))
    session.step(100)
    assert session.now == 75  # the duty room's first decision waits there
    before = session.journal.path.read_bytes()
    with pytest.raises(InjectError) as caught:
        session.add_inject("late", "duty-room", minutes=525)
    assert caught.value.field == "minutes"
    assert str(caught.value) == (
        "minutes: the inject 'facilitator_1' at 600 min is when the exercise ends "
        "(horizon 600 min): it would never be delivered"
    )
    assert session.journal.path.read_bytes() == before
    done = session.add_inject("in time", "District duty room", minutes=524)
    assert (done.id, done.at, done.to) == ("facilitator_1", 599.0, "District duty room")


@pytest.mark.parametrize(
    ("to", "logged"),
    [
        ("", "District duty room"),
        ("general-hq", "General HQ"),
        ("General HQ", "General HQ"),
        ("gas_hq", "gas_hq"),  # an HQ of the district, by id
        ("district_duty_room", "district_duty_room"),
        ("town_a", "town_a"),
    ],
)
def test_an_inject_may_go_to_a_role_or_a_recipient_of_the_district(
    make_session: Callable[..., Session], to: str, logged: str
) -> None:
    session = make_session(("duty-room",))
    assert session.add_inject("note", to).to == logged


def test_firing_an_inject_fired_already_is_a_conflict_and_not_logged(
    make_session: Callable[..., Session],
) -> None:
    session = make_session(("duty-room",))
    session.step(100)  # to 75: m1 (at 70) has fired
    before = session.journal.path.read_bytes()
    with pytest.raises(InjectError) as caught:
        session.fire("m1")
    assert caught.value.field == "fire" and "has fired already (at 70 min)" in str(caught.value)
    assert session.journal.path.read_bytes() == before
    assert session.fire("m2").at == 75


def test_a_journal_that_cannot_be_written_leaves_the_exercise_as_it_was(
    make_session: Callable[..., Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    session = make_session(("duty-room",))

    def full(_record: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(session.journal, "append", full)
    with pytest.raises(ScenarioError, match="cannot write the exercise log: No space left"):
        session.add_inject("Power cut", "duty-room", minutes=5)
    assert session.ex.spec.added == ()
    with pytest.raises(ScenarioError, match="cannot write the exercise log"):
        session.fire("m2")
    assert session.ex.spec.added == ()


def test_open_session_without_a_scenario_plays_the_flagship_as_the_cli_does(
    tmp_path: Path,
) -> None:
    from cmdsim.cli._common import scenario_or_flagship

    log = tmp_path / "flagship.jsonl"
    session = open_session(log=log, play=["duty-room"], tokens=TOKENS)
    assert session.ex.base.id == "compound_typhoon"
    assert session.ex.spec.scenario_path == str(bundled.flagship())
    head = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    assert head["scenario"] == str(bundled.flagship())
    # the CLI's default is the same function's
    assert scenario_or_flagship(None, None) == exercise_scenario(None) == bundled.flagship()
    given = tmp_path / "given.yaml"
    assert exercise_scenario(given) == given


def test_a_scenario_model_without_its_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="given without scenario_path"):
        open_session(log=tmp_path / "x.jsonl", play=["duty-room"], scenario=two_hazards())
    assert not (tmp_path / "x.jsonl").exists()


def test_a_resumed_journal_with_a_bad_inject_is_an_error_at_its_line(
    make_session: Callable[..., Session],
) -> None:
    session = make_session(("duty-room",))
    session.add_inject("Power cut", "duty-room", minutes=5)
    log = session.journal.path
    lines = log.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[1])
    record["inject"]["town"] = "town_b"
    record["inject"]["at"] = 700
    log.write_text("\n".join([lines[0], json.dumps(record)]) + "\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        open_session(log=log, resume=True, scenario=two_hazards(), tokens=TOKENS)
    assert [str(p) for p in caught.value.problems] == [
        f"{log}:2: inject.at: the inject 'facilitator_1' at 700 min is after the exercise "
        "ends (horizon 600 min): it would never be delivered",
        f"{log}:2: inject.town: the inject 'facilitator_1': unknown town 'town_b' (known: town_a)",
    ]


@pytest.mark.parametrize(
    ("path", "token", "form", "field"),
    [
        ("clock", F, {"action": "run", "minutes": 5}, "minutes"),  # run takes speed
        ("clock", F, {"action": "step", "speed": 5}, "speed"),
        ("clock", F, {"action": "pause", "minutes": 1}, "minutes"),
        ("facts", F, {"date": "2026-12-06", "venue": "EOC"}, "venue"),
        ("improvement", F, {"issue": "slow", "owner": "bureau"}, "owner"),
        ("improvement", F, {"index": "first", "issue": "slow"}, "index"),
        ("improvement", F, {"remove": True}, "remove"),
        ("end", F, {"now": True}, "now"),
        ("decide", TOKENS["duty-room"], {"key": "duty-room:flood1:1", "lvl": "IV"}, "lvl"),
    ],
)
def test_a_field_an_action_does_not_take_is_refused_not_ignored(
    make_session: Callable[..., Session],
    path: str,
    token: str,
    form: dict[str, Any],
    field: str,
) -> None:
    session = make_session(("duty-room",))
    before = session.journal.path.read_bytes()
    with TestClient(create_app(session)) as client:
        answer = client.post(f"/api/{token}/{path}", json=form)
    assert answer.status_code == 400, answer.text
    assert answer.json()["field"] == field
    assert answer.json()["error"].startswith(f"{field}: ")
    assert session.journal.path.read_bytes() == before
    assert not session.ended


def test_an_inject_added_then_fired_early_is_logged_twice_and_resumes(
    make_session: Callable[..., Session],
) -> None:
    """Two ``inject`` records of one id are a journal's own doing (the later
    one replaces the first), not a hand-edit: the resumed exercise has the
    inject at the time it was fired."""
    session = make_session(("duty-room",))
    session.step(20)
    session.add_inject("Power cut", "duty-room", minutes=30)
    session.fire("facilitator_1")
    log = session.journal.path
    ids = [
        json.loads(line)["inject"]["id"]
        for line in log.read_text(encoding="utf-8").splitlines()
        if '"type":"inject"' in line
    ]
    assert ids == ["facilitator_1", "facilitator_1"]
    resumed = open_session(log=log, resume=True, scenario=two_hazards(), tokens=TOKENS)
    assert [(i.id, i.at) for i in resumed.ex.spec.added][-1] == ("facilitator_1", 20.0)
    assert resumed.ex.events == session.ex.events


@pytest.mark.parametrize(
    "given",
    [{"seed": 3}, {"play": ["duty-room"]}, {"msel_path": Path("m.yaml")}, {"columns": {"at": "T"}}],
)
def test_a_resumed_session_refuses_what_it_takes_from_the_log(
    make_session: Callable[..., Session], given: dict[str, Any]
) -> None:
    log = make_session(("duty-room",)).journal.path
    with pytest.raises(ScenarioError) as caught:
        open_session(log=log, resume=True, scenario=two_hazards(), **given)
    assert str(caught.value).endswith(f"from the log: leave out {next(iter(given))}")


def test_cmdsim_serve_resume_refuses_a_seed(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cmdsim.cli import main

    log = tmp_path / "served.jsonl"
    log.write_text("", encoding="utf-8")
    done = CliRunner().invoke(main, ["serve", "--resume", str(log), "--seed", "3", "--port", "0"])
    assert done.exit_code == 2
    assert done.stderr == (  # it served the log's seed, silently
        "error: --resume continues the log's seed, roles, MSEL and decisions: --seed would "
        "have no effect (leave it out)\n"
    )


@pytest.mark.parametrize(
    ("play", "token", "form", "words"),
    [
        (
            ("general-hq", "lead-hq"),
            TOKENS["general-hq"],
            {"key": "general-hq:-:1", "choice": "take_over", "level": "II"},
            "level would have no effect",
        ),
        (
            ("general-hq", "lead-hq"),
            TOKENS["general-hq"],
            {"key": "general-hq:-:1", "choice": "decline", "activate": ["hq"]},
            "activate would have no effect",
        ),
        (
            ("duty-room",),
            TOKENS["duty-room"],
            {"key": "duty-room:flood1:1", "level": "IV", "activate": [], "choice": "hold"},
            "choice would have no effect",
        ),
    ],
)
def test_a_decision_with_a_field_its_role_does_not_answer_is_refused(
    make_session: Callable[..., Session],
    play: tuple[str, ...],
    token: str,
    form: dict[str, Any],
    words: str,
) -> None:
    """The general HQ's ``level`` was dropped and its take-over recorded;
    the duty room's ``choice`` too."""
    session = make_session(play)
    session.run_to_decision()
    before = session.journal.path.read_bytes()
    with TestClient(create_app(session)) as client:
        answer = client.post(f"/api/{token}/decide", json=form)
    assert answer.status_code == 409 and words in answer.json()["error"], answer.text
    assert session.journal.path.read_bytes() == before
    assert session.ex.spec.decisions == {}
