"""加强值班: officers a level in force calls in to a duty room (sim/reinforce.py)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis.fastpath import fast_metrics, permits
from cmdsim.io import load_scenario
from cmdsim.model.conditions import Condition, Trigger
from cmdsim.model.levels import Level
from cmdsim.model.organisation import DutyRoom, Town
from cmdsim.model.plans import LevelResponse, Reinforce, asked
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim import RunResult, simulate
from cmdsim.sim.context import Run, SimOptions
from cmdsim.sim.reinforce import Reinforcements, called_in_minutes
from tests.sim.build import START, scenario

ROOT = Path(__file__).resolve().parents[2]
ROOM = "district_duty_room"


def _three(levels: dict[Level, LevelResponse]) -> Scenario:
    """One officer, 30-minute triage; flood1's report at 70, flood2's and
    flood3's both at 110 (hotline 10 minutes after onsets 60, 100, 100)."""
    base = scenario(triage=Fixed(30.0))
    plan = attrs.evolve(base.district.plans[0], levels=levels)
    first = base.incidents[0]
    later = START + dt.timedelta(minutes=100)
    incidents = (
        first,
        attrs.evolve(first, id="flood2", onset=later),
        attrs.evolve(first, id="flood3", onset=later),
    )
    district = attrs.evolve(base.district, plans=(plan,))
    return attrs.evolve(base, district=district, incidents=incidents)


def _decided(levels: dict[Level, LevelResponse]) -> tuple[dict[str, float], float]:
    result = simulate(_three(levels), 0)
    decided = {e.incident or "": e.time for e in result.of_kind("level_decided")}
    return decided, result.metrics["utilisation"][ROOM]


def test_an_officer_called_in_triages_the_report_that_would_wait() -> None:
    """By hand: flood1 triaged 70-100, approved 108: level IV calls one
    officer in, on duty at 128.  flood2 and flood3 arrive at 110: the shift's
    officer triages flood2 110-140 (decided 148); flood3 is triaged by the
    officer called in, 128-158 (decided 166) instead of 140-170 (178)."""
    called = {Level.IV: LevelResponse(reinforce=[Reinforce(ROOM, 1, Fixed(20.0))])}
    decided, utilisation = _decided(called)
    assert decided == {"flood1": 108.0, "flood2": 148.0, "flood3": 166.0}
    # 90 minutes of triage over 600 rostered minutes plus 472 of the officer called in
    assert utilisation == pytest.approx(90 / (600 + 472))
    result = simulate(_three(called), 0)
    called_in = result.of_kind("officers_called")
    assert [(e.actor, e.time, dict(e.details)) for e in called_in] == [
        (ROOM, 108.0, {"officers": 1})
    ]
    on_duty = result.of_kind("officers_on_duty")
    assert [(e.time, dict(e.details)) for e in on_duty] == [(128.0, {"extra": 1})]

    decided, utilisation = _decided({Level.IV: LevelResponse()})
    assert decided == {"flood1": 108.0, "flood2": 148.0, "flood3": 178.0}
    assert utilisation == pytest.approx(90 / 600)


def test_a_level_asks_what_the_levels_below_it_ask() -> None:
    levels = {
        Level.IV: LevelResponse(reinforce=[Reinforce(ROOM, 2)]),
        Level.III: LevelResponse(reinforce=[Reinforce(ROOM, 1), Reinforce("town", 1)]),
    }
    assert {room: call.officers for room, call in asked(levels, Level.III).items()} == {
        ROOM: 2,
        "town": 1,
    }
    assert asked(levels, Level.IV)[ROOM].officers == 2
    assert asked(levels, None) == {}


def test_called_in_minutes_integrates_the_changes() -> None:
    assert called_in_minutes([], 100.0) == 0.0
    assert called_in_minutes([(10.0, 2), (40.0, 1)], 100.0) == 2 * 30 + 1 * 60
    assert called_in_minutes([(10.0, 1), (150.0, 0)], 100.0) == 90


_CHANGES = st.lists(
    st.tuples(
        st.floats(0, 200, allow_nan=False),
        st.sampled_from(["a", "b", "c"]),
        st.sampled_from([None, Level.IV, Level.III, Level.II]),
    ),
    max_size=12,
)


def _most(plan_levels: dict[Level, LevelResponse], now: dict[str, Level | None]) -> int:
    """The most officers any case's level asks of the room."""
    return max(
        (asked(plan_levels, level)[ROOM].officers for level in now.values() if level is not None),
        default=0,
    )


@settings(max_examples=60, deadline=None)
@given(changes=_CHANGES, arrive=st.floats(0, 50, allow_nan=False))
def test_a_room_never_has_more_called_in_than_asked_and_in_the_end_all(
    changes: list[tuple[float, str, Level | None]], arrive: float
) -> None:
    """Whatever the cases' levels do, a room never has more officers called
    in than the most any case asks (checked at every change of its roster),
    and once every call-in has had time to arrive it has exactly that."""
    levels = {
        Level.IV: LevelResponse(reinforce=[Reinforce(ROOM, 1, Fixed(arrive))]),
        Level.II: LevelResponse(reinforce=[Reinforce(ROOM, 3, Fixed(arrive))]),
    }
    tiny = _three(levels)
    run = Run(tiny, 0, SimOptions())
    plan = tiny.district.plans[0]
    now: dict[str, Level | None] = {}
    rostered: list[int] = []

    class Room:
        def reinforce(self, officers: int) -> None:
            assert officers <= _most(plan.levels, now)
            rostered.append(officers)

    calls = Reinforcements(run, lambda room: Room())

    def drive() -> Iterator[simpy.Event]:
        for at, case, level in sorted(changes, key=lambda c: c[0]):
            yield run.env.timeout(max(0.0, at - run.env.now))
            now[case] = level
            calls.level(case, plan, level)

    run.env.process(drive())
    run.env.run()
    want = _most(plan.levels, now)
    assert calls.present.get(ROOM, 0) == want
    assert (rostered[-1] if rostered else 0) == want
    changes_logged = run.ledger.called_in.get(ROOM, [])
    assert [n for _, n in changes_logged] == rostered


TOWN_ROOM = "town_a_duty_room"


def _town_calls_in(hand_back: bool = True) -> Scenario:
    """``town_hand_back.yaml`` (timed by hand in its header) whose town plan's
    level IV calls one officer in to the town's own room, on duty 10 later."""
    sc = load_scenario(ROOT / "tests" / "sim" / "town_hand_back.yaml")
    district_gas, town_gas = sc.district.plans
    call = LevelResponse(reinforce=[Reinforce(TOWN_ROOM, 1, Fixed(10.0))])
    escalation = attrs.evolve(town_gas.escalation, hand_back=hand_back)
    town_gas = attrs.evolve(town_gas, levels={Level.IV: call}, escalation=escalation)
    return attrs.evolve(sc, district=attrs.evolve(sc.district, plans=(district_gas, town_gas)))


def _roster(result: RunResult) -> list[tuple[float, str, str, int]]:
    """The call-ins and changes of who is on duty: (time, kind, room, officers)."""
    return [
        (
            e.time,
            e.kind,
            e.actor,
            e.detail("officers") if e.kind == "officers_called" else e.detail("extra"),
        )
        for e in result.events
        if e.kind in ("officers_called", "officers_on_duty")
    ]


def test_a_town_plans_call_in_holds_through_hand_over_and_hand_back() -> None:
    """By hand: the town room's level IV at 80 calls its officer in (on duty
    at 90).  The case is handed over at 139 (the district's III at 147) and
    back at 207 (taken back at 212): the town plan's level stays in force
    under the district plan and again after, so the officer stays on duty to
    the horizon (300), called in once.  The town room's rostered minutes are
    its two officers' 600 and the 210 of the one called in; its busy minutes
    the triage of its three reports (4 each)."""
    result = simulate(_town_calls_in(), 0)
    assert _roster(result) == [
        (80.0, "officers_called", TOWN_ROOM, 1),
        (90.0, "officers_on_duty", TOWN_ROOM, 1),
    ]
    moves = [(e.time, e.kind) for e in result.events if e.kind.startswith("plan_")]
    assert moves == [
        (139.0, "plan_handed_over"),
        (207.0, "plan_handed_back"),
        (212.0, "plan_taken_back"),
    ]
    utilisation = result.metrics["utilisation"]
    assert utilisation[TOWN_ROOM] == pytest.approx(12 / (600 + 210))
    # The district room: 3 reports triaged in 5 each over its 600 minutes.
    assert utilisation[ROOM] == pytest.approx(15 / 600)


def test_a_town_plans_call_in_ends_with_the_district_response_it_was_handed_to() -> None:
    """The district plan now starts at 1,000 households (III from 3,000), and
    the town plan takes nothing back: the district room's III at 147 closes
    at 207 (200 households, under IV) and the town's officer goes home then
    — before, the call-in outlived the response to the horizon.  At 240
    5,000 households again: the town room's report (250, triaged 254)
    reaches the district room at 259 (triaged 264, approved 272), whose III
    opens the response again, and the town room's officer with it (on duty
    at 282).  Rostered: 600 + 117 (90-207) + 18 (282-300); busy: four town
    reports at 4."""
    sc = _town_calls_in(hand_back=False)
    district_gas, town_gas = sc.district.plans
    triggers = (
        Trigger(Level.IV, any_of=(Condition.parse("households >= 1000"),)),
        Trigger(Level.III, any_of=(Condition.parse("households >= 3000"),)),
    )
    district_gas = attrs.evolve(district_gas, triggers=triggers)
    leak = sc.incidents[0]
    again = attrs.evolve(leak, timeline=(*leak.timeline, SeverityPoint(at=180.0, households=5000)))
    sc = attrs.evolve(
        sc,
        district=attrs.evolve(sc.district, plans=(district_gas, town_gas)),
        incidents=(again,),
    )
    result = simulate(sc, 0)
    closed = [
        (e.time, e.kind)
        for e in result.events
        if e.actor == ROOM and e.kind in ("level_decided", "response_closed")
    ]
    assert closed == [
        (147.0, "level_decided"),
        (207.0, "response_closed"),
        (272.0, "level_decided"),
    ]
    assert _roster(result) == [
        (80.0, "officers_called", TOWN_ROOM, 1),
        (90.0, "officers_on_duty", TOWN_ROOM, 1),
        (207.0, "officers_on_duty", TOWN_ROOM, 0),
        (272.0, "officers_called", TOWN_ROOM, 1),
        (282.0, "officers_on_duty", TOWN_ROOM, 1),
    ]
    assert result.metrics["utilisation"][TOWN_ROOM] == pytest.approx(16 / (600 + 117 + 18))


def _town_and_district(values: list[int], hand_back: bool, district_iv: int) -> Scenario:
    """``town_hand_back.yaml`` with the households at each hour from onset
    ``values``: the town plan at IV from 50 (lowered and closed when they
    fall, after 30 minutes), the district plan at IV from ``district_iv``
    and III from 3,000; the town's officer called in at once."""
    sc = _town_calls_in(hand_back)
    district_gas, town_gas = sc.district.plans
    call = LevelResponse(reinforce=[Reinforce(TOWN_ROOM, 1, Fixed(0.0))])
    town_gas = attrs.evolve(
        town_gas,
        levels={Level.IV: call},
        triggers=(Trigger(Level.IV, any_of=(Condition.parse("households >= 50"),)),),
        escalation=attrs.evolve(town_gas.escalation, deescalate=True, hold=30.0),
    )
    district_gas = attrs.evolve(
        district_gas,
        triggers=(
            Trigger(Level.IV, any_of=(Condition.parse(f"households >= {district_iv}"),)),
            Trigger(Level.III, any_of=(Condition.parse("households >= 3000"),)),
        ),
    )
    leak = attrs.evolve(
        sc.incidents[0],
        timeline=tuple(SeverityPoint(at=60.0 * i, households=v) for i, v in enumerate(values)),
    )
    district = attrs.evolve(sc.district, plans=(district_gas, town_gas))
    return attrs.evolve(sc, horizon=600.0, district=district, incidents=(leak,))


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.sampled_from([0, 100, 2000, 5000]), min_size=1, max_size=6),
    hand_back=st.booleans(),
    district_iv=st.sampled_from([0, 1000]),
)
def test_a_town_rooms_officer_is_on_duty_exactly_while_a_response_runs(
    values: list[int], hand_back: bool, district_iv: int
) -> None:
    """Read from the event log after each instant: the town room has its
    officer called in exactly while the town plan's level is in force, save
    after a hand-over whose district response has closed with nothing handed
    back (until it opens again or the case comes back down)."""
    result = simulate(_town_and_district(values, hand_back, district_iv), 0)
    town_level: object = None
    handed = returning = closed = False
    on = 0
    for time, events in itertools.groupby(result.events, key=lambda e: e.time):
        for e in events:
            if e.actor == TOWN_ROOM:
                if e.kind in ("level_decided", "level_escalated", "level_deescalated"):
                    town_level = e.detail("level")
                elif e.kind == "response_closed":
                    town_level = None
                elif e.kind == "plan_taken_back":
                    town_level, handed, returning = e.detail("level"), False, False
                elif e.kind == "officers_on_duty":
                    on = e.detail("extra")
            elif e.actor == ROOM:
                if e.kind == "plan_handed_over":
                    handed, closed = True, False
                elif e.kind == "plan_handed_back":
                    returning = True
                elif e.kind in ("level_decided", "level_escalated", "level_deescalated"):
                    closed = False
                elif e.kind == "response_closed":
                    closed = not returning
        released = handed and closed and not returning
        assert on == int(town_level is not None and not released), time


def test_the_fast_path_refuses_a_call_in() -> None:
    """The fast path's rooms have their shifts' officers only: a drill whose
    plans call officers in is the engine's (with unlimited capacity it does
    not matter)."""
    called = {Level.IV: LevelResponse(reinforce=[Reinforce(ROOM, 1, Fixed(20.0))])}
    tiny = _three(called)
    metrics = list(fast_metrics(tiny))
    reason = permits(tiny, metrics)
    assert reason is not None and "加强值班" in reason and ROOM in reason
    assert permits(tiny, metrics, unlimited=True) is None
    assert "加强值班" not in (permits(_three({Level.IV: LevelResponse()}), metrics) or "")


def test_the_fast_path_refuses_a_call_in_to_a_town_room() -> None:
    """A district plan strengthening a town's room is refused as the
    district's room is (not with unlimited rooms); a town plan calling in its
    own room is refused as a town plan, with unlimited rooms too (the town
    room decides first, which the fast path does not replay)."""
    town_call = {Level.IV: LevelResponse(reinforce=[Reinforce(TOWN_ROOM, 1, Fixed(20.0))])}
    tiny = _three({Level.IV: LevelResponse()})
    town = Town(id="town_a", duty_room=DutyRoom(id=TOWN_ROOM))
    plan = attrs.evolve(tiny.district.plans[0], levels=town_call)
    district = attrs.evolve(tiny.district, towns=(town,), plans=(plan,))
    tiny = attrs.evolve(tiny, district=district)
    metrics = list(fast_metrics(tiny))
    reason = permits(tiny, metrics)
    assert reason is not None and "加强值班" in reason and TOWN_ROOM in reason
    assert permits(tiny, metrics, unlimited=True) is None
    own = _town_calls_in()
    for unlimited in (False, True):
        reason = permits(own, list(fast_metrics(own)), unlimited=unlimited)
        assert reason is not None and "town plan town_a_gas" in reason


def test_the_bundled_flood_plans_call_the_rooms_in() -> None:
    """The compound typhoon's signals put IV then III in force long before
    dawn: the district room has its two officers called in when the pile-up
    comes (which is what keeps its phone report on time), and goes back to
    its own staffing when the last flood response closes.  Each town whose
    flood and typhoon plan is put in force calls one officer in to its own
    room then (the towns' plans, generated by tools/gen_district.py)."""
    drill = load_scenario(ROOT / "scenarios" / "compound-typhoon.yaml")
    result = simulate(drill, 0)
    extra = [
        (e.time, e.detail("extra")) for e in result.of_kind("officers_on_duty") if e.actor == ROOM
    ]
    pileup = next(e.time for e in result.of_kind("onset") if e.incident == "expressway_pileup")
    assert [n for _, n in extra][:2] == [1, 2]
    assert max(t for t, n in extra if n > 0) < pileup
    # The last flood response closes with the lift at 10:0x (the high tide's
    # handling over at 09:30): the officers called in go home then.
    assert extra[-1][1] == 0 and len(extra) == 3
    town_levels = [
        (e.time, e.actor)
        for e in result.of_kind("level_decided")
        if str(e.detail("plan")).endswith("_town_flood_typhoon_plan")
    ]
    called = [(e.time, e.actor) for e in result.of_kind("officers_called") if e.actor != ROOM]
    assert called == town_levels
    assert {room for _, room in called} == {
        "chuansha_town_duty_room",
        "nanhui_xincheng_town_duty_room",
        "zhangjiang_town_duty_room",
    }
    assert all(
        e.detail("officers") == 1 for e in result.of_kind("officers_called") if e.actor != ROOM
    )
