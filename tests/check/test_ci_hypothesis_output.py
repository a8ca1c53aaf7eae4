"""A failed property test of plans, as the CI log shows it.

Hypothesis prints every argument of a falsifying example: the district
fixture must be one line and the incident's onset a datetime, so the
incident that fails is what the reviewer sees.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis.vendor.pretty import pretty

from cmdsim.io import load_district

OFFICE = Path(__file__).resolve().parents[2] / "examples" / "planning-office"


def test_a_district_pretty_prints_on_one_line() -> None:
    district = load_district(OFFICE / "plans")
    assert pretty(district) == (
        "District(id='riverside', 3 hazards, 6 units, 4 commands, 4 plans, 2 towns)"
    )


def test_a_failed_property_test_shows_the_incident_not_the_district(
    office_with_two_gas_leads: Path,
) -> None:
    root = office_with_two_gas_leads
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_plans.py::test_any_incident_gets_exactly_one_lead",
        ],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    assert "traffic_hq (plan 'traffic')" in out
    falsifying = out[out.index("Failing test case") :]
    # The district is one line, not a dump of its units and HQs.
    assert "cmdsim_district=District(id='riverside', 3 hazards" in falsifying
    assert "Unit(" not in falsifying
    # The onset is the datetime, not the strategy's lambda.
    assert "timedelta" not in falsifying
    assert "onset=datetime.datetime(" in falsifying
    # About 600 lines with the district dumped; the incident drawn (its
    # timeline's points one field a line) and CI's @reproduce_failure blob
    # take 40-70 depending on the example.
    assert len(falsifying.splitlines()) < 150
