"""A level lowered with its signal (预警响应联动, "同步更新").

Shanghai lowers its flood response with the signal as it raises it (typhoon
灿都, 14 Sep 2021).  Runs the two bundled drills that lower a signal and
prints, for each, when the district's level came down after the lowered
signal and who lowered it (``signal``: the flood plan's warning link;
``lead``: the lead's reassessment that fell first; ``hand_back``: the case
went back to its town's plan with it):

- flood-typhoon: the typhoon's signal goes from orange to yellow at 07:00
  (minute 660), the district's level from II to III;
- typhoon-landfall: the storm's signal goes to blue at 13:30 on the 16th
  (minute 1800), and the storm goes back to Nanhui Xincheng's plan
  (``plan_handed_back`` says ``by: signal``).

For each drill it also prints what the town plan's own link did at its
town's room with the lowered signal: nothing while the district governs the
case; once the town has it back, its office confirms the signal and keeps
the town's IV (the bundled town plans' one level, which blue still calls
for).  What comes after the landfall drill's lifted signal (18:00) is
``examples/signal_lifted.py``'s.

    python examples/signal_lowered.py [N]
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter

from cmdsim import bundled
from cmdsim.io import load_scenario
from cmdsim.sim import simulate

DRILLS = {
    "flood-typhoon.yaml": ("typhoon_rainstorm", 660.0),
    "typhoon-landfall.yaml": ("typhoon_bebinca", 1800.0),
}
UNTIL = {"typhoon-landfall.yaml": 2070.0}
"""Where a drill's signal changes again (the landfall's is lifted at 18:00)."""
KINDS = ("level_deescalated", "response_closed")


def lowered(drill: str, runs: int) -> tuple[list[float], Counter[str]]:
    """Minutes from the lowered signal to the district's first lower level,
    and how often each way of lowering it came first."""
    incident, signal = DRILLS[drill]
    scenario = load_scenario(bundled.path(drill))
    lags: list[float] = []
    ways: Counter[str] = Counter()
    for seed in range(runs):
        result = simulate(scenario, seed)
        first = next(
            e
            for e in result.events
            if e.incident == incident
            and e.actor == "district_duty_room"
            and e.kind in KINDS
            and e.time >= signal
        )
        lags.append(first.time - signal)
        ways[first.detail("by") or "lead"] += 1
    return lags, ways


def at_the_town(drill: str, runs: int) -> Counter[str]:
    """What the town rooms logged of the incident after the lowered signal,
    by the town link's lowering (its confirmation, a lower level, a close)
    and the district's hand-back, with its reason: how many runs of each."""
    incident, signal = DRILLS[drill]
    until = UNTIL.get(drill, float("inf"))
    scenario = load_scenario(bundled.path(drill))
    seen: Counter[str] = Counter()
    for seed in range(runs):
        for e in simulate(scenario, seed).events:
            if e.incident != incident or not signal <= e.time < until:
                continue
            if e.actor.endswith("town_duty_room") and e.kind in (
                "warning_confirmed",
                *KINDS,
            ):
                seen[f"town {e.kind} {e.detail('level') or ''}".strip()] += 1
            elif e.kind == "plan_handed_back":
                seen[f"handed back by {e.detail('by')}"] += 1
    return seen


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    for drill in DRILLS:
        lags, ways = lowered(drill, runs)
        how = ", ".join(f"{way} {count}" for way, count in sorted(ways.items()))
        print(
            f"{drill}: level down {statistics.fmean(lags):.1f} min after the signal"
            f" (max {max(lags):.1f}; {how} of {runs} runs)"
        )
        town = at_the_town(drill, runs)
        said = ", ".join(f"{what} {count}" for what, count in sorted(town.items()))
        print(f"  then: {said or 'nothing at the town rooms'} (of {runs} runs)")


if __name__ == "__main__":
    main()
