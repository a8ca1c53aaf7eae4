"""CMD051: a town plan that an outgrown incident could not be handed over from."""

from __future__ import annotations

from cmdsim.check import check
from cmdsim.model import District, Hazard, Plan, PlanTier, Town
from cmdsim.model.organisation import Command, Unit
from cmdsim.model.plans import Escalation


def town_plan(hazard: str, *hand_over: str) -> Plan:
    return Plan(
        "town_" + hazard,
        tier=PlanTier.TOWN,
        town="t1",
        hazards=[hazard],
        lead="hq1",
        escalation=Escalation(hand_over=hand_over),
    )


def district(*plans: Plan) -> District:
    return District(
        id="d",
        hazards=(Hazard("gas"), Hazard("flood")),
        units=(Unit("u1"),),
        commands=(Command("hq1", lead_unit="u1"),),
        towns=(Town("t1"),),
        plans=plans,
    )


def cmd051(d: District) -> list[tuple[str, str]]:
    return [(f.path, f.message) for f in check(d).findings if f.code == "CMD051"]


def test_town_plan_without_anything_above_it() -> None:
    found = cmd051(district(town_plan("flood")))
    assert len(found) == 1
    path, message = found[0]
    assert path == "plans[0].escalation.hand_over" and "'flood'" in message


def test_a_district_plan_or_a_hand_over_is_somewhere_to_go() -> None:
    district_flood = Plan("flood", hazards=["flood"], lead="hq1")
    assert cmd051(district(district_flood, town_plan("flood"))) == []
    flagged = cmd051(district(town_plan("gas", "town_flood"), town_plan("flood")))
    assert [path for path, _ in flagged] == ["plans[1].escalation.hand_over"]
