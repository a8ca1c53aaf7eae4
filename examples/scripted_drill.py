"""A scripted tabletop drill of each scenario family, replayed byte for byte.

For the flood, gas, traffic, compound typhoon and typhoon landfall scenarios:
load the MSEL, let the duty room's decisions (in the compound typhoon, those
of the general HQ and the lead HQs too; in the landfall, the general HQ's)
come from a script, write the exercise log, replay
it, check the replay's log is the same file, and write the after-action
report of the exercise.  Runs with no arguments and writes into a temporary
directory.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from cmdsim import bundled
from cmdsim.exercise.run import replay_exercise, scripted_exercise
from cmdsim.io import load_scenario
from cmdsim.report import load_source, render

SCENARIOS = bundled.root()
FAMILIES = {
    "flood-typhoon": "flood-typhoon.yaml",  # imports an HSEEP-style spreadsheet
    "gas": "gas.yaml",
    "traffic": "traffic.yaml",
    "compound-typhoon": "compound-typhoon.yaml",
    "typhoon-landfall": "typhoon-landfall.yaml",
}
PLAY = {
    "compound-typhoon": ["duty-room", "general-hq", "lead-hq"],
    "typhoon-landfall": ["duty-room", "general-hq"],
}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for family, msel in FAMILIES.items():
            scenario = load_scenario(SCENARIOS / f"{family}.yaml")  # loaded once, used twice
            exercise = scripted_exercise(
                SCENARIOS / f"{family}.yaml",
                SCENARIOS / "msel" / msel,
                play=PLAY.get(family, ["duty-room"]),
                script_path=SCENARIOS / "msel" / f"{family}-script.yaml",
                seed=1,
                scenario=scenario,
            )
            log = out / f"{family}.jsonl"
            log.write_text(exercise.log_text(), encoding="utf-8")
            replayed = replay_exercise(log, scenario=scenario)
            assert replayed.log_text() == log.read_text(encoding="utf-8"), family
            decisions = len(exercise.spec.decisions)
            verdicts = exercise.verdicts(exercise.end, final=True)
            print(
                f"{family}: {len(exercise.events)} events, {decisions} decisions, "
                + ", ".join(f"{v.criterion} {v.status.value}" for v in verdicts)
                + "; replay identical"
            )
            report = out / f"{family}-report.html"
            data = load_source(log, scenario=scenario)
            report.write_text(render(data, "html", "en"), encoding="utf-8")
            print(f"  report: {report.name} ({report.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
