"""Metrics a run reports that nothing in it can move: "not measured".

(Committees likewise: one whose rules watch none of the scenario's hazards
is never notified nor convened, by construction.)

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
NO_HAZARD = "no incident or inject of the scenario has a hazard this committee watches"


def not_measured(scenario: Scenario) -> dict[str, str]:
    """Each metric of ``scenario`` that nothing in it can move, with why:
    utilisation no plan can make other than 0 (:data:`NO_WORK`,
    :data:`NO_HOLD`), and the times of committees that watch none of its
    hazards, never observed by construction (:data:`NO_HAZARD`).

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
    # A committee is notified and convened only for an incident (or an inject
    # standing for one) of a hazard its rules watch (cmdsim.sim.bodies).
    hazards = {i.hazard for i in scenario.incidents}
    hazards |= {i.hazard for i in scenario.injects if i.hazard is not None}
    for body in district.bodies:
        watched = set(body.hazards)
        for rule in (*body.notify, *body.convene):
            watched.update(rule.hazards or body.hazards)
        if not watched & hazards:
            out[f"committee.{body.id}.notified"] = NO_HAZARD
            out[f"committee.{body.id}.convened"] = NO_HAZARD
    for unit in district.units:
        if unit.id not in worked:
            out[f"utilisation.{unit.id}"] = NO_WORK
        for resource in unit.resources:
            if resource.id not in held:
                out[f"utilisation.resource:{resource.id}"] = NO_HOLD
    return out
