"""What a batch summary's numbers rest on: the percentile rule, percentiles
too few replications cannot support, and metrics nothing in the run measures.

Runs 24 replications of the gas drill without the towns' plans (the
before/after of ``cmdsim batch --no-town-plans``) and prints:

* the rule every ``pNN`` follows, checked here against the replications'
  own values (the k-th smallest, within the sketch's 0.5 %);
* the percentiles 24 replications are too few for (``thin``: p99 needs 100);
* how many metrics never happened, stayed 0, or could not be measured (the
  towns' rescue teams, whose only work was in the towns' plans).

    python examples/what_the_numbers_are.py
"""

from __future__ import annotations

import math

from cmdsim import bundled
from cmdsim.analysis import replicate
from cmdsim.analysis.percentiles import percentile_rank
from cmdsim.io import load_scenario

METRIC = "incident.gas_main_rupture.level_decided"


def main() -> None:
    scenario = load_scenario(bundled.path("gas.yaml")).without_town_plans()
    result = replicate(scenario, 24, seed=1, keep=True, progress=None)
    summary = result.summary
    print("rule:", summary["percentiles"]["rule"])
    stats = summary["metrics"][METRIC]
    values = sorted(x for x in result.column(METRIC) if not math.isnan(x))
    n = len(values)
    for key in ("p50", "p95", "p99"):
        exact = values[percentile_rank(int(key[1:]), n) - 1]
        need = summary["percentiles"]["needs"][key]
        shown = f" (thin: needs {need})" if key in stats["thin"] else ""
        print(
            f"{METRIC} {key}: {stats[key]:.2f}, the value at rank "
            f"{percentile_rank(int(key[1:]), n)} of {n} is {exact:.2f}{shown}"
        )
        assert abs(stats[key] - exact) <= summary["relative_accuracy"] * abs(exact) + 1e-9
    assert stats["thin"] == ["p99"], stats["thin"]
    off = summary["not_measured"]
    metrics = {k: s for k, s in summary["metrics"].items() if not k.endswith(".met")}
    idle = {k for k, s in metrics.items() if s["count"] == 0 or s["min"] == s["max"] == 0}
    never = sum(1 for k in idle - set(off) if metrics[k]["count"] == 0)
    print(
        f"never observed: {never}; always 0: {len(idle - set(off)) - never}; "
        f"not measured: {len(idle & set(off))}"
    )
    team = "utilisation.sanlin_town_rescue_team"
    print(f"{team}: {off[team]}")


if __name__ == "__main__":
    main()
