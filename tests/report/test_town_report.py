"""A drill under a town plan in the after-action report: the town room's levels
on a lane of their own, and the coverage matrix limited to the drill's towns."""

from __future__ import annotations

from pathlib import Path

from cmdsim.io import load_scenario
from cmdsim.report import load_source
from cmdsim.report.localize import localize
from cmdsim.sim import simulate
from tests.report.run_dirs import run_dir

ROOT = Path(__file__).resolve().parents[2]


def _gas_run(tmp_path: Path) -> Path:
    result = simulate(load_scenario(ROOT / "scenarios" / "gas.yaml"), 0)
    return run_dir(tmp_path, result, "gas")


def test_the_town_rooms_levels_have_their_own_lane(tmp_path: Path) -> None:
    """Sanlin's room puts its plan's IV in force after the district decided
    III: on one lane that read as III → IV → II."""
    report = load_source(_gas_run(tmp_path), scenario=ROOT / "scenarios" / "gas.yaml")
    bars = report["timeline"]["bars"]
    district = [b["level"] for b in bars if b["lane"] == "level:gas_main_rupture"]
    town = [b["level"] for b in bars if b["lane"] == "town-level:gas_main_rupture"]
    assert town == ["IV"]
    # The district's own levels only ever rise in this drill.
    ranks = {"IV": 4, "III": 3, "II": 2, "I": 1}
    assert district and [ranks[lv] for lv in district] == sorted(
        (ranks[lv] for lv in district), reverse=True
    )
    zh = localize(report, "zh")
    labels = {lane["id"]: lane["label"] for lane in zh["timeline"]["lanes"]}
    assert labels["town-level:gas_main_rupture"].endswith("· 街镇级别")
    assert labels["level:gas_main_rupture"].endswith("· 级别")


def test_the_coverage_matrix_keeps_the_drills_towns_only(tmp_path: Path) -> None:
    report = load_source(_gas_run(tmp_path), scenario=ROOT / "scenarios" / "gas.yaml")
    coverage = report["coverage"]
    towns = {k["tier"] for k in coverage["keys"] if k["tier"] != "district"}
    assert towns == {"town:sanlin_town"}
    district_rows = [k for k in coverage["keys"] if k["tier"] == "district"]
    assert len(district_rows) == 25  # every specialised plan's hazard of the district
    assert coverage["omitted_towns"] == 35
    from cmdsim.report.render import render

    assert "其他35个街镇的预案未列出" in render(report, "md", "zh")
    assert "The plans of 35 other towns" in render(report, "html", "en")
