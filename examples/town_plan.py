"""A town's own plan first, then the district's: town-level response and hand-over.

Runs the small gas scenario of the engine tests: the town duty room declares
level IV under the town's gas plan, the town HQ and its unit act, deaths rise
beyond what the town plan covers and the district room takes over under the
district gas plan.  Then the same without the town's duty room, where the
district room decides from the start.  Then the hand-back: households
rise beyond the town plan and fall back, and the district room hands the
incident back to the town (``tests/sim/town_hand_back.yaml``).  Last, the
bundled gas drill: Sanlin's own gas plan answers first.

    python examples/town_plan.py
"""

from __future__ import annotations

from pathlib import Path

import attrs

from cmdsim.analysis.fastpath import permits
from cmdsim.io import load_scenario
from cmdsim.model.organisation import Receiver
from cmdsim.sim import format_timeline, simulate

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    scenario = load_scenario(ROOT / "tests" / "sim" / "town_plan.yaml")
    result = simulate(scenario, seed=0)
    print(format_timeline(result))
    leak = result.metrics["incident"]["leak"]
    print(
        f"town plan {leak['town_plan']}: level {leak['level']} at +{leak['level_decided']:g} min; "
        f"handed over at +{leak['handed_over']:g} min to {leak['plan']} "
        f"(peak {leak['peak_level']}, lead {leak['lead']})"
    )
    print(f"fast path: {permits(scenario, ['incident.leak.level_decided'], unlimited=True)}")

    # Without a town duty room nobody runs the town plan: the district decides.
    town = attrs.evolve(scenario.district.towns[0], duty_room=None)
    hotline = attrs.evolve(scenario.district.channels[0], to=Receiver.DISTRICT)
    district = attrs.evolve(scenario.district, towns=(town,), channels=(hotline,))
    plain = simulate(attrs.evolve(scenario, district=district), seed=0)
    first = plain.metrics["incident"]["leak"]
    print(
        f"without the town room: {first['plan']} decides level {first['level']} "
        f"at +{first['level_decided']:g} min"
    )

    back = simulate(load_scenario(ROOT / "tests" / "sim" / "town_hand_back.yaml"), seed=0)
    moves = [
        f"{e.kind} +{e.time - 60:g}"
        for e in back.events
        if e.kind in ("level_decided", "plan_handed_over", "plan_handed_back", "plan_taken_back")
    ]
    print("hand-back: " + ", ".join(moves))

    drill = load_scenario(ROOT / "scenarios" / "gas.yaml")
    gas = simulate(drill, seed=0).metrics["incident"]["gas_main_rupture"]
    print(
        f"gas drill: {gas['town_plan']} level {gas['town_level']} at "
        f"+{gas['town_level_decided']:.1f} min, handed over at +{gas['handed_over']:.1f}, "
        f"town HQ active at +{gas['hq']['sanlin_town_hq']['activated']:.1f}"
    )


if __name__ == "__main__":
    main()
