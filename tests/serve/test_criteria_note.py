"""The facilitator's page says why an action criterion was missed when the
action came before its start (:func:`cmdsim.exercise.criteria.evaluate`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from cmdsim.serve.app import create_app
from cmdsim.serve.server import open_session

from .conftest import TOKENS, TWO_HAZARDS, two_hazards

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# The duty room decides at 75, 115 and 153 (conftest); the call comes at 300.
MSEL = """\
injects:
  - {id: m1, time: 70, from: Weather office, to: District duty room, message: Rain}
  - {id: m2, time: 300, from: Town A, to: District duty room, message: Residents ask}
criteria:
  - {id: c2, text: A decision within 30 minutes of the call, after: {inject: m2},
     expect: {kind: decision}, within: 30}
"""

NOTE = (
    "decision by district_duty_room at +02:33 came before the start "
    "(inject m2 at +05:00): only one at or after it counts"
)


def test_the_facilitator_sees_why_the_criterion_was_missed(tmp_path: Path) -> None:
    msel = tmp_path / "msel.yaml"
    msel.write_text(MSEL, encoding="utf-8")
    session = open_session(
        log=tmp_path / "served.jsonl",
        scenario_path=TWO_HAZARDS,
        msel_path=msel,
        play=("duty-room",),
        seed=0,
        scenario=two_hazards(),
        tokens=TOKENS,
    )
    session.end()
    (criterion,) = session.facilitator_view()["criteria"]
    assert (criterion["status"], criterion["note"]) == ("missed", NOTE)
    with TestClient(create_app(session)) as client:
        page = client.get(f"/f/{TOKENS['facilitator']}").text
        player = client.get(f"/p/{TOKENS['duty-room']}").text
    assert f"A decision within 30 minutes of the call<br><small>{NOTE}</small>" in page
    assert NOTE not in player
