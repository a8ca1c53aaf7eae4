"""Committees and community handbooks in the bundled gas drill.

Runs the gas main rupture (Sanlin, Spring Festival evening) and prints when
the work-safety committee (安委会) was notified and convened, then compares
the residential committee's first actions with and without its community
emergency handbook (社区应急工作手册) over the same replications: the
sweep of ``cmdsim sweep --vary ...handbook=false``.  Without the handbook
the committee waits for the Sanlin town room to know of the rupture, then
for its instructions; its officer's report does not wait.

    python examples/committees.py
"""

from __future__ import annotations

from cmdsim.analysis.paths import set_path
from cmdsim.analysis.sweep import Variation, sweep
from cmdsim.bundled import path
from cmdsim.check import check
from cmdsim.io import load_scenario
from cmdsim.sim import simulate

HANDBOOK = "district.towns[sanlin_town].committees[sanlin_town_r12].handbook"


def main() -> None:
    scenario = load_scenario(path("gas.yaml"))
    duties = [f for f in check(scenario).findings if f.code.startswith("CMD07")]
    print(f"check: {len(duties)} duty findings (duties each have one owner)")

    result = simulate(scenario, seed=0)
    for body, times in result.metrics["committee"].items():
        if times["notified"] is not None:
            convened = times["convened"]
            met = "not convened" if convened is None else f"convened at {convened:.0f} min"
            print(f"{body}: notified at {times['notified']:.0f} min, {met}")
    for event in result.events:
        if event.kind.startswith("committee_"):
            print(f"  {event.time:6.1f}  {event.actor} {event.kind}: {event.detail('reason')}")

    unprepared = simulate(set_path(scenario, HANDBOOK, False), seed=0)
    acting = next(e for e in unprepared.events if e.kind == "community_acting")
    onset = acting.time - unprepared.metrics["community"]["gas_main_rupture"]["acting"]
    print(
        f"without the handbook (seed 0): {acting.detail('room')} knew "
        f"{acting.detail('knew') - onset:.1f} min after the onset, the committee acted "
        f"{acting.time - onset:.1f} min after it"
    )

    for metric in ("acting", "actions.warn_residents", "actions.evacuate_compound", "reported"):
        name = f"community.gas_main_rupture.{metric}"
        done = sweep(scenario, [Variation.parse(f"{HANDBOOK}=false")], 100, metric=name)
        without = done.variants[0]
        print(
            f"{metric}: {done.base.mean:.1f} min with the handbook, "
            f"{without.mean:.1f} without (+{without.diff:.1f}, "
            f"95% CI {without.diff_ci95[0]:.1f} to {without.diff_ci95[1]:.1f})"
        )


if __name__ == "__main__":
    main()
