"""What the log says of a timeline point: a ``signal`` event for its signal,
a ``severity`` event for the figures and conditions it states after onset,
and no event that says nothing (sim/incident.py).

The tiny scenario of ``build.py``: onset at minute 60 (10:00 start), so a
point at ``at`` happens at minute ``60 + at``.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.model.levels import Issuer, Lift, Signal
from cmdsim.model.scenario import SeverityPoint
from cmdsim.sim import simulate
from cmdsim.sim.events import EventKind

from .build import scenario

INCIDENT_KINDS = (EventKind.SIGNAL, EventKind.SEVERITY)


def incident_events(timeline: tuple[SeverityPoint, ...]) -> list[tuple[float, str, dict[str, Any]]]:
    result = simulate(scenario(timeline=timeline), seed=0)
    return [(e.time, e.kind, dict(e.details)) for e in result.events if e.kind in INCIDENT_KINDS]


def test_a_signal_only_point_is_its_signal_event_alone() -> None:
    timeline = (
        SeverityPoint(at=-20, signal=Signal.BLUE),
        SeverityPoint(at=0, rainfall=20),
        SeverityPoint(at=30, signal=Signal.YELLOW),  # signal only
        SeverityPoint(at=60, rainfall=40, signal=Signal.ORANGE),  # figures and signal
        SeverityPoint(at=90, signal=Lift.LIFTED),  # signal only: a lift
        SeverityPoint(at=100, signal=Signal.RED, issuer=Issuer.DISTRICT),  # the station's own
        SeverityPoint(at=120, deaths=1),  # figures only
    )
    # Before: a ``severity`` event with no details at 90 and at 150 too.
    # Each signal names its issuer: the city's unless the point says otherwise.
    assert incident_events(timeline) == [
        (40.0, "signal", {"signal": "blue", "issuer": "city", "at": -20.0}),
        (90.0, "signal", {"signal": "yellow", "issuer": "city", "at": 30.0}),
        (120.0, "signal", {"signal": "orange", "issuer": "city", "at": 60.0}),
        (120.0, "severity", {"rainfall": 40.0}),
        (150.0, "signal", {"signal": "lifted", "issuer": "city", "at": 90.0}),
        (160.0, "signal", {"signal": "red", "issuer": "district", "at": 100.0}),
        (180.0, "severity", {"deaths": 1.0}),
    ]


@st.composite
def timelines(draw: st.DrawFn) -> tuple[SeverityPoint, ...]:
    """Points from onset on, each a signal alone, figures alone, or both."""
    points: list[SeverityPoint] = []
    at, in_force = 0.0, False
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["signal", "figures", "both"]))
        signal: Signal | Lift | None = None
        if kind != "figures":
            lift = in_force and draw(st.booleans())
            signal = Lift.LIFTED if lift else draw(st.sampled_from(list(Signal)))
            in_force = not lift
        rain = float(draw(st.integers(0, 50))) if kind != "signal" else None
        points.append(SeverityPoint(at=at, signal=signal, rainfall=rain))
        at += draw(st.integers(1, 60))
    return tuple(points)


@settings(max_examples=40, deadline=None)
@given(timelines())
def test_every_severity_event_states_what_changed(timeline: tuple[SeverityPoint, ...]) -> None:
    events = incident_events(timeline)
    severities = [(t, d) for t, k, d in events if k == "severity"]
    # One per point after onset with a figure, stating that figure; none else.
    assert severities == [
        (60.0 + p.at, {"rainfall": p.rainfall})
        for p in timeline
        if p.at > 0 and p.rainfall is not None
    ]
    assert [t for t, k, _ in events if k == "signal"] == [
        60.0 + p.at for p in timeline if p.signal is not None
    ]
