"""加强值班: officers a level in force calls in to a duty room (sim/reinforce.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis.fastpath import fast_metrics, permits
from cmdsim.io import load_scenario
from cmdsim.model.levels import Level
from cmdsim.model.plans import LevelResponse, Reinforce, asked
from cmdsim.model.scenario import Scenario
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate
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


def test_the_bundled_flood_plan_calls_the_district_room_in() -> None:
    """The compound typhoon's signals put IV then III in force long before
    dawn: the district room has its two officers called in when the pile-up
    comes (which is what keeps its phone report on time)."""
    drill = load_scenario(ROOT / "scenarios" / "compound-typhoon.yaml")
    result = simulate(drill, 0)
    extra = [(e.time, dict(e.details)["extra"]) for e in result.of_kind("officers_on_duty")]
    pileup = next(e.time for e in result.of_kind("onset") if e.incident == "expressway_pileup")
    assert [n for _, n in extra][:2] == [1, 2]
    assert max(t for t, _ in extra) < pileup
