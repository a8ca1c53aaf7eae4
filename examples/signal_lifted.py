"""A signal lifted (解除预警) ends the response with it.

Shanghai's flood HQ ends its typhoon response as the typhoon signal is
lifted (灿都, 2021: "its response ended as the signal was cancelled").  The
bundled typhoon-landfall drill's station and city lift their signals at
18:00 on the 16th (minute 2070, an illustrative hour; each issuer's warning
is its own, so both must lift before no colour is in force): by then the
storm is back under Nanhui Xincheng's plan (handed back with the blue
signals at 13:3x), at the town plan's one level, IV, which any colour kept.
Runs the drill N times and prints how soon after the lift the town's
response closed, and what closed it (``signal``: the town office's
confirmation of the lift; ``lead``: the town lead's reassessment, on what is
true without a signal, that fell first), and what the district room had in
force at the lift.  Then the same for the compound typhoon drill, whose
station lifts its orange at 10:00 (minute 840) while the district's flood
response is still at II: the district's response closes with the lift.

    python examples/signal_lifted.py [N]
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter

from cmdsim import bundled
from cmdsim.io import load_scenario
from cmdsim.sim import simulate

INCIDENT = "typhoon_bebinca"
LIFTED = 2070.0
COMPOUND_LIFTED = 840.0
KINDS = ("level_decided", "level_escalated", "level_deescalated", "response_closed")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    scenario = load_scenario(bundled.path("typhoon-landfall.yaml"))
    lags: list[float] = []
    ways: Counter[str] = Counter()
    district: Counter[str] = Counter()
    for seed in range(runs):
        events = [e for e in simulate(scenario, seed).events if e.incident == INCIDENT]
        closed = next(
            e
            for e in events
            if e.kind == "response_closed"
            and e.actor.endswith("town_duty_room")
            and e.time >= LIFTED
        )
        lags.append(closed.time - LIFTED)
        ways[closed.detail("by") or "lead"] += 1
        # The district room's level in force at the lift (its last change before it).
        held = [
            e.detail("level")
            for e in events
            if e.actor == "district_duty_room" and e.kind in KINDS and e.time < LIFTED
        ]
        district[held[-1] or "closed" if held else "never opened"] += 1
    how = ", ".join(f"{way} {count}" for way, count in sorted(ways.items()))
    print(
        f"signal lifted at 18:00: the town's response closed {statistics.fmean(lags):.1f} min"
        f" later (max {max(lags):.1f}; {how} of {runs} runs)"
    )
    said = ", ".join(f"{level} {count}" for level, count in sorted(district.items()))
    print(f"  the district's response at the lift: {said} (of {runs} runs)")
    compound(runs)


def compound(runs: int) -> None:
    """The compound typhoon's district response, closed by its signal's lift."""
    scenario = load_scenario(bundled.path("compound-typhoon.yaml"))
    lags: list[float] = []
    ways: Counter[str] = Counter()
    for seed in range(runs):
        closed = next(
            e
            for e in simulate(scenario, seed).events
            if e.incident == "typhoon_rainstorm"
            and e.kind == "response_closed"
            and e.actor == "district_duty_room"
        )
        lags.append(closed.time - COMPOUND_LIFTED)
        ways[closed.detail("by") or "lead"] += 1
    how = ", ".join(f"{way} {count}" for way, count in sorted(ways.items()))
    print(
        f"compound typhoon, signal lifted at 10:00: the district's response closed"
        f" {statistics.fmean(lags):.1f} min later (max {max(lags):.1f}; {how} of {runs} runs)"
    )


if __name__ == "__main__":
    main()
