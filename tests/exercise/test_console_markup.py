"""``cmdsim drill``'s console prints a criterion's id and text as written:
they are the MSEL author's text, not rich markup (a ``[/]`` stopped the
drill with a markup error, a ``[bold]`` or ``[district]`` vanished)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from cmdsim.exercise.criteria import criterion_from_data, evaluate


def test_the_console_prints_a_criterions_text_as_written() -> None:
    from cmdsim.exercise.console import criteria_table

    text = "HQ at [bold]III[/bold] within 30 min [/] of x1 [flood_hq]"
    criterion = criterion_from_data(
        {"id": "c[/]", "text": text, "after": 35.0, "expect": {"kind": "decision"}, "within": 30}
    )
    verdict = evaluate(criterion, [], now=100.0, final=True)
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    console.print(criteria_table([verdict]))
    assert text in out.getvalue()


def test_the_drill_prints_a_met_criterions_text_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``cmdsim drill`` at the terminal (the stand-in engine of
    :mod:`tests.exercise.fake`): the line that says a criterion is met
    prints its id and text literally, brackets and all."""
    from click.testing import CliRunner

    from cmdsim.cli import main
    from cmdsim.io import dump

    from . import fake

    monkeypatch.setattr("cmdsim.exercise.run.default_runner", lambda: fake.runner)
    scenario = tmp_path / "fake.yaml"
    scenario.write_text(dump(fake.scenario()), encoding="utf-8")
    msel = tmp_path / "msel.yaml"
    msel.write_text(
        "injects:\n"
        "  - {id: m1, time: 5, from: Weather, to: 区总值班室, message: Red rain}\n"
        "criteria:\n"
        "  - {id: 'c[1]', text: 'A decision [/] within [bold]30[/bold] min [district]',\n"
        "     after: {inject: m1}, expect: {kind: decision}, within: 30}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main,
        ["drill", str(scenario), "--msel", str(msel), "--play", "duty-room"],
        input="c\nII\nflood_hq\nq\n",
    )
    assert result.exit_code == 0, result.output
    assert "criterion c[1]: ✔ met — A decision [/] within [bold]30[/bold] min [district]" in (
        result.output
    )
