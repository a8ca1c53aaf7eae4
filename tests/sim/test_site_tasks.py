"""A merged site's tasks of one id in two plans: exact timelines checked by hand.

The site of ``test_sites.two_incidents(10)``: the crash (road plan, lead)
and the leak (hazmat plan) ten minutes apart are one response, decided at IV
at 83 and raised to III at 93.  Both plans also write a ``casualty_care``
task at IV and III; HQs with no posts are active at once, so a task's
``activation`` clock starts when it is set.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from cmdsim.model import Level
from cmdsim.model.organisation import Unit
from cmdsim.model.plans import Plan, Task
from cmdsim.model.scenario import Scenario
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate
from cmdsim.sim.results import RunResult

from .test_sites import two_incidents

ROAD_CARE = Task(id="casualty_care", unit="police", duration=Fixed(30.0), deadline=60.0)


def with_care(hazmat_unit: str) -> Scenario:
    """The road plan's ``casualty_care`` by the police (30 min, deadline 60);
    the hazmat plan's by ``hazmat_unit`` (20 min, deadline 45)."""
    hazmat_care = Task(id="casualty_care", unit=hazmat_unit, duration=Fixed(20.0), deadline=45.0)
    sc = two_incidents(10.0)
    added = {"road_plan": ROAD_CARE, "hazmat_plan": hazmat_care}

    def plan(p: Plan) -> Plan:
        task = added.get(p.id)
        if task is None:
            return p
        levels = {
            level: attrs.evolve(response, tasks=(*response.tasks, task))
            for level, response in p.levels.items()
        }
        return attrs.evolve(p, levels=levels)

    district = attrs.evolve(
        sc.district,
        plans=tuple(plan(p) for p in sc.district.plans),
        units=(*sc.district.units, Unit(id="medics", staff=5)),
    )
    return attrs.evolve(sc, district=district)


def tasks(result: RunResult, kind: str) -> list[tuple[float, str, str]]:
    key = "task" if kind == "task_assigned" else "deadline"
    return [(e.time, e.actor, str(e.detail(key))) for e in result.of_kind(kind)]


def test_the_same_id_and_unit_at_one_site_is_one_task_the_leads() -> None:
    # At 83 (IV) the road plan, leading, sets scene_control and its
    # casualty_care; the hazmat plan's plug_leak is new work, its
    # casualty_care (the police again) the same work: not set.  The road
    # plan's version runs: 30 minutes, done at 113, deadline 60.  At 93
    # (III) every task is already set.
    result = simulate(with_care("police"), 0)
    assert tasks(result, "task_assigned") == [
        (83.0, "police", "scene_control"),
        (83.0, "police", "casualty_care"),
        (83.0, "police", "plug_leak"),
    ]
    assert (113.0, "police", "casualty_care") in tasks(result, "task_done")
    # Minutes after the crash's onset (60): set at 23, due 60 later, done at 53.
    care = result.metrics["incident"]["crash"]["deadline"]["casualty_care"]
    assert (care["actor"], care["due"], care["done"]) == ("police", 83.0, 53.0)
    assert sorted(result.metrics["incident"]["crash"]["deadline"]) == [
        "casualty_care",
        "phone",
        "plug_leak",
        "scene_control",
    ]


def test_the_same_id_by_another_unit_is_a_second_task_named_by_its_plan() -> None:
    # The hazmat plan's casualty_care falls to the medics: two pieces of
    # work.  The road plan's keeps its id; the hazmat plan's goes by
    # hazmat_plan:casualty_care, set at 83 too, done at 83 + 20 = 103.
    result = simulate(with_care("medics"), 0)
    assert tasks(result, "task_assigned") == [
        (83.0, "police", "scene_control"),
        (83.0, "police", "casualty_care"),
        (83.0, "police", "plug_leak"),
        (83.0, "medics", "hazmat_plan:casualty_care"),
    ]
    assert (103.0, "medics", "hazmat_plan:casualty_care") in tasks(result, "task_done")
    deadlines = result.metrics["incident"]["crash"]["deadline"]
    theirs = deadlines["hazmat_plan:casualty_care"]
    assert (theirs["actor"], theirs["due"], theirs["done"]) == ("medics", 68.0, 43.0)
    ours = deadlines["casualty_care"]
    assert (ours["actor"], ours["due"], ours["done"]) == ("police", 83.0, 53.0)


def test_a_task_repeated_at_a_higher_level_is_still_set_once() -> None:
    # The raise to III at 93 sets nothing new: each plan's tasks of IV are
    # repeated at III.
    result = simulate(with_care("medics"), 0)
    levels = [e.detail("level") for e in result.of_kind("task_assigned")]
    assert levels == [Level.IV.value] * 4


# cmdsim check: the task not run is named -------------------------------------


def test_check_names_both_plans_task_where_one_is_not_run() -> None:
    from cmdsim.check import check

    found = [f for f in check(with_care("police").district).findings if f.code == "CMD082"]
    assert [(f.severity.value, f.path) for f in found] == [
        ("warning", "plans[2].levels.IV.tasks[1]")
    ]
    message = found[0].message
    assert "plans road_plan and hazmat_plan both write task 'casualty_care'" in message
    assert "road_plan's (deadline 60) at one level" in message
    assert "hazmat_plan's (deadline 45) is not run" in message


def test_check_is_silent_where_both_tasks_run() -> None:
    from cmdsim.check import check

    # Another unit: two tasks, both run.  No rule: no merged site.
    assert "CMD082" not in check(with_care("medics").district).codes()
    plans = tuple(attrs.evolve(p, merge=()) for p in with_care("police").district.plans)
    alone = attrs.evolve(with_care("police").district, plans=plans)
    assert "CMD082" not in check(alone).codes()


# The report: a task named by its plan has its plan's clause -------------------


def test_the_report_gives_a_task_named_by_its_plan_that_plans_clause() -> None:
    from cmdsim.report.context import context_of
    from cmdsim.report.improvements import improvement_plan

    context = context_of(with_care("medics"))
    items = [
        {
            "id": f"deadline:crash.{name}",
            "kind": "deadline_rate",
            "incident": "crash",
            "deadline": f"crash.{name}",
        }
        for name in ("casualty_care", "hazmat_plan:casualty_care")
    ]
    rows = improvement_plan(items, context, [])
    assert [(r["plan"], r["level"], r["unit"]) for r in rows] == [
        ("road_plan", "IV", "police"),
        ("hazmat_plan", "IV", "medics"),
    ]


def test_a_district_plans_task_named_apart_from_a_town_plans_has_its_clause() -> None:
    """A district plan's task of a town plan's id goes by ``<plan>:<id>`` in
    an incident the town plan governs first; its clause is the district
    plan's, for any town."""
    from cmdsim.io import load_scenario
    from cmdsim.report.context import clause, context_of

    context = context_of(load_scenario(Path(__file__).parents[2] / "scenarios" / "gas.yaml"))
    found = clause(context["clauses"], "deadline", "gas_plan:casualty_care", "gas", "sanlin_town")
    assert (found.get("plan"), found.get("unit")) == ("gas_plan", "health_commission")
