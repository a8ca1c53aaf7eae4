"""The fast path: onset to HQ activated without a discrete-event run.

Shows, on the gas drill without its towns' plans (the fast path refuses a
town plan's first response), which metrics the fast path computes, that a batch
picks it with the duty rooms as staffed and still gives the engine's
numbers (a replication in which a report may have waited for a duty-room
officer runs on the engine), and how much faster the forced (vectorised)
fast path is.

    python examples/fastpath.py
"""

from __future__ import annotations

import time

from cmdsim import bundled
from cmdsim.analysis import replicate
from cmdsim.analysis.fastgraph import compute, engine_draws, stack
from cmdsim.analysis.fastpath import fast_metrics, graph, permits
from cmdsim.analysis.seeds import replication_seed
from cmdsim.io import load_scenario


def main() -> None:
    # What reporters know (late counts, noise, verification) is the engine's
    # alone, and so is the town room's first response under its town plan:
    # the fast path replays the drill with the truth reported at once and the
    # district room deciding from the first report.
    drill = load_scenario(bundled.path("gas.yaml")).with_truth_reported()
    lead = "incident.gas_main_rupture.hq.gas_hq.activated"
    # The town room answers first under Sanlin's gas plan, which the fast
    # path does not replay: it refuses, and replays the district-only drill.
    print(f"the drill as bundled: {permits(drill, [lead])}")
    scenario = drill.without_town_plans()
    print(f"the fast path computes {len(fast_metrics(scenario))} metrics, among them {lead}")
    print(f"with the duty rooms as staffed: {permits(scenario, [lead]) or 'permitted'}")
    g = graph(scenario)
    seeds = [replication_seed(1, i) for i in range(200)]
    exact = compute(g, stack([engine_draws(g, s) for s in seeds])).exact
    print(f"replications that fall back to the engine: {1 - exact.mean():.0%}")

    runs = {}
    # The forced path draws its own numbers and leaves contention out.
    for label, fast in (("auto", None), ("engine", False), ("forced", True)):
        start = time.perf_counter()
        result = replicate(scenario, 200, seed=1, fast=fast, metrics=[lead])
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
