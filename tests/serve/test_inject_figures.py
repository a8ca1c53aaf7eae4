"""A served exercise's inject states figures as an MSEL's does (``deaths:
4``): checked field by field before anything is logged (HTTP 422 naming
``figures.NAME``), logged with the inject and replayed from the log (the
engine tells them to the room the inject reaches, as an MSEL inject's)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from cmdsim.exercise.run import replay_exercise
from cmdsim.serve.app import create_app
from cmdsim.serve.session import Session

from .conftest import TOKENS, two_hazards

F = TOKENS["facilitator"]
REPORT = {"message": "Levee breach; 2 dead", "to": "duty-room", "hazard": "flood"}
REPORT |= {"town": "town_a", "minutes": 5}


@pytest.mark.parametrize(
    "figures",
    [
        {"deaths": 2, "households": 12000},
        {"deaths": "2", "households": "12,000"},  # a form's cells are text
        "deaths: 2; households: 12,000",  # the facilitator page's field
        "deaths：2，households＝12000",  # typed with a Chinese input method
    ],
)
def test_figures_are_logged_told_and_replayed(
    make_session: Callable[..., Session], figures: Any
) -> None:
    session = make_session(("duty-room",))
    with TestClient(create_app(session)) as client:
        sent = client.post(f"/api/{F}/inject", json={**REPORT, "figures": figures})
        assert sent.status_code == 200, sent.text
        client.post(f"/api/{F}/end", json={})
    log = session.journal.path
    records = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    added = [r["inject"] for r in records if r["type"] == "inject"]
    assert [a["figures"] for a in added] == [{"deaths": 2.0, "households": 12000.0}]
    assert session.ex.spec.added[0].figures == {"deaths": 2.0, "households": 12000.0}
    assert replay_exercise(log, scenario=two_hazards()).log_text(log) == log.read_text("utf-8")


@pytest.mark.parametrize(
    ("figures", "fields", "words"),
    [
        ({"deaths": -1}, ["figures.deaths"], "-1 is negative"),
        ({"casualties": 3}, ["figures.casualties"], "it is derived"),
        ({"deaths": "many"}, ["figures.deaths"], "expected a number, got 'many'"),
        ({"deaths": True}, ["figures.deaths"], "expected a number"),
        ({"signal": "red"}, ["figures.signal"], "unknown figure 'signal'"),
        ({"deaths": -1, "houses": 3}, ["figures.deaths", "figures.houses"], "negative"),
        ("deaths 4", ["figures"], "expected name: number pairs"),
        ([4], ["figures"], "expected figures like"),
    ],
)
def test_a_bad_figure_is_a_422_naming_it_and_nothing_is_logged(
    make_session: Callable[..., Session], figures: Any, fields: list[str], words: str
) -> None:
    session = make_session(("duty-room",))
    log = session.journal.path
    before = log.read_bytes()
    with TestClient(create_app(session)) as client:
        answer = client.post(f"/api/{F}/inject", json={**REPORT, "figures": figures})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert (body["field"], body["fields"], body["inject"]) == (fields[0], fields, "facilitator_1")
    assert words in body["error"]
    assert log.read_bytes() == before and session.ex.spec.added == ()


def test_the_facilitator_page_has_the_figures_field(make_session: Callable[..., Session]) -> None:
    session = make_session(("duty-room",))
    with TestClient(create_app(session)) as client:
        page = client.get(f"/f/{F}").text
    assert 'name="figures"' in page
