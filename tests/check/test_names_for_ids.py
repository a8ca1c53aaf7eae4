"""A plan that names a unit or HQ as the office calls it (燃气公司), not by
its id: the error says whose name it is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cmdsim.errors import LoadError
from cmdsim.io import load_district

ROOT = Path(__file__).resolve().parents[2]
OFFICE = ROOT / "examples" / "planning-office"


def _with(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "预案"
    shutil.copytree(OFFICE / "plans", root)
    gas = root / "special" / "gas.yaml"
    text = gas.read_text(encoding="utf-8")
    assert old in text
    gas.write_text(text.replace(old, new, 1), encoding="utf-8")
    return root


def test_a_unit_given_by_its_name_says_which_id_it_is(tmp_path: Path) -> None:
    root = _with(tmp_path, "unit: gas_company", "unit: 燃气公司")
    with pytest.raises(LoadError) as failed:
        load_district(root)
    assert [str(p) for p in failed.value.problems] == [
        f"{root / 'special' / 'gas.yaml'}:16:29: plans[2].levels.IV.tasks[0].unit: unknown unit "
        "'燃气公司' (that is the name of unit 'gas_company': refer to it by its id)"
    ]


def test_an_hq_given_by_its_name_says_which_id_it_is(tmp_path: Path) -> None:
    root = _with(tmp_path, "lead: gas_hq", "lead: 区燃气事故应急指挥部")
    with pytest.raises(LoadError) as failed:
        load_district(root)
    messages = [str(p) for p in failed.value.problems]
    assert any(
        "unknown command '区燃气事故应急指挥部' (that is the name of command 'gas_hq'" in m
        for m in messages
    ), messages


def test_a_typo_still_gets_the_close_id(tmp_path: Path) -> None:
    root = _with(tmp_path, "unit: gas_company", "unit: gas_compny")
    with pytest.raises(LoadError, match=r"did you mean 'gas_company' \(燃气公司\)\?"):
        load_district(root)


def test_a_pinyin_id_near_another_shows_that_ones_chinese_name(tmp_path: Path) -> None:
    # ranqi (燃气, gas) is two letters from grain: the name shows the mismatch.
    root = tmp_path / "district"
    shutil.copytree(ROOT / "scenarios" / "district", root)
    plans = root / "plans" / "other.yaml"
    text = plans.read_text(encoding="utf-8")
    assert text.count("lead: grain_hq") == 1
    plans.write_text(text.replace("lead: grain_hq", "lead: ranqi_hq"), encoding="utf-8")
    with pytest.raises(LoadError) as failed:
        load_district(root)
    assert "unknown command 'ranqi_hq' (did you mean 'grain_hq' (区粮食应急指挥部)?)" in str(
        failed.value
    )
