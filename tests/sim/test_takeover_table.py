"""The table of what a takeover adds in the bundled drills (docs/engine.md,
the general plan under a takeover) is measured, not pasted: each row is
recomputed here from seed 0 of its drill as shipped and with the general
plan's ``takeover`` removed, and the page must say the same.

Run as a script (``python tests/sim/test_takeover_table.py``) it prints the
rows as the page should have them.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

from cmdsim import io
from cmdsim.model.scenario import general_plan
from cmdsim.sim import simulate
from cmdsim.sim.results import RunResult

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "engine.md"
DRILLS = ("typhoon-landfall", "compound-typhoon")
ROW = re.compile(r"^\| (?P<drill>[a-z-]+) \| (?P<rest>.*) \|$")


def _counts(result: RunResult) -> tuple[int, int, int, int]:
    """Reports called, of them the general plan's, HQs at work for an
    incident (each incident's ``hq.<id>.activated``), tasks set: in one run."""
    reports = general = 0
    for record in result.record.incidents.values():
        for name, duty in record.reporting.items():
            reports += len(duty.items)
            if name.startswith("general_plan:"):
                general += len(duty.items)
    active = sum(
        1
        for record in result.record.incidents.values()
        for hq in record.hq.values()
        if hq.activated is not None
    )
    return reports, general, active, len(result.of_kind("task_assigned"))


def row(drill: str) -> str:
    """The page's row for ``drill``: seed 0 without the takeover → as shipped."""
    shipped = io.load(ROOT / "scenarios" / f"{drill}.yaml")
    plan = general_plan(shipped.district)
    assert plan is not None and plan.takeover is not None
    plans = tuple(
        attrs.evolve(p, takeover=None) if p.id == plan.id else p for p in shipped.district.plans
    )
    bare = attrs.evolve(shipped, district=attrs.evolve(shipped.district, plans=plans))
    taken = simulate(shipped, seed=0)
    before = _counts(simulate(bare, seed=0))
    after = _counts(taken)
    record = taken.record.takeover
    assert record.time is not None
    ended = "—" if record.ended is None else f"{record.ended:.1f}"
    cells = [
        f"{record.time:.1f} ({record.reason})",
        ended,
        f"{before[0]} → {after[0]}",
        f"{after[1]}",
        f"{before[2]} → {after[2]}",
        f"{before[3]} → {after[3]}",
    ]
    return f"| {drill} | {' | '.join(cells)} |"


def _page_rows() -> dict[str, str]:
    out = {}
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        found = ROW.match(line)
        if found is not None and found["drill"] in DRILLS:
            out[found["drill"]] = line
    return out


@pytest.mark.parametrize("drill", DRILLS)
def test_the_pages_takeover_table_is_the_runs(drill: str) -> None:
    assert _page_rows().get(drill) == row(drill)


if __name__ == "__main__":
    for name in DRILLS:
        print(row(name))
