"""A tiny deterministic stand-in for the engine, to test the drill driver on
its own: one decision point per incident (and per hazard inject), then the
decided HQs are notified and activated."""

from __future__ import annotations

import datetime as dt
import io
import zlib
from collections.abc import Iterable
from typing import Any

import attrs

from cmdsim.model import (
    Command,
    District,
    Hazard,
    Incident,
    Level,
    LevelResponse,
    Plan,
    Scenario,
    SeverityPoint,
    Town,
    Trigger,
    Unit,
)
from cmdsim.model.conditions import Condition


@attrs.frozen
class FakePoint:
    time: float
    incident: str
    level: Level | None
    activate: tuple[str, ...]
    role: str = "duty-room"
    known: dict[str, Any] = attrs.field(factory=dict)


def scenario() -> Scenario:
    plan = Plan(
        id="flood_plan",
        hazards=("flood",),
        lead="flood_hq",
        triggers=(
            Trigger(Level.IV, any_of=(Condition.parse("rainfall >= 20"),)),
            Trigger(Level.III, any_of=(Condition.parse("rainfall >= 50"),)),
        ),
        levels={
            Level.IV: LevelResponse(activate=("flood_hq",)),
            Level.III: LevelResponse(activate=("flood_hq", "general_hq")),
        },
    )
    district = District(
        id="d",
        hazards=(Hazard(id="flood", forecastable=True),),
        units=(Unit(id="water"),),
        commands=(
            Command(id="flood_hq", lead_unit="water"),
            Command(id="general_hq", general=True, lead_unit="water"),
        ),
        towns=(Town(id="t1"),),
        plans=(plan,),
    )
    start = dt.datetime(2024, 9, 14, 22, 0)
    return Scenario(
        id="fake_flood",
        district=district,
        start=start,
        horizon=180.0,
        incidents=(
            Incident(
                id="flood",
                hazard="flood",
                town="t1",
                onset=start + dt.timedelta(minutes=10),
                timeline=(SeverityPoint(at=0, rainfall=60.0),),
            ),
        ),
    )


def runner(scn: Scenario, seed: int, policy: Any) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    jitter = zlib.crc32(f"{seed}".encode()) % 10
    sources = [(scn.onset_minutes(i), i.id, i.hazard, i.peak()) for i in scn.incidents]
    sources += [(j.at, j.id, j.hazard, {"rainfall": 25.0}) for j in scn.injects if j.hazard]
    for onset, ident, hazard, known in sorted(sources, key=lambda s: (s[0], s[1])):
        plans = scn.district.plans_for(hazard) or scn.district.plans
        plan = plans[0]
        events.append(
            {"time": onset, "actor": ident, "kind": "onset", "incident": ident, "details": {}}
        )
        aware = onset + 5 + jitter
        events.append(
            {
                "time": aware,
                "actor": "district_duty_room",
                "kind": "aware",
                "incident": ident,
                "details": {},
            }
        )
        level = plan.level_for(known)
        activate = plan.levels[level].activate if level in plan.levels else ()
        decided = policy.decide(FakePoint(aware + 5, ident, level, activate, known=known))
        if decided is not None:
            level, activate = decided.level, decided.activate
        events.append(
            {
                "time": aware + 5,
                "actor": "district_duty_room",
                "kind": "level_decided",
                "incident": ident,
                "details": {"level": level.value if level else None},
            }
        )
        for n, hq in enumerate(activate):
            events.append(
                {
                    "time": aware + 6,
                    "actor": hq,
                    "kind": "hq_notified",
                    "incident": ident,
                    "details": {},
                }
            )
            events.append(
                {
                    "time": aware + 30 + 7 * n,
                    "actor": hq,
                    "kind": "hq_activated",
                    "incident": ident,
                    "details": {"level": level.value if level else None},
                }
            )
    events.sort(key=lambda e: e["time"])
    return events


def run_console(exercise: Any, answers: Iterable[str]) -> str:
    """Run the facilitator's console on ``exercise`` with typed ``answers``;
    its output as plain text."""
    from rich.console import Console

    from cmdsim.exercise.console import DrillConsole

    typed = iter(answers)
    buffer = io.StringIO()
    out = Console(file=buffer, width=120, color_system=None)
    DrillConsole(exercise, out, lambda _prompt: next(typed)).run()
    return buffer.getvalue()
