"""Two leads on one site (CMD080) and merge rules without a lead (CMD081)."""

from __future__ import annotations

import shutil
from pathlib import Path

import attrs

import cmdsim.io as io
from cmdsim.check import check
from cmdsim.model import (
    Command,
    District,
    Hazard,
    Level,
    LevelResponse,
    MergeRule,
    Plan,
    PlanKind,
    Unit,
)
from cmdsim.model.conditions import Condition, Trigger

ROOT = Path(__file__).resolve().parents[2]


def _codes(district: object) -> list[str]:
    return [f.code for f in check(district).findings if f.code.startswith("CMD08")]  # type: ignore[arg-type]


def test_the_bundled_district_states_its_rule_and_is_clean() -> None:
    district = io.load_district(ROOT / "scenarios" / "district")
    assert _codes(district) == []


def test_without_the_general_plans_rule_the_bundled_district_has_two_leads(
    tmp_path: Path,
) -> None:
    shutil.copytree(ROOT / "scenarios" / "district", tmp_path / "district")
    general = tmp_path / "district" / "plans" / "general.yaml"
    text = general.read_text(encoding="utf-8")
    general.write_text(text[: text.index("\nmerge:")] + "\n", encoding="utf-8")
    loaded = io.load_with_locations(tmp_path / "district")
    found = [f for f in check(loaded.value, loaded.locations).findings if f.code == "CMD080"]
    assert len(found) == 1
    other = tmp_path / "district" / "plans" / "other.yaml"
    line = next(
        n
        for n, text in enumerate(other.read_text(encoding="utf-8").splitlines(), 1)
        if "sites:" in text
    )
    assert (Path(found[0].file or "").resolve(), found[0].line) == (other.resolve(), line)
    assert "'road_traffic_plan' (lead road_traffic_hq)" in found[0].message
    assert "'expressway'" in found[0].message and "level I, II, III, IV" in found[0].message


def _with(district: object, **plans: Plan) -> object:
    replaced = tuple(plans.get(p.id, p) for p in district.plans)  # type: ignore[attr-defined]
    return attrs.evolve(district, plans=replaced)  # type: ignore[misc]


def test_same_lead_different_sites_or_levels_are_not_two_leads() -> None:
    district = io.load_district(ROOT / "scenarios" / "district")
    general = district.plan("general_plan")
    bare = attrs.evolve(general, merge=())
    road = district.plan("road_traffic_plan")
    hazmat = district.plan("hazardous_chemicals_plan")
    assert _codes(_with(district, general_plan=bare)) == ["CMD080"]
    # Other site types: no common ground.
    inland = attrs.evolve(hazmat, sites=("plant", "port"))
    assert _codes(_with(district, general_plan=bare, hazardous_chemicals_plan=inland)) == []
    # No level both can set.
    only_i = attrs.evolve(
        hazmat, triggers=(Trigger(Level.I, any_of=(Condition.parse("deaths >= 30"),)),)
    )
    road_low = attrs.evolve(
        road, triggers=tuple(t for t in road.triggers if t.level is not Level.I)
    )
    assert (
        _codes(
            _with(
                district,
                general_plan=bare,
                hazardous_chemicals_plan=only_i,
                road_traffic_plan=road_low,
            )
        )
        == []
    )
    # One lead for both plans: one command, not two.
    same = attrs.evolve(hazmat, lead="road_traffic_hq")
    assert _codes(_with(district, general_plan=bare, hazardous_chemicals_plan=same)) == []


def test_a_merge_rule_naming_a_hazard_nobody_leads() -> None:
    district = io.load_district(ROOT / "scenarios" / "district")
    general = district.plan("general_plan")
    rule = MergeRule(id="odd", hazards=("road_traffic", "hazardous_chemicals"))
    hazmat = attrs.evolve(district.plan("hazardous_chemicals_plan"), lead=None)
    broken = _with(
        district, general_plan=attrs.evolve(general, merge=(rule,)), hazardous_chemicals_plan=hazmat
    )
    assert "CMD081" in _codes(broken)


def _site_plan(ident: str, hazard: str, lead: str | None, **kw: object) -> Plan:
    return Plan(
        ident,
        hazards=(hazard,),
        lead=lead,
        triggers=(Trigger(Level.IV, any_of=(Condition.parse("deaths >= 1"),)),),
        levels={Level.IV: LevelResponse()},
        **kw,  # type: ignore[arg-type]
    )


def _small(*plans: Plan) -> District:
    return District(
        id="d",
        hazards=(Hazard("gas"), Hazard("traffic"), Hazard("fire")),
        units=(Unit("u"),),
        commands=(
            Command("gas_hq", lead_unit="u"),
            Command("road_hq", lead_unit="u"),
            Command("general_hq", lead_unit="u", general=True),
        ),
        plans=plans,
    )


def test_who_leads_a_site_or_a_merge_rules_hazard_is_the_engines_choice() -> None:
    # A second traffic plan never governs traffic (the first names it):
    # its lead leads no incident, on a road or anywhere.
    traffic = _site_plan("traffic", "traffic", "road_hq", sites=("road",))
    shadow = _site_plan("traffic_b", "traffic", "gas_hq", sites=("road",))
    gas = _site_plan("gas", "gas", "road_hq", sites=("road",))
    assert _codes(_small(traffic, gas, shadow)) == []
    assert _codes(_small(shadow, gas, traffic)) == ["CMD080"]
    # fire has no plan of its own: the general plan naming no hazard leads
    # its incidents, so a merge rule heading with fire has a lead ...
    rule = MergeRule("fire_gas", hazards=("fire", "gas"))
    general = Plan("general", kind=PlanKind.GENERAL, lead="general_hq", merge=(rule,))
    assert _codes(_small(gas, general)) == []
    # ... and a hazard whose governing plan has no lead has none, whatever
    # a later plan naming it says.
    leaderless = _site_plan("gas_first", "gas", None)
    assert _codes(_small(leaderless, gas, general)) == ["CMD081"]
