"""加强值班: what the flood plan's call-in of officers to the district duty
room does for its reports on a typhoon night.

Runs the compound typhoon drill as bundled (one officer called in to the
district room at IV, two from III; each town's flood plan one to its own
room at its IV) and with no call-in, on the same seeds, and prints when the
officers came on duty in which room and how often the pile-up's phone
report to the city was on time.

    python examples/reinforced_duty.py [REPLICATIONS]
"""

from __future__ import annotations

import sys

import attrs

from cmdsim import bundled
from cmdsim.io import load_scenario
from cmdsim.model import Scenario
from cmdsim.sim import simulate

REPORT = "phone_report"


def without_call_ins(scenario: Scenario) -> Scenario:
    """The same drill with no level calling officers in."""
    plans = tuple(
        attrs.evolve(
            plan,
            levels={lv: attrs.evolve(r, reinforce=()) for lv, r in plan.levels.items()},
        )
        for plan in scenario.district.plans
    )
    return attrs.evolve(scenario, district=attrs.evolve(scenario.district, plans=plans))


def on_time(scenario: Scenario, n: int) -> float:
    met = 0
    for seed in range(n):
        pileup = simulate(scenario, seed).metrics["incident"]["expressway_pileup"]
        met += int(pileup["reporting"][REPORT]["on_time"])
    return met / n


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    drill = load_scenario(bundled.path("compound-typhoon.yaml"))
    first = simulate(drill, 0)
    for event in first.of_kind("officers_on_duty"):
        called = event.detail("extra")
        print(f"{first.start} +{event.time:6.1f} min: {event.actor}: {called} called in on duty")
    with_them, without = on_time(drill, n), on_time(without_call_ins(drill), n)
    print(f"pile-up {REPORT} on time, {n} runs: {with_them:.0%} with the call-ins,")
    print(f"{without:.0%} without (the night shift's two officers alone)")
    assert with_them > without


if __name__ == "__main__":
    main()
