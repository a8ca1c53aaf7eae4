"""Bad input found by trying the CLI the way users get it wrong: each gives
one located message and exit code 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
GAS = str(ROOT / "scenarios" / "gas.yaml")
GAS_MSEL = str(ROOT / "scenarios" / "msel" / "gas.yaml")
GAS_SCRIPT = str(ROOT / "scenarios" / "msel" / "gas-script.yaml")


def _fails(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.output


def test_a_replayed_log_with_a_broken_header(tmp_path: Path) -> None:
    log = tmp_path / "drill.jsonl"
    log.write_text('{"type": "exercise", "version": 1, "seed": "one"}\n', encoding="utf-8")
    assert _fails(["drill", "--replay", str(log)]).splitlines() == [
        f"{log}:1: scenario: missing (exercise record): the scenario file the exercise ran, "
        "which a replay and a report need",
        f"{log}:1: seed: expected a whole number (exercise record)",
    ]


def test_a_replayed_log_with_a_broken_decision(tmp_path: Path) -> None:
    log = tmp_path / "drill.jsonl"
    log.write_text(
        '{"type": "exercise", "version": 1, "scenario": "x.yaml", "seed": 1}\n'
        '{"type": "decision", "key": "duty-room:a:1"}\n',
        encoding="utf-8",
    )
    assert _fails(["drill", "--replay", str(log)]).strip() == (
        f"{log}:2: time: missing (decision record)"
    )


def test_an_msel_csv_that_is_not_utf8(tmp_path: Path) -> None:
    msel = tmp_path / "msel.csv"
    msel.write_bytes(b"at,from,to,message\n5,\xff\xfe,duty,hello\n")
    out = _fails(["drill", GAS, "--msel", str(msel), "--script", GAS_SCRIPT])
    assert out.startswith(f"{msel}:2:3: not UTF-8 text")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("os:getcwd", "--run os:getcwd: a replication function takes (scenario, seed_sequence)"),
        ("os:sep", "--run os:sep: not a function"),
        ("no_such_module:run", "--run no_such_module:run: No module named 'no_such_module'"),
    ],
)
def test_a_run_function_that_cannot_be_one(spec: str, message: str) -> None:
    out = _fails(["batch", GAS, "-n", "2", "--no-progress", "--run", spec])
    assert out.strip() == f"error: {message}"


def test_the_drill_files_exist_for_these_tests() -> None:
    for path in (GAS, GAS_MSEL, GAS_SCRIPT):
        assert Path(path).is_file()
