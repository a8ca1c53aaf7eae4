"""One response per site: which incidents a plan's merge rules make one response.

A site's sub-incidents (a pile-up and the tanker leaking in it) are distinct
incidents with their own timelines; a :class:`~cmdsim.model.plans.MergeRule`
says when they are one response.  The grouping depends only on the
scenario, so the engine, the checker and the fast path's ``permits`` read
the same answer from :func:`site_groups`.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from cmdsim.model.plans import MergeRule
from cmdsim.model.scenario import Incident, Scenario


@attrs.frozen
class SiteGroup:
    """Incidents that are one response under ``rule``.

    ``key`` is the incident whose case the response is: the earliest of
    those whose hazard comes first in the rule's precedence, so the plan
    for its hazard leads.  ``members`` are all of them, in onset order.
    """

    key: str
    members: tuple[str, ...]
    site: str
    rule: str
    window: float

    @property
    def merged(self) -> tuple[str, ...]:
        """The members merged into the key's case."""
        return tuple(m for m in self.members if m != self.key)


def merge_rules(scenario: Scenario) -> tuple[MergeRule, ...]:
    """Every merge rule of the district's plans, in plan order."""
    return tuple(rule for plan in scenario.district.plans for rule in plan.merge)


def site_groups(scenario: Scenario) -> dict[str, SiteGroup]:
    """Each incident that is one response with another, mapped to its group.

    Under each rule in turn (an incident already grouped is not regrouped),
    the incidents with a ``site`` and a hazard of the rule's family are
    taken site by site in onset order: an incident joins the group of the
    first one while its onset is within ``window`` minutes of that first
    onset, else it starts the next group.  Groups of one are left out.
    """
    order = {incident.id: index for index, incident in enumerate(scenario.incidents)}
    onset = {i.id: scenario.onset_minutes(i) for i in scenario.incidents}
    taken: set[str] = set()
    out: dict[str, SiteGroup] = {}
    for rule in merge_rules(scenario):
        by_site: dict[str, list[Incident]] = {}
        for incident in sorted(scenario.incidents, key=lambda i: (onset[i.id], order[i.id])):
            if incident.site is None or incident.id in taken or incident.hazard not in rule.hazards:
                continue
            by_site.setdefault(incident.site, []).append(incident)
        for site, incidents in sorted(by_site.items()):
            for group in _windows(incidents, onset, rule.window):
                if len(group) < 2:
                    continue
                key = min(group, key=lambda i: (rule.rank(i.hazard), onset[i.id], order[i.id]))
                found = SiteGroup(key.id, tuple(i.id for i in group), site, rule.id, rule.window)
                for incident in group:
                    taken.add(incident.id)
                    out[incident.id] = found
    return out


def _windows(
    incidents: Iterable[Incident], onset: dict[str, float], window: float
) -> list[list[Incident]]:
    groups: list[list[Incident]] = []
    for incident in incidents:
        if groups and onset[incident.id] - onset[groups[-1][0].id] <= window:
            groups[-1].append(incident)
        else:
            groups.append([incident])
    return groups
