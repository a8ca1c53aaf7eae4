"""An exercise criterion may wait for a lifted signal (解除预警): the
``signal`` event's detail says ``lifted``; it has no rank, so ``>=lifted``
is refused as a criterion that could never match, and ``>= blue`` never
matches a lift."""

from __future__ import annotations

import pytest

from cmdsim import bundled
from cmdsim.exercise.criteria import criteria_problems, criterion_from_data, evaluate
from cmdsim.io import load_scenario


def _problems(details: dict[str, str]) -> list[str]:
    scenario = load_scenario(bundled.path("typhoon-landfall.yaml"))
    criterion = criterion_from_data(
        {
            "id": "c1",
            "after": {"kind": "signal", "details": details},
            "expect": {"kind": "response_closed"},
            "within": 30,
        }
    )
    return [p.message for p in criteria_problems([criterion], scenario, [], "c.yaml")]


def test_a_criterion_may_wait_for_the_lift() -> None:
    assert _problems({"signal": "lifted"}) == []
    assert _problems({"signal": "Lifted"}) == []


@pytest.mark.parametrize("op", [">=", "<="])
def test_a_lift_has_no_rank_to_compare(op: str) -> None:
    assert _problems({"signal": f"{op}lifted"}) == [
        f"signal: a lifted signal has no rank to compare with {op}"
    ]


def test_a_misspelt_colour_is_still_refused() -> None:
    (message,) = _problems({"signal": "yelow"})
    assert message.startswith("signal: 'yelow' is not one of blue, yellow")


def test_the_lift_starts_the_clock_and_no_colour_matches_it() -> None:
    criterion = criterion_from_data(
        {
            "id": "c1",
            "after": {"kind": "signal", "details": {"signal": "lifted"}},
            "expect": {"kind": "response_closed"},
            "within": 30,
        }
    )
    events = [
        {"time": 1800.0, "kind": "signal", "actor": "x", "details": {"signal": "blue"}},
        {"time": 2070.0, "kind": "signal", "actor": "x", "details": {"signal": "lifted"}},
        {"time": 2077.8, "kind": "response_closed", "actor": "town_room"},
    ]
    verdict = evaluate(criterion, events, now=2200.0, final=True)
    assert verdict.status.value == "met"
    assert verdict.start == 2070.0
    at_least_blue = criterion_from_data(
        {
            "id": "c2",
            "after": {"kind": "signal", "details": {"signal": ">=blue"}},
            "expect": {"kind": "response_closed"},
            "within": 30,
        }
    )
    # The blue at 1800 starts it; the lift at 2070 does not (no close within 30 of blue).
    late = evaluate(at_least_blue, events, now=2200.0, final=True)
    assert late.start == 1800.0 and late.status.value == "missed"
