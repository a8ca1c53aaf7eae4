"""Committees and community handbooks in the bundled gas drill.

Runs the gas main rupture (Sanlin, Spring Festival evening) and prints when
the work-safety committee (安委会) was notified and convened, then compares
the residential committee's first actions as bundled, whose community
emergency handbook (社区应急工作手册) has no gas chapter, with a handbook
that has one, over the same replications: the sweep of ``cmdsim sweep
--vary 'district.community.handbook_hazards=[gas]'``.  Without the chapter
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

HANDBOOK = "district.community.handbook_hazards"


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

    acting = next(e for e in result.events if e.kind == "community_acting")
    onset = acting.time - result.metrics["community"]["gas_main_rupture"]["acting"]
    print(
        f"no gas chapter in the handbook (seed 0): {acting.detail('room')} knew "
        f"{acting.detail('knew') - onset:.1f} min after the onset, the committee acted "
        f"{acting.time - onset:.1f} min after it"
    )
    chapter = simulate(set_path(scenario, HANDBOOK, ("gas",)), seed=0)
    print(f"with one: acting {chapter.metrics['community']['gas_main_rupture']['acting']:.1f}")

    for metric in ("acting", "actions.warn_residents", "actions.evacuate_compound", "reported"):
        name = f"community.gas_main_rupture.{metric}"
        done = sweep(scenario, [Variation.parse(f"{HANDBOOK}=[gas]")], 100, metric=name)
        covered = done.variants[0]
        print(
            f"{metric}: {done.base.mean:.1f} min as bundled, "
            f"{covered.mean:.1f} with a gas chapter ({covered.diff:+.1f}, "
            f"95% CI {covered.diff_ci95[0]:.1f} to {covered.diff_ci95[1]:.1f})"
        )


if __name__ == "__main__":
    main()
