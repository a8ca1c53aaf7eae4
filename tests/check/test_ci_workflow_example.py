"""The planning office's CI workflow (examples/planning-office/ci/) runs as
written: its ``cmdsim check`` lines pass on the office's plans and annotate
the line of a plan change that breaks them."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cmdsim.cli import main

OFFICE = Path(__file__).resolve().parents[2] / "examples" / "planning-office"
WORKFLOW = OFFICE / "ci" / "check-plans.yml"


def check_lines() -> list[str]:
    steps = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["check"]["steps"]
    return [s["run"] for s in steps if str(s.get("run", "")).startswith("cmdsim check ")]


def run_line(line: str) -> tuple[int, str]:
    """One workflow line through the CLI, its ``> FILE`` redirection written."""
    words = shlex.split(line)
    target = None
    if ">" in words:
        target = words[words.index(">") + 1]
        words = words[: words.index(">")]
    result = CliRunner().invoke(main, words[1:])
    if target is not None:
        Path(target).write_text(result.stdout, encoding="utf-8")
    return result.exit_code, result.stdout


def test_the_workflow_checks_plans_and_drills_twice() -> None:
    assert check_lines() == [
        "cmdsim check plans drills --format github --fail-on warning",
        "cmdsim check plans drills --format sarif --fail-on never > cmdsim.sarif",
    ]


def test_the_workflow_passes_on_the_office_plans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(OFFICE, tmp_path / "office")
    monkeypatch.chdir(tmp_path / "office")
    annotate, sarif = check_lines()
    assert run_line(annotate) == (0, "")
    assert run_line(sarif)[0] == 0
    log = json.loads(Path("cmdsim.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"] == [{"executionSuccessful": True, "exitCode": 0}]


def test_the_workflow_annotates_a_plan_change_that_breaks_the_plans(
    office_with_two_gas_leads: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(office_with_two_gas_leads)
    annotate, sarif = check_lines()
    code, out = run_line(annotate)
    assert code == 1
    traffic = Path("plans/special/traffic.yaml").read_text(encoding="utf-8").splitlines()
    lines = out.splitlines()
    # the plans and the drill (through its district) report the same
    # overlaps, at the same lines: one annotation each
    assert len(lines) == 4  # gas at I-IV
    assert all(line.startswith("::error file=plans/special/traffic.yaml,line=") for line in lines)
    first = int(lines[0].split("line=")[1].split(",")[0])
    assert traffic[first - 1].strip().startswith(("IV:", "III:", "II:", "I:"))
    assert "title=CMD002 coverage overlap::" in lines[0]
    code, _ = run_line(sarif)
    assert code == 0  # --fail-on never: the annotations' step failed the job
    results = json.loads(Path("cmdsim.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["CMD002"] * 8
    assert {r["properties"]["source"] for r in results} == {"plans", "drills/gas-leak.yaml"}
