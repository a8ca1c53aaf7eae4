"""Accepting a finding with a reason, and learning when the acceptance is stale.

Copies the bundled district to a temporary directory (as a planning team
copies it into its repository) and checks it three ways:

1. as bundled: its 26 CMD042 warnings (the written report's 30-minute
   limit at level II and above against an illustrative writing time) and
   its CMD063 (the community handbook's missing chapters) and its 37 CMD006
   (general plans that govern no incident) are accepted in its ``accept``
   list, so ``--fail-on warning`` passes;
2. with ``--no-accept``: the same 64 warnings fail it;
3. after the team writes its measured writing time (a pre-filled template:
   10 minutes at the median) into the plans: the CMD042 warnings are gone,
   and the acceptance, matching nothing now, is itself a finding (CMD091)
   at its own line, so ``--fail-on warning`` fails until it is removed.

    python examples/accepted_findings.py
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from click.testing import CliRunner

from cmdsim import bundled
from cmdsim.cli import main


def check(*args: str) -> tuple[int, str]:
    """``cmdsim check`` with these arguments: exit code and its last line."""
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.output.strip().splitlines()[-1]


def faster_writing(plans: Path) -> None:
    """Every plan's written initial report written from a template: 10 minutes."""
    for file in plans.glob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        text = re.sub(
            r"(id: written_report,.*?duration: )\{kind: lognormal, median: 25, sigma: 0\.4\}",
            r"\1{kind: lognormal, median: 10, sigma: 0.3}",
            text,
        )
        file.write_text(text, encoding="utf-8")


def main_() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bundled.copy(tmp)
        district = Path(tmp) / "district"

        code, last = check(str(district), "--fail-on", "warning")
        print(f"as bundled:             exit {code}: {last}")
        assert code == 0 and "107 accepted" in last

        code, last = check(str(district), "--fail-on", "warning", "--no-accept")
        print(f"--no-accept:            exit {code}: {last}")
        assert code == 1 and "82 warnings, 25 infos" in last

        faster_writing(district / "plans")
        code, last = check(str(district), "--fail-on", "warning")
        print(f"writing from templates: exit {code}: {last}")
        assert code == 1 and "1 warnings" in last

        result = CliRunner().invoke(main, ["check", str(district), "--json"])
        (report,) = json.loads(result.output)["reports"]
        # The handbook's acceptance still holds; the written report's is stale.
        (stale,) = [f for f in report["findings"] if f["accepted"] is None]
        print(
            f"  {stale['code']} at {Path(stale['file']).name}:{stale['line']}: {stale['message']}"
        )
        assert stale["code"] == "CMD091" and stale["path"] == "accept[0]"


if __name__ == "__main__":
    main_()
