"""``cmdsim show PATH --list KIND``: the ids a scenario may use, with names (issue 15).

Before, ``cmdsim show`` printed only counts and a planner grepped the
generated towns.yaml for ids.  A kind the model does not hold is refused
with the valid kinds (exit 2), never answered with an empty list.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings

from cmdsim.cli import main
from cmdsim.errors import CmdsimError
from cmdsim.io import load_district
from cmdsim.model import District, Scenario
from cmdsim.summary import LIST_KINDS, list_ids
from cmdsim.testing.strategies import scenarios

ROOT = Path(__file__).resolve().parents[1]
DISTRICT = ROOT / "scenarios" / "district"
GAS = ROOT / "scenarios" / "gas.yaml"
DISTRICT_KINDS = [k for k in LIST_KINDS if k not in ("incidents", "injects")]


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def model_ids(obj: District | Scenario, kind: str) -> list[str]:
    """Each kind's ids read straight off the model, the answer --list must give."""
    if kind == "incidents":
        assert isinstance(obj, Scenario)
        return [i.id for i in obj.incidents]
    if kind == "injects":
        assert isinstance(obj, Scenario)
        return [i.id for i in obj.injects]
    d = obj.district if isinstance(obj, Scenario) else obj
    if kind == "committees":
        return [c.id for t in d.towns for c in t.committees]
    if kind == "duty_rooms":
        return [r.id for r in d.duty_rooms()]
    if kind == "duties":
        return [f"{duty.hazard}.{k.value}" for duty in d.duties for k in duty.kinds]
    if kind == "town_plans":
        return [t.id for t in d.towns]
    return [x.id for x in getattr(d, kind)]


@pytest.fixture(scope="module")
def district() -> District:
    return load_district(DISTRICT)


def test_every_kind_lists_the_bundled_districts_ids_with_names(district: District) -> None:
    for kind in DISTRICT_KINDS:
        items = list_ids(district, kind)
        assert [i["id"] for i in items] == model_ids(district, kind), kind
        assert all(isinstance(i["name"], str) for i in items), kind
    towns = list_ids(district, "towns")
    assert len(towns) == 36
    assert towns[0] == {
        "id": "weifang_xincun_street",
        "name": "潍坊新村街道",
        "kind": "street",
        "committees": 31,
        "duty_room": "weifang_xincun_street_duty_room",
    }
    committees = list_ids(district, "committees")
    assert len(committees) == 1466
    assert committees[0]["town"] == "weifang_xincun_street"
    assert committees[0]["name"] == "第1居民委员会"


def test_the_table_shows_each_id_and_name() -> None:
    done = invoke("show", str(DISTRICT), "--list", "towns")
    assert done.exit_code == 0, done.output
    assert "towns of district pudong (36)" in done.output
    for town in ("weifang_xincun_street", "潍坊新村街道", "sanlin_town", "三林镇"):
        assert town in done.output


def test_json_is_a_list_of_id_and_name_records() -> None:
    done = invoke("show", str(GAS), "--list", "channels", "--json")
    assert done.exit_code == 0, done.output
    channels = json.loads(done.output)
    assert isinstance(channels, list)
    hotline = next(c for c in channels if c["id"] == "hotline_12345")
    assert (hotline["kind"], hotline["to"]) == ("hotline", "district")
    assert "12345" in hotline["name"]
    assert all(set(c) == {"id", "name", "kind", "to"} for c in channels)


def test_a_scenario_lists_its_incidents_and_injects() -> None:
    incidents = json.loads(invoke("show", str(GAS), "--list", "incidents", "--json").output)
    assert incidents == [
        {
            "id": "gas_main_rupture",
            "name": "三林镇中压燃气管道破裂 medium-pressure main rupture in Sanlin",
            "hazard": "gas",
            "town": "sanlin_town",
            "onset_minutes": 0.0,
        }
    ]
    injects = invoke("show", str(GAS), "--list", "injects")
    assert injects.exit_code == 0, injects.output
    assert "g2_explosion" in injects.output and "district_duty_room" in injects.output


def test_an_unknown_kind_is_refused_with_the_valid_kinds() -> None:
    done = invoke("show", str(GAS), "--list", "committee")
    assert done.exit_code == 2
    assert done.output == (
        "error: the model holds no list of 'committee' (did you mean 'committees'?); "
        "valid kinds: towns, committees, units, commands, channels, plans, town_plans, "
        "hazards, duty_rooms, bodies, duties, incidents, injects\n"
    )
    roles = invoke("show", str(GAS), "--list", "roles", "--json")
    assert roles.exit_code == 2
    assert "no list of 'roles'" in roles.output and "valid kinds: towns" in roles.output


def test_a_bad_kind_is_refused_before_the_file_is_read(tmp_path: Path) -> None:
    done = invoke("show", str(tmp_path / "missing.yaml"), "--list", "people")
    assert done.exit_code == 2
    assert "no list of 'people'" in done.output


def test_a_district_has_no_incidents_to_list() -> None:
    done = invoke("show", str(DISTRICT), "--list", "injects")
    assert done.exit_code == 2
    assert done.output.startswith("error: district pudong has no injects: --list injects needs")


def test_duty_rooms_take_either_spelling() -> None:
    dash = invoke("show", str(GAS), "--list", "duty-rooms", "--json")
    assert dash.exit_code == 0, dash.output
    rooms = json.loads(dash.output)
    assert rooms[0] == {"id": "district_duty_room", "name": "区总值班室", "town": None}
    assert len(rooms) == 37


def test_an_empty_kind_is_said_in_words(tmp_path: Path) -> None:
    """A district whose towns have no committees: a sentence, and [] as JSON."""
    (tmp_path / "district.yaml").write_text(
        "id: tiny\nname: Tiny\n"
        "units: [{id: police}]\n"
        "commands: [{id: hq, general: true, lead_unit: police}]\n"
        "towns: [{id: east, name: East}]\n",
        encoding="utf-8",
    )
    done = invoke("show", str(tmp_path), "--list", "committees")
    assert done.exit_code == 0, done.output
    assert done.output == "district tiny has no committees\n"
    assert json.loads(invoke("show", str(tmp_path), "--list", "committees", "--json").output) == []
    towns = json.loads(invoke("show", str(tmp_path), "--list", "towns", "--json").output)
    assert towns == [
        {"id": "east", "name": "East", "kind": "town", "committees": 0, "duty_room": None}
    ]


@settings(max_examples=40, deadline=None)
@given(scenarios())
def test_every_kind_lists_exactly_the_models_ids(scenario: Scenario) -> None:
    for kind in LIST_KINDS:
        items = list_ids(scenario, kind)
        assert [i["id"] for i in items] == model_ids(scenario, kind), kind
        assert all(list(i)[:2] == ["id", "name"] for i in items), kind
        if kind in DISTRICT_KINDS:
            assert list_ids(scenario.district, kind) == items
        else:
            with pytest.raises(CmdsimError, match=f"has no {kind}"):
                list_ids(scenario.district, kind)


def test_bodies_and_duties_of_the_bundled_district(district: District) -> None:
    bodies = {b["id"]: b for b in list_ids(district, "bodies")}
    assert len(bodies) == 7
    specialised = [b for b in bodies.values() if b["parent"] == "work_safety_committee"]
    assert len(specialised) == 5
    assert bodies["disaster_prevention_committee"]["commands"][0] == "flood_typhoon_hq"
    duties = list_ids(district, "duties")
    assert duties and all(len(d["owners"]) == 1 for d in duties)
    result = invoke("show", str(DISTRICT), "--list", "bodies", "--json")
    assert result.exit_code == 0
    assert [b["id"] for b in json.loads(result.stdout)] == list(bodies)


def test_names_in_square_brackets_print_as_written(tmp_path: Path) -> None:
    # rich took "[draft]" for markup and printed nothing of it.
    import shutil

    district = tmp_path / "district"
    shutil.copytree(DISTRICT, district)
    commands = district / "commands.yaml"
    text = commands.read_text(encoding="utf-8")
    commands.write_text(text.replace("name: 区应急总指挥部", 'name: "[draft] 区应急总指挥部"', 1))
    listed = invoke("show", str(district), "--list", "commands")
    assert listed.exit_code == 0, listed.output
    assert "[draft] 区应急总指挥部" in listed.output
    summary = invoke("show", str(district))
    assert summary.exit_code == 0, summary.output
    assert "[draft] 区应急总指挥部 (general)" in summary.output


def test_town_plans_summarise_each_towns_structured_plan_set(district: District) -> None:
    rows = {row["id"]: row for row in list_ids(district, "town-plans")}
    sanlin = rows["sanlin_town"]
    assert sanlin["command"] == "sanlin_town_hq" and sanlin["general"] is True
    # general + flood, gas, road traffic in full + one template for the other seven
    assert (sanlin["plans"], sanlin["hazards"], sanlin["hand_back"]) == (5, 10, 5)
    plans = [p for p in district.plans if p.town == "sanlin_town"]
    tasks = [t for p in plans for r in p.levels.values() for t in r.tasks]
    assert sanlin["tasks"] == len(tasks) and sanlin["first_deadline"] == min(
        t.deadline for t in tasks if t.deadline is not None
    )
    town = district.town("sanlin_town")
    assert sanlin["x_named"] == len(town.plan_set.other) + len(
        [h for h in town.plan_set.special if h not in district.town_required]
    )
    shown = invoke("show", str(DISTRICT), "--list", "town-plans")
    assert shown.exit_code == 0, shown.output
    assert "sanlin_town_hq" in shown.output and "town plans of district pudong (36)" in shown.output
