"""The fast path: order statistics, exact equality with a discrete-event
call-out fed the same draws, and fast batches."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest
from callout_reference import simulate_callout
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis import ProcessExecutor, replicate
from cmdsim.analysis.fastpath import (
    activation_delay,
    callout_activation,
    draw_callout,
    kth_smallest,
    post_filled,
)
from cmdsim.io import load_scenario
from cmdsim.model import Command, LogNormal, Post, QuorumTerm, TimeBand


@given(
    st.lists(st.floats(0, 1e4, allow_nan=False), min_size=1, max_size=12),
    st.integers(1, 14),
)
def test_kth_smallest_is_the_order_statistic(values: list[float], k: int) -> None:
    got = kth_smallest(np.array([values]).T, k)[0]
    want = sorted(values)[k - 1] if k <= len(values) else math.inf
    assert got == want


def test_a_post_never_fills_when_too_few_are_reached() -> None:
    arrivals = np.array([[5.0, 1.0, 3.0], [5.0, 1.0, 3.0]]).T
    reached = np.array([[True, False, True], [False, False, True]]).T
    assert list(post_filled(arrivals, reached, 2)) == [5.0, math.inf]


def _commands() -> list[Command]:
    quick = LogNormal(median=10.0, sigma=0.4)
    return [
        Command(
            id="one_post",
            lead_unit="bureau",
            posts=(Post(id="commander", people=3, needed=1, reach=0.7),),
            quorum=(QuorumTerm(posts=("commander",), k=1),),
        ),
        Command(
            id="k_of_n",
            lead_unit="bureau",
            posts=(
                Post(id="a", people=2, needed=1, reach=0.9),
                Post(id="b", people=4, needed=2, reach=0.8, callout=quick),
                Post(id="c", people=2, needed=2, reach=0.6),
                Post(id="d", people=5, needed=3, reach=0.95),
            ),
            quorum=(QuorumTerm(posts=("a", "b"), k=1), QuorumTerm(posts=("b", "c", "d"), k=2)),
        ),
        Command(
            id="no_quorum",
            lead_unit="bureau",
            posts=(Post(id="a", people=2, needed=1), Post(id="b", people=3, needed=2)),
        ),
    ]


@pytest.mark.parametrize("band", list(TimeBand))
def test_fast_path_equals_the_discrete_event_callout_exactly(band: TimeBand) -> None:
    rng = np.random.default_rng(12)
    reps = 200
    notified = np.random.default_rng(3).uniform(0, 100, reps)
    for command in _commands():
        draws = draw_callout(command, band, rng, reps)
        fast = notified + activation_delay(command, draws)
        slow = [simulate_callout(command, draws, r, float(notified[r])) for r in range(reps)]
        assert list(fast) == slow, command.id  # exact, not approximate
        assert math.isinf(max(slow)) or command.id == "no_quorum"


def test_the_bundled_district_callout_of_all_25_hqs_matches() -> None:
    district = load_scenario("scenarios/flood-typhoon.yaml").district
    specials = district.special_commands
    assert len(specials) == 25
    reps = 20
    rng_a, rng_b = np.random.default_rng(5), np.random.default_rng(5)
    fast = callout_activation(specials, TimeBand.NIGHT, rng_a, reps)
    for command in specials:
        draws = draw_callout(command, TimeBand.NIGHT, rng_b, reps)
        slow = [simulate_callout(command, draws, r) for r in range(reps)]
        assert list(fast[command.id]) == slow


TINY = Path(__file__).parent / "data" / "fast_tiny.yaml"
GAS_HQ = "incident.leak.hq.gas_hq.time_to_activate"


def test_fast_batch_is_reproducible_and_executor_independent() -> None:
    scenario = load_scenario(TINY)
    serial = replicate(scenario, 300, seed=4, fast=True, chunk_size=50)
    with ProcessExecutor(2) as pool:
        pooled = replicate(scenario, 300, seed=4, fast=True, chunk_size=50, executor=pool)
    assert serial.to_json() == pooled.to_json()
    assert serial.engine == "fast" and serial.summary["engine"] == "fast"
    stats = serial.summary["metrics"][GAS_HQ]
    assert stats["count"] + stats["missing"] == 300
    # The gas HQ's call-out: 1 of 2 commanders and 2 of 4 engineers, each
    # lognormal(25, 0.5) × 1.5 at night: near a typical person's time.
    assert 15 < stats["p50"] < 45


def test_fast_spread_week_populates_every_band() -> None:
    result = replicate(load_scenario(TINY), 400, seed=1, fast=True, spread_week=True)
    counts = result.summary["bands"]["onset_band"]
    assert sum(counts.values()) == 400 and min(counts.values()) > 20
    night = result.summary["by_band"]["night"]["metrics"][GAS_HQ]
    day = result.summary["by_band"]["day"]["metrics"][GAS_HQ]
    assert night["mean"] > day["mean"] * 1.3  # the night factor is 1.5


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_fast_path_and_reference_agree_for_any_seed(seed: int) -> None:
    command = _commands()[1]
    draws = draw_callout(command, TimeBand.HOLIDAY, np.random.default_rng(seed), 8)
    fast = activation_delay(command, draws)
    assert list(fast) == [simulate_callout(command, draws, r) for r in range(8)]


@pytest.mark.parametrize("name", ["gas", "flood-typhoon"])
def test_fast_path_equals_the_engine_exactly(name: str) -> None:
    """Fed the engine's own call-out stream, the fast path gives the engine's
    activation times exactly (engine run with unlimited capacity)."""
    import cmdsim.sim as sim

    scenario = load_scenario(f"scenarios/{name}.yaml")
    calendar = scenario.district.calendar
    options = sim.SimOptions(unlimited_capacity=True)
    compared = 0
    for index in range(3):
        seq = np.random.SeedSequence(11, spawn_key=(index,))
        result = sim.simulate(scenario, seq, options=options)
        notified: dict[str, float] = {}
        activated: dict[str, float] = {}
        for event in result.events:
            if event.kind == "hq_notified":
                notified.setdefault(event.actor, event.time)
            elif event.kind == "hq_activated":
                activated.setdefault(event.actor, event.time)
        assert notified, "nothing was called out"
        for hq, t0 in notified.items():
            command = scenario.district.command(hq)
            band = calendar.band(scenario.start + dt.timedelta(minutes=t0))
            rng = sim.stream(seq, f"callout/{hq}")
            delay = activation_delay(command, draw_callout(command, band, rng, 1))[0]
            if hq in activated:
                assert t0 + delay == activated[hq], hq  # exact
                compared += 1
            else:
                assert math.isinf(delay) or t0 + delay > scenario.horizon
    assert compared >= 3
