"""Committees (安委会, 专委会, 灾防委) and community handbooks in runs, hand-checked.

The tiny scenario (tests/sim/build.py): every delay fixed, a day band
throughout, one duty-room officer; hotline 10, triage 5, approval 8, an HQ's
one post called out in 20.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis.fastpath import EngineRun, ExactRun, fast_metrics, permits
from cmdsim.io import load_scenario
from cmdsim.model import (
    Body,
    BodyRule,
    CommunityResponse,
    FirstAction,
    Hazard,
    Incident,
    Level,
    Plan,
    PlanKind,
    Post,
    Takeover,
)
from cmdsim.model.conditions import Condition, Trigger
from cmdsim.model.levels import Tier
from cmdsim.model.organisation import OfficerNetwork, Receiver, TierSpec
from cmdsim.model.plans import LevelResponse
from cmdsim.model.scenario import Inject, Scenario, SeverityPoint
from cmdsim.model.timing import Fixed, LogNormal
from cmdsim.sim import simulate
from cmdsim.sim.reasons import Reason, logged_reason

from .build import ONE, START, command, officer_network, scenario

HERE = Path(__file__).parent

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
    assert result.metrics["committee"]["council"] == {
        "notified": 88.0,
        "convened": 173.0,
        "adjourned": None,
    }
    calls = [e for e in result.events if e.kind.startswith("committee")]
    reasons = [logged_reason(dict(e.details)) for e in calls]
    # why, as data: the level in force, then with the two HQs active the rule counts
    assert reasons == [Reason("level", "IV"), Reason("level_hqs_active", "IV", ("gas_hq", "hq"))]
    assert [str(r) for r in reasons] == ["level IV", "level IV, 2 HQs active (gas_hq, hq)"]


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
    assert result.metrics["committee"]["council"] == {
        "notified": 88.0,
        "convened": 183.0,
        "adjourned": None,
    }
    convened = [e for e in result.events if e.kind == "committee_convened"]
    assert [(e.time, e.detail("reason")) for e in convened] == [(183.0, "took_over")]


def closing(*bodies: Body, takeover: Takeover | None = None) -> Scenario:
    """:func:`two_hazards` where both responses close: the rain stops at
    minute 160 and gas is back at 270; the leads reassess every 30 minutes
    from their levels (83 and 143), so the flood closes at 173, the gas at 293."""
    sc = two_hazards(*bodies, takeover=takeover)
    flood, gas = sc.incidents
    rain = (SeverityPoint(at=0, rainfall=20), SeverityPoint(at=100, rainfall=0))
    back = (SeverityPoint(at=0, households=50), SeverityPoint(at=150, households=0))
    incidents = (attrs.evolve(flood, timeline=rain), attrs.evolve(gas, timeline=back))
    return attrs.evolve(sc, incidents=incidents)


def test_a_sitting_ends_when_none_of_its_hazards_is_in_force() -> None:
    # Convened at 173 (the second HQ at 163, + 10) as the flood closes: the
    # gas leak is still in force, so it sits until the gas closes at 293.
    # The general HQ took over at 183 (2 HQs active at 163, + 20) and ends then too.
    rule = Takeover(min_active=2, min_level=Level.I)
    result = simulate(closing(council(), takeover=rule), seed=0)
    assert result.metrics["committee"]["council"] == {
        "notified": 88.0,
        "convened": 173.0,
        "adjourned": 293.0,
    }
    ends = [(e.time, e.actor, e.kind) for e in result.events if e.kind.endswith("ed")]
    assert (293.0, "council", "committee_adjourned") in ends
    assert (293.0, "general_hq", "takeover_ended") in ends
    adjourned = next(e for e in result.events if e.kind == "committee_adjourned")
    assert adjourned.detail("reason") == "none_in_force"


def test_a_body_convened_after_its_hazards_closed_adjourns_at_once() -> None:
    # Its convening takes 200 minutes from 163: at 363 nothing is in force any more.
    body = council(convene=(BodyRule(min_active=2, delay=Fixed(200.0)),))
    metrics = simulate(closing(body), seed=0).metrics["committee"]["council"]
    assert (metrics["convened"], metrics["adjourned"]) == (363.0, 363.0)


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
    base = officer_network(to, handbook=handbook)
    actions = (
        FirstAction(id="warn", duration=Fixed(15.0)),
        FirstAction(id="evacuate", duration=Fixed(45.0), after="warn"),
        FirstAction(id="sandbags", duration=Fixed(5.0), hazards=("gas",)),
    )
    district = attrs.evolve(
        base.district,
        hazards=(*base.district.hazards, Hazard(id="gas")),
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


def test_without_a_handbook_it_waits_for_the_rooms_knowledge_and_instructions() -> None:
    # The only channel is the officers, through this very committee: its
    # officer reports at once (holding it for instructions would leave the
    # district never knowing).  compound 70, committee 80 (reported), town
    # officer 90 -> town room 93 + 4 -> district aware 97, triaged 102: no
    # town plan governs, so the district room's knowledge is the moment;
    # instructions 30 -> acting 132.  warn 132-147, evacuate 147-192.
    result = simulate(community(False), seed=0)
    assert result.metrics["community"]["flood1"] == {
        "committee": "c1",
        "handbook": False,
        "acting": 72.0,
        "reported": 20.0,
        "actions": {"warn": 87.0, "evacuate": 132.0},
    }
    assert result.metrics["incident"]["flood1"]["aware"] == 37.0
    kinds = [
        (e.time, e.actor, e.kind, e.details)
        for e in result.events
        if e.kind.startswith("community")
    ]
    assert kinds == [
        (60.0, "c1", "community_waiting", (("room", "district_duty_room"),)),
        (80.0, "c1", "community_reported", ()),
        (132.0, "c1", "community_acting", (("knew", 102.0), ("room", "district_duty_room"))),
        (147.0, "c1", "community_action_done", (("action", "warn"),)),
        (192.0, "c1", "community_action_done", (("action", "evacuate"),)),
    ]


def covering(*hazards: str) -> Scenario:
    """:func:`community` with a handbook that covers ``hazards`` only."""
    sc = community(True)
    spec = attrs.evolve(sc.district.community, handbook_hazards=hazards)
    return attrs.evolve(sc, district=attrs.evolve(sc.district, community=spec))


def test_a_handbook_that_does_not_cover_the_hazard_waits_as_none() -> None:
    # The committee has a handbook, for gas only: on the flood it waits for
    # the district room's triage (102) and the instructions (30), the very
    # timeline of test_without_a_handbook_it_waits_for_the_rooms_knowledge...
    result = simulate(covering("gas"), seed=0)
    assert result.metrics["community"]["flood1"] == {
        "committee": "c1",
        "handbook": False,
        "acting": 72.0,
        "reported": 20.0,
        "actions": {"warn": 87.0, "evacuate": 132.0},
    }
    waiting = [(e.time, e.kind) for e in result.events if e.kind.startswith("community_")]
    assert waiting[0] == (60.0, "community_waiting")
    assert simulate(community(False), seed=0).metrics == result.metrics


def test_a_handbook_that_covers_the_hazard_acts_at_once() -> None:
    covered = simulate(covering("gas", "flood"), seed=0).metrics
    assert covered["community"]["flood1"]["acting"] == 0.0
    assert covered == simulate(community(True), seed=0).metrics


def town_community() -> Scenario:
    """``community_town.yaml``: its header works the timelines out by hand."""
    return load_scenario(HERE / "community_town.yaml")


def _acting(sc: Scenario) -> tuple[dict[str, object], list[tuple[float, str, object]]]:
    result = simulate(sc, seed=0)
    waits = [
        (e.time, e.kind, e.details)
        for e in result.events
        if e.kind in ("community_waiting", "community_acting")
    ]
    return result.metrics["community"]["leak"], waits


def test_under_the_town_plan_instructions_follow_the_town_rooms_triage() -> None:
    # town room triage 74 + instructions 30 = 104; the officer reports at 100.
    metrics, waits = _acting(town_community())
    assert metrics == {
        "committee": "town_a_r1",
        "handbook": False,
        "acting": 44.0,
        "reported": 40.0,
        "actions": {"warn_residents": 59.0, "evacuate_compound": 104.0},
    }
    assert waits == [
        (60.0, "community_waiting", (("room", "town_a_duty_room"),)),
        (104.0, "community_acting", (("knew", 74.0), ("room", "town_a_duty_room"))),
    ]


def test_with_the_handbook_the_town_committee_acts_at_the_onset() -> None:
    sc = town_community()
    town = sc.district.towns[0]
    ready = attrs.evolve(town.committees[0], handbook=True)
    sc = attrs.evolve(
        sc,
        district=attrs.evolve(sc.district, towns=(attrs.evolve(town, committees=(ready,)),)),
    )
    metrics, waits = _acting(sc)
    assert (metrics["acting"], metrics["reported"], metrics["actions"]) == (
        0.0,
        40.0,
        {"warn_residents": 15.0, "evacuate_compound": 60.0},
    )
    assert waits == [(60.0, "community_acting", ())]


def test_where_the_town_plan_does_not_govern_the_district_rooms_triage_counts() -> None:
    # No town gas plan: town room 74, forwarded 79, district triage 84 -> 114.
    sc = town_community()
    sc = attrs.evolve(sc, district=attrs.evolve(sc.district, plans=sc.district.plans[:1]))
    metrics, waits = _acting(sc)
    assert metrics["acting"] == 54.0
    assert waits[-1] == (
        114.0,
        "community_acting",
        (("knew", 84.0), ("room", "district_duty_room")),
    )


def test_a_town_without_a_room_leaves_the_district_rooms_triage() -> None:
    # The hotline's report reaches the district room at 70, triaged 75 -> 105.
    sc = town_community()
    town = attrs.evolve(sc.district.towns[0], duty_room=None)
    sc = attrs.evolve(sc, district=attrs.evolve(sc.district, towns=(town,)))
    metrics, waits = _acting(sc)
    assert metrics["acting"] == 45.0
    assert waits[-1] == (
        105.0,
        "community_acting",
        (("knew", 75.0), ("room", "district_duty_room")),
    )


def known_before_onset() -> Scenario:
    """``town_community`` with the gas smelt and injected at 50, before the
    onset (60): triaged by the district room at 55 and passed down to the
    town room."""
    return attrs.evolve(
        town_community(), injects=(Inject(id="smell", at=50, hazard="gas", town="town_a"),)
    )


def test_a_room_that_knew_before_the_onset_instructs_from_the_onset() -> None:
    # An inject at 50, triaged by the district room at 55 and passed down to
    # the town room: the committee learns at 60, acts 30 later.
    sc = known_before_onset()
    metrics, waits = _acting(sc)
    assert metrics["acting"] == 30.0
    assert waits[-1] == (
        90.0,
        "community_acting",
        (("knew", 55.0), ("room", "town_a_duty_room")),
    )


def test_a_committee_whose_room_knew_before_the_onset_is_not_logged_waiting() -> None:
    # The inject at 50 is triaged at 55 and passed down to the town room:
    # at the onset (60) the room already knows, so the committee waits for
    # nobody's knowledge; only the instructions' 30 minutes -> acting at 90.
    # Before, "community_waiting" was logged at 60 all the same.
    sc = known_before_onset()
    _metrics, waits = _acting(sc)
    assert waits == [
        (90.0, "community_acting", (("knew", 55.0), ("room", "town_a_duty_room"))),
    ]


def test_a_room_that_never_learns_leaves_the_committee_waiting() -> None:
    sc = town_community()
    hotline, _officers = sc.district.channels
    silent = attrs.evolve(hotline, miss=1.0)
    sc = attrs.evolve(sc, district=attrs.evolve(sc.district, channels=(silent,)))
    metrics, waits = _acting(sc)
    assert (metrics["acting"], metrics["reported"]) == (None, None)
    assert metrics["actions"] == {"warn_residents": None, "evacuate_compound": None}
    assert waits == [(60.0, "community_waiting", (("room", "town_a_duty_room"),))]


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


def varied(handbook: bool) -> Scenario:
    """:func:`community` with random relays, actions and instructions."""
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


@settings(max_examples=25)
@given(seed=st.integers(0, 2**32 - 1))
def test_without_a_handbook_only_the_first_actions_move(seed: int) -> None:
    """The same seed with and without the handbook (its own streams, so no
    other draw moves): the committee acts the instructions' draw after the
    district room's triage of its first report (aware + triage 5, one
    officer and no queue for the first report), its actions move by exactly
    that wait, and nothing else moves: not its officer's report, not the
    district room's awareness, not the level."""
    ready = simulate(varied(True), seed=seed)
    waiting = simulate(varied(False), seed=seed)
    a, b = ready.metrics["community"]["flood1"], waiting.metrics["community"]["flood1"]
    aware = waiting.metrics["incident"]["flood1"]["aware"]
    acting = next(e for e in waiting.events if e.kind == "community_acting")
    assert acting.detail("knew") == pytest.approx(60.0 + aware + 5.0)
    assert b["acting"] == pytest.approx(acting.time - 60.0) and b["acting"] > aware + 5.0
    wait = b["acting"] - a["acting"]
    assert a["acting"] == 0.0
    for action in a["actions"]:
        assert b["actions"][action] == pytest.approx(a["actions"][action] + wait)
    rest_a, rest_b = dict(ready.metrics), dict(waiting.metrics)
    for rest in (rest_a, rest_b):
        rest.pop("community")
    assert rest_b.pop("events") == rest_a.pop("events") + 1  # community_waiting
    assert rest_b == rest_a
    assert b["reported"] == a["reported"]


@settings(max_examples=15)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_handbook_without_the_hazard_is_no_handbook_for_it(seed: int) -> None:
    """Whatever the draws: a handbook whose hazards leave the incident's out
    gives the run of a committee without one, and one that names it the run
    of a handbook that covers every hazard."""
    waiting = varied(False)
    ready = varied(True)

    def covering_only(*hazards: str) -> Scenario:
        spec = attrs.evolve(ready.district.community, handbook_hazards=hazards)
        return attrs.evolve(ready, district=attrs.evolve(ready.district, community=spec))

    assert simulate(covering_only("gas"), seed=seed).to_json() == (
        simulate(waiting, seed=seed).to_json()
    )
    assert simulate(covering_only("flood", "gas"), seed=seed).to_json() == (
        simulate(ready, seed=seed).to_json()
    )


# -- the fast path ------------------------------------------------------------------


def test_the_fast_path_replays_a_committee_without_a_handbook() -> None:
    """Its officer's report is not held (only the first actions wait, which
    the fast path does not compute), so the fast path takes the scenario and
    gives the engine's rows, value for value."""
    sc = varied(False)
    metrics = fast_metrics(sc)
    assert permits(sc, list(metrics)) is None
    seeds = [np.random.SeedSequence(7, spawn_key=(i,)) for i in range(40)]
    rows = ExactRun(metrics).rows(sc, seeds, [0.0] * len(seeds))
    engine = EngineRun(metrics)
    for seed, row in zip(seeds, rows, strict=True):
        want = engine(sc, seed)
        assert sorted((k, repr(float(v))) for k, v in row.items()) == sorted(
            (k, repr(float(v))) for k, v in want.items()
        )


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
    # The bundled handbook has no gas chapter: the committee waits.  The line
    # wraps at the console's width, so its words are matched, not its breaks.
    assert re.search(
        r"first actions of gas_main_rupture \(sanlin_town_r12, no handbook for it; min after "
        rf"onset\): acting {number}, warn_residents {number}, evacuate_compound {number}, "
        rf"officer's report ({number}|-)( |$)",
        " ".join(done.output.split()),
    ), done.output
