"""An MSEL's inject figures: a YAML ``figures`` mapping or a sheet's column per
figure (English and Chinese headers), their located errors, the drill's
merge with the scenario's injects, and the log that replays them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.errors import LoadError
from cmdsim.exercise import load_msel
from cmdsim.exercise.drill import Exercise, ExerciseSpec
from cmdsim.exercise.log import spec_from_log, spec_records
from cmdsim.exercise.msel import msel_from_data, msel_to_data
from cmdsim.io import dump, load_scenario
from cmdsim.model import Inject

from . import fake

ROOT = Path(__file__).resolve().parents[2]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _figures(path: Path) -> dict[str, dict[str, float]]:
    return {e.inject.id: e.inject.figures for e in load_msel(path).entries}


def test_a_sheets_figure_columns_with_english_headers(tmp_path: Path) -> None:
    sheet = _write(
        tmp_path / "m.csv",
        "Event #,Time,From,To,Message,Hazard,Deaths,Seriously Injured,Households\n"
        'e1,+00:25,Fire (119),区总值班室,"4 dead, 12 seriously injured",gas,4,12,\n'
        'e2,+01:30,Gas company,区总值班室,"12,000 households cut",gas,,,"12,000"\n'
        "e3,+02:00,Press,区总值班室,A reporter calls,,,,\n",
    )
    assert _figures(sheet) == {
        "e1": {"deaths": 4.0, "serious_injuries": 12.0},
        "e2": {"households": 12_000.0},
        "e3": {},
    }


def test_a_chinese_sheets_figure_columns(tmp_path: Path) -> None:
    sheet = _write(
        tmp_path / "m.csv",
        "序号,时间,发送方,接收方,内容,灾种,死亡人数,重伤人数,停供小时\n"
        "1,+00:25,119,区总值班室,4人死亡12人重伤,road_traffic,4,12,\n"
        "2,+01:30,燃气公司,区总值班室,停气24小时以上,gas,,,24\n",
    )
    assert _figures(sheet) == {
        "inject_1": {"deaths": 4.0, "serious_injuries": 12.0},
        "inject_2": {"supply_cut_hours": 24.0},
    }


def test_a_column_override_names_a_figure_column(tmp_path: Path) -> None:
    sheet = _write(
        tmp_path / "m.csv",
        "Event #,Time,From,To,Message,Hazard,Killed\ne1,+00:25,119,区总值班室,2 killed,gas,2\n",
    )
    msel = load_msel(sheet, columns={"deaths": "Killed"})
    assert msel.entries[0].inject.figures == {"deaths": 2.0}


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("4人", "2:6: 死亡人数: expected a number, got '4人'"),
        ("-4", "2:6: 死亡人数: -4 is negative (a figure counts what is, from 0 up)"),
    ],
)
def test_a_bad_figure_cell_is_located(tmp_path: Path, cell: str, message: str) -> None:
    sheet = _write(
        tmp_path / "bad.csv",
        f"序号,时间,发送方,接收方,内容,死亡人数\n1,+00:25,119,区总值班室,爆炸,{cell}\n",
    )
    with pytest.raises(LoadError) as caught:
        load_msel(sheet)
    assert [str(p) for p in caught.value.problems] == [f"{sheet}:{message}"]


def test_a_yaml_msels_figures_and_their_located_errors(tmp_path: Path) -> None:
    good = _write(
        tmp_path / "m.yaml",
        "injects:\n"
        "  - id: t2\n"
        "    time: 25\n"
        "    from: 119\n"
        "    to: 区总值班室\n"
        "    message: 4 dead, 12 seriously injured\n"
        "    figures: {deaths: 4, serious_injuries: 12}\n",
    )
    assert _figures(good) == {"t2": {"deaths": 4.0, "serious_injuries": 12.0}}
    bad = _write(
        tmp_path / "bad.yaml",
        good.read_text(encoding="utf-8").replace("{deaths: 4,", "{dead: 4,")
        + "  - {id: t3, time: 30, from: a, to: b, message: c, figures: 4}\n",
    )
    with pytest.raises(LoadError) as caught:
        load_msel(bad)
    assert [str(p) for p in caught.value.problems] == [
        f"{bad}:2: injects[0].figures.dead: unknown figure 'dead' (did you mean 'deaths'?) "
        "(known: deaths, serious_injuries, direct_loss, households, rainfall, "
        "traffic_cut_hours, supply_cut_hours)",
        f"{bad}:8: injects[1].figures: expected a mapping like {{deaths: 4}}, got '4'",
    ]


def _exercise(msel_file: Path) -> Exercise:
    spec = ExerciseSpec(
        scenario_path="fake.yaml",
        scenario_id="fake_flood",
        seed=3,
        play=(),
        msel=load_msel(msel_file),
    )
    return Exercise(fake.scenario(), spec, fake.runner)


def test_figures_on_an_msel_inject_naming_no_hazard_are_located(tmp_path: Path) -> None:
    sheet = _write(
        tmp_path / "m.csv",
        "Event #,Time,From,To,Message,Hazard,Deaths\n"
        "m1,+00:05,Town,区总值班室,Garage flooded,flood,1\n"
        "m2,+00:10,Hospital,区总值班室,5 casualties still on scene,,5\n",
    )
    with pytest.raises(LoadError) as caught:
        _exercise(sheet).scenario()
    assert [str(p) for p in caught.value.problems] == [
        # At the row's first figure cell (before: the row alone, under "figures",
        # a column the sheet does not have).
        f"{sheet}:3:7: Deaths: figures on an inject that names no hazard: only an incident "
        "report (an inject with a hazard) tells a room figures"
    ]
    # The same row with a hazard is an incident report with figures.
    fixed = _write(
        tmp_path / "ok.csv", sheet.read_text(encoding="utf-8").replace(",,5", ",flood,5")
    )
    merged = {i.id: i for i in _exercise(fixed).scenario().injects}
    assert merged["m2"].figures == {"deaths": 5.0}


def test_the_cli_drill_refuses_them_with_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cmdsim.exercise.run.default_runner", lambda: fake.runner)
    scenario = _write(tmp_path / "fake.yaml", dump(fake.scenario()))
    sheet = _write(
        tmp_path / "m.csv",
        "Event #,Time,From,To,Message,Deaths\nm1,+00:05,Hospital,区总值班室,5 hurt,5\n",
    )
    result = CliRunner().invoke(main, ["drill", str(scenario), "--msel", str(sheet)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"{sheet}:2:6: Deaths: figures on an inject that names no")
    assert "Traceback" not in result.output


def test_an_msel_inject_replacing_the_scenarios_keeps_or_gives_figures(tmp_path: Path) -> None:
    """The bundled traffic MSEL's 119 inject names no hazard: it replaces
    the scenario's, whose hazard it keeps, and gives its own figures."""
    msel = load_msel(ROOT / "scenarios" / "msel" / "traffic.yaml")
    t2 = next(e.inject for e in msel.entries if e.inject.id == "t2_leak")
    assert (t2.hazard, t2.figures) == (None, {"deaths": 4.0, "serious_injuries": 12.0})
    traffic = load_scenario(ROOT / "scenarios" / "traffic.yaml")
    spec = ExerciseSpec(
        scenario_path="traffic.yaml", scenario_id="traffic", seed=0, play=(), msel=msel
    )
    merged = {i.id: i for i in Exercise(traffic, spec, fake.runner).scenario().injects}
    assert (merged["t2_leak"].hazard, merged["t2_leak"].figures) == (
        "road_traffic",
        {"deaths": 4.0, "serious_injuries": 12.0},
    )
    # x1_hospital's "5 casualties still on scene" is a facilitator's message
    # naming no incident: no figures.
    assert merged["x1_hospital"].figures == {}


def test_the_log_replays_an_injects_figures() -> None:
    msel = msel_from_data(
        {
            "injects": [
                {
                    "id": "t2",
                    "time": 25,
                    "from": "119",
                    "to": "区总值班室",
                    "message": "4 dead",
                    "hazard": "flood",
                    "figures": {"deaths": 4},
                },
                {"id": "t3", "time": 30, "from": "a", "to": "b", "message": "no figures"},
            ]
        }
    )
    data = msel_to_data(msel)
    assert [i.get("figures") for i in data["injects"]] == [{"deaths": 4.0}, None]
    added = Inject(id="extra", at=40, hazard="flood", figures={"households": 600})
    spec = ExerciseSpec(
        scenario_path="x.yaml", scenario_id="x", seed=0, play=(), msel=msel, added=(added,)
    )
    again = spec_from_log(json.loads(json.dumps(spec_records(spec, "digest"))))
    assert [e.inject.figures for e in again.msel.entries] == [{"deaths": 4.0}, {}]
    assert again.added == (added,)
