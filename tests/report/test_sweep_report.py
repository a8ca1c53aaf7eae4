"""Reports of what-if comparisons: a sweep (a forest of differences) and a
sensitivity ranking (a tornado), from the files ``cmdsim sweep --out`` writes."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.analysis.sensitivity import sensitivity
from cmdsim.analysis.sweep import Variation, sweep
from cmdsim.cli import main
from cmdsim.io import load_scenario
from cmdsim.model import Scenario
from cmdsim.report import load_source, render

ROOT = Path(__file__).resolve().parents[2]


@functools.cache
def _gas() -> Scenario:
    return load_scenario(ROOT / "scenarios" / "gas.yaml")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict, dict]:  # type: ignore[type-arg]
    where = tmp_path_factory.mktemp("sweeps")
    swept = sweep(_gas(), [Variation.parse("duty_room.approval.median=5,20")], n=12).to_dict()
    ranked = sensitivity(_gas(), n=12, only=("duty_room",)).to_dict()
    (where / "sweep").mkdir()
    (where / "sensitivity").mkdir()
    (where / "sweep" / "sweep.json").write_text(json.dumps(swept), encoding="utf-8")
    (where / "sensitivity" / "sensitivity.json").write_text(json.dumps(ranked), encoding="utf-8")
    return where / "sweep", where / "sensitivity" / "sensitivity.json", swept, ranked


def _r1(x: float | None) -> float | None:
    return None if x is None else round(x, 1) + 0.0


def test_a_sweep_report_has_each_variants_difference(results: tuple) -> None:  # type: ignore[type-arg]
    sweep_dir, _, swept, _ = results
    report = load_source(sweep_dir)
    comp = report["comparison"]
    assert (report["kind"], comp["mode"], comp["metric"]) == ("sweep", "sweep", swept["metric"])
    assert report["summary"]["base_mean"] == _r1(swept["base"]["mean"])
    assert [r["label"] for r in comp["rows"]] == [v["label"] for v in swept["variants"]]
    for row, variant in zip(comp["rows"], swept["variants"], strict=True):
        assert row["diff"] == _r1(variant["diff"])
        assert (row["low"], row["high"]) == tuple(_r1(x) for x in variant["diff_ci95"])
    # A slower approval makes the lead HQ later, a faster one earlier.
    assert comp["rows"][0]["diff"] < 0 < comp["rows"][1]["diff"]
    html = render(report, "html")
    chart = re.search(r'<svg id="comparison-chart".*?</svg>', html, re.S)
    assert chart is not None
    assert chart.group(0).count('class="diff"') == len(comp["rows"])
    assert chart.group(0).count('data-side="ci"') == len(comp["rows"])


def test_a_sensitivity_report_is_a_tornado(results: tuple) -> None:  # type: ignore[type-arg]
    _, ranked_file, _, ranked = results
    report = load_source(ranked_file)
    comp = report["comparison"]
    assert comp["mode"] == "sensitivity"
    assert [r["label"] for r in comp["rows"]] == [r["parameter"] for r in ranked["ranking"]]
    swings = [r["swing"] for r in comp["rows"]]
    assert swings == sorted(swings, reverse=True)
    sides = sum((r["low"] is not None) + (r["high"] is not None) for r in comp["rows"])
    html = render(report, "html", "zh")
    assert "假设分析对比" in html
    chart = re.search(r'<svg id="comparison-chart".*?</svg>', html, re.S)
    assert chart is not None
    assert chart.group(0).count('class="segment"') == sides


@pytest.mark.parametrize("which", [0, 1])
def test_numbers_shown_are_the_jsons(results: tuple, which: int) -> None:  # type: ignore[type-arg]
    report = load_source(results[which])
    html = render(report, "html")
    data = json.loads(render(report, "json"))
    shown = re.findall(r'data-key="(comparison[^"]+)">([^<]*)<', html)
    assert len(shown) >= 3 * len(data["comparison"]["rows"])
    for key, text in shown:
        node: object = data
        for part in key.split("."):
            node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
        assert text == ("–" if node is None else str(node)), key
    md = render(report, "md")
    assert "## What-if comparison" in md
    first = data["comparison"]["rows"][0]["label"]
    assert f"| {first} |" in md
    assert any(
        line.startswith("comparison,rows.0.label,") for line in render(report, "csv").splitlines()
    )


def test_a_broken_sweep_file_exits_2_naming_file_and_field(tmp_path: Path, results: tuple) -> None:  # type: ignore[type-arg]
    swept = dict(results[2])
    del swept["variants"]
    bad = tmp_path / "sweep.json"
    bad.write_text(json.dumps(swept), encoding="utf-8")
    done = CliRunner().invoke(main, ["report", str(bad), "--format", "md"])
    assert done.exit_code == 2
    assert str(bad) in done.output and "variants" in done.output
    assert "Traceback" not in done.output
    row = dict(results[2]["variants"][0])
    del row["diff"]
    bad.write_text(json.dumps({**results[2], "variants": [row]}), encoding="utf-8")
    done = CliRunner().invoke(main, ["report", str(bad), "--format", "md"])
    assert done.exit_code == 2 and "variants[0].diff: missing" in done.output


def test_cmdsim_sweep_out_then_report(tmp_path: Path) -> None:
    gas = str(ROOT / "scenarios" / "gas.yaml")
    out = tmp_path / "what-if"
    done = CliRunner().invoke(
        main,
        [
            "sweep",
            gas,
            "--vary",
            "duty_room.approval.median=5",
            "-n",
            "6",
            "--no-progress",
            "--out",
            str(out),
        ],
    )
    assert done.exit_code == 0, done.output
    page = tmp_path / "what-if.html"
    made = CliRunner().invoke(main, ["report", str(out), "-o", str(page)])
    assert made.exit_code == 0, made.output
    assert 'id="comparison-chart"' in page.read_text(encoding="utf-8")
