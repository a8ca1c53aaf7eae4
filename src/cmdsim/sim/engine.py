"""``simulate``: build the processes of a scenario, run them, gather metrics.

Lifecycle: wire (duty rooms, HQs, workforce, incidents, injects) → run to
the horizon → turn the ledger into :class:`~cmdsim.sim.results.RunResult`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cmdsim.errors import ScenarioError
from cmdsim.model.levels import Clock
from cmdsim.model.organisation import Receiver
from cmdsim.model.scenario import Scenario, general_plan, required_level
from cmdsim.sim.activation import HQProcess, Takeovers
from cmdsim.sim.context import Run, SimOptions
from cmdsim.sim.decision import Decisions, plan_for
from cmdsim.sim.dutyroom import DutyRoomProcess, TownRoom
from cmdsim.sim.incident import incident_process
from cmdsim.sim.reporting import Report, observer
from cmdsim.sim.results import (
    DeadlineRecord,
    HQRecord,
    IncidentRecord,
    RunResult,
    sort_events,
)
from cmdsim.sim.tasks import Workforce

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
    if not isinstance(scenario, Scenario):
        raise ScenarioError(f"simulate() needs a Scenario, got {type(scenario).__name__}")
    if scenario.horizon <= 0:
        raise ScenarioError(f"{scenario.id}: the horizon must be positive to simulate")
    run = execute(scenario, seed, options)
    seed_label: int | str = (
        int(seed) if not isinstance(seed, np.random.SeedSequence) else str(seed.spawn_key)
    )
    return RunResult(
        scenario_id=scenario.id,
        seed=seed_label,
        events=sort_events(run.events),
        metrics=_metrics(run),
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
    _wire(run)
    run.env.run(until=scenario.horizon)
    return run


def _wire(run: Run) -> None:
    district = run.district
    gplan = general_plan(district)
    general = district.general_command
    if gplan is not None and gplan.lead is not None:
        try:
            general = district.command(gplan.lead)
        except KeyError:
            general = None
    hqs: dict[str, HQProcess] = {}
    takeovers = Takeovers(run, gplan.takeover if gplan is not None else None, None)

    def activated(command_id: str) -> Any:
        def on_active() -> None:
            is_general = general is not None and command_id == general.id
            if is_general and takeovers.done and "time" not in run.ledger.takeover:
                run.ledger.takeover["time"] = run.env.now
                run.emit(command_id, "takeover", None)
            takeovers.hq_active(command_id)

        return on_active

    for command in district.commands:
        hqs[command.id] = HQProcess(run, command, activated(command.id))
    takeovers.general = hqs.get(general.id) if general is not None else None

    decisions: Decisions
    district_room = DutyRoomProcess(
        run, district.duty_room, lambda report: decisions.triaged(report)
    )
    workforce = Workforce(run, {district.duty_room.id: district_room.officers})
    decisions = Decisions(run, district.duty_room.id, hqs, workforce, takeovers)
    town_rooms: dict[str, TownRoom] = {}
    for town in district.towns:
        if town.duty_room is not None:
            town_rooms[town.id] = TownRoom(run, town.duty_room, district_room.inbox)
            workforce.rooms[town.duty_room.id] = town_rooms[town.id].process.officers

    def to_district(report: Report) -> None:
        decisions.received(report)
        district_room.inbox.put(report)

    district_room.inbox = _Tap(district_room.inbox, decisions.received)  # type: ignore[assignment]
    for room in town_rooms.values():
        room.upstream = district_room.inbox

    def deliver(report: Report, to: Receiver) -> None:
        room = town_rooms.get(report.town or "") if to is Receiver.TOWN else None
        if room is not None:
            room.process.inbox.put(report)
        else:
            district_room.inbox.put(report)

    observe = observer(run, deliver)
    for incident in run.scenario.incidents:
        run.env.process(incident_process(run, incident, observe))
    for inject in run.scenario.injects:
        run.env.process(_inject(run, inject, deliver, to_district))


class _Tap:
    """The district inbox, noting each report's arrival (awareness) as it is put."""

    def __init__(self, store: Any, on_put: Any) -> None:
        self.store = store
        self.on_put = on_put

    def put(self, item: Report) -> Any:
        self.on_put(item)
        return self.store.put(item)

    def get(self) -> Any:
        return self.store.get()


def _inject(run: Run, inject: Any, deliver: Any, to_district: Any) -> Any:
    yield run.env.timeout(inject.at)
    run.emit(
        inject.source or "msel",
        "inject",
        None,
        inject=inject.id,
        text=inject.message,
        to=inject.to,
        hazard=inject.hazard,
    )
    if inject.hazard is None:
        return
    target = next(
        (
            i.id
            for i in run.scenario.incidents
            if i.hazard == inject.hazard and (inject.town is None or i.town == inject.town)
        ),
        inject.id,
    )
    report = Report(
        target, inject.hazard, inject.town, inject.channel or "inject", 0.0, {}, inject.level
    )
    room_is_town = inject.to != run.district.duty_room.id and inject.town is not None
    deliver(report, Receiver.TOWN if room_is_town else Receiver.DISTRICT)


def _metrics(run: Run) -> dict[str, Any]:
    ledger = run.ledger
    incidents: dict[str, Any] = {}
    for incident in run.scenario.incidents:
        onset = run.onsets[incident.id]
        plan = plan_for(run, incident.hazard, incident.town)
        required = required_level(plan, incident) if plan is not None else None

        def rel(t: float | None, onset: float = onset) -> float | None:
            return None if t is None else t - onset

        hq: dict[str, HQRecord] = {}
        for (inc, cmd), t in sorted(ledger.notified.items()):
            if inc == incident.id:
                hq[cmd] = HQRecord(
                    notified=rel(t),
                    activated=rel(ledger.activated.get((inc, cmd))),
                    level=ledger.hq_level.get((inc, cmd)) or None,
                    staff=ledger.staff.get((inc, cmd), 0),
                )
        lead = plan.lead if plan is not None else None
        clocks = {
            Clock.ONSET.value: onset,
            Clock.AWARE.value: ledger.aware.get(incident.id),
            Clock.ACTIVATION.value: ledger.activated.get((incident.id, lead or "")),
        }
        deadline: dict[str, DeadlineRecord] = {}
        for (inc, ident), (kind, actor, clock, within, done) in sorted(ledger.deadlines.items()):
            if inc != incident.id:
                continue
            base = clocks.get(clock)
            due = None if within is None or base is None else base + within - onset
            deadline[ident] = DeadlineRecord(kind, actor, due, done - onset)
        decided = ledger.decided.get(incident.id)
        takeover = ledger.takeover.get("time")
        incidents[incident.id] = IncidentRecord(
            onset=onset,
            aware=rel(ledger.aware.get(incident.id)),
            level_decided=rel(decided[0]) if decided else None,
            level=decided[1] if decided else None,
            peak_level=ledger.peak.get(incident.id),
            required_level=required.value if required is not None else None,
            plan=plan.id if plan is not None else None,
            lead=lead,
            reports=ledger.reports.get(incident.id, 0),
            takeover=rel(takeover) if takeover is not None and decided else None,
            hq=hq,
            deadline=deadline,
        ).to_data()
    horizon = run.scenario.horizon
    utilisation: dict[str, Any] = {}
    for name, busy in sorted(ledger.busy.items()):
        rostered = ledger.rostered.get(name)
        if rostered is None:
            rostered = ledger.capacity.get(name, 0.0) * horizon
        utilisation[name] = busy / rostered if rostered > 0 else None
    waits = {room: (sum(w) / len(w) if w else None) for room, w in sorted(ledger.waits.items())}
    injects_no_plan = sorted(
        j.id
        for j in run.scenario.injects
        if j.hazard is not None and plan_for(run, j.hazard, j.town) is None
    )
    no_plan = sorted(
        {i.id for i in run.scenario.incidents if plan_for(run, i.hazard, i.town) is None}
    )
    no_lead = sorted(
        {
            i.id
            for i in run.scenario.incidents
            if (p := plan_for(run, i.hazard, i.town)) is not None and p.lead is None
        }
    )
    return {
        "incident": incidents,
        "takeover": {
            "triggered": ledger.takeover.get("triggered"),
            "time": ledger.takeover.get("time"),
            "reason": ledger.takeover.get("reason"),
        },
        "utilisation": utilisation,
        "wait": waits,
        "coverage": {
            "incidents": len(run.scenario.incidents),
            "no_plan": no_plan,
            "no_lead": no_lead,
            "injects_no_plan": injects_no_plan,
            "gaps": len(no_plan) + len(no_lead) + len(injects_no_plan),
        },
        "events": len(run.events),
    }
