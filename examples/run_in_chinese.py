"""Read a run in Chinese: the gas drill's timeline and summary as a duty log.

The same as ``cmdsim run gas.yaml --lang zh``, from Python: the engine's log
keeps its own words; :func:`cmdsim.report.run_words.timeline_words` gives the
words a Chinese reader gets.  Runs with no arguments from anywhere.
"""

from __future__ import annotations

from cmdsim import bundled
from cmdsim.io import load_scenario
from cmdsim.report.run_words import stage_word, timeline_words
from cmdsim.sim import format_timeline, simulate
from cmdsim.sim.timeline import display_names


def main() -> None:
    scenario = load_scenario(bundled.path("gas.yaml"))
    result = simulate(scenario, 0)
    text = format_timeline(result, display_names(scenario), timeline_words("zh"))
    decided = [line for line in text.splitlines() if "确定响应级别" in line]
    print("定级：")
    for line in decided:
        print(" ", line)
    for stage, counts in result.record.reporting.items():
        if counts.called:
            word = stage_word(stage, "zh")
            print(f"{word}：按时{counts.on_time}、迟报{counts.late}、漏报{counts.missing}")


if __name__ == "__main__":
    main()
