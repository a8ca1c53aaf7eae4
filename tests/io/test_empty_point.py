"""A timeline point that states nothing is a located load error.

``{at: 30}`` (no figure, no condition, no signal) keeps what the point
before states: it changes nothing, yet a ground channel would report it
again (a repeat report the duty room triages).  ``validate``, ``check`` and
``run`` exit 2 with the file, line and field; ``load_scenario`` and
``cmdsim.simulate`` (a scenario built in Python) refuse it.  Before, it
loaded and ran.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import cmdsim
from cmdsim.cli import main
from cmdsim.errors import CmdsimError, LoadError
from cmdsim.io import load_scenario
from cmdsim.model.scenario import SeverityPoint

HERE = Path(__file__).parent / "validation"
POINTS = "      - {at: 0, households: 300}\n      - {at: 40, deaths: 1}\n"


def scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, points: str) -> str:
    """``validation/gas.yaml`` with its timeline's points replaced, in a copy."""
    shutil.copytree(HERE, tmp_path / "validation")
    monkeypatch.chdir(tmp_path / "validation")
    text = Path("gas.yaml").read_text(encoding="utf-8")
    assert text.count(POINTS) == 1
    Path("gas.yaml").write_text(text.replace(POINTS, points), encoding="utf-8")
    return "gas.yaml"


def refused(name: str, expected: list[str]) -> None:
    for command in ("validate", "check", "run"):
        result = CliRunner().invoke(main, [command, name])
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.splitlines() == expected, command
        assert "Traceback" not in result.output
    with pytest.raises(LoadError) as caught:
        load_scenario(name)
    assert [str(p) for p in caught.value.problems] == expected


def nothing(line: int, column: int, k: int, at: str) -> str:
    return (
        f"gas.yaml:{line}:{column}: incidents[0].timeline[{k}]: the point at {at} min states "
        "nothing (no figure, condition or signal): it would keep what the point before it "
        "states, changing nothing; state what is seen or issued then (deaths, households, "
        "rainfall, signal …), or leave the point out"
    )


def test_a_point_with_only_its_time_is_refused_where_it_stands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    points = (
        "      - {at: 0, households: 300}\n"
        "      - {at: 30}\n"
        "      - {at: 40, deaths: 1}\n"
        "      - at: 50\n"
    )
    name = scenario(tmp_path, monkeypatch, points)
    refused(name, [nothing(15, 9, 1, "30"), nothing(17, 9, 3, "50")])


def test_a_point_at_onset_that_states_nothing_is_refused_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The incident is seen at onset without it (an empty timeline is the
    # onset alone), so it says nothing there either.
    name = scenario(tmp_path, monkeypatch, "      - {at: 0}\n      - {at: 40, deaths: 1}\n")
    refused(name, [nothing(14, 9, 0, "0")])


def test_a_signal_alone_or_a_figure_alone_states_something(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    points = (
        "      - {at: 0, households: 300}\n"
        "      - {at: 30, signal: blue}\n"
        "      - {at: 40, deaths: 1}\n"
        "      - {at: 50, traffic_cut_hours: 2}\n"
    )
    name = scenario(tmp_path, monkeypatch, points)
    assert len(load_scenario(name).incidents[0].timeline) == 4


def test_a_scenario_built_in_python_is_refused_with_the_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(HERE)
    good = load_scenario("gas.yaml")
    leak = good.incidents[0]
    empty = attrs.evolve(leak, timeline=(*leak.timeline, SeverityPoint(at=60)))
    bad = attrs.evolve(good, incidents=(empty,))
    with pytest.raises(CmdsimError, match=r"incidents\[0\]\.timeline\[2\]: the point at 60 min"):
        cmdsim.simulate(bad)
