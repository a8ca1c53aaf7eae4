"""A hand-back says why (``by`` on ``plan_handed_back``): the report's
timeline marks it as a hand-back, not a hand-over, with its reason, in
English and Chinese."""

from __future__ import annotations

from cmdsim.io import load_scenario
from cmdsim.model import Scenario
from cmdsim.model.levels import Signal
from cmdsim.report.localize import localize
from cmdsim.report.sources import from_result
from cmdsim.sim import simulate
from tests.builders import SIM, handed_back_by_signal


def _marks(scenario: Scenario, lang: str) -> list[tuple[float, str]]:
    report = from_result(simulate(scenario, 1), scenario=scenario)
    return [
        (m["time"], m["label"])
        for m in localize(report, lang)["timeline"]["markers"]
        if m["kind"] == "handover"
    ]


def by_signal() -> Scenario:
    """The yellow signal takes the case over at 122, the blue one hands it
    back at 177 (tests/sim/test_warning_lowering.py works it out)."""
    return handed_back_by_signal(Signal.BLUE)


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


def _evidence_lines(by: str | None, lang: str) -> list[str]:
    """An inject's evidence holding a hand-back, as the report says it."""
    evidence: dict[str, object] = {
        "time": 177.0,
        "actor": "district_duty_room",
        "kind": "plan_handed_back",
        "incident": "leak",
        "level": "IV",
    }
    if by is not None:
        evidence["by"] = by
    inject = {
        "time": 170.0,
        "from": "msel",
        "to": "district_duty_room",
        "message": "the signal is lowered",
        "status": "not_rated",
        "evidence": [evidence],
    }
    return list(localize({"injects": [inject]}, lang)["injects"][0]["happened"])


def test_an_injects_evidence_says_why_the_case_went_back() -> None:
    en = _evidence_lines("signal", "en")
    assert len(en) == 1
    assert en[0].endswith(
        "the district hands the response back to the town (with the signal lowered)"
    )
    assert _evidence_lines("player", "zh")[0].endswith("区级将处置交回街镇（经牵头指挥部决定）")
    # A log written before hand-backs said why reads as it did.
    assert _evidence_lines(None, "en")[0].endswith(
        "the district hands the response back to the town"
    )


def test_inject_rows_keep_a_hand_backs_reason() -> None:
    from cmdsim.report.injects import inject_rows

    events = [
        {"time": 170.0, "actor": "msel", "kind": "inject", "details": {"inject": "i1"}},
        {
            "time": 177.0,
            "actor": "district_duty_room",
            "kind": "plan_handed_back",
            "incident": "leak",
            "details": {"from": "district_gas", "to": "town_a_gas", "level": "IV", "by": "signal"},
        },
        {
            "time": 177.0,
            "actor": "district_duty_room",
            "kind": "level_deescalated",
            "incident": "leak",
            "details": {"level": "IV", "by": "signal"},
        },
    ]
    (row,) = inject_rows(events, {}, [], None, {})
    back, lowered = row["evidence"]
    assert back["kind"] == "plan_handed_back" and back["by"] == "signal"
    # Other kinds' evidence is as before.
    assert "by" not in lowered
