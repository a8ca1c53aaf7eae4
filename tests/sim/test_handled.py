"""The handling over (处置完毕, ``SeverityPoint.handled``) ends a response.

The tiny scenario (tests/sim/build.py): a flood at minute 60 with 20 mm of
rain (level IV); reported at 70, triaged at 75, approved at 83; the lead
reassesses every 30 minutes (113, 143 …) and lowers only after 60 minutes
at a level (``hold``).
"""

from __future__ import annotations

import pytest

from cmdsim.analysis.fastpath import permits
from cmdsim.errors import LoadError, ModelError
from cmdsim.io import loads
from cmdsim.model.incidents import SeverityPoint
from cmdsim.sim import simulate

from .build import scenario

KINDS = ("level_decided", "level_escalated", "level_deescalated", "response_closed")


def _moves(result: object) -> list[tuple[float, str, object]]:
    return [
        (e.time, e.kind, e.detail("by"))
        for e in result.events  # type: ignore[attr-defined]
        if e.kind in KINDS
    ]


def test_the_lead_ends_the_response_when_the_handling_is_over() -> None:
    # Over at +50 (minute 110): at the reassessment of 113 the response
    # closes (before the hold of 60 minutes, and with the rain still at 20,
    # which would keep level IV); the hotline's report of the point (120)
    # opens nothing again; the HQ stands down.
    timeline = (SeverityPoint(at=0, rainfall=20), SeverityPoint(at=50, handled=True))
    result = simulate(scenario(timeline=timeline), seed=0)
    assert _moves(result) == [
        (83.0, "level_decided", "plan"),
        (113.0, "response_closed", "handled"),
    ]
    assert [e.time for e in result.of_kind("hq_deactivated")] == [113.0]
    received = [e.time for e in result.of_kind("report_received")]
    assert 120.0 in received


def test_without_it_the_response_holds() -> None:
    result = simulate(scenario(), seed=0)
    assert _moves(result) == [(83.0, "level_decided", "plan")]


def test_an_incident_handled_before_the_room_decides_opens_no_response() -> None:
    # Over at +5 (minute 65), before the first report reaches the room (70):
    # the room learns of it (aware) but puts no level in force.
    timeline = (SeverityPoint(at=0, rainfall=20), SeverityPoint(at=5, handled=True))
    result = simulate(scenario(timeline=timeline), seed=0)
    assert _moves(result) == []
    assert result.metrics["incident"]["flood1"]["aware"] == 10.0


def test_handled_false_is_refused() -> None:
    with pytest.raises(ModelError, match="only true"):
        SeverityPoint(at=5, handled=False)


def test_a_scenario_file_with_handled_false_is_a_located_error() -> None:
    text = """
id: s
district: {include: district/district.yaml}
start: 2024-07-03T10:00:00
horizon: 60
incidents:
  - id: g
    hazard: gas
    town: zhoupu_town
    onset: 2024-07-03T10:00:00
    timeline:
      - {at: 0, deaths: 0}
      - {at: 30, handled: false}
"""
    from cmdsim import bundled

    with pytest.raises(LoadError) as caught:
        loads(text.replace("district/district.yaml", str(bundled.path("district"))))
    assert "timeline[1]" in str(caught.value) and "handled" in str(caught.value)


def test_the_fast_path_refuses_it() -> None:
    timeline = (SeverityPoint(at=0, rainfall=20), SeverityPoint(at=50, handled=True))
    why = permits(scenario(timeline=timeline), ["incident.flood1.aware"])
    assert why is not None and "handled" in why
