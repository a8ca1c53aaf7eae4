"""What-if sweeps and sensitivity: paths, values, common random numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from analysis_fakes import fake_run, small_scenario
from click.testing import CliRunner

from cmdsim import bundled
from cmdsim.analysis.paths import get_path, set_path
from cmdsim.analysis.sensitivity import default_scope, parameters, sensitivity
from cmdsim.analysis.sweep import Variation, sweep
from cmdsim.cli import main
from cmdsim.errors import CmdsimError
from cmdsim.io import dump, load_scenario
from cmdsim.model import Exponential, LogNormal

METRIC = "incident.leak.hq.gas_hq.activated"


def test_paths_reach_fields_items_and_leaves() -> None:
    s = small_scenario()
    assert get_path(s, "district.duty_room.staffing.night") == 1
    assert get_path(s, "duty_room.staffing.night") == 1  # short form
    assert get_path(s, "district.commands[gas_hq].callout.median") == 25.0
    assert get_path(s, "scenario.horizon") == s.horizon
    changed = set_path(s, "district.commands[gas_hq].callout.median", 10)
    assert changed.district.command("gas_hq").callout == LogNormal(median=10.0, sigma=0.5)
    assert changed.district.command("general_hq") == s.district.command("general_hq")
    other = set_path(s, "duty_room.triage", {"kind": "exponential", "mean": 2})
    assert other.district.duty_room.triage == Exponential(mean=2.0)
    assert set_path(s, "duty_room.staffing.night", 3).district.duty_room.staffing.night == 3


def test_a_list_without_ids_is_reached_by_position() -> None:
    """A level's call-ins (加强值班) have no ids: ``reinforce[0]`` is the first."""
    s = load_scenario(bundled.path("flood-typhoon.yaml"))
    path = "plans[flood_typhoon_plan].levels[III].reinforce[0].officers"
    assert get_path(s, path) == 2
    changed = set_path(s, path, 3)
    assert get_path(changed, path) == 3
    assert get_path(changed, "plans[flood_typhoon_plan].levels[IV].reinforce[0].officers") == 1
    with pytest.raises(CmdsimError, match=r"reinforce has 1 items, no \[1\]"):
        get_path(s, "plans[flood_typhoon_plan].levels[III].reinforce[1].officers")
    with pytest.raises(CmdsimError, match="must be at least 1"):
        set_path(s, path, 0)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("district.duty_room.stafing.night", 2, "did you mean 'staffing'"),
        ("district.commands[gas].callout.median", 2, "did you mean 'gas_hq'"),
        ("district.duty_room.staffing.night", -1, "negative"),
        ("district.duty_room.staffing.night", "many", "whole number"),
        ("district.commands[gas_hq].callout.median", 0, "median"),
        ("district.commands[gas_hq].lead_unit", "nobody", "unknown unit 'nobody'"),
    ],
)
def test_bad_paths_and_values_are_clear_errors(path: str, value: object, message: str) -> None:
    with pytest.raises(CmdsimError, match=message):
        set_path(small_scenario(), path, value)


def test_vary_parses_yaml_values() -> None:
    v = Variation.parse("duty_room.staffing.night=1,2,3")
    assert v.values == (1, 2, 3)
    v = Variation.parse("duty_room.triage={kind: fixed, minutes: 3},{kind: fixed, minutes: 5}")
    assert v.values == ({"kind": "fixed", "minutes": 3}, {"kind": "fixed", "minutes": 5})
    with pytest.raises(CmdsimError, match="PATH=V1"):
        Variation.parse("duty_room.staffing.night")


def test_a_variant_identical_to_the_base_differs_by_exactly_zero() -> None:
    s = small_scenario()
    result = sweep(
        s,
        [Variation.parse("district.commands[gas_hq].callout.median=25,50")],
        n=60,
        seed=2,
        run=fake_run,
        metric=METRIC,
    )
    same, slower = result.variants
    assert same.diff == 0.0 and same.diff_ci95 == (0.0, 0.0)
    assert same.mean == result.base.mean
    # Doubling the median doubles every draw of the call-out (common random numbers).
    assert slower.diff > 0
    assert slower.diff_ci95[0] > 0


def test_grid_is_factorial() -> None:
    result = sweep(
        small_scenario(),
        [
            Variation.parse("duty_room.staffing.day=2,3"),
            Variation.parse("commands[gas_hq].callout.median=20,25,30"),
        ],
        n=5,
        run=fake_run,
        metric=METRIC,
    )
    assert len(result.variants) == 6
    assert (
        result.variants[0].label == "duty_room.staffing.day=2, commands[gas_hq].callout.median=20"
    )
    assert result.variants[0].settings == (
        ("duty_room.staffing.day", 2),
        ("commands[gas_hq].callout.median", 20),
    )


def test_a_bad_value_stops_the_sweep_before_running() -> None:
    calls: list[int] = []

    def counting(sc, seq):  # type: ignore[no-untyped-def]
        calls.append(1)
        return fake_run(sc, seq)

    with pytest.raises(CmdsimError, match="negative"):
        sweep(small_scenario(), [Variation.parse("duty_room.staffing.day=2,-1")], 3, run=counting)
    assert calls == []


def test_sensitivity_ranks_the_callout_of_the_lead_first() -> None:
    s = small_scenario()
    params = {p.path: p.kind for p in parameters(s)}
    assert params["district.commands[gas_hq].callout"] == "delay"
    assert params["district.duty_room.staffing.night"] == "capacity"
    scope = ("duty_room", "commands", "units")
    result = sensitivity(s, n=40, seed=1, run=fake_run, metric=METRIC, only=scope)
    top = result.rows[0]
    assert top.parameter == "district.commands[gas_hq].callout"
    assert top.low is not None and top.low.diff < 0 < top.high.diff  # type: ignore[union-attr]
    swings = [r.swing for r in result.rows]
    assert swings == sorted(swings, reverse=True)
    # The general HQ's call-out does not enter this metric: no change at all.
    general = next(r for r in result.rows if r.parameter == "district.commands[general_hq].callout")
    assert general.swing == 0.0
    night = next(r for r in result.rows if r.parameter == "district.duty_room.staffing.night")
    assert night.low is not None and night.low.label == "district.duty_room.staffing.night=0"
    # A capacity of 0 pumps is refused by the model: that side is skipped.
    crew = "district.units[gas_company].resources[repair_crew].capacity"
    row = next(r for r in result.rows if r.parameter == crew)
    assert row.low is None and row.high is not None


def test_default_sensitivity_scope_is_the_lead_path() -> None:
    s = small_scenario()
    scope = default_scope(s)
    assert "district.commands[gas_hq]" in scope
    assert "district.commands[general_hq]" in scope
    paths = [p.path for p in parameters(s, scope)]
    assert "district.commands[gas_hq].callout" in paths
    assert not any(p.startswith("district.units") for p in paths)
    assert [p.path for p in parameters(s, ("commands[gas_hq]",))] == [
        "district.commands[gas_hq].callout"
    ]


def test_the_package_exports_sweep_and_sensitivity() -> None:
    import cmdsim.analysis as analysis

    assert analysis.sweep is sweep and analysis.sensitivity is sensitivity
    assert analysis.set_path is set_path and analysis.Variation is Variation


def test_progress_counts_every_replication_of_every_point() -> None:
    """A sweep's and a sensitivity's progress run from 0 to all their
    replications (a point the model refuses counts as done), never back."""
    seen: list[tuple[int, int]] = []
    sweep(
        small_scenario(),
        [Variation.parse("duty_room.staffing.day=2,3")],
        n=6,
        run=fake_run,
        metric=METRIC,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[-1] == (18, 18) and {t for _, t in seen} == {18}
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    seen.clear()
    scope = ("units",)  # the repair crew's capacity: 0 is refused, 2 runs
    result = sensitivity(
        small_scenario(),
        n=4,
        run=fake_run,
        metric=METRIC,
        only=scope,
        progress=lambda done, total: seen.append((done, total)),
    )
    points = 1 + 2 * len(result.rows)
    assert seen[-1] == (4 * points, 4 * points)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert any(r.low is None for r in result.rows)


def test_cli_tables_and_reports_keep_the_ids_in_parameter_names(tmp_path: Path) -> None:
    """Rich read ``[gas_hq]`` as markup and printed ``commands.callout`` for
    every HQ; the tables, the JSON and the report keep ``commands[gas_hq]``."""
    path = tmp_path / "tiny.yaml"
    path.write_text(dump(small_scenario()), encoding="utf-8")
    runner = CliRunner(env={"COLUMNS": "200"})
    fake = ["--run", "analysis_fakes:fake_run", "--metric", METRIC, "-n", "5", "--no-progress"]
    vary = ["--vary", "commands[gas_hq].callout.median=20,30"]
    swept = runner.invoke(main, ["sweep", str(path), *vary, *fake, "--out", str(tmp_path / "s")])
    assert swept.exit_code == 0, swept.output
    labels = [line.split()[0] for line in swept.stdout.splitlines()[3:] if line.strip()]
    assert labels == [
        "base",
        "commands[gas_hq].callout.median=20",
        "commands[gas_hq].callout.median=30",
    ]
    ranked = runner.invoke(main, ["sweep", str(path), "--sensitivity", *fake])
    assert ranked.exit_code == 0, ranked.output
    rows = [line.split()[0] for line in ranked.stdout.splitlines()[3:] if line.strip()]
    assert set(rows) >= {
        "district.commands[gas_hq].callout",
        "district.commands[general_hq].callout",
        "district.duty_room.triage",
    }
    assert len(rows) == len(set(rows)), rows
    report = runner.invoke(main, ["report", str(tmp_path / "s"), "--format", "md"])
    assert report.exit_code == 0, report.output
    assert "commands[gas_hq].callout.median=30" in report.stdout


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("commands[gas]", "did you mean 'gas_hq'"),
        ("duty_room.stafing", "did you mean 'staffing'"),
        ("scenario.horizon", "no delay or capacity to perturb"),
    ],
)
def test_a_sensitivity_prefix_that_perturbs_nothing_is_refused(prefix: str, message: str) -> None:
    """Before: an empty ranking and exit 0 for a mistyped --only."""
    with pytest.raises(CmdsimError, match=message):
        sensitivity(small_scenario(), n=2, run=fake_run, metric=METRIC, only=(prefix,))
