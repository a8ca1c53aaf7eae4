"""A level includes the actions of the levels below it (每级响应行动包含低级别
应急响应的所有内容).

A case decided straight at III (or II, or I) sets what each lower level of
its plan would have set too: their HQs are called out, their units told,
their tasks set, lowest level first, each once (a task a higher level
repeats is that level's version).  Runs the flood-typhoon drill once and
prints, for each incident, the level it was first decided at and each task
set then, with the plan level that lists it.

    python examples/included_levels.py [SEED]
"""

from __future__ import annotations

import sys

from cmdsim import bundled
from cmdsim.io import load_scenario
from cmdsim.model import Level
from cmdsim.sim import simulate
from cmdsim.sim.events import EventKind


def main(seed: int = 0) -> None:
    scenario = load_scenario(bundled.root() / "flood-typhoon.yaml")
    plans = {plan.id: plan for plan in scenario.district.plans}
    result = simulate(scenario, seed)
    for decided in result.of_kind("level_decided"):
        details = dict(decided.details)
        plan = plans[details["plan"]]
        level = Level(details["level"])
        print(f"{decided.incident}: {plan.id} decided at {level.value} (minute {decided.time:.0f})")
        for event in result.events:
            if (
                event.kind is EventKind.TASK_ASSIGNED
                and event.incident == decided.incident
                and event.time == decided.time
            ):
                task = dict(event.details)["task"]
                listed = [
                    at.value for at, r in plan.levels.items() if task in {t.id for t in r.tasks}
                ]
                print(f"  task {task:24} listed at {', '.join(listed)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
