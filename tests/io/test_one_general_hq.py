"""The "1" of "1+N" is one HQ.

Before, a second command marked ``general: true`` (or a general plan led by
another HQ than the one marked general) loaded without a word: the engine
took over by the general plan's lead while the summary, the drill's roles and
the count of the "N" went by the flag — two different "1"s in one run.
Each is now a located load error (exit 2 from validate, check and run).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.bundled import path
from cmdsim.cli import main
from cmdsim.errors import LoadError
from cmdsim.io import load_scenario

FLOOD_HQ = "- id: flood_typhoon_hq\n  name: 区防汛防台指挥部\n"
GENERAL_HQ = "- id: general_hq\n  name: 区应急总指挥部\n  general: true\n"


def _district(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "scenarios"
    shutil.copytree(Path(path("gas.yaml")).parent, root)
    commands = root / "district" / "commands.yaml"
    text = commands.read_text(encoding="utf-8")
    assert text.count(old) == 1
    commands.write_text(text.replace(old, new), encoding="utf-8")
    return root / "gas.yaml"


def _refused(scenario: Path, expected: str) -> None:
    for command in ("validate", "check", "run"):
        result = CliRunner().invoke(main, [command, str(scenario)])
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.strip().endswith(expected), (command, result.stderr)
        assert "Traceback" not in result.output
    with pytest.raises(LoadError) as caught:
        load_scenario(scenario)
    assert [str(p).endswith(expected) for p in caught.value.problems] == [True]


def test_a_second_general_hq_is_refused_where_it_is_marked(tmp_path: Path) -> None:
    scenario = _district(tmp_path, FLOOD_HQ, FLOOD_HQ + "  general: true\n")
    _refused(
        scenario,
        "district/commands.yaml:35:3: district.commands[1].general: 'flood_typhoon_hq' is "
        "marked general, but 'general_hq' already is: a district has one general HQ "
        '(the "1" of "1+N")',
    )


def test_a_general_plan_led_by_another_hq_than_the_general_one_is_refused(
    tmp_path: Path,
) -> None:
    scenario = _district(tmp_path, GENERAL_HQ, GENERAL_HQ.replace("  general: true\n", ""))
    text = scenario.parent / "district" / "commands.yaml"
    text.write_text(
        text.read_text(encoding="utf-8").replace(FLOOD_HQ, FLOOD_HQ + "  general: true\n"),
        encoding="utf-8",
    )
    _refused(
        scenario,
        "district/plans/general.yaml:12:1: district.plans[0].lead: the general plan "
        "'general_plan' is led by 'general_hq', but the general HQ (general: true) is "
        "'flood_typhoon_hq': a takeover would call out one and the drill's roles and "
        "summary name the other",
    )


def test_the_bundled_district_has_one_general_hq_leading_the_general_plan() -> None:
    district = load_scenario(path("gas.yaml")).district
    assert [c.id for c in district.commands if c.general] == ["general_hq"]
    assert district.general_command is not None
    assert district.general_command.id == "general_hq"
