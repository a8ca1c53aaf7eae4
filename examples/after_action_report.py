"""After-action reports a bureau can file: one run of the flood-typhoon
scenario, and a scripted gas drill with the exercise's facts.

Writes each as self-contained HTML (English and Chinese), Markdown, JSON,
CSV and a Word document into a temporary directory; prints the headline
figures (minutes from each incident's origin: its first warning for a
forecast hazard, otherwise its onset), the per-inject ratings and the
improvement plan in Chinese.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from cmdsim import bundled
from cmdsim.exercise.run import scripted_exercise
from cmdsim.io import load_scenario
from cmdsim.report import from_result, load_source, localize, render
from cmdsim.report.docx import to_docx
from cmdsim.sim import simulate

FACTS = """\
date: 2025-01-30
place: 浦东新区应急指挥中心
facilitator: 张导调
participants:
  - {name: 李值班, unit: 区总值班室, role: duty-room}
observations: [值班室接报后研判迅速]
"""


def write_all(data: dict[str, object], out: Path, stem: str) -> None:
    for suffix, fmt, lang in (
        (".html", "html", "en"),
        (".zh.html", "html", "zh"),
        (".md", "md", "en"),
        (".json", "json", "zh"),
        (".csv", "csv", "en"),
    ):
        path = out / f"{stem}{suffix}"
        # CSV with a byte order mark, as `cmdsim report -o x.csv` writes it: Excel
        # on a Chinese Windows reads it as UTF-8 instead of GBK.
        encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
        path.write_text(render(data, fmt, lang), encoding=encoding)  # type: ignore[arg-type]
    (out / f"{stem}.docx").write_bytes(to_docx(data, "zh"))  # type: ignore[arg-type]
    sizes = ", ".join(f"{p.name} {p.stat().st_size:,} B" for p in sorted(out.glob(f"{stem}*")))
    print(f"wrote {sizes}")


def main() -> None:
    scenario = load_scenario(bundled.path("flood-typhoon.yaml"))
    run = from_result(simulate(scenario, 7), scenario, seed=7)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_all(run, out, "flood")
        view = localize(run, "zh")
        for key, value in view["summary"].items():
            print(f"{key}: {value}")
        for a in view["activations"]:
            print(
                f"{a['command_name']} {a['incident_name']}: {a['activated_clock']}, "
                f"{a['origin_text']} + {a['delay']} 分钟"
            )

        exercise = scripted_exercise(
            bundled.path("gas.yaml"),
            bundled.path("msel/gas.yaml"),
            ["duty-room"],
            bundled.path("msel/gas-script.yaml"),
            1,
        )
        log = out / "gas.jsonl"
        log.write_text(exercise.log_text(), encoding="utf-8")
        (out / "facts.yaml").write_text(FACTS, encoding="utf-8")
        drill = load_source(log, facts=out / "facts.yaml")
        write_all(drill, out, "gas")
        view = localize(drill, "zh")
        for inject in view["injects"]:
            print(f"{inject['clock']} {inject['id']}: {inject['status_name']}")
        for row in view["plan"]:
            who = f"{row['unit_name']}, {row['due_text']}"
            print(f"- {row['issue_text']} → {row['action_text']} ({who})")


if __name__ == "__main__":
    main()
