"""Who sees one response per site and over-response in a served exercise."""

from __future__ import annotations

from cmdsim.exercise.policy import DUTY_ROOM, GENERAL_HQ, LEAD_HQ
from cmdsim.serve.visibility import visible

ROOM = "district_duty_room"


def _event(kind: str, actor: str = ROOM) -> dict[str, object]:
    return {"time": 10.0, "kind": kind, "actor": actor, "incident": "crash", "details": {}}


def test_the_duty_room_sees_its_merges_and_every_role_two_leads() -> None:
    assert visible(_event("incident_merged"), DUTY_ROOM, ROOM)
    # A town room's merge is its own work, not the district room's.
    assert not visible(_event("incident_merged", "town_a_duty_room"), DUTY_ROOM, ROOM)
    for role in (DUTY_ROOM, GENERAL_HQ, LEAD_HQ):
        assert visible(_event("two_leads"), role, ROOM)


def test_over_response_is_the_facilitators_evaluation() -> None:
    for role in (DUTY_ROOM, GENERAL_HQ, LEAD_HQ):
        assert not visible(_event("over_response"), role, ROOM)
