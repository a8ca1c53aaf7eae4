"""An inject's figures are checked at load: each problem located (file, line,
field), exit 2 from ``validate``, ``check`` and ``run``, no traceback.
(A misspelt figure name is a case of ``test_validation_refs.py``.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.errors import LoadError
from cmdsim.io import load_scenario

HERE = Path(__file__).parent / "validation"

SMELL = "    hazard: gas\n    town: sanlin_town\n  - id: explosion"
EXPLOSION = "    channel: fire_119\n"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            SMELL,
            "    hazard: gas\n    town: sanlin_town\n    figures: {deaths: -2}\n  - id: explosion",
            "gas.yaml:25:15: injects[0].figures.deaths: -2 is negative "
            "(a figure counts what is, from 0 up)",
        ),
        (
            SMELL,
            "    hazard: gas\n    town: sanlin_town\n    figures: {deaths: two}\n  - id: explosion",
            "gas.yaml:25:23: injects[0].figures.deaths: expected a number, got 'two'",
        ),
        (
            SMELL,
            "    hazard: gas\n    town: sanlin_town\n    figures: [2]\n  - id: explosion",
            "gas.yaml:25:14: injects[0].figures: expected a mapping, got a list",
        ),
        (
            # The explosion inject names no hazard: a message, not an incident report.
            EXPLOSION,
            "    channel: fire_119\n    figures: {deaths: 2}\n",
            "gas.yaml:31:5: injects[1].figures: figures on an inject that names no hazard: "
            "only an incident report (an inject with a hazard) tells a room figures",
        ),
    ],
    ids=["negative", "not-a-number", "not-a-mapping", "no-incident"],
)
def test_bad_figures_are_located_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, expected: str
) -> None:
    shutil.copytree(HERE, tmp_path / "validation")
    monkeypatch.chdir(tmp_path / "validation")
    text = Path("gas.yaml").read_text(encoding="utf-8")
    assert text.count(old) == 1
    Path("gas.yaml").write_text(text.replace(old, new), encoding="utf-8")
    for command in ("validate", "check", "run"):
        result = CliRunner().invoke(main, [command, "gas.yaml"])
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.splitlines() == [expected], command
        assert "Traceback" not in result.output
    with pytest.raises(LoadError) as caught:
        load_scenario("gas.yaml")
    assert [str(p) for p in caught.value.problems] == [expected]


def test_good_figures_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(HERE, tmp_path / "validation")
    monkeypatch.chdir(tmp_path / "validation")
    text = Path("gas.yaml").read_text(encoding="utf-8")
    figures = "    figures: {deaths: 1, households: 300}\n  - id: explosion"
    Path("gas.yaml").write_text(
        text.replace("\n  - id: explosion", "\n" + figures), encoding="utf-8"
    )
    smell = load_scenario("gas.yaml").injects[0]
    assert smell.figures == {"deaths": 1.0, "households": 300.0}
    assert CliRunner().invoke(main, ["validate", "gas.yaml"]).exit_code == 0
