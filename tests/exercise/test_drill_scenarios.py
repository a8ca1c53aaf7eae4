"""A scripted drill of each bundled scenario family, with its MSEL and
script, and its replay giving the same exercise log byte for byte.

Run twice: on the stand-in engine of :mod:`tests.exercise.fake` (the drill's
own machinery on the real scenario, MSEL and script files) and on the real
engine ``cmdsim.sim`` with the duty room played (the whole command chain in
the compound typhoon drill).
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from cmdsim.exercise.drill import Exercise, Runner
from cmdsim.exercise.run import replay_exercise, scripted_exercise
from cmdsim.io import load_scenario
from cmdsim.model import Scenario
from cmdsim.sim.reasons import logged_reason

from . import fake

ROOT = Path(__file__).resolve().parents[2]
FAMILIES = {
    "flood-typhoon": "flood-typhoon.yaml",
    "gas": "gas.yaml",
    "traffic": "traffic.yaml",
    "compound-typhoon": "compound-typhoon.yaml",
    "typhoon-landfall": "typhoon-landfall.yaml",
}
PLAY = {
    "compound-typhoon": ["duty-room", "general-hq", "lead-hq"],
    "typhoon-landfall": ["duty-room", "general-hq"],
}


@functools.cache
def scenario_of(family: str) -> Scenario:
    return load_scenario(ROOT / "scenarios" / f"{family}.yaml")


def runners() -> list[object]:
    real = pytest.param(
        None,
        id="engine",
    )
    return [pytest.param(fake.runner, id="stand-in"), real]


def scripted(family: str, runner: Runner | None = None) -> Exercise:
    """The family's scripted drill (its MSEL and script, seed 11)."""
    scenarios = ROOT / "scenarios"
    return scripted_exercise(
        scenarios / f"{family}.yaml",
        scenarios / "msel" / FAMILIES[family],
        PLAY.get(family, ["duty-room"]),
        scenarios / "msel" / f"{family}-script.yaml",
        seed=11,
        runner=runner,
        scenario=scenario_of(family),
    )


@pytest.mark.parametrize("runner", runners())
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_scripted_drill_replays_byte_for_byte(
    family: str, runner: Runner | None, tmp_path: Path
) -> None:
    exercise = scripted(family, runner)
    assert exercise.pending is None
    assert exercise.spec.decisions, "the duty room was asked for no decision"
    kinds = {e["kind"] for e in exercise.events}
    assert {"inject", "decision"} <= kinds
    assert len(kinds) > 3, "the simulated organisation did nothing"
    text = exercise.log_text()
    log = tmp_path / f"{family}.jsonl"
    log.write_text(text, encoding="utf-8")
    again = replay_exercise(log, runner=runner, scenario=scenario_of(family))
    assert again.log_text().encode("utf-8") == log.read_bytes()


def test_flood_criteria_on_the_engine() -> None:
    exercise = scripted("flood-typhoon")
    verdicts = {v.criterion: v for v in exercise.verdicts(exercise.end, final=True)}
    assert set(verdicts) == {"flood_iv_10", "flood_hq_iii_30", "flood_hq_active_60"}
    for verdict in verdicts.values():
        assert verdict.status.value in ("met", "missed")
        assert verdict.start is not None
    # The towns' rooms answer first and the warning link takes the signalled
    # incidents over, so the district duty room decides one case: the garage
    # flooding Zhangjiang hands over at III, the level the flood HQ is
    # ordered to at that moment, which is what flood_hq_iii_30 measures; and
    # it decides the garages again when their response, closed after 04:10,
    # opens with the next rain band at 06:10 (minute 610).
    decisions = [e for e in exercise.events if e["kind"] == "decision"]
    assert [(d["incident"], d["details"]["level"]) for d in decisions] == [
        ("garage_flooding", "III"),
        ("garage_flooding", "III"),
    ]
    assert decisions[0]["time"] < 490.0 < 610.0 < decisions[1]["time"]


def test_console_on_the_engine_stops_at_decisions(tmp_path: Path) -> None:

    from cmdsim.exercise.run import open_exercise

    scenarios = ROOT / "scenarios"
    exercise = open_exercise(
        scenarios / "gas.yaml",
        scenarios / "msel" / "gas.yaml",
        ["duty-room"],
        seed=11,
        scenario=scenario_of("gas"),
    )
    fake.run_console(exercise, ["n", "c", "II", "gas_hq, fire_hq", "c", "", "", "q"])
    first = exercise.spec.decisions["duty-room:gas_main_rupture:1"]
    assert (first[1].level.value if first[1].level else None, first[2]) == ("II", "human")
    assert first[1].activate == ("gas_hq", "fire_hq")
    log = tmp_path / "console.jsonl"
    log.write_text(exercise.log_text(), encoding="utf-8")
    again = replay_exercise(log, scenario=scenario_of("gas"))
    assert again.log_text().encode("utf-8") == log.read_bytes()


def test_compound_typhoon_takeover_declined_then_taken() -> None:
    exercise = scripted("compound-typhoon")
    general = [
        (key, d.choice) for key, (_t, d, _by) in exercise.spec.decisions.items() if "general" in key
    ]
    assert general == [("general-hq:-:1", "decline"), ("general-hq:-:2", "take_over")]
    declined = next(e for e in exercise.events if e["kind"] == "takeover_declined")
    taken = next(e for e in exercise.events if e["kind"] == "takeover_triggered")
    assert declined["time"] < taken["time"]
    assert str(logged_reason(declined["details"])) == "3 HQs active"
    assert taken["details"]["by"] == "player"
    verdicts = {v.criterion: v.status.value for v in exercise.verdicts(exercise.end, final=True)}
    assert set(verdicts) == {
        "ct_gas_hq_60",
        "ct_road_hq_60",
        "ct_general_in_charge_60",
        "ct_pileup_closed_30",
        "ct_general_stood_down_60",
    }
    # The pile-up's handling is over at 10:20 (handled), the last incident's:
    # its response closes at its lead's next reassessment, the takeover with it.
    assert verdicts["ct_pileup_closed_30"] == verdicts["ct_general_stood_down_60"] == "met"


def test_typhoon_landfall_general_hq_asked_at_level_i() -> None:
    """The landfall drill's general HQ commander is asked once, as the red
    signal's level I comes into force (by level: two specialised HQs), and
    takes over at once as scripted."""
    exercise = scripted("typhoon-landfall")
    general = [
        (key, d.choice) for key, (_t, d, _by) in exercise.spec.decisions.items() if "general" in key
    ]
    assert general == [("general-hq:-:1", "take_over")]
    (taken,) = [e for e in exercise.events if e["kind"] == "takeover_triggered"]
    assert taken["details"] == {"at_level": "I", "by": "player", "reason": "level"}
    assert 900 < taken["time"] < 930  # the red signal at +15:00, level I minutes later
    verdicts = {v.criterion: v.status.value for v in exercise.verdicts(exercise.end, final=True)}
    assert set(verdicts) == {
        "tl_flood_iii_30",
        "tl_flood_ii_30",
        "tl_general_in_charge_60",
        "tl_rescue_hq_60",
        "tl_town_closed_30",
        "tl_rescue_closed_30",
        "tl_general_stood_down_60",
    }
    assert verdicts["tl_flood_iii_30"] == verdicts["tl_flood_ii_30"] == "met"
    # The city lifts the signal at 18:00 on the 16th: the town's response
    # to the storm (back under its plan since 13:3x) ends minutes later, the
    # last in force (the boat's ended with its rescue): the takeover ends.
    assert verdicts["tl_town_closed_30"] == "met"
    assert verdicts["tl_rescue_closed_30"] == verdicts["tl_general_stood_down_60"] == "met"


def test_traffic_drill_is_one_response_on_the_site() -> None:
    """The traffic MSEL drill reaches the general plan's merge rule: the
    tanker leak joins the pile-up's case (its criterion counts from the
    leak's onset, minute 15), the one two-leads event is resolved by the
    rule, and the hazardous-chemicals HQ works under the road-traffic HQ."""
    exercise = scripted("traffic")
    verdicts = {v.criterion: v for v in exercise.verdicts(exercise.end, final=True)}
    assert set(verdicts) == {"t_decision_15", "t_one_site_30", "t_hazmat_hq_60"}
    one_site = verdicts["t_one_site_30"]
    assert (one_site.status.value, one_site.start) == ("met", 15.0)
    assert verdicts["t_hazmat_hq_60"].status.value == "met"
    two = [e["details"]["resolved_by"] for e in exercise.events if e["kind"] == "two_leads"]
    assert two == ["traffic_hazmat_site"]
