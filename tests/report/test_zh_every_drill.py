"""Every bundled drill's after-action report in Chinese, read for English
left behind: from the drill's exercise log (its MSEL and script) and from a
small batch of its scenario, in HTML, Markdown and Word.

The bundled MSELs are written in English (the text a facilitator types:
messages, expected actions, objectives, criteria): that text is shown as
written, so the scan takes it out first and looks only at what the report
itself says. Every other ASCII word must be an id, a level numeral, a
finding code or a field path (``tests.report.test_bureau.english_left``).
"""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.report import load_source, render
from tests.report.test_bureau import _ids, english_left, zh_left

ROOT = Path(__file__).resolve().parents[2]
FAMILIES = ("gas", "traffic", "flood-typhoon", "compound-typhoon", "typhoon-landfall")
PLAY = {
    "compound-typhoon": ["duty-room", "general-hq", "lead-hq"],
    "typhoon-landfall": ["duty-room", "general-hq"],
}
ROAD_CODES = {"S1", "S20"}
"""Expressway numbers are part of a road's Chinese name (S20外环高速), as on
the road signs: allowed beside the ids, level numerals and finding codes."""


def _user_text(log: Path | None, scenario: Path) -> tuple[list[str], set[str]]:
    """The strings a facilitator wrote (the MSEL's injects and criteria as the
    log's header keeps them, the script's injects as logged, the scenario's
    own injects), longest first so that a phrase is taken out before a
    shorter one inside it; and the ids of those injects and criteria."""
    found: list[str] = []
    ids: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            if isinstance(node.get("id"), str):
                ids.add(node["id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    if log is not None:
        for line in log.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if "msel" in record:
                walk(record["msel"])
            elif record.get("type") == "inject":
                walk(record.get("inject"))
    walk(yaml.safe_load(scenario.read_text(encoding="utf-8")).get("injects") or [])
    phrases = sorted({s for s in found if re.search("[A-Za-z]{2}", s)}, key=len, reverse=True)
    return phrases, ids


def _without(text: str, phrases: list[str]) -> str:
    # Templates escape quotes their own way (&#39;, &#x27;): compare unescaped.
    text = html.unescape(text)
    for phrase in phrases:
        text = text.replace(phrase, " ")
    return text


def _docx_text(report: dict[str, Any]) -> str:
    import docx

    from cmdsim.report.docx import to_docx

    document = docx.Document(io.BytesIO(to_docx(report, "zh")))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(texts)


def _left(text: str, ids: set[str]) -> list[str]:
    return zh_left(text, ids)


def _scan(report: dict[str, Any], ids: set[str], user: list[str]) -> dict[str, list[str]]:
    left = {fmt: _left(_without(render(report, fmt, "zh"), user), ids) for fmt in ("html", "md")}
    left["docx"] = _left(_without(_docx_text(report), user), ids)
    return {fmt: words for fmt, words in left.items() if words}


@pytest.mark.parametrize("family", FAMILIES)
def test_drill_log_report_in_chinese_has_no_english(family: str, tmp_path: Path) -> None:
    from cmdsim.exercise.run import scripted_exercise

    msel = ROOT / "scenarios" / "msel" / f"{family}.yaml"
    exercise = scripted_exercise(
        ROOT / "scenarios" / f"{family}.yaml",
        msel,
        PLAY.get(family, ["duty-room"]),
        ROOT / "scenarios" / "msel" / f"{family}-script.yaml",
        1,
    )
    log = tmp_path / f"{family}.jsonl"
    log.write_text(exercise.log_text(), encoding="utf-8")
    report = load_source(log)
    user, inject_ids = _user_text(log, ROOT / "scenarios" / f"{family}.yaml")
    ids = _ids(ROOT / "scenarios" / f"{family}.yaml") | inject_ids | ROAD_CODES
    assert _scan(report, ids, user) == {}


@pytest.mark.parametrize("family", FAMILIES)
def test_batch_report_in_chinese_has_no_english(family: str, tmp_path: Path) -> None:
    out = tmp_path / "batch"
    runner = CliRunner()
    scenario = str(ROOT / "scenarios" / f"{family}.yaml")
    args = ["batch", scenario, "-n", "3", "--no-progress", "--out", str(out)]
    ran = runner.invoke(main, args)
    assert ran.exit_code == 0, ran.output
    report = load_source(out)
    user, inject_ids = _user_text(None, ROOT / "scenarios" / f"{family}.yaml")
    ids = _ids(ROOT / "scenarios" / f"{family}.yaml") | inject_ids | ROAD_CODES
    assert _scan(report, ids, user) == {}
    # the distributions' first column says what its rows are
    assert "| 指标 | 样本数 | 均值 | 中位数 |" in render(report, "md", "zh")


def test_the_scan_sees_english_outside_the_msel_text() -> None:
    """Taking the MSEL's text out leaves an English label around it visible."""
    user = ["Strong smell of gas"]
    text = "<td>Strong smell of gas</td><td>Deadline met</td>"
    assert english_left(_without(text, user), set()) == ["Deadline", "met"]


def test_the_scan_sees_an_iso_time() -> None:
    """A start time left as ``2024-09-19 20:00`` (or with its ``T``) fails the
    scan; the Chinese calendar form passes it."""
    assert _left("开始时间: 2024-09-19 20:00", set()) == ["2024-09-19 20:00"]
    assert _left("开始时间: 2024-09-19T20:00:00", set()) != []
    assert _left("开始时间: 2024年9月19日 20:00", set()) == []


def test_timeline_says_what_each_decision_was(tmp_path: Path) -> None:
    """A decision on the timeline reads as the decisions table does (who,
    which incident, which level, which HQs), not as a bare "决策"."""
    from cmdsim.exercise.run import scripted_exercise

    exercise = scripted_exercise(
        ROOT / "scenarios" / "gas.yaml",
        ROOT / "scenarios" / "msel" / "gas.yaml",
        ["duty-room"],
        ROOT / "scenarios" / "msel" / "gas-script.yaml",
        1,
    )
    log = tmp_path / "gas.jsonl"
    log.write_text(exercise.log_text(), encoding="utf-8")
    view = json.loads(render(load_source(log), "json", "zh"))
    decided = [m["label"] for m in view["timeline"]["markers"] if m["kind"] == "decision"]
    assert decided == [
        "区总值班室决定：三林镇中压燃气管道破裂 · III级 · 启动区燃气事故应急处置指挥部",
        "区总值班室决定：三林镇中压燃气管道破裂 · II级 · "
        "启动区燃气事故应急处置指挥部、区火灾事故应急处置指挥部",
        "区总值班室决定：三林镇中压燃气管道破裂 · I级 · "
        "启动区燃气事故应急处置指挥部、区火灾事故应急处置指挥部、区应急总指挥部",
    ]
    english = json.loads(render(load_source(log), "json", "en"))
    first = next(m for m in english["timeline"]["markers"] if m["kind"] == "decision")
    assert first["label"].startswith("区总值班室 decides ") and "level III" in first["label"]
    # the coverage matrix's columns are levels, said as levels
    assert view["coverage"]["column_names"] == ["I级", "II级", "III级", "IV级"]
    text = render(load_source(log), "md", "zh")
    assert "| 预案／响应级别 | I级 | II级 | III级 | IV级 |" in text
    # a table's header says what its columns hold, none left blank
    assert "| 指标 | 数值 |" in text and "| 数值 |  |" not in text
    assert "| 时间 | 主体 | 事项 | 距上一步（分钟） |" in text  # an improvement's path
    # a decision on that path says what was decided, as in English, not a bare 决策
    # 20.54 min (18:20:32) reads 18:20, as the console and `cmdsim run` write it (was rounded)
    assert "| 18:20 | 区总值班室 | 决策：III级 · 启动区燃气事故应急处置指挥部 | 0.0 |" in text
    assert "| 决策 |" not in text.split("## 改进事项")[1].split("## 改进计划")[0]
    english_md = render(load_source(log), "md", "en")
    assert "| 区总值班室 | decision: level III · activate 区燃气事故应急处置指挥部 |" in english_md
    assert "开始时间: 2025年1月29日 18:00" in text.splitlines()[2]
    assert "| 时限总数 | 达标 | 未达标 | 达标率（%） |" in text
    # a finding says which plan it is in, not only its title (26 alike rows)
    found = next(f for f in view["findings"] if f["path"].startswith("plans[2]."))
    assert found["text"] == f"{found['title_name']}（浦东新区燃气事故专项应急预案）"
    # the district accepts those 26 (its accept list): each is marked, in either language
    assert found["severity_name"] == "警告（已接受）"
    assert "| 警告（已接受） | CMD042 |" in text
    assert (
        "| warning (accepted) | CMD042 | plans[0].reports[1].limits[0].within: report "
        "'written_report' of plan 'general_plan'" in english_md
    )
    assert "— accepted: The 30-min written limit at II and above is sourced" in english_md


def test_a_town_deadline_is_its_own_towns_clause() -> None:
    """Every town's plan sets the same task and report ids: the improvement
    plan names the plan and unit of the incident's town (三林镇), not of the
    first town in the district's files (潍坊新村街道)."""
    from cmdsim.io import load_scenario
    from cmdsim.report.context import clause, context_of
    from cmdsim.report.improvements import improvement_plan

    scenario = load_scenario(ROOT / "scenarios" / "gas.yaml")
    context = context_of(scenario)
    found = clause(context["clauses"], "deadline", "town_phone_report", "gas", "sanlin_town")
    assert (found["plan"].startswith("sanlin_town"), found["unit"]) == (
        True,
        "sanlin_town_duty_room",
    )
    item = {
        "id": "deadline:gas_main_rupture.town_phone_report",
        "kind": "deadline_rate",
        "incident": "gas_main_rupture",
        "deadline": "gas_main_rupture.town_phone_report",
    }
    (row,) = improvement_plan([item], context, [])
    assert row["unit"] == "sanlin_town_duty_room" and row["plan"] == found["plan"]
