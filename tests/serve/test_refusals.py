"""The console's HTTP interface: an added inject may report an incident
(hazard, town, level), checked field by field as an MSEL's or a script's;
and every refusal of every route has one JSON shape naming the field it is
about, or ``null`` when it is about none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from cmdsim.exercise.run import replay_exercise
from cmdsim.serve.app import create_app
from cmdsim.serve.session import Session

from .conftest import TOKENS, two_hazards

F = TOKENS["facilitator"]
D = TOKENS["duty-room"]


def test_an_incident_report_added_over_http_runs_the_hand_checked_timeline(
    make_session: Callable[..., Session],
) -> None:
    # two_hazards: the duty room triages in 5 minutes and approves in 8; the
    # flood HQ's one commander arrives 20 minutes after the call.  An inject
    # at 25 naming the flood in town A, asking level III: the room is aware
    # at once, decides at 30 (triage), declares at 38 (approval), and the
    # HQ is at work at 58, before the flood's own onset at 60.
    session = make_session(("duty-room",))
    with TestClient(create_app(session)) as client:
        client.post(f"/api/{F}/clock", json={"action": "step", "minutes": 20})
        form = {
            "message": "Levee breach on the river",
            "to": "duty-room",
            "minutes": 5,
            "hazard": "flood",
            "town": "town_a",
            "level": "III",
        }
        sent = client.post(f"/api/{F}/inject", json=form)
        assert sent.json() == {"ok": "inject facilitator_1 added", "version": 2}
        client.post(f"/api/{F}/end", json={})
    timeline = [
        (e["time"], e["kind"], e["actor"], (e["details"] or {}).get("level"))
        for e in session.ex.events
        if 20 <= e["time"] <= 58 and e["kind"] != "post_filled"
    ]
    assert timeline == [
        (25.0, "inject", "Facilitator", "III"),  # the level the report asks
        (25.0, "aware", "district_duty_room", None),
        (30.0, "decision", "district_duty_room", "III"),
        (38.0, "level_decided", "district_duty_room", "III"),
        (38.0, "over_response", "district_duty_room", "III"),
        (38.0, "hq_notified", "hq", "III"),
        (58.0, "hq_activated", "hq", None),
        (58.0, "hq_active_for", "hq", "III"),
    ]
    log = session.journal.path
    added = [r for r in map(_json, log.read_text("utf-8").splitlines()) if r["type"] == "inject"]
    assert [(r["inject"]["hazard"], r["inject"]["town"], r["inject"]["to"]) for r in added] == [
        ("flood", "town_a", "district_duty_room")  # the role stands for its room
    ]
    assert replay_exercise(log, scenario=two_hazards()).log_text(log) == log.read_text("utf-8")


def _json(line: str) -> Any:
    import json

    return json.loads(line)


@pytest.mark.parametrize(
    ("extra", "fields", "words"),
    [
        ({"hazard": "gsa"}, ["hazard"], "unknown hazard 'gsa' (did you mean gas?)"),
        ({"hazard": "gas", "town": "town_b"}, ["town"], "unknown town 'town_b'"),
        ({"hazard": "gas", "level": "V"}, ["level"], "V"),
        ({"level": "III"}, ["level"], "a level is what an incident report asks for"),
        ({"hazard": "x", "town": "y", "level": "V"}, ["hazard", "town", "level"], "unknown"),
        # a role addressed stands for its room or HQ; a town's room is of its town
        ({"hazard": "gas", "to": "town_a", "town": None}, ["to"], "is in town_a"),
    ],
)
def test_hazard_town_and_level_are_checked_field_by_field(
    make_session: Callable[..., Session],
    extra: dict[str, Any],
    fields: list[str],
    words: str,
) -> None:
    session = make_session(("duty-room",))
    log = session.journal.path
    before = log.read_bytes()
    form = {"message": "Gas smell", "to": "duty-room", **extra}
    form = {k: v for k, v in form.items() if v is not None}
    with TestClient(create_app(session)) as client:
        answer = client.post(f"/api/{F}/inject", json=form)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert (body["field"], body["fields"], body["inject"]) == (fields[0], fields, "facilitator_1")
    assert words in body["error"]
    assert log.read_bytes() == before


def test_an_inject_to_a_town_of_its_own_town_is_taken(
    make_session: Callable[..., Session],
) -> None:
    session = make_session(("duty-room",))
    inject = session.add_inject("Gas smell", "town_a", hazard="gas", town="town_a")
    assert (inject.to, inject.hazard, inject.town) == ("town_a", "gas", "town_a")
    lead = session.add_inject("Gas main cut", "Lead HQ", hazard="gas")
    assert lead.to == "gas_hq"  # the lead of the district's gas plan


REFUSALS: list[tuple[str, str, Any, int, str | None]] = [
    # (route, token, body, status, field)
    ("clock", F, {"action": "step", "minutes": 5000}, 422, "minutes"),
    ("clock", F, {"action": "step", "minutes": 0}, 422, "minutes"),
    ("clock", F, {"action": "run", "speed": 900}, 422, "speed"),
    ("clock", F, {"action": "rewind"}, 400, "action"),
    ("clock", F, {"action": "run", "minutes": 5}, 400, "minutes"),
    ("clock", F, {"action": "step", "minutes": "soon"}, 400, "minutes"),
    ("clock", F, [1, 2], 400, None),
    ("clock", D, {"action": "next"}, 403, None),
    ("clock", "nobody", {"action": "next"}, 403, None),
    ("decide", D, {"key": "duty-room:flood1:1", "level": "IV"}, 409, "key"),
    ("decide", D, {"key": "x", "colour": "red"}, 400, "colour"),
    ("decide", F, {"key": "x"}, 403, None),
    ("inject", F, {"message": "x", "minutes": 2000}, 422, "minutes"),
    ("inject", F, {"fire": "nothing"}, 409, "fire"),
    ("facts", F, {"date": "today", "weather": "rain"}, 400, "weather"),
    ("improvement", F, {"issue": " "}, 422, "issue"),
    ("improvement", F, {"issue": "x", "index": 7}, 422, "index"),
    ("improvement", F, {"issue": "x", "index": "first"}, 400, "index"),
    ("improvement", F, {"remove": True}, 400, "remove"),
    ("end", F, {"now": True}, 400, "now"),
]


@pytest.mark.parametrize(("route", "token", "body", "status", "field"), REFUSALS)
def test_every_refusal_has_one_shape_naming_its_field(
    make_session: Callable[..., Session],
    route: str,
    token: str,
    body: Any,
    status: int,
    field: str | None,
) -> None:
    session = make_session(("duty-room",))
    with TestClient(create_app(session)) as client:
        answer = client.post(f"/api/{token}/{route}", json=body)
    assert answer.status_code == status, answer.text
    refusal = answer.json()
    assert set(refusal) - {"inject"} == {"error", "field", "fields"}
    assert refusal["field"] == field
    assert refusal["fields"] == ([] if field is None else [field, *refusal["fields"][1:]])
    assert isinstance(refusal["error"], str) and refusal["error"]


def test_refusals_at_a_decision_and_after_the_end_have_the_shape(
    make_session: Callable[..., Session],
) -> None:
    session = make_session(("duty-room",))
    with TestClient(create_app(session)) as client:
        client.post(f"/api/{F}/clock", json={"action": "decision"})
        offered = client.post(f"/api/{D}/decide", json={"key": "duty-room:flood1:1", "level": "I"})
        assert (offered.status_code, offered.json()["field"]) == (409, "level")
        hq = {"key": "duty-room:flood1:1", "level": "IV", "activate": ["nope"]}
        unknown = client.post(f"/api/{D}/decide", json=hq)
        assert (unknown.status_code, unknown.json()["field"]) == (409, "activate")
        choice = {"key": "duty-room:flood1:1", "level": "IV", "choice": "hold"}
        wrong = client.post(f"/api/{D}/decide", json=choice)
        assert (wrong.status_code, wrong.json()["field"]) == (409, "choice")
        client.post(f"/api/{F}/end", json={})
        late = client.post(f"/api/{F}/inject", json={"message": "x"})
        assert late.status_code == 409
        assert late.json() == {"error": "the exercise has ended", "field": None, "fields": []}
        forbidden = client.get("/api/nobody/state")
        assert forbidden.status_code == 403 and forbidden.json()["field"] is None
        page = client.get("/f/nobody")  # a page, not the API: plain text
        assert page.status_code == 403 and page.text.startswith("forbidden")


def test_the_facilitators_form_offers_the_districts_hazards_towns_and_levels(
    make_session: Callable[..., Session],
) -> None:
    session = make_session(("duty-room",))
    with TestClient(create_app(session)) as client:
        page = client.get(f"/f/{F}").text
        assert '<select name="hazard"><option value="">no hazard (a message)</option>' in page
        assert '<option value="flood">flood</option><option value="gas">gas</option>' in page
        assert '<option value="town_a">town_a</option>' in page
        # the form sends every field, the empty ones as "": a message
        form = {"to": "duty-room", "from": "", "minutes": "0", "message": "Power cut"}
        sent = client.post(f"/api/{F}/inject", json={**form, "hazard": "", "town": "", "level": ""})
        assert sent.status_code == 200, sent.text
        report = {**form, "hazard": "gas", "town": "town_a", "level": "III"}
        assert client.post(f"/api/{F}/inject", json=report).status_code == 200
    added = session.ex.spec.added
    assert [(i.hazard, i.town, i.level and i.level.value) for i in added] == [
        (None, None, None),
        ("gas", "town_a", "III"),
    ]


def test_a_path_or_method_the_api_has_not_is_a_refusal_of_the_same_shape(
    make_session: Callable[..., Session],
) -> None:
    session = make_session(("duty-room",))
    with TestClient(create_app(session)) as client:
        missing = client.post(f"/api/{F}/rewind", json={})
        assert missing.status_code == 404
        assert missing.json() == {
            "error": "no such request: not found",
            "field": None,
            "fields": [],
        }
        wrong = client.get(f"/api/{F}/clock")
        assert wrong.status_code == 405
        assert wrong.json()["field"] is None and "GET is not taken here" in wrong.json()["error"]
        page = client.get("/nowhere")  # not the API: plain text
        assert page.status_code == 404 and page.text == "Not Found"
