"""Deadlines that no run can meet, whatever the luck (CMD040, CMD041).

Each step's fastest time is its delay's ``minimum`` times the smallest of
its time-band factors.  The chain counted from each clock:

- ``activation``: the work itself;
- ``aware``: duty-room triage + approval + the fastest activation of an HQ
  the level calls (quorum: the k-th fastest call-out of each term) + work;
- ``onset``: as ``aware`` plus the fastest channel that reports the hazard
  (zero for forecastable hazards, whose warnings come before impact).

These are lower bounds, so a finding here is certain, not a guess.
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.model import BandFactors, Clock, Command, Delay, District, DutyRoom, Plan


def fastest(delay: Delay, factors: BandFactors | None = None) -> float:
    if factors is None:
        return delay.minimum
    return delay.minimum * min(factors.day, factors.night, factors.holiday)


def activation_floor(command: Command) -> float:
    """The earliest an HQ can count as activated after it is called."""
    own = {p.id: fastest(p.callout or command.callout, command.factors) for p in command.posts}
    floor = 0.0
    for term in command.terms:  # an empty quorum is every post, as in the engine
        times = sorted(own[p] for p in term.posts if p in own)
        if len(times) >= term.k:
            floor = max(floor, times[term.k - 1])
    return floor


def _room_for(plan: Plan, district: District, rooms: dict[str, DutyRoom | None]) -> DutyRoom:
    if plan.town is not None:
        room = rooms.get(plan.town)
        if room is not None:
            return room
    return district.duty_room


class _Detection:
    """The fastest report of each hazard over all channels, computed once."""

    def __init__(self, district: District) -> None:
        self.forecastable = {h.id: h.forecastable for h in district.hazards}
        everywhere: float | None = None
        best: dict[str, float] = {}
        for channel in district.channels:
            t = fastest(channel.delay, channel.factors)
            if not channel.hazards:
                everywhere = t if everywhere is None else min(everywhere, t)
            for hazard in channel.hazards:
                best[hazard] = min(best.get(hazard, t), t)
        for hazard in self.forecastable:
            if self.forecastable[hazard]:
                best[hazard] = 0.0
            elif everywhere is not None:
                best[hazard] = min(best.get(hazard, everywhere), everywhere)
        self.best = best
        self.overall = min(best.values(), default=0.0)

    def floor(self, plan: Plan) -> float:
        if not plan.hazards:
            return self.overall
        return min((self.best.get(h, 0.0) for h in plan.hazards), default=0.0)


def check_deadlines(district: District) -> Iterator[Finding]:
    commands = {c.id: c for c in district.commands}
    floors = {c.id: activation_floor(c) for c in district.commands}
    rooms = {t.id: t.duty_room for t in district.towns}
    detection = _Detection(district)
    for pi, plan in enumerate(district.plans):
        room = _room_for(plan, district, rooms)
        triage = fastest(room.triage, room.factors)
        approval = fastest(room.approval, room.factors)
        detect = detection.floor(plan)
        for level, response in plan.levels.items():
            active = [c for c in (plan.lead, *response.activate) if c in commands]
            activation = min((floors[c] for c in active), default=0.0)
            for ki, task in enumerate(response.tasks):
                if task.deadline is None:
                    continue
                steps = [("work", fastest(task.duration))]
                if task.clock is not Clock.ACTIVATION:
                    steps = [
                        ("triage", triage),
                        ("approval", approval),
                        ("call-out", activation),
                        *steps,
                    ]
                if task.clock is Clock.ONSET:
                    steps.insert(0, ("detection", detect))
                total = sum(t for _, t in steps)
                if task.deadline < total:
                    parts = " + ".join(f"{t:g} {name}" for name, t in steps)
                    yield finding(
                        "CMD040",
                        f"task {task.id!r} of plan {plan.id!r} at level {level.value} is due "
                        f"{task.deadline:g} min after {task.clock.value}, but takes at least "
                        f"{parts} = {total:g} min",
                        f"plans[{pi}].levels.{level.value}.tasks[{ki}].deadline",
                    )
        for ri, report in enumerate(plan.reports):
            steps = [("writing", fastest(report.duration))]
            if report.clock is Clock.ONSET:
                steps.insert(0, ("detection", detect))
            total = sum(t for _, t in steps)
            if report.within < total:
                parts = " + ".join(f"{t:g} {name}" for name, t in steps)
                yield finding(
                    "CMD041",
                    f"report {report.id!r} of plan {plan.id!r} is due {report.within:g} min "
                    f"after {report.clock.value}, but takes at least {parts} = {total:g} min",
                    f"plans[{pi}].reports[{ri}].within",
                )
