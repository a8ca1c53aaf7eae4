"""Change a scenario in Python: model values cannot change in place, so a
what-if is a new value made with ``attrs.evolve``, checked as a file would
be, and checked once however many times it runs (a loaded one was checked
by its load).

    python examples/change_in_python.py
"""

from __future__ import annotations

import attrs

import cmdsim
from cmdsim import bundled
from cmdsim.analysis.metrics import flatten
from cmdsim.errors import CmdsimError, LoadError
from cmdsim.io import checked, from_data, load_scenario
from cmdsim.model import Level, Scenario

LEAD = "incident.gas_main_rupture.hq.gas_hq.activated"


def main() -> None:
    gas = load_scenario(bundled.path("gas.yaml"))
    index = next(k for k, p in enumerate(gas.district.plans) if p.id == "gas_plan")
    plan = gas.district.plans[index]

    # A plan's levels (a FrozenDict) refuse a change in place, and say how.
    try:
        plan.levels.pop(Level.I)  # type: ignore[attr-defined]
    except TypeError as refused:
        print(f"refused: {refused}")
    # Nor do dict's own methods write it: it is a read-only Mapping, no dict.
    try:
        dict.__setitem__(plan.levels, Level.I, None)  # type: ignore[index]
    except TypeError as refused:
        print(f"refused too: {refused}")
    # What the loader gave passed every check already: simulate checks nothing.
    print(f"checked by its load: {checked.passed(gas)}")

    # The what-if: the plan without its level I, rebuilt up to the scenario.
    fewer = attrs.evolve(plan, levels={k: r for k, r in plan.levels.items() if k is not Level.I})
    plans = (*gas.district.plans[:index], fewer, *gas.district.plans[index + 1 :])
    variant = attrs.evolve(gas, district=attrs.evolve(gas.district, plans=plans))
    print(f"levels as shipped: {', '.join(k.value for k in plan.levels)}")
    print(f"levels of the variant: {', '.join(k.value for k in fewer.levels)}")

    # A loop of single runs checks the variant once, on its first run.
    times = [flatten(cmdsim.simulate(variant, seed))[LEAD] for seed in range(5)]
    print(f"{LEAD}: " + ", ".join(f"{t:.1f} min" for t in times))

    # A value no file could give is refused, by cmdsim.simulate and by from_data.
    short = attrs.evolve(variant, horizon=5)
    try:
        cmdsim.simulate(short, 0)
    except CmdsimError as refused:
        print(str(refused).splitlines()[0])
    try:
        from_data(short, Scenario)
    except LoadError as refused:
        print(f"from_data: {refused.problems[0]}")

    # A value of the wrong type is refused where it is built, naming the field.
    try:
        attrs.evolve(plan, levels={Level.II: "junk"})
    except CmdsimError as refused:
        print(f"built with a wrong type: {refused}")


if __name__ == "__main__":
    main()
