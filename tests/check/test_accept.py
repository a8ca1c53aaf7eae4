"""The district's ``accept`` list: accepted findings are still reported, in
every format, with their reason, and do not fail the check; an acceptance
that matches nothing is CMD091 at its own line; one that cannot be right is
refused (exit 2) at its file, line and field."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdsim import bundled
from cmdsim.check import check
from cmdsim.check.accept import acceptance_problems, apply_acceptances
from cmdsim.check.output import JSON_SCHEMA, as_github, as_sarif, entries, exit_code, fails
from cmdsim.cli import main
from cmdsim.errors import Problem
from cmdsim.io import load_with_locations, unincluded
from cmdsim.model import Acceptance, District
from cmdsim.model.acceptance import glob_match

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FLAWED = HERE / "flawed"

STUB = """\
id: stub
units: [{id: police}]
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def district(tmp_path: Path, accept: str, extra: str = "") -> Path:
    """A stubbed district (CMD004 and CMD005 at its line 1) with this accept list."""
    root = tmp_path / "d"
    root.mkdir(exist_ok=True)
    (root / "district.yaml").write_text(STUB + extra + "accept:\n" + accept, encoding="utf-8")
    return root


ACCEPT_BOTH = """\
  - {code: CMD004, reason: hazards come with the risk survey}
  - {code: CMD005, reason: plans follow the hazards}
"""


# --- what is accepted -------------------------------------------------------


def test_accepted_findings_stay_marked_with_reason_and_place(tmp_path: Path) -> None:
    loaded = load_with_locations(district(tmp_path, ACCEPT_BOTH))
    report = check(loaded.value, loaded.locations)
    assert report.codes() == ["CMD004", "CMD005"]
    first, second = report.findings
    assert first.accepted is not None and second.accepted is not None
    assert first.accepted.reason == "hazards come with the risk survey"
    assert (first.accepted.path, first.accepted.line, first.accepted.column) == ("accept[0]", 4, 5)
    assert (second.accepted.path, second.accepted.line) == ("accept[1]", 5)
    assert first.accepted.file == str(tmp_path / "d" / "district.yaml")
    assert str(first).endswith(
        "CMD004 warning (accepted by accept[0]): hazards: district 'stub' names no hazards: "
        "nothing to cover"
    )
    assert report.counts() == {"error": 0, "warning": 0, "info": 0, "accepted": 2}
    assert report.accepted == report.findings
    assert not fails([report], "warning")
    assert exit_code([report], (), "warning") == 0
    # Without the list the same findings fail it.
    bare = check(loaded.value, loaded.locations, accept=False)
    assert [f.accepted for f in bare.findings] == [None, None]
    assert bare.counts() == {"error": 0, "warning": 2, "info": 0, "accepted": 0}
    assert fails([bare], "warning")


def test_an_accepted_error_leaves_the_report_ok_and_not_failing() -> None:
    loaded = load_with_locations(FLAWED)
    base = check(loaded.value, loaded.locations)
    assert not base.ok
    accept = tuple(
        Acceptance(code=f.code, path=f.path, reason="known")
        for f in base.findings
        if f.severity.value == "error"
    )
    value = attrs.evolve(loaded.value, accept=loaded.value.accept + accept)
    report = check(value, loaded.locations)
    assert report.ok and report.errors == ()
    assert report.counts()["error"] == 0
    assert not fails([report], "error")
    # Accepted findings come after the others, each group by severity, then code.
    flags = [f.accepted is not None for f in report.findings]
    assert flags == sorted(flags)


def test_where_keys_narrow_the_match() -> None:
    loaded = load_with_locations(ROOT / "scenarios" / "district")
    d: District = loaded.value
    paths = {f.path for f in check(d, accept=False).findings if f.code == "CMD042"}
    assert len(paths) == 26

    def accepted(*items: Acceptance) -> tuple[int, list[str]]:
        report = check(attrs.evolve(d, accept=items), loaded.locations)
        unused = [f.message for f in report.findings if f.code == "CMD091"]
        return report.counts()["accepted"], unused

    assert accepted(Acceptance("CMD042", "r", plan="gas_plan")) == (1, [])
    assert accepted(Acceptance("CMD042", "r", plan="*_plan", report="written_*")) == (26, [])
    assert accepted(Acceptance("CMD042", "r", path="plans[2].reports[1].limits[0].within")) == (
        1,
        [],
    )
    assert accepted(Acceptance("CMD042", "r", file="plans/other.yaml")) == (22, [])
    # A phone report has no CMD042: nothing matches, and the message says where they stand.
    count, (message,) = accepted(Acceptance("CMD042", "r", report="phone_report"))
    assert count == 0
    assert "no CMD042 finding stands there" in message
    assert "plans[0].reports[1].limits[0].within and 25 more stand elsewhere" in message


def test_first_acceptance_wins_and_a_shadowed_one_is_unused(tmp_path: Path) -> None:
    root = district(tmp_path, ACCEPT_BOTH + "  - {code: CMD005, reason: again}\n")
    loaded = load_with_locations(root)
    report = check(loaded.value, loaded.locations)
    (unused,) = [f for f in report.findings if f.code == "CMD091"]
    assert unused.path == "accept[2]" and unused.line == 6 and unused.column == 5
    assert unused.message == (
        "accepts CMD005 anywhere, but every finding it matches is accepted by accept[1] before it"
    )
    assert unused.accepted is None
    assert report.counts() == {"error": 0, "warning": 1, "info": 0, "accepted": 2}


def test_file_is_relative_to_the_acceptance_and_accepts_a_stray_file(tmp_path: Path) -> None:
    root = district(tmp_path, ACCEPT_BOTH + "  - {code: CMD090, file: 'old/*.yaml', reason: r}\n")
    (root / "old").mkdir()
    (root / "old" / "gas.yaml").write_text("- id: gas_draft\n", encoding="utf-8")
    (root / "new.yaml").write_text("- id: fire_draft\n", encoding="utf-8")
    loaded = load_with_locations(root)
    report = check(loaded.value, loaded.locations, unincluded=unincluded(root, loaded))
    stray = {Path(f.file or "").name: f.accepted for f in report.findings if f.code == "CMD090"}
    assert stray["new.yaml"] is None
    assert stray["gas.yaml"] is not None and stray["gas.yaml"].path == "accept[2]"
    assert "CMD091" not in report.codes()


def test_what_a_check_cannot_judge_is_not_called_unused(tmp_path: Path) -> None:
    # No stray file sought (a district *file*, a scenario): a CMD090 acceptance
    # matches nothing it could, so it is not stale; nor is a `file` one with no
    # locations (Python, an after-action report).
    root = district(tmp_path, ACCEPT_BOTH + "  - {code: CMD090, file: 'old/*.yaml', reason: r}\n")
    code, out, _ = run(str(root / "district.yaml"), "--json", "--fail-on", "warning")
    assert code == 0, out
    assert "CMD091" not in out
    code, out, _ = run(str(root), "--json", "--fail-on", "warning")
    assert code == 1  # the directory is searched: the acceptance is stale
    (stale,) = [f for f in json.loads(out)["reports"][0]["findings"] if f["code"] == "CMD091"]
    assert stale["path"] == "accept[2]"
    d = District(id="x", accept=[Acceptance("CMD004", "r", file="district.yaml")])
    report = check(d)
    assert report.codes() == ["CMD004", "CMD005"]  # not accepted, and not called stale
    assert check(d, unincluded=[]).codes() == ["CMD004", "CMD005"]
    located = load_with_locations(
        district(tmp_path, "  - {code: CMD004, file: x.yaml, reason: r}\n")
    )
    assert "CMD091" in check(located.value, located.locations).codes()


def test_a_scenarios_district_brings_its_list(tmp_path: Path) -> None:
    bundled.copy(tmp_path)
    loaded = load_with_locations(tmp_path / "flood-typhoon.yaml")
    report = check(loaded.value, loaded.locations)
    # 26 CMD042, 24 CMD043 (no daily report at level I), 20 CMD063 (the
    # handbook, one a hazard) and 37 CMD006 (general plans governing nothing).
    assert report.counts() == {"error": 0, "warning": 0, "info": 0, "accepted": 107}
    mark = next(f for f in report.findings if f.code == "CMD042").accepted
    assert mark is not None and mark.path == "accept[0]"
    assert mark.file is not None and Path(mark.file).name == "district.yaml"
    # Stale: the acceptance is found in the district file, by its district path.
    value = attrs.evolve(
        loaded.value,
        district=attrs.evolve(
            loaded.value.district, accept=(Acceptance("CMD001", "no gap here", plan="gas_plan"),)
        ),
    )
    (stale,) = [f for f in check(value, loaded.locations).findings if f.code == "CMD091"]
    assert stale.path == "accept[0]" and stale.file == mark.file and stale.line == mark.line


def test_an_unknown_code_in_python_is_an_unused_acceptance() -> None:
    d = District(id="x", accept=[Acceptance("CMD999", "r"), Acceptance("CMD091", "r")])
    messages = [f.message for f in check(d).findings if f.code == "CMD091"]
    assert messages == [
        "accepts CMD999 anywhere, but 'CMD999' is no finding code",
        "accepts CMD091 anywhere, but CMD091 cannot be accepted: remove the acceptance it "
        "stands for",
    ]


def test_glob_is_literal_but_for_the_star() -> None:
    assert glob_match("plans[1].*", "plans[1].reports[0]")
    assert not glob_match("plans[1].*", "plans[2].reports[0]")  # [1] is no set
    assert not glob_match("gas", "gas_plan")  # whole, not a prefix
    assert glob_match("*", "")


# --- the CLI: exit codes and every format ------------------------------------


def test_every_bundled_drill_passes_fail_on_warning() -> None:
    drills = [str(bundled.path(d.file)) for d in bundled.drills()]
    assert len(drills) >= 5
    code, out, err = run(*drills, "--fail-on", "warning", "--json")
    assert code == 0, err
    reports = json.loads(out)["reports"]
    assert len(reports) == len(drills)
    for report in reports:
        # typhoon-landfall: and its sea-wave signal that reaches no room (CMD019)
        accepted = 108 if report["source"].endswith("typhoon-landfall.yaml") else 107
        assert report["counts"] == {"accepted": accepted, "error": 0, "info": 0, "warning": 0}
    code, _, _ = run(*drills, "--fail-on", "warning", "--no-accept")
    assert code == 1


def test_text_shows_accepted_rows_and_counts(tmp_path: Path) -> None:
    code, out, _ = run(str(district(tmp_path, ACCEPT_BOTH)), "--fail-on", "warning")
    assert code == 0, out
    assert "accepted (accept[0], " in out and "hazards come with the risk survey" in out
    assert out.strip().splitlines()[-1] == "0 errors, 0 warnings, 0 infos; 2 accepted"
    code, out, _ = run(str(tmp_path / "d"), "--fail-on", "warning", "--no-accept")
    assert code == 1
    assert out.strip().splitlines()[-1] == "0 errors, 2 warnings, 0 infos"
    assert "accepted (" not in out


def test_text_gives_an_acceptances_reason_once() -> None:
    code, out, _ = run(str(ROOT / "scenarios" / "district"))
    assert code == 0
    assert out.count("accepted (accept[0], ") == 26
    # Letters only: where the table wraps the reason (between words, or after
    # the hyphen of "30-min") depends on its columns, so on the checkout's path.
    reason = "The 30-min written limit at II and above is sourced"
    assert "".join(out.split()).count("".join(reason.split())) == 1
    assert out.count("accepted (accept[0], reason above)") == 25


def test_json_marks_accepted_and_validates(tmp_path: Path) -> None:
    root = district(tmp_path, ACCEPT_BOTH + "  - {code: CMD032, reason: no loans yet}\n")
    code, out, _ = run(str(root), "--json", "--fail-on", "warning")
    assert code == 1  # the unused acceptance is a warning
    data = json.loads(out)
    jsonschema.validate(data, JSON_SCHEMA)
    (report,) = data["reports"]
    assert report["counts"] == {"accepted": 2, "error": 0, "info": 0, "warning": 1}
    unused, first, _ = report["findings"]
    assert (unused["code"], unused["path"], unused["line"], unused["accepted"]) == (
        "CMD091",
        "accept[2]",
        6,
        None,
    )
    assert first["accepted"] == {
        "reason": "hazards come with the risk survey",
        "path": "accept[0]",
        "file": str(root / "district.yaml"),
        "line": 4,
        "column": 5,
    }
    # The schema refuses an accepted mark without its reason.
    first["accepted"]["reason"] = ""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, JSON_SCHEMA)


def test_github_leaves_accepted_out_and_counts_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    district(tmp_path, ACCEPT_BOTH + "  - {code: CMD005, reason: twice}\n")
    code, out, _ = run("d", "--format", "github", "--fail-on", "warning")
    assert code == 1
    lines = out.splitlines()
    assert lines == [
        "::warning file=d/district.yaml,line=6,col=5,title=CMD091 acceptance that matches no "
        "finding::accept[2]: accepts CMD005 anywhere, but every finding it matches is accepted "
        "by accept[1] before it%0Athe district accepts a finding the check no longer makes: the "
        "plan was fixed, or the acceptance names the wrong place, and left in it would silently "
        "accept a new finding that comes to match it",
        "::notice title=cmdsim check%3A 2 accepted findings::CMD004 ×1, CMD005 ×1: accepted in "
        "the district's accept list, with reasons, so not annotated and not failing the check "
        "(--format sarif and --json list each with its reason)",
    ]


def test_github_counts_a_districts_finding_once_across_its_scenarios(tmp_path: Path) -> None:
    bundled.copy(tmp_path)
    reports = [
        check(*(lambda x: (x.value, x.locations))(load_with_locations(tmp_path / name)))
        for name in ("gas.yaml", "traffic.yaml")
    ]
    (line,) = as_github(entries(reports), cwd=tmp_path)
    assert line.startswith(
        "::notice title=cmdsim check%3A 107 accepted findings::CMD006 ×36, CMD026 ×1, "
        "CMD042 ×26, CMD043 ×24, CMD063 ×20:"
    )


def test_sarif_suppresses_accepted_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    district(tmp_path, ACCEPT_BOTH + "  - {code: CMD032, reason: no loans yet}\n")
    code, out, _ = run("d", "--format", "sarif")
    assert code == 0
    log = json.loads(out)
    _validate_sarif(log)
    results = log["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert by_rule["CMD091"]["suppressions"] == []
    assert by_rule["CMD004"]["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "hazards come with the risk survey",
            "location": {
                "logicalLocations": [{"fullyQualifiedName": "accept[0]"}],
                "physicalLocation": {
                    "artifactLocation": {"uri": "d/district.yaml", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 4, "startColumn": 5},
                },
            },
        }
    ]
    # A problem that kept an input from being checked is no finding: no suppressions.
    unchecked = as_sarif(entries([], [Problem("file not found", file="nowhere")]))
    assert "suppressions" not in unchecked["runs"][0]["results"][0]


def _validate_sarif(log: dict[str, Any]) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("ci_output", HERE / "test_ci_output.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.validate_sarif(log)


# --- refused at load: exit 2 at file, line and field -------------------------


@pytest.mark.parametrize(
    ("entry", "where", "message"),
    [
        (
            "{code: CMD42, reason: r}",
            "4:6: accept[0].code",
            "unknown finding code 'CMD42' (did you mean 'CMD042'?)",
        ),
        (
            "{code: late_report, reason: r}",
            "4:6: accept[0].code",
            "unknown finding code 'late_report' (docs/check.md lists the codes)",
        ),
        (
            "{code: CMD091, reason: r}",
            "4:6: accept[0].code",
            "CMD091 cannot be accepted: it is an acceptance that matches nothing, so remove "
            "that acceptance instead",
        ),
        ("{code: CMD004, reason: '  '}", "4:20: accept[0].reason", "an acceptance needs a reason"),
        ("{code: CMD004}", "4:5: accept[0]", "missing required key 'reason'"),
        (
            "{code: CMD004, plan: gas_pln, reason: r}",
            "4:20: accept[0].plan",
            "unknown plan 'gas_pln' (did you mean 'gas_plan'?)",
        ),
        ("{code: CMD004, plan: 'x*', reason: r}", "4:20: accept[0].plan", "no plan matches 'x*'"),
        (
            "{code: CMD042, report: writen_report, reason: r}",
            "4:20: accept[0].report",
            "unknown report 'writen_report' (did you mean 'written_report'?)",
        ),
        (
            "{code: CMD042, plan: gas_plan, report: other, reason: r}",
            "4:36: accept[0].report",
            "unknown report 'other' in plan 'gas_plan' (there: written_report)",
        ),
        ("{code: CMD004, path: '', reason: r}", "4:20: accept[0].path", "path is empty"),
    ],
)
def test_an_acceptance_that_cannot_be_right_is_refused(
    tmp_path: Path, entry: str, where: str, message: str
) -> None:
    plans = "plans:\n  - {id: gas_plan, reports: [{id: written_report, within: 60}]}\n"
    root = district(tmp_path, f"  - {entry}\n", extra="")
    text = (root / "district.yaml").read_text(encoding="utf-8")
    # The plans go after the list, so the acceptance stays on line 4.
    (root / "district.yaml").write_text(text + plans, encoding="utf-8")
    for fmt in ("text", "json"):
        code, out, err = run(str(root), "--format", fmt)
        assert code == 2, (out, err)
        assert f"{root / 'district.yaml'}:{where}: {message}" in err
        if fmt == "json":
            assert json.loads(out)["reports"] == []
    result = CliRunner().invoke(main, ["validate", str(root)])
    assert result.exit_code == 2 and message in result.stderr


def test_problems_of_a_scenarios_district_are_under_district(tmp_path: Path) -> None:
    bundled.copy(tmp_path)
    path = tmp_path / "district" / "district.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - code: CMD042\n", "  - code: CMD420\n", 1), encoding="utf-8")
    loaded = load_with_locations(tmp_path / "gas.yaml")
    (problem,) = acceptance_problems(loaded.value, loaded.locations)
    assert problem.path == "district.accept[0].code"
    assert problem.file == str(path) and problem.line is not None
    assert "unknown finding code 'CMD420' (did you mean 'CMD042'?)" in problem.message


def test_the_plugin_refuses_an_unknown_code(tmp_path: Path) -> None:
    root = tmp_path / "office"
    (root / "tests").mkdir(parents=True)
    shutil.copytree(district(tmp_path, "  - {code: CMD42, reason: r}\n"), root / "plans")
    (root / "tests" / "test_plans.py").write_text(
        "def test_plans(cmdsim_check):\n    assert cmdsim_check.ok\n", encoding="utf-8"
    )
    (root / "pytest.ini").write_text(
        "[pytest]\ntestpaths = tests\ncmdsim_plans = plans\n", encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n0"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "plans/district.yaml:4:6: accept[0].code: unknown finding code 'CMD42' "
        "(did you mean 'CMD042'?)" in done.stdout
    )


# --- properties ---------------------------------------------------------------


@pytest.fixture(scope="module")
def flawed() -> Any:
    loaded = load_with_locations(FLAWED)
    # The flawed set's own list holds one stale acceptance (its CMD091 marker).
    value = attrs.evolve(loaded.value, accept=())
    base = check(value, loaded.locations, unincluded=unincluded(FLAWED, loaded))
    return value, loaded.locations, base


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_accepting_any_findings_accepts_exactly_them(flawed: Any, data: st.DataObject) -> None:
    value, locations, base = flawed
    chosen = data.draw(st.sets(st.sampled_from(range(len(base.findings)))))
    findings = list(base.findings)
    accept = []
    for i in sorted(chosen):
        f = findings[i]
        # The path alone may stand for several findings (CMD001 per hazard); the
        # file and the path together pick one, for an exact count.
        accept.append(Acceptance(f.code, f"reason {i}", path=f.path or None))
    value = attrs.evolve(value, accept=tuple(accept))
    got = apply_acceptances(findings, value, locations)
    same = {
        i
        for i, f in enumerate(findings)
        if any(f.code == a.code and (a.path or "") == f.path for a in accept)
    }
    marked = {i for i, f in enumerate(got[: len(findings)]) if f.accepted is not None}
    assert marked == same >= set(chosen)
    # Nothing dropped, nothing made up: each acceptance is used or is one CMD091.
    extra = got[len(findings) :]
    assert all(f.code == "CMD091" for f in extra)
    used = {f.accepted.path for f in got if f.accepted is not None}
    assert len(used) + len(extra) == len(accept)
    report = attrs.evolve(base, findings=tuple(got))
    open_ = [f for f in got if f.accepted is None]
    for floor in ("error", "warning"):
        rank = {"error": 3, "warning": 2}[floor]
        assert fails([report], floor) == any(f.severity.rank >= rank for f in open_)


def test_the_flawed_sets_stale_acceptance_is_its_cmd091() -> None:
    loaded = load_with_locations(FLAWED)
    report = check(loaded.value, loaded.locations)
    (stale,) = [f for f in report.findings if f.code == "CMD091"]
    assert stale.message == (
        "accepts CMD014 at plan 'flood', but no CMD014 finding stands there "
        "(plans[0].triggers[1] stands elsewhere)"
    )


def test_copied_district_keeps_its_list(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "scenarios" / "district", tmp_path / "district")
    code, _, _ = run(str(tmp_path / "district"), "--fail-on", "warning")
    assert code == 0
