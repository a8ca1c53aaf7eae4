"""A criterion may name whose signal starts its clock: the ``signal`` event
names its ``issuer`` (the city's service or the district's station, each
warning its own), so the station's lift can be told from the city's; a value
that is no issuer, or a comparison, is refused as never matching."""

from __future__ import annotations

import pytest

from cmdsim import bundled
from cmdsim.exercise.criteria import Criterion, criteria_problems, criterion_from_data, evaluate
from cmdsim.io import load_scenario
from cmdsim.sim import simulate


def _criterion(details: dict[str, str]) -> Criterion:
    return criterion_from_data(
        {
            "id": "c1",
            "after": {"kind": "signal", "details": details},
            "expect": {"kind": "response_closed"},
            "within": 30,
        }
    )


def _problems(details: dict[str, str]) -> list[str]:
    scenario = load_scenario(bundled.path("typhoon-landfall.yaml"))
    criterion = _criterion(details)
    return [p.message for p in criteria_problems([criterion], scenario, [], "c.yaml")]


def test_an_issuer_is_city_or_district() -> None:
    assert _problems({"signal": "lifted", "issuer": "district"}) == []
    assert _problems({"issuer": "City"}) == []


@pytest.mark.parametrize("value", ["county", ">=city", "districts"])
def test_anything_else_could_never_match(value: str) -> None:
    assert _problems({"issuer": value}) == [f"issuer: {value!r} is none of city, district"]


def test_the_stations_lift_starts_the_clock_not_the_citys() -> None:
    events = [
        {"time": 2040.0, "kind": "signal", "actor": "x",
         "details": {"signal": "lifted", "issuer": "city"}},
        {"time": 2070.0, "kind": "signal", "actor": "x",
         "details": {"signal": "lifted", "issuer": "district"}},
        {"time": 2077.8, "kind": "response_closed", "actor": "room"},
    ]  # fmt: skip
    verdict = evaluate(_criterion({"signal": "lifted", "issuer": "district"}), events, 2200.0, True)
    assert (verdict.start, verdict.status.value) == (2070.0, "met")
    # Without the issuer the city's lift at 2040 starts it, and 37.8 min is too late.
    either = evaluate(_criterion({"signal": "lifted"}), events, now=2200.0, final=True)
    assert (either.start, either.status.value) == (2040.0, "missed")


def test_the_bundled_drill_logs_each_signals_issuer() -> None:
    scenario = load_scenario(bundled.path("typhoon-landfall.yaml"))
    logged = {
        (dict(e.details)["signal"], dict(e.details)["issuer"])
        for e in simulate(scenario, 0).events
        if e.kind == "signal"
    }
    # The station's own red, its lowering to blue and its lift (typhoon-landfall.yaml).
    assert {("red", "district"), ("blue", "district"), ("lifted", "district")} <= logged
    assert ("lifted", "city") in logged
