"""A hand-back says why (``by`` on ``plan_handed_back``): the report's
timeline marks it as a hand-back, not a hand-over, with its reason, in
English and Chinese."""

from __future__ import annotations

from pathlib import Path

import attrs

from cmdsim.io import load_scenario
from cmdsim.model import Condition, Level, Scenario, Trigger, WarningLink
from cmdsim.model.levels import Signal
from cmdsim.model.scenario import SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.report.localize import localize
from cmdsim.report.sources import from_result
from cmdsim.sim import simulate

SIM = Path(__file__).resolve().parents[1] / "sim"


def _marks(scenario: Scenario, lang: str) -> list[tuple[float, str]]:
    report = from_result(simulate(scenario, 1), scenario=scenario)
    return [
        (m["time"], m["label"])
        for m in localize(report, lang)["timeline"]["markers"]
        if m["kind"] == "handover"
    ]


def by_signal() -> Scenario:
    """town_hand_back.yaml with the district plan's link (yellow III, blue
    IV): the yellow signal takes the case over at 122, the blue one hands it
    back at 177 (tests/sim/test_warning_lowering.py works it out)."""
    base = load_scenario(SIM / "town_hand_back.yaml")
    plan = base.district.plans[0]
    plan = attrs.evolve(
        plan,
        triggers=(
            *plan.triggers,
            Trigger(Level.III, any_of=(Condition.parse("signal >= yellow"),)),
        ),
        warnings=WarningLink(
            levels={Signal.BLUE: Level.IV, Signal.YELLOW: Level.III}, confirm=Fixed(2.0)
        ),
    )
    timeline = (
        SeverityPoint(at=0, households=100),
        SeverityPoint(at=60, signal=Signal.YELLOW),
        SeverityPoint(at=115, signal=Signal.BLUE),
    )
    incident = attrs.evolve(base.incidents[0], timeline=timeline)
    district = attrs.evolve(base.district, plans=(plan, *base.district.plans[1:]))
    return attrs.evolve(base, district=district, incidents=(incident,))


def test_a_hand_back_with_the_signal_says_so() -> None:
    assert _marks(by_signal(), "en") == [
        (122.0, "handed over to district_gas"),
        (177.0, "handed back to town_a_gas (with the signal lowered)"),
    ]
    zh = _marks(by_signal(), "zh")
    assert [label for _, label in zh] == ["移交district_gas", "交回town_a_gas（随预警降低）"]


def test_a_hand_back_at_the_leads_reassessment_says_so() -> None:
    scenario = load_scenario(SIM / "town_hand_back.yaml")
    back = [label for _, label in _marks(scenario, "en") if label.startswith("handed back")]
    assert back == ["handed back to town_a_gas (on the lead's reassessment)"]
    zh = [label for _, label in _marks(scenario, "zh") if label.startswith("交回")]
    assert zh == ["交回town_a_gas（经牵头指挥部评估）"]
