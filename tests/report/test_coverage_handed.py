"""A town cell where the town room hands the case over below its plan's top.

The engine hands a town case to the district plan at a level the town plan
covers where the town plan's triggers set no level and the district plan's
set one (``model.governing.outgrown``); the report's coverage table names
that lead after the town's, as ``cmdsim check`` does (``t_hq (↑gas_hq)``).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from cmdsim.io import load_scenario
from cmdsim.report import load_source, render
from cmdsim.sim import simulate
from tests.report.run_dirs import run_dir

DISTRICT = """\
id: demo
units: [{id: police}, {id: gas_company}]
hazards: [{id: gas, name: 燃气事故}]
commands:
  - {id: gas_hq, name: 燃气指挥部, lead_unit: gas_company}
  - {id: b_hq, name: 乙镇指挥部, lead_unit: police}
towns:
  - id: b_town
    name: 乙镇
    kind: town
    officers: 1
    duty_room: {id: b_room, triage: 4}
officers: {district: 2}
channels: [{id: hotline_12345, name: "12345", kind: hotline}]
plans:
  - id: gas_plan
    hazards: [gas]
    lead: gas_hq
    triggers:
      - {level: IV, any_of: ["deaths >= 1", "households >= 100"]}
      - {level: III, any_of: ["deaths >= 3"]}
    levels:
      IV: {activate: [gas_hq]}
  - id: b_gas_plan
    tier: town
    town: b_town
    hazards: [gas]
    lead: b_hq
    triggers: [{level: IV, any_of: ["deaths >= 1"]}]
    levels:
      IV: {activate: [b_hq]}
"""

SCENARIO = """\
id: night_leak
district: {include: district.yaml}
start: 2024-09-14T22:00:00
incidents:
  - id: leak
    hazard: gas
    town: b_town
    onset: 2024-09-14T22:30:00
    timeline: [{at: 0, households: 300}]
"""


def _handed_over(tmp_path: Path, district: str, scenario_text: str) -> dict[str, object]:
    """The report of a run of ``scenario_text`` on ``district`` whose town
    case the district's gas plan takes over at IV."""
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "district.yaml").write_text(district, encoding="utf-8")
    (tmp_path / "scenario.yaml").write_text(scenario_text, encoding="utf-8")
    scenario = load_scenario(tmp_path / "scenario.yaml")
    run = simulate(scenario, 0)
    record = run.record.incidents["leak"]
    assert (record.town_plan, record.plan, record.level) == ("b_gas_plan", "gas_plan", "IV")
    assert record.handed_over is not None
    return load_source(run_dir(tmp_path, run, "night_leak"), scenario=scenario)


@pytest.fixture
def report(tmp_path: Path) -> dict[str, object]:
    # The run hands the case over at IV: 300 households set no level of the town plan.
    return _handed_over(tmp_path, DISTRICT, SCENARIO)


def _row(page: str, head: str) -> list[str]:
    found = re.search(rf"<tr><th>{re.escape(head)}</th>(.*?)</tr>", page)
    assert found, f"no row {head!r}"
    return [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", found[1])]


def test_the_data_names_the_plan_a_town_case_goes_to(report: dict[str, object]) -> None:
    coverage = report["coverage"]
    assert isinstance(coverage, dict)
    town = coverage["rows"].index("town:b_town · gas")
    # Columns I, II, III, IV: above IV the district plan governs outright.
    assert coverage["cells"][town] == ["gas_hq", "gas_hq", "gas_hq", "b_hq (↑gas_hq)"]
    assert coverage["handed"][town] == [None, None, None, "gas_hq"]
    district = coverage["rows"].index("gas")
    assert coverage["handed"][district] == [None] * 4


def test_the_reports_say_it_in_both_languages(report: dict[str, object]) -> None:
    en = render(report, "html", "en")
    assert _row(en, "乙镇 · 燃气事故")[3] == "乙镇指挥部 (↑燃气指挥部)"
    zh = render(report, "html", "zh")
    assert _row(zh, "乙镇 · 燃气事故")[3] == "乙镇指挥部（移交燃气指挥部）"


def test_a_town_case_a_district_link_takes_on_a_signal_is_named_so(tmp_path: Path) -> None:
    # The district plan links blue to IV: a signal alone makes the district
    # room take the town's case at IV (sim/handover.claim).
    linked = DISTRICT.replace(
        "    levels:\n      IV: {activate: [gas_hq]}\n  - id: b_gas_plan",
        "    warnings: {levels: {blue: IV}, confirm: 2}\n"
        "    levels:\n      IV: {activate: [gas_hq]}\n  - id: b_gas_plan",
    )
    assert linked != DISTRICT
    signal = SCENARIO.replace("{at: 0, households: 300}", "{at: 0, signal: blue}")
    report = _handed_over(tmp_path / "both", linked, signal)
    coverage = report["coverage"]
    assert isinstance(coverage, dict)
    town = coverage["rows"].index("town:b_town · gas")
    # Both ways at IV: 100 households set IV by the district plan alone too.
    assert coverage["cells"][town][3] == "b_hq (↑gas_hq, also on a signal)"
    assert coverage["linked"][town] == [None, None, None, "gas_hq"]
    en = render(report, "html", "en")
    assert _row(en, "乙镇 · 燃气事故")[3] == "乙镇指挥部 (↑燃气指挥部, also on a signal)"
    zh = render(report, "html", "zh")
    assert _row(zh, "乙镇 · 燃气事故")[3] == "乙镇指挥部（移交燃气指挥部，预警时亦然）"
    # Without the households trigger, the signal is the one way up at IV.
    alone = linked.replace(', "households >= 100"', "")
    report = _handed_over(tmp_path / "alone", alone, signal)
    zh = render(report, "html", "zh")
    assert _row(zh, "乙镇 · 燃气事故")[3] == "乙镇指挥部（预警移交燃气指挥部）"
    en = render(report, "html", "en")
    assert _row(en, "乙镇 · 燃气事故")[3] == "乙镇指挥部 (↑燃气指挥部 on a signal)"
