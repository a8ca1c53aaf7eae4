"""An inject's stated figures, on the bundled traffic drill.

The 119 call at +25 min says "4 dead, 12 seriously injured" and carries the
facilitator's level II.  Its ``figures`` make those numbers part of what the
district room knows once it has triaged the call, so the II it reports is
warranted by what is known; without them the room knows only what the
channels have counted so far, and the II is logged as an over-response.
This runs the drill over 30 seeds both ways, prints the over-responses by
level, the follow-up reports and how late the dead were known, then reads
a small MSEL sheet with a column per figure.  Run with no arguments from
anywhere.
"""

from __future__ import annotations

import statistics
import tempfile
from collections import Counter
from pathlib import Path

import attrs

from cmdsim import bundled
from cmdsim.exercise import load_msel
from cmdsim.io import load_scenario
from cmdsim.model import Scenario
from cmdsim.sim import simulate

SEEDS = range(30)


def unstated(scenario: Scenario) -> Scenario:
    """The drill with every inject's figures left out (the level stays)."""
    injects = tuple(attrs.evolve(i, figures={}) for i in scenario.injects)
    return attrs.evolve(scenario, injects=injects)


def summary(label: str, scenario: Scenario) -> None:
    over: Counter[str] = Counter()
    follow_ups, deaths_late = [], []
    for seed in SEEDS:
        result = simulate(scenario, seed)
        over.update(
            f"{e.detail('level')} over {e.detail('warranted') or 'no level'}"
            for e in result.of_kind("over_response")
        )
        pileup = result.metrics["incident"]["expressway_pileup"]
        follow_ups.append(pileup["reporting"]["follow_up_report"]["called"])
        deaths_late.append(pileup["knowledge"]["known_lag"]["deaths"])
    print(f"{label}:")
    print(f"  over-responses ({len(SEEDS)} runs): {dict(sorted(over.items())) or 'none'}")
    print(f"  follow-up reports a run, mean: {statistics.mean(follow_ups):.2f}")
    print(f"  the dead known late by, median: {statistics.median(deaths_late):.1f} min")


def main() -> None:
    traffic = load_scenario(bundled.root() / "traffic.yaml")
    for inject in traffic.injects:
        stated = inject.known() or "no figures stated"
        level = inject.level.value if inject.level is not None else "none"
        print(f"{inject.id} at +{inject.at:g} min, level {level}: {stated}")
    print()
    summary("with the injects' figures (as bundled)", traffic)
    summary("without them", unstated(traffic))
    print()
    sheet = (
        "Event #,Time,From,To,Message,Hazard,Deaths,Seriously Injured,Households\n"
        'e1,+00:25,Fire rescue (119),区总值班室,"4 dead, 12 hurt",road_traffic,4,12,\n'
        'e2,+01:30,Gas company,区总值班室,"12,000 without gas",gas,,,"12,000"\n'
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "msel.csv"
        path.write_text(sheet, encoding="utf-8")
        for entry in load_msel(path).entries:
            print(f"MSEL row {entry.line}: {entry.inject.id} figures {entry.inject.figures}")


if __name__ == "__main__":
    main()
