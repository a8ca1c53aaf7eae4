"""A task's deadline is checked where the engine has the task in force.

A level includes every lower level's actions (``Plan.included``): a task
written at IV runs at III..I too, until a higher level writes it again, and
then that level's version runs from there up.  CMD040 names those levels,
once per version of the task, at the version's own ``deadline``.
"""

from __future__ import annotations

from cmdsim.check import check
from cmdsim.model import (
    Clock,
    Command,
    District,
    Fixed,
    Hazard,
    Level,
    LevelResponse,
    Plan,
    Task,
    Unit,
)
from cmdsim.sim.compiled import CompiledPlan


def _task(deadline: float) -> Task:
    # Work of 30 fixed minutes from the decision: due in under 30 is never met.
    return Task("cordon", unit="u1", duration=Fixed(30.0), deadline=deadline, clock=Clock.DECISION)


def _deadlines(levels: dict[Level, LevelResponse]) -> list[tuple[str, str]]:
    district = District(
        id="d",
        hazards=[Hazard("gas")],
        units=[Unit("u1")],
        commands=[Command("gas_hq", lead_unit="u1")],
        plans=[Plan("gas", hazards=["gas"], lead="gas_hq", levels=levels)],
    )
    return [(f.path, f.message) for f in check(district).findings if f.code == "CMD040"]


def test_a_task_written_at_iv_is_checked_at_every_level_it_is_in_force() -> None:
    found = _deadlines({Level.IV: LevelResponse(tasks=[_task(10.0)])})
    assert found == [
        (
            "plans[0].levels.IV.tasks[0].deadline",
            "task 'cordon' of plan 'gas' written at level IV, in force at IV, III, II, I is "
            "due 10 min after decision, but takes at least 30 work = 30 min",
        )
    ]


def test_a_higher_level_writing_the_task_again_takes_over_from_there() -> None:
    # II writes it again with a deadline it meets: IV's version is in force
    # at IV and III only, and II's (met) at II and I.
    levels = {
        Level.IV: LevelResponse(tasks=[_task(10.0)]),
        Level.II: LevelResponse(tasks=[_task(45.0)]),
    }
    found = _deadlines(levels)
    assert [path for path, _ in found] == ["plans[0].levels.IV.tasks[0].deadline"]
    assert "written at level IV, in force at IV, III is due 10 min" in found[0][1]
    # The engine's compiled plan has the same versions in force.
    engine = CompiledPlan(Plan("gas", lead="gas_hq", levels=levels))
    assert [t.deadline for lv in Level for t in engine.tasks[lv]] == [10.0, 10.0, 45.0, 45.0]
    # II's version late too: each version is its own finding, at its own levels.
    levels[Level.II] = LevelResponse(tasks=[_task(20.0)])
    found = _deadlines(levels)
    assert [path for path, _ in found] == [
        "plans[0].levels.IV.tasks[0].deadline",
        "plans[0].levels.II.tasks[0].deadline",
    ]
    assert "written at level II, in force at II, I is due 20 min" in found[1][1]


def test_a_task_at_the_top_level_is_in_force_there_only() -> None:
    found = _deadlines({Level.I: LevelResponse(tasks=[_task(10.0)])})
    assert [message.split(" is due")[0] for _, message in found] == [
        "task 'cordon' of plan 'gas' at level I"
    ]
