"""Replications of the flood-typhoon drill: distributions, not anecdotes.

Runs 200 replications through the engine on two worker processes, writes
the output directory into a temporary folder, and prints the lead HQ's
activation time and how often each deadline is met.

    python examples/batch.py
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from cmdsim import bundled
from cmdsim.analysis import ProcessExecutor, replicate
from cmdsim.analysis.metrics import lead_activation_metric
from cmdsim.io import load_scenario


def main() -> None:
    scenario = load_scenario(bundled.path("flood-typhoon.yaml"))
    metric = lead_activation_metric(scenario)
    with tempfile.TemporaryDirectory() as tmp, ProcessExecutor(2) as pool:
        out = Path(tmp) / "flood-typhoon"
        result = replicate(scenario, 200, seed=7, executor=pool, out=out)
        print(f"written: {', '.join(sorted(p.name for p in out.iterdir()))}")
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    stats = summary["metrics"][metric]
    low, high = stats["ci95"]
    print(f"{metric}: {result.n} replications")
    print(f"  mean {stats['mean']:.1f} min (95% CI {low:.1f}-{high:.1f})")
    print(f"  median {stats['p50']:.1f}, p95 {stats['p95']:.1f}, never {stats['missing']}")
    first = scenario.incidents[0].id
    for name, deadline in summary["deadlines"].items():
        if not name.startswith(f"incident.{first}."):
            continue
        print(f"  {name}: met in {100 * deadline['p']:.1f} % of replications")
    for band, counts in summary["bands"]["onset_band"].items():
        print(f"  onset in the {band} band: {counts} replications")


if __name__ == "__main__":
    main()
