"""The basic subcommands: --version, show, validate, schema."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from cmdsim import __version__
from cmdsim.cli import main
from cmdsim.io import json_schema, load
from cmdsim.summary import summarise

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "scenarios" / "district"
CLI = "from cmdsim.cli import main; main()"

DISTRICT = """\
id: demo
name: 示例区
units: [{id: police}, {id: gas_company}]
hazards: [{id: gas, name: 燃气事故}, {id: flood}]
commands:
  - {id: general_hq, name: 总指挥部, general: true, lead_unit: police}
  - id: gas_hq
    lead_unit: gas_company
    member_units: [police]
    posts: [{id: commander, role: commander, people: 2}, {id: liaison, people: 3}]
towns:
  - {id: a_street, kind: street, officers: 3,
     committees: [{id: c1, compounds: 4, officers: 2, compound_officers: 5}]}
  - {id: b_town, kind: town, officers: 1}
  - {id: c_town, kind: town}
officers: {district: 7}
channels: [{id: hotline_12345, name: "12345", kind: hotline}]
plans:
  - id: gas_plan
    hazards: [gas]
    lead: gas_hq
    triggers:
      - {level: IV, any_of: ["households >= 100"]}
      - {level: II, any_of: ["deaths >= 10"]}
    levels:
      IV: {activate: [gas_hq]}
      II: {activate: [general_hq, gas_hq], tasks: [{id: cordon, unit: police}]}
      I: {activate: [general_hq]}
"""

SCENARIO = """\
id: night_leak
name: 夜间燃气泄漏
district: {include: district.yaml}
start: 2024-09-14T22:00:00
incidents:
  - id: leak
    hazard: gas
    town: b_town
    onset: 2024-09-14T22:30:00
    timeline: [{at: 0, households: 300}, {at: 60, deaths: 12}]
injects:
  - {id: call, at: 35, message: a caller smells gas}
"""

# Two problems: a value of the wrong type and a key the model does not know.
BROKEN = """\
id: demo
units:
  - id: police
    staff: many
  - id: fire
    colour: red
"""


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    (tmp_path / "district.yaml").write_text(DISTRICT, encoding="utf-8")
    (tmp_path / "scenario.yaml").write_text(SCENARIO, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    return tmp_path


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_every_subcommand_has_a_section_in_the_cli_docs() -> None:
    from cmdsim.cli import COMMANDS

    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [name for name in COMMANDS if f"## `cmdsim {name}`" not in page]
    assert not missing, f"add a '## `cmdsim NAME`' section to docs/cli.md for: {missing}"


def test_show_json_says_the_general_plan_covers_a_hazard_no_plan_names(
    demo: Path,
) -> None:
    """A hazard no plan names is decided by the general plan naming no hazard
    (the engine's choice, the matrix's district row), not left a gap."""
    from cmdsim.check import build_matrix

    general = """\
  - id: general_plan
    kind: general
    lead: general_hq
    triggers: [{level: III, any_of: ["deaths >= 1"]}]
    levels: {III: {activate: [general_hq]}}
"""
    (demo / "district.yaml").write_text(DISTRICT + general, encoding="utf-8")
    result = invoke("show", str(demo), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # plans_by_hazard lists the plans naming a hazard; governed_by says who decides it.
    assert data["plans_by_hazard"] == {"gas": ["gas_plan"], "flood": []}
    assert data["governed_by"] == {"gas": "gas_plan", "flood": "general_plan"}
    matrix = build_matrix(load(demo / "district.yaml"))
    for hazard, plan in data["governed_by"].items():
        for cell in (c for c in matrix if c.tier == "district" and c.hazard == hazard):
            assert cell.governs is not None and cell.governs.plan == plan


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"cmdsim, version {__version__}"


def test_help_lists_the_basic_commands() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for name in ("show", "validate", "schema"):
        assert f"  {name} " in result.output


def test_show_json_counts_a_district(demo: Path) -> None:
    result = invoke("show", str(demo), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "district"
    assert data["general_hqs"] == 1
    assert data["specialised_hqs"] == 1
    assert data["towns"] == 3
    assert data["towns_by_kind"] == {"street": 1, "town": 2}
    assert data["committees"] == 1
    assert data["compounds"] == 4
    assert data["information_officers_by_tier"] == {
        "district": 7,
        "town": 3 + 1 + 1,
        "committee": 2,
        "compound": 5,
    }
    assert data["information_officers"] == 7 + 5 + 2 + 5
    assert [c["id"] for c in data["channels"]] == ["hotline_12345"]
    assert data["commands"][1] == {
        "id": "gas_hq",
        "name": "",
        "general": False,
        "lead_unit": "gas_company",
        "member_units": 1,
        "posts": 2,
        "people": 5,
    }
    assert data["plans_by_hazard"] == {"gas": ["gas_plan"], "flood": []}
    # No plan names flood and the district has no general plan naming no
    # hazard: the engine runs no plan for a flood (it logs no_plan).
    assert data["governed_by"] == {"gas": "gas_plan", "flood": None}
    (plan,) = data["plans"]
    # III is not written but in force with IV's response (a level includes
    # the lower ones'): listed, "written" false, its lead the plan's.
    assert [(r["level"], r["written"], r["lead"], r["tasks"]) for r in plan["levels"]] == [
        ("IV", True, "gas_hq", 0),
        ("III", False, "gas_hq", 0),
        ("II", True, "gas_hq", 1),
        ("I", True, "gas_hq", 0),
    ]
    # In force, a level includes the lower levels' tasks: I sets II's task too.
    assert [(r["level"], r["in_force"]["tasks"]) for r in plan["levels"]] == [
        ("IV", 0),
        ("III", 0),
        ("II", 1),
        ("I", 1),
    ]


def test_show_json_is_the_library_summary_with_sorted_keys(demo: Path) -> None:
    result = invoke("show", str(demo / "scenario.yaml"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == summarise(load(demo / "scenario.yaml"))
    keys = list(json.loads(result.stdout))
    assert keys == sorted(keys)


def test_show_scenario_lists_incidents_and_levels(demo: Path) -> None:
    data = json.loads(invoke("show", str(demo / "scenario.yaml"), "--json").stdout)
    assert data["kind"] == "scenario"
    assert data["start"] == "2024-09-14T22:00:00"
    assert data["injects"] == 1
    assert data["district"]["general_hqs"] == 1
    (incident,) = data["incidents"]
    assert incident["onset_minutes"] == 30.0
    assert incident["peak"] == {"households": 300.0, "deaths": 12.0, "casualties": 12.0}
    assert incident["required_levels"] == {"gas_plan": "II"}


def test_show_prints_tables(demo: Path) -> None:
    result = invoke("show", str(demo / "scenario.yaml"))
    assert result.exit_code == 0, result.output
    (row,) = [line for line in result.output.splitlines() if line.startswith(" leak ")]
    assert row.split() == [
        "leak",
        "gas",
        "b_town",
        "22:30",  # on the start's day: the time alone, as a report's table gives it
        "II",
    ]
    for text in (
        "night_leak",
        "总指挥部 (general)",
        "II: general_hq; I: general_hq",
        "1 streets, 2 towns",
    ):
        assert text in result.output


def _plan_rows(demo: Path, *lang: str) -> list[list[str]]:
    """The plans table of ``cmdsim show`` on the demo district, 200 columns
    wide, each row split into its cells (the rule under the header left out)."""
    result = CliRunner().invoke(
        main, ["show", str(demo / "district.yaml"), *lang], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith(("plans", "预案")))
    rows = [line.strip() for line in lines[head + 1 :]]
    return [re.split(r"\s{2,}", row) for row in rows if row.strip("─")]


def test_show_lists_every_level_a_plan_responds_at(demo: Path) -> None:
    # gas_plan writes IV, II and I: III has IV's response (a level includes
    # every lower level's), so it responds there too, as --json says.
    data = json.loads(invoke("show", str(demo / "district.yaml"), "--json").stdout)
    (gas,) = data["plans"]
    assert [(r["level"], r["written"]) for r in gas["levels"]] == [
        ("IV", True),
        ("III", False),
        ("II", True),
        ("I", True),
    ]
    assert _plan_rows(demo) == [
        ["plan", "hazards", "lead", "levels", "also activated"],
        ["gas_plan", "gas", "gas_hq", "IV, III (= IV's), II, I", "II: general_hq; I: general_hq"],
    ]
    assert _plan_rows(demo, "--lang", "zh") == [
        ["预案", "灾种", "牵头指挥部", "响应级别", "另启动"],
        [
            "gas_plan",
            "gas",
            "gas_hq",
            "IV级、III级（同IV级）、II级、I级",
            "II级：general_hq；I级：general_hq",
        ],
    ]


def test_a_level_names_the_highest_written_level_below_it() -> None:
    from cmdsim.cli.show import WORDS, levels_text

    written = [("III", True), ("II", False), ("I", True)]
    levels = [{"level": level, "written": w} for level, w in written]
    assert levels_text(levels, WORDS["en"]) == "III, II (= III's), I"
    assert levels_text(levels, WORDS["zh"]) == "III级、II级（同III级）、I级"
    town = [
        {"level": "IV", "written": True},
        *({"level": lv, "written": False} for lv in ["III", "II", "I"]),
    ]
    assert levels_text(town, WORDS["en"]) == "IV, III (= IV's), II (= IV's), I (= IV's)"
    assert levels_text([], WORDS["en"]) == "-"


def test_show_a_broken_file_exits_2(demo: Path) -> None:
    result = invoke("show", str(demo / "broken.yaml"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "broken.yaml:4:12: units[0].staff:" in result.stderr


def test_show_bundled_district_has_the_seed_figures() -> None:
    result = invoke("show", "scenarios/district", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["general_hqs"] == 1
    assert data["specialised_hqs"] == 25
    assert data["towns"] == 36
    assert data["towns_by_kind"] == {"street": 12, "town": 24}
    assert data["information_officers"] == 8796


def test_validate_ok(demo: Path) -> None:
    result = invoke("validate", str(demo), str(demo / "scenario.yaml"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"ok: {demo} (district demo: 2 commands, 3 towns, 1 plan)",
        f"ok: {demo / 'scenario.yaml'} (scenario night_leak: 1 incident in district demo)",
    ]


def test_validate_reports_every_problem_and_exits_2(demo: Path) -> None:
    broken = demo / "broken.yaml"
    result = invoke("validate", str(demo), str(broken), str(demo / "missing.yaml"))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"ok: {demo} (district demo: 2 commands, 3 towns, 1 plan)"
    ]
    assert result.stderr.splitlines() == [
        f"{broken}:4:12: units[0].staff: expected a whole number, got 'many'",
        f"{broken}:6:5: units[1]: unknown key 'colour'",
        f"{demo / 'missing.yaml'}: file not found",
    ]


def test_validate_in_a_subprocess_prints_no_traceback(demo: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CLI, "validate", str(demo / "broken.yaml")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 2


def test_validate_needs_a_path() -> None:
    assert invoke("validate").exit_code == 2  # click's usage error


def _plain(value: Any) -> Any:
    """YAML values as JSON would hold them (dates and times as ISO strings)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def _expand(path: Path) -> Any:
    """A YAML file with every ``{include: …}`` replaced by the file's content."""

    def walk(value: Any, here: Path) -> Any:
        if isinstance(value, dict):
            if list(value) == ["include"]:
                target = (here.parent / value["include"]).resolve()
                if target.is_dir():
                    target = target / "district.yaml"
                return walk(yaml.safe_load(target.read_text(encoding="utf-8")), target)
            return {k: walk(v, here) for k, v in value.items()}
        if isinstance(value, list):
            items: list[Any] = []
            for item in value:
                spliced = isinstance(item, dict) and list(item) == ["include"]
                new = walk(item, here)
                items.extend(new if spliced and isinstance(new, list) else [new])
            return items
        return value

    return _plain(walk(yaml.safe_load(path.read_text(encoding="utf-8")), path))


def test_schema_prints_a_valid_json_schema_that_fits_the_files(demo: Path) -> None:
    import jsonschema

    result = invoke("schema")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema == json.loads(json.dumps(json_schema()))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for name in ("district.yaml", "scenario.yaml"):
        validator.validate(_plain(yaml.safe_load((demo / name).read_text(encoding="utf-8"))))
        validator.validate(_expand(demo / name))
    bad = _plain(yaml.safe_load(BROKEN))
    assert not validator.is_valid(bad)


def test_schema_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "cmdsim.schema.json"
    result = invoke("schema", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["$defs"]["District"]


def test_schema_to_an_unwritable_place_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("kept", encoding="utf-8")
    result = invoke("schema", "-o", str(blocker / "schema.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot write")
    assert blocker.read_text(encoding="utf-8") == "kept"


def _bundled_documents() -> list[Path]:
    """The bundled district and every scenario beside it (files with a top-level district key)."""
    docs = [BUNDLED / "district.yaml"] if (BUNDLED / "district.yaml").exists() else []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"^district:", text, flags=re.MULTILINE):
            docs.append(path)
    return docs


@pytest.mark.parametrize("path", _bundled_documents(), ids=lambda p: p.name)
def test_bundled_files_fit_the_schema(path: Path) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(json_schema())
    errors = [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(_expand(path))
    ]
    assert errors == []


def test_tables_into_a_pipe_keep_long_names_whole(demo: Path) -> None:
    """Without COLUMNS, output into a pipe is not cut at 80 columns."""
    env: dict[str, str | None] = {"COLUMNS": None}
    done = CliRunner().invoke(main, ["batch", str(demo / "scenario.yaml"), "-n", "3"], env=env)
    assert done.exit_code == 0, done.output
    rows = [line.split() for line in done.output.splitlines()]
    names = [row[0] for row in rows if row and row[0].startswith("incident.")]
    assert names and all(name.count(".") >= 2 and "…" not in name for name in names)
    assert max(len(line) for line in done.output.splitlines()) > 80
