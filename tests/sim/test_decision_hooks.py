"""The engine's decision hooks for the general HQ (takeover) and the lead HQ
(reassessment): exact timelines with a player, and no trace without one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from cmdsim.io import load_scenario
from cmdsim.model.levels import Level
from cmdsim.model.scenario import Scenario
from cmdsim.sim import DecisionPoint, SimOptions, simulate

TWO_HAZARDS = Path(__file__).with_name("two_hazards.yaml")


def two_hazards() -> Scenario:
    """A flood and, 40 minutes later, a gas leak; fixed delays (see the file)."""
    return load_scenario(TWO_HAZARDS)


class Player:
    """Answers the points of the roles it plays from a list, in order."""

    def __init__(self, answers: dict[str, list[Any]]) -> None:
        self.answers = {role: list(a) for role, a in answers.items()}
        self.points: list[DecisionPoint] = []

    def decide(self, point: DecisionPoint) -> Any:
        self.points.append(point)
        queue = self.answers.get(point.role)
        if not queue:
            return None
        level, activate = queue.pop(0)
        return _Answer(level, activate)


@attrs.frozen
class _Answer:
    level: Level | None
    activate: tuple[str, ...]


def timeline(result: Any) -> list[tuple[float, str, str, str | None, dict[str, Any]]]:
    keep = (
        "level_",
        "response_closed",
        "takeover",
        "decision",
        "escalation_requested",
        "hq_activated",
        "hq_deactivated",
    )
    return [
        (e.time, e.actor, e.kind, e.incident, dict(e.details))
        for e in result.events
        if e.kind.startswith(keep)
    ]


def test_without_players_the_plan_takes_over_and_closes() -> None:
    # flood1: reported at 70, triaged by 75, approved by 83 (IV); its HQ's
    # commander arrives at 103.  gas1: onset 100, decided at 123, HQ at 143:
    # two HQs active, the general HQ is called out then and at work at 163.
    # The gas lead's reassessment at 153 (123 + 30) finds 3 deaths (at +50):
    # escalated at 161 after approval.  The rain stops at +130 (190): the flood
    # lead's reassessment at 203 (83 + 4 x 30) closes the response.
    result = simulate(two_hazards(), 0)
    assert [(t, actor, kind, incident) for t, actor, kind, incident, _ in timeline(result)] == [
        (83.0, "district_duty_room", "level_decided", "flood1"),
        (103.0, "hq", "hq_activated", None),
        (123.0, "district_duty_room", "level_decided", "gas1"),
        (143.0, "gas_hq", "hq_activated", None),
        (143.0, "general_hq", "takeover_triggered", None),
        (161.0, "district_duty_room", "level_escalated", "gas1"),
        (163.0, "general_hq", "hq_activated", None),
        (163.0, "general_hq", "takeover", None),
        (203.0, "district_duty_room", "response_closed", "flood1"),
        (203.0, "hq", "hq_deactivated", None),
    ]
    assert result.metrics["takeover"] == {
        "triggered": 143.0,
        "time": 163.0,
        "reason": "2 HQs active",
        "ended": None,  # the gas response is still in force at the end
    }


def test_a_player_declines_then_takes_over_and_holds_a_level() -> None:
    player = Player(
        {
            # decline at 143; asked again when gas1 rises to III (161): take over
            "general-hq": [(None, ()), (None, ("general_hq",))],
            # gas1 at 153: request III; flood1 at 203: hold IV; at 233: close
            "lead-hq": [(Level.III, ()), (Level.IV, ()), (None, ())],
        }
    )
    result = simulate(two_hazards(), 0, options=SimOptions(decisions=player))
    assert timeline(result) == [
        (83.0, "district_duty_room", "level_decided", "flood1", _decided("IV", rainfall=20)),
        (103.0, "hq", "hq_activated", None, {"delay": 20.0, "staff": 1}),
        (123.0, "district_duty_room", "level_decided", "gas1", _gas("IV", 0)),
        (143.0, "gas_hq", "hq_activated", None, {"delay": 20.0, "staff": 1}),
        (143.0, "general_hq", "decision", None, _general("decline")),
        (143.0, "general_hq", "takeover_declined", None, _reason(by="player")),
        (153.0, "gas_hq", "decision", "gas1", _lead("request", "III", "III")),
        (153.0, "gas_hq", "escalation_requested", "gas1", {"by": "player", "level": "III"}),
        (161.0, "district_duty_room", "level_escalated", "gas1", _gas("III", 3)),
        # the gas level rose since the decline: the general HQ is asked again
        (161.0, "general_hq", "decision", None, _general("take_over")),
        (161.0, "general_hq", "takeover_triggered", None, _reason(by="player")),
        (181.0, "general_hq", "hq_activated", None, {"delay": 20.0, "staff": 1}),
        (181.0, "general_hq", "takeover", None, {}),
        (203.0, "hq", "decision", "flood1", _lead("hold", "IV", None)),
        (203.0, "hq", "level_held", "flood1", {"by": "player", "level": "IV", "proposed": None}),
        # held: asked again at the next reassessment
        (233.0, "hq", "decision", "flood1", _lead("close", None, None)),
        (233.0, "district_duty_room", "response_closed", "flood1", _closed(by="player")),
        (233.0, "hq", "hq_deactivated", None, {}),
    ]
    assert result.metrics["takeover"] == {
        "triggered": 161.0,
        "time": 181.0,
        "reason": "2 HQs active",
        "ended": None,
        "by": "player",
        "rule_held": 143.0,
        "declined": [143.0],
    }
    # minutes after each onset (60, 100) the general HQ was at work: 181
    assert {k: v["takeover"] for k, v in result.metrics["incident"].items()} == {
        "flood1": 121.0,
        "gas1": 81.0,
    }
    asked = [(p.role, p.time, p.incident, p.level, p.current) for p in player.points]
    assert asked == [
        ("duty-room", 75.0, "flood1", Level.IV, None),
        ("duty-room", 115.0, "gas1", Level.IV, None),
        ("general-hq", 143.0, None, Level.IV, None),
        ("lead-hq", 153.0, "gas1", Level.III, Level.IV),
        ("duty-room", 153.0, "gas1", Level.III, Level.IV),
        ("general-hq", 161.0, None, Level.III, None),
        ("lead-hq", 203.0, "flood1", None, Level.IV),
        ("lead-hq", 233.0, "flood1", None, Level.IV),
    ]
    assert player.points[2].known == {"reason": "hqs_active", "active": "gas_hq, hq"}


def test_a_held_escalation_still_comes_through_the_duty_room() -> None:
    # The gas lead holds at 153; the report of the deaths (at 150) reaches
    # the room at 160, triaged by 165: the duty room escalates at 173.
    player = Player({"lead-hq": [(Level.IV, ())]})
    result = simulate(two_hazards(), 0, options=SimOptions(decisions=player))
    gas = [(t, kind) for t, _a, kind, incident, _d in timeline(result) if incident == "gas1"]
    assert gas == [
        (123.0, "level_decided"),
        (153.0, "decision"),
        (153.0, "level_held"),
        (173.0, "level_escalated"),
    ]


def test_nobody_playing_leaves_no_trace() -> None:
    # A policy that lets the plan's rule stand everywhere gives the very bytes
    # of a run without one: the hooks draw nothing and emit nothing.
    player = Player({})
    sc = two_hazards()
    for seed in (0, 3):
        assert simulate(sc, seed, options=SimOptions(decisions=player)).to_json() == (
            simulate(sc, seed).to_json()
        )
    assert {p.role for p in player.points} == {"duty-room", "general-hq", "lead-hq"}


def test_taking_over_at_once_keeps_the_plans_times() -> None:
    player = Player({"general-hq": [(None, ("general_hq",))]})
    result = simulate(two_hazards(), 0, options=SimOptions(decisions=player))
    plain = simulate(two_hazards(), 0)
    assert result.metrics["takeover"] == {
        **plain.metrics["takeover"],
        "by": "player",
        "rule_held": 143.0,
    }


def _decided(level: str, **known: Any) -> dict[str, Any]:
    return {"by": "plan", "known": tuple(known.items()), "level": level, "plan": "flood_plan"}


def _gas(level: str, deaths: int) -> dict[str, Any]:
    known = (("casualties", float(deaths)), ("deaths", deaths))
    return {"by": "plan", "known": known, "level": level, "plan": "gas_plan"}


def _general(choice: str) -> dict[str, Any]:
    return {"active": "gas_hq, hq", "choice": choice, "reason": "hqs_active", "role": "general-hq"}


def _reason(by: str) -> dict[str, Any]:
    return {"active": "gas_hq, hq", "by": by, "reason": "hqs_active"}


def _lead(choice: str, level: str | None, proposed: str | None) -> dict[str, Any]:
    return {"choice": choice, "level": level, "proposed": proposed, "role": "lead-hq"}


def _closed(by: str) -> dict[str, Any]:
    return {"by": by, "level": None, "plan": "flood_plan"}


def test_a_declined_takeover_is_asked_again_only_as_things_escalate() -> None:
    from cmdsim.model.plans import Takeover
    from cmdsim.sim.activation import Takeovers
    from cmdsim.sim.context import Run

    from .test_people_and_clocks import _General

    player = Player({"general-hq": [(None, ())] * 3 + [(None, ("general_hq",))]})
    run = Run(two_hazards(), 0, SimOptions(decisions=player))
    general = _General()
    takeovers = Takeovers(run, Takeover(min_active=2, min_level=Level.I), None)
    takeovers.general_id = "general_hq"
    takeovers.hq = lambda _: general  # type: ignore[assignment,return-value]

    def asked() -> list[str]:
        return [p.known["active"] for p in player.points]

    takeovers.level("flood1", Level.III)
    takeovers.hq_active("a")
    takeovers.hq_active("b")  # the rule holds: declined
    assert asked() == ["a, b"]
    takeovers.hq_inactive("b")
    takeovers.hq_active("b")  # back, but it was active at the decline
    takeovers.level("flood1", Level.IV)  # a level falling
    takeovers.level("flood1", Level.III)  # back to the level of the decline
    assert asked() == ["a, b"]
    takeovers.hq_active("c")  # a new HQ: asked again, declined
    takeovers.level("gas1", Level.IV)  # a new incident with a level: declined
    takeovers.level("flood1", Level.II)  # a level above the decline's: taken
    assert asked() == ["a, b", "a, b, c", "a, b, c", "a, b, c"]
    assert takeovers.done and general.notified == ["_coordination"]
    assert run.ledger.takeover.declined == [0.0, 0.0, 0.0]
