"""CMD063: hazards the district's plans govern that the community handbook
leaves out (``community.handbook_hazards``)."""

from __future__ import annotations

from pathlib import Path

import attrs
from hypothesis import given
from hypothesis import strategies as st

from cmdsim.check import check
from cmdsim.check.towns import check_handbook_hazards
from cmdsim.io import load_with_locations
from cmdsim.model import (
    Committee,
    CommunityResponse,
    District,
    FirstAction,
    Hazard,
    Plan,
    Town,
    TownPlanSet,
)

HAZARDS = ("flood", "gas", "fire", "quake")


def _district(
    handbook_hazards: tuple[str, ...] = ("flood",),
    *,
    plans: tuple[str, ...] = ("flood", "gas"),
    special: tuple[str, ...] = (),
    handbooks: tuple[bool, ...] = (True, False),
    actions: tuple[FirstAction, ...] = (FirstAction(id="warn"),),
) -> District:
    committees = tuple(Committee(id=f"c{i}", handbook=has) for i, has in enumerate(handbooks))
    town = Town(id="t", plan_set=TownPlanSet(special=special), committees=committees)
    return District(
        id="d",
        hazards=tuple(Hazard(h) for h in HAZARDS),
        plans=tuple(Plan(id=f"{h}_plan", hazards=(h,)) for h in plans),
        towns=(town,),
        community=CommunityResponse(actions=actions, handbook_hazards=handbook_hazards),
    )


def test_a_governed_hazard_left_out_is_one_warning_at_the_list() -> None:
    report = check(_district())
    (found,) = [f for f in report.findings if f.code == "CMD063"]
    assert found.severity.value == "warning"
    assert found.path == "community.handbook_hazards"
    assert found.message == (
        "the community handbook has no chapter for 'gas', a hazard the district's plans "
        "govern: on its incidents in a committee, each committee with a handbook (1 of 2) "
        "waits for its town's instructions before its first actions, as one without a "
        "handbook does"
    )


def test_several_hazards_are_named_in_the_districts_order_in_one_finding() -> None:
    found = list(check_handbook_hazards(_district(plans=("quake", "gas", "flood", "fire"))))
    assert len(found) == 1
    assert "no chapter for 'gas', 'fire', 'quake', hazards the district's plans govern" in (
        found[0].message
    )
    assert "on their incidents in a committee" in found[0].message


def test_a_towns_special_plan_governs_too() -> None:
    found = list(check_handbook_hazards(_district(plans=("flood",), special=("fire",))))
    assert len(found) == 1 and "'fire'" in found[0].message and "'gas'" not in found[0].message


def test_no_finding_where_nothing_waits_on_the_missing_chapter() -> None:
    # The handbook covers every hazard (empty list, or each one listed).
    assert not list(check_handbook_hazards(_district(())))
    assert not list(check_handbook_hazards(_district(("flood", "gas"))))
    # A hazard no plan governs is CMD001's business, not the handbook's.
    assert not list(check_handbook_hazards(_district(plans=("flood",))))
    # No committee has a handbook: each is a CMD061 already.
    assert not list(check_handbook_hazards(_district(handbooks=(False, False))))
    assert not list(check_handbook_hazards(_district(handbooks=())))
    # No first action, or none for the hazard: nothing to do late.
    assert not list(check_handbook_hazards(_district(actions=())))
    flood_only = (FirstAction(id="pump", hazards=("flood",)),)
    assert not list(check_handbook_hazards(_district(actions=flood_only)))


def test_the_flawed_fixture_points_at_the_list_line() -> None:
    root = Path(__file__).resolve().parent / "flawed"
    loaded = load_with_locations(root)
    (found,) = [f for f in check(loaded.value, loaded.locations).findings if f.code == "CMD063"]
    assert found.file is not None and Path(found.file).name == "district.yaml"
    lines = Path(found.file).read_text(encoding="utf-8").splitlines()
    assert lines[(found.line or 0) - 1].strip().startswith("handbook_hazards: [flood]")
    assert found.column == 3
    assert (
        str(found)
        .split(": ", 1)[1]
        .startswith(
            "CMD063 warning: community.handbook_hazards: the community handbook has no chapter for "
            "'gas', 'traffic', 'chemical', 'waterlogging'"
        )
    )


def test_the_bundled_district_accepts_it_for_gas_with_a_reason() -> None:
    root = Path(__file__).resolve().parents[2] / "scenarios" / "district"
    loaded = load_with_locations(root)
    report = check(loaded.value, loaded.locations)
    (found,) = [f for f in report.findings if f.code == "CMD063"]
    assert "'gas'" in found.message and "(1466 of 1466)" in found.message
    assert found.accepted is not None and "professional units" in found.accepted.reason
    assert Path(found.file or "").name == "district.yaml"
    assert report.ok and report.counts()["warning"] == 0


subsets = st.lists(st.sampled_from(HAZARDS), unique=True).map(tuple)


@given(subsets, subsets, subsets, st.lists(st.booleans(), max_size=3).map(tuple), subsets)
def test_a_finding_exactly_when_a_prepared_committee_would_wait_on_a_governed_hazard(
    handbook: tuple[str, ...],
    plans: tuple[str, ...],
    special: tuple[str, ...],
    handbooks: tuple[bool, ...],
    acted_on: tuple[str, ...],
) -> None:
    actions = (FirstAction(id="act", hazards=acted_on),)
    district = _district(
        handbook, plans=plans, special=special, handbooks=handbooks, actions=actions
    )
    waits = [
        h
        for h in HAZARDS
        if handbook
        and h not in handbook
        and (h in plans or h in special)
        and (not acted_on or h in acted_on)
    ]
    found = list(check_handbook_hazards(district))
    if not waits or not any(handbooks):
        assert found == []
        return
    (only,) = found
    named = only.message.split("no chapter for ", 1)[1].split(", a", 1)[0].split(", ")
    assert [n.strip("'") for n in named if n.startswith("'")] == waits
    # Giving the handbook those chapters clears it.
    covered = attrs.evolve(district.community, handbook_hazards=tuple(sorted({*handbook, *waits})))
    assert not list(check_handbook_hazards(attrs.evolve(district, community=covered)))
