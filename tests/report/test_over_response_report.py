"""Over-response in the after-action report, beside under-response."""

from __future__ import annotations

from pathlib import Path

import attrs

from cmdsim.model import Inject, Level
from cmdsim.report import load_source
from cmdsim.report.localize import localize
from cmdsim.sim import simulate
from tests.report.run_dirs import run_dir
from tests.sim.test_sites import one_crash


def _run_dir(tmp_path: Path) -> Path:
    # The inject says level II at 65 with nothing known; II is put in force
    # at 78 where the road plan's triggers give IV (tests/sim/test_sites.py).
    sc = attrs.evolve(
        one_crash(), injects=(Inject(id="call", at=65.0, hazard="road", level=Level.II),)
    )
    return run_dir(tmp_path, simulate(sc, 0), "site")


def test_an_over_response_is_an_improvement_with_its_plan(tmp_path: Path) -> None:
    report = load_source(_run_dir(tmp_path))
    over = [i for i in report["improvements"] if i["kind"] == "over_response"]
    assert [(i["incident"], i["time"], i["level"], i["warranted"], i["plan"]) for i in over] == [
        ("crash", 78.0, "II", "IV", "road_plan")
    ]
    en = next(i for i in localize(report, "en")["improvements"] if i["id"] == over[0]["id"])
    assert "put at level II" in en["what"]
    assert "above level IV, which the plan's triggers gave for what was known" in en["why"]
    zh = next(i for i in localize(report, "zh")["improvements"] if i["id"] == over[0]["id"])
    assert "高于按已知情况预案启动条件对应的IV级" in zh["why"]
    row = next(r for r in report["plan"] if r["id"] == over[0]["id"])
    assert (row["plan"], row["level"], row["unit"]) == ("road_plan", "II", "district_duty_room")


def test_no_over_response_no_item(tmp_path: Path) -> None:
    report = load_source(run_dir(tmp_path, simulate(one_crash(), 0), "site", seed=None))
    assert not [i for i in report["improvements"] if i["kind"] == "over_response"]


def test_the_rendered_report_says_it(tmp_path: Path) -> None:
    from cmdsim.report import render

    report = load_source(_run_dir(tmp_path))
    assert "above level IV, which the plan's triggers gave" in render(report, "md", "en")
    assert "高于按已知情况预案启动条件对应的IV级" in render(report, "html", "zh")
