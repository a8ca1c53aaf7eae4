"""A takeover puts the general plan in force (:mod:`cmdsim.sim.general`).

``general_takeover.yaml`` (fixed delays): the flood's level IV is decided at
83 (report 70, triage 75, approval 83), the gas explosion's level I at 123
(report 110, triage 115, approval 123).  Level I holds the takeover rule at
123; the general HQ's commander arrives 20 minutes after the call, so it
takes over at 143, and the general plan comes into force at 143 at level I
(the gravest in force) for both incidents: the general HQ joins each, the
water unit is told, the bureau opens the one command post of the event, set
with the gas explosion whose level I brought the plan in force at I (15
minutes: done at 158, due 60 minutes after the general HQ is at work: 203),
writes each its phone report (5 minutes, 1 to send: arrives 149; due 30
minutes after the general plan learned of it at the takeover, 173, not
after the duty room did), and an hourly report from 143 on (sent 208 and
268).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim import io
from cmdsim.model import Fixed, Level, LevelResponse, Takeover, Task
from cmdsim.model.conditions import Condition
from cmdsim.model.incidents import SeverityPoint
from cmdsim.model.scenario import Scenario
from cmdsim.sim import simulate
from tests.builders import with_plan

HERE = Path(__file__).parent
SCENARIO = io.load(HERE / "general_takeover.yaml")


def _general_events(result: object) -> list[tuple[float, str, str, str]]:
    kinds = {"general_plan", "task_assigned", "task_done", "report_arrived", "takeover"}
    out = []
    for e in result.events:  # type: ignore[attr-defined]
        if e.kind not in kinds:
            continue
        details = dict(e.details)
        what = details.get("task") or details.get("deadline") or details.get("level") or ""
        out.append((e.time, e.kind, e.incident or "", what))
    return out


def test_the_general_plans_level_i_runs_from_the_takeover() -> None:
    result = simulate(SCENARIO, seed=0)
    assert _general_events(result) == [
        (143.0, "takeover", "", ""),
        (143.0, "general_plan", "flood1", "I"),
        (143.0, "general_plan", "gas1", "I"),
        (143.0, "task_assigned", "gas1", "command_post"),
        (149.0, "report_arrived", "flood1", "general_plan:phone"),
        (149.0, "report_arrived", "gas1", "general_plan:phone"),
        (158.0, "task_done", "gas1", "command_post"),
        (209.0, "report_arrived", "flood1", "general_plan:hourly"),
        (209.0, "report_arrived", "gas1", "general_plan:hourly"),
        (269.0, "report_arrived", "flood1", "general_plan:hourly"),
        (269.0, "report_arrived", "gas1", "general_plan:hourly"),
    ]
    joined = [(e.time, e.incident) for e in result.of_kind("hq_joined") if e.actor == "general_hq"]
    assert joined == [(143.0, "flood1"), (143.0, "gas1")]
    assert [e.actor for e in result.of_kind("unit_notified")] == ["water", "water"]
    gas = result.metrics["incident"]["gas1"]  # minutes after the gas onset, 100
    assert gas["hq"]["general_hq"]["activated"] == 43.0
    assert gas["deadline"]["command_post"]["due"] == 103.0
    assert gas["deadline"]["command_post"]["done"] == 58.0
    # The flood's part of the event sets no command post of its own.
    assert "command_post" not in result.metrics["incident"]["flood1"]["deadline"]
    phone = gas["reporting"]["general_plan:phone"]["items"]
    assert [(i["due"], i["arrived"], i["status"]) for i in phone] == [(73.0, 49.0, "on_time")]
    hourly = gas["reporting"]["general_plan:hourly"]["items"]
    assert [(i["occasion"], i["due"], i["status"]) for i in hourly] == [
        (103.0, 133.0, "on_time"),
        (163.0, 193.0, "on_time"),
    ]


def _task_events(result: object) -> list[tuple[float, str, str, str]]:
    return [
        (t, kind, inc, what)
        for t, kind, inc, what in _general_events(result)
        if kind in ("task_assigned", "task_done")
    ]


def test_a_later_incident_raising_the_level_adds_only_the_new_levels_tasks() -> None:
    """Two active HQs take over: the flood's hq at work at 103, the gas HQ
    (its level IV decided at 123) at 143; the general HQ's commander arrives
    at 163, and the general plan comes in force at IV, the gravest: its IV
    duty post is set once, with the flood (the first at IV), done at 173.
    The gas explosion kills 30 at 120 after its onset (minute 220): reported
    at 230, triaged at 235, approved at 243, level I; the general plan follows
    at I for both, and sets only I's command post, with the gas explosion
    that raised it (done at 258); the duty post is not set again."""
    general = next(p for p in SCENARIO.district.plans if p.id == "general_plan")
    post = Task(id="duty_post", unit="bureau", duration=Fixed(10.0), deadline=60.0)
    levels = {Level.IV: LevelResponse(tasks=(post,)), **general.levels}
    scenario = with_plan(
        SCENARIO,
        "general_plan",
        levels=levels,
        takeover=Takeover(min_active=2, min_level=Level.I),
    )
    gas = attrs.evolve(
        scenario.incidents[1],
        timeline=(SeverityPoint(at=0, deaths=0), SeverityPoint(at=120, deaths=30)),
    )
    result = simulate(attrs.evolve(scenario, incidents=(scenario.incidents[0], gas)), seed=0)
    assert [
        (e.time, e.incident, dict(e.details)["level"]) for e in result.of_kind("general_plan")
    ] == [
        (163.0, "flood1", "IV"),
        (163.0, "gas1", "IV"),
        (243.0, "flood1", "I"),
        (243.0, "gas1", "I"),
    ]
    assert _task_events(result) == [
        (163.0, "task_assigned", "flood1", "duty_post"),
        (173.0, "task_done", "flood1", "duty_post"),
        (243.0, "task_assigned", "gas1", "command_post"),
        (258.0, "task_done", "gas1", "command_post"),
    ]


def test_no_takeover_no_general_plan() -> None:
    # The gas explosion kills 29: level IV, no takeover, nothing of the plan.
    gas = attrs.evolve(SCENARIO.incidents[1], timeline=(SeverityPoint(at=0, deaths=29),))
    result = simulate(attrs.evolve(SCENARIO, incidents=(SCENARIO.incidents[0], gas)), seed=0)
    assert result.of_kind("takeover") == ()
    assert result.of_kind("general_plan") == ()
    assert result.of_kind("task_assigned") == ()
    assert result.of_kind("report_arrived") == ()


def _district_levels(result: object) -> list[tuple[float, str, Level | None]]:
    moves = {"level_decided", "level_escalated", "level_deescalated", "response_closed"}
    out = []
    for e in result.events:  # type: ignore[attr-defined]
        if e.kind in moves and e.actor == "district_duty_room":
            level = dict(e.details).get("level")
            out.append((e.time, e.incident, None if level is None else Level.parse(level)))
    return out


@settings(max_examples=25, deadline=None)
@given(
    deaths=st.lists(
        st.tuples(st.integers(0, 200), st.sampled_from([0, 5, 30])), min_size=1, max_size=3
    ),
    rain_stops=st.none() | st.integers(1, 200),
    seed=st.integers(0, 3),
)
def test_the_general_plan_is_in_force_exactly_while_a_takeover_holds(
    deaths: list[tuple[int, int]], rain_stops: int | None, seed: int
) -> None:
    """At every instant, after every event of it: before the takeover the
    general plan is in force for no incident; from it on, for exactly the
    incidents whose response is in force, at the gravest level in force.
    Its command post is set once at most, however the levels move."""
    points = [SeverityPoint(at=0, deaths=deaths[0][1])]
    points += [SeverityPoint(at=at, deaths=d) for at, d in sorted(deaths[1:]) if at > 0]
    gas = attrs.evolve(SCENARIO.incidents[1], timeline=tuple(points))
    flood_points = [SeverityPoint(at=0, rainfall=20)]
    if rain_stops is not None:
        flood_points.append(SeverityPoint(at=rain_stops, rainfall=0))
    flood = attrs.evolve(SCENARIO.incidents[0], timeline=tuple(flood_points))
    result = simulate(attrs.evolve(SCENARIO, incidents=(flood, gas)), seed=seed)
    taken = [e.time for e in result.of_kind("takeover")]
    posts = [e for e in result.of_kind("task_assigned") if e.detail("task") == "command_post"]
    at_i = any(e.detail("level") == "I" for e in result.of_kind("general_plan"))
    assert len(posts) == (1 if at_i else 0)
    general: dict[str, Level] = {}
    levels: dict[str, Level] = {}
    entries = [(t, 0, inc, lv) for t, inc, lv in _district_levels(result)]
    for e in result.of_kind("general_plan"):
        level = dict(e.details)["level"]
        entries.append((e.time, 1, e.incident, None if level is None else Level.parse(level)))
    times = sorted({t for t, *_ in entries} | set(taken))
    for now in times:
        for _, which, inc, level in (x for x in entries if x[0] == now):
            target = levels if which == 0 else general
            if level is None:
                target.pop(inc, None)
            else:
                target[inc] = level
        if not taken or now < taken[0]:
            assert general == {}
        else:
            top = max(levels.values(), default=None)
            assert general == dict.fromkeys(levels, top)


def _ending() -> Scenario:
    """``general_takeover.yaml`` with both incidents' responses closing: the
    rain stops at minute 160 and gas is back to every household at 250."""
    gas_plan = next(p for p in SCENARIO.district.plans if p.id == "gas_plan")
    triggers = (
        attrs.evolve(gas_plan.triggers[0], any_of=(Condition.parse("households >= 1"),)),
        attrs.evolve(gas_plan.triggers[1], any_of=(Condition.parse("households >= 1000"),)),
    )
    scenario = with_plan(SCENARIO, "gas_plan", triggers=triggers)
    flood = attrs.evolve(
        scenario.incidents[0],
        timeline=(SeverityPoint(at=0, rainfall=20), SeverityPoint(at=100, rainfall=0)),
    )
    gas = attrs.evolve(
        scenario.incidents[1],
        timeline=(SeverityPoint(at=0, households=5000), SeverityPoint(at=150, households=0)),
    )
    return attrs.evolve(scenario, incidents=(flood, gas))


def test_the_takeover_ends_when_the_last_response_closes() -> None:
    """The flood's lead reassesses every 30 minutes from its level at 83: at
    173 the rain has stopped (minute 160) and the level held 60 minutes, so
    the flood's response closes; the general plan's part of it closes with
    it, the takeover holds for the gas explosion.  Its lead reassesses from
    123: at 273 gas is back (minute 250), its response closes, and with it
    the last part of the general plan: the takeover ends at 273, the general
    HQ is released from its coordination and stands down."""
    result = simulate(_ending(), seed=0)
    kinds = {"takeover", "takeover_ended", "general_plan", "response_closed"}
    moves = [
        (e.time, e.kind, e.incident, dict(e.details).get("level"))
        for e in result.events
        if e.kind in kinds
    ]
    assert moves == [
        (143.0, "takeover", None, None),
        (143.0, "general_plan", "flood1", "I"),
        (143.0, "general_plan", "gas1", "I"),
        (173.0, "response_closed", "flood1", None),
        (173.0, "general_plan", "flood1", None),
        (273.0, "response_closed", "gas1", None),
        (273.0, "general_plan", "gas1", None),
        (273.0, "takeover_ended", None, None),
    ]
    general = [
        (e.time, e.kind, e.incident)
        for e in result.events
        if e.actor == "general_hq" and e.kind in ("hq_released", "hq_deactivated")
    ]
    assert general == [
        (173.0, "hq_released", "flood1"),
        (273.0, "hq_released", "gas1"),
        (273.0, "hq_released", "_coordination"),
        (273.0, "hq_deactivated", None),
    ]
    taken = result.record.takeover
    assert (taken.time, taken.ended, taken.held, taken.again) == (143.0, 273.0, 130.0, ())
    assert result.metrics["takeover"]["ended"] == 273.0


def test_a_takeover_holds_while_a_response_is_in_force() -> None:
    # The gas never comes back: the takeover holds to the end of the run.
    scenario = _ending()
    gas = attrs.evolve(scenario.incidents[1], timeline=(SeverityPoint(at=0, households=5000),))
    result = simulate(attrs.evolve(scenario, incidents=(scenario.incidents[0], gas)), seed=0)
    assert result.of_kind("takeover_ended") == ()
    assert result.record.takeover.ended is None
    assert "hq_deactivated" not in {e.kind for e in result.events if e.actor == "general_hq"}


@settings(max_examples=25, deadline=None)
@given(
    rain_stops=st.none() | st.integers(1, 200),
    gas_back=st.none() | st.integers(1, 180),
    seed=st.integers(0, 3),
)
def test_a_takeover_ends_after_it_began_and_the_general_plan_with_it(
    rain_stops: int | None, gas_back: int | None, seed: int
) -> None:
    """Each takeover's end comes after it began, exactly when the last
    response in force closed; no general-plan event falls outside a
    takeover, and the general HQ stands down with the end."""
    scenario = _ending()
    flood, gas = scenario.incidents
    rain = [SeverityPoint(at=0, rainfall=20)]
    rain += [SeverityPoint(at=rain_stops, rainfall=0)] if rain_stops is not None else []
    out = [SeverityPoint(at=0, households=5000)]
    out += [SeverityPoint(at=gas_back, households=0)] if gas_back is not None else []
    flood, gas = attrs.evolve(flood, timeline=tuple(rain)), attrs.evolve(gas, timeline=tuple(out))
    result = simulate(attrs.evolve(scenario, incidents=(flood, gas)), seed=seed)
    began = [e.time for e in result.of_kind("takeover")]
    ended = [e.time for e in result.of_kind("takeover_ended")]
    assert len(ended) <= len(began) <= len(ended) + 1
    assert all(start <= end for start, end in zip(began, ended, strict=False))
    spans = [(start, ended[i] if i < len(ended) else None) for i, start in enumerate(began)]
    for e in result.of_kind("general_plan"):
        assert any(s <= e.time and (end is None or e.time <= end) for s, end in spans), e
    in_force: dict[str, Level] = {}
    last_close: float | None = None
    for time, incident, level in _district_levels(result):
        if level is None:
            in_force.pop(incident, None)
            if not in_force:
                last_close = time
        else:
            in_force[incident] = level
    if ended:
        assert not in_force and ended[-1] == last_close
        released = [
            e.time
            for e in result.of_kind("hq_deactivated")
            if e.actor == "general_hq" and e.time >= began[-1]
        ]
        assert released == [ended[-1]]
    elif began:
        assert in_force


def test_the_rule_holding_after_a_takeover_ended_is_a_second_takeover() -> None:
    """A second gas explosion at minute 290, after the first takeover ended
    at 273: level I decided at 313 (report 300, triage 305, approval 313)
    holds the rule anew; the general HQ, stood down at 273, is called out
    again and takes over a second time at 333 (``n: 2``), in the record's
    ``again``; the command post, set in the first, is not set again."""
    scenario = _ending()
    second = attrs.evolve(
        scenario.incidents[1],
        id="gas2",
        onset=scenario.incidents[1].onset + dt.timedelta(minutes=190),
    )
    scenario = attrs.evolve(scenario, horizon=400, incidents=(*scenario.incidents, second))
    result = simulate(scenario, seed=0)
    moves = [
        (e.time, e.kind, e.detail("n"))
        for e in result.events
        if e.kind in ("takeover_triggered", "takeover", "takeover_ended")
    ]
    assert moves == [
        (123.0, "takeover_triggered", None),
        (143.0, "takeover", None),
        (273.0, "takeover_ended", None),
        (313.0, "takeover_triggered", 2),
        (333.0, "takeover", 2),
    ]
    taken = result.record.takeover
    assert (taken.time, taken.ended, taken.again) == (143.0, 273.0, ((313.0, 333.0, None),))
    assert [e.time for e in result.of_kind("general_plan") if e.incident == "gas2"] == [333.0]
    posts = [e for e in result.of_kind("task_assigned") if e.detail("task") == "command_post"]
    assert [(e.time, e.incident) for e in posts] == [(143.0, "gas1")]


def _gas_post(unit: str) -> Scenario:
    """``general_takeover.yaml`` with the gas plan's level I opening a command
    post of its own, done by ``unit`` (15 minutes, as the general plan's)."""
    post = Task(id="command_post", unit=unit, duration=Fixed(15.0), deadline=60.0)
    return with_plan(
        SCENARIO,
        "gas_plan",
        levels={Level.IV: LevelResponse(), Level.I: LevelResponse(tasks=(post,))},
    )


def test_the_takeover_does_not_set_again_the_same_work_the_lead_plan_set() -> None:
    """The gas plan's level I (decided at 123) sets the bureau's command post
    for the gas explosion (done at 138); the takeover at 143 brings the
    general plan's command post, the same task for the same unit and the
    same incident: under way already, it is not set a second time (the rule
    of one response per site, ``Case.claim``).  For another unit it is other
    work, set under its own name (``tests/sim/test_task_keys.py``)."""
    result = simulate(_gas_post("bureau"), seed=0)
    assert _task_events(result) == [
        (123.0, "task_assigned", "gas1", "command_post"),
        (138.0, "task_done", "gas1", "command_post"),
    ]
