"""The incidents strategy draws at the plans' own thresholds.

A property test over the plans must reach what ``cmdsim check`` reaches: a
hole between two bands above the small values, or a level I that starts
beyond ``RANGES``, is drawn at its edges.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import find, settings

from cmdsim.io import load_district
from cmdsim.testing.incidents import RANGES, incidents, thresholds
from cmdsim.testing.invariants import why_unanswered

OFFICE = Path(__file__).resolve().parents[2] / "examples" / "planning-office"

TRIGGERS = """  triggers:
    - {level: IV, all_of: ["deaths >= 1", "deaths <= 79"]}
    - {level: I, any_of: ["deaths >= 100"]}
"""


def _district_with_a_high_hole(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = tmp_path / "plans"
    shutil.copytree(OFFICE / "plans", root)
    gas = root / "special" / "gas.yaml"
    lines = gas.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index("  triggers:\n")
    end = lines.index("  levels:\n")
    gas.write_text("".join(lines[:start]) + TRIGGERS + "".join(lines[end:]), encoding="utf-8")
    return load_district(root)


def test_thresholds_are_the_plans_values(tmp_path: Path) -> None:
    district = _district_with_a_high_hole(tmp_path)
    assert thresholds(district, "gas")["deaths"] == (1.0, 79.0, 100.0)
    assert RANGES["deaths"][1] < 80  # the hole lies beyond the default range


def test_a_hole_above_the_default_range_is_found(tmp_path: Path) -> None:
    district = _district_with_a_high_hole(tmp_path)
    found = find(
        incidents(district, "gas", flags=False),
        lambda incident: why_unanswered(district, incident) is not None,
        settings=settings(max_examples=1000, derandomize=True, database=None),
    )
    assert found.peak()["deaths"] == 80.0
    assert "deaths from 1 to 79" in (why_unanswered(district, found) or "")
