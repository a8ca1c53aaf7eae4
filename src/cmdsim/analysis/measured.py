"""Metrics a run reports that nothing in it can move: "not measured".

(Committees likewise: one whose rules watch none of the scenario's hazards
is never notified nor convened, by construction.)

A run reports the utilisation of every unit and resource of the district,
hundreds of them, but a unit's busy minutes come only from the tasks and
report duties of the plans it runs (:mod:`cmdsim.sim.tasks`), and a
resource's only from the tasks that hold it.  One that no plan the
scenario's incidents can run under gives work is 0 in every replication by
construction: that is not an observation that it was idle, and a batch
summary must not read as if it were one (``cmdsim batch --no-town-plans``
leaves the towns' plans out, and with them the only work of every town's
rescue team and pumps; the gas drill has no animal epidemic, so the
agriculture commission the animal-epidemic plan tasks never works).

The plans in play (:func:`plans_in_play`) are those the engine may decide a
present hazard by (``model.governing.PlanChoice``: the district's and the
incident's town's, and every plan a hand-over leads to from them) and the
plans with a takeover or merge rule, which may run over any incident.  The
same reasoning covers a duty room no incident, inject or report can reach
(a town's room where nothing happens: its wait is never observed and its
utilisation 0) and a reporting stage no plan in play has (the gas plans
have no final report: ``reporting.final.*`` is 0 by construction).

:func:`not_measured` names them, with the reason, from the scenario alone;
a batch writes them under ``not_measured`` in its summary (those it
reported) and the CLI counts them apart from metrics that were measured and
never happened (docs/statistics.md).
"""

from __future__ import annotations

from cmdsim.model.governing import plan_choice
from cmdsim.model.levels import Signal
from cmdsim.model.plans import Plan, ReportStage
from cmdsim.model.scenario import Scenario

NO_WORK = (
    "no plan the scenario's incidents can run under gives this unit a task or a report to write"
)
NO_HOLD = "no task of any plan the scenario's incidents can run under holds this resource"
NO_HAZARD = "no incident or inject of the scenario has a hazard this committee watches"
NO_ROOM = "no incident, inject or report of the scenario reaches this duty room"
NO_STAGE = "no plan the scenario's incidents can run under has a report of this stage"
NO_SITE = "no two incidents of the scenario share a site: none can join another's case there"
NO_LINK = (
    "no plan of this incident maps this colour to a level (no warning link, "
    "no trigger on the signal alone): it calls for none to be late for"
)

STAGE_LEAVES = ("called", "late", "missing", "on_time", "pending")
"""The leaves of a stage's totals, ``reporting.<stage>.<leaf>``."""


def plans_in_play(scenario: Scenario) -> list[Plan]:
    """The plans a run of ``scenario`` can act under: for each hazard and
    town of an incident or of an inject naming a hazard, the plan the
    district room decides by, the town's own, and each plan a hand-over
    leads to from those (:class:`~cmdsim.model.governing.PlanChoice`, the
    engine's choice); and every plan with a takeover or merge rule (the
    general plan), which may come to lead any incident."""
    district = scenario.district
    choice = plan_choice(district)
    present: set[tuple[str, str | None]] = {(i.hazard, i.town) for i in scenario.incidents}
    present |= {(i.hazard, i.town) for i in scenario.injects if i.hazard is not None}
    seen: dict[int, Plan] = {}
    todo: list[tuple[Plan | None, str]] = []
    for hazard, town in present:
        todo += [(choice.district_plan_for(hazard, town), hazard)]
        todo += [(choice.town_plan_for(hazard, town), hazard)]
    done: set[tuple[int, str]] = set()
    while todo:
        plan, hazard = todo.pop()
        if plan is None or (id(plan), hazard) in done:
            continue
        done.add((id(plan), hazard))
        seen[id(plan)] = plan
        todo.append((choice.successor(plan, hazard), hazard))
    for plan in district.plans:
        if plan.takeover is not None or plan.merge:
            seen[id(plan)] = plan
    return [p for p in district.plans if id(p) in seen]


def rooms_reached(scenario: Scenario) -> set[str]:
    """The duty rooms a run of ``scenario`` can give work: the district's,
    each incident's and each inject's town's, and the room each inject is
    addressed to (channels report to the incident's town room or the
    district's, relays climb from the town to the district, and a town's
    plan and warning link act in its own room)."""
    district = scenario.district
    rooms = {t.id: t.duty_room.id for t in district.towns if t.duty_room is not None}
    reached = {district.duty_room.id}
    recipients = district.recipients()
    towns: set[str | None] = {i.town for i in scenario.incidents}
    towns |= {i.town for i in scenario.injects}
    towns |= {recipients.get(i.to) for i in scenario.injects}
    reached |= {rooms[t] for t in towns if t in rooms}
    reached |= {i.to for i in scenario.injects if i.to in rooms.values()}
    # A report a plan in play has another room write is work in that room.
    reached |= {duty.by for plan in plans_in_play(scenario) for duty in plan.reports}
    return reached & ({district.duty_room.id} | set(rooms.values()))


def not_measured(scenario: Scenario) -> dict[str, str]:
    """Each metric of ``scenario`` that nothing in it can move, with why:
    utilisation no plan in play (:func:`plans_in_play`) can make other than
    0 (:data:`NO_WORK`, :data:`NO_HOLD`), the times of committees that watch
    none of its hazards (:data:`NO_HAZARD`), the wait and utilisation of a
    duty room nothing reaches (:data:`NO_ROOM`, :func:`rooms_reached`), the
    totals of a reporting stage no plan in play has (:data:`NO_STAGE`) and
    the merge counts of a scenario whose incidents share no site
    (:data:`NO_SITE`) and the lag of a signal colour no plan of its incident
    maps to a level (:data:`NO_LINK`, ``PlanChoice.level_called_for``):
    never observed, or 0 in every replication, by construction.

    >>> from cmdsim import bundled
    >>> from cmdsim.io import load_scenario
    >>> gas = load_scenario(bundled.path("gas.yaml"))
    >>> "utilisation.sanlin_town_rescue_team" in not_measured(gas)
    False
    >>> "utilisation.sanlin_town_rescue_team" in not_measured(gas.without_town_plans())
    True
    >>> not_measured(gas)["utilisation.agriculture"] == NO_WORK  # no animal epidemic
    True
    >>> not_measured(gas)["wait.beicai_town_duty_room"] == NO_ROOM  # the break is in Sanlin
    True
    >>> landfall = load_scenario(bundled.path("typhoon-landfall.yaml"))
    >>> not_measured(landfall)["incident.work_boat_adrift.signal_lag.red"] == NO_LINK
    True
    """
    district = scenario.district
    worked: set[str] = set()
    held: set[str] = set()
    in_play = plans_in_play(scenario)
    for plan in in_play:
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
            out[f"committee.{body.id}.adjourned"] = NO_HAZARD
    reached = rooms_reached(scenario)
    for room in district.duty_rooms():
        if room.id not in reached:
            out[f"wait.{room.id}"] = NO_ROOM
            out[f"utilisation.{room.id}"] = NO_ROOM
    # Merging and a second lead on one site both need two incidents there
    # (cmdsim.sim.sites, sim.response): with none, both counts are 0.
    sites = [i.site for i in scenario.incidents if i.site is not None]
    if len(sites) == len(set(sites)):
        out["merge.incidents"] = NO_SITE
        out["merge.two_leads"] = NO_SITE
    # A colour no plan maps calls for no level: its lag is None in every run
    # (cmdsim.sim.warnings records the level each signal calls for).
    choice = plan_choice(district)
    for incident in scenario.incidents:
        for point in incident.timeline:
            signal = point.signal
            if isinstance(signal, Signal) and (
                choice.level_called_for(incident.hazard, incident.town, signal) is None
            ):
                out[f"incident.{incident.id}.signal_lag.{signal.value}"] = NO_LINK
    stages = {duty.stage.value for plan in in_play for duty in plan.reports}
    for stage in ReportStage:
        if stage.value not in stages:
            out.update((f"reporting.{stage.value}.{leaf}", NO_STAGE) for leaf in STAGE_LEAVES)
    for unit in district.units:
        if unit.id not in worked:
            out[f"utilisation.{unit.id}"] = NO_WORK
        for resource in unit.resources:
            if resource.id not in held:
                out[f"utilisation.resource:{resource.id}"] = NO_HOLD
    return out
