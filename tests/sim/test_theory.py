"""The engine against queueing theory and order statistics (fixed seeds)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cmdsim.analysis.fastpath import activation_delay as fast_delay
from cmdsim.analysis.fastpath import draw_callout as fast_draw
from cmdsim.model import Post, QuorumTerm
from cmdsim.model.levels import TimeBand
from cmdsim.model.timing import Exponential, Fixed, Staffing
from cmdsim.sim import SimOptions, simulate
from cmdsim.sim.context import Run
from cmdsim.sim.dutyroom import DutyRoomProcess
from cmdsim.sim.reporting import Report
from cmdsim.sim.streams import root_sequence, stream
from cmdsim.sim.theory import erlang_c_wait, exponential_kth_mean

from .build import command, scenario


def _ci(values: list[float]) -> tuple[float, float]:
    mean = float(np.mean(values))
    half = 1.96 * float(np.std(values, ddof=1)) / math.sqrt(len(values))
    return mean - half, mean + half


@pytest.mark.slow
def test_duty_room_matches_erlang_c() -> None:
    servers, rate, service = 2, 0.4, 4.0  # load 0.8 per officer
    sc = scenario(
        staffing=Staffing(day=servers, night=servers, holiday=servers),
        triage=Exponential(mean=service),
        horizon=4000.0,
    )
    room = sc.district.duty_room
    means = []
    # 60 replications: with 20 the interval is wide and one seed set in twenty
    # misses by chance (the first 20 of the hashed streams did: 5.2-6.9).
    for rep in range(60):
        run = Run(sc, rep, SimOptions())
        process = DutyRoomProcess(run, room, lambda report: None)
        arrivals = np.random.default_rng([rep, 99])

        def feed(run: Run = run, process: DutyRoomProcess = process, rng=arrivals):  # type: ignore[no-untyped-def]
            while True:
                yield run.env.timeout(rng.exponential(1 / rate))
                process.inbox.put(Report("x", "flood", None, "hotline", 0.0, {}))

        run.env.process(feed())
        run.env.run(until=sc.horizon)
        waits = run.ledger.waits[room.id]
        means.append(float(np.mean(waits[200:])))  # drop the empty-start transient
    low, high = _ci(means)
    assert low <= erlang_c_wait(servers, rate, service) <= high


@pytest.mark.slow
def test_k_of_n_quorum_matches_order_statistics() -> None:
    n, k, mean = 6, 4, 10.0
    hq = command((Post(id="crew", people=n, needed=k, callout=Exponential(mean=mean)),))
    sc = scenario(hq=hq, horizon=400.0)
    delays = []
    for seed in range(300):
        hqm = simulate(sc, seed).metrics["incident"]["flood1"]["hq"]["hq"]
        delays.append(hqm["time_to_activate"])
    low, high = _ci(delays)
    assert low <= exponential_kth_mean(k, n, 1 / mean) <= high


def test_critical_path_exact_with_unlimited_capacity() -> None:
    posts = (
        Post(id="a", callout=Fixed(20.0)),
        Post(id="b", callout=Fixed(30.0)),
        Post(id="c", callout=Fixed(40.0)),
        Post(id="d", people=3, needed=2, callout=Fixed(50.0)),
    )
    cases = [
        ((QuorumTerm(posts=("a", "b", "c"), k=2), QuorumTerm(posts=("d",))), 50.0),
        ((QuorumTerm(posts=("a", "b", "c", "d"), k=3),), 40.0),
        ((QuorumTerm(posts=("a", "b"), k=1),), 20.0),
        ((), 50.0),
    ]
    options = SimOptions(unlimited_capacity=True)
    for quorum, path in cases:
        sc = scenario(hq=command(posts, quorum))
        m = simulate(sc, 0, options=options).metrics["incident"]["flood1"]
        # channel 10 + triage 5 + approval 8 after onset, then the call-out's longest path
        assert m["hq"]["hq"]["notified"] == 23.0
        assert m["hq"]["hq"]["activated"] == 23.0 + path


def test_fast_path_fed_the_same_stream_gives_the_same_time() -> None:
    posts = (
        Post(id="lead", people=2, callout=Exponential(mean=15.0), reach=0.9),
        Post(id="crew", people=5, needed=3, callout=Exponential(mean=25.0), reach=0.8),
    )
    hq = command(posts, (QuorumTerm(posts=("lead",)), QuorumTerm(posts=("crew",))))
    sc = scenario(hq=hq, horizon=2000.0)
    for seed in range(10):
        m = simulate(sc, seed, options=SimOptions(unlimited_capacity=True))
        engine = m.metrics["incident"]["flood1"]["hq"]["hq"]["time_to_activate"]
        rng = stream(root_sequence(seed), "callout/hq")
        fast = float(fast_delay(hq, fast_draw(hq, TimeBand.DAY, rng, 1))[0])
        if math.isinf(fast):
            assert engine is None
        else:
            assert engine is not None and math.isclose(engine, fast, rel_tol=0, abs_tol=1e-9)
