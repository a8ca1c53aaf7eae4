"""What reporters know (issue #12, 2b): exact timelines on hand-built scenarios.

The tiny scenario of :mod:`tests.sim.build`: one hotline (10 minutes), one
duty-room officer (triage 5, approval 8), onset at minute 60; here the plan
grades by deaths (level IV at 3 or more) and the incident has four dead from
its onset.
"""

from __future__ import annotations

import json
import re
from typing import Any

import attrs
import pytest

from cmdsim.analysis.fastpath import permits
from cmdsim.model import Channel, ChannelKind, Figures
from cmdsim.model.conditions import Condition, Trigger
from cmdsim.model.levels import Level
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate
from cmdsim.sim.knowledge import reason
from tests.sim.build import ONE, scenario

ONSET = 60.0


def deaths_scenario(**channel: Any) -> Scenario:
    """Four dead from onset; level IV at ``deaths >= 3``; the hotline as given."""
    base = scenario(timeline=(SeverityPoint(at=0, deaths=4),), reassess=Fixed(1000.0))
    district = base.district
    plan = attrs.evolve(
        district.plans[0], triggers=(Trigger(Level.IV, any_of=(Condition.parse("deaths >= 3"),)),)
    )
    hotline = Channel(
        id="hotline",
        kind=ChannelKind.HOTLINE,
        delay=Fixed(10.0),
        miss=0.0,
        factors=ONE,
        **channel,
    )
    district = attrs.evolve(district, plans=(plan,), channels=(hotline,))
    return attrs.evolve(base, district=district)


def record(result: Any) -> dict[str, Any]:
    return result.metrics["incident"]["flood1"]


def events(result: Any, kind: str) -> list[float]:
    return [e.time for e in result.events if e.kind == kind]


def test_without_the_mechanism_the_level_follows_the_first_report() -> None:
    result = simulate(deaths_scenario(), 0)
    # report 70, triage 70-75, approval 75-83
    assert record(result)["level_decided"] == 23.0
    assert "knowledge" not in record(result)


def test_a_lagged_under_count_decides_at_the_hand_computed_minute() -> None:
    figures = Figures(lag=Fixed(20.0), first=0.5, recounts=1, every=Fixed(30.0))
    result = simulate(deaths_scenario(figures=figures), 0)
    # 70: the report, no figures (triage to 75, no level);
    # 90: first count, 2 dead (triage to 95, below the trigger);
    # 120: recount, 4 dead (triage to 125, approval to 133).
    assert events(result, "report_update")[:0] == []
    assert record(result)["aware"] == 10.0
    assert record(result)["level_decided"] == 73.0
    knowledge = record(result)["knowledge"]
    # The truth crossed deaths >= 3 at onset (60), the room's picture at 125.
    assert knowledge["known_lag"] == {"deaths": 65.0}
    assert knowledge["under_response"] == 65.0
    assert knowledge["never_known"] == 0
    assert record(result)["reports"] == 3


def test_a_count_in_the_report_itself_with_no_lag() -> None:
    figures = Figures(lag=Fixed(0.0), first=0.75, recounts=0)
    result = simulate(deaths_scenario(figures=figures), 0)
    # 4 x 0.75 = 3 dead in the report itself: decided as without the mechanism.
    assert record(result)["level_decided"] == 23.0
    assert record(result)["knowledge"]["known_lag"] == {"deaths": 15.0}
    assert record(result)["reports"] == 1


def test_an_under_count_never_completed_never_crosses() -> None:
    figures = Figures(lag=Fixed(0.0), first=0.5, recounts=0)
    result = simulate(deaths_scenario(figures=figures), 0)
    assert record(result)["level_decided"] is None
    knowledge = record(result)["knowledge"]
    assert knowledge["never_known"] == 1
    # censored at the end of the run (600): from the true crossing at 60
    assert knowledge["known_lag"] == {"deaths": 540.0}
    assert knowledge["under_response"] == 540.0


def test_verification_delays_the_decision_and_takes_the_officer() -> None:
    result = simulate(deaths_scenario(verify=Fixed(7.0)), 0)
    # report 70, triage 70-75, verification 75-82, approval 82-90
    assert record(result)["level_decided"] == 30.0
    assert record(result)["knowledge"]["verify_minutes"] == 7.0
    rostered = 600.0  # one officer over the ten-hour run
    assert result.metrics["utilisation"]["district_duty_room"] == pytest.approx(12.0 / rostered)


def _seed_with(scenario: Scenario, key: str, count: int) -> Any:
    for seed in range(200):
        result = simulate(scenario, seed)
        if record(result)["knowledge"][key] == count:
            return result
    raise AssertionError(f"no seed below 200 gives {count} {key}")


def test_a_false_alarm_costs_exactly_its_triage_and_verification() -> None:
    result = _seed_with(deaths_scenario(false_alarms=0.5, verify=Fixed(7.0)), "false_alarms", 1)
    knowledge = record(result)["knowledge"]
    assert knowledge["false_alarm_minutes"] == 12.0
    # The false alarm comes 10 minutes after the genuine report (70): at 80,
    # while the one officer verifies that report (70-82); it waits for her,
    # then 5 of triage and 7 of verification: discarded at 94.
    assert events(result, "false_alarm_sent") == [80.0]
    assert events(result, "false_alarm_discarded") == [94.0]
    assert result.metrics["wait"]["district_duty_room"] == pytest.approx(2.0 / 2)
    # The genuine report's own verification, plus the false alarm's.
    assert knowledge["verify_minutes"] == 14.0
    assert result.metrics["utilisation"]["district_duty_room"] == pytest.approx(24.0 / 600.0)
    # Only the genuine report counts; the false alarm made no case nor level.
    assert record(result)["reports"] == 1
    assert record(result)["level_decided"] == 30.0


def test_a_duplicate_costs_triage_and_opens_no_case() -> None:
    result = _seed_with(deaths_scenario(duplicates=0.5), "duplicates", 1)
    knowledge = record(result)["knowledge"]
    assert knowledge["duplicate_minutes"] == 5.0
    assert events(result, "duplicate_sent") == [80.0]
    assert events(result, "duplicate_discarded") == [85.0]
    assert record(result)["reports"] == 1
    # No case update, no merge: the room's decisions never saw it.
    assert events(result, "report_merged") == []
    assert events(result, "report_update") == []
    assert events(result, "level_decided") == [83.0]


def test_noise_alone_makes_nobody_aware() -> None:
    """A false alarm of an incident missed by every channel opens nothing."""
    s = deaths_scenario(false_alarms=0.5)
    result = simulate(s, 0)
    assert record(result)["aware"] == 10.0  # the genuine report, not noise


def test_the_fast_path_refuses_the_mechanism() -> None:
    for channel in (
        {"figures": Figures(lag=Fixed(5.0))},
        {"figures": Figures(first=0.5, recounts=1)},
        {"false_alarms": 0.1},
        {"duplicates": 0.1},
        {"verify": Fixed(1.0)},
    ):
        s = deaths_scenario(**channel)
        refused = permits(s, ["incident.flood1.level_decided"])
        assert refused is not None and "channel hotline" in refused, channel
    inert = deaths_scenario(figures=Figures(), verify=Fixed(0.0))
    assert reason(inert) is None
    assert permits(inert, ["incident.flood1.level_decided"]) == permits(
        deaths_scenario(), ["incident.flood1.level_decided"]
    )


def test_an_inert_figures_spec_changes_nothing() -> None:
    for seed in range(3):
        plain = simulate(deaths_scenario(), seed).to_json()
        inert = simulate(deaths_scenario(figures=Figures()), seed).to_json()
        assert json.loads(plain) == json.loads(inert)


def test_the_duty_room_player_sees_its_weeding_not_the_truth_of_a_report() -> None:
    """In a served exercise the duty room sees the false alarm it discarded,
    never that a report on its way is false (that is the truth)."""
    from cmdsim.serve.visibility import DUTY_ROOM, LEAD_HQ, visible

    result = _seed_with(deaths_scenario(false_alarms=0.5, verify=Fixed(7.0)), "false_alarms", 1)
    data = [e.to_data() for e in result.events]
    sent = next(e for e in data if e["kind"] == "false_alarm_sent")
    done = next(e for e in data if e["kind"] == "false_alarm_discarded")
    assert not visible(sent, DUTY_ROOM, "district_duty_room")
    assert visible(done, DUTY_ROOM, "district_duty_room")
    assert not visible(done, DUTY_ROOM, "some_town_room")
    assert not visible(done, LEAD_HQ, "district_duty_room")


def test_cmdsim_run_says_what_reporters_knew() -> None:
    from click.testing import CliRunner

    from cmdsim.cli import main

    done = CliRunner().invoke(main, ["run", "scenarios/gas.yaml", "--seed", "0"])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    at = lines.index("what reporters knew of gas_main_rupture (min):")
    assert re.fullmatch(
        r"  figures known late: deaths [\d.]+, households [\d.]+, serious_injuries [\d.]+",
        lines[at + 1],
    ), lines[at + 1]
    assert re.fullmatch(r"  below the truth [\d.]+; verification [\d.]+", lines[at + 2])
    assert re.fullmatch(r"  false alarms \d+ \([\d.]+\), duplicates \d+ \([\d.]+\)", lines[at + 3])
    truth = CliRunner().invoke(main, ["run", "scenarios/gas.yaml", "--seed", "0", "--no-injects"])
    assert "what reporters knew of gas_main_rupture" in truth.output
