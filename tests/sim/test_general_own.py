"""A general plan that governs an incident itself is not put in force again
by a takeover (:mod:`cmdsim.sim.general`).

``town_general.yaml`` (fixed delays): the town's general plan governs the
fire at the town room (level IV at 80) while the district's fire plan is the
one :meth:`~cmdsim.sim.compiled.Compiled.plan_for` names; the takeover at 95
finds the plan in force for the fire already, under its own level.  What
counts is the plan the case is decided under, not the district's choice.
"""

from __future__ import annotations

from pathlib import Path

from cmdsim import io
from cmdsim.sim import simulate

HERE = Path(__file__).parent
SCENARIO = io.load(HERE / "town_general.yaml")


def test_the_takeover_sets_nothing_of_a_plan_in_force_under_its_own_level() -> None:
    result = simulate(SCENARIO, seed=0)
    kinds = {"level_decided", "takeover", "general_plan", "task_assigned", "task_done"}
    kinds |= {"report_arrived"}
    moves = [
        (e.time, e.kind, e.detail("task") or e.detail("deadline") or e.detail("level"))
        for e in result.events
        if e.kind in kinds
    ]
    assert moves == [
        (76.0, "report_arrived", "phone"),
        (80.0, "level_decided", "IV"),
        (80.0, "task_assigned", "cordon"),
        (92.0, "task_done", "cordon"),
        (95.0, "takeover", None),
        (146.0, "report_arrived", "hourly"),
        (206.0, "report_arrived", "hourly"),
        (266.0, "report_arrived", "hourly"),
    ]
    blaze = result.metrics["incident"]["blaze"]
    assert sorted(blaze["reporting"]) == ["hourly", "phone"]
    assert blaze["deadline"]["cordon"]["done"] == 32.0
