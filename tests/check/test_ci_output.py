"""``cmdsim check`` in a CI pipeline: a document on stdout whatever fails,
``--fail-on``, GitHub annotations and SARIF, directories of scenarios."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdsim.check import KINDS, CheckReport, Finding, Severity, build_matrix
from cmdsim.check.output import (
    INPUT_RULE,
    JSON_SCHEMA,
    as_github,
    as_json,
    as_sarif,
    entries,
    shown_path,
)
from cmdsim.cli import main
from cmdsim.cli.check import asked_format
from cmdsim.errors import Problem
from cmdsim.model import District

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OFFICE = ROOT / "examples" / "planning-office"
STUB = HERE / "stub"
FLAWED = HERE / "flawed"
INPUT_WHY = (
    "the file cannot be read or is not a valid district or scenario (or an option cannot be "
    "used), so nothing was checked: fix it and check again"
)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    if asked_format(args) == "json":
        # whatever happened, the document is the one its schema describes
        jsonschema.Draft202012Validator(JSON_SCHEMA).validate(json.loads(result.stdout))
    return result.exit_code, result.stdout, result.stderr


def test_the_json_schema_is_a_schema_and_refuses_a_stray_key() -> None:
    jsonschema.Draft202012Validator.check_schema(JSON_SCHEMA)
    document = as_json([_report(District(id="empty"))])
    jsonschema.Draft202012Validator(JSON_SCHEMA).validate(document)
    document["reports"][0]["findings"][0]["fix"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(JSON_SCHEMA).validate(document)


# -- 1. a document on stdout, whatever fails before checking ------------------


def test_json_of_a_missing_path_is_a_document_with_its_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("nowhere.yaml", "--json")
    assert code == 2
    assert json.loads(out) == {
        "exit_code": 2,
        "problems": [
            {
                "file": "nowhere.yaml",
                "line": None,
                "column": None,
                "path": "",
                "message": "file not found",
            }
        ],
        "reports": [],
        "skipped": [],
    }
    assert err == "nowhere.yaml: file not found\n"


def test_json_of_invalid_yaml_locates_the_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("broken.yaml").write_text("id: x\nhazards: [gas\n", encoding="utf-8")
    code, out, err = run("broken.yaml", "--json")
    assert code == 2
    (problem,) = json.loads(out)["problems"]
    assert (problem["file"], problem["line"], problem["column"]) == ("broken.yaml", 3, 1)
    assert problem["message"].startswith("invalid YAML: ")
    assert err == f"broken.yaml:3:1: {problem['message']}\n"


def test_a_usage_error_still_gives_the_asked_document() -> None:
    code, out, err = run("--json")
    assert code == 2
    assert json.loads(out) == {
        "exit_code": 2,
        "problems": [
            {
                "file": None,
                "line": None,
                "column": None,
                "path": "",
                "message": "Missing argument 'PATHS...'.",
            }
        ],
        "reports": [],
        "skipped": [],
    }
    assert "Error: Missing argument 'PATHS...'." in err
    code, out, err = run(str(STUB), "--format=sarif", "--fail-on", "errors")
    assert code == 2
    log = json.loads(out)
    validate_sarif(log)
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == INPUT_RULE
    assert "Invalid value for '--fail-on'" in result["message"]["text"]
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": False, "exitCode": 2}]
    code, out, err = run(str(STUB), "--json", "--format", "github")
    assert code == 2
    assert out == (
        "::error title=input not checked::--json is --format json: give one of them"
        f"%0A{INPUT_WHY}\n"
    )
    # text: nothing on stdout, as for every other command
    assert run("--fail-on", "x", str(STUB))[1] == ""


def test_github_annotations_of_an_unreadable_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("d.yaml").write_text("id: d\nunits: [{id: police, staf: 3}]\n", encoding="utf-8")
    code, out, err = run("d.yaml", "--format", "github")
    assert code == 2
    assert out == (
        "::error file=d.yaml,line=2,col=22,title=input not checked::units[0]: unknown "
        "key 'staf' (did you mean 'staff'?)"
        f"%0A{INPUT_WHY}\n"
    )
    assert err == "d.yaml:2:22: units[0]: unknown key 'staf' (did you mean 'staff'?)\n"


# -- 2. --fail-on ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fail_on", "code"),
    [
        (STUB, "error", 0),  # warnings only
        (STUB, "warning", 1),
        (STUB, "never", 0),
        (FLAWED, "error", 1),
        (FLAWED, "warning", 1),
        (FLAWED, "never", 0),
        (OFFICE / "plans", "warning", 0),  # no finding at all
        (HERE / "flawed_refs", "never", 2),  # not checked: never is about findings
    ],
)
def test_fail_on_sets_the_exit_code(path: Path, fail_on: str, code: int) -> None:
    got, out, _ = run(str(path), "--fail-on", fail_on, "--json")
    assert got == code
    assert json.loads(out)["exit_code"] == code


def test_fail_on_defaults_to_error() -> None:
    assert run(str(STUB))[0] == 0
    assert run(str(FLAWED))[0] == 1


# -- 3. GitHub annotations and SARIF -----------------------------------------------


def test_github_annotations_of_a_stubbed_district(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE)
    code, out, _ = run("stub", "--format", "github", "--fail-on", "warning")
    assert code == 1
    assert out.splitlines() == [
        "::warning file=stub/district.yaml,line=7,col=1,title=CMD004 district without hazards"
        "::hazards: district 'stub' names no hazards: nothing to cover"
        f"%0A{KINDS['CMD004'].why}",
        "::warning file=stub/district.yaml,line=8,col=1,title=CMD005 district without plans"
        "::plans: district 'stub' has no plans: nothing leads, nothing is checked"
        f"%0A{KINDS['CMD005'].why}",
    ]


def test_sarif_of_the_flawed_plans_is_valid_and_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run("tests/check/flawed", "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    validate_sarif(log)
    run_ = log["runs"][0]
    assert [r["id"] for r in run_["tool"]["driver"]["rules"]] == [*KINDS, INPUT_RULE]
    data = json.loads(run("tests/check/flawed", "--json")[1])
    findings = data["reports"][0]["findings"]
    assert len(run_["results"]) == len(findings)
    first = run_["results"][0]
    want = findings[0]
    assert first["ruleId"] == want["code"] == "CMD001"
    assert first["level"] == "error"
    (where,) = first["locations"]
    assert where["physicalLocation"] == {
        "artifactLocation": {"uri": want["file"], "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": want["line"], "startColumn": want["column"]},
    }
    assert want["file"].startswith("tests/check/flawed/")
    assert where["logicalLocations"] == [{"fullyQualifiedName": want["path"]}]
    assert run_["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]
    infos = [r for r in run_["results"] if r["ruleId"] == "CMD032"]
    assert infos and {r["level"] for r in infos} == {"note"}


def test_findings_without_a_file_are_valid_output() -> None:
    report = _report(District(id="empty"))  # no locations: no file
    items = entries([report], [Problem("Missing argument 'PATHS...'.")])
    assert [i.rule for i in items] == [INPUT_RULE, "CMD004", "CMD005"]
    log = as_sarif(items, code=2)
    validate_sarif(log)
    results = log["runs"][0]["results"]
    assert "locations" not in results[0]
    assert results[1]["locations"] == [{"logicalLocations": [{"fullyQualifiedName": "hazards"}]}]
    assert as_github(items)[1] == (
        "::warning title=CMD004 district without hazards::hazards: district 'empty' names no "
        f"hazards: nothing to cover%0A{KINDS['CMD004'].why}"
    )


def test_a_file_outside_the_working_directory_is_a_file_uri(tmp_path: Path) -> None:
    inside = tmp_path / "repo"
    inside.mkdir()
    outside = tmp_path / "elsewhere" / "预案 gas.yaml"
    assert shown_path(str(outside), inside).is_absolute()
    finding = Finding("CMD001", Severity.ERROR, "gap", "hazards[0]", str(outside), 3, 5)
    log = as_sarif(entries([_report(District(id="d"), (finding,))]), cwd=inside)
    validate_sarif(log)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": outside.as_uri()}
    assert " " not in uri["uri"] and "预" not in uri["uri"]


def test_a_file_name_utf8_cannot_decode_keeps_its_bytes_in_the_uri() -> None:
    # os.listdir gives b"\xe9.yaml" as "\udce9.yaml" on a UTF-8 machine
    finding = Finding("CMD090", Severity.WARNING, "stray", "", "plans/\udce9.yaml", 1, 1)
    log = as_sarif(entries([_report(District(id="d"), (finding,))]))
    validate_sarif(log)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": "plans/%E9.yaml", "uriBaseId": "%SRCROOT%"}


# -- one list for every format (property) ---------------------------------------

_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30
)
_FILE = st.lists(
    st.text(alphabet="ab 预案,:%-_.", min_size=1, max_size=8).filter(
        lambda s: s not in (".", "..")
    ),
    min_size=1,
    max_size=3,
).flatmap(
    # relative to the working directory, or outside it (a file URI)
    lambda parts: st.sampled_from(["", "/outside cwd/"]).map(lambda top: top + "/".join(parts))
)


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    code = draw(st.sampled_from(sorted(KINDS)))
    file = draw(st.none() | _FILE)
    line = draw(st.none() | st.integers(1, 10_000)) if file is not None else None
    column = draw(st.none() | st.integers(1, 500)) if line is not None else None
    path = draw(st.sampled_from(["", "plans[0].triggers[1]", "hazards", "towns[2].plan_set"]))
    return Finding(code, KINDS[code].severity, draw(_TEXT), path, file, line, column)


def _report(district: District, found: tuple[Finding, ...] = ()) -> CheckReport:
    from cmdsim.check import check

    if not found:
        return check(district)
    return CheckReport(district=district.id, findings=found, matrix=build_matrix(district))


def _unescape(text: str, prop: bool = False) -> str:
    if prop:
        text = text.replace("%3A", ":").replace("%2C", ",")
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _from_github(line: str) -> tuple[Any, ...]:
    head, body = line[2:].split("::", 1)
    level, _, raw = head.partition(" ")
    props = dict(p.split("=", 1) for p in raw.split(","))
    title = _unescape(props["title"], prop=True)
    text = _unescape(body).rsplit("\n", 1)[0]
    return (
        title.split(" ", 1)[0],
        {"error": "error", "warning": "warning", "notice": "info"}[level],
        text,
        _unescape(props["file"], prop=True) if "file" in props else None,
        int(props["line"]) if "line" in props else None,
        int(props["col"]) if "col" in props else None,
    )


def _from_sarif(result: dict[str, Any]) -> tuple[Any, ...]:
    file = line = column = None
    for where in result.get("locations", []):
        physical = where.get("physicalLocation")
        if physical:
            uri = physical["artifactLocation"]["uri"]
            file = unquote(uri.removeprefix("file://"))
            region = physical.get("region", {})
            line, column = region.get("startLine"), region.get("startColumn")
    level = {"error": "error", "warning": "warning", "note": "info"}[result["level"]]
    return (result["ruleId"], level, result["message"]["text"], file, line, column)


def _key(code: str, level: str, path: str, message: str, *where: Any) -> tuple[Any, ...]:
    """What every format must say of a finding: code, level, the message
    with its field path, and file, line and column."""
    return (code, level, f"{path}: {message}" if path else message, *where)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.lists(findings(), max_size=5), min_size=1, max_size=3), st.booleans())
def test_every_finding_appears_in_every_format(found: list[list[Finding]], again: bool) -> None:
    if again:  # two scenarios of one district: its findings twice
        found = [*found, found[0]]
    reports = [_report(District(id=f"d{i}"), tuple(f)) for i, f in enumerate(found)]
    want = Counter(
        _key(f.code, f.severity.value, f.path, f.message, f.file, f.line, f.column)
        for r in reports
        for f in r.findings
    )
    items = entries(reports)
    jsonschema.Draft202012Validator(JSON_SCHEMA).validate(as_json(reports))
    from_json = Counter(
        _key(*(f[k] for k in ("code", "severity", "path", "message", "file", "line", "column")))
        for r in json.loads(json.dumps(as_json(reports)))["reports"]
        for f in r["findings"]
    )
    log = as_sarif(items)
    validate_sarif(log)
    from_sarif = Counter(_from_sarif(r) for r in log["runs"][0]["results"])
    lines = as_github(items)
    assert all("\n" not in line and "\r" not in line for line in lines)
    from_github = Counter(_from_github(line) for line in lines)
    assert from_json == want
    assert from_sarif == want
    # an annotation once: the same finding of two reports is one line
    assert from_github == Counter(set(want))


# -- SARIF's structure ---------------------------------------------------------------

_MESSAGE = {
    "type": "object",
    "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
    "properties": {"text": {"type": "string"}, "id": {"type": "string"}},
    "additionalProperties": False,
}
_MULTIFORMAT = {
    "type": "object",
    "required": ["text"],
    "properties": {"text": {"type": "string"}, "markdown": {"type": "string"}},
    "additionalProperties": False,
}
_LEVEL = {"enum": ["none", "note", "warning", "error"]}
SARIF_SUBSET: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "The part of the SARIF 2.1.0 schema (OASIS, sarif-schema-2.1.0.json) cmdsim writes",
    "type": "object",
    "required": ["version", "runs"],
    "additionalProperties": False,
    "properties": {
        "$schema": {"type": "string"},
        "version": {"enum": ["2.1.0"]},
        "runs": {"type": ["array", "null"], "items": {"$ref": "#/definitions/run"}},
    },
    "definitions": {
        "run": {
            "type": "object",
            "required": ["tool"],
            "additionalProperties": False,
            "properties": {
                "tool": {"$ref": "#/definitions/tool"},
                "invocations": {"type": "array", "items": {"$ref": "#/definitions/invocation"}},
                "results": {"type": ["array", "null"], "items": {"$ref": "#/definitions/result"}},
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
            },
        },
        "tool": {
            "type": "object",
            "required": ["driver"],
            "additionalProperties": False,
            "properties": {"driver": {"$ref": "#/definitions/toolComponent"}},
        },
        "toolComponent": {
            "type": "object",
            "required": ["name"],
            "additionalProperties": False,
            "properties": {
                "name": {"type": "string"},
                "version": {"type": "string"},
                "informationUri": {"type": "string"},
                "rules": {
                    "type": "array",
                    "uniqueItems": True,
                    "items": {"$ref": "#/definitions/reportingDescriptor"},
                },
            },
        },
        "reportingDescriptor": {
            "type": "object",
            "required": ["id"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string"},
                "name": {"type": "string"},
                "shortDescription": _MULTIFORMAT,
                "fullDescription": _MULTIFORMAT,
                "help": _MULTIFORMAT,
                "helpUri": {"type": "string"},
                "defaultConfiguration": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"level": _LEVEL, "enabled": {"type": "boolean"}},
                },
            },
        },
        "invocation": {
            "type": "object",
            "required": ["executionSuccessful"],
            "additionalProperties": False,
            "properties": {
                "executionSuccessful": {"type": "boolean"},
                "exitCode": {"type": "integer"},
            },
        },
        "result": {
            "type": "object",
            "required": ["message"],
            "additionalProperties": False,
            "properties": {
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": -1},
                "level": _LEVEL,
                "message": _MESSAGE,
                "locations": {"type": "array", "items": {"$ref": "#/definitions/location"}},
                "properties": {"type": "object"},
                "suppressions": {
                    "type": "array",
                    "items": {"$ref": "#/definitions/suppression"},
                    "uniqueItems": True,
                },
            },
        },
        "suppression": {
            "type": "object",
            "required": ["kind"],
            "additionalProperties": False,
            "properties": {
                "guid": {"type": "string"},
                "kind": {"enum": ["inSource", "external"]},
                "status": {"enum": ["accepted", "underReview", "rejected"]},
                "justification": {"type": "string"},
                "location": {"$ref": "#/definitions/location"},
                "properties": {"type": "object"},
            },
        },
        "location": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "physicalLocation": {"$ref": "#/definitions/physicalLocation"},
                "logicalLocations": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "fullyQualifiedName": {"type": "string"},
                            "name": {"type": "string"},
                            "kind": {"type": "string"},
                        },
                    },
                },
            },
        },
        "physicalLocation": {
            "type": "object",
            "anyOf": [{"required": ["address"]}, {"required": ["artifactLocation"]}],
            "additionalProperties": False,
            "properties": {
                "artifactLocation": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"uri": {"type": "string"}, "uriBaseId": {"type": "string"}},
                },
                "region": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "startLine": {"type": "integer", "minimum": 1},
                        "startColumn": {"type": "integer", "minimum": 1},
                        "endLine": {"type": "integer", "minimum": 1},
                        "endColumn": {"type": "integer", "minimum": 1},
                    },
                },
            },
        },
    },
}
"""The objects, required fields, types and enumerations of the SARIF 2.1.0
schema that cmdsim writes, with no other property allowed (the full schema
is fetched from the network by validators; tests have none)."""

_URI_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/%:")


def validate_sarif(log: dict[str, Any]) -> None:
    """The log against :data:`SARIF_SUBSET`, plus what a schema cannot say:
    each result's ``ruleIndex`` names its ``ruleId``'s rule, a region has a
    start line, and each URI is a URI (percent-encoded)."""
    jsonschema.validate(log, SARIF_SUBSET)
    for run_ in log["runs"]:
        rules = run_["tool"]["driver"].get("rules", [])
        for result in run_.get("results", []):
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
            for where in result.get("locations", []):
                physical = where.get("physicalLocation")
                if physical is None:
                    continue
                uri = physical["artifactLocation"]["uri"]
                assert set(uri) <= _URI_SAFE, uri
                assert uri.startswith("file:///") or "uriBaseId" in physical["artifactLocation"]
                if "region" in physical:
                    assert "startLine" in physical["region"]


# -- 4. a directory of scenarios -----------------------------------------------------


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The planning office with a second drill, an MSEL and a note beside its drills."""
    root = tmp_path / "office"
    shutil.copytree(OFFICE, root)
    drills = root / "drills"
    leak = (drills / "gas-leak.yaml").read_text(encoding="utf-8")
    (drills / "gas-leak-night.yaml").write_text(
        leak.replace("id: gas_leak\n", "id: gas_leak_night\n"), encoding="utf-8"
    )
    (drills / "msel.yaml").write_text(
        "injects:\n  - {id: call, at: 5, message: smell of gas}\n", encoding="utf-8"
    )
    (drills / "notes.txt").write_text("not YAML\n", encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def test_a_directory_of_scenarios_gives_a_report_for_each(office: Path) -> None:
    code, out, _ = run("drills", "--json")
    assert code == 0
    data = json.loads(out)
    assert [r["source"] for r in data["reports"]] == [
        "drills/gas-leak-night.yaml",
        "drills/gas-leak.yaml",
    ]
    assert data["skipped"] == [
        {
            "file": "drills/msel.yaml",
            "reason": "not a scenario: an MSEL (its injects): play it with "
            "`cmdsim drill SCENARIO --msel FILE`",
        }
    ]
    assert data["problems"] == []
    narrow = CliRunner().invoke(main, ["check", "drills"], env={"COLUMNS": "40"}).stdout
    assert narrow.rstrip().endswith(  # one line at any width, for grep
        "not checked: drills/msel.yaml: not a scenario: an MSEL (its injects): play it with "
        "`cmdsim drill SCENARIO --msel FILE`"
    )
    code, out, _ = run("drills")
    assert out.count("drills/gas-leak-night.yaml: coverage matrix") == 1
    assert out.count("drills/gas-leak.yaml: coverage matrix") == 1
    assert out.rstrip().endswith(
        "not checked: drills/msel.yaml: not a scenario: an MSEL (its injects): play it with "
        "`cmdsim drill SCENARIO --msel FILE`"
    )


def test_a_broken_scenario_in_the_directory_stops_the_check(office: Path) -> None:
    night = Path("drills/gas-leak-night.yaml")
    night.write_text(
        night.read_text(encoding="utf-8").replace("horizon: 480", "horizon: soon"),
        encoding="utf-8",
    )
    code, out, err = run("drills", "--json")
    assert code == 2
    data = json.loads(out)
    assert data["reports"] == []
    (problem,) = data["problems"]
    assert (problem["file"], problem["path"]) == (str(night), "horizon")
    assert err.startswith(f"{night}:")


def test_a_district_directory_is_still_a_district(office: Path) -> None:
    Path("plans/draft.yaml").write_text("- id: x\n", encoding="utf-8")
    code, out, _ = run("plans", "--json")
    assert code == 0
    (report,) = json.loads(out)["reports"]
    assert report["source"] == "plans"
    assert [(f["code"], f["file"]) for f in report["findings"]] == [("CMD090", "plans/draft.yaml")]


def test_a_directory_with_nothing_to_check_is_a_located_problem(office: Path) -> None:
    Path("empty/sub").mkdir(parents=True)
    Path("empty/msel.yaml").write_text("injects: []\n", encoding="utf-8")
    code, out, err = run("empty")
    assert (code, out) == (2, "")
    assert err == (
        "empty: nothing to check: no district.yaml (a district directory) and no scenario file "
        "(a YAML file with a 'district' key) directly in this directory, only 1 YAML file of "
        "other kinds; subdirectories are not searched: give them too (sub)\n"
    )


def test_an_unreadable_yaml_file_in_the_directory_is_not_passed_over(office: Path) -> None:
    Path("drills/half.yaml").write_text("id: half\ndistrict: [\n", encoding="utf-8")
    code, out, err = run("drills", "--format", "github")
    assert code == 2
    assert out.startswith("::error file=drills/half.yaml,line=3,col=1,title=input not checked::")
    assert err.startswith("drills/half.yaml:3:1: invalid YAML")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("id: d\nstart: 2024-07-01T09:00:00\ndistrict: {include: x.yaml}\n", "scenario"),
        ("id: d\nunits: [{id: police}]\n", "district"),
        ("foo: 1\n", "district"),  # by its keys: a district with a typo, as a load reads it
        (
            "injects: []\n",
            "an MSEL (its injects): play it with `cmdsim drill SCENARIO --msel FILE`",
        ),
        ("decisions: []\n", "a drill script: play it with `cmdsim drill SCENARIO --script FILE`"),
        ("- {id: gas}\n", "a list, not a mapping of fields: a file a district includes?"),
        ("# nothing\n", "empty"),
    ],
)
def test_document_kind_reads_only_the_top_level_keys(tmp_path: Path, text: str, kind: str) -> None:
    from cmdsim.io import document_kind

    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    assert document_kind(path) == kind  # x.yaml, the include, does not exist: never read


def test_document_kind_of_a_file_that_is_not_yaml_is_a_located_error(tmp_path: Path) -> None:
    from cmdsim.errors import LoadError
    from cmdsim.io import document_kind

    path = tmp_path / "f.yaml"
    path.write_text("id: x\ndistrict: [\n", encoding="utf-8")
    with pytest.raises(LoadError) as failed:
        document_kind(path)
    (problem,) = failed.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), 3, 1)


def _sections(text: str) -> dict[str, str]:
    """Each finding code's section of the guide (CMD070-CMD073 share one)."""
    import re

    out: dict[str, str] = {}
    for section in re.split(r"\n### ", text)[1:]:
        head = section.split("\n", 1)[0]
        codes = re.findall(r"CMD\d{3}", head.split(" — ")[0])
        if len(codes) == 2:  # a range
            first, last = (int(c[3:]) for c in codes)
            codes = [f"CMD{n:03d}" for n in range(first, last + 1)]
        for code in codes:
            out[code] = " ".join(section.split())
    return out


def test_each_rules_fix_is_the_guides() -> None:
    sections = _sections((ROOT / "docs" / "check.md").read_text(encoding="utf-8"))
    assert set(sections) == set(KINDS)
    for code, kind in KINDS.items():
        assert f"**Fix**: {kind.fix}" in sections[code], code
    rules = {r["id"]: r for r in as_sarif([])["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["CMD014"]["help"]["markdown"] == (
        f"{KINDS['CMD014'].why}.\n\n**Fix**: close the hole (`deaths >= 3`).\n\n"
        "The guide (Checking plans, docs/check.md, CMD014) shows an example."
    )
    assert rules["CMD014"]["help"]["text"].startswith(
        f"{KINDS['CMD014'].why}. Fix: close the hole (deaths >= 3). "
    )
