"""A tabletop drill's console in Chinese: the gas drill at the keyboard, for a
Chinese-speaking duty room.

The same as ``cmdsim drill gas.yaml --msel msel/gas.yaml --play duty-room
--lang zh``, from Python, with the keyboard played by a list of answers: the
facilitator runs to each decision (``c``), the room takes the plan's answer
(Enter), then declares level II (``II``) and keeps the plan's HQs.  The
console's lines come from :mod:`cmdsim.exercise.console_words`, the events'
words from :func:`cmdsim.report.run_words.timeline_words`; the exercise log
keeps the engine's words and records ``"lang": "zh"``.  Runs with no
arguments from anywhere and writes into a temporary directory.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from rich.console import Console

from cmdsim import bundled
from cmdsim.exercise.console import DrillConsole
from cmdsim.exercise.run import open_exercise
from cmdsim.report.run_words import timeline_words

SCENARIOS = bundled.root()


def main() -> None:
    exercise = open_exercise(
        SCENARIOS / "gas.yaml", SCENARIOS / "msel" / "gas.yaml", ["duty-room"], seed=1
    )
    answers = iter(["c", "", "", "c", "II", ""])
    screen = io.StringIO()

    def keyboard(prompt: str) -> str:
        screen.write(prompt)
        answer = next(answers, "q")
        screen.write(answer + "\n")
        return answer

    console = Console(file=screen, width=120, color_system=None)
    DrillConsole(exercise, console, keyboard, words=timeline_words("zh")).run()
    lines = screen.getvalue().splitlines()
    # the console's own lines: the header, each decision asked and recorded
    for line in lines:
        if line.startswith(("演练：", "决策", "  已记录", "  可选级别", "  响应级别")):
            print(line)
    print(next(line for line in lines if "确定响应级别" in line))
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "drill.jsonl"
        log.write_text(exercise.log_text(log, lang="zh"), encoding="utf-8")
        header = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
        records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        kinds = {r["event"]["kind"] for r in records if r["type"] == "event"}
        assert header["lang"] == "zh" and "level_decided" in kinds
        print(
            f"log: lang={header['lang']}, level_decided logged as such: {'level_decided' in kinds}"
        )


if __name__ == "__main__":
    main()
