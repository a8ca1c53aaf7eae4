"""``cmdsim serve`` through Starlette's TestClient: tokens, what a player
sees, decisions, the journal as it is written, resume and replay."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from cmdsim.cli import main
from cmdsim.exercise.log import improvements_from_records
from cmdsim.exercise.run import replay_exercise
from cmdsim.model import Level
from cmdsim.serve.app import create_app
from cmdsim.serve.server import open_session
from cmdsim.serve.session import Session

from .conftest import TOKENS, TWO_HAZARDS, two_hazards

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

F, D, G, L = (TOKENS[r] for r in ("facilitator", "duty-room", "general-hq", "lead-hq"))


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_page_and_action_needs_its_token(make_session: Callable[..., Session]) -> None:
    session = make_session(("duty-room", "general-hq"))
    with TestClient(create_app(session)) as client:
        assert client.get(f"/f/{F}").status_code == 200
        assert client.get(f"/p/{D}").status_code == 200
        assert client.get(f"/p/{G}").status_code == 200
        # a token for nobody, a role not played, the wrong kind of page
        for url in ("/f/nope", "/p/nope", f"/p/{L}", f"/f/{D}", f"/p/{F}", "/api/nope/state"):
            response = client.get(url)
            assert response.status_code == 403, url
            assert "not valid" in response.text
        # players cannot move the clock or end the exercise; the facilitator cannot decide
        for token, path in ((D, "clock"), (D, "end"), (G, "inject"), (F, "decide")):
            response = client.post(f"/api/{token}/{path}", json={"action": "next"})
            assert response.status_code == 403, (token, path)
    # nothing a refused request did reached the log
    assert [r["type"] for r in lines(session.journal.path)] == ["exercise"]


def test_a_player_never_sees_the_plans_answer(make_session: Callable[..., Session]) -> None:
    session = make_session(("duty-room",))
    with TestClient(create_app(session)) as client:
        client.post(f"/api/{F}/clock", json={"action": "decision"})
        state = client.get(f"/api/{D}/state").json()
        page = client.get(f"/p/{D}").text
        point = session.ex.pending
        assert point is not None and point.key == "duty-room:flood1:1"
        assert state["waiting"]["key"] == "duty-room:flood1:1"
        assert state["waiting"]["levels"] == ["IV", "none"]
        # the view does not depend on the plan's answer: swap it, nothing changes
        session.ex.pending = attrs.evolve(point, level=Level.I, activate=("gas_hq", "hq"))
        assert client.get(f"/api/{D}/state").json() == state
        assert client.get(f"/p/{D}").text == page
        session.ex.pending = point
        # ... while the facilitator sees it
        facilitator = client.get(f"/api/{F}/state").json()
        assert facilitator["waiting"]["plan"] == "level IV; activate hq"
        text = json.dumps(state) + page
        for secret in ("SECRET-EXPECT", "SECRET-OBJECTIVE", "SECRET-CRITERION"):
            assert secret not in text
            assert secret in json.dumps(facilitator)
        assert "plan's answer" not in text
        # nothing at or after the decision point, nor the incidents' truth
        assert all(e["time"] < point.time for e in state["feed"])
        assert not {e["kind"] for e in state["feed"]} & {"onset", "severity", "decision"}
        assert [e["kind"] for e in state["feed"]] == ["inject", "aware"]
        assert "onset" in {e["kind"] for e in facilitator["feed"]}


def test_decisions_offer_the_plans_options_and_first_answer_wins(
    make_session: Callable[..., Session],
) -> None:
    session = make_session(("duty-room",))
    with TestClient(create_app(session)) as client:
        client.post(f"/api/{F}/clock", json={"action": "decision"})
        bad = client.post(
            f"/api/{D}/decide", json={"key": "duty-room:flood1:1", "level": "II", "activate": []}
        )
        assert bad.status_code == 409
        assert bad.json()["error"] == "level: one of IV, none (got 'II')"
        results: list[int] = []

        def answer(who: str) -> None:
            form = {
                "key": "duty-room:flood1:1",
                "level": "IV",
                "activate": ["hq"],
                "rationale": f"rain over town A ({who})",
                "player": who,
            }
            results.append(client.post(f"/api/{D}/decide", json=form).status_code)

        threads = [threading.Thread(target=answer, args=(who,)) for who in ("Li", "Wang")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [200, 409]
        decisions = [r for r in lines(session.journal.path) if r["type"] == "decision"]
        assert len(decisions) == 1
        assert decisions[0]["rationale"] == f"rain over town A ({decisions[0]['player']})"
        assert decisions[0]["activate"] == ["hq"] and decisions[0]["by"] == "human"
        mine = client.get(f"/api/{D}/state").json()["decisions"]
        assert [d["text"] for d in mine] == ["level IV; activate hq"]


def test_every_action_is_in_the_journal_as_it_happens(
    make_session: Callable[..., Session],
) -> None:
    session = make_session(("duty-room",))
    log = session.journal.path
    with TestClient(create_app(session)) as client:
        steps: list[tuple[str, dict[str, Any], str]] = [
            ("clock", {"action": "step", "minutes": 30}, "clock"),
            ("inject", {"fire": "m2"}, "inject"),
            ("inject", {"message": "Power cut", "to": "duty-room", "minutes": 5}, "inject"),
            (
                "facts",
                {
                    "date": "2026-12-06",
                    "place": "EOC",
                    "participants": "Li, duty officer",
                    "notes": "calm\nslow start",
                },
                "exercise_facts",
            ),
            (
                "improvement",
                {
                    "issue": "slow",
                    "action": "drill",
                    "clause": "4.2",
                    "unit": "bureau",
                    "due": "2027-03-01",
                },
                "improvement",
            ),
            (
                "improvement",
                {
                    "index": 0,
                    "issue": "slow triage",
                    "action": "drill",
                    "clause": "4.2",
                    "unit": "bureau",
                    "due": "2027-03-01",
                },
                "improvement_edit",
            ),
        ]
        for path, form, kind in steps:
            response = client.post(f"/api/{F}/{path}", json=form)
            assert response.status_code == 200, response.text
            assert lines(log)[-1]["type"] == kind, path
        fired = [r for r in lines(log) if r["type"] == "inject"]
        assert fired[0]["inject"]["id"] == "m2" and fired[0]["time"] == 30.0
        assert fired[1]["inject"]["to"] == "District duty room"
        facts = lines(log)[-3]
        assert facts == {
            "type": "exercise_facts",
            "date": "2026-12-06",
            "place": "EOC",
            "participants": [{"name": "Li", "role": "duty officer"}],
            "notes": ["calm", "slow start"],
        }
        assert [i.issue for i in improvements_from_records(lines(log))] == ["slow triage"]
        assert client.post(f"/api/{F}/inject", json={"fire": "m2"}).status_code == 409


def run_exercise(client: TestClient, *, stop_before_end: bool) -> None:
    """The facilitator runs the clock, the duty room decides twice."""
    client.post(f"/api/{F}/clock", json={"action": "decision"})
    client.post(
        f"/api/{D}/decide",
        json={"key": "duty-room:flood1:1", "level": "IV", "activate": ["hq"], "rationale": "rain"},
    )
    client.post(f"/api/{F}/inject", json={"message": "Gas smell", "to": "duty-room"})
    client.post(
        f"/api/{F}/facts",
        json={
            "date": "2026-12-06",
            "place": "EOC",
            "participants": "Li, duty officer",
            "notes": "",
        },
    )
    client.post(
        f"/api/{F}/improvement",
        json={"issue": "a", "action": "b", "clause": "c", "unit": "d", "due": "e"},
    )
    client.post(f"/api/{F}/improvement", json={"issue": "x"})
    client.post(f"/api/{F}/improvement", json={"index": 1, "remove": True})
    client.post(f"/api/{F}/clock", json={"action": "decision"})
    if stop_before_end:
        return
    client.post(
        f"/api/{D}/decide",
        json={
            "key": "duty-room:gas1:1",
            "level": "none",
            "activate": [],
            "rationale": "a false alarm",
        },
    )
    client.post(f"/api/{F}/clock", json={"action": "step", "minutes": 60})
    assert client.post(f"/api/{F}/end", json={}).status_code == 200


def test_resume_continues_where_it_stopped_and_the_log_replays(
    make_session: Callable[..., Session], tmp_path: Path
) -> None:
    first = make_session(("duty-room",))
    with TestClient(create_app(first)) as client:
        run_exercise(client, stop_before_end=True)
    # the server "dies" here: only the journal is left
    log = first.journal.path
    resumed = open_session(log=log, resume=True, scenario=two_hazards(), tokens=TOKENS)
    assert first.ex.pending is not None and first.ex.pending.key == "duty-room:gas1:1"
    assert resumed.now == first.now == first.ex.pending.time == 115.0
    # the same spec (the MSEL read back from the log has no file lines)
    assert resumed.ex.spec.msel.injects == first.ex.spec.msel.injects
    assert attrs.evolve(resumed.ex.spec, msel=first.ex.spec.msel) == first.ex.spec
    assert resumed.ex.pending == first.ex.pending and resumed.ex.pending is not None
    assert resumed.ex.events == first.ex.events
    with TestClient(create_app(resumed)) as client:
        client.post(
            f"/api/{D}/decide",
            json={
                "key": "duty-room:gas1:1",
                "level": "none",
                "activate": [],
                "rationale": "a false alarm",
            },
        )
        client.post(f"/api/{F}/clock", json={"action": "step", "minutes": 60})
        assert client.post(f"/api/{F}/end", json={}).status_code == 200
    # the same exercise served without a break gives the same log
    again = make_session(("duty-room",), log="unbroken.jsonl")
    with TestClient(create_app(again)) as client:
        run_exercise(client, stop_before_end=False)
    assert log.read_bytes() == again.journal.path.read_bytes()
    kinds = [r["type"] for r in lines(log)]
    assert kinds[-1] == "end" and "clock" not in kinds
    assert kinds.count("exercise_facts") == 1 and kinds.count("improvement") == 1
    # a replay gives the log byte for byte, in Python and from the command line
    assert replay_exercise(log, scenario=two_hazards()).log_text(log) == log.read_text("utf-8")
    replayed = tmp_path / "replayed.jsonl"
    result = CliRunner().invoke(
        main, ["drill", str(TWO_HAZARDS), "--replay", str(log), "--log", str(replayed)]
    )
    assert result.exit_code == 0, result.output
    assert replayed.read_bytes() == log.read_bytes()
    # an ended exercise resumes ended; its facts stay editable and the log stays whole
    ended = open_session(log=log, resume=True, scenario=two_hazards(), tokens=TOKENS)
    assert ended.ended and ended.now == ended.ex.end
    ended.add_improvement(attrs.evolve(ended.ex.spec.improvements[0], issue="later"))
    assert [r["type"] for r in lines(log)][-1] == "end"
    assert [r["issue"] for r in lines(log) if r["type"] == "improvement"] == ["a", "later"]


def test_the_running_clock_stops_at_a_decision(make_session: Callable[..., Session]) -> None:
    session = make_session(("duty-room",))
    session.run(60.0)
    session.tick(0.5)
    assert session.now == 30.0
    for _ in range(10):
        session.tick(0.5)
    assert session.now == session.ex.pending.time == 75.0  # type: ignore[union-attr]
    assert session.speed == 60.0  # still running: it goes on once decided
    session.pause()
    assert lines(session.journal.path)[-1] == {"type": "clock", "time": 75.0}


def test_the_stream_says_when_something_changed(make_session: Callable[..., Session]) -> None:
    session = make_session(("duty-room",))
    with TestClient(create_app(session)) as client:
        with client.stream("GET", f"/api/{D}/stream") as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            first = next(response.iter_lines())
            session.closing = True
        assert first == f"data: {session.version}"
        parts = client.get(f"/api/{F}/parts").json()
        assert set(parts["parts"]) == {"live", "improvements"}
        assert client.get("/static/app.js").status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--play", "duty-room"], "give --log FILE"),
        (["--log", "x.jsonl"], "give the roles people play"),
        (["--play", "mayor", "--log", "x.jsonl"], "unknown role 'mayor'"),
        (["--play", "duty-room", "--log", "exists.jsonl"], "exists: continue it with"),
        (["--play", "duty-room", "--log", "y.jsonl", "--host", "203.0.113.9"], "cannot listen"),
        (["--resume", "exists.jsonl", "--play", "duty-room"], "--play would have no effect"),
        (["--resume", "exists.jsonl", "--log", "other.jsonl"], "leave out --log"),
        (["--resume", "exists.jsonl"], "not an exercise log"),
    ],
)
def test_serve_errors_exit_2(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "exists.jsonl").write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", str(TWO_HAZARDS), "--port", "0", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def event(kind: str, actor: str = "district_duty_room", **details: Any) -> dict[str, Any]:
    return {"time": 1.0, "actor": actor, "kind": kind, "incident": "i1", "details": details}


@pytest.mark.parametrize(
    ("shown", "roles"),
    [
        (event("onset", "i1"), set()),
        (event("severity", "i1"), set()),
        (event("signal", "i1", signal="blue"), {"duty-room", "general-hq", "lead-hq"}),
        (event("aware"), {"duty-room"}),
        (event("aware", "flood_hq", channel="warning_link"), set()),
        (event("report_received"), {"duty-room"}),
        (event("report_forwarded", "town_duty_room"), {"duty-room"}),
        (event("level_decided", level="IV"), {"duty-room", "general-hq", "lead-hq"}),
        (event("hq_activated", "flood_hq"), {"duty-room", "general-hq", "lead-hq"}),
        (event("hq_level_changed", "flood_hq"), {"general-hq", "lead-hq"}),
        (event("task_done", "water"), {"general-hq", "lead-hq"}),
        (event("inject", "Weather", to="District duty room"), {"duty-room"}),
        (event("inject", "Town", to="Gas-accident HQ"), {"lead-hq"}),
        (event("inject", "Mayor", to="区总指挥部"), {"general-hq"}),
        (event("inject", "Anyone", to=""), {"duty-room"}),
        (event("decision", level="IV"), {"duty-room"}),
        (event("decision", "general_hq", role="general-hq"), {"general-hq"}),
        (event("decision", "gas_hq", role="lead-hq"), {"lead-hq"}),
    ],
)
def test_who_hears_of_what(shown: dict[str, Any], roles: set[str]) -> None:
    from cmdsim.serve.visibility import visible

    heard = {
        r for r in ("duty-room", "general-hq", "lead-hq") if visible(shown, r, "district_duty_room")
    }
    assert heard == roles


def test_clock_controls_and_injects_reach_their_role(
    make_session: Callable[..., Session],
) -> None:
    session = make_session(("general-hq", "lead-hq"))
    with TestClient(create_app(session)) as client:
        assert client.post(f"/api/{F}/clock", json={"action": "next"}).json()["ok"] == (
            "clock at T+01:00"  # the flood's onset at minute 60 is the first event
        )
        bad = client.post(f"/api/{F}/clock", json={"action": "rewind"})
        assert bad.status_code == 400 and "unknown clock action" in bad.json()["error"]
        assert bad.json()["field"] == "action"
        # a value out of range is unprocessable, named as an inject's minutes are
        too_far = client.post(f"/api/{F}/clock", json={"action": "step", "minutes": 5000})
        assert (too_far.status_code, too_far.json()["field"]) == (422, "minutes")
        fast = client.post(f"/api/{F}/clock", json={"action": "run", "speed": 0})
        assert (fast.status_code, fast.json()["field"]) == (422, "speed")
        sent = client.post(
            f"/api/{F}/inject",
            json={"message": "Mayor asks for a briefing", "to": "general-hq", "minutes": 1},
        )
        assert sent.json()["ok"] == "inject facilitator_1 added"
        client.post(f"/api/{F}/clock", json={"action": "step", "minutes": 1})
        general = client.get(f"/api/{G}/state").json()["feed"]
        lead = client.get(f"/api/{L}/state").json()["feed"]
        assert [e["text"] for e in general if e["kind"] == "inject"] == [
            "Mayor asks for a briefing"
        ]
        assert not [e for e in lead if e["kind"] == "inject"]
        # the lead's own decision: its page shows it only when the clock gets there
        assert client.get(f"/api/{L}/state").json()["waiting"] is None
        client.post(f"/api/{F}/clock", json={"action": "decision"})
        assert client.get(f"/api/{G}/state").json()["waiting"]["key"] == "general-hq:-:1"
        assert client.get(f"/api/{L}/state").json()["waiting"] is None
