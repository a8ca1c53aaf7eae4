"""CMD063: hazards the district's plans govern that the community handbook
leaves out (``community.handbook_hazards``)."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmdsim.check import check
from cmdsim.check.accept import hazard_of
from cmdsim.check.towns import check_handbook_hazards
from cmdsim.errors import LoadError
from cmdsim.io import load, load_with_locations
from cmdsim.model import (
    Acceptance,
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


def test_a_governed_hazard_left_out_is_one_warning_at_the_hazard() -> None:
    report = check(_district())
    (found,) = [f for f in report.findings if f.code == "CMD063"]
    assert found.severity.value == "warning"
    assert found.path == "hazards[1]"  # gas, the hazard the handbook leaves out
    assert found.message == (
        "the community handbook (community.handbook_hazards) has no chapter for 'gas', a "
        "hazard the district's plans govern: on its incidents in a committee, each committee "
        "with a handbook (1 of 2) waits for its town's instructions before its first actions, "
        "as one without a handbook does"
    )


def test_one_finding_per_hazard_in_the_districts_order() -> None:
    found = list(check_handbook_hazards(_district(plans=("quake", "gas", "flood", "fire"))))
    assert [f.path for f in found] == ["hazards[1]", "hazards[2]", "hazards[3]"]
    assert [f.message.split("no chapter for ", 1)[1].split(",", 1)[0] for f in found] == [
        "'gas'",
        "'fire'",
        "'quake'",
    ]


def _accepting(district: District, *accept: Acceptance) -> list[tuple[str, str | None]]:
    """(finding's path, the acceptance taking it), sorted."""
    report = check(attrs.evolve(district, accept=accept))
    return sorted(
        (f.path, None if f.accepted is None else f.accepted.path)
        for f in report.findings
        if f.code in ("CMD063", "CMD091")
    )


def test_an_acceptance_names_the_hazards_it_accepts() -> None:
    """Accepted for gas, not for fire: the fire chapter's absence still warns,
    which one district-wide finding could not say."""
    district = _district(plans=("gas", "flood", "fire"))
    assert _accepting(district, Acceptance("CMD063", "units set the cordon", hazard="gas")) == [
        ("hazards[1]", "accept[0]"),
        ("hazards[2]", None),
    ]
    # A pattern, as for plans and reports; a hazard with no finding is unused.
    assert _accepting(
        district,
        Acceptance("CMD063", "r", hazard="*"),
    ) == [("hazards[1]", "accept[0]"), ("hazards[2]", "accept[0]")]
    assert _accepting(
        district,
        Acceptance("CMD063", "r", hazard="gas"),
        Acceptance("CMD063", "r", hazard="quake"),
    ) == [("accept[1]", None), ("hazards[1]", "accept[0]"), ("hazards[2]", None)]
    # Only findings at a hazard match a hazard: CMD063 elsewhere would not.
    assert hazard_of(district, "hazards[3].name") == "quake"
    assert hazard_of(district, "plans[0].hazards[0]") is None
    assert hazard_of(district, "hazards[9]") is None


def test_an_acceptance_of_an_unknown_hazard_is_refused_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "district.yaml").write_text(
        "id: d\n"
        "hazards: [{id: gas}]\n"
        "accept:\n"
        "  - {code: CMD063, hazard: gass, reason: r}\n"
        "  - {code: CMD063, hazard: 'x*', reason: r}\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        load(tmp_path)
    assert [str(p).split("district.yaml:", 1)[1] for p in caught.value.problems] == [
        "4:20: accept[0].hazard: unknown hazard 'gass' (did you mean 'gas'?)",
        "5:20: accept[1].hazard: no hazard matches 'x*'",
    ]


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


def test_the_flawed_fixture_points_at_each_hazards_line() -> None:
    root = Path(__file__).resolve().parent / "flawed"
    loaded = load_with_locations(root)
    found = [f for f in check(loaded.value, loaded.locations).findings if f.code == "CMD063"]
    assert [f.path for f in found] == ["hazards[0]", "hazards[2]", "hazards[3]", "hazards[4]"]
    for f, hazard in zip(found, ("gas", "traffic", "chemical", "waterlogging"), strict=True):
        assert f.file is not None and Path(f.file).name == "district.yaml"
        lines = Path(f.file).read_text(encoding="utf-8").splitlines()
        assert lines[(f.line or 0) - 1].strip().startswith(f"- {{id: {hazard},")
        assert f"no chapter for {hazard!r}" in f.message


def test_the_bundled_district_accepts_each_hazard_by_name_with_a_reason() -> None:
    root = Path(__file__).resolve().parents[2] / "scenarios" / "district"
    loaded = load_with_locations(root)
    report = check(loaded.value, loaded.locations)
    found = [f for f in report.findings if f.code == "CMD063"]
    named = [f.message.split("no chapter for ", 1)[1].split(",", 1)[0] for f in found]
    assert len(found) == 20 and named[0] == "'gas'"
    assert "'flood_typhoon'" not in named and "'fire'" not in named
    accepted = {a.hazard: a for a in loaded.value.accept if a.code == "CMD063"}
    assert sorted(accepted) == sorted(n.strip("'") for n in named)  # one entry a hazard
    for f in found:
        assert "(1466 of 1466)" in f.message
        assert f.accepted is not None and "professional units" in f.accepted.reason
        assert Path(f.file or "").name == "district.yaml"
    assert report.ok and report.counts()["warning"] == 0
    # A hazard added without a chapter is a new warning, not accepted in silence.
    district = loaded.value
    plan = attrs.evolve(district.plans[1], id="heat_plan", hazards=("heatwave",))
    grown = attrs.evolve(
        district, hazards=(*district.hazards, Hazard("heatwave")), plans=(*district.plans, plan)
    )
    (new,) = [f for f in check(grown).findings if f.code == "CMD063" and f.accepted is None]
    assert "no chapter for 'heatwave'" in new.message


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
    assert [f.path for f in found] == [f"hazards[{HAZARDS.index(h)}]" for h in waits]
    assert all(f"no chapter for {h!r}," in f.message for f, h in zip(found, waits, strict=True))
    # Giving the handbook those chapters clears it.
    covered = attrs.evolve(district.community, handbook_hazards=tuple(sorted({*handbook, *waits})))
    assert not list(check_handbook_hazards(attrs.evolve(district, community=covered)))
