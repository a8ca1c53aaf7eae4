"""Information reporting (信息报送) by stage: which reports a drill calls for,
when each was due and arrived, and the checker's fastest path for each.

Runs the bundled traffic drill (an expressway pile-up with a leaking tanker)
once, prints every report called for — initial, follow-up, final — with its
status (on time, late 迟报, missing 漏报), then twenty runs' totals by stage,
and what ``cmdsim check`` counts as the least time each report can take.
Run with no arguments from anywhere.
"""

from __future__ import annotations

from cmdsim import bundled
from cmdsim.check.bounds import fastest
from cmdsim.io import load_scenario
from cmdsim.sim import SimOptions, simulate


def main() -> None:
    scenario = load_scenario(bundled.root() / "traffic.yaml")
    result = simulate(scenario, 1)
    for incident, record in sorted(result.metrics["incident"].items()):
        print(f"{incident} (aware {record['aware']:.1f} min after onset)")
        for report, duty in sorted(record["reporting"].items()):
            for item in duty["items"]:
                late = f" by {item['lateness']:.1f} min" if item["lateness"] else ""
                print(
                    f"  {report:<18} {duty['stage']:<9} to {duty['to']:<16}"
                    f" due {item['due']:6.1f}  arrived {item['arrived']:6.1f}"
                    f"  {item['status']}{late}"
                )
    totals: dict[str, dict[str, int]] = {}
    for seed in range(20):
        stages = simulate(scenario, seed, options=SimOptions(log=False)).metrics["reporting"]
        for stage, counts in stages.items():
            row = totals.setdefault(stage, dict.fromkeys(counts, 0))
            for key, n in counts.items():
                row[key] += n
    print("20 runs, by stage:")
    for stage, row in totals.items():
        print(f"  {stage:<9} " + ", ".join(f"{k} {v}" for k, v in row.items()))
    district = scenario.district
    plan = district.plan("road_traffic_plan")
    print(f"fastest paths under {plan.id} (cmdsim check, CMD041):")
    for duty in plan.reports:
        path = fastest(district, plan, duty)
        text = "no bound" if path is None else path.text()
        print(f"  {duty.id:<18} within {duty.within:g}: {text}")


if __name__ == "__main__":
    main()
