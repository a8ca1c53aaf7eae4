"""A level includes the actions of the levels below it (每级响应行动包含低级别
应急响应的所有内容): a case decided straight at III sets IV's HQs, units and
tasks as well as III's (sim/compiled.py ``CompiledPlan``, sim/response.py).

The tiny scenario of :mod:`tests.sim.build`: onset at 60, the hotline reports
at 70, one officer triages for 5 and a leader approves for 8: decided at 83.
Rainfall 20 is over III's threshold (15), so the case is decided straight at
III without passing IV.
"""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis.batch import shift_scenario
from cmdsim.analysis.fastpath import EngineRun, ExactRun, fast_metrics, permits
from cmdsim.model import Level, Post
from cmdsim.model.levels import Clock
from cmdsim.model.organisation import Command
from cmdsim.model.plans import LevelResponse, Task
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate
from cmdsim.sim.compiled import CompiledPlan
from cmdsim.sim.events import EventKind
from tests.sim.build import ONE, command, scenario
from tests.sim.test_sites import two_incidents

THRESHOLDS = ((Level.IV, 10.0), (Level.III, 15.0), (Level.II, 25.0), (Level.I, 35.0))
HQS = ("hq", "pump_hq", "levee_hq", "power_hq")


def task(ident: str, deadline: float = 60.0, duration: float = 15.0) -> Task:
    return Task(
        id=ident,
        unit="water",
        duration=Fixed(duration),
        deadline=deadline,
        clock=Clock.DECISION,
    )


def with_levels(
    levels: dict[Level, LevelResponse],
    timeline: tuple[SeverityPoint, ...] = (SeverityPoint(at=0, rainfall=20),),
) -> Scenario:
    """The tiny scenario with the plan's ``levels`` and an HQ for each of :data:`HQS`."""
    commands = tuple(
        command((Post(id="commander", callout=Fixed(20.0 + 10 * i)),), ident=ident)
        for i, ident in enumerate(HQS)
    )
    base = scenario(hq=commands[0], thresholds=THRESHOLDS, timeline=timeline, staff=20)
    plan = attrs.evolve(base.district.plans[0], levels=levels)
    district = attrs.evolve(base.district, plans=(plan,), commands=commands)
    return attrs.evolve(base, district=district)


FOUR_AND_THREE = {
    Level.IV: LevelResponse(activate=("pump_hq",), notify=("water",), tasks=(task("pumps"),)),
    Level.III: LevelResponse(tasks=(task("levee", deadline=90.0, duration=10.0),)),
}


def _timeline(kinds: set[EventKind], sc: Scenario) -> list[tuple[float, str, str, str]]:
    out = []
    for e in simulate(sc, 0).events:
        if e.kind in kinds:
            d = dict(e.details)
            out.append((e.time, e.kind.value, e.actor, str(d.get("task", d.get("level")))))
    return out


def test_decided_straight_at_iii_sets_ivs_hq_unit_and_task_at_once() -> None:
    """By hand: III decided at 83 notifies the lead and IV's pump HQ (at III),
    tells IV's unit, and sets IV's task before III's (lowest level first);
    both run from 83 (a decision clock, 20 staff): levee done 93, pumps 98;
    the lead's commander arrives at 103, the pump HQ's at 113."""
    kinds = {
        EventKind.LEVEL_DECIDED,
        EventKind.HQ_NOTIFIED,
        EventKind.UNIT_NOTIFIED,
        EventKind.TASK_ASSIGNED,
        EventKind.TASK_DONE,
        EventKind.HQ_ACTIVATED,
    }
    assert _timeline(kinds, with_levels(FOUR_AND_THREE)) == [
        (83.0, "level_decided", "district_duty_room", "III"),
        (83.0, "hq_notified", "hq", "III"),
        (83.0, "hq_notified", "pump_hq", "III"),
        (83.0, "unit_notified", "water", "III"),
        (83.0, "task_assigned", "water", "pumps"),
        (83.0, "task_assigned", "water", "levee"),
        (93.0, "task_done", "water", "None"),
        (98.0, "task_done", "water", "None"),
        (103.0, "hq_activated", "hq", "None"),
        (113.0, "hq_activated", "pump_hq", "None"),
    ]
    record = simulate(with_levels(FOUR_AND_THREE), 0).record.incidents["flood1"]
    assert set(record.hq) == {"hq", "pump_hq"}
    assert record.hq["pump_hq"].notified == 23.0 and record.hq["pump_hq"].activated == 53.0
    assert {k: (d.due, d.done) for k, d in record.deadline.items()} == {
        "pumps": (83.0, 38.0),
        "levee": (113.0, 33.0),
    }


def test_a_task_a_higher_level_repeats_is_that_levels_version() -> None:
    """IV's pumps are due 60 after the decision, III's 30: decided straight at
    III, III's version is set (due 23 + 30 = 53), once."""
    levels = {
        Level.IV: LevelResponse(tasks=(task("pumps", deadline=60.0),)),
        Level.III: LevelResponse(tasks=(task("pumps", deadline=30.0, duration=5.0),)),
    }
    result = simulate(with_levels(levels), 0)
    assert [e.time for e in result.of_kind("task_assigned")] == [83.0]
    pumps = result.record.incidents["flood1"].deadline["pumps"]
    assert (pumps.due, pumps.done) == (53.0, 28.0)


def test_raised_from_iv_to_iii_sets_ivs_task_once_and_lowering_keeps_ivs_hq() -> None:
    """Rainfall 12 (IV) at onset, 20 (III) 100 minutes later, 12 again at 300:
    IV at 83 sets pumps and calls the pump HQ; III (decided on reassessment)
    sets only levee; lowered to IV, the III-only levee HQ stands down and the
    pump HQ, IV's, stays; no task is un-set."""
    levels = {
        Level.IV: LevelResponse(activate=("pump_hq",), tasks=(task("pumps"),)),
        Level.III: LevelResponse(activate=("levee_hq",), tasks=(task("levee"),)),
    }
    timeline = (
        SeverityPoint(at=0, rainfall=12),
        SeverityPoint(at=100, rainfall=20),
        SeverityPoint(at=300, rainfall=12),
    )
    result = simulate(with_levels(levels, timeline), 0)
    assigned = [
        (dict(e.details)["task"], dict(e.details)["level"])
        for e in result.events
        if e.kind is EventKind.TASK_ASSIGNED
    ]
    assert assigned == [("pumps", "IV"), ("levee", "III")]
    levels_seen = [
        (e.kind.value, dict(e.details)["level"])
        for e in result.events
        if e.kind
        in {EventKind.LEVEL_DECIDED, EventKind.LEVEL_ESCALATED, EventKind.LEVEL_DEESCALATED}
    ]
    assert levels_seen == [
        ("level_decided", "IV"),
        ("level_escalated", "III"),
        ("level_deescalated", "IV"),
    ]
    stood_down = [e.actor for e in result.events if e.kind is EventKind.HQ_RELEASED]
    assert stood_down == ["levee_hq"]


_RESPONSES = st.builds(
    LevelResponse,
    activate=st.lists(st.sampled_from(HQS[1:]), unique=True, max_size=2).map(tuple),
    tasks=st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, max_size=3).map(
        lambda ids: tuple(task(i) for i in ids)
    ),
)


@settings(max_examples=40, deadline=None)
@given(
    levels=st.dictionaries(st.sampled_from(list(Level)), _RESPONSES, min_size=1),
    rainfall=st.sampled_from([12.0, 20.0, 30.0, 40.0]),
)
def test_what_a_level_sets_includes_every_lower_levels_response(
    levels: dict[Level, LevelResponse], rainfall: float
) -> None:
    """Whatever the plan: the tasks set and HQs notified on deciding level L
    are a superset of any level's up to L (and nothing above L's)."""
    sc = with_levels(levels, (SeverityPoint(at=0, rainfall=rainfall),))
    result = simulate(sc, 0)
    decided = Level(dict(result.of_kind("level_decided")[0].details)["level"])
    tasks = {dict(e.details)["task"] for e in result.of_kind("task_assigned")}
    hqs = {e.actor for e in result.of_kind("hq_notified")}
    below = [r for at, r in levels.items() if at <= decided]
    for response in below:
        assert {t.id for t in response.tasks} <= tasks
        assert set(response.activate) <= hqs
    assert tasks == {t.id for r in below for t in r.tasks}
    assert hqs == {"hq", *(h for r in below for h in r.activate)}
    rule = CompiledPlan(sc.district.plans[0])
    for lower in Level:
        if lower <= decided:
            assert set(rule.activated_by(lower)) <= set(rule.activated_by(decided))
            assert {t.id for t in rule.tasks[lower]} <= {t.id for t in rule.tasks[decided]}


def test_compiled_plan_lists_lowest_first_each_once() -> None:
    levels = {
        Level.IV: LevelResponse(activate=("pump_hq",), notify=("water",), tasks=(task("a"),)),
        Level.II: LevelResponse(
            activate=("levee_hq", "pump_hq"), notify=("water",), tasks=(task("b"), task("a"))
        ),
    }
    rule = CompiledPlan(with_levels(levels).district.plans[0])
    assert rule.activated_by(Level.III) == ("hq", "pump_hq")
    assert rule.activated_by(Level.I) == ("hq", "pump_hq", "levee_hq")
    assert rule.notify[Level.II] == ("water",)
    assert [t.id for t in rule.tasks[Level.II]] == ["a", "b"]
    assert rule.tasks[Level.II][0] is levels[Level.II].tasks[1]
    assert rule.activated_by(None) == ()


@pytest.mark.parametrize("rainfall", [20.0, 30.0])
def test_the_fast_path_gives_the_engines_rows_for_lower_levels_hqs(rainfall: float) -> None:
    """The fast path reads ``activated_by``: IV's pump HQ called out by a case
    decided at III (or II) has the engine's notification and activation."""
    sc = with_levels(FOUR_AND_THREE, (SeverityPoint(at=0, rainfall=rainfall),))
    metrics = fast_metrics(sc)
    assert permits(sc, list(metrics)) is None
    assert any("pump_hq" in m for m in metrics)
    seeds = [np.random.SeedSequence(3, spawn_key=(i,)) for i in range(3)]
    rows = ExactRun(metrics).rows(sc, seeds, [0.0] * 3)
    engine = EngineRun(metrics)
    for seed, row in zip(seeds, rows, strict=True):
        want = engine(shift_scenario(sc, 0.0), seed)
        assert sorted((k, repr(float(v))) for k, v in row.items()) == sorted(
            (k, repr(float(v))) for k, v in want.items()
        )
        assert any(k.endswith("pump_hq.activated") and float(v) == 53.0 for k, v in row.items())


def test_a_merged_plan_decided_straight_at_iii_sets_its_lower_levels_too() -> None:
    """tests/sim/test_sites.py's site, the crash with 10 dead (road III): the
    crash is reported at 70, triaged by 75; the leak, reported at 80, joins
    its case; III is approved at 83. The merged hazmat plan's IV (a
    monitoring HQ and ``contain_leak``) comes with its III (``plug_leak``):
    all set at 83, each plan's lowest level first."""
    base = two_incidents(10.0)
    plans = []
    for plan in base.district.plans:
        if plan.id == "hazmat_plan":
            contain = Task(id="contain_leak", unit="police", duration=Fixed(30.0))
            plug = plan.levels[Level.III]
            plan = attrs.evolve(
                plan,
                levels={
                    Level.IV: LevelResponse(activate=("monitor_hq",), tasks=(contain,)),
                    Level.III: plug,
                },
            )
        plans.append(plan)
    monitor = Command(id="monitor_hq", lead_unit="police", factors=ONE)
    district = attrs.evolve(
        base.district, plans=tuple(plans), commands=(*base.district.commands, monitor)
    )
    crash = attrs.evolve(base.incidents[0], timeline=(SeverityPoint(at=0, deaths=10),))
    sc = attrs.evolve(base, district=district, incidents=(crash, base.incidents[1]))
    result = simulate(sc, 0)
    decided = result.of_kind("level_decided")
    assert [(e.time, e.detail("level")) for e in decided] == [(83.0, "III")]
    assert [(e.time, e.actor) for e in result.of_kind("hq_notified")] == [
        (83.0, "road_hq"),
        (83.0, "hazmat_hq"),
        (83.0, "monitor_hq"),
    ]
    assert [(e.time, e.detail("task")) for e in result.of_kind("task_assigned")] == [
        (83.0, "scene_control"),
        (83.0, "contain_leak"),
        (83.0, "plug_leak"),
    ]


@settings(max_examples=60, deadline=None)
@given(levels=st.dictionaries(st.sampled_from(list(Level)), _RESPONSES, min_size=1))
def test_plan_included_is_the_compiled_plans_reading(levels: dict[Level, LevelResponse]) -> None:
    """``Plan.included`` (what check reads) is what the engine runs, and a
    task in it is the version of the highest level up to L that names it."""
    plan = with_levels(levels).district.plans[0]
    rule = CompiledPlan(plan)
    for level in Level:
        included = plan.included(level)
        assert rule.activated_by(level) == tuple(dict.fromkeys(("hq", *included.activate)))
        assert rule.notify[level] == included.notify
        assert rule.tasks[level] == included.tasks
        below = [levels[at] for at in sorted(levels) if at <= level]
        for task in included.tasks:
            last = [t for r in below for t in r.tasks if t.id == task.id][-1]
            assert task is last
        assert {t.id for t in included.tasks} == {t.id for r in below for t in r.tasks}
        assert set(included.activate) == {h for r in below for h in r.activate}
