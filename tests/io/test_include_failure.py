"""A failed include is one problem, not a cascade, and hides nothing else.

Before, ``district: {include: ../distrct}`` gave eight follow-on "unknown
hazard/town" errors and hid the file's real error (``horizon: -600``).
Now the include is one problem (with the near name it probably meant), the
references that could only resolve in the missing file are counted once as
unchecked, and every other field is still validated.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.errors import LoadError
from cmdsim.io import load, load_district, load_scenario

HERE = Path(__file__).parent / "validation"


def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *edits: tuple[str, str, str]) -> Path:
    """The validation files in ``tmp_path`` with each ``(file, old, new)`` edit made."""
    root = tmp_path / "validation"
    shutil.copytree(HERE, root)
    monkeypatch.chdir(root)
    for file, old, new in edits:
        text = Path(file).read_text(encoding="utf-8")
        assert text.count(old) == 1, (file, old)
        Path(file).write_text(text.replace(old, new), encoding="utf-8")
    return root


def refused(
    name: str, expected: list[str], commands: tuple[str, ...] = ("validate", "check", "run")
) -> None:
    for command in commands:
        result = CliRunner().invoke(main, [command, name])
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.splitlines() == expected, command
        assert "Traceback" not in result.output
    with pytest.raises(LoadError) as caught:
        load(name)
    assert [str(p) for p in caught.value.problems] == expected


UNCHECKED_DISTRICT = (
    "7 references left unchecked because {name!r} failed to load (hazard 'gas', town "
    "'sanlin_town', channel 'hotline_12345', channel 'fire_119', recipient 'gas_hq')"
)


def test_a_misspelt_district_include_and_a_negative_horizon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The case: a drill in a folder beside the district.
    root = copy(tmp_path, monkeypatch)
    (root / "drills").mkdir()
    text = (root / "gas.yaml").read_text(encoding="utf-8")
    text = text.replace("{include: district}", "{include: ../distrct}")
    text = text.replace("horizon: 600", "horizon: -600")
    (root / "drills" / "gas.yaml").write_text(text, encoding="utf-8")
    refused(
        "drills/gas.yaml",
        [
            "drills/gas.yaml:3:21: district: cannot include 'distrct': file not found "
            "(did you mean 'district'?)",
            "drills/gas.yaml:3:21: district: " + UNCHECKED_DISTRICT.format(name="distrct"),
            "drills/gas.yaml:5:1: horizon: -600 minutes is negative",
        ],
    )
    # From the drill's own folder, names are as the include writes them.
    monkeypatch.chdir(root / "drills")
    refused(
        "gas.yaml",
        [
            "gas.yaml:3:21: district: cannot include '../distrct': file not found "
            "(did you mean '../district'?)",
            "gas.yaml:3:21: district: " + UNCHECKED_DISTRICT.format(name="../distrct"),
            "gas.yaml:5:1: horizon: -600 minutes is negative",
        ],
        commands=("validate",),
    )


def test_times_are_still_checked_when_the_district_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy(
        tmp_path,
        monkeypatch,
        ("gas.yaml", "{include: district}", "{include: distric}"),
        ("gas.yaml", "onset: 2025-01-29T18:00:00", "onset: 2025-02-08T18:00:00"),
    )
    refused(
        "gas.yaml",
        [
            "gas.yaml:3:21: district: cannot include 'distric': file not found "
            "(did you mean 'district'?)",
            "gas.yaml:3:21: district: " + UNCHECKED_DISTRICT.format(name="distric"),
            "gas.yaml:11:5: incidents[0].onset: onset 2025-02-08T18:00 is 14,400 min after the "
            "start 2025-01-29T18:00, after the horizon of 600 min (the run ends "
            "2025-01-30T04:00): the incident would never happen in the run",
        ],
    )


UNITS = """\
units:
  - {id: fire_rescue, name: fire rescue}
  - {id: gas_company, name: gas company}
  - {id: police, name: police}
"""


def test_a_missing_list_of_units_leaves_only_unit_references_unchecked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy(
        tmp_path,
        monkeypatch,
        ("district/district.yaml", UNITS, "units: {include: unit.yaml}\n"),
        ("district/plans.yaml", "hazards: [gas]", "hazards: [gass]"),
    )
    unchecked = (
        "6 references left unchecked because 'district/unit.yaml' failed to load (unit "
        "'gas_company', unit 'fire_rescue', unit 'police', unit or command 'fire_rescue')"
    )
    # A hazard misspelt elsewhere is still reported: only units are missing.
    refused(
        "district",
        [
            "district/district.yaml:8:18: units: cannot include 'district/unit.yaml': "
            "file not found",
            f"district/district.yaml:8:18: units: {unchecked}",
            "district/plans.yaml:5:13: plans[1].hazards[0]: unknown hazard 'gass' "
            "(did you mean 'gas'?)",
        ],
        commands=("validate", "check"),
    )
    refused(
        "gas.yaml",
        [
            "district/district.yaml:8:18: district.units: cannot include 'district/unit.yaml': "
            "file not found",
            f"district/district.yaml:8:18: district.units: {unchecked}",
            "district/plans.yaml:5:13: district.plans[1].hazards[0]: unknown hazard 'gass' "
            "(did you mean 'gas'?)",
        ],
    )
    with pytest.raises(LoadError):
        load_district("district")


def test_an_included_file_that_is_not_yaml_is_one_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy(tmp_path, monkeypatch, ("district/plans.yaml", "hazards: [gas]", "hazards: [gas"))
    refused(
        "gas.yaml",
        [
            "district/plans.yaml:6:7: invalid YAML: expected ',' or ']', but got ':' (while "
            "parsing a flow sequence)"
        ],
    )


def test_an_include_nothing_refers_into_is_one_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy(
        tmp_path,
        monkeypatch,
        ("gas.yaml", "horizon: 600\n", "horizon: 600\nsources: {include: refs.yaml}\n"),
    )
    refused("gas.yaml", ["gas.yaml:6:20: sources: cannot include 'refs.yaml': file not found"])


def test_a_misspelt_include_of_a_file_suggests_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy(
        tmp_path,
        monkeypatch,
        ("district/district.yaml", "{include: plans.yaml}", "{include: plan.yaml}"),
    )
    refused(
        "district",
        [
            "district/district.yaml:30:18: plans: cannot include 'district/plan.yaml': file not "
            "found (did you mean 'district/plans.yaml'?)"
        ],
        commands=("validate",),
    )


def test_the_good_files_still_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy(tmp_path, monkeypatch)
    assert load_scenario("gas.yaml").district.id == "small"
