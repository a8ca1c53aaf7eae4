"""Long work shows a progress bar (batch, sweep, coverage; ``--no-progress``
turns it off), and bad input is refused with its message alone, before any
bar is drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.cli import main

OFFICE = Path(__file__).resolve().parents[1] / "examples" / "planning-office"
DRILL = str(OFFICE / "drills" / "gas-leak.yaml")
METRIC = "incident.east_bank_leak.hq.gas_hq.activated"
BAR = ("━", "ETA")
"""What a drawn bar leaves on stderr (rich prints its last state when stderr
is not a terminal)."""


@pytest.mark.parametrize(
    "args",
    [
        ["batch", DRILL, "-n", "3", "--metric", METRIC],
        ["sweep", DRILL, "-n", "3", "--vary", "duty_room.staffing.night=1,2", "--metric", METRIC],
        ["coverage", DRILL, "-n", "3"],
    ],
    ids=["batch", "sweep", "coverage"],
)
def test_long_work_shows_a_bar_unless_told_not_to(args: list[str]) -> None:
    shown = CliRunner().invoke(main, args)
    assert shown.exit_code == 0, shown.output
    assert all(mark in shown.stderr for mark in BAR), shown.stderr
    total = "3/3" if args[0] != "sweep" else "9/9"  # a sweep: the base and two points
    assert total in shown.stderr
    quiet = CliRunner().invoke(main, [*args, "--no-progress"])
    assert quiet.exit_code == 0, quiet.output
    assert not any(mark in quiet.stderr for mark in BAR), quiet.stderr
    assert quiet.stdout == shown.stdout


def _refusals(tmp_path: Path) -> list[tuple[list[str], str]]:
    a_file = tmp_path / "a_file"
    a_file.write_text("not a directory", encoding="utf-8")
    missing = str(tmp_path / "nope.yaml")
    vary = ["--vary", "duty_room.staffing.night=1,2"]
    return [
        (["batch", missing, "-n", "3"], "nope.yaml: file not found"),
        (["batch", DRILL, "-n", "3", "--metric", "incident.nope.aware"], "unknown metric"),
        (["batch", DRILL, "-n", "3", "--out", str(a_file)], "is not a directory"),
        (["sweep", missing, "-n", "3", *vary], "nope.yaml: file not found"),
        (
            ["sweep", DRILL, "-n", "3", "--vary", "commands[gas].callout.median=1,2"],
            "did you mean 'gas_hq'",
        ),
        (["sweep", DRILL, "-n", "3", *vary, "--metric", "incident.nope.aware"], "unknown metric"),
        (
            ["sweep", DRILL, "-n", "3", "--sensitivity", "--only", "commands[gas]"],
            "did you mean 'gas_hq'",
        ),
        (
            ["sweep", DRILL, "-n", "3", "--sensitivity", "--only", "scenario.horizon"],
            "no delay or capacity to perturb",
        ),
        (["coverage", missing, "-n", "3"], "nope.yaml: file not found"),
        (["coverage", str(OFFICE / "plans"), "-n", "3"], "is a district, not a scenario"),
    ]


def test_bad_input_is_refused_before_any_bar(tmp_path: Path) -> None:
    for args, message in _refusals(tmp_path):
        done = CliRunner().invoke(main, args)
        assert done.exit_code == 2, (args, done.output)
        assert message in done.stderr, (args, done.stderr)
        assert not any(mark in done.stderr for mark in BAR), (args, done.stderr)
        assert "Traceback" not in done.output


def test_an_output_directory_with_brackets_is_printed_whole(tmp_path: Path) -> None:
    out = tmp_path / "runs[night]"
    args = ["batch", DRILL, "-n", "3", "--metric", METRIC, "--no-progress", "--out", str(out)]
    done = CliRunner(env={"COLUMNS": "300"}).invoke(main, args)
    assert done.exit_code == 0, done.output
    assert f"written to {out}/" in done.stdout
