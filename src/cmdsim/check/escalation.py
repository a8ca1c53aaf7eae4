"""Escalation hand-overs that go round in a circle (CMD050), and town plans
with nothing above them to hand over to (CMD051).

``Escalation.hand_over`` links a plan to the plans that take over above its
top level.  A cycle means no plan ends up on top.  Found with one iterative
depth-first search, linear in plans + links; each cycle is reported once,
at the link that closes it.
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.model import District, PlanTier

_NEW, _OPEN, _DONE = 0, 1, 2


def check_escalation(district: District) -> Iterator[Finding]:
    yield from _cycles(district)
    yield from _dead_ends(district)


def _dead_ends(district: District) -> Iterator[Finding]:
    """Town plans without ``hand_over`` for hazards no district plan covers.

    The engine hands an outgrown town plan over to the plans its
    ``hand_over`` names, else to the district plan for the hazard.
    """
    covered = {h for p in district.plans if p.tier is PlanTier.DISTRICT for h in p.hazards}
    for pi, plan in enumerate(district.plans):
        if plan.tier is not PlanTier.TOWN or plan.escalation.hand_over:
            continue
        alone = [h for h in plan.hazards if h not in covered]
        if alone:
            yield finding(
                "CMD051",
                f"town plan {plan.id!r} has no hand_over and no district plan covers "
                f"{', '.join(map(repr, alone))}: an incident outgrowing it has nowhere to go",
                f"plans[{pi}].escalation.hand_over",
            )


def _cycles(district: District) -> Iterator[Finding]:
    index = {p.id: i for i, p in enumerate(district.plans)}
    links = [[index[t] for t in p.escalation.hand_over if t in index] for p in district.plans]
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
            target = links[node][edge]
            if state[target] == _OPEN:
                circle = [*trail[trail.index(target) :], target]
                names = " → ".join(district.plans[i].id for i in circle)
                yield finding(
                    "CMD050",
                    f"escalation goes round in a circle: {names}",
                    f"plans[{node}].escalation.hand_over[{edge}]",
                )
            elif state[target] == _NEW:
                state[target] = _OPEN
                stack.append((target, 0))
                trail.append(target)
