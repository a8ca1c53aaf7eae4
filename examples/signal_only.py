"""Who reports which point of a storm: a signal is the met service's news.

A citizen on 12345 or 110, an information officer or a sensor reports what
is seen on the ground; a warning is issued by the meteorological service
and reaches the rooms by the warning channel.  So a timeline point that only
changes or lifts the signal is reported by the warning channel alone, while
a point with figures (and the incident's first point from onset on) is
reported on the ground too (``cmdsim.sim.topology.carries``).

Prints, for the storm of the bundled typhoon-landfall drill, each timeline
point with the channels that report it, then the storm's reports a run
over N runs (seeds 0..N-1).

    python examples/signal_only.py [N]
"""

from __future__ import annotations

import statistics
import sys

from cmdsim import bundled
from cmdsim.io import load_scenario
from cmdsim.sim import SimOptions, simulate
from cmdsim.sim.compiled import compiled

INCIDENT = "typhoon_bebinca"


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    scenario = load_scenario(bundled.path("typhoon-landfall.yaml"))
    comp = compiled(scenario)
    storm = comp.incident[INCIDENT]
    for point in storm.points:
        states = {k: v for k, v in point.values().items() if k != "signal"}
        signal = "" if point.signal is None else f"signal {point.signal.value} "
        channels = sorted(
            {
                s.channel.id
                for s in comp.topology.sources
                if s.channel is not None
                and comp.topology.cases[s.case].id == INCIDENT
                # when the point is observed (the drill's start for an earlier one)
                and s.at == max(0.0, storm.onset + point.at)
            }
        )
        print(f"{point.at:+7.0f} min  {signal}{states or ''}".rstrip())
        print(f"           reported by: {', '.join(channels) or 'nobody'}")
    options = SimOptions(log=False)
    reports = [
        simulate(scenario, seed, options=options).metrics["incident"][INCIDENT]["reports"]
        for seed in range(runs)
    ]
    print(f"the storm's reports a run: {statistics.fmean(reports):.1f} (of {runs} runs)")


if __name__ == "__main__":
    main()
