"""One response per site, two leads and over-response, on the bundled traffic drill.

The drill's pile-up and tanker leak share the site ``s20_kangqiao``; the
general plan's merge rule makes them one response led by the road-traffic
HQ.  This runs the drill as bundled and without the rule, prints the cases,
leads and reports of each, what ``cmdsim check`` says about the plans
without the rule (CMD080), and an over-response: a 110 call saying level I
before any figure warrants it.  Then a task both plans write: the
hazardous-chemicals plan given a ``casualty_care`` of its own at II — by the
health commission, it is the road-traffic plan's work and is not run (CMD082
says so); by fire rescue, it is a second task, named by its plan.  Run with
no arguments from anywhere.
"""

from __future__ import annotations

import attrs

from cmdsim import bundled
from cmdsim.check import check
from cmdsim.io import load_scenario
from cmdsim.model import Inject, Level, Plan, Scenario, Task
from cmdsim.model.timing import LogNormal
from cmdsim.sim import simulate


def without_rule(scenario: Scenario) -> Scenario:
    """The drill with the general plan's merge rules taken out."""
    district = scenario.district
    plans = tuple(attrs.evolve(p, merge=()) if p.merge else p for p in district.plans)
    return attrs.evolve(scenario, district=attrs.evolve(district, plans=plans))


def with_care(scenario: Scenario, unit: str) -> Scenario:
    """The drill with the hazardous-chemicals plan also writing
    ``casualty_care`` at II, by ``unit`` (45 minutes, 12 ambulances)."""
    care = Task(
        id="casualty_care",
        unit=unit,
        duration=LogNormal(median=30.0, sigma=0.4),
        deadline=45.0,
        resources={"ambulances": 12},
    )

    def plan(p: Plan) -> Plan:
        if p.id != "hazardous_chemicals_plan":
            return p
        ii = p.levels[Level.II]
        levels = {**p.levels, Level.II: attrs.evolve(ii, tasks=(*ii.tasks, care))}
        return attrs.evolve(p, levels=levels)

    district = scenario.district
    plans = tuple(plan(p) for p in district.plans)
    return attrs.evolve(scenario, district=attrs.evolve(district, plans=plans))


def summary(label: str, scenario: Scenario) -> None:
    result = simulate(scenario, 0)
    records = result.metrics["incident"]
    cases = {k: r for k, r in records.items() if "merged_into" not in r}
    print(f"{label}: {len(cases)} case(s)")
    for ident, record in cases.items():
        called = sum(duty["called"] for duty in record["reporting"].values())
        merged = f", merged {record['merged']}" if "merged" in record else ""
        print(
            f"  {ident}: lead {record['lead']}, level {record['level']} -> "
            f"{record['peak_level']}, {called} reports called{merged}"
        )
    for event in result.of_kind("two_leads"):
        leads = " and ".join(event.detail("leads"))
        print(f"  {event.time:6.1f} two leads, {leads}: resolved by {event.detail('resolved_by')}")


def main() -> None:
    scenario = load_scenario(bundled.root() / "traffic.yaml")
    summary("with the merge rule", scenario)
    bare = without_rule(scenario)
    summary("without it", bare)
    for item in check(bare).findings:
        if item.code == "CMD080":
            print(f"cmdsim check without it: {item.code} {item.message}")
    # A caller to 110 says "level I" three minutes in; nothing known warrants it.
    call = Inject(id="call", at=3, hazard="road_traffic", town="kangqiao_town", level=Level.I)
    loud = attrs.evolve(scenario, injects=(call,))
    result = simulate(loud, 0)
    for event in result.of_kind("over_response"):
        print(
            f"over-response at {event.time:.1f} min: level {event.detail('level')} where the "
            f"triggers give {event.detail('warranted')} ({event.detail('by')})"
        )
    record = result.metrics["incident"]["expressway_pileup"]
    print(f"over_response {record['over_response']}, level_ok {record['level_ok']}")
    for unit in ("health_commission", "fire_rescue"):
        both = with_care(scenario, unit)
        found = [f for f in check(both).findings if f.code == "CMD082"]
        deadlines = simulate(both, 0).metrics["incident"]["expressway_pileup"]["deadline"]
        tasks = sorted(name for name in deadlines if name.endswith("casualty_care"))
        print(f"casualty_care in both plans, by {unit}: tasks run {tasks}")
        for item in found:
            print(f"  cmdsim check: {item.code} {item.message}")


if __name__ == "__main__":
    main()
