"""Escalation hand-overs that go round in a circle (CMD050), and town plans
with nothing above them to hand over to (CMD051).

``Escalation.hand_over`` links a plan to the plans that take over above its
top level.  The engine runs a hand-over only from a town plan its town's
room decides by, to the one plan :meth:`PlanChoice.successor` picks for the
hazard (a district plan's ``hand_over`` never runs: CMD009), so a cycle is
looked for among those links alone: one that passes through a link that
never runs is no circle an incident can go round.  Found with one iterative
depth-first search, linear in plans + links; each cycle is reported once,
at the link that closes it.
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.words import Join, say
from cmdsim.model import District, PlanTier
from cmdsim.model.governing import PlanChoice, plan_choice

_NEW, _OPEN, _DONE = 0, 1, 2


def check_escalation(district: District) -> Iterator[Finding]:
    choice = plan_choice(district)
    yield from _cycles(district, choice)
    yield from _dead_ends(district, choice)


def _dead_ends(district: District, choice: PlanChoice) -> Iterator[Finding]:
    """Town plans without ``hand_over`` for hazards nothing takes over.

    The engine hands an outgrown town plan over to the plans its
    ``hand_over`` names, else to the district plan for the hazard, else to
    the district's general plan naming no hazard (:meth:`PlanChoice.successor`).
    """
    for pi, plan in enumerate(district.plans):
        if plan.tier is not PlanTier.TOWN or plan.escalation.hand_over:
            continue
        alone = [h for h in plan.hazards if choice.successor(plan, h) is None]
        if alone:
            said = say("CMD051", plan=plan.id, alone=Join([repr(h) for h in alone]))
            yield finding("CMD051", said, f"plans[{pi}].escalation.hand_over")


def runnable_links(district: District, choice: PlanChoice) -> list[list[tuple[int, int]]]:
    """Per plan, the hand-overs the engine can run from it: ``(target plan
    index, index in its hand_over)``, in ``hand_over`` order.

    A link runs from a town plan some town's room decides an incident by
    (:meth:`PlanChoice.town_plan_for`) to the plan
    :meth:`PlanChoice.successor` picks for that incident's hazard; a
    successor not named in ``hand_over`` (the district's plan) is no link.
    """
    index = {id(p): i for i, p in enumerate(district.plans)}
    links: list[dict[int, int]] = [{} for _ in district.plans]
    hazards = {h.id for h in district.hazards}
    towns = {t.id for t in district.towns}
    # Only the pairs with a town plan: linear in the plans, not towns × hazards.
    for town, hazard in choice.town_first:
        if town not in towns or hazard not in hazards:
            continue
        local = choice.town_plan_for(hazard, town)
        if local is not None:
            target = choice.successor(local, hazard)
            if target is None or target.id not in local.escalation.hand_over:
                continue
            source = index[id(local)]
            named_at = local.escalation.hand_over.index(target.id)
            links[source].setdefault(index[id(target)], named_at)
    return [sorted(((t, e) for t, e in out.items()), key=lambda te: te[1]) for out in links]


def _cycles(district: District, choice: PlanChoice) -> Iterator[Finding]:
    links = runnable_links(district, choice)
    state = [_NEW] * len(links)
    for root in range(len(links)):
        if state[root] != _NEW:
            continue
        stack: list[tuple[int, int]] = [(root, 0)]
        trail: list[int] = [root]
        state[root] = _OPEN
        while stack:
            node, edge = stack[-1]
            if edge == len(links[node]):
                stack.pop()
                trail.pop()
                state[node] = _DONE
                continue
            stack[-1] = (node, edge + 1)
            target, named_at = links[node][edge]
            if state[target] == _OPEN:
                circle = [*trail[trail.index(target) :], target]
                names = " → ".join(district.plans[i].id for i in circle)
                yield finding(
                    "CMD050",
                    say("CMD050", names=names),
                    f"plans[{node}].escalation.hand_over[{named_at}]",
                )
            elif state[target] == _NEW:
                state[target] = _OPEN
                stack.append((target, 0))
                trail.append(target)
