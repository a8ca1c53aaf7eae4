"""A timeline point that only changes or lifts the signal is the met service's:
the warning channel reports it, no ground channel does (sim/topology.py,
``carries``).  Exact timelines checked by hand, and a property over any
timeline of colours, lifts and figures.

The tiny scenario of ``build.py`` (10:00 on a Wednesday, every factor 1):
onset at minute 60, the hotline takes 10 minutes and misses nothing, one
duty officer triages in 5; a warning channel ``met`` is added, 1 minute.
"""

from __future__ import annotations

from collections import Counter

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.model import Channel, ChannelKind
from cmdsim.model.levels import Lift, Signal
from cmdsim.model.scenario import Inject, Scenario, SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate
from cmdsim.sim.compiled import compiled
from cmdsim.sim.topology import carries, opening, seen_on_ground

from .build import ONE, scenario

ONSET, HOTLINE, MET = 60.0, 10.0, 1.0
ARRIVED = ("aware", "report_received")


def with_met(timeline: tuple[SeverityPoint, ...]) -> Scenario:
    base = scenario(timeline=timeline)
    met = Channel(id="met", kind=ChannelKind.WARNING, delay=Fixed(MET), miss=0.0, factors=ONE)
    district = attrs.evolve(base.district, channels=(*base.district.channels, met))
    return attrs.evolve(base, district=district)


def arrivals(result: object) -> list[tuple[float, str]]:
    """(minute, channel) of every report reaching the district room."""
    return [
        (e.time, e.detail("channel"))
        for e in result.events  # type: ignore[attr-defined]
        if e.kind in ARRIVED
    ]


def test_a_signal_only_point_is_reported_by_the_warning_channel_alone() -> None:
    timeline = (
        SeverityPoint(at=-20, signal=Signal.BLUE),
        SeverityPoint(at=0, rainfall=20),
        SeverityPoint(at=30, signal=Signal.YELLOW),  # signal only
        SeverityPoint(at=60, rainfall=40, signal=Signal.ORANGE),  # figures and signal
        SeverityPoint(at=90, signal=Lift.LIFTED),  # signal only: a lift
    )
    result = simulate(with_met(timeline), seed=0)
    # met: blue 40 + 1; yellow 90 + 1; orange 120 + 1; lifted 150 + 1.
    # hotline: the onset's rain 60 + 10; the rain of 120 + 10.  Before, the
    # hotline also "saw" the yellow (100) and the lift (160): 8 reports, now 6.
    assert arrivals(result) == [
        (41.0, "met"),
        (70.0, "hotline"),
        (91.0, "met"),
        (121.0, "met"),
        (130.0, "hotline"),
        (151.0, "met"),
    ]
    assert result.metrics["incident"]["flood1"]["reports"] == 6
    # The figures-and-signal report of the hotline carries the picture in
    # force: the rain and the orange it saw with it (triaged 130..135, the
    # officer free since the met report's triage ended at 126).
    assert [(e.time, e.kind) for e in result.events if e.time in (130.0, 135.0)] == [
        (130.0, "report_received"),
        (135.0, "report_update"),
    ]


def test_a_signal_only_point_at_onset_is_the_incident_seen_on_the_ground() -> None:
    # The opening point (the first from onset on) is news whatever it states:
    # the incident has begun.  60 + 10 and 90 + 10; met 40 + 1 and 60 + 1.
    timeline = (
        SeverityPoint(at=-20, signal=Signal.BLUE),
        SeverityPoint(at=0, signal=Signal.YELLOW),
        SeverityPoint(at=30, rainfall=20),
    )
    assert arrivals(simulate(with_met(timeline), seed=0)) == [
        (41.0, "met"),
        (61.0, "met"),
        (70.0, "hotline"),
        (100.0, "hotline"),
    ]
    # A timeline of warnings only: the first point from onset on opens it,
    # even a lift (the warning channel reports the lift too: 80 + 1).
    warnings_only = (
        SeverityPoint(at=-20, signal=Signal.BLUE),
        SeverityPoint(at=20, signal=Lift.LIFTED),
    )
    assert arrivals(simulate(with_met(warnings_only), seed=0)) == [
        (41.0, "met"),
        (81.0, "met"),
        (90.0, "hotline"),
    ]
    # No timeline: the onset alone, reported by the hotline.
    assert arrivals(simulate(with_met(()), seed=0)) == [(70.0, "hotline")]


def test_an_inject_is_a_report_of_its_own_whatever_the_timeline_says() -> None:
    # A scripted message about the yellow, handed in on the hotline at the
    # minute of the signal-only point (90): it is no timeline point, so
    # ``carries`` does not filter it; it reaches the room at once.
    timeline = (SeverityPoint(at=0, rainfall=20), SeverityPoint(at=30, signal=Signal.YELLOW))
    inject = Inject(id="yellow", at=90, channel="hotline", hazard="flood", town="town_a")
    sc = attrs.evolve(with_met(timeline), injects=(inject,))
    assert arrivals(simulate(sc, seed=0)) == [(70.0, "hotline"), (90.0, "hotline"), (91.0, "met")]


def test_carries_reads_the_point_and_whether_it_opens_the_incident() -> None:
    hotline = Channel(id="hotline")
    met = Channel(id="met", kind=ChannelKind.WARNING)
    yellow = SeverityPoint(at=30, signal=Signal.YELLOW)
    lifted = SeverityPoint(at=30, signal=Lift.LIFTED)
    both = SeverityPoint(at=30, signal=Signal.RED, households=10)
    rain = SeverityPoint(at=30, rainfall=5)
    assert [carries(hotline, p, opens=False) for p in (yellow, lifted, both, rain)] == [
        False,
        False,
        True,
        True,
    ]
    assert [carries(met, p, opens=False) for p in (yellow, lifted, both, rain)] == [
        True,
        True,
        True,
        False,
    ]
    assert carries(hotline, yellow, opens=True)
    assert [seen_on_ground(p) for p in (yellow, lifted, both, rain)] == [False, False, True, True]
    assert opening((SeverityPoint(at=-5, signal=Signal.BLUE), yellow, rain)) is yellow
    assert opening((SeverityPoint(at=-5, signal=Signal.BLUE),)) is None


@st.composite
def signal_timelines(draw: st.DrawFn) -> tuple[SeverityPoint, ...]:
    """Warnings before onset, then points each a signal alone (a colour or a
    lift of one in force), figures alone, or both; times may repeat."""
    points: list[SeverityPoint] = []
    in_force = False
    for lead in sorted(draw(st.sets(st.integers(1, 50), max_size=2)), reverse=True):
        points.append(SeverityPoint(at=-float(lead), signal=draw(st.sampled_from(list(Signal)))))
        in_force = True
    at = 0.0
    for _ in range(draw(st.integers(1, 5))):
        at += draw(st.integers(0, 60))
        kind = draw(st.sampled_from(["signal", "figures", "both"]))
        signal: Signal | Lift | None = None
        if kind != "figures":
            lift = in_force and draw(st.booleans())
            signal = Lift.LIFTED if lift else draw(st.sampled_from(list(Signal)))
            in_force = not lift
        rain = float(draw(st.integers(0, 50))) if kind != "signal" else None
        points.append(SeverityPoint(at=at, signal=signal, rainfall=rain))
    return tuple(points)


def _signal_only(point: SeverityPoint) -> bool:
    return point.signal is not None and point.rainfall is None


@settings(max_examples=60, deadline=None)
@given(signal_timelines(), st.integers(0, 2**32 - 1))
def test_no_ground_report_ever_comes_from_a_signal_only_point(
    timeline: tuple[SeverityPoint, ...], seed: int
) -> None:
    sc = with_met(timeline)
    first = next(p for p in timeline if p.at >= 0)
    # Every point from onset on but the signal-only ones after the first.
    ground = [p for p in timeline if p.at >= 0 and (p is first or not _signal_only(p))]
    warned = [p for p in timeline if p.signal is not None]
    result = simulate(sc, seed=seed)
    got = Counter(arrivals(result))
    want = Counter(
        [(ONSET + p.at + HOTLINE, "hotline") for p in ground]
        + [(ONSET + p.at + MET, "met") for p in warned]
    )
    assert got == want
    # The fast path's list of report sources (Compiled.topology) is the same.
    sources = compiled(sc).topology.sources
    assert Counter((s.at, s.channel.id) for s in sources if s.channel is not None) == Counter(
        [(ONSET + p.at, "hotline") for p in ground] + [(ONSET + p.at, "met") for p in warned]
    )
