"""A matrix cell whose governing plan sets out no response at the level or below.

The engine still decides such an incident by that plan and calls its lead
out (with nothing else), so the report names the lead, as ``cmdsim check``
does (``gas_hq: no response``), and keeps the dash for a level no plan
governs at all.  A level the plan does not write above a written one has
that level's response (a level includes the lower ones'): the lead, as at
any level.
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
hazards: [{id: gas, name: 燃气事故}, {id: flood, name: 防汛防台}]
commands:
  - {id: general_hq, name: 总指挥部, general: true, lead_unit: police}
  - {id: gas_hq, name: 燃气指挥部, lead_unit: gas_company, member_units: [police]}
towns: [{id: b_town, kind: town, officers: 1}]
officers: {district: 2}
channels: [{id: hotline_12345, name: "12345", kind: hotline}]
plans:
  - id: gas_plan
    hazards: [gas]
    lead: gas_hq
    triggers:
      - {level: IV, any_of: ["households >= 100"]}
      - {level: II, any_of: ["deaths >= 10"]}
    levels:
      III: {activate: [gas_hq]}
      I: {activate: [general_hq]}
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


@pytest.fixture
def report(tmp_path: Path) -> dict[str, object]:
    (tmp_path / "district.yaml").write_text(DISTRICT, encoding="utf-8")
    (tmp_path / "scenario.yaml").write_text(SCENARIO, encoding="utf-8")
    scenario = load_scenario(tmp_path / "scenario.yaml")
    return load_source(run_dir(tmp_path, simulate(scenario, 0), "night_leak"), scenario=scenario)


def _row(page: str, head: str) -> list[str]:
    """The cells of the HTML table row headed ``head``."""
    found = re.search(rf"<tr><th>{re.escape(head)}</th>(.*?)</tr>", page)
    assert found, f"no row {head!r}"
    return [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", found[1])]


def test_the_data_keeps_the_lead_of_a_plan_with_no_response(report: dict[str, object]) -> None:
    coverage = report["coverage"]
    assert isinstance(coverage, dict)
    gas = coverage["rows"].index("gas")
    # Columns I, II, III, IV: gas_plan has nothing at IV, and at II III's
    # response; no plan governs flood.
    assert coverage["cells"][gas] == ["gas_hq", "gas_hq", "gas_hq", "gas_hq: no response"]
    assert coverage["no_response"][gas] == [None, None, None, "gas_hq"]
    flood = coverage["rows"].index("flood")
    assert coverage["cells"][flood] == ["—"] * 4
    assert coverage["no_response"][flood] == [None] * 4


def test_the_english_report_says_no_response(report: dict[str, object]) -> None:
    page = render(report, "html", "en")
    # The files give only Chinese names, which the English report shows too.
    lead = "燃气指挥部"
    assert _row(page, "燃气事故") == [lead, lead, lead, f"{lead}: no response"]
    assert _row(page, "防汛防台") == ["—"] * 4


def test_the_chinese_report_says_no_response(report: dict[str, object]) -> None:
    page = render(report, "html", "zh")
    assert _row(page, "燃气事故") == [
        "燃气指挥部",
        "燃气指挥部",
        "燃气指挥部",
        "燃气指挥部：无响应",
    ]
    assert _row(page, "防汛防台") == ["—"] * 4
    assert "燃气指挥部：无响应" in render(report, "md", "zh")
