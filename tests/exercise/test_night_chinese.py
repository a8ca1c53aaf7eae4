"""The console as a facilitator uses it at night and in Chinese: a drill
from 23:50 crossing midnight, HQs typed by their Chinese names with Chinese
commas, and the same names over HTTP in a served drill.

The engine is the stand-in of :mod:`tests.exercise.fake` (seed 1: the duty
room decides at minute 23, which is 00:13 the next day from 23:50), except
for the served drill, which runs the bundled gas drill on the engine.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from cmdsim import bundled
from cmdsim.cli import main
from cmdsim.io import dump
from cmdsim.model import Scenario

from . import fake

NAMES = {"flood_hq": "区防汛防台指挥部 flood HQ", "general_hq": "区应急总指挥部 general HQ"}


def night() -> Scenario:
    """The stand-in scenario from 23:50, its HQs named as the district files name them."""
    base = fake.scenario()
    start = dt.datetime(2024, 9, 14, 23, 50)
    commands = tuple(attrs.evolve(c, name=NAMES[c.id]) for c in base.district.commands)
    incidents = tuple(
        attrs.evolve(i, onset=start + dt.timedelta(minutes=10)) for i in base.incidents
    )
    district = attrs.evolve(base.district, commands=commands)
    return attrs.evolve(base, start=start, district=district, incidents=incidents)


@pytest.fixture
def scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("cmdsim.exercise.run.default_runner", lambda: fake.runner)
    path = tmp_path / "night.yaml"
    path.write_text(dump(night()), encoding="utf-8")
    return path


def drill(scenario: Path, typed: str) -> tuple[str, list[dict[str, object]]]:
    log = scenario.parent / "night.jsonl"
    args = ["drill", str(scenario), "--play", "duty-room", "--log", str(log)]
    result = CliRunner().invoke(main, args, input=typed, env={"LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return result.output, [r for r in records if r["type"] == "decision"]


def test_hqs_typed_by_their_chinese_names_with_chinese_commas(scenario: Path) -> None:
    out, decided = drill(scenario, "c\nII\n区防汛防台指挥部，区应急总指挥部\nq\n")
    assert [(d["level"], d["activate"]) for d in decided] == [("II", ["flood_hq", "general_hq"])]
    # the options name each HQ as the room knows it, beside the id it logs
    assert "HQs: flood_hq 区防汛防台指挥部, general_hq 区应急总指挥部" in out
    # minute 23 from 23:50 is the next day's 00:13: the prompt and the clock say so
    assert "DECISION duty-room for flood at 23.0 min (00:13 +1d)" in out
    assert "T+00:23  2024-09-15 00:13" in out


def test_a_misspelt_chinese_name_is_asked_again_with_the_close_chinese_names(
    scenario: Path,
) -> None:
    out, decided = drill(
        scenario, "c\nII\n防汛指挥部、区应急总指挥部\n区防汛防台指挥部、general_hq\nq\n"
    )
    assert "no HQ '防汛指挥部' in the district (did you mean 区防汛防台指挥部 (flood_hq)?)" in out
    assert decided[0]["activate"] == ["flood_hq", "general_hq"]


def test_none_in_chinese_activates_none(scenario: Path) -> None:
    _out, decided = drill(scenario, "c\nIV\n无\nq\n")
    assert [(d["level"], d["activate"]) for d in decided] == [("IV", [])]


def test_a_served_decision_takes_the_chinese_names_of_hqs(tmp_path: Path) -> None:
    pytest.importorskip("starlette")
    from cmdsim.serve.server import open_session

    session = open_session(
        log=tmp_path / "gas.jsonl", scenario_path=bundled.path("gas.yaml"), play=["duty-room"]
    )
    session.run_to_decision()
    point = session.pending_for("duty-room")
    assert point is not None
    form = {"level": "III", "activate": ["区燃气事故应急处置指挥部", "区消防救援指挥部"]}
    known = {c.id: c.name for c in session.ex.base.district.commands}
    if "区消防救援指挥部" not in " ".join(known.values()):
        form["activate"] = ["区燃气事故应急处置指挥部", "fire_hq"]
    session.decide("duty-room", point.key, form)
    assert session.ex.spec.decisions[point.key][1].activate == ("gas_hq", "fire_hq")


def test_a_served_night_drill_says_the_day_after_midnight(tmp_path: Path) -> None:
    pytest.importorskip("starlette")
    from cmdsim.io import load_scenario
    from cmdsim.serve.server import open_session

    # two_hazards moved to 23:00: the flood's onset (minute 60) is 00:00 the
    # next day, and the duty room's first decision (minute 75) 00:15
    path = Path(__file__).resolve().parents[1] / "sim" / "two_hazards.yaml"
    base = load_scenario(path)
    shift = dt.timedelta(hours=13)
    scenario = attrs.evolve(
        base,
        start=base.start + shift,
        incidents=tuple(attrs.evolve(i, onset=i.onset + shift) for i in base.incidents),
    )
    session = open_session(
        log=tmp_path / "night.jsonl",
        scenario_path=path,
        play=["duty-room"],
        seed=0,
        scenario=scenario,
    )
    session.run_to_decision()
    view = session.facilitator_view()
    assert view["clock"]["when"] == "2024-07-04 00:15"
    assert view["waiting"]["clock"] == "00:15 +1d"
    shown = [(row["clock"], row["kind"]) for row in view["feed"]]
    assert ("00:00 +1d", "onset") in shown
    assert all(clock.endswith(" +1d") for clock, _kind in shown)


def test_the_console_adds_an_incident_report(scenario: Path) -> None:
    # at 00:13 (minute 23) the duty room decides; then the facilitator
    # reports a levee breach 5 minutes on: an incident report of the flood in
    # town t1 asking level III, which the stand-in engine asks about at 41
    typed = "c\nII\nflood_hq\ni 5 hazard=flood town=t1 level=III 堤防决口\nc\n\n\nq\n"
    out, decided = drill(scenario, typed)
    assert "inject facilitator_1 at 28.0 min added" in out
    assert "DECISION duty-room for facilitator_1 at 41.0 min (00:31 +1d)" in out
    log = scenario.parent / "night.jsonl"
    added = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    injects = [r["inject"] for r in added if r["type"] == "inject"]
    assert [(i["hazard"], i["town"], i["level"], i["message"]) for i in injects] == [
        ("flood", "t1", "III", "堤防决口")
    ]
    assert [d["key"] for d in decided] == ["duty-room:flood:1", "duty-room:facilitator_1:1"]


@pytest.mark.parametrize(
    ("command", "said"),
    [
        ("i 5 hazard=fl00d 堤防决口", "hazard: the inject 'facilitator_1': unknown hazard 'fl00d'"),
        ("i 5 hazard=flood town=t9 x", "town: the inject 'facilitator_1': unknown town 't9'"),
        ("i 5 level=III 堤防决口", "level: a level is what an incident report asks for"),
        ("i 5 hazard=flood level=V x", "level: "),
        ("i 5 hazard=flood to=nobody x", "to: the inject 'facilitator_1': unknown duty room"),
        ("i 5 hazard=flood deaths=-1 x", "figures.deaths: -1 is negative"),
        ("i 5 hazard=flood deaths=two x", "figures.deaths: expected a number, got 'two'"),
        ("i 5 deaths=2 堤防决口", "figures: figures on an inject that names no hazard"),
    ],
)
def test_a_bad_incident_report_or_figure_at_the_console_names_its_field(
    scenario: Path, command: str, said: str
) -> None:
    out, _decided = drill(scenario, f"{command}\nq\n")
    assert said in out
    assert "added" not in out
    log = scenario.parent / "night.jsonl"
    assert '"type":"inject"' not in log.read_text(encoding="utf-8")


def test_the_console_adds_an_incident_report_with_figures(scenario: Path) -> None:
    """``deaths=2 households=12,000`` before the message: the figures the
    report states, logged with it as an MSEL inject's are."""
    typed = "i 5 hazard=flood town=t1 deaths=2 households=12,000 堤防决口，2人死亡\nq\n"
    out, _decided = drill(scenario, typed)
    assert "inject facilitator_1 at 5.0 min added" in out
    log = scenario.parent / "night.jsonl"
    records = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    injects = [r["inject"] for r in records if r["type"] == "inject"]
    assert [(i["figures"], i["message"]) for i in injects] == [
        ({"deaths": 2.0, "households": 12000.0}, "堤防决口，2人死亡")
    ]
