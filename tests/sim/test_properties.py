"""Properties of every run (hypothesis), on small generated scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdsim.io import load_scenario
from cmdsim.model import Level, Post, QuorumTerm
from cmdsim.model.scenario import SeverityPoint
from cmdsim.model.timing import Exponential, Fixed, LogNormal, Staffing
from cmdsim.sim import SimOptions, simulate

from .build import command, scenario

delays = st.one_of(
    st.floats(0.0, 30.0).map(Fixed),
    st.floats(1.0, 30.0).map(lambda m: Exponential(mean=m)),
    st.floats(1.0, 30.0).map(lambda m: LogNormal(median=m, sigma=0.6)),
)


@st.composite
def scenarios(draw: st.DrawFn) -> object:
    n_points = draw(st.integers(1, 4))
    times = sorted(draw(st.lists(st.floats(0, 300), min_size=n_points, max_size=n_points)))
    points = tuple(SeverityPoint(at=t, rainfall=draw(st.floats(0, 120))) for t in [0.0, *times[1:]])
    people = draw(st.integers(1, 4))
    hq = command(
        (
            Post(
                id="a",
                people=people,
                needed=draw(st.integers(1, people)),
                callout=draw(delays),
                reach=draw(st.floats(0.5, 1.0)),
            ),
            Post(id="b", callout=draw(delays)),
        ),
        (QuorumTerm(posts=("a", "b"), k=draw(st.integers(1, 2))),),
    )
    return scenario(
        hq=hq,
        channel_delay=draw(delays),
        triage=draw(delays),
        approval=draw(delays),
        staffing=Staffing(day=draw(st.integers(1, 3)), night=1, holiday=1),
        timeline=points,
        thresholds=((Level.IV, 20.0), (Level.III, 50.0), (Level.II, 90.0)),
        reassess=draw(delays.filter(lambda d: d.minimum > 0 or not isinstance(d, Fixed))),
        onset=draw(st.floats(0, 600)),
        horizon=900.0,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(0, 2**32 - 1))
def test_run_properties(sc: object, seed: int) -> None:
    result = simulate(sc, seed)  # type: ignore[arg-type]
    times = [e.time for e in result.events]
    assert times == sorted(times), "the log is time-ordered"
    assert result.to_json() == simulate(sc, seed).to_json(), "same seed, same bytes"  # type: ignore[arg-type]
    unlogged = simulate(sc, seed, options=SimOptions(log=False))  # type: ignore[arg-type]
    assert unlogged.events == () and unlogged.metrics == result.metrics, "the log changes nothing"
    assert unlogged.metrics["events"] == len(result.events)

    district = sc.district  # type: ignore[attr-defined]
    plan = district.plans[0]
    room = district.duty_room
    channel = district.channels[0]
    earliest = channel.delay.minimum + room.triage.minimum + room.approval.minimum
    for m in result.metrics["incident"].values():
        for hq in m["hq"].values():
            assert hq["notified"] >= earliest - 1e-9, "notified before any report could arrive"
            if hq["activated"] is not None:
                assert hq["activated"] >= hq["notified"]
    for event in result.events:
        if event.kind in ("level_decided", "level_escalated"):
            known = dict(event.detail("known"))
            allowed = plan.level_for(known)
            assert allowed is not None and Level(event.detail("level")) <= allowed, (
                "a level above what the plan allows for what is known"
            )


@pytest.mark.parametrize(
    "path",
    [
        "flood-typhoon.yaml",
        "gas.yaml",
        "traffic.yaml",
        "compound-typhoon.yaml",
        "typhoon-landfall.yaml",
        "town_plan.yaml",
    ],
)
def test_no_log_gives_the_same_metrics_on_the_bundled_scenarios(path: str) -> None:
    """What a batch runs (no event log) gives every metric a logged run gives."""
    root = Path(__file__).resolve().parents[2]
    found = root / "scenarios" / path
    sc = load_scenario(found if found.exists() else Path(__file__).parent / path)
    for seed in (0, 7):
        logged = simulate(sc, seed)
        unlogged = simulate(sc, seed, options=SimOptions(log=False))
        assert unlogged.metrics_json() == logged.metrics_json() and not unlogged.events
