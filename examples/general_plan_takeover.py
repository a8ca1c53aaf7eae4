"""The general plan in force under a takeover (总体应急预案: the "1" HQ acts under it).

In the typhoon-landfall drill the storm reaches level I, the general HQ
takes over, and the general plan comes into force on every incident with a
response in force: at the gravest level in force, its tasks set once for
the event (with the incident whose level brought them) and its reports
written for each incident beside the special plans' (keyed
``general_plan:<id>``).  Prints, for N seeds, when the takeover came, each
change of the general plan's level, how the general plan's reports of
each incident fared, and when the takeover ended.

    python examples/general_plan_takeover.py [N]
"""

from __future__ import annotations

import sys

from cmdsim import bundled
from cmdsim.io import load_scenario
from cmdsim.sim import simulate


def main(seeds: int) -> None:
    scenario = load_scenario(bundled.path("typhoon-landfall.yaml"))
    for seed in range(seeds):
        result = simulate(scenario, seed)
        taken = result.record.takeover
        print(f"seed {seed}: takeover at minute {taken.time:.0f} ({taken.reason})")
        for event in result.of_kind("general_plan"):
            level = dict(event.details)["level"] or "closed"
            print(f"  {event.time:7.1f}  {event.incident:22} general plan {level}")
        for incident, record in result.record.incidents.items():
            for key, duty in record.reporting.items():
                if key.startswith("general_plan:"):
                    statuses = ", ".join(item.status for item in duty.items)
                    print(f"  {incident:22} {key:32} {statuses}")
        # The takeover ends with the last response in force (the work boat's
        # rescue over, the storm's response closed on the lifted signals).
        if taken.ended is None:
            print("  takeover held to the end of the run")
        else:
            print(f"  takeover ended at minute {taken.ended:.0f} (held {taken.held:.0f} minutes)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
