"""Metrics a run reports that nothing in it can move: "not measured".

A run reports the utilisation of every unit and resource of the district,
hundreds of them, but a unit's busy minutes come only from the tasks and
report duties of the plans it runs (:mod:`cmdsim.sim.tasks`), and a
resource's only from the tasks that hold it.  One that no plan of the
scenario as run gives work is 0 in every replication by construction: that
is not an observation that it was idle, and a batch summary must not read
as if it were one (``cmdsim batch --no-town-plans`` leaves the towns' plans
out, and with them the only work of every town's rescue team and pumps).

:func:`not_measured` names them, with the reason, from the scenario alone;
a batch writes them under ``not_measured`` in its summary (those it
reported) and the CLI counts them apart from metrics that were measured and
never happened (docs/statistics.md).
"""

from __future__ import annotations

from cmdsim.model.scenario import Scenario

NO_WORK = "no plan of the scenario as run gives this unit a task or a report to write"
NO_HOLD = "no task of any plan of the scenario as run holds this resource"


def not_measured(scenario: Scenario) -> dict[str, str]:
    """Each utilisation metric of ``scenario`` that no plan can make other
    than 0, with why (:data:`NO_WORK`, :data:`NO_HOLD`).

    >>> from cmdsim import bundled
    >>> from cmdsim.io import load_scenario
    >>> gas = load_scenario(bundled.path("gas.yaml"))
    >>> "utilisation.sanlin_town_rescue_team" in not_measured(gas)
    False
    >>> "utilisation.sanlin_town_rescue_team" in not_measured(gas.without_town_plans())
    True
    """
    district = scenario.district
    worked: set[str] = set()
    held: set[str] = set()
    for plan in district.plans:
        worked.update(duty.by for duty in plan.reports)
        for response in plan.levels.values():
            for task in response.tasks:
                worked.add(task.unit)
                held.update(r for r, count in task.resources.items() if count > 0)
    out: dict[str, str] = {}
    for unit in district.units:
        if unit.id not in worked:
            out[f"utilisation.{unit.id}"] = NO_WORK
        for resource in unit.resources:
            if resource.id not in held:
                out[f"utilisation.resource:{resource.id}"] = NO_HOLD
    return out
