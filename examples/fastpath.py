"""The fast path: onset to HQ activated without a discrete-event run.

Shows, on the gas drill, which metrics the fast path computes, why a batch
does or does not pick it, that a batch which picks it gives the engine's
numbers, and how much faster the forced (vectorised) fast path is.

    python examples/fastpath.py
"""

from __future__ import annotations

import time
from pathlib import Path

from cmdsim.analysis import replicate
from cmdsim.analysis.fastpath import fast_metrics, permits
from cmdsim.io import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "gas.yaml")
    lead = "incident.gas_main_rupture.hq.gas_hq.activated"
    print(f"the fast path computes {len(fast_metrics(scenario))} metrics, among them {lead}")
    print(f"with the duty rooms as staffed: {permits(scenario, [lead])}")
    print(f"with unlimited capacity: {permits(scenario, [lead], unlimited=True) or 'permitted'}")

    runs = {}
    for label, fast in (("auto", None), ("engine", False), ("forced", True)):
        start = time.perf_counter()
        result = replicate(
            scenario, 200, seed=1, fast=fast, metrics=[lead], unlimited_capacity=True
        )
        took = time.perf_counter() - start
        runs[label] = result.summary["metrics"][lead]
        print(f"{label:>6}: engine={result.engine:<4} {took:6.2f} s  ({result.reason})")
    same = runs["auto"] == runs["engine"]
    print(f"auto and engine summaries identical: {same}")
    for label, stats in runs.items():
        print(f"  {label:>6}: mean {stats['mean']:.2f} min, p95 {stats['p95']:.2f} min")
    assert same


if __name__ == "__main__":
    main()
