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


def _asks(task: Task) -> str:
    deadline = "no deadline" if task.deadline is None else f"deadline {task.deadline:g}"
    held = ", ".join(f"{count} {name}" for name, count in sorted(task.resources.items()))
    return f"{deadline}, {held}" if held else deadline


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
                    yield finding(
                        "CMD082",
                        f"merge rule {rule.id!r}: plans {first.id} and {second.id} both "
                        f"write task {theirs.id!r} for {theirs.unit} (from level {level.value}); "
                        f"at a merged site it is one task, {first.id}'s ({_asks(mine)}) at one "
                        f"level, and {second.id}'s ({_asks(theirs)}) is not run",
                        f"plans[{index[id(second)]}].{_written(second, level, theirs.id)}",
                    )
