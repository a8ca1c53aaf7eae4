"""Whether a takeover's general plan may touch what the fast path replays.

A takeover puts the general plan in force (:mod:`cmdsim.sim.general`); its
reports written by a duty room hold that room's officers, which may delay
another incident's triage before its first decision.  The fast path does
not replay the general plan, so :func:`cmdsim.analysis.fastpath.permits`
refuses a scenario where a takeover can happen and its plan reports from a
duty room.  Whether it can happen is judged from the plans alone, on the
safe side: some incident's plan can reach the rule's ``min_level`` (a raise
flag counted as one level more), or the commands its incidents' plans can
activate at any level number ``min_active`` or more.  With one incident
nothing of it comes before the first decision, the last the fast path gives.
"""

from __future__ import annotations

from cmdsim.model.levels import Level
from cmdsim.model.scenario import Scenario
from cmdsim.sim.compiled import compiled


def takeover_duties(scenario: Scenario) -> str | None:
    """Why a takeover's general plan is beyond the fast path here, if it is."""
    comp = compiled(scenario)
    rule, plan = comp.takeover, comp.takeover_plan
    if rule is None or plan is None or comp.general is None or len(scenario.incidents) < 2:
        # One incident: a takeover comes after its first decision, the last
        # thing the fast path gives.
        return None
    duty = next((d for d in plan.plan.reports if d.by in comp.rooms), None)
    if duty is None:
        return None
    commands: set[str] = set()
    why = None
    for incident in scenario.incidents:
        found = comp.plan_for(incident.hazard, incident.town)
        if found is None:
            continue
        if found.top is not None and found.top.raised() >= rule.min_level:
            why = f"incident {incident.id} can reach level {rule.min_level.value}"
            break
        for level in Level:
            for command in found.activated_by(level):
                spec = comp.commands.get(command)
                if command != comp.general and spec is not None and spec.town is None:
                    commands.add(command)
    if why is None and len(commands) >= rule.min_active:
        why = f"{len(commands)} HQs can be active at once"
    if why is None:
        return None
    return (
        f"{why}, so the general HQ may take over and put plan {plan.id} in force, whose "
        f"report {duty.id!r} by the duty room {duty.by} the fast path does not replay"
    )
