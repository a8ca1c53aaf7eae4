"""An MSEL's towns and hazards by their Chinese names: a Chinese facilitator
writes 川沙新镇 and 防汛防台 in the 街镇 and 灾种 columns, not the ids.

Before, the Chinese was dropped by the id maker (every such town became the
id ``town``) and the drill stopped with an unlocated "unknown town 'town'".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim import bundled
from cmdsim.cli import main
from cmdsim.errors import LoadError
from cmdsim.exercise.msel import load_msel
from cmdsim.exercise.msel_places import resolve_places
from cmdsim.io import load_district
from cmdsim.model import District

START = dt.datetime(2024, 9, 19, 20, 0)
HEADER = "序号,时间,发送方,接收方,内容,灾种,街镇"


@pytest.fixture(scope="module")
def district() -> District:
    return load_district(bundled.district())


def sheet(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "导调计划.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([HEADER, *rows]).encode("utf-8") + b"\r\n")
    return path


def test_chinese_names_resolve_to_ids(tmp_path: Path, district: District) -> None:
    path = sheet(
        tmp_path,
        "1,+00:05,气象台,区总值班室,暴雨蓝色预警,防汛防台,川沙新镇",
        "2,+00:10,居民,区总值班室,燃气味浓, 燃气事故 ,唐镇",
        # ids and the whole bilingual name as written still work
        "3,+00:20,居民,区总值班室,追尾,road_traffic,chuansha_town",
        "4,+00:30,居民,区总值班室,泄漏,危险化学品事故 hazardous chemicals,",
    )
    msel = resolve_places(load_msel(path, start=START), district)
    assert [(e.inject.hazard, e.inject.town) for e in msel.entries] == [
        ("flood_typhoon", "chuansha_town"),
        ("gas", "tang_town"),
        ("road_traffic", "chuansha_town"),
        ("hazardous_chemicals", None),
    ]


def test_unknown_chinese_name_is_located_with_chinese_suggestions(
    tmp_path: Path, district: District
) -> None:
    path = sheet(
        tmp_path,
        "1,+00:05,气象台,区总值班室,暴雨,防汛防台,川沙镇",
        "2,+00:10,居民,区总值班室,燃气,燃气事件,唐镇",
    )
    with pytest.raises(LoadError) as caught:
        resolve_places(load_msel(path, start=START), district)
    lines = str(caught.value).splitlines()
    assert lines == [
        f"{path}:2:7: 街镇: unknown town '川沙镇' (did you mean 川沙新镇?)",
        f"{path}:3:6: 灾种: unknown hazard '燃气事件' (did you mean 燃气事故?)",
    ]


def test_unknown_id_suggests_ids_and_yaml_is_located(tmp_path: Path, district: District) -> None:
    path = tmp_path / "msel.yaml"
    path.write_text(
        "injects:\n"
        "  - {id: a, time: 5, from: x, to: y, message: m, town: chuansha}\n"
        "  - {id: b, time: 6, from: x, to: y, message: m, hazard: 防汛防台, town: 高桥}\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        resolve_places(load_msel(path, start=START), district)
    lines = str(caught.value).splitlines()
    assert lines[0] == (
        f"{path}:2: injects[0].town: unknown town 'chuansha' (did you mean chuansha_town?)"
    )
    assert lines[1] == f"{path}:3: injects[1].town: unknown town '高桥' (did you mean 高桥镇?)"


def test_a_drill_from_another_directory_takes_a_chinese_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    good = sheet(tmp_path, "1,+00:05,气象台,区总值班室,暴雨蓝色预警,防汛防台,川沙新镇")
    script = bundled.path("msel/flood-typhoon-script.yaml")
    log = tmp_path / "log.jsonl"
    args = ["drill", str(bundled.path("flood-typhoon.yaml")), "--msel", str(good)]
    ran = CliRunner().invoke(
        main, [*args, "--play", "duty-room", "--script", str(script), "--log", str(log)]
    )
    assert ran.exit_code == 0, ran.output
    assert '"hazard":"flood_typhoon"' in log.read_text(encoding="utf-8").splitlines()[0]
    bad = sheet(tmp_path, "1,+00:05,气象台,区总值班室,暴雨蓝色预警,防汛防台,川沙")
    refused = CliRunner().invoke(main, [*args[:3], str(bad), "--play", "duty-room"])
    assert refused.exit_code == 2
    assert refused.output == f"{bad}:2:7: 街镇: unknown town '川沙' (did you mean 川沙新镇?)\n"


def test_a_scripts_injects_take_chinese_names_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    script = tmp_path / "script.yaml"
    args = ["drill", str(bundled.path("flood-typhoon.yaml")), "--play", "duty-room"]
    args += ["--script", str(script), "--log", str(tmp_path / "log.jsonl")]
    inject = "  - {id: pump, time: 100, from: 川沙新镇, to: 区总值班室, message: 泵坏了"
    script.write_text(
        f"decisions: []\ninjects:\n{inject}, hazard: 防汛防台, town: 川沙新镇}}\n",
        encoding="utf-8",
    )
    ran = CliRunner().invoke(main, args)
    assert ran.exit_code == 0, ran.output
    script.write_text(f"decisions: []\ninjects:\n{inject}, town: 川沙}}\n", encoding="utf-8")
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2
    assert refused.output == (
        f"{script}:3: injects[0].town: unknown town '川沙' (did you mean 川沙新镇?)\n"
    )
