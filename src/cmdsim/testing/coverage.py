"""Dynamic coverage: what the plans actually cover across replications.

Over ``n`` runs of a scenario (replication ``i`` seeded like every batch,
``SeedSequence(seed).spawn(n)[i]``): the share of incidents and injects
handled by a plan with a lead, and the share of each plan's deadlines met,
by plan and level.  :func:`coverage_of_runs` does the counting on any
``RunResult`` values; :func:`coverage` runs the engine first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from cmdsim.model import PlanTier, Scenario
from cmdsim.sim.compiled import compiled

NONE = "-"
"""Stands for "no plan" or "no level" in the tables."""


@attrs.frozen
class Share:
    """``hits`` of ``total`` cases."""

    hits: int = 0
    total: int = 0

    @property
    def share(self) -> float | None:
        return self.hits / self.total if self.total else None

    def add(self, hit: bool) -> Share:
        return Share(self.hits + int(hit), self.total + 1)

    def to_dict(self) -> dict[str, Any]:
        return {"hits": self.hits, "total": self.total, "share": self.share}


@attrs.frozen
class DeadlineShare:
    """How one deadline of a plan at a level fared: met, missed, never started."""

    met: int = 0
    missed: int = 0
    not_started: int = 0

    @property
    def share(self) -> float | None:
        """Met among the runs in which the deadline ran."""
        ran = self.met + self.missed
        return self.met / ran if ran else None

    def add(self, met: bool | None) -> DeadlineShare:
        if met is None:
            return attrs.evolve(self, not_started=self.not_started + 1)
        if met:
            return attrs.evolve(self, met=self.met + 1)
        return attrs.evolve(self, missed=self.missed + 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "met": self.met,
            "missed": self.missed,
            "not_started": self.not_started,
            "share": self.share,
        }


@attrs.frozen
class Coverage:
    """Counts over the runs, keyed by plain strings for stable JSON.

    ``incidents``: per incident (and inject standing for one), whether a plan
    with a lead handled it.  ``by_plan``: the same per ``(plan, level)`` the
    runs reached.  ``deadlines``: per ``(plan, level, deadline)``.
    """

    scenario: str
    n: int
    seed: int | None
    incidents: dict[str, Share]
    injects: dict[str, Share]
    by_plan: dict[tuple[str, str], Share]
    deadlines: dict[tuple[str, str, str], DeadlineShare]

    @property
    def handled(self) -> Share:
        total = Share()
        for share in (*self.incidents.values(), *self.injects.values()):
            total = Share(total.hits + share.hits, total.total + share.total)
        return total

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "n": self.n,
            "seed": self.seed,
            "handled": self.handled.to_dict(),
            "incidents": {k: v.to_dict() for k, v in sorted(self.incidents.items())},
            "injects": {k: v.to_dict() for k, v in sorted(self.injects.items())},
            "by_plan": [
                {"plan": plan, "level": level, **share.to_dict()}
                for (plan, level), share in sorted(self.by_plan.items())
            ],
            "deadlines": [
                {"plan": plan, "level": level, "deadline": name, **share.to_dict()}
                for (plan, level, name), share in sorted(self.deadlines.items())
            ],
        }


def _data(value: Any) -> Any:
    to_data = getattr(value, "to_data", None)
    return to_data() if callable(to_data) else value


def _records(metrics: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    records = metrics.get(key)
    return records if isinstance(records, Mapping) else {}


def _handled(record: Mapping[str, Any]) -> bool:
    """A plan and its lead are on record, and the lead HQ was activated."""
    lead = record.get("lead")
    if record.get("plan") is None or lead is None:
        return False
    hq = _data(record.get("hq", {}).get(lead)) or {}
    return hq.get("activated") is not None


def coverage_of_runs(
    scenario: Scenario, results: Iterable[Any], seed: int | None = None
) -> Coverage:
    """Count coverage over run results (anything with ``metrics`` as the engine
    returns them: ``metrics["incident"][<id>]`` with ``plan``, ``lead``,
    ``peak_level``, ``hq`` and ``deadline`` records).

    An incident is handled when a plan and its lead are on record and the
    lead HQ was activated.  An inject naming a hazard is handled when the
    engine found a plan for it (``metrics["coverage"]["injects_no_plan"]``)
    and the plan the engine decides it by has a lead.
    """
    incidents: dict[str, Share] = {i.id: Share() for i in scenario.incidents}
    inject_hazards = {j.id: j.hazard for j in scenario.injects if j.hazard is not None}
    inject_ids = list(inject_hazards)
    # The plan the engine decides each inject by, not any plan naming its
    # hazard: a town plan's lead does not lead an incident the district's
    # leaderless plan governs.
    comp = compiled(scenario)
    led = set()
    for inject in scenario.injects:
        if inject.hazard is None:
            continue
        town = comp.case_town(comp.inject_target(inject), inject.town)
        rule = comp.plan_for(inject.hazard, town)
        if rule is not None and rule.lead is not None:
            led.add(inject.id)
    injects: dict[str, Share] = {j: Share() for j in inject_ids}
    # A town plan's lead and the ids of its tasks and reports: its deadlines
    # count under the town plan at the town's level, not the district plan's.
    towns = {
        p.id: (
            p.lead,
            {t.id for r in p.levels.values() for t in r.tasks} | {d.id for d in p.reports},
        )
        for p in scenario.district.plans
        if p.tier is PlanTier.TOWN
    }
    by_plan: dict[tuple[str, str], Share] = {}
    deadlines: dict[tuple[str, str, str], DeadlineShare] = {}
    n = 0
    for result in results:
        n += 1
        metrics = _data(getattr(result, "metrics", result))
        records = _records(metrics, "incident")
        inject_records = _records(metrics, "inject")
        for ident in incidents:
            record = _data(records.get(ident)) or {}
            into = record.get("merged_into")
            if into is not None:
                # One response per site: handled when its site's case is,
                # whose plan and deadlines are counted under that case.
                case = _data(records.get(into)) or {}
                incidents[ident] = incidents[ident].add(_handled(case))
                continue
            incidents[ident] = incidents[ident].add(_handled(record))
            _count_plan(record, by_plan, deadlines, towns)
        summary = metrics.get("coverage")
        no_plan = summary.get("injects_no_plan") if isinstance(summary, Mapping) else None
        for ident in injects:
            record = _data(inject_records.get(ident) or records.get(ident)) or {}
            if record or no_plan is None:
                injects[ident] = injects[ident].add(_handled(record))
                _count_plan(record, by_plan, deadlines, towns)
            else:
                # The engine names the injects it found no plan for.
                hit = ident not in no_plan and ident in led
                injects[ident] = injects[ident].add(hit)
    return Coverage(scenario.id, n, seed, incidents, injects, by_plan, deadlines)


def _count_plan(
    record: Mapping[str, Any],
    by_plan: dict[tuple[str, str], Share],
    deadlines: dict[tuple[str, str, str], DeadlineShare],
    towns: Mapping[str, tuple[str | None, set[str]]] | None = None,
) -> None:
    if not record:
        return
    plan = record.get("plan") or NONE
    level = record.get("peak_level") or record.get("level") or NONE
    key = (str(plan), str(level))
    by_plan[key] = by_plan.get(key, Share()).add(_handled(record))
    town_plan = str(record.get("town_plan"))
    own: set[str] = set()
    town_level = str(record.get("town_level") or NONE)
    if towns and town_plan in towns and town_plan != plan:
        # The town's first response under its own plan, beside the district's.
        lead, own = towns[town_plan]
        hq = _data((record.get("hq") or {}).get(lead)) or {}
        tkey = (str(town_plan), town_level)
        by_plan[tkey] = by_plan.get(tkey, Share()).add(hq.get("activated") is not None)
    # Follow-up and final reports, once a run under "<id> (<stage>)": met if
    # every one called for arrived on time, missed if one was late or is
    # missing, not started if none was due (an initial report is its deadline).
    later = {
        name: _data(raw)
        for name, raw in (record.get("reporting") or {}).items()
        if _data(raw).get("stage") not in (None, "initial")
    }
    for name, raw in (record.get("deadline") or {}).items():
        if name in later:
            continue
        item = _data(raw)
        if name in own:
            dkey = (str(town_plan), town_level, str(name))
        else:
            dkey = (str(plan), str(level), str(name))
        deadlines[dkey] = deadlines.get(dkey, DeadlineShare()).add(item.get("met"))
    for name, duty in later.items():
        dkey = (str(plan), str(level), f"{name} ({duty['stage']})")
        statuses = {report.get("status") for report in duty.get("items") or ()} - {"pending"}
        met = None if not statuses else statuses == {"on_time"}
        deadlines[dkey] = deadlines.get(dkey, DeadlineShare()).add(met)


def coverage(
    scenario: Scenario,
    n: int = 100,
    seed: int = 0,
    *,
    simulate: Callable[[Scenario, Any], Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Coverage:
    """Run ``n`` replications through the engine and count coverage.

    ``progress(done, n)`` is told after each replication.
    """
    from cmdsim.analysis import replication_seed

    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    from cmdsim.sim import simulate as engine

    run = simulate if simulate is not None else engine

    def results() -> Iterator[Any]:
        for i in range(n):
            yield run(scenario, replication_seed(seed, i))
            if progress is not None:
                progress(i + 1, n)

    return coverage_of_runs(scenario, results(), seed=seed)
