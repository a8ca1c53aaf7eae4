"""The public functions of cmdsim.io: loading, locating, dumping, schema."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import attrs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from cmdsim import bundled
from cmdsim.errors import LoadError
from cmdsim.io import (
    dump,
    from_data,
    json_schema,
    load,
    load_district,
    load_scenario,
    load_with_locations,
    loads,
    to_data,
)
from cmdsim.model import (
    Condition,
    District,
    Exponential,
    Fixed,
    Level,
    LogNormal,
    Scenario,
    Unit,
)
from cmdsim.testing.strategies import districts, scenarios

DISTRICT = textwrap.dedent(
    """\
    id: pudong
    name: 浦东新区
    hazards:
      - id: gas
    units:
      - id: gas_company
        name: 燃气公司
      - id: fire_rescue
    commands:
      - id: gas_hq
        lead_unit: gas_company
        callout: {kind: exponential, mean: 20}
    towns:
      - id: zhangjiang
    plans:
      - id: gas
        hazards: [gas]
        lead: gas_hq
        triggers:
          - level: II
            any_of: ["deaths >= 3"]
        levels:
          II:
            activate: [gas_hq]
            tasks:
              - id: isolate
                unit: fire_rescue
                duration: 20
    calendar:
      day_start: "08:00"
      holidays: [2024-10-01]
    """
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_loads_a_district_with_its_conventions() -> None:
    district = loads(DISTRICT)
    assert isinstance(district, District)
    assert district.name == "浦东新区"
    assert district.command("gas_hq").callout == Exponential(20.0)
    task = district.plan("gas").levels[Level.II].tasks[0]
    assert task.duration == Fixed(20.0)
    assert district.plan("gas").triggers[0].any_of == (Condition.parse("deaths >= 3"),)
    assert district.calendar.day_start == dt.time(8, 0)
    assert district.calendar.holidays == (dt.date(2024, 10, 1),)


def test_directory_means_its_district_file(tmp_path: Path) -> None:
    write(tmp_path, "district.yaml", DISTRICT)
    assert isinstance(load(tmp_path), District)
    assert load_district(tmp_path).id == "pudong"


def test_scenario_includes_a_shared_district(tmp_path: Path) -> None:
    write(tmp_path, "shared/district.yaml", DISTRICT)
    for name in ("a", "b"):
        write(
            tmp_path,
            f"scenarios/{name}.yaml",
            # Inside the calendar's one listed day: a run past it is refused.
            f"id: {name}\ndistrict: {{include: ../shared}}\nstart: 2024-10-01T00:00:00\n"
            "incidents:\n  - {id: leak, hazard: gas, town: zhangjiang, "
            "onset: 2024-10-01T00:10:00}\n",
        )
    a = load_scenario(tmp_path / "scenarios/a.yaml")
    b = load(tmp_path / "scenarios/b.yaml")
    assert isinstance(b, Scenario)
    assert a.district == b.district
    assert a.onset_minutes(a.incidents[0]) == 10.0


def test_included_sequence_is_spliced(tmp_path: Path) -> None:
    write(tmp_path, "units.yaml", "- id: police\n- id: fire_rescue\n")
    path = write(tmp_path, "d.yaml", "id: d\nunits:\n  - id: first\n  - include: units.yaml\n")
    district = load_district(path)
    assert [u.id for u in district.units] == ["first", "police", "fire_rescue"]


def test_problems_in_an_included_file_name_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "parts/units.yaml", "- id: police\n  staff: -1\n")
    write(tmp_path, "d.yaml", "id: d\nunits: {include: parts/units.yaml}\n")
    with pytest.raises(LoadError) as caught:
        load("d.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "parts/units.yaml:2:3: units[0].staff: -1 people is negative"
    ]


def test_load_scenario_refuses_a_district(tmp_path: Path) -> None:
    path = write(tmp_path, "d.yaml", DISTRICT)
    with pytest.raises(LoadError, match="expected a scenario, but this is a district file"):
        load_scenario(path)


def test_load_district_refuses_a_scenario(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", "id: s\ndistrict: {id: d}\nstart: 2024-01-01T00:00:00\n")
    with pytest.raises(LoadError, match="expected a district, but this is a scenario file"):
        load_district(path)


def test_locations_find_fields_and_fall_back_to_parents(tmp_path: Path) -> None:
    path = write(tmp_path, "d.yaml", DISTRICT)
    loaded = load_with_locations(path)
    assert loaded.value.id == "pudong"
    locations = loaded.locations
    lines = DISTRICT.splitlines()
    where = locations.find("plans[0].levels.II")
    assert where is not None
    assert where.file == str(path)
    assert lines[where.line - 1].strip() == "II:"
    assert where.column == lines[where.line - 1].index("II") + 1
    task = locations.find("plans[0].levels.II.tasks[0].unit")
    assert task is not None and lines[task.line - 1].strip() == "unit: fire_rescue"
    # No such field: the nearest parent that exists.
    assert locations.find("plans[0].levels.II.tasks[0].nothing") == locations.find(
        "plans[0].levels.II.tasks[0]"
    )
    assert locations.find("") is not None


def test_from_data_reports_paths_without_lines() -> None:
    with pytest.raises(LoadError) as caught:
        from_data({"id": "d", "units": [{"id": "police", "staff": "many"}]}, District)
    assert [str(p) for p in caught.value.problems] == [
        "units[0].staff: expected a whole number, got 'many'"
    ]
    assert from_data({"id": "police"}, Unit) == Unit("police")


def test_from_data_accepts_model_objects_inside() -> None:
    district = loads(DISTRICT)
    data = {"id": "s", "district": district, "start": "2024-10-01T00:00:00"}
    scenario = from_data(data, Scenario)
    assert scenario.district is district
    assert scenario.start == dt.datetime(2024, 10, 1, 0, 0)


def test_from_data_checks_a_model_object_inside_as_a_file() -> None:
    """A model object made in Python may hold what no file could give (attrs
    checks no types): from_data returned it unchecked."""
    district = loads(DISTRICT)
    unit = attrs.evolve(district.units[0], name=3)
    odd = attrs.evolve(district, units=(unit, *district.units[1:]))
    data = {"id": "s", "district": odd, "start": "2024-10-01T00:00:00"}
    with pytest.raises(LoadError) as caught:
        from_data(data, Scenario)
    assert [str(p) for p in caught.value.problems] == [
        "district.units[0].name: expected a string, got 3"
    ]
    # A whole scenario made in Python gets the file's checks too; one that
    # passes is handed back as it is.
    gas = load_scenario(bundled.path("gas.yaml"))
    assert from_data(gas, Scenario) is gas
    with pytest.raises(LoadError) as caught:
        from_data(attrs.evolve(gas, horizon=5), Scenario)
    assert (
        "incidents[0].timeline[1].at: at 40 min from onset falls 40 min after the start, "
        "after the horizon of 5 min (onset is 0 min after the start)"
    ) in [str(p) for p in caught.value.problems]


def test_to_data_writes_the_file_conventions() -> None:
    district = loads(DISTRICT)
    data = to_data(district)
    assert list(data) == [
        "id",
        "name",
        "hazards",
        "units",
        "commands",
        "towns",
        "plans",
        "calendar",
    ]
    assert data["commands"][0]["callout"] == {"kind": "exponential", "mean": 20.0}
    plan = data["plans"][0]
    assert plan["levels"]["II"]["tasks"][0]["duration"] == 20.0
    assert plan["triggers"][0] == {"level": "II", "any_of": ["deaths >= 3"]}
    assert data["calendar"] == {"day_start": "08:00", "holidays": ["2024-10-01"]}
    assert to_data(LogNormal(median=5, sigma=0.5)) == {
        "kind": "lognormal",
        "median": 5.0,
        "sigma": 0.5,
    }


def test_dump_keeps_chinese_and_field_order() -> None:
    text = dump(loads(DISTRICT))
    assert "浦东新区" in text
    assert text.startswith("id: pudong\nname: 浦东新区\nhazards:\n")
    assert loads(text) == loads(DISTRICT)


def test_condition_values_round_trip_exactly() -> None:
    condition = Condition.parse("households >= 123456789.25")
    assert to_data(condition) == "households >= 123456789.25"


def test_schema_is_valid_and_accepts_the_example() -> None:
    import jsonschema

    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$defs"]["Unit"]["additionalProperties"] is False
    assert schema["$defs"]["Level"]["anyOf"][0]["enum"] == ["IV", "III", "II", "I"]
    validator = jsonschema.Draft202012Validator(schema)
    data = yaml.safe_load(dump(loads(DISTRICT)))
    assert list(validator.iter_errors(data)) == []
    data["units"][0]["nmae"] = "x"
    assert list(validator.iter_errors(data))


def test_schema_allows_includes() -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(json_schema())
    doc = {"id": "s", "district": {"include": "../district"}, "start": "2024-01-01T00:00:00"}
    assert list(validator.iter_errors(doc)) == []
    assert list(validator.iter_errors({"id": "d", "units": [{"include": "units.yaml"}]})) == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(districts())
def test_schema_accepts_every_dumped_district(district: District) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(json_schema())
    assert list(validator.iter_errors(yaml.safe_load(dump(district)))) == []


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_schema_accepts_every_dumped_scenario(scenario: Scenario) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(json_schema())
    data = yaml.safe_load(dump(scenario))
    errors = [e.message for e in validator.iter_errors(data)]
    assert errors == []


def test_merge_keys_let_own_keys_override() -> None:
    district = loads("id: d\nunits:\n  - &base {id: a, staff: 3}\n  - {<<: *base, id: b}\n")
    assert [(u.id, u.staff) for u in district.units] == [("a", 3), ("b", 3)]


def test_enum_values_and_names_are_both_understood() -> None:
    district = loads("id: d\nplans: [{id: p, levels: {iv: {}, II: {}}}]\n")
    assert set(district.plans[0].levels) == {Level.IV, Level.II}


def test_cli_schema_prints_the_schema() -> None:
    import json

    from click.testing import CliRunner

    from cmdsim.cli import main

    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json_schema()
