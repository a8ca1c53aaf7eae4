"""An after-action report of one run of the flood-typhoon scenario.

Runs the engine once, builds the report data once, and writes it as
self-contained HTML (English and Chinese), Markdown, JSON and CSV into a
temporary directory; prints the headline numbers and the improvement items.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from cmdsim.io import load_scenario
from cmdsim.report import from_result, render
from cmdsim.sim import simulate

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "flood-typhoon.yaml")
    result = simulate(scenario, 7)
    data = from_result(result, scenario, seed=7)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for name, fmt, lang in (
            ("report.html", "html", "en"),
            ("report.zh.html", "html", "zh"),
            ("report.md", "md", "en"),
            ("report.json", "json", "en"),
            ("report.csv", "csv", "en"),
        ):
            path = out / name
            path.write_text(render(data, fmt, lang), encoding="utf-8")
            print(f"wrote {name} ({path.stat().st_size:,} bytes)")
    for key, value in data["summary"].items():
        print(f"{key}: {value}")
    for item in data["improvements"]:
        print(f"- {item['what']}: {item['why']}")


if __name__ == "__main__":
    main()
