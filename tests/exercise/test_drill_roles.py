"""The general-hq and lead-hq roles in a drill, on the real engine: scripted,
logged and replayed byte for byte; the console's prompts; script errors.

The scenario is the two-hazard one of the engine's hook tests
(``tests/sim/two_hazards.yaml``, fixed delays): its timeline with players is
checked there; here the drill's keys, records and replays.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

from cmdsim.errors import LoadError
from cmdsim.exercise.drill import ROLES, Policy, load_script
from cmdsim.exercise.run import open_exercise, replay_exercise, scripted_exercise
from cmdsim.io import load_scenario
from cmdsim.model import Level, Scenario
from cmdsim.sim import SimOptions, simulate

from . import fake

ROOT = Path(__file__).resolve().parents[2]
TWO_HAZARDS = ROOT / "tests" / "sim" / "two_hazards.yaml"

SCRIPTS = {
    "duty-room": "decisions:\n  - {incident: gas1, level: III, activate: [gas_hq]}\n",
    "general-hq": (
        "decisions:\n"
        "  - {role: general-hq, take_over: no}\n"
        "  - {role: general-hq, take_over: yes}\n"
    ),
    "lead-hq": (
        "decisions:\n"
        "  - {role: lead-hq, incident: gas1, level: plan}\n"
        "  - {role: lead-hq, incident: flood1, level: hold}\n"
        "  - {role: lead-hq, incident: flood1, level: none}\n"
    ),
}


@functools.cache
def two_hazards() -> Scenario:
    return load_scenario(TWO_HAZARDS)


def drill(play: list[str], script: str, tmp_path: Path) -> Any:
    path = tmp_path / "script.yaml"
    path.write_text(script, encoding="utf-8")
    return scripted_exercise(TWO_HAZARDS, None, play, path, seed=0, scenario=two_hazards())


def records(log: str, kind: str) -> list[dict[str, Any]]:
    import json

    return [r for r in map(json.loads, log.splitlines()) if r["type"] == kind]


@pytest.mark.parametrize("role", ROLES)
def test_scripted_drill_of_each_role_replays_byte_for_byte(role: str, tmp_path: Path) -> None:
    exercise = drill([role], SCRIPTS[role], tmp_path)
    assert {key.split(":")[0] for key in exercise.spec.decisions} == {role}
    text = exercise.log_text()
    log = tmp_path / f"{role}.jsonl"
    log.write_text(text, encoding="utf-8")
    again = replay_exercise(log, scenario=two_hazards())
    assert again.log_text().encode("utf-8") == log.read_bytes()


def test_the_chain_played_at_once_is_logged_exactly(tmp_path: Path) -> None:
    script = SCRIPTS["general-hq"] + SCRIPTS["lead-hq"].removeprefix("decisions:\n")
    exercise = drill(["general-hq,lead-hq"], script, tmp_path)
    text = exercise.log_text()
    assert records(text, "exercise")[0]["play"] == ["general-hq", "lead-hq"]
    # The times are those of tests/sim/test_decision_hooks.py.
    assert [
        (r["time"], r["key"], r["role"], r["incident"], r["level"], r["activate"], r["choice"])
        for r in records(text, "decision")
    ] == [
        (143.0, "general-hq:-:1", "general-hq", None, None, [], "decline"),
        (153.0, "lead-hq:gas1:1", "lead-hq", "gas1", "III", [], "request"),
        (161.0, "general-hq:-:2", "general-hq", None, None, ["general_hq"], "take_over"),
        (203.0, "lead-hq:flood1:1", "lead-hq", "flood1", "IV", [], "hold"),
        (233.0, "lead-hq:flood1:2", "lead-hq", "flood1", None, [], "close"),
    ]
    effects = [
        (e["time"], e["kind"], e["details"].get("by"))
        for e in exercise.events
        if e["kind"] in ("takeover_declined", "takeover_triggered", "takeover", "level_held")
        or e["kind"] in ("escalation_requested", "response_closed")
    ]
    assert effects == [
        (143.0, "takeover_declined", "player"),
        (153.0, "escalation_requested", "player"),
        (161.0, "takeover_triggered", "player"),
        (181.0, "takeover", None),
        (203.0, "level_held", "player"),
        (233.0, "response_closed", "player"),
    ]
    # each decision event comes before what it set in motion
    at_143 = [e["kind"] for e in exercise.events if e["time"] == 143.0][-2:]
    assert at_143 == ["decision", "takeover_declined"]
    log = tmp_path / "chain.jsonl"
    log.write_text(text, encoding="utf-8")
    assert replay_exercise(log, scenario=two_hazards()).log_text() == text


@pytest.mark.parametrize(
    "scenario", [TWO_HAZARDS, ROOT / "scenarios" / "compound-typhoon.yaml"], ids=lambda p: p.stem
)
def test_a_policy_with_nobody_playing_changes_no_byte(scenario: Path) -> None:
    model = load_scenario(scenario)
    policy = Policy((), {}, None)
    with_policy = simulate(model, 11, options=SimOptions(decisions=policy))
    assert with_policy.to_json() == simulate(model, 11).to_json()
    roles = {p.role for p in policy.points}
    # the towns' rooms are asked as town-room, their leads as town-lead
    # (never played); lead-hq only where a reassessment would move a level
    assert "duty-room" in roles and roles <= {*ROLES, "town-room", "town-lead"}
    assert ("town-room" in roles) == (scenario.stem == "compound-typhoon")


def test_lead_hq_is_asked_only_at_the_district_rooms_reassessments() -> None:
    """The compound typhoon's garages are handed back to Zhangjiang, whose
    room lowers and closes its own response: its town command's lead is
    asked as town-lead, never the drill's lead-hq player (the district
    plan's lead HQ)."""
    model = load_scenario(ROOT / "scenarios" / "compound-typhoon.yaml")
    town_plans = {p.id for p in model.district.plans if p.town is not None}
    asked: list[tuple[str, str | None]] = []

    def chooser(point: Any) -> None:
        asked.append((point.role, point.plan))

    policy = Policy(("lead-hq",), {}, chooser)
    result = simulate(model, 0, options=SimOptions(decisions=policy))
    assert asked and all(plan not in town_plans for _, plan in asked)
    assert {role for role, _ in asked} == {"lead-hq"}
    town_leads = [p for p in policy.points if p.role == "town-lead"]
    assert {p.plan for p in town_leads} == {"zhangjiang_town_flood_typhoon_plan"}
    # Nobody plays town-lead: the town plan's rule closes the response.
    closed = [e for e in result.of_kind("response_closed") if e.incident == "garage_flooding"]
    assert closed and all(e.detail("by") != "player" for e in closed)


def test_console_asks_the_general_and_the_lead(tmp_path: Path) -> None:
    exercise = open_exercise(
        TWO_HAZARDS, None, ["general-hq", "lead-hq"], seed=0, scenario=two_hazards()
    )
    steps = [
        ("c", "maybe", "no"),  # 143: not yes or no, so asked again; decline
        ("c", ""),  # 153: request the gas escalation (the plan's)
        ("c", "y"),  # 161: take over
        ("c", "hold"),  # 203: hold IV
        ("c", ""),  # 233: close the response (the plan's)
        ("q",),
    ]
    text = fake.run_console(exercise, [answer for step in steps for answer in step])
    assert "DECISION general-hq for - at 143.0 min" in text
    assert "the general plan's takeover rule holds (2 HQs active)" in text
    assert "answer yes or no" in text
    assert "recorded: decline the takeover for now" in text
    assert "reassessment at level IV: the situation is worse" in text
    assert "reassessment at level IV: the situation has eased" in text
    assert "recorded: hold the level  (the plan's rule: close the response)" in text
    # the plan's answer is shown only once the players have answered
    assert "the plan says" not in text
    before_close = text.split("recorded: hold the level")[0].rsplit("DECISION", 1)[1]
    assert "close the response" not in before_close
    choices = {k: (d.choice, by) for k, (_t, d, by) in exercise.spec.decisions.items()}
    assert choices == {
        "general-hq:-:1": ("decline", "human"),
        "lead-hq:gas1:1": ("request", "human"),
        "general-hq:-:2": ("take_over", "human"),
        "lead-hq:flood1:1": ("hold", "human"),
        "lead-hq:flood1:2": ("close", "human"),
    }
    assert exercise.spec.decisions["lead-hq:flood1:1"][1].level is Level.IV


def test_script_entries_are_checked_per_role(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "decisions:\n"
        "  - {level: hold}\n"
        "  - {role: general-hq, level: II}\n"
        "  - {role: general-hq, take_over: perhaps}\n"
        "  - {role: mayor}\n"
        "  - {key: 'lead-hq:flood1:1', activate: [hq]}\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        load_script(path)
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("decisions[0].level", "level: hold is for the lead-hq role"),
        ("decisions[1].level", "level is not a decision of the role general-hq"),
        ("decisions[2].take_over", "take_over is yes, no or 'plan'"),
        ("decisions[3].role", "unknown role 'mayor' (roles: duty-room, general-hq, lead-hq)"),
        ("decisions[4].activate", "activate is not a decision of the role lead-hq"),
    ]


def test_cli_plays_several_roles_and_replays(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cmdsim.cli import main

    script = tmp_path / "script.yaml"
    script.write_text(SCRIPTS["general-hq"], encoding="utf-8")
    log, again = tmp_path / "drill.jsonl", tmp_path / "again.jsonl"
    runner = CliRunner()
    args = ["drill", str(TWO_HAZARDS), "--play", "general-hq", "--play", "lead-hq,general-hq"]
    result = runner.invoke(main, [*args, "--script", str(script), "--log", str(log)])
    assert result.exit_code == 0, result.output
    assert "takeover_declined" in result.output
    assert records(log.read_text(encoding="utf-8"), "exercise")[0]["play"] == [
        "general-hq",
        "lead-hq",
    ]
    replay = runner.invoke(main, ["drill", "--replay", str(log), "--log", str(again)])
    assert replay.exit_code == 0, replay.output
    assert again.read_bytes() == log.read_bytes()
    helped = runner.invoke(main, ["drill", "--help"])
    assert all(role in helped.output for role in ROLES)
