"""Metrics nothing in a run can move ("not measured", analysis/measured.py)
are named in a batch's summary and counted apart from what never happened."""

from __future__ import annotations

import json
import math
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from cmdsim.analysis import replicate
from cmdsim.analysis.measured import (
    NO_HAZARD,
    NO_HOLD,
    NO_LINK,
    NO_ROOM,
    NO_SITE,
    NO_STAGE,
    NO_WORK,
    not_measured,
    plans_in_play,
)
from cmdsim.cli import main
from cmdsim.io import load_scenario

ROOT = Path(__file__).resolve().parents[2]
FAMILIES = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
"""Every bundled drill (a new one is checked without a change here)."""


@pytest.mark.parametrize("towns", [True, False], ids=["with-town-plans", "no-town-plans"])
@pytest.mark.parametrize("family", FAMILIES)
def test_what_is_not_measured_is_zero_in_every_replication(family: str, towns: bool) -> None:
    """The claim the summary makes: each metric it lists as not measured is
    0 (or has no capacity to be measured against) in every replication of
    every bundled scenario, with and without the towns' plans."""
    scenario = load_scenario(ROOT / "scenarios" / f"{family}.yaml")
    if not towns:
        scenario = scenario.without_town_plans()
    result = replicate(scenario, 3, seed=11, keep=True, progress=None)
    listed = result.summary["not_measured"]
    assert listed and set(listed) <= set(result.columns)
    assert set(listed.values()) <= {
        NO_WORK,
        NO_HOLD,
        NO_HAZARD,
        NO_ROOM,
        NO_STAGE,
        NO_SITE,
        NO_LINK,
    }
    for name in listed:
        column = result.column(name)
        assert all(x == 0.0 or math.isnan(x) for x in column), (name, column)
    # and what is measured but idle here is not listed: work the plans can give
    assert "utilisation.district_duty_room" not in listed


def test_town_plans_left_out_make_the_towns_work_unmeasured() -> None:
    """The town's rescue team works only under the town's plan: measured
    with it, not measured without (its 0 is then no finding)."""
    gas = load_scenario(ROOT / "scenarios" / "gas.yaml")
    team = "utilisation.sanlin_town_rescue_team"
    assert team not in not_measured(gas)
    assert not_measured(gas.without_town_plans())[team] == NO_WORK
    assert set(not_measured(gas)) < set(not_measured(gas.without_town_plans()))


def test_the_table_counts_never_zero_and_unmeasured_apart() -> None:
    """``--no-town-plans``: the table's note says how many metrics never
    happened, how many stayed 0 and how many no plan of the run can move,
    each its own count (they add up to what the table left out), and the
    last names the switch; --json lists them under not_measured."""
    gas = str(ROOT / "scenarios" / "gas.yaml")
    args = ["batch", gas, "-n", "4", "--no-progress", "--no-town-plans"]
    table = CliRunner().invoke(main, args)
    assert table.exit_code == 0, table.output
    data = json.loads(CliRunner().invoke(main, [*args, "--json"]).stdout)
    off = data["not_measured"]
    assert off["utilisation.sanlin_town_rescue_team"] == NO_WORK
    metrics = {k: s for k, s in data["metrics"].items() if not k.endswith(".met")}
    idle = {k for k, s in metrics.items() if s["count"] == 0 or s["min"] == s["max"] == 0}
    never = {k for k in idle - set(off) if metrics[k]["count"] == 0}
    zero = idle - set(off) - never
    text = " ".join(table.stdout.split())  # rich wraps long lines
    assert f"{len(never)} metrics not shown: never observed in any replication" in text
    assert f"{len(zero)} metrics not shown: 0 in every replication" in text
    assert (
        f"{len(idle & set(off))} metrics not shown, not measured: nothing in this run "
        "can move them (units and resources no plan gives work: --no-town-plans leaves "
        "the towns' plans out, committees watching none of its hazards)" in text
    )
    assert never and zero and idle & set(off)


def test_a_unit_tasked_only_under_a_plan_for_an_absent_hazard_is_not_measured() -> None:
    """The gas drill has no animal epidemic: the agriculture commission,
    which only the animal-epidemic plan tasks, is 0 by construction, not
    "0 in every replication" as if it had been idle; the gas HQ's units are
    measured."""
    gas = load_scenario(ROOT / "scenarios" / "gas.yaml")
    tasking = [
        p
        for p in gas.district.plans
        if any(t.unit == "agriculture" for r in p.levels.values() for t in r.tasks)
        or any(d.by == "agriculture" for d in p.reports)
    ]
    assert tasking and all("gas" not in p.hazards for p in tasking)
    assert not {p.id for p in tasking} & {p.id for p in plans_in_play(gas)}
    off = not_measured(gas)
    assert off["utilisation.agriculture"] == NO_WORK
    gas_units = {t.unit for p in plans_in_play(gas) for r in p.levels.values() for t in r.tasks}
    assert gas_units and not {f"utilisation.{u}" for u in gas_units} & set(off)


def test_the_plans_in_play_are_the_engines_choice_and_what_it_hands_over_to() -> None:
    gas = load_scenario(ROOT / "scenarios" / "gas.yaml")
    ids = {p.id for p in plans_in_play(gas)}
    # Sanlin decides first, hands over to the district's gas plan; the
    # general plan may take over any incident.
    assert {"sanlin_town_gas_plan", "gas_plan", "general_plan"} <= ids
    assert "animal_epidemic_plan" not in ids and "beicai_town_gas_plan" not in ids
    assert "sanlin_town_gas_plan" not in {p.id for p in plans_in_play(gas.without_town_plans())}


def test_a_room_nothing_reaches_and_a_stage_no_plan_has_are_not_measured() -> None:
    gas = load_scenario(ROOT / "scenarios" / "gas.yaml")
    off = not_measured(gas)
    # The main breaks in Sanlin: Beicai's room gets nothing, Sanlin's works.
    assert off["wait.beicai_town_duty_room"] == NO_ROOM
    assert off["utilisation.beicai_town_duty_room"] == NO_ROOM
    assert "wait.sanlin_town_duty_room" not in off
    assert "wait.district_duty_room" not in off
    # The gas plan has a final report (due when the response closes, after
    # the drill's end: 0 here, but a longer run calls it): measured.
    assert "reporting.final.called" not in off
    # Without any final report in the plans in play, the stage's totals
    # cannot move.
    plans = tuple(
        attrs.evolve(p, reports=tuple(d for d in p.reports if d.stage.value != "final"))
        for p in gas.district.plans
    )
    short = attrs.evolve(gas, district=attrs.evolve(gas.district, plans=plans))
    off = not_measured(short)
    assert off["reporting.final.called"] == off["reporting.final.on_time"] == NO_STAGE
    assert "reporting.initial.called" not in off
    result = replicate(short, 2, seed=5, keep=True, progress=None)
    assert set(result.column("reporting.final.called")) == {0.0}


def test_an_inject_to_a_towns_room_makes_it_measured() -> None:
    """An inject addressed to a town's room is work there, even with no
    incident in the town."""
    gas = load_scenario(ROOT / "scenarios" / "gas.yaml")
    inject = attrs.evolve(
        gas.injects[0], id="beicai_call", to="beicai_town_duty_room", town="beicai_town"
    )
    moved = attrs.evolve(gas, injects=(*gas.injects, inject))
    assert "wait.beicai_town_duty_room" not in not_measured(moved)


def test_merge_counts_need_two_incidents_on_one_site() -> None:
    """The traffic drill's pile-up and tanker leak share the S1 site: their
    merge is measured (it happens in every run); the gas drill has one
    incident, so nothing can merge there."""
    gas = load_scenario(ROOT / "scenarios" / "gas.yaml")
    assert not_measured(gas)["merge.incidents"] == NO_SITE
    assert not_measured(gas)["merge.two_leads"] == NO_SITE
    traffic = load_scenario(ROOT / "scenarios" / "traffic.yaml")
    assert "merge.incidents" not in not_measured(traffic)
    result = replicate(traffic, 2, seed=1, keep=True, progress=None)
    assert min(result.column("merge.incidents")) >= 1


def test_a_colour_no_plan_maps_has_no_lag_to_measure() -> None:
    """typhoon-landfall: the sea-wave red on the work boat's water search and
    rescue (a plan with no warning link and no signal trigger) calls for no
    level, so its lag is None in every run by construction; the storm's
    colours, which the flood plan links, are measured."""
    scenario = load_scenario(ROOT / "scenarios" / "typhoon-landfall.yaml")
    listed = not_measured(scenario)
    assert listed["incident.work_boat_adrift.signal_lag.red"] == NO_LINK
    assert not any(k.startswith("incident.typhoon_bebinca.signal_lag.") for k in listed)
    result = replicate(scenario, 2, seed=3, keep=True, progress=None)
    assert "incident.work_boat_adrift.signal_lag.red" in result.summary["not_measured"]
    assert all(math.isnan(x) for x in result.column("incident.work_boat_adrift.signal_lag.red"))
