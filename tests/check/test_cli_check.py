"""``cmdsim check``: exit codes 0/1/2, terminal tables, stable JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.cli import main

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CLEAN = ROOT / "examples" / "planning-office" / "plans"
FLAWED = HERE / "flawed"
REFS = HERE / "flawed_refs"
BUNDLED = ROOT / "scenarios" / "district"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_clean_plans_exit_0() -> None:
    code, out, _ = run(str(CLEAN))
    assert code == 0, out
    assert "coverage matrix" in out
    assert "gas_hq" in out and "flood_hq" in out


def test_error_findings_exit_1_and_show_codes() -> None:
    code, out, _ = run(str(FLAWED))
    assert code == 1
    assert "CMD014" in out and "CMD050" in out
    assert "gas.yaml:" in out


def test_unreadable_input_exits_2_naming_each_place() -> None:
    code, _, err = run(str(REFS))
    assert code == 2
    assert "Traceback" not in err
    text = (REFS / "district.yaml").read_text(encoding="utf-8").splitlines()
    lines = [n for n, line in enumerate(text, 1) if line.endswith("# expect: load")]
    assert len(lines) == 3
    for n in lines:
        assert re.search(rf"district\.yaml:{n}(:\d+)?: ", err), (n, err)
    assert "fire_brigade" in err and "city_gas_plan" in err


def test_missing_path_exits_2() -> None:
    code, _, err = run(str(HERE / "no-such-district"))
    assert code == 2
    assert "Traceback" not in err


def test_several_paths_give_one_report_each_and_worst_exit() -> None:
    code, out, _ = run(str(CLEAN), str(FLAWED), "--json")
    assert code == 1
    data = json.loads(out)
    assert [r["district"] for r in data["reports"]] == ["riverside", "flawed"]
    assert [r["ok"] for r in data["reports"]] == [True, False]


def test_json_is_stable_and_sorted() -> None:
    first = run(str(FLAWED), "--json")[1]
    second = run(str(FLAWED), "--json")[1]
    assert first == second
    data = json.loads(first)
    assert first == json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    (report,) = data["reports"]
    assert sorted(report) == ["counts", "district", "findings", "matrix", "ok", "source"]
    finding = report["findings"][0]
    assert sorted(finding) == [
        "accepted",
        "code",
        "column",
        "file",
        "line",
        "message",
        "path",
        "severity",
        "title",
        "why",
    ]
    assert finding["severity"] == "error"
    cell = report["matrix"][0]
    assert sorted(cell) == [
        "governs",
        "handed_over",
        "handed_over_by_link",
        "handed_over_on_report",
        "hazard",
        "leads",
        "level",
        "plans",
        "tier",
    ]
    assert (cell["tier"], cell["hazard"], cell["level"]) == ("district", "gas", "I")
    assert (cell["governs"]["plan"], cell["governs"]["response"]) == ("gas", True)


def test_bundled_district_has_no_error_findings() -> None:
    code, out, _ = run(str(BUNDLED), "--json")
    data = json.loads(out)
    errors = [f for r in data["reports"] for f in r["findings"] if f["severity"] == "error"]
    assert errors == []
    assert code == 0


def test_bodies_whose_parents_go_round_are_the_loaders_error_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The model refuses a district whose bodies' parents go round in a circle
    # (no body on top), so no check code can see one: `cmdsim check` prints
    # the loader's located error and exits 2, as for any file it cannot read.
    from cmdsim import bundled

    bundled.copy(tmp_path / "sc")
    monkeypatch.chdir(tmp_path)
    bodies = Path("sc/district/bodies.yaml")
    text = bodies.read_text(encoding="utf-8")
    bodies.write_text(
        text.replace("  kind: work_safety\n", "  kind: work_safety\n  parent: fire_committee\n", 1),
        encoding="utf-8",
    )
    lines = bodies.read_text(encoding="utf-8").splitlines()
    start = lines.index("- id: fire_committee")
    at = next(n for n in range(start + 1, len(lines)) if lines[n].startswith("  parent:")) + 1
    circle = "work_safety_committee → fire_committee → work_safety_committee"
    for path, where in (("sc/district", "bodies"), ("sc/gas.yaml", "district.bodies")):
        for extra in ((), ("--json",)):
            code, out, err = run(path, *extra)
            assert code == 2, (path, extra, out, err)
            message = f"parents go round in a circle: {circle} (no body is on top)"
            assert err == f"{bodies}:{at}:3: {where}[2].parent: {message}\n"
            if extra:
                # CI reads stdout: the same problem, as a document
                assert json.loads(out)["problems"] == [
                    {
                        "file": str(bodies),
                        "line": at,
                        "column": 3,
                        "path": f"{where}[2].parent",
                        "message": message,
                    }
                ]
            else:
                assert out == ""
    bodies.write_text(
        text.replace(
            "  kind: work_safety\n", "  kind: work_safety\n  parent: work_safety_committee\n", 1
        ),
        encoding="utf-8",
    )
    code, out, err = run("sc/district")
    assert (code, out) == (2, "")
    assert re.fullmatch(
        rf"{bodies}:\d+:\d+: bodies\[0\]\.parent: a body cannot be its own parent\n", err
    ), err


def test_a_plan_file_nothing_includes_is_a_warning(tmp_path: Path) -> None:
    import shutil

    plans = tmp_path / "plans"
    shutil.copytree(CLEAN, plans)
    assert run(str(plans), "--json")[0] == 0
    gas = plans / "special" / "gas.yaml"
    (plans / "special" / "fire.yaml").write_text(gas.read_text(encoding="utf-8"), "utf-8")
    (plans / ".drafts").mkdir()
    (plans / ".drafts" / "hidden.yaml").write_text("- id: x\n", encoding="utf-8")
    code, out, _ = run(str(plans), "--json")
    assert code == 0  # a warning
    found = [f for f in json.loads(out)["reports"][0]["findings"] if f["code"] == "CMD090"]
    assert [(f["file"], f["line"], f["severity"]) for f in found] == [
        (str(plans / "special" / "fire.yaml"), 1, "warning")
    ]
    # A scenario file's directory is not the district's: nothing is said.
    drill = ROOT / "examples" / "planning-office" / "drills" / "gas-leak.yaml"
    data = json.loads(run(str(drill), "--json")[1])
    assert "CMD090" not in {f["code"] for f in data["reports"][0]["findings"]}
