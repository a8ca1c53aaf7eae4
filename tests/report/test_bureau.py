"""Reports a bureau can file: names, clock times, figures from a stated
origin, Chinese throughout, per-inject evaluation, facts, improvement plan,
Word output, and logs and run directories that find their scenario."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.model import District
from cmdsim.report import load_source, render

ROOT = Path(__file__).resolve().parents[2]

ZH_MSEL = """\
name: 燃气管道破裂演练
injects:
  - {id: g1_smell, time: "+00:05", from: 市民热线, to: 区总值班室,
     message: 小区附近燃气味浓，多人来电,
     expect: 研判并通知燃气企业和消防，确定响应级别, objective: 30分钟内电话初报}
  - {id: g2_explosion, time: "+00:40", from: 消防救援, to: 区总值班室,
     message: 商铺爆炸，有人员伤亡,
     expect: 提升响应级别并启动燃气指挥部, objective: 接报后60分钟内启动燃气指挥部}
  - {id: g3_supply_cut, time: "+01:30", from: 燃气公司, to: 区燃气事故应急处置指挥部,
     message: 约1.2万户停气24小时以上,
     expect: 临时供气、张贴告示、发布信息, objective: 1小时内书面报告}
  - {id: g4_deaths, time: "+03:00", from: 区卫健委, to: 区总值班室,
     message: 死亡人数升至4人,
     expect: 续报并维持二级响应, objective: 首报后4小时内续报}
  - {id: g5_deaths, time: "+05:00", from: 区消防救援支队, to: 区总值班室,
     message: 倒塌楼体内搜出遇难者，死亡人数升至10人,
     expect: 节假日提级至一级响应，区应急总指挥部统一指挥,
     objective: 一级响应后60分钟内总指挥部到位}
criteria:
  - {id: g_decision_30, text: 首次来电后30分钟内值班室确定响应级别, after: {inject: g1_smell},
     expect: {kind: decision}, within: 30}
  - {id: g_hq_5, text: 爆炸后5分钟内火灾指挥部启动, after: {inject: g2_explosion},
     expect: {kind: hq_activated, actor: fire_hq}, within: 5}
"""

ZH_FACTS = """\
date: 2025-01-30
place: 浦东新区应急指挥中心
facilitator: 张导调
participants:
  - {name: 李值班, unit: 区总值班室, role: duty-room}
  - {name: 王评估, unit: 区应急管理局, role: evaluator}
notes: 演练按脚本进行，夜间值守人员到位。
observations: [值班室接报后研判迅速, 燃气指挥部召集偏慢]
signoff:
  - {title: 评估组长, name: 王评估, date: 2025-02-01}
ratings:
  g4_deaths: {status: partly, note: 续报内容不完整}
improvements:
  - id: "activation:fire_hq:gas_main_rupture"
    action: 修订火灾指挥部节假日召集名单
    due: 2025-03-31
  - {id: extra_1, issue: 无人机航拍未纳入预案, action: 补充航拍保障条款, capability: 信息获取,
     unit: 区应急管理局, due: 2025-04-30}
"""


@pytest.fixture(scope="module")
def drill(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scripted gas drill with a Chinese MSEL, its log next to a copy of
    the scenarios (so the log finds its scenario from its own folder)."""
    from cmdsim.exercise.run import scripted_exercise

    base = tmp_path_factory.mktemp("drill")
    shutil.copytree(ROOT / "scenarios", base / "scenarios")
    (base / "msel-zh.yaml").write_text(ZH_MSEL, encoding="utf-8")
    (base / "facts.yaml").write_text(ZH_FACTS, encoding="utf-8")
    import os

    here = Path.cwd()
    os.chdir(base)  # the log records the scenario as given: relative to here
    try:
        exercise = scripted_exercise(
            "scenarios/gas.yaml", "msel-zh.yaml", ["duty-room"], "scenarios/msel/gas-script.yaml", 1
        )
    finally:
        os.chdir(here)
    logs = base / "logs"
    logs.mkdir()
    (logs / "gas.jsonl").write_text(exercise.log_text(), encoding="utf-8")
    return base


def _ids(scenario_path: Path) -> set[str]:
    from cmdsim.io import load_scenario

    s = load_scenario(scenario_path)
    d = s.district
    ids = {x.id for group in (d.commands, d.units, d.towns, d.hazards, d.plans) for x in group}
    ids |= {c.id for t in d.towns for c in t.committees}
    ids |= {x.id for x in s.incidents} | {x.id for x in s.injects} | {s.id}
    for plan in d.plans:
        ids |= {r.id for r in plan.reports}
        ids |= {t.id for lv in plan.levels.values() for t in lv.tasks}
    return ids


DISTRICT_KEYS = frozenset(field.name for field in attrs.fields(District))
"""A district's own keys: a field path starts with one (``community.actions``)."""

ALLOWED = {"I", "II", "III", "IV", "cmdsim", "report"}
"""Level numerals and the tool's own name (the footer's schema
``cmdsim.report/2``); everything else in ASCII letters must be an id."""


def english_left(text: str, ids: set[str]) -> list[str]:
    """ASCII words of a rendered report that are not ids, level numerals,
    finding codes or field paths (``plans[2].levels``)."""
    text = re.sub(r"<style.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>|&[a-z]+;", " ", text)
    words = []
    for token in re.findall(r"[A-Za-z_][A-Za-z0-9_.\[\]:/-]*", text):
        parts = re.split(r"[.\[\]:/]+", token)
        if re.fullmatch(r"CMD\d+", token) or "[" in token or token.count(".") >= 2:
            continue
        if "." in token and parts[0] in DISTRICT_KEYS:
            continue  # a short field path: community.handbook_hazards (CMD063)
        for part in parts:
            if part and not part.isdigit() and part not in ids and part not in ALLOWED:
                words.append(token)
                break
    return words


ISO_TIME = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?")
"""A date or date-time written the ISO way (``2024-09-19T20:00:00``,
``2024-09-19 20:00``, ``2025-01-30``): a Chinese report writes
``2024年9月19日 20:00``."""


def zh_left(text: str, ids: set[str]) -> list[str]:
    """What a Chinese report's text should not hold: English words
    (:func:`english_left`) and ISO dates."""
    return english_left(text, ids) + ISO_TIME.findall(text)


def test_zh_report_has_no_english_label(drill: Path) -> None:
    """A zh report of an exercise whose files are Chinese has no English left:
    every ASCII word in its HTML and Markdown text is an id or a numeral."""
    log = drill / "logs" / "gas.jsonl"
    report = load_source(log, facts=drill / "facts.yaml")
    ids = _ids(drill / "scenarios" / "gas.yaml")
    ids |= {"g_decision_30", "g_hq_5", "extra_1"}
    for fmt_name in ("html", "md"):
        text = render(report, fmt_name, "zh")
        assert zh_left(text, ids) == [], fmt_name
    # the facilitator's dates (the exercise's, the sign-off's) in the calendar form
    assert "2025年1月30日" in text and "2025年2月1日" in text
    assert "2025-01-30" in render(report, "md", "en")
    import io

    import docx

    from cmdsim.report.docx import to_docx

    document = docx.Document(io.BytesIO(to_docx(report, "zh")))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert zh_left("\n".join(texts), ids) == [], "docx"
    # and the scan itself catches an English label
    assert english_left("<td>Deadline compliance</td>", ids) == ["Deadline", "compliance"]


def test_per_inject_expected_action_objective_and_rating(drill: Path) -> None:
    report = load_source(drill / "logs" / "gas.jsonl", facts=drill / "facts.yaml")
    rows = {i["id"]: i for i in report["injects"]}
    smell = rows["g1_smell"]
    assert (smell["expect"], smell["objective"]) == (
        "研判并通知燃气企业和消防，确定响应级别",
        "30分钟内电话初报",
    )
    assert smell["status"] == "met" and smell["rated_by"] == "criteria"
    # Sanlin's room answers first under its town plan and hands over; the
    # district duty room's decision (the player's) follows in the evidence.
    decided = next(e for e in smell["evidence"] if e["kind"] == "decision")
    assert decided["time"] >= 5.0
    # the fire HQ's activation came, but not within 5 minutes of the explosion: partly
    assert rows["g2_explosion"]["status"] == "partly"
    assert (
        rows["g2_explosion"]["criteria"][0]["at"] > rows["g2_explosion"]["criteria"][0]["deadline"]
    )
    assert rows["g4_deaths"]["status"] == "partly"
    assert rows["g4_deaths"]["rated_by"] == "facilitator"
    view = json.loads(render(report, "json", "zh"))
    lines = view["injects"][0]["happened"]
    assert any(re.match(r"18:\d\d 区总值班室决定", line) for line in lines), lines


def test_facts_plan_and_signoff(drill: Path) -> None:
    report = load_source(drill / "logs" / "gas.jsonl", facts=drill / "facts.yaml")
    facts = report["facts"]
    assert (facts["date"], facts["place"]) == ("2025-01-30", "浦东新区应急指挥中心")
    assert [p["name"] for p in facts["participants"]] == ["李值班", "王评估"]
    assert facts["signoff"] == [{"title": "评估组长", "name": "王评估", "date": "2025-02-01"}]
    plan = {row["id"]: row for row in report["plan"]}
    edited = plan["activation:fire_hq:gas_main_rupture"]
    assert (edited["action"], edited["due"], edited["source"]) == (
        "修订火灾指挥部节假日召集名单",
        "2025-03-31",
        "edited",
    )
    assert edited["unit"]  # the HQ's lead unit from the files
    assert plan["extra_1"]["source"] == "facilitator"
    html = render(report, "html", "zh")
    for text in (
        "演练概况",
        "审核签字",
        "改进计划",
        "修订火灾指挥部节假日召集名单",
        "燃气指挥部召集偏慢",
    ):
        assert text in html


def test_facts_from_log_records_as_serve_writes_them(drill: Path, tmp_path: Path) -> None:
    log = tmp_path / "gas.jsonl"
    records = [json.loads(line) for line in (drill / "logs" / "gas.jsonl").open(encoding="utf-8")]
    first = next(r for r in records if r["type"] == "decision")
    first.update(player="李值班", rationale="多人来电，判断为管道破裂")
    log.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    with log.open("a", encoding="utf-8") as handle:
        for record in (
            {
                "type": "exercise_facts",
                "date": "2025-01-30",
                "place": "指挥中心",
                "participants": [{"name": "李值班", "role": "duty-room"}],
                "notes": ["第一条", "第二条"],
            },
            {
                "type": "improvement",
                "issue": "通讯录过期",
                "action": "每季度更新",
                "clause": "总体预案",
                "unit": "区应急管理局",
                "due": "2025-06-30",
            },
        ):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    report = load_source(log, scenario=_gas(drill))
    assert report["facts"]["place"] == "指挥中心" and report["facts"]["notes"] == "第一条\n第二条"
    # who decided and why: in the decisions and in the first inject's evidence
    view = json.loads(render(report, "json", "zh"))
    assert view["decisions"][0]["actor_name"] == "区总值班室（李值班）"
    assert view["decisions"][0]["rationale_text"] == "多人来电，判断为管道破裂"
    assert any("区总值班室（李值班）决定" in line for line in view["injects"][0]["happened"])
    own = [row for row in report["plan"] if row["source"] == "facilitator"]
    assert own == [
        {
            "id": "facilitator:1",
            "kind": "facilitator",
            "issue": "通讯录过期",
            "action": "每季度更新",
            "capability": "总体预案",
            "unit": "区应急管理局",
            "due": "2025-06-30",
            "plan": None,
            "level": None,
            "source": "facilitator",
        }
    ]


def _gas(drill: Path):  # type: ignore[no-untyped-def]
    from cmdsim.io import load_scenario

    return load_scenario(drill / "scenarios" / "gas.yaml")


def test_a_bad_facts_file_exits_2_naming_line_and_field(drill: Path, tmp_path: Path) -> None:
    bad = tmp_path / "facts.yaml"
    bad.write_text("place: 指挥中心\nparticipants:\n  - {name: 李, rank: 科长}\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["report", str(drill / "logs" / "gas.jsonl"), "--facts", str(bad)]
    )
    assert result.exit_code == 2
    assert f"{bad}:3: participants[0].rank: unknown key" in result.output


def test_docx_holds_the_json_numbers(drill: Path, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "r.docx"
    args = [
        "report",
        str(drill / "logs" / "gas.jsonl"),
        "--facts",
        str(drill / "facts.yaml"),
        "--lang",
        "zh",
    ]
    assert CliRunner().invoke(main, [*args, "-o", str(out)]).exit_code == 0
    data = json.loads(CliRunner().invoke(main, [*args, "--format", "json"]).output)
    document = docx.Document(str(out))
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    from cmdsim.report.render import fmt

    wanted = [fmt(v) for v in data["summary"].values()]
    wanted += [fmt(data["compliance"][k]) for k in ("total", "met", "missed", "rate")]
    for a in data["activations"]:
        wanted += [a["activated_clock"], a["notified_clock"], fmt(a["delay"])]
    for d in data["deadlines"]:
        wanted += [d["due_clock"], d["done_clock"], fmt(d["slack"])]
    wanted += [i["clock"] for i in data["injects"]] + [p["due_text"] for p in data["plan"]]
    missing = [w for w in wanted if w not in cells]
    assert missing == [] and len(wanted) > 30
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "情景注入与评估" in headings and "改进计划" in headings


def test_figures_count_from_a_stated_origin_never_negative(tmp_path: Path) -> None:
    from cmdsim.io import load_scenario
    from cmdsim.report.sources import from_result
    from cmdsim.sim import simulate

    scenario = load_scenario(ROOT / "scenarios" / "flood-typhoon.yaml")
    report = from_result(simulate(scenario, 7), scenario=scenario)
    # the flood HQ's rows (the towns' own commands have rows of their own)
    acts = {a["incident"]: a for a in report["activations"] if a["command"] == "flood_typhoon_hq"}
    tide = acts["high_tide_overtopping"]
    # warned 390 min before its 04:30 onset: counted from the 22:00 warning
    assert (tide["basis"], tide["origin"]) == ("warning", 120.0)
    assert (
        tide["delay"] == pytest.approx(tide["activated"] - 120.0, abs=0.11) and tide["delay"] >= 0
    )
    assert acts["garage_flooding"]["basis"] == "onset"
    assert all(a["delay"] is None or a["delay"] >= 0 for a in report["activations"])
    assert all(v >= 0 for k, v in report["summary"].items() if k != "events" and v is not None)
    view = json.loads(render(report, "json", "zh"))
    row = next(a for a in view["activations"] if a["incident"] == "high_tide_overtopping")
    assert row["origin_text"] == "首次预警 22:00"
    # the night runs past midnight: a time on the next day carries its date
    bar = next(b for b in view["timeline"]["bars"] if b["lane"] == "incident:high_tide_overtopping")
    assert (bar["start_clock"], bar["end_clock"]) == ("9月20日 04:30", "9月20日 08:00")
    # the header's start in the same calendar form, not an ISO stamp
    assert view["start_text"] == "2024年9月19日 20:00"
    assert json.loads(render(report, "json", "en"))["start_text"] == "2024-09-19 20:00"
    signals = {m["label"] for m in view["timeline"]["markers"] if m["kind"] == "signal"}
    assert signals == {"蓝色预警", "黄色预警", "橙色预警"}
    assert row["command_name"] == "区防汛防台指挥部" and row["incident_name"] == "天文大潮漫堤"


def test_a_run_directory_finds_its_scenario_from_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "scenarios", project / "scenarios")
    monkeypatch.chdir(project)
    made = CliRunner().invoke(
        main, ["run", "scenarios/gas.yaml", "--seed", "3", "--out", "runs/gas"]
    )
    assert made.exit_code == 0, made.output
    about = json.loads((project / "runs" / "gas" / "run.json").read_text(encoding="utf-8"))
    assert (
        about["scenario_relative"] == "../../scenarios/gas.yaml"
        and len(about["scenario_digest"]) == 64
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(main, ["report", str(project / "runs" / "gas"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["coverage"] is not None and data["activations"] and data["compliance"]["total"] > 0
    # the scenario changed since: a clear message, exit 2, never a silent report
    path = project / "scenarios" / "gas.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("horizon: 2160", "horizon: 2150"), encoding="utf-8"
    )
    changed = CliRunner().invoke(main, ["report", str(project / "runs" / "gas")])
    assert changed.exit_code == 2
    assert "changed since" in changed.output and "--scenario FILE" in changed.output


def test_an_exercise_log_finds_its_scenario_or_says_so(
    drill: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # The log sits below the scenarios' folder: found by its digest.
    found = CliRunner().invoke(
        main, ["report", str(drill / "logs" / "gas.jsonl"), "--format", "json"]
    )
    assert found.exit_code == 0, found.output
    data = json.loads(found.output)
    assert data["activations"] and data["compliance"]["total"] > 0
    lone = tmp_path / "gas.jsonl"
    shutil.copy(drill / "logs" / "gas.jsonl", lone)
    result = CliRunner().invoke(main, ["report", str(lone)])
    assert result.exit_code == 2
    assert "was not found" in result.output and "--scenario FILE" in result.output
    other = CliRunner().invoke(
        main, ["report", str(lone), "--scenario", str(ROOT / "scenarios" / "traffic.yaml")]
    )
    assert other.exit_code == 2 and "is not the one it was made from" in other.output


def test_a_drill_log_records_the_scenario_from_its_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scenario sits where no search would look (``plans/``): the log's
    ``scenario_relative`` is what finds it from another directory."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "scenarios", project / "plans")
    monkeypatch.chdir(project)
    args = ["drill", "plans/gas.yaml", "--msel", "plans/msel/gas.yaml", "--play", "duty-room"]
    args += ["--script", "plans/msel/gas-script.yaml", "--log", "logs/gas.jsonl"]
    made = CliRunner().invoke(main, args)
    assert made.exit_code == 0, made.output
    head = json.loads((project / "logs" / "gas.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert head["scenario_relative"] == "../plans/gas.yaml"
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["report", str(project / "logs" / "gas.jsonl"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["coverage"] is not None and data["compliance"]["total"] > 0
    assert all(a["command"] != "gas_hq" or a["activated"] is not None for a in data["activations"])


def test_a_batch_directory_finds_its_scenario_by_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "scenarios", project / "scenarios")
    monkeypatch.chdir(project)
    made = CliRunner().invoke(
        main, ["batch", "scenarios/gas.yaml", "-n", "4", "--out", "batches/gas", "--no-progress"]
    )
    assert made.exit_code == 0, made.output
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    found = CliRunner().invoke(
        main, ["report", str(project / "batches" / "gas"), "--format", "json"]
    )
    assert found.exit_code == 0, found.output
    data = json.loads(found.output)
    assert data["distributions"][0]["group"]["hazard"] == "gas"
    assert data["timeline"]["bars"] and data["summary"]["first_activation"] is not None
    moved = tmp_path / "moved"
    shutil.copytree(project / "batches" / "gas", moved)
    lost = CliRunner().invoke(main, ["report", str(moved)])
    assert lost.exit_code == 2
    # The manifest's path (relative to the batch) is tried, then the files near it.
    assert "was not found" in lost.output and "the scenario files near it" in lost.output
    assert "--scenario FILE" in lost.output


def test_every_check_code_has_a_chinese_title() -> None:
    """A zh report names each finding in Chinese: a new check code without
    its ``finding.<code>`` label left its English title in the report."""
    from cmdsim.check.findings import KINDS
    from cmdsim.report.labels_zh import ZH

    missing = [code for code in KINDS if f"finding.{code}" not in ZH]
    assert missing == []
