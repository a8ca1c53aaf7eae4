"""The towns start with the signal (预警响应联动, "同步启动").

Runs the bundled flood-typhoon drill with the towns' flood plans as shipped
(each has its own warning link: any signal from blue starts the town's IV)
and with those links removed (the towns start from the reports reaching
their rooms).  Prints, for Chuansha (the typhoon's blue signal at 20:00) and
Nanhui Xincheng (the orange signal at 22:00 before the 04:30 high tide),
when the town's level was in force after its signal and how often its
reports up to the district were on time.

    python examples/town_warning.py [N]
"""

from __future__ import annotations

import statistics
import sys

import attrs

from cmdsim import bundled
from cmdsim.io import load_scenario
from cmdsim.model import Scenario
from cmdsim.model.plans import PlanTier
from cmdsim.sim import simulate

TOWNS = {"typhoon_rainstorm": "Chuansha", "high_tide_overtopping": "Nanhui Xincheng"}


def without_town_links(scenario: Scenario) -> Scenario:
    """The drill with every town plan's warning link removed."""
    plans = tuple(
        attrs.evolve(p, warnings=None) if p.tier is PlanTier.TOWN else p
        for p in scenario.district.plans
    )
    return attrs.evolve(scenario, district=attrs.evolve(scenario.district, plans=plans))


def summary(scenario: Scenario, runs: int) -> dict[str, tuple[float, float]]:
    """Per signalled incident: the town's level's median minutes after the
    first signal, and the share of its reports up on time."""
    after: dict[str, list[float]] = {i: [] for i in TOWNS}
    on_time: dict[str, list[float]] = {i: [] for i in TOWNS}
    first_signal = {
        i.id: min(p.at for p in i.timeline if p.signal is not None)
        for i in scenario.incidents
        if i.id in TOWNS
    }
    for seed in range(runs):
        result = simulate(scenario, seed)
        for incident in TOWNS:
            record = result.metrics["incident"][incident]
            after[incident].append(record["town_level_decided"] - first_signal[incident])
            for duty in ("town_phone_report", "town_written_report"):
                # A report never called within the run counts as not on time.
                counts = record["reporting"].get(duty, {"on_time": 0})
                on_time[incident].append(float(counts["on_time"] > 0))
    return {i: (statistics.median(after[i]), 100.0 * statistics.fmean(on_time[i])) for i in TOWNS}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    drill = load_scenario(bundled.path("flood-typhoon.yaml"))
    linked = summary(drill, runs)
    waiting = summary(without_town_links(drill), runs)
    print(f"flood-typhoon drill, {runs} runs (seeds 0-{runs - 1})")
    for incident, town in TOWNS.items():
        (a, pa), (b, pb) = linked[incident], waiting[incident]
        print(
            f"{town}: town level {a:.1f} min after its signal with its warning link, "
            f"{b:.1f} without; reports up on time {pa:.0f} % against {pb:.0f} %"
        )


if __name__ == "__main__":
    main()
