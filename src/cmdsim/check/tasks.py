"""Tasks nobody in the response is responsible for, and resources they
cannot get (CMD030–CMD032).

A task's unit is responsible when it is the lead or a member unit of the
plan's lead HQ or of an HQ the level activates — its own or a lower level's,
since a level includes the actions of the levels below it
(:meth:`cmdsim.model.plans.Plan.included`).  Unknown units are already
rejected when the district is built (the loader reports them with their
place in the file).
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.words import Join, say
from cmdsim.model import Command, District


def _units_of(command: Command) -> tuple[str, ...]:
    return (command.lead_unit, *command.member_units)


def check_tasks(district: District) -> Iterator[Finding]:
    commands = {c.id: c for c in district.commands}
    units_of = {c.id: frozenset(_units_of(c)) for c in district.commands}
    capacity: dict[str, int] = {}
    held: dict[str, frozenset[str]] = {}
    for unit in district.units:
        held[unit.id] = frozenset(r.id for r in unit.resources)
        for stock in unit.resources:
            capacity[stock.id] = capacity.get(stock.id, 0) + stock.capacity
    for pi, plan in enumerate(district.plans):
        for level, response in plan.levels.items():
            base = f"plans[{pi}].levels.{level.value}"
            # The level's HQs are its own and every lower level's (Plan.included),
            # as the engine activates them: IV's HQ may carry III's task.
            active = [c for c in (plan.lead, *plan.included(level).activate) if c in commands]
            responsible: set[str] = set()
            for command_id in active:
                responsible |= units_of[command_id]
            for ki, task in enumerate(response.tasks):
                path = f"{base}.tasks[{ki}]"
                if task.unit not in responsible:
                    named = [repr(c) for c in dict.fromkeys(active)]
                    hqs = Join(named) if named else say("no_hq")
                    said = say(
                        "CMD030",
                        task=task.id,
                        plan=plan.id,
                        level=level.value,
                        unit=task.unit,
                        hqs=hqs,
                    )
                    yield finding("CMD030", said, f"{path}.unit")
                for resource, count in task.resources.items():
                    total = capacity.get(resource, 0)
                    if count > total:
                        said = say(
                            "CMD031", task=task.id, count=count, resource=resource, total=total
                        )
                        yield finding("CMD031", said, f"{path}.resources.{resource}")
                    elif resource not in held.get(task.unit, frozenset()):
                        said = say("CMD032", task=task.id, resource=resource, unit=task.unit)
                        yield finding("CMD032", said, f"{path}.resources.{resource}")
