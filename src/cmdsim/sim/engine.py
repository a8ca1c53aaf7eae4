"""``simulate``: build the processes of a scenario, run them, gather metrics.

Lifecycle: wire (:class:`~cmdsim.sim.wiring.Wiring`: duty rooms, HQs,
workforce, incidents, injects) → run to the horizon → turn the ledger into
:class:`~cmdsim.sim.results.RunResult`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cmdsim.errors import ScenarioError
from cmdsim.model.levels import Clock
from cmdsim.model.scenario import Scenario, require_scenario
from cmdsim.sim.compiled import CompiledIncident
from cmdsim.sim.context import Run, SimOptions
from cmdsim.sim.reinforce import called_in_minutes
from cmdsim.sim.report_duties import report_records, stage_totals
from cmdsim.sim.results import (
    DeadlineRecord,
    HQRecord,
    IncidentRecord,
    Logged,
    RunRecord,
    RunResult,
    TakeoverRecord,
)
from cmdsim.sim.warnings import signal_lags
from cmdsim.sim.wiring import Wiring

COORDINATION = "_coordination"


def simulate(
    scenario: Scenario,
    seed: int | np.random.SeedSequence = 0,
    *,
    options: SimOptions | None = None,
) -> RunResult:
    """One stochastic replay of ``scenario`` through the whole "1+N" chain.

    ``seed`` is an int or a replication's ``SeedSequence``; the same scenario,
    seed and options give the same result, byte for byte in ``to_json()``.
    """
    require_scenario(scenario, "simulate")
    if scenario.horizon <= 0:
        raise ScenarioError(f"{scenario.id}: the horizon must be positive to simulate")
    run = execute(scenario, seed, options)
    seed_label: int | str = (
        int(seed) if not isinstance(seed, np.random.SeedSequence) else str(seed.spawn_key)
    )
    return RunResult(
        scenario_id=scenario.id,
        seed=seed_label,
        events=Logged(run.entries),
        record=_record(run),
        start=scenario.start.isoformat(),
        horizon=scenario.horizon,
    )


def execute(
    scenario: Scenario,
    seed: int | np.random.SeedSequence = 0,
    options: SimOptions | None = None,
) -> Run:
    """Build and run the processes; the raw run, for benchmarks and probes."""
    run = Run(scenario, seed, options or SimOptions())
    Wiring(run).start()
    run.env.run(until=scenario.horizon)
    return run


def _merged_record(run: Run, incident: CompiledIncident, key: str) -> IncidentRecord:
    """A sub-incident merged into ``key``'s case: its own onset, awareness and
    reports; the case's plan, lead and levels (its HQs, tasks and reports are
    the case's, under ``key``)."""
    ledger = run.ledger
    comp = run.compiled
    onset = incident.onset
    facts = ledger.incident(incident.id)
    case = ledger.incident(key)
    joined = facts.merged
    decided = case.decided
    lead_incident = comp.incident[key]
    rule = comp.plan_for(lead_incident.hazard, lead_incident.town)
    required = comp.required[incident.id]
    covered = None
    if joined is not None and decided is not None:
        # A level covers the sub-incident once its report joined a decided case.
        covered = max(joined.time, decided.time) - onset
    return IncidentRecord(
        onset=onset,
        aware=None if joined is None else joined.time - onset,
        level_decided=covered,
        level=decided.what if decided is not None else None,
        peak_level=case.peak,
        required_level=required.value if required is not None else None,
        plan=rule.id if rule is not None else None,
        lead=rule.lead if rule is not None else None,
        reports=facts.merged_reports,
        merged_into=key,
    )


def _record(run: Run) -> RunRecord:
    ledger = run.ledger
    comp = run.compiled
    incidents: dict[str, IncidentRecord] = {}
    onset_clock, aware_clock, activation_clock = (
        Clock.ONSET.value,
        Clock.AWARE.value,
        Clock.ACTIVATION.value,
    )
    decision_clock = Clock.DECISION.value
    reported: dict[str, Any] = {}
    for incident in comp.incidents:
        group = comp.sites.get(incident.id)
        if group is not None and group.key != incident.id:
            incidents[incident.id] = _merged_record(run, incident, group.key)
            continue
        onset = incident.onset
        town_plan = comp.town_plan_for(incident.hazard, incident.town)
        inc = incident.id
        facts = ledger.incident(inc)
        handed = facts.handed_over
        handed_back = facts.handed_back
        town_decided = facts.town_decided
        if town_plan is None:
            rule = comp.plan_for(incident.hazard, incident.town)
        else:
            rule = (
                comp.hand_over_to(town_plan, incident.hazard) if handed is not None else town_plan
            )
        required = comp.required[incident.id]

        def rel(t: float | None, onset: float = onset) -> float | None:
            return None if t is None else t - onset

        # The records keep their HQs and deadlines in sorted order.
        hq: dict[str, HQRecord] = {}
        for cmd, part in sorted(facts.hq.items()):
            hq[cmd] = HQRecord(
                notified=rel(part.notified),
                activated=rel(part.activated),
                level=part.level or None,
                staff=part.staff or 0,
            )
        lead = rule.lead if rule is not None else None
        aware = facts.aware
        clocks = {onset_clock: onset, aware_clock: aware}
        deadline: dict[str, DeadlineRecord] = {}
        for ident, done in sorted(facts.deadlines.items()):
            clock, within = done.clock, done.within
            if clock in (activation_clock, decision_clock):
                base = facts.clocks.get(ident)
            else:
                base = clocks.get(clock)
            due = None if within is None or base is None else base + within - onset
            deadline[ident] = DeadlineRecord(done.kind, done.actor, due, done.done - onset)
        reporting = reported[inc] = report_records(run, inc, onset)
        for ident, duty in reporting.items():
            # A report's first, as the other deadlines: done when it arrived.
            first = duty.first
            if first is not None and first.status != "pending" and ident not in deadline:
                deadline[ident] = DeadlineRecord("report", duty.by, first.due, first.arrived)
        deadline = dict(sorted(deadline.items()))
        decided = facts.decided
        takeover = ledger.takeover.time
        incidents[inc] = IncidentRecord(
            onset=onset,
            aware=rel(aware),
            level_decided=rel(decided.time) if decided is not None else None,
            level=decided.what if decided is not None else None,
            peak_level=facts.peak,
            required_level=required.value if required is not None else None,
            plan=rule.id if rule is not None else None,
            lead=lead,
            reports=facts.reports,
            takeover=rel(takeover) if takeover is not None and decided is not None else None,
            town_plan=town_plan.id if town_plan is not None else None,
            handed_over=rel(handed.time) if handed is not None else None,
            handed_back=rel(handed_back.time) if handed_back is not None else None,
            town_level_decided=rel(town_decided.time) if town_decided is not None else None,
            town_level=town_decided.what if town_decided is not None else None,
            hq=hq,
            deadline=deadline,
            signal_lag=signal_lags(facts.signals, facts.levels),
            reporting=reporting,
            knowledge=None if run.knowledge is None else run.knowledge.record(incident),
            over_response=(bool(facts.over) if decided is not None else None),
            merged=group.merged if group is not None else (),
        )
    busy = ledger.busy
    # Every name idle (sorted, from the compiled scenario: hundreds of units
    # and rooms in a district), then the handful a run kept busy.
    utilisation = dict(comp.idle_utilisation)
    capacities = comp.work_capacities
    for name, minutes in busy.items():
        capacity = capacities.get(name)
        if capacity is not None:
            utilisation[name] = minutes / capacity if capacity > 0 else None
    for room, changes in ledger.called_in.items():
        # 加强值班: the minutes of the officers called in are rostered too.
        rostered = comp.rostered[room] + called_in_minutes(changes, comp.horizon)
        utilisation[room] = busy.get(room, 0.0) / rostered if rostered > 0 else None
    waits = {
        room: (sum(w) / len(w) if (w := ledger.waits.get(room)) else None)
        for room in comp.sorted_rooms
    }
    taken = ledger.takeover
    return RunRecord(
        incidents=incidents,
        reporting=stage_totals(reported),
        takeover=TakeoverRecord(
            triggered=taken.triggered,
            time=taken.time,
            reason=taken.reason,
            # only when a player took the general HQ's decision (role general-hq)
            by=taken.by,
            rule_held=taken.rule_held,
            declined=tuple(taken.declined),
            ended=taken.ended,
            again=tuple((t, at, end) for t, at, end in taken.again),
        ),
        utilisation=utilisation,
        wait=waits,
        coverage=comp.coverage,
        events=len(run.entries) + run.unlogged,
        merged=sum(facts.merged is not None for facts in ledger.incidents.values()),
        two_leads=len(ledger.two_leads),
        committee=run.bodies.metrics() if run.bodies is not None else None,
        community=run.community.metrics() if run.community is not None else None,
        officers=run.officers.records(comp.horizon) if run.officers is not None else None,
    )
