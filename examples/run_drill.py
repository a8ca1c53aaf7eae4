"""Replay a drill through the engine and print its timeline and key metrics.

Uses the bundled ``scenarios/flood-typhoon.yaml`` when present, otherwise a
small scenario built in code.  Run with no arguments from anywhere.
"""

from __future__ import annotations

import datetime as dt

from cmdsim import bundled
from cmdsim.model import Channel, Command, District, DutyRoom, Hazard, Incident, Post, Scenario
from cmdsim.model.conditions import Condition, Trigger
from cmdsim.model.levels import Level
from cmdsim.model.organisation import Town, Unit
from cmdsim.model.plans import LevelResponse, Plan
from cmdsim.model.scenario import SeverityPoint
from cmdsim.model.timing import LogNormal
from cmdsim.sim import format_timeline, simulate
from cmdsim.sim.timeline import display_names

BUNDLED = bundled.root() / "flood-typhoon.yaml"


def small_scenario() -> Scenario:
    """A rainstorm in one town, one channel, one HQ with two posts."""
    hq = Command(
        id="flood_hq",
        name="区防汛指挥部",
        lead_unit="water",
        posts=(Post(id="commander", role="commander"), Post(id="duty", people=3, needed=2)),
        callout=LogNormal(median=20.0, sigma=0.4),
    )
    plan = Plan(
        id="flood_plan",
        hazards=("flood",),
        lead="flood_hq",
        triggers=(Trigger(Level.IV, any_of=(Condition.parse("rainfall >= 30"),)),),
        levels={Level.IV: LevelResponse()},
    )
    district = District(
        id="demo",
        hazards=(Hazard(id="flood", forecastable=True),),
        units=(Unit(id="water", name="区水务局"),),
        commands=(hq,),
        duty_room=DutyRoom(id="district_duty_room", name="区总值班室"),
        towns=(Town(id="zhangjiang_town", name="张江镇"),),
        channels=(Channel(id="hotline_12345", name="12345 市民热线", miss=0.0),),
        plans=(plan,),
    )
    start = dt.datetime(2024, 9, 14, 22, 0)
    incident = Incident(
        id="rainstorm",
        hazard="flood",
        town="zhangjiang_town",
        onset=start + dt.timedelta(hours=1),
        timeline=(SeverityPoint(at=0, rainfall=45),),
    )
    return Scenario(id="demo", district=district, start=start, incidents=(incident,))


def main() -> None:
    if BUNDLED.exists():
        from cmdsim.io import load_scenario

        scenario = load_scenario(BUNDLED)
    else:
        scenario = small_scenario()
    result = simulate(scenario, seed=1)
    print(format_timeline(result, display_names(scenario)), end="")
    for ident, m in sorted(result.metrics["incident"].items()):
        lead = m["hq"].get(m["lead"] or "", {})
        print(
            f"{ident}: aware {m['aware']} min, level {m['level']} → {m['peak_level']}"
            f" (plan requires {m['required_level']}), lead HQ active {lead.get('activated')} min"
        )


if __name__ == "__main__":
    main()
