"""What reporters know: the bundled gas drill decided on late, under-counted
figures with false alarms and duplicates, against the same drill with the
truth reported at once.

Prints, for 100 replications each, the median minute the first level was
decided and the level II (after the explosion) reached, then what the known picture cost: how
long each figure's known value lagged its true crossing of a trigger, the
minutes the known picture warranted less than the truth, and the duty
rooms' time on false alarms, duplicates and verification (核实).
Run with no arguments from anywhere.
"""

from __future__ import annotations

import statistics

from cmdsim import bundled
from cmdsim.io import load_scenario
from cmdsim.sim import RunResult, SimOptions, simulate

INCIDENT = "gas_main_rupture"
RUNS = 100


def _escalated(result: RunResult, level: str) -> float | None:
    """Minutes after onset the incident first stood at ``level`` (or higher)."""
    ranks = {"IV": 1, "III": 2, "II": 3, "I": 4}
    onset = result.metrics["incident"][INCIDENT]["onset"]
    for event in result.events:
        moved = event.kind in ("level_decided", "level_escalated")
        if moved and event.incident == INCIDENT and ranks[event.detail("level")] >= ranks[level]:
            return float(event.time - onset)
    return None


def main() -> None:
    known = load_scenario(bundled.path("gas.yaml"))
    truth = known.with_truth_reported()
    for label, scenario in (("truth at once", truth), ("as reporters know", known)):
        decided, level_ii = [], []
        tallies: dict[str, list[float]] = {}
        for seed in range(RUNS):
            result = simulate(scenario, seed, options=SimOptions(trace=False))
            record = result.metrics["incident"][INCIDENT]
            decided.append(record["level_decided"])
            reached = _escalated(result, "II")
            if reached is not None:
                level_ii.append(reached)
            for key, value in record.get("knowledge", {}).items():
                if isinstance(value, dict):
                    for figure, lag in value.items():
                        if lag is not None:
                            tallies.setdefault(f"{key}.{figure}", []).append(lag)
                else:
                    tallies.setdefault(key, []).append(value)
        print(f"{label}:")
        print(f"  first level decided, median {statistics.median(decided):5.1f} min after onset")
        print(f"  level II reached,    median {statistics.median(level_ii):5.1f} min after onset")
        for key, values in sorted(tallies.items()):
            print(f"  {key:<30} mean {statistics.fmean(values):6.1f}")


if __name__ == "__main__":
    main()
