"""The daily report at its hour (每日X时报送): a follow-up with ``daily_at``.

The bundled flood plan's ``daily_report`` is due at 15:00 each day its
response is at IV or above (``daily_at: "15:00", min_level: IV``, after one
city's rule: Yiwu's flood HQ had its member units report to it daily at
15:00 during a level IV response).  Runs the typhoon-landfall drill N times
and prints each run's daily reports: when called (a clock time), at which
level, when they arrived and whether on time.  Then the same duty tied to
level I instead: 15:00 on the 15th comes at level II and the storm is handed
back before 15:00 on the 16th, so that drill calls for none.

    python examples/daily_at.py [N]
"""

from __future__ import annotations

import datetime as dt
import sys

import attrs

from cmdsim import bundled
from cmdsim.io import load_scenario
from cmdsim.model import Level, Scenario
from cmdsim.sim import simulate

INCIDENT = "typhoon_bebinca"


def clock(scenario: Scenario, minutes: float) -> str:
    """A run's minute as the drill's date and time of day."""
    return (scenario.start + dt.timedelta(minutes=minutes)).strftime("%d %b %H:%M")


def daily_reports(scenario: Scenario, seed: int) -> list[str]:
    record = simulate(scenario, seed).record.incidents[INCIDENT]
    duty = record.reporting.get("daily_report")
    rows = []
    for item in () if duty is None else duty.items:
        called = clock(scenario, record.onset + item.occasion)
        arrived = "-" if item.arrived is None else clock(scenario, record.onset + item.arrived)
        rows.append(f"called {called} at level {item.level}, arrived {arrived}, {item.status}")
    return rows


def tied_to_level_i(scenario: Scenario) -> Scenario:
    """The flood plan's daily report tied to level I instead of IV."""
    plans = tuple(
        attrs.evolve(
            plan,
            reports=tuple(
                attrs.evolve(duty, min_level=Level.I) if duty.id == "daily_report" else duty
                for duty in plan.reports
            ),
        )
        if plan.id == "flood_typhoon_plan"
        else plan
        for plan in scenario.district.plans
    )
    return attrs.evolve(scenario, district=attrs.evolve(scenario.district, plans=plans))


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    scenario = load_scenario(bundled.path("typhoon-landfall.yaml"))
    for seed in range(runs):
        print(f"seed {seed}: " + ("; ".join(daily_reports(scenario, seed)) or "none"))
    at_i = tied_to_level_i(scenario)
    print("tied to level I, seed 0: " + ("; ".join(daily_reports(at_i, 0)) or "none"))


if __name__ == "__main__":
    main()
