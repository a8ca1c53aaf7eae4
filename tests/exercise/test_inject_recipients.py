"""Whom an inject reporting an incident is addressed to (``to``) decides the
room it reaches: the district room, or the town's own room when it is
addressed to the town.  Before, an MSEL's free text ("District duty room")
never equalled the room's id, so every bundled MSEL inject naming a town
went to that town's room instead of the district room, silently."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from cmdsim import bundled
from cmdsim.cli import main
from cmdsim.errors import CmdsimError, LoadError
from cmdsim.exercise.run import open_exercise
from cmdsim.io import load_scenario
from cmdsim.model.organisation import Receiver
from cmdsim.sim.topology import inject_receiver

BUNDLED = [
    ("flood-typhoon.yaml", "flood-typhoon.csv"),
    ("gas.yaml", "gas.yaml"),
    ("traffic.yaml", "traffic.yaml"),
    ("compound-typhoon.yaml", "compound-typhoon.yaml"),
    ("typhoon-landfall.yaml", "typhoon-landfall.yaml"),
]


@pytest.mark.parametrize(("drill", "msel"), BUNDLED)
def test_the_bundled_msels_injects_reach_the_room_they_are_addressed_to(
    drill: str, msel: str
) -> None:
    """Every bundled MSEL inject reporting an incident is addressed to the
    district room or a district HQ: it reaches the district room, as the
    drill's own injects do when it runs without the MSEL."""
    scenario = bundled.path(drill)
    exercise = open_exercise(scenario, bundled.path(f"msel/{msel}"), [], 0)
    merged = exercise.scenario()
    recipients = merged.district.recipients()
    reports = [i for i in merged.injects if i.hazard is not None]
    assert reports
    for inject in reports:
        assert inject.to in recipients, inject
        assert inject_receiver(inject, recipients) is Receiver.DISTRICT, inject.id
    alone = {i.id: i for i in load_scenario(scenario).injects}
    for inject in reports:
        if inject.id in alone:
            assert inject_receiver(alone[inject.id], recipients) is Receiver.DISTRICT


def _sheet(tmp_path: Path, to: str, town: str = "川沙新镇") -> Path:
    path = tmp_path / "导调计划.csv"
    path.write_text(
        "序号,时间,发送方,接收方,内容,灾种,街镇\n"
        f"r1,+00:20,居民,{to},地下车库进水,防汛防台,{town}\n",
        encoding="utf-8",
    )
    return path


def test_a_town_room_by_its_chinese_name_reaches_the_town_room(tmp_path: Path) -> None:
    exercise = open_exercise(
        bundled.path("flood-typhoon.yaml"), _sheet(tmp_path, "川沙新镇值班室"), [], 0
    )
    merged = exercise.scenario()
    (inject,) = [i for i in merged.injects if i.id == "r1"]
    assert inject.to == "chuansha_town_duty_room"
    assert inject_receiver(inject, merged.district.recipients()) is Receiver.TOWN
    district = open_exercise(
        bundled.path("flood-typhoon.yaml"), _sheet(tmp_path, "区总值班室"), [], 0
    ).scenario()
    (inject,) = [i for i in district.injects if i.id == "r1"]
    assert inject.to == "district_duty_room"
    assert inject_receiver(inject, district.district.recipients()) is Receiver.DISTRICT


def test_free_text_to_on_an_incident_report_is_a_located_error(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "District duty room")
    exercise = open_exercise(bundled.path("flood-typhoon.yaml"), sheet, [], 0)
    with pytest.raises(LoadError) as caught:
        exercise.scenario()
    text = str(caught.value)
    assert f"{sheet}:2" in text and "to: unknown duty room, command, unit or town" in text
    assert "'District duty room'" in text and "district_duty_room" in text


def test_another_towns_room_is_a_located_error(tmp_path: Path) -> None:
    sheet = _sheet(tmp_path, "张江镇值班室")
    exercise = open_exercise(bundled.path("flood-typhoon.yaml"), sheet, [], 0)
    with pytest.raises(LoadError, match=r"is in zhangjiang_town and the inject in chuansha_town"):
        exercise.scenario()


def test_a_message_naming_no_hazard_keeps_its_free_text_address(tmp_path: Path) -> None:
    """An inject that reports no incident reaches no room: its ``to`` is an
    address for people (a served exercise's role)."""
    path = tmp_path / "msel.csv"
    path.write_text(
        "序号,时间,发送方,接收方,内容\nm1,+00:20,记者,Lead HQ,采访请求\n", encoding="utf-8"
    )
    merged = open_exercise(bundled.path("gas.yaml"), path, [], 0).scenario()
    (inject,) = [i for i in merged.injects if i.id == "m1"]
    assert inject.to == "Lead HQ"


def test_a_scenario_inject_to_nobody_is_a_located_error(tmp_path: Path) -> None:
    drill = load_scenario(bundled.path("gas.yaml"))
    first = drill.injects[0]
    with pytest.raises(CmdsimError, match=r"injects\[0\]\.to: unknown duty room"):
        attrs.evolve(drill, injects=(attrs.evolve(first, to="gas_hqq"), *drill.injects[1:]))
    text = bundled.path("gas.yaml").read_text(encoding="utf-8")
    district = bundled.district() / "district.yaml"
    broken = tmp_path / "gas.yaml"
    broken.write_text(
        text.replace("    at: 5\n", "    at: 5\n    to: gas_hqq\n", 1).replace(
            "district: {include: district/district.yaml}",
            f"district: {{include: {district.as_posix()}}}",
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", str(broken)])
    assert result.exit_code == 2, result.output
    assert "gas.yaml:38:" in result.output and "injects[0].to: unknown duty room" in result.output
    assert "did you mean 'gas_hq'" in result.output


def test_the_inject_event_says_the_level_it_announces() -> None:
    """An inject with a level (a warning's, an explosion's) logs it in its
    event's details; one without has no ``level`` key, so a log of such
    injects replays as before."""
    from cmdsim.sim import simulate

    result = simulate(load_scenario(bundled.path("gas.yaml")), 0)
    details = {e.detail("inject"): dict(e.details) for e in result.events if e.kind == "inject"}
    assert {k: d.get("level") for k, d in details.items()} == {
        "g1_smell": None,
        "g2_explosion": "II",
        "g3_supply_cut": "II",
        "g4_deaths": "II",
        "g5_deaths": "I",
    }
    assert "level" not in details["g1_smell"]
