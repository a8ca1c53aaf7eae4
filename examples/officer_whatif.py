"""What if the flooded compounds' committee had one more information officer?

In the bundled flood-typhoon drill the garages of five compounds of
Zhangjiang's residential committee 5 flood within eight minutes and their
information officers (灾害信息员) report at once, two of them again as the
water rises: more reports than the committee's two committee-tier officers
can pass up as they come, so reports queue for them (docs/engine.md,
"Information officers under load").  This runs the drill as bundled and with
one more committee officer there, the same seeds, and prints the officers'
queue (``officers.committee.*``) and the rooms' waits side by side.

    python examples/officer_whatif.py [N]
"""

from __future__ import annotations

import statistics
import sys

import attrs

from cmdsim import bundled
from cmdsim.io import load_scenario
from cmdsim.model import Scenario
from cmdsim.sim import SimOptions, simulate

TOWN, COMMITTEE = "zhangjiang_town", "zhangjiang_town_r05"


def with_one_more_officer(scenario: Scenario) -> Scenario:
    """The scenario with one more committee-tier officer in ``COMMITTEE``."""
    district = scenario.district
    towns = []
    for town in district.towns:
        if town.id == TOWN:
            committees = tuple(
                attrs.evolve(c, officers=c.officers + 1) if c.id == COMMITTEE else c
                for c in town.committees
            )
            town = attrs.evolve(town, committees=committees)
        towns.append(town)
    return attrs.evolve(scenario, district=attrs.evolve(district, towns=tuple(towns)))


def summary(scenario: Scenario, runs: int) -> dict[str, float]:
    """Means over seeds 0..runs-1 of the committee officers' queue and the rooms' waits."""
    options = SimOptions(log=False)
    rows = [simulate(scenario, seed, options=options).metrics for seed in range(runs)]
    committee = [m["officers"]["committee"] for m in rows]
    return {
        "runs where a report waited for a committee officer (%)": 100.0
        * statistics.fmean(c["waited"] > 0 for c in committee),
        "longest wait for a committee officer (min, mean)": statistics.fmean(
            c["max_wait"] for c in committee
        ),
        "busiest committee's officers busy relaying (%, mean)": 100.0
        * statistics.fmean(c["utilisation"] for c in committee),
        "Zhangjiang room's wait for a desk (min, mean)": statistics.fmean(
            m["wait"]["zhangjiang_town_duty_room"] for m in rows
        ),
        "district room's wait for a desk (min, mean)": statistics.fmean(
            m["wait"]["district_duty_room"] for m in rows
        ),
    }


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    drill = load_scenario(bundled.path("flood-typhoon.yaml"))
    before = summary(drill, runs)
    after = summary(with_one_more_officer(drill), runs)
    print(f"flood-typhoon, {runs} runs each; {COMMITTEE}: 2 committee officers, then 3")
    print(f"{'':56} {'as bundled':>10} {'one more':>10}")
    for name, value in before.items():
        print(f"{name:56} {value:10.1f} {after[name]:10.1f}")


if __name__ == "__main__":
    main()
