"""Does an exercise log still tell the same story?  Replay it and compare.

A facilitator keeps last month's gas drill log.  Since then the scenario
file was edited (the rupture now starts five minutes later).  Replaying the
log re-runs the drill from its decisions and injects, and compares every
event with the one the log recorded: the first that differs stops the
replay, at the log's line and field, with both sides.  Accepting the
changes takes the replay as it runs now and lists what moved.  Runs with no
arguments and writes into a temporary directory.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from cmdsim import bundled
from cmdsim.errors import LoadError, Problem
from cmdsim.exercise.run import replay_exercise, scripted_exercise


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        drills = Path(tmp) / "drills"
        bundled.copy(drills)  # the office's own copy of the bundled drills
        scenario = drills / "gas.yaml"
        exercise = scripted_exercise(
            scenario,
            drills / "msel" / "gas.yaml",
            ["duty-room"],
            drills / "msel" / "gas-script.yaml",
            seed=1,
        )
        log = Path(tmp) / "gas-drill.jsonl"
        log.write_text(exercise.log_text(log), encoding="utf-8")
        said: list[Problem] = []
        # the file named: a copy with the logged content elsewhere (the
        # bundled one) would otherwise be found by its digest and replayed
        replay_exercise(log, scenario, warn=said.append)
        print(f"replayed {log.name}: the same events, {len(said)} remarks")

        text = scenario.read_text(encoding="utf-8")
        onset = "onset: 2025-01-29T18:00:00"
        assert onset in text, "the bundled gas drill's onset moved: update the example"
        scenario.write_text(text.replace(onset, "onset: 2025-01-29T18:05:00"), encoding="utf-8")
        try:
            replay_exercise(log, scenario)
        except LoadError as stopped:
            first = stopped.problems[0]
            print(f"the edited scenario: the replay stops at line {first.line} ({first.path})")
            for problem in stopped.problems:
                print(" ", problem)
        else:
            raise AssertionError("the edited scenario replayed the logged events")

        moved: list[Problem] = []
        now = replay_exercise(log, scenario, accept_changes=True, warn=moved.append)
        print(f"accepted: {moved[0].message}")
        for problem in moved[1:4]:
            print("  moved:", problem.message)
        again = Path(tmp) / "gas-drill-now.jsonl"
        again.write_text(now.log_text(again), encoding="utf-8")
        replay_exercise(again, scenario)  # the new log replays as it is
        print(f"wrote {again.name}, which replays without a difference")

        # The report of the old log: as it replays now, the differences at
        # its head (cmdsim report LOG --accept-changes).
        from cmdsim.report import load_source, render

        report = load_source(log, scenario, accept_changes=True, warn=lambda _problem: None)
        page = Path(tmp) / "gas-drill-report.md"
        page.write_text(render(report, "md", "zh"), encoding="utf-8")
        print(f"wrote {page.name}: {len(report['replay_notes'])} lines on the replay at its head")


if __name__ == "__main__":
    main()
