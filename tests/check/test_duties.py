"""Responsibility lists (CMD070–CMD073): one owner per regulated duty.

The flawed fixture (tests/check/flawed/district.yaml) shows each finding at
its line; here: the bundled district's lists, the generator's files, the
rule's arithmetic on random lists, and the committee-versus-HQ overlap.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from cmdsim.check import check
from cmdsim.check.duties import check_duties
from cmdsim.io import load_district
from cmdsim.model import (
    Body,
    Command,
    District,
    DutyKind,
    Hazard,
    RegulatedDuty,
    Responsibility,
    Unit,
)

ROOT = Path(__file__).resolve().parents[2]
DISTRICT = ROOT / "scenarios" / "district"
GENERATED = ("bodies.yaml", "duties.yaml", "responsibilities.yaml")


def test_the_generator_reproduces_the_committee_files(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_district.py"), "--out", str(tmp_path)],
        check=True,
    )
    for name in GENERATED:
        assert (tmp_path / name).read_bytes() == (DISTRICT / name).read_bytes(), name


def test_the_bundled_district_owns_each_regulated_duty_once() -> None:
    district = load_district(DISTRICT)
    regulated = [(d.hazard, k) for d in district.duties for k in d.kinds]
    owners = Counter((r.hazard, k) for r in district.responsibilities for k in r.kinds)
    assert len(regulated) == 26 and set(regulated) == set(owners)
    assert set(owners.values()) == {1}
    assert not [f for f in check(district).findings if f.code.startswith("CMD07")]
    # The unsettled relation, settled as data: 灾防委 coordinates, the flood HQ responds.
    flood = {
        k: r.owner
        for r in district.responsibilities
        if r.hazard == "flood_typhoon"
        for k in r.kinds
    }
    assert flood == {
        DutyKind.COORDINATION: "disaster_prevention_committee",
        DutyKind.RESPONSE: "flood_typhoon_hq",
    }


def small(responsibilities: tuple[Responsibility, ...]) -> District:
    return District(
        id="d",
        hazards=(Hazard(id="gas"), Hazard(id="flood")),
        units=(Unit(id="bureau"),),
        commands=(
            Command(id="gas_hq", lead_unit="bureau"),
            Command(id="flood_hq", lead_unit="bureau"),
        ),
        bodies=(Body(id="council", office="bureau"),),
        duties=(
            RegulatedDuty(hazard="gas", kinds=(DutyKind.SUPERVISION, DutyKind.RESPONSE)),
            RegulatedDuty(hazard="flood", kinds=(DutyKind.RESPONSE,)),
        ),
        responsibilities=responsibilities,
    )


def test_a_committee_and_an_hq_on_one_duty_is_its_own_finding() -> None:
    found = list(
        check_duties(
            small(
                (
                    Responsibility(owner="bureau", hazard="gas", kinds=(DutyKind.SUPERVISION,)),
                    Responsibility(owner="gas_hq", hazard="gas", kinds=(DutyKind.RESPONSE,)),
                    Responsibility(owner="council", hazard="gas", kinds=(DutyKind.RESPONSE,)),
                    Responsibility(owner="flood_hq", hazard="flood", kinds=(DutyKind.RESPONSE,)),
                )
            )
        )
    )
    assert [(f.code, f.path) for f in found] == [("CMD072", "responsibilities[2].kinds[0]")]
    assert found[0].message == (
        "response of 'gas' is owned by the committee 'council' and by the HQ 'gas_hq'"
    )


lines = st.builds(
    Responsibility,
    owner=st.sampled_from(["bureau", "gas_hq", "flood_hq", "council"]),
    hazard=st.sampled_from(["gas", "flood"]),
    kinds=st.lists(st.sampled_from(list(DutyKind)), min_size=1, max_size=3, unique=True).map(tuple),
)


@given(st.lists(lines, max_size=8).map(tuple))
def test_findings_count_the_gaps_and_the_extra_owners(
    responsibilities: tuple[Responsibility, ...],
) -> None:
    district = small(responsibilities)
    regulated = {(d.hazard, k) for d in district.duties for k in d.kinds}
    owners: dict[tuple[str, DutyKind], set[str]] = {}
    unregulated = 0
    for line in responsibilities:
        for kind in line.kinds:
            if (line.hazard, kind) in regulated:
                owners.setdefault((line.hazard, kind), set()).add(line.owner)
            else:
                unregulated += 1
    codes = Counter(f.code for f in check_duties(district))
    assert codes["CMD070"] == len(regulated - set(owners))
    assert codes["CMD073"] == unregulated
    # each owner beyond the first is one overlap, between two HQs / units or a committee and an HQ
    assert codes["CMD071"] + codes["CMD072"] == sum(len(o) - 1 for o in owners.values())
