"""Check the bundled district's plans in Chinese, as a planner reads them.

The same as ``cmdsim check scenarios/typhoon-landfall.yaml --lang zh``, from
Python: each finding renders its message in either language
(``Finding.text("zh")``), and ``kind_words`` gives its kind's Chinese title,
why and fix.  Codes, field paths and ids stay as the plans write them.
Runs with no arguments from anywhere.
"""

from __future__ import annotations

from collections import Counter

from cmdsim import bundled
from cmdsim.check import check
from cmdsim.check.words import kind_words
from cmdsim.io import load_with_locations


def main() -> None:
    loaded = load_with_locations(bundled.path("typhoon-landfall.yaml"))
    report = check(loaded.value, loaded.locations)
    counts = Counter(f.code for f in report.findings)
    print("检查结果（按代码）：")
    for code, n in sorted(counts.items()):
        found = [f for f in report.findings if f.code == code]
        accepted = sum(f.accepted is not None for f in found)
        print(f"  {code} {kind_words(found[0].kind, 'zh').title}：{n} 项，已接受 {accepted} 项")
    # The one finding the scenario's own timeline makes: a signal no room hears.
    signal = next(f for f in report.findings if f.code == "CMD019")
    print()
    print(f"{signal.path}：")
    print(f"  {signal.text('zh')}")
    print(f"  改正：{kind_words(signal.kind, 'zh').fix}")


if __name__ == "__main__":
    main()
