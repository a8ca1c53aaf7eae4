"""The compound typhoon drill with the command chain played.

The duty room, the general HQ's commander and the lead HQs' commanders take
their decisions from ``scenarios/msel/compound-typhoon-script.yaml``: the
general HQ declines the takeover when its rule first holds and takes over
when asked again.  The example prints each decision, compares the takeover
with the plan's own run (nobody playing), writes the exercise log, replays
it, and checks the replay's log is the same file.  Runs with no arguments.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from cmdsim import bundled
from cmdsim.exercise.drill import decision_text
from cmdsim.exercise.run import replay_exercise, scripted_exercise
from cmdsim.io import load_scenario

SCENARIO = bundled.path("compound-typhoon.yaml")
MSEL = bundled.path("msel/compound-typhoon.yaml")
SCRIPT = bundled.path("msel/compound-typhoon-script.yaml")
SEED = 11


def takeover(events: list[dict[str, object]]) -> dict[str, object]:
    """When the takeover rule held, was declined, triggered, and the general HQ was at work."""
    out: dict[str, object] = {}
    for event in events:
        kind = str(event["kind"])
        if kind in ("takeover_declined", "takeover_triggered", "takeover"):
            out.setdefault(kind, round(float(str(event["time"])), 1))
    return out


def main() -> None:
    scenario = load_scenario(SCENARIO)
    roles = ["duty-room", "general-hq", "lead-hq"]
    played = scripted_exercise(SCENARIO, MSEL, roles, SCRIPT, seed=SEED, scenario=scenario)
    # the same drill with nobody playing: every decision is the plan's
    planned = scripted_exercise(SCENARIO, MSEL, [], SCRIPT, seed=SEED, scenario=scenario)

    print(f"compound typhoon, seed {SEED}, playing {', '.join(roles)}")
    for key, (time, decision, by) in sorted(
        played.spec.decisions.items(), key=lambda item: (item[1][0], item[0])
    ):
        if not key.startswith("duty-room"):
            print(f"  {time:6.1f} min  {key:32}  {decision_text(decision)}  ({by})")
    print(f"  the plan's run: {takeover(planned.events)}")
    print(f"  with players:   {takeover(played.events)}")
    for verdict in played.verdicts(played.end, final=True):
        print(f"  {verdict.criterion}: {verdict.status.value}")

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "compound.jsonl"
        log.write_text(played.log_text(), encoding="utf-8")
        again = replay_exercise(log, scenario=scenario)
        assert again.log_text() == log.read_text(encoding="utf-8")
        print(f"  log {log.stat().st_size:,} bytes; replay identical")


if __name__ == "__main__":
    main()
