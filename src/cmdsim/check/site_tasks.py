"""One task of two plans at a merged site (CMD082).

At a site a merge rule makes one response, the plans of its hazards set
their tasks for one case (``sim/response.py``, :meth:`Case.claim
<cmdsim.sim.case.Case.claim>`): two plans' tasks of one id for one unit are
one piece of work, set once by the plan that first puts it in force — at
one level the leading plan's, first in the rule's precedence — and the
other version is not run.  This rule names both, with what each asks, so a
joined plan asking more is seen from the plans alone.  Tasks of one id for
different units are two tasks (``<plan>:<id>``) and are not reported.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.sites import governing_plans
from cmdsim.check.words import Join, say
from cmdsim.model import District, Plan
from cmdsim.model.governing import plan_choice
from cmdsim.model.levels import Level
from cmdsim.model.plans import MergeRule, Task


def _ordered(rule: MergeRule, governing: dict[str, list[Plan]]) -> list[Plan]:
    """The plans a site under ``rule`` is decided by, in the rule's precedence."""
    out: list[Plan] = []
    for hazard in rule.hazards:
        for plan in governing.get(hazard, []):
            if all(plan is not p for p in out):
                out.append(plan)
    return out


def _asks(task: Task) -> Join:
    deadline = say("asks.none") if task.deadline is None else say("asks.deadline", at=task.deadline)
    held = [say("asks.held", count=n, name=name) for name, n in sorted(task.resources.items())]
    return Join([deadline, *held])


def _written(plan: Plan, level: Level, task: str) -> str:
    """Where the version of ``task`` in force at ``level`` is written: the
    highest level at or below it that writes it."""
    for at in sorted((at for at in plan.levels if at <= level), reverse=True):
        for k, found in enumerate(plan.levels[at].tasks):
            if found.id == task:
                return f"levels.{at.value}.tasks[{k}]"
    return f"levels.{level.value}"  # pragma: no cover - included() holds it


def check_site_tasks(district: District) -> Iterator[Finding]:
    governing = governing_plans(district, plan_choice(district))
    index = {id(plan): i for i, plan in enumerate(district.plans)}
    seen: set[tuple[str, str, str, str]] = set()
    for rule in (rule for plan in district.plans for rule in plan.merge):
        for first, second in itertools.combinations(_ordered(rule, governing), 2):
            for level in sorted(Level):
                ours = {t.id: t for t in first.included(level).tasks}
                for theirs in second.included(level).tasks:
                    mine = ours.get(theirs.id)
                    key = (first.id, second.id, theirs.id, theirs.unit)
                    if mine is None or mine.unit != theirs.unit or key in seen:
                        continue
                    seen.add(key)
                    said = say(
                        "CMD082",
                        rule=rule.id,
                        first=first.id,
                        second=second.id,
                        task=theirs.id,
                        unit=theirs.unit,
                        level=level.value,
                        mine=_asks(mine),
                        theirs=_asks(theirs),
                    )
                    where = _written(second, level, theirs.id)
                    yield finding("CMD082", said, f"plans[{index[id(second)]}].{where}")
