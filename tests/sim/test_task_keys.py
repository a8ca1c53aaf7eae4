"""Two plans' tasks of one id, set for one incident, are two tasks: each its
own deadline record, its own random stream, its own metric names.

``general_takeover.yaml`` with a ``command_post`` in the gas plan's level I
too (the water unit's, 10 minutes, due 30 after the decision): the gas
explosion's level I is decided at 123 (100 after its onset), the water unit
opens the gas plan's post at once, done at 133 (33 after the onset, due 53);
the takeover at 143 sets the general plan's post (the bureau's, 15 minutes)
for the gas explosion, done at 158 (58, due 60 after the general HQ is at
work for it at 143: 103).  The general plan's goes by
``general_plan:command_post``, as its reports go by ``general_plan:<id>``;
the gas plan's keeps its name.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from cmdsim import io
from cmdsim.analysis.metrics import flatten, known_metrics
from cmdsim.model import Clock, Fixed, Level, LevelResponse, LogNormal, Scenario, Task
from cmdsim.model.timing import Delay
from cmdsim.sim import simulate
from cmdsim.sim.streams import Streams, task_stream
from tests.builders import with_plan

HERE = Path(__file__).parent
BASE = io.load(HERE / "general_takeover.yaml")


def _with_gas_post(duration: Delay | None = None) -> Scenario:
    """The scenario of the module; ``duration``: both posts' instead."""
    gas_post = Task(
        id="command_post",
        unit="water",
        duration=duration or Fixed(10.0),
        deadline=30.0,
        clock=Clock.DECISION,
    )
    scenario = with_plan(
        BASE,
        "gas_plan",
        levels={Level.IV: LevelResponse(), Level.I: LevelResponse(tasks=(gas_post,))},
    )
    if duration is None:
        return scenario
    general = next(p for p in BASE.district.plans if p.id == "general_plan")
    (post,) = general.levels[Level.I].tasks
    level = attrs.evolve(general.levels[Level.I], tasks=(attrs.evolve(post, duration=duration),))
    return with_plan(scenario, "general_plan", levels={Level.I: level})


def test_each_plans_task_has_its_own_deadline_record() -> None:
    result = simulate(_with_gas_post(), seed=0)
    done = [
        (e.time, e.actor, e.incident, e.detail("deadline")) for e in result.of_kind("task_done")
    ]
    assert done == [
        (133.0, "water", "gas1", "command_post"),
        (158.0, "bureau", "gas1", "general_plan:command_post"),
    ]
    deadline = result.metrics["incident"]["gas1"]["deadline"]
    assert (deadline["command_post"]["due"], deadline["command_post"]["done"]) == (53.0, 33.0)
    general = deadline["general_plan:command_post"]
    assert (general["due"], general["done"], general["met"]) == (103.0, 58.0, True)


def test_each_plans_task_draws_from_its_own_stream() -> None:
    # The same lognormal for both: one stream would give them two draws of
    # one sequence; two streams give each the first draw of its own.
    result = simulate(_with_gas_post(LogNormal(median=10.0, sigma=0.5)), seed=3)
    started = {e.detail("task"): e.time for e in result.of_kind("task_started")}
    took = {
        e.detail("deadline"): e.time - started[e.detail("deadline")]
        for e in result.of_kind("task_done")
    }
    streams = Streams(3)
    for name in ("command_post", "general_plan:command_post"):
        expected = LogNormal(median=10.0, sigma=0.5).sample(streams(task_stream("gas1", name)))
        assert took[name] == pytest.approx(expected, abs=1e-9)


def test_the_metric_names_are_known() -> None:
    scenario = _with_gas_post()
    names = set(flatten(simulate(scenario, seed=0).metrics))
    deadlines = {n for n in names if ".deadline." in n}
    assert "incident.gas1.deadline.general_plan:command_post.met" in deadlines
    assert deadlines <= known_metrics(scenario)
