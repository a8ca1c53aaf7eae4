"""One response per site in a run: a sub-incident's reports join its site's case.

The groups come from :func:`cmdsim.model.sites.site_groups` (the plans'
merge rules).  Each report of a merged sub-incident is routed, as it
reaches a duty room, to the case of its group's key incident: from then
on the engine sees one incident — one case, one lead, one set of reports,
one level.  The first report of each sub-incident logs ``incident_merged``
and, when the sub-incident's own plan has another lead, ``two_leads`` with
the merge rule that resolves it.
"""

from __future__ import annotations

from cmdsim.sim.context import Run, Stamp
from cmdsim.sim.events import EventKind
from cmdsim.sim.reporting import Report


class SiteRouter:
    """Routes the reports of merged sub-incidents to their site's case."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.groups = run.compiled.sites

    def key(self, incident: str) -> str:
        """The incident whose case ``incident`` is handled in (itself if not merged)."""
        group = self.groups.get(incident)
        return incident if group is None else group.key

    def route(self, report: Report, room: str) -> Report:
        """The report as ``room`` receives it: a merged sub-incident's, as its case's."""
        group = self.groups.get(report.incident)
        if group is None or group.key == report.incident:
            return report
        run = self.run
        comp = run.compiled
        member = report.incident
        facts = run.ledger.incident(member)
        facts.merged_reports += 1
        key = comp.incident[group.key]
        if facts.merged is None:
            facts.merged = Stamp(run.env.now, key.id)
            lead_rule = comp.plan_for(key.hazard, key.town)
            own = comp.incident.get(member)
            own_rule = comp.plan_for(own.hazard, own.town) if own is not None else None
            lead = lead_rule.lead if lead_rule is not None else None
            run.emit(
                room,
                EventKind.INCIDENT_MERGED,
                key.id,
                merged=member,
                site=group.site,
                rule=group.rule,
                lead=lead,
                plan=lead_rule.id if lead_rule is not None else None,
            )
            other = own_rule.lead if own_rule is not None else None
            if lead is not None and other is not None and other != lead:
                run.emit(
                    room,
                    EventKind.TWO_LEADS,
                    key.id,
                    leads=[lead, other],
                    incidents=[key.id, member],
                    site=group.site,
                    resolved_by=group.rule,
                    lead=lead,
                )
        return report._replace(incident=key.id, hazard=key.hazard, town=key.town)
