"""Defects found by the third trial of cmdsim as its users use it: a
planner in a notebook, a facilitator with a spreadsheet and a script, CI.

Each test is the regression test of one defect (CHANGELOG.md, Unreleased,
Fixed) and says what the user did and what went wrong before.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from cmdsim import bundled
from cmdsim.cli import main
from cmdsim.errors import LoadError
from cmdsim.exercise.run import open_exercise
from cmdsim.io import load_scenario
from cmdsim.model import Scenario


def _cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def gas(tree: Path) -> Scenario:
    return load_scenario(tree / "gas.yaml")


def _msel_with(tree: Path, path: Path, criteria: str) -> int:
    """The gas drill's MSEL with these criteria instead of its own, written
    to ``path``; the line of the first."""
    msel = (tree / "msel" / "gas.yaml").read_text(encoding="utf-8")
    head = msel[: msel.index("criteria:")]
    path.write_text(f"{head}criteria:\n{criteria}", encoding="utf-8")
    return head.count("\n") + 2


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled tree, copied once for the module's tests (which only read it)."""
    folder = tmp_path_factory.mktemp("bundled")
    bundled.copy(folder)
    return folder


# --- evaluation criteria that name nothing -------------------------------------


@pytest.mark.parametrize(
    ("criterion", "message"),
    [
        (
            "{id: c1, after: {inject: g1_smel}, expect: {kind: decision}, within: 30}",
            "criteria[0].after.inject: no inject 'g1_smel' (did you mean 'g1_smell'?)",
        ),
        (
            "{id: c1, after: {inject: g1_smell}, expect: {kind: decison}, within: 30}",
            "criteria[0].expect.kind: unknown event kind 'decison' (did you mean 'decision'?)",
        ),
        (
            "{id: c1, after: 5, expect: {kind: hq_activated, actor: gas_hqq}, within: 30}",
            "criteria[0].expect.actor: no actor 'gas_hqq' in the scenario",
        ),
        (
            "{id: c1, after: 2160, expect: {kind: decision}, within: 30}",
            "criteria[0].after: 2160 min is when or after the exercise ends (horizon 2160 min)",
        ),
        (
            "{id: c1, after: {kind: signal, details: {signal: yelow}}, expect: {kind: decision},"
            " within: 30}",
            "criteria[0].after.details.signal: signal: 'yelow' is not one of blue, yellow",
        ),
        (
            "{id: c1, after: 5, expect: {kind: decision, incident: gas_main}, within: 30}",
            "criteria[0].expect.incident: no incident 'gas_main' in the scenario "
            "(did you mean 'gas_main_rupture'?)",
        ),
        (
            "{id: c1, after: 5, expect: {kind: hq_level_changed, details: {level: '>=V'}},"
            " within: 30}",
            "criteria[0].expect.details.level: level: 'V' is not one of IV, III, II, I",
        ),
        (
            "{id: c1, after: 5, expect: {kind: report_sent, details: {minutes: '>=x'}},"
            " within: 30}",
            "criteria[0].expect.details.minutes: '>=x' compares with neither a level",
        ),
    ],
)
def test_a_criterion_naming_nothing_is_a_located_error(
    tree: Path, gas: Scenario, tmp_path: Path, criterion: str, message: str
) -> None:
    # Before: the drill ran and the criterion came out "not triggered" or
    # "missed", read as the players' failure, for a typo in the MSEL.
    line = _msel_with(tree, tmp_path / "m.yaml", f"  - {criterion}\n")
    with pytest.raises(LoadError) as caught:
        open_exercise(tree / "gas.yaml", tmp_path / "m.yaml", ["duty-room"], 1, scenario=gas)
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{tmp_path / 'm.yaml'}:{line}: {message}")


def test_the_drill_refuses_such_a_criterion_before_it_runs(tree: Path, tmp_path: Path) -> None:
    line = _msel_with(
        tree, tmp_path / "m.yaml", "  - {id: c1, after: 5, expect: {kind: decison}, within: 30}\n"
    )
    log = tmp_path / "m.jsonl"
    result = _cli(
        "drill",
        str(tree / "gas.yaml"),
        "--msel",
        str(tmp_path / "m.yaml"),
        "--play",
        "duty-room",
        "--script",
        str(tree / "msel" / "gas-script.yaml"),
        "--log",
        str(log),
    )
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"{tmp_path / 'm.yaml'}:{line}: criteria[0].expect.kind: unknown event kind 'decison' "
        "(did you mean 'decision'?)\n"
    )
    assert not log.exists()


def test_criteria_may_name_the_scripts_injects_senders_and_outside_rooms(
    tree: Path, tmp_path: Path
) -> None:
    # What a criterion may name: an inject the script adds, an inject's
    # sender, a room outside the district a plan reports to.
    msel = (tree / "msel" / "gas.yaml").read_text(encoding="utf-8")
    head = msel[: msel.index("criteria:")]
    (tmp_path / "m.yaml").write_text(
        f"{head}criteria:\n"
        "  - {id: c1, after: {inject: extra}, expect: {kind: inject, actor: Facilitator},"
        " within: 30}\n"
        "  - {id: c2, after: 0, expect: {kind: report_sent, details: {to: city_duty_room}},"
        " within: 470}\n",
        encoding="utf-8",
    )
    (tmp_path / "s.yaml").write_text(
        "decisions: [{level: plan}]\n"
        "injects:\n"
        "  - {id: extra, time: 50, from: Facilitator, to: 区总值班室, message: Power cut}\n",
        encoding="utf-8",
    )
    from cmdsim.exercise.run import scripted_exercise

    ex = scripted_exercise(
        tree / "gas.yaml", tmp_path / "m.yaml", ["duty-room"], tmp_path / "s.yaml", seed=1
    )
    first, _ = ex.verdicts(ex.end, final=True)
    assert first.status.value == "met"


# --- a spreadsheet's header one slip from a known one ---------------------------


def _sheet(path: Path, header: str, row: str) -> Path:
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "序号,时间,发送方,接收方,内容,灾钟,街镇",
            ":1:6: 灾钟: no MSEL column is called '灾钟': did you mean '灾种' (hazard)? "
            "Rename the header, or map it with --column hazard='灾钟'",
        ),
        (
            "序号,时间,发送方,接收方,内容,灾种,街真",
            ":1:7: 街真: no MSEL column is called '街真': did you mean '街镇' (town)?",
        ),
        (
            "序号,时间,发送方,接收方,内容,灾种,街镇,死往人数",
            ":1:8: 死往人数: no MSEL column is called '死往人数': "
            "did you mean '死亡人数' (deaths)?",
        ),
        (
            "Event #,Time,From,To,Message,Hazzard,Town",
            ":1:6: Hazzard: no MSEL column is called 'Hazzard': did you mean 'Hazard' (hazard)?",
        ),
        (
            # a mandatory column: the slip, not "no column for 'source'"
            "序号,时间,发送放,接收方,内容,灾种,街镇",
            ":1:3: 发送放: no MSEL column is called '发送放': did you mean '发送方' (from)? "
            "Rename the header, or map it with --column from='发送放'",
        ),
    ],
)
def test_a_header_one_slip_from_a_known_one_is_a_located_error(
    tmp_path: Path, header: str, message: str
) -> None:
    # Before: the column was skipped as one cmdsim does not read, and the
    # drill ran with every inject's hazard, town or figure lost, exit 0.
    from cmdsim.exercise.msel import load_msel

    sheet = _sheet(
        tmp_path / "导调计划.csv",
        header,
        "1,+00:05,区气象台,区总值班室,暴雨蓝色预警,防汛防台,川沙新镇,3",
    )
    with pytest.raises(LoadError) as caught:
        load_msel(sheet)
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{sheet}{message}")


def test_columns_cmdsim_does_not_read_are_still_allowed(tmp_path: Path) -> None:
    # An HSEEP sheet's notes and a controller's column are no slip of a field.
    from cmdsim.exercise.msel import load_msel

    sheet = _sheet(
        tmp_path / "msel.csv",
        "Event #,Time,From,To,Message,Notes,Controller,备注",
        "1,+00:05,Residents,区总值班室,Smell of gas,call back,Li,无",
    )
    [inject] = load_msel(sheet).injects
    assert (inject.id, inject.message) == ("inject_1", "Smell of gas")


def test_a_figure_column_maps_from_the_command_line(tree: Path, tmp_path: Path) -> None:
    # Before: --column deaths=... was refused ("unknown MSEL field 'deaths'")
    # though the docs and load_msel(columns=...) map figure columns, and
    # --column from=... refused the name the docs give the field.
    sheet = _sheet(
        tmp_path / "msel.csv",
        "Event #,Time,Sender,To,Message,Hazard,Town,Dead (confirmed)",
        "f9,+00:30,Fire rescue (119),区总值班室,Garage flooded,flood_typhoon,zhangjiang_town,2",
    )
    log = tmp_path / "d.jsonl"
    result = _cli(
        "drill",
        str(tree / "flood-typhoon.yaml"),
        "--msel",
        str(sheet),
        "--column",
        "deaths=Dead (confirmed)",
        "--column",
        "from=Sender",
        "--play",
        "duty-room",
        "--script",
        str(tree / "msel" / "flood-typhoon-script.yaml"),
        "--log",
        str(log),
    )
    assert result.exit_code == 0, result.output
    head = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    [inject] = head["msel"]["injects"]
    assert (inject["from"], inject["figures"]) == ("Fire rescue (119)", {"deaths": 2.0})


# --- a script entry that names nothing, or that nothing asks -------------------


def _gas_drill(tree: Path, script: Path, log: Path, play: str = "duty-room") -> Any:
    return _cli(
        "drill",
        str(tree / "gas.yaml"),
        "--msel",
        str(tree / "msel" / "gas.yaml"),
        "--play",
        play,
        "--script",
        str(script),
        "--log",
        str(log),
    )


def test_a_script_entry_naming_nothing_is_a_located_error(tree: Path, tmp_path: Path) -> None:
    # Before: each of these entries matched no decision point and the drill
    # ran on the plan's answers, exit 0: the players' decision lost to a typo.
    script = tmp_path / "s.yaml"
    script.write_text(
        "decisions:\n"
        "  - incident: gas_main_ruptur\n"
        "    level: II\n"
        "  - key: 'duty-room:gas_main_rupture'\n"
        "  - {key: 'general-hq:gas_main_rupture:1', take_over: no}\n"
        "  - {level: II, activate: [gas_hqq]}\n"
        "  - key: 'duty-room:gas_main_rupture:0'\n",
        encoding="utf-8",
    )
    log = tmp_path / "d.jsonl"
    result = _gas_drill(tree, script, log, "duty-room,general-hq")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"{script}:2: decisions[0].incident: no incident 'gas_main_ruptur' in the scenario "
        "(did you mean 'gas_main_rupture'?)",
        f"{script}:4: decisions[1].key: 'duty-room:gas_main_rupture' is not role:incident:n "
        "(e.g. duty-room:gas_main_rupture:1)",
        f"{script}:5: decisions[2].key: 'general-hq:gas_main_rupture:1': the general HQ's "
        "points concern no incident: general-hq:-:n",
        f"{script}:6: decisions[3].activate: no HQ 'gas_hqq' in the district "
        "(did you mean 'gas_hq' or 'grain_hq'?)",
        f"{script}:7: decisions[4].key: 'duty-room:gas_main_rupture:0': n counts the role's "
        "decisions for the incident from 1",
    ]
    assert not log.exists()


def test_a_script_entry_no_decision_point_takes_is_said(tree: Path, tmp_path: Path) -> None:
    # Before: an entry for a seventh decision the run never came to was
    # dropped without a word. It may be a contingency (another seed reaches
    # it), so the drill runs and says so on stderr, located.
    script = tmp_path / "s.yaml"
    script.write_text(
        "decisions:\n  - {level: plan}\n  - {key: 'duty-room:gas_main_rupture:7', level: II}\n",
        encoding="utf-8",
    )
    log = tmp_path / "d.jsonl"
    result = _gas_drill(tree, script, log)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f"warning: {script}:3: decisions[1]: never used: no decision point of the run matched "
        "it (it asked duty-room at duty-room:gas_main_rupture:1, duty-room:gas_main_rupture:2, "
        "duty-room:gas_main_rupture:3)"
    )
    assert log.exists()


def test_scripted_exercise_warns_of_an_unused_entry_in_python(tree: Path, tmp_path: Path) -> None:
    from cmdsim.exercise.run import scripted_exercise

    script = tmp_path / "s.yaml"
    script.write_text("decisions:\n  - {role: general-hq, take_over: no}\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"s.yaml:2: decisions\[0\]: never used: .*general-hq"):
        scripted_exercise(
            tree / "traffic.yaml", tree / "msel" / "traffic.yaml", ["general-hq"], script, seed=1
        )


def test_a_scripts_inject_after_the_run_is_located_at_its_line(tree: Path, tmp_path: Path) -> None:
    # Before: "s.yaml: injects: the inject 'late' at 9999 min is after the
    # exercise ends": the file, but neither the line nor which of the injects.
    script = tmp_path / "s.yaml"
    script.write_text(
        "decisions: [{level: plan}]\n"
        "injects:\n"
        "  - {id: early, time: 20, from: Facilitator, to: 区总值班室, message: Power cut}\n"
        "  - {id: late, time: 9999, from: Facilitator, to: 区总值班室, message: Power back}\n",
        encoding="utf-8",
    )
    result = _gas_drill(tree, script, tmp_path / "d.jsonl")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"{script}:4: injects[1].at: the inject 'late' at 9999 min is after the exercise ends "
        "(horizon 2160 min): it would never be delivered\n"
    )


# --- what-if sweeps and batches: settings that would have no effect -------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            # before: both rows ran night=3, labelled night=1 and night=2
            (
                "--vary",
                "district.duty_room.staffing.night=1,2",
                "--vary",
                "duty_room.staffing.night=3",
            ),
            "error: --vary duty_room.staffing.night: the field is varied already by "
            "district.duty_room.staffing.night (the later values would override the earlier "
            "at every point, under the earlier's label); give a field's values once",
        ),
        (
            (
                "--vary",
                "duty_room.staffing={day: 2, night: 2}",
                "--vary",
                "duty_room.staffing.night=3",
            ),
            "error: --vary duty_room.staffing.night: the field is varied already by "
            "duty_room.staffing (",
        ),
        (
            # before: two identical rows
            ("--vary", "duty_room.staffing.night=1,1"),
            "error: --vary duty_room.staffing.night: the value 1 is given twice",
        ),
        (
            # before: --only was ignored without a word
            ("--vary", "duty_room.staffing.night=1,2", "--only", "duty_room"),
            "error: --only duty_room limits --sensitivity's parameters; a --vary sweep varies "
            "the fields it names",
        ),
    ],
)
def test_a_sweep_setting_with_no_effect_is_refused(
    tree: Path, args: tuple[str, ...], message: str
) -> None:
    result = _cli("sweep", str(tree / "gas.yaml"), "-n", "2", "--no-progress", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(message), result.stderr


def test_different_fields_and_items_may_be_varied_together(tree: Path) -> None:
    from cmdsim.analysis.sweep import Variation, check_variations

    check_variations(
        [
            Variation.parse("duty_room.staffing.night=1,2"),
            Variation.parse("duty_room.staffing.day=3"),
            Variation.parse("commands[gas_hq].callout.median=10,20"),
            Variation.parse("commands[fire_hq].callout.median=10"),
        ]
    )


@pytest.mark.parametrize(
    ("flag", "forced"),
    [("--no-fast", "fast=False (--no-fast)"), ("--fast", "fast=True (--fast)")],
)
def test_a_check_sample_that_checks_nothing_is_refused(tree: Path, flag: str, forced: str) -> None:
    # Before: --check-sample 5 with --no-fast (or --fast) ran, checking nothing.
    metric = "incident.gas_main_rupture.aware"
    args = ("-n", "2", "--no-progress", "--metric", metric, "--check-sample", "5", flag)
    result = _cli("batch", str(tree / "gas.yaml"), *args)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "error: a check sample (--check-sample 5) checks the permitted fast path's rows "
        f"against the engine; with {forced} there is nothing it checks\n"
    )


def test_a_check_sample_of_zero_asks_for_no_check_and_is_taken_with_any_engine(
    tree: Path,
) -> None:
    # 0 says "do not check": an engine run or a forced fast path checks
    # nothing anyway, so it is no setting without effect (the engine ≡ fast
    # path property tests pass it beside fast=False).
    from cmdsim.analysis.batch import replicate
    from cmdsim.io import load_scenario

    scenario = load_scenario(tree / "gas.yaml")
    metric = "incident.gas_main_rupture.aware"
    result = replicate(scenario, 2, metrics=[metric], fast=False, check_sample=0, keep=True)
    assert result.engine == "des"
    assert len(result.column(metric)) == 2


# --- replaying a log from another directory, or after the scenario moved --------


def _own_drill(tree: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A drill of a scenario of the facilitator's own (the gas drill under
    another id, so no bundled file has its digest), logged in a subfolder."""
    text = (tree / "gas.yaml").read_text(encoding="utf-8")
    (tree / "my-gas.yaml").write_text(
        text.replace("id: gas\n", "id: my_gas\n", 1), encoding="utf-8"
    )
    monkeypatch.chdir(tree)
    (tree / "logs").mkdir(exist_ok=True)
    log = Path("logs") / "my.jsonl"
    args = ["my-gas.yaml", "--msel", "msel/gas.yaml", "--play", "duty-room"]
    done = _cli("drill", *args, "--script", "msel/gas-script.yaml", "--log", str(log))
    assert done.exit_code == 0, done.output
    return tree / "my-gas.yaml", tree / log


def test_a_log_replays_from_another_directory_and_after_a_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: "my-gas.yaml: file not found" -- the replay read the path as
    # given when the drill ran, from wherever it was run now, and never the
    # log's own scenario_relative nor a file with the scenario's digest
    # (found in this trial; the fix landed with H2's io/finding.py).
    bundled.copy(tmp_path)
    scenario, log = _own_drill(tmp_path, monkeypatch)
    monkeypatch.chdir(log.parent)
    again = _cli("drill", "--replay", log.name, "--log", "again.jsonl")
    assert again.exit_code == 0, again.output
    original = log.read_text(encoding="utf-8").splitlines()
    replayed = (log.parent / "again.jsonl").read_text(encoding="utf-8").splitlines()
    assert replayed[1:] == original[1:]
    scenario.rename(tmp_path / "renamed.yaml")
    monkeypatch.chdir(tmp_path)
    moved = _cli("drill", "--replay", str(log), "--log", "moved.jsonl")
    assert moved.exit_code == 0, moved.output
    assert (tmp_path / "moved.jsonl").read_text(encoding="utf-8").splitlines()[1:] == original[1:]


def test_a_log_whose_scenario_is_gone_says_what_it_tried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled.copy(tmp_path)
    scenario, log = _own_drill(tmp_path, monkeypatch)
    scenario.unlink()
    again = _cli("drill", "--replay", str(log), "--log", "again.jsonl")
    assert again.exit_code == 2
    assert again.stderr == (
        f"{log}:1: scenario: the scenario it was made from ('my-gas.yaml') was not found (tried "
        f"{tmp_path / 'logs' / '..' / 'my-gas.yaml'}, "  # my-gas.yaml from here is that file
        f"{tmp_path / 'logs' / 'my-gas.yaml'}, and the scenario files near it); give it with "
        "SCENARIO (cmdsim drill SCENARIO --replay LOG)\n"
    )
    assert not (tmp_path / "again.jsonl").exists()


# --- copying the bundled tree where one stands -----------------------------------


def test_scenarios_copy_into_the_empty_directory_one_stands_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: "error: .: cannot copy the bundled scenarios here: [Errno 22]
    # Invalid argument: '.'" -- the copy removed the empty directory to
    # rename its staged copy into place, which "." cannot be (and any other
    # empty directory the shell stood in would have been left deleted).
    here = tmp_path / "drills"
    here.mkdir()
    inode = here.stat().st_ino
    monkeypatch.chdir(here)
    result = _cli("scenarios", "copy", ".")
    assert result.exit_code == 0, result.output
    assert here.stat().st_ino == inode
    assert sorted(p.name for p in here.iterdir()) == sorted(
        p.name for p in bundled.root().iterdir() if not p.name.startswith((".", "_"))
    )
    assert (here / "msel" / "gas-script.yaml").read_bytes() == (
        bundled.path("msel/gas-script.yaml").read_bytes()
    )
    assert [p.name for p in tmp_path.iterdir()] == ["drills"]


# --- a comparison's report says how its metric counts ---------------------------


@pytest.mark.parametrize(("lang", "fmt"), [("en", "md"), ("zh", "md"), ("en", "html")])
def test_a_sweep_report_does_not_call_its_negative_mean_never_negative(
    tree: Path, tmp_path: Path, lang: str, fmt: str
) -> None:
    # Before: the summary said "Figures count from each incident's origin
    # ...; never negative" (不为负) right above "Mean of the base: -140.6":
    # the metric compared is the batch's, from onset, negative when the
    # warning came first.
    out = tmp_path / "sweep"
    args = ["-n", "2", "--no-progress", "--out", str(out)]
    vary = ("--vary", "duty_room.staffing.night=1,2")
    assert _cli("sweep", str(tree / "flood-typhoon.yaml"), *args, *vary).exit_code == 0
    report = tmp_path / f"r.{fmt}"
    done = _cli("report", str(out), "--lang", lang, "-o", str(report))
    assert done.exit_code == 0, done.output
    text = report.read_text(encoding="utf-8")
    assert "never negative" not in text and "不为负" not in text
    note = {"en": "count in minutes from its onset, negative when", "zh": "预警先于灾害发生时为负"}
    assert note[lang] in text
    assert re.search(r"-1\d\d\.\d", text)  # the base's mean, before the onset


# --- a batch's result asked for a metric it cannot have ---------------------------


def test_a_batch_results_misspelt_metric_is_an_error_not_never(gas: Scenario) -> None:
    # Before: result.mean("incident.gas_main_ruptur.aware") raised a bare
    # KeyError, and result.column() of it gave a column of NaN: "never
    # happened", in every replication, for a typo.
    from cmdsim import replicate
    from cmdsim.errors import CmdsimError

    result = replicate(gas, 3, seed=1, keep=True)
    assert result.mean("incident.gas_main_rupture.aware") > 0
    for ask in (result.mean, result.column):
        with pytest.raises(CmdsimError) as caught:
            ask("incident.gas_main_ruptur.aware")
        assert str(caught.value) == (
            "gas: no metric 'incident.gas_main_ruptur.aware' in this batch "
            "(did you mean 'incident.gas_main_rupture.aware'?)"
        )
    # A metric the scenario can report that happened in no replication is
    # "never": NaN, as before (the gas response never closes within the
    # drill, so its final report never falls due).
    never = "incident.gas_main_rupture.deadline.final_report.done"
    assert never not in result.summary["metrics"]
    assert math.isnan(result.mean(never))
    assert np.isnan(result.column(never)).all()


def test_a_metric_left_out_by_metrics_is_refused(gas: Scenario) -> None:
    from cmdsim import replicate
    from cmdsim.errors import CmdsimError

    result = replicate(gas, 2, seed=1, metrics=["incident.gas_main_rupture.aware"])
    with pytest.raises(CmdsimError, match=re.escape("no metric 'incident.gas_main_rupture.level'")):
        result.mean("incident.gas_main_rupture.level")


# --- an MSEL's own start --------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (
            "2025-01-29T20:00:00",
            "start: 2025-01-29T20:00 is not the exercise's start (the scenario starts "
            "2025-01-29T18:00, and the MSEL's times count from it); leave start out or make "
            "it the scenario's",
        ),
        ("2025-01-29", "start: datetime.date(2025, 1, 29) is not a datetime"),
    ],
)
def test_an_msel_start_that_would_have_no_effect_is_refused(
    tree: Path, gas: Scenario, tmp_path: Path, start: str, message: str
) -> None:
    # Before: the drill took the scenario's start and ignored the MSEL's
    # without a word ("23:30" counted from 18:00, not from the 20:00 the
    # facilitator wrote); a date alone was dropped the same way.
    msel = (tree / "msel" / "gas.yaml").read_text(encoding="utf-8")
    (tmp_path / "m.yaml").write_text(f"start: {start}\n{msel}", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        open_exercise(tree / "gas.yaml", tmp_path / "m.yaml", ["duty-room"], 1, scenario=gas)
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{tmp_path / 'm.yaml'}:1: {message}")


def test_an_msel_start_equal_to_the_scenarios_is_fine(
    tree: Path, gas: Scenario, tmp_path: Path
) -> None:
    msel = (tree / "msel" / "gas.yaml").read_text(encoding="utf-8")
    (tmp_path / "m.yaml").write_text(f"start: 2025-01-29T18:00:00\n{msel}", encoding="utf-8")
    ex = open_exercise(tree / "gas.yaml", tmp_path / "m.yaml", ["duty-room"], 1, scenario=gas)
    assert ex.spec.msel.injects[0].at == 5.0


# --- a report given facts or a batch it does not show ----------------------------


@pytest.fixture(scope="module")
def results(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A gas batch, a gas sweep, a traffic batch and a gas exercise log."""
    where = tmp_path_factory.mktemp("results")
    quiet = ("-n", "2", "--no-progress", "--json")
    for name, scenario in (("gas", "gas.yaml"), ("traffic", "traffic.yaml")):
        done = _cli("batch", str(tree / scenario), *quiet, "--out", str(where / name))
        assert done.exit_code == 0, done.output
    vary = ("--vary", "duty_room.staffing.night=1,2")
    swept = _cli("sweep", str(tree / "gas.yaml"), *quiet, *vary, "--out", str(where / "sweep"))
    assert swept.exit_code == 0, swept.output
    drilled = _gas_drill(tree, tree / "msel" / "gas-script.yaml", where / "gas.jsonl")
    assert drilled.exit_code == 0, drilled.output
    facts = where / "facts.yaml"
    facts.write_text(
        "date: 2025-01-30\nplace: 区应急指挥中心\n"
        "improvements:\n  - {id: new1, issue: Late phone report, action: Drill the duty room}\n",
        encoding="utf-8",
    )
    return {
        "gas": where / "gas",
        "traffic": where / "traffic",
        "sweep": where / "sweep",
        "log": where / "gas.jsonl",
        "facts": facts,
    }


@pytest.mark.parametrize(
    ("result", "messages"),
    [
        (
            "gas",
            [
                ":1: date: a batch's report shows no date (exercise facts show in an exercise "
                "log's report; here only improvements apply)",
                ":2: place: a batch's report shows no place",
            ],
        ),
        (
            "sweep",
            [
                ":1: date: a what-if comparison's report shows no date",
                ":2: place: a what-if comparison's report shows no place",
                ":3: improvements: a what-if comparison's report shows no improvements",
            ],
        ),
    ],
)
def test_facts_a_report_does_not_show_are_refused(
    results: dict[str, Path], tmp_path: Path, result: str, messages: list[str]
) -> None:
    # Before: the date, place and participants were dropped without a word
    # from a batch's report (and everything from a sweep's), exit 0.
    done = _cli("report", str(results[result]), "--facts", str(results["facts"]))
    assert done.exit_code == 2, done.output
    lines = done.stderr.splitlines()
    assert len(lines) == len(messages)
    for line, message in zip(lines, messages, strict=True):
        assert line.startswith(f"{results['facts']}{message}")


def test_an_exercise_logs_report_takes_the_facts(results: dict[str, Path]) -> None:
    done = _cli("report", str(results["log"]), "--facts", str(results["facts"]), "--format", "md")
    assert done.exit_code == 0, done.output
    assert "区应急指挥中心" in done.stdout and "Drill the duty room" in done.stdout


def test_a_batch_of_another_drill_or_for_a_sweep_is_refused(results: dict[str, Path]) -> None:
    # Before: the traffic drill's distributions went into the gas exercise's
    # report, and a sweep's report took a batch's replications as its own.
    other = _cli("report", str(results["log"]), "--batch", str(results["traffic"]))
    assert other.exit_code == 2, other.output
    assert other.stderr == (
        f"{results['traffic']}: scenario: a batch of 'traffic', not of 'gas' the report is of\n"
    )
    swept = _cli("report", str(results["sweep"]), "--batch", str(results["gas"]))
    assert swept.exit_code == 2, swept.output
    assert swept.stderr.startswith(
        f"{results['gas']}: a what-if comparison's report takes no batch"
    )
    same = _cli("report", str(results["log"]), "--batch", str(results["gas"]), "--format", "md")
    assert same.exit_code == 0, same.output


# --- the console: an HQ typed wrong ---------------------------------------------


def test_the_console_asks_again_for_an_hq_the_district_has_not(tree: Path, tmp_path: Path) -> None:
    # Before: "gas_hqq" was recorded as the players' decision and activated
    # nothing: the gas HQ was not called at level III, without a word.
    log = tmp_path / "c.jsonl"
    args = ["drill", str(tree / "gas.yaml"), "--msel", str(tree / "msel" / "gas.yaml")]
    result = CliRunner().invoke(
        main,
        [*args, "--play", "duty-room", "--log", str(log)],
        input="c\nIII\ngas_hqq\ngas_hq\nq\n",
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "no HQ 'gas_hqq' in the district (did you mean gas_hq or grain_hq?)" in result.output
    decisions = [
        json.loads(line)
        for line in log.read_text(encoding="utf-8").splitlines()
        if '"type":"decision"' in line
    ]
    first = decisions[0]
    assert (first["key"], first["level"], first["activate"]) == (
        "duty-room:gas_main_rupture:1",
        "III",
        ["gas_hq"],
    )


# --- a spreadsheet or a log given where a scenario is read -----------------------


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("msel.csv", "a spreadsheet (an MSEL?): play it with `cmdsim drill SCENARIO --msel FILE`"),
        ("msel.xlsx", "a spreadsheet (an MSEL?)"),
        ("drill.jsonl", "a JSON-lines log (an exercise log or a run's events): report it"),
    ],
)
def test_a_sheet_or_a_log_given_as_the_scenario_says_what_it_is(
    tree: Path, tmp_path: Path, name: str, what: str
) -> None:
    # Before: "msel.csv:2:1: invalid YAML: expected '<document start>', but
    # found '<scalar>'" -- of a file that was never meant to be YAML.
    path = tmp_path / name
    source = {"csv": tree / "msel" / "flood-typhoon.csv"}.get(name.rsplit(".", 1)[1])
    path.write_bytes(source.read_bytes() if source else b'{"type": "exercise"}\n')
    for command in ("validate", "run", "show"):
        result = _cli(command, str(path))
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"{path}: not a district or a scenario: this is {what}")


def test_replay_options_that_would_have_no_effect_are_refused(
    tree: Path, results: dict[str, Path], tmp_path: Path
) -> None:
    # Before: `--replay LOG --seed 5` (or --play, --msel, --script) wrote
    # the log's replay, seed 1, exit 0: the seed asked for was never used.
    log = results["log"]
    again = tmp_path / "again.jsonl"
    seeded = _cli("drill", "--replay", str(log), "--seed", "5", "--log", str(again))
    assert seeded.exit_code == 2, seeded.output
    assert seeded.stderr == (
        "error: --replay replays the log's seed, roles, MSEL and decisions: --seed would have "
        "no effect (leave it out)\n"
    )
    others = _cli(
        "drill",
        "--replay",
        str(log),
        "--msel",
        str(tree / "msel" / "traffic.yaml"),
        "--play",
        "general-hq",
        "--log",
        str(again),
    )
    assert others.exit_code == 2, others.output
    assert "--msel, --play would have no effect (leave them out)" in others.stderr
    assert not again.exists()
    plain = _cli("drill", "--replay", str(log), "--log", str(again))
    assert plain.exit_code == 0, plain.output
    assert again.read_bytes() == log.read_bytes()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "{file: sheet.csv, colums: {hazard: 灾钟}}",
            ":2: import.colums: unknown key 'colums' (did you mean 'columns'? known: file, "
            "sheet, columns)",
        ),
        (
            "{file: sheet.csv, columns: {hazzard: 灾钟}}",
            ":2: import.columns: unknown MSEL field 'hazzard' (did you mean 'hazard'? known: ",
        ),
    ],
)
def test_an_msel_imports_misspelt_key_is_located(tmp_path: Path, spec: str, message: str) -> None:
    # Before: `colums:` was dropped without a word (the sheet read with the
    # default headers, its 灾钟 column skipped), and a misspelt field in
    # `columns` was "columns: unknown MSEL field" with no file nor line.
    from cmdsim.exercise.msel import load_msel

    _sheet(tmp_path / "sheet.csv", "序号,时间,发送方,接收方,内容,灾钟", "1,+00:05,a,b,c,燃气事故")
    msel = tmp_path / "msel.yaml"
    msel.write_text(f"name: x\nimport: {spec}\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_msel(msel)
    [problem] = caught.value.problems
    assert str(problem).startswith(f"{msel}{message}")


# --- before/after switches that change nothing -----------------------------------


def test_a_before_after_switch_that_changes_nothing_is_refused(tree: Path) -> None:
    # Before: `cmdsim run validation/rainstorm-20230817.yaml --no-injects`
    # ran the scenario as it is (it has no injects), so the "before/after"
    # compared a run with itself and read as "the injects make no difference".
    rainstorm = tree / "validation" / "rainstorm-20230817.yaml"
    run = _cli("run", str(rainstorm), "--no-injects")
    assert run.exit_code == 2, run.output
    assert run.stderr == (
        f"error: --no-injects changes nothing in {rainstorm}: it has no injects\n"
    )
    tiny = Path(__file__).parent / "analysis" / "data" / "fast_tiny.yaml"
    both = ("--truth-reported", "--no-town-plans")
    batch = _cli("batch", str(tiny), "-n", "2", "--no-progress", *both)
    assert batch.exit_code == 2, batch.output
    assert batch.stderr == (
        f"error: --truth-reported changes nothing in {tiny}: its channels report the truth "
        f"already; --no-town-plans changes nothing in {tiny}: its district has no town plan\n"
    )


# --- who decided, in a scripted drill's log --------------------------------------


def test_a_point_no_script_entry_answers_is_logged_as_the_plans(tree: Path, tmp_path: Path) -> None:
    # Before: the traffic script's one entry answered the first duty-room
    # decision and the plan's rule took the second, yet the log said
    # `by: script` for both.
    log = tmp_path / "t.jsonl"
    result = _cli(
        "drill",
        str(tree / "traffic.yaml"),
        "--msel",
        str(tree / "msel" / "traffic.yaml"),
        "--play",
        "duty-room",
        "--script",
        str(tree / "msel" / "traffic-script.yaml"),
        "--log",
        str(log),
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    decided = [(r["key"], r["by"]) for r in records if r["type"] == "decision"]
    assert decided == [
        ("duty-room:expressway_pileup:1", "script"),
        ("duty-room:expressway_pileup:2", "plan"),
    ]
    again = _cli("drill", "--replay", str(log), "--log", str(tmp_path / "again.jsonl"))
    assert again.exit_code == 0, again.output
    assert (tmp_path / "again.jsonl").read_bytes() == log.read_bytes()
