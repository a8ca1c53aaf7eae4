"""Committees (安委会, 专委会, 灾防委) and community handbooks in runs, hand-checked.

The tiny scenario (tests/sim/build.py): every delay fixed, a day band
throughout, one duty-room officer; hotline 10, triage 5, approval 8, an HQ's
one post called out in 20.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from cmdsim.analysis.fastpath import permits
from cmdsim.model import (
    Body,
    BodyRule,
    Channel,
    ChannelKind,
    CommunityResponse,
    DutyRoom,
    FirstAction,
    Hazard,
    Incident,
    Level,
    Plan,
    PlanKind,
    Post,
    Takeover,
)
from cmdsim.model.levels import Tier
from cmdsim.model.organisation import Committee, OfficerNetwork, Receiver, TierSpec, Town
from cmdsim.model.plans import Condition, LevelResponse, Trigger
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import Fixed, LogNormal, Staffing
from cmdsim.sim import simulate

from .build import ONE, START, command, scenario

# -- committees ------------------------------------------------------------------


def two_hazards(*bodies: Body, takeover: Takeover | None = None) -> Scenario:
    """A flood at minute 60 and a gas leak at 120, each with its own plan and HQ."""
    base = scenario(hq=command((Post(id="commander", callout=Fixed(20.0)),)), onset=60.0)
    gas_hq = command((Post(id="commander", callout=Fixed(20.0)),), ident="gas_hq")
    gas_plan = Plan(
        id="gas_plan",
        hazards=("gas",),
        lead="gas_hq",
        triggers=(Trigger(Level.IV, any_of=(Condition.parse("households >= 1"),)),),
        levels={Level.IV: LevelResponse()},
    )
    plans = (*base.district.plans, gas_plan)
    commands = (*base.district.commands, gas_hq)
    if takeover is not None:
        general = command((Post(id="commander", callout=Fixed(20.0)),), ident="general_hq")
        commands = (*commands, attrs.evolve(general, general=True))
        plans = (
            *plans,
            Plan(id="general", kind=PlanKind.GENERAL, lead="general_hq", takeover=takeover),
        )
    district = attrs.evolve(
        base.district,
        hazards=(*base.district.hazards, Hazard(id="gas")),
        commands=commands,
        plans=plans,
        bodies=bodies,
    )
    gas = Incident(
        id="gas1",
        hazard="gas",
        town="town_a",
        onset=START + dt.timedelta(minutes=120),
        timeline=(SeverityPoint(at=0, households=50),),
    )
    return attrs.evolve(base, district=district, incidents=(*base.incidents, gas))


def council(**fields: object) -> Body:
    values: dict[str, object] = {
        "id": "council",
        "office": "water",
        "members": ("water",),
        "hazards": ("flood", "gas"),
        "commands": ("hq", "gas_hq"),
        "notify": (BodyRule(min_level=Level.IV, delay=Fixed(5.0)),),
        "convene": (BodyRule(min_active=2, delay=Fixed(10.0)),),
        "factors": ONE,
    }
    values.update(fields)
    return Body(**values)  # type: ignore[arg-type]


def events(result: object, prefix: str) -> list[tuple[float, str, str]]:
    return [
        (e.time, e.actor, e.kind)
        for e in result.events  # type: ignore[attr-defined]
        if e.kind.startswith(prefix) or e.kind in ("level_decided", "hq_activated")
    ]


def test_notified_at_the_first_level_and_convened_when_the_second_hq_activates() -> None:
    # flood: aware 70, triaged 75, approved 83 (level IV) -> notified 83 + 5 = 88;
    # hq active 103.  gas: aware 130, triaged 135, approved 143, gas_hq active
    # 163: the second active HQ -> convened 163 + 10 = 173.
    result = simulate(two_hazards(council()), seed=0)
    assert events(result, "committee") == [
        (83.0, "district_duty_room", "level_decided"),
        (88.0, "council", "committee_notified"),
        (103.0, "hq", "hq_activated"),
        (143.0, "district_duty_room", "level_decided"),
        (163.0, "gas_hq", "hq_activated"),
        (173.0, "council", "committee_convened"),
    ]
    assert result.metrics["committee"]["council"] == {"notified": 88.0, "convened": 173.0}
    reasons = [e.detail("reason") for e in result.events if e.kind.startswith("committee")]
    assert reasons == ["level IV", "level IV, 2 HQs active (gas_hq, hq)"]


def test_a_rule_of_one_hazard_waits_for_that_hazard() -> None:
    # Notified only by a gas level (143) and never convened: one gas HQ alone.
    body = council(
        notify=(BodyRule(hazards=("gas",)),),
        convene=(BodyRule(hazards=("gas",), min_active=2, min_level=Level.III),),
    )
    metrics = simulate(two_hazards(body), seed=0).metrics["committee"]["council"]
    assert (metrics["notified"], metrics["convened"]) == (143.0, None)


def test_a_call_to_meet_notifies_at_once() -> None:
    # No notify rule: the convene rule holds at 163, so notified then, met at 173.
    metrics = simulate(two_hazards(council(notify=())), seed=0).metrics["committee"]["council"]
    assert (metrics["notified"], metrics["convened"]) == (163.0, 173.0)


def test_the_general_hqs_takeover_convenes_the_bodies_it_names() -> None:
    # Takeover at 2 active HQs: triggered at 163, the general HQ's commander
    # arrives at 183 and it takes over; it convenes the council then.
    body = council(convene=())
    rule = Takeover(min_active=2, min_level=Level.I, convene=("council",))
    result = simulate(two_hazards(body, takeover=rule), seed=0)
    assert result.metrics["takeover"]["time"] == 183.0
    assert result.metrics["committee"]["council"] == {"notified": 88.0, "convened": 183.0}
    convened = [e for e in result.events if e.kind == "committee_convened"]
    assert [(e.time, e.detail("reason")) for e in convened] == [(183.0, "the general HQ took over")]


def test_committees_only_observe() -> None:
    # Everything but the committees' own metrics and the event count is as without them.
    plain = simulate(two_hazards(), seed=3).metrics
    with_body = simulate(two_hazards(council()), seed=3).metrics
    assert "committee" not in plain
    with_body.pop("committee")
    assert with_body.pop("events") == plain.pop("events") + 2
    assert with_body == plain


# -- community handbooks ------------------------------------------------------------


def community(handbook: bool, *, to: Receiver = Receiver.DISTRICT) -> Scenario:
    """The flood at minute 60 in committee c1; officers relay 10 per tier,
    the town room triages in 3 and forwards in 4; no other channel."""
    base = scenario(hq=command(), onset=60.0)
    tiers = {tier: TierSpec(relay=Fixed(10.0), miss=0.0, factors=ONE) for tier in Tier}
    room = DutyRoom(
        id="town_a_room",
        staffing=Staffing(day=1, night=1, holiday=1),
        triage=Fixed(3.0),
        approval=Fixed(1.0),
        forward=Fixed(4.0),
        factors=ONE,
    )
    town = Town(
        id="town_a",
        officers=1,
        duty_room=room,
        committees=(Committee(id="c1", officers=1, compound_officers=1, handbook=handbook),),
    )
    actions = (
        FirstAction(id="warn", duration=Fixed(15.0)),
        FirstAction(id="evacuate", duration=Fixed(45.0), after="warn"),
        FirstAction(id="sandbags", duration=Fixed(5.0), hazards=("gas",)),
    )
    district = attrs.evolve(
        base.district,
        hazards=(*base.district.hazards, Hazard(id="gas")),
        towns=(town,),
        officers=OfficerNetwork(district=1, tiers=tiers),
        channels=(Channel(id="officers", kind=ChannelKind.OFFICERS, to=to),),
        community=CommunityResponse(actions=actions, instructions=Fixed(30.0), factors=ONE),
    )
    incident = attrs.evolve(base.incidents[0], committee="c1")
    return attrs.evolve(base, district=district, incidents=(incident,))


def test_with_a_handbook_the_committee_acts_at_once() -> None:
    # onset 60: warn 60-75, evacuate 75-120; the officers: compound 70,
    # committee 80 (reported), town 90 -> town room 93 + 4 -> district aware 97.
    result = simulate(community(True), seed=0)
    assert result.metrics["community"]["flood1"] == {
        "committee": "c1",
        "handbook": True,
        "acting": 0.0,
        "reported": 20.0,
        "actions": {"warn": 15.0, "evacuate": 60.0},
    }
    assert result.metrics["incident"]["flood1"]["aware"] == 37.0


def test_without_a_handbook_it_waits_for_instructions() -> None:
    # Instructions 30 after it learns (60): it may act at 90.  warn 90-105,
    # evacuate 105-150; the committee officer's hop waits from 70 to 90 and
    # ends at 100; town officer 110 -> town room 113 + 4 -> district aware 117.
    result = simulate(community(False), seed=0)
    assert result.metrics["community"]["flood1"] == {
        "committee": "c1",
        "handbook": False,
        "acting": 30.0,
        "reported": 40.0,
        "actions": {"warn": 45.0, "evacuate": 90.0},
    }
    assert result.metrics["incident"]["flood1"]["aware"] == 57.0
    kinds = [(e.time, e.actor, e.kind) for e in result.events if e.kind.startswith("community")]
    assert kinds == [
        (60.0, "c1", "community_waiting"),
        (90.0, "c1", "community_acting"),
        (100.0, "c1", "community_reported"),
        (105.0, "c1", "community_action_done"),
        (150.0, "c1", "community_action_done"),
    ]


def test_a_district_whose_committees_all_have_handbooks_runs_as_before() -> None:
    # With every handbook and no actions, nothing of the community runs.
    with_handbook = community(True)
    bare = attrs.evolve(
        with_handbook,
        district=attrs.evolve(with_handbook.district, community=CommunityResponse()),
    )
    assert "community" not in simulate(bare, seed=4).metrics
    plain = simulate(bare, seed=4).metrics
    acting = simulate(with_handbook, seed=4).metrics
    acting.pop("community")
    acting.pop("events")
    plain.pop("events")
    assert acting == plain


@pytest.mark.parametrize("seed", range(5))
def test_without_a_handbook_everything_the_committee_does_moves_by_the_wait(seed: int) -> None:
    """Random delays, the same seed with and without the handbook (its own
    streams, so no other draw moves): the actions move by exactly the wait
    for instructions, and nothing happens sooner."""

    def varied(handbook: bool) -> Scenario:
        sc = community(handbook)
        actions = tuple(
            attrs.evolve(a, duration=LogNormal(median=20.0, sigma=0.6))
            for a in sc.district.community.actions
        )
        spec = attrs.evolve(
            sc.district.community, actions=actions, instructions=LogNormal(median=30.0, sigma=0.5)
        )
        relay = TierSpec(relay=LogNormal(median=10.0, sigma=0.5), miss=0.0, factors=ONE)
        district = attrs.evolve(
            sc.district,
            community=spec,
            officers=OfficerNetwork(district=1, tiers={tier: relay for tier in Tier}),
        )
        return attrs.evolve(sc, district=district)

    ready = simulate(varied(True), seed=seed).metrics
    waiting = simulate(varied(False), seed=seed).metrics
    a, b = ready["community"]["flood1"], waiting["community"]["flood1"]
    wait = b["acting"] - a["acting"]
    assert a["acting"] == 0.0 and wait > 0
    for action in a["actions"]:
        assert b["actions"][action] == pytest.approx(a["actions"][action] + wait)
    assert b["reported"] >= a["reported"]
    assert waiting["incident"]["flood1"]["aware"] >= ready["incident"]["flood1"]["aware"]


# -- the fast path ------------------------------------------------------------------


def test_the_fast_path_refuses_a_committee_that_waits_for_instructions() -> None:
    reason = permits(community(False), ["incident.flood1.aware"], unlimited=True)
    assert reason is not None and "handbook" in reason


def test_the_fast_path_refuses_committee_and_community_metrics() -> None:
    sc = community(True)
    for metric in ("community.flood1.actions.warn", "committee.council.convened"):
        reason = permits(sc, [metric], unlimited=True)
        assert reason is not None and metric in reason


def test_cmdsim_run_prints_the_committees_and_the_first_actions() -> None:
    import re

    from click.testing import CliRunner

    from cmdsim.cli import main

    done = CliRunner().invoke(main, ["run", "scenarios/gas.yaml", "--seed", "0"])
    assert done.exit_code == 0, done.output
    number = r"\d+\.\d"
    assert re.search(
        rf"committees \(min after start\): work_safety_committee notified {number}, "
        rf"convened {number}\n",
        done.output,
    ), done.output
    assert re.search(
        r"first actions of gas_main_rupture \(sanlin_town_r12, handbook; min after onset\): "
        rf"acting 0\.0, warn_residents {number}, evacuate_compound {number}, "
        rf"officer's report ({number}|-)\n",
        done.output,
    ), done.output
