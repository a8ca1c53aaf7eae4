"""The engine's speed and memory, each against a baseline measured in the same run.

(a) Events per second of :func:`cmdsim.sim.simulate` on the bundled
flood-typhoon scenario, against a bare SimPy loop scheduling the same number
of timeouts; prints the ratio (target ≥ 0.5).  Also against a SimPy
*skeleton* with the engine's event mix and no domain code — as many
processes, timeouts, resource requests and releases, store puts and gets as
one engine run schedules (:func:`event_mix`, :func:`skeleton`) — which
splits the gap: skeleton ÷ bare is what SimPy's own handling of that mix
allows, engine ÷ skeleton is what the engine's code costs on top.
(b) Memory above baseline per simulated person (traced with ``tracemalloc``)
of a cold run (the scenario's compiled form included).  The people are
those the run holds state for: every information officer of the district
(each one a person of the run, see ``cmdsim.sim.officers``) and the people
of each HQ called out (target ≤ 1 KiB each).

The targets, asserted: engine ÷ skeleton ≥ 0.6 (issue 16, which replaced
issue 3's engine ÷ bare ≥ 0.5, out of reach of SimPy by construction: see
docs/engine.md) and ≤ 1 KiB per person.  Every other figure is printed.

Run::

    .venv/bin/pytest benchmarks/bench_engine.py --benchmark-enable -s
"""

from __future__ import annotations

import gc
import os
import time
import tracemalloc
from collections import Counter
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import simpy

from cmdsim.model import Scenario
from cmdsim.sim import simulate
from cmdsim.sim.compiled import clear_cache
from cmdsim.sim.engine import execute

ROOT = Path(__file__).resolve().parent.parent
FLOOD = ROOT / "scenarios" / "flood-typhoon.yaml"
SMOKE = os.environ.get("CMDSIM_BENCH_SMOKE", "") == "1"
"""A smoke run (``benchmarks/conftest.py``): one round each, targets not judged."""
REPEAT = 1 if SMOKE else 7


def flood_scenario() -> Scenario:
    from cmdsim.io import load_scenario

    return load_scenario(FLOOD)


def bare_simpy(n: int) -> None:
    env = simpy.Environment()

    def ticks(env: simpy.Environment) -> Generator[Any, Any, None]:
        for _ in range(n):
            yield env.timeout(1.0)

    env.process(ticks(env))
    env.run()


def engine_events(scenario: Scenario) -> int:
    """How many SimPy events one engine run schedules."""
    run = execute(scenario, 0)
    return int(next(run.env._eid))


@contextmanager
def counting_schedules() -> Iterator[Counter[str]]:
    """Count every event SimPy schedules in the block, by the event's class name."""
    counts: Counter[str] = Counter()
    original = simpy.Environment.schedule

    def schedule(self: simpy.Environment, event: Any, priority: int = 1, delay: Any = 0) -> None:
        counts[type(event).__name__] += 1
        original(self, event, priority, delay)

    simpy.Environment.schedule = schedule  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        simpy.Environment.schedule = original  # type: ignore[method-assign]


def event_mix(scenario: Scenario) -> Counter[str]:
    """The SimPy events one engine run schedules, by kind (``Timeout``, ``Initialize``...)."""
    with counting_schedules() as counts:
        execute(scenario, 1)
    return counts


def skeleton(mix: Counter[str]) -> None:
    """SimPy alone doing the engine's event mix: the same processes, timeouts,
    requests and releases, store and container traffic, with no domain code.

    Each process (one per ``Initialize``) does its share of the timeouts and
    at most one of: a priority-resource request, a resource request, a
    container get and put, a put into the store a dispatcher process reads
    from — as the engine's report handlers, units and channels do.
    """
    env = simpy.Environment()
    processes = max(mix["Initialize"] - 1, 1)  # the dispatcher is one of them
    rooms = simpy.PriorityResource(env, capacity=10**9)
    staff = simpy.Resource(env, capacity=10**9)
    pumps = simpy.Container(env, capacity=10**9, init=10**9)
    inbox: simpy.Store = simpy.Store(env)
    timeouts, extra = divmod(mix["Timeout"], processes)
    jobs = (
        ["priority"] * mix["PriorityRequest"]
        + ["request"] * mix["Request"]
        + ["container"] * mix["ContainerGet"]
        + ["store"] * mix["StorePut"]
    )

    def dispatcher() -> Generator[Any, Any, None]:
        while True:
            yield inbox.get()

    def worker(job: str, ticks: int) -> Generator[Any, Any, None]:
        if job == "priority":
            request = rooms.request(priority=0)
            yield request
        elif job == "request":
            request = staff.request()
            yield request
        elif job == "container":
            yield pumps.get(1)
        elif job == "store":
            inbox.put(job)
        for _ in range(ticks):
            yield env.timeout(1.0)
        if job == "priority":
            rooms.release(request)
        elif job == "request":
            staff.release(request)
        elif job == "container":
            yield pumps.put(1)

    env.process(dispatcher())
    for index in range(processes):
        job = jobs[index] if index < len(jobs) else ""
        env.process(worker(job, timeouts + (1 if index < extra else 0)))
    env.run()


class _Recorder:
    """A generator that notes every draw (method and arguments) made from it."""

    def __init__(self, rng: Any, calls: list[tuple[str, str, tuple[Any, ...]]], name: str):
        self._rng, self._calls, self._name = rng, calls, name

    def __getattr__(self, method: str) -> Any:
        target = getattr(self._rng, method)

        def draw(*args: Any) -> Any:
            self._calls.append((self._name, method, args))
            return target(*args)

        return draw


def run_draws(scenario: Scenario) -> list[tuple[str, str, tuple[Any, ...]]]:
    """Every stream one engine run makes and every draw from it, in order."""
    from cmdsim.sim import streams

    calls: list[tuple[str, str, tuple[Any, ...]]] = []
    original = streams.stream_from_key

    def recording(key: bytes, name: str) -> Any:
        calls.append((name, "", ()))
        return _Recorder(original(key, name), calls, name)

    streams.stream_from_key = recording  # type: ignore[assignment]
    try:
        execute(scenario, 1)
    finally:
        streams.stream_from_key = original
    return calls


def replay_draws(calls: list[tuple[str, str, tuple[Any, ...]]]) -> None:
    """Make the same streams and the same draws as one engine run, nothing else."""
    from cmdsim.sim.streams import Streams

    made = Streams(1)
    for name, method, args in calls:
        rng = made(name)
        if method:
            getattr(rng, method)(*args)


def skeleton_ratio(
    scenario: Scenario, repeat: int = 7, clock: Any = time.perf_counter
) -> tuple[float, float, float, int, int]:
    """(skeleton ÷ bare, engine ÷ skeleton, engine ÷ bare, engine events, skeleton events),
    each rate the best of ``repeat``, the three runs interleaved, timed by ``clock``."""
    mix = event_mix(scenario)
    n = sum(mix.values())
    with counting_schedules() as counts:
        skeleton(mix)
    m = sum(counts.values())
    engine = bare = skel = float("inf")
    for _ in range(repeat):
        engine = min(engine, best_of(lambda: simulate(scenario, 1), 1, clock))
        bare = min(bare, best_of(lambda: bare_simpy(n), 1, clock))
        skel = min(skel, best_of(lambda: skeleton(mix), 1, clock))
    engine_rate, bare_rate, skel_rate = n / engine, n / bare, m / skel
    return (
        skel_rate / bare_rate,
        engine_rate / skel_rate,
        engine_rate / bare_rate,
        n,
        m,
    )


def best_of(fn: Any, repeat: int = 7, clock: Any = time.perf_counter) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        fn()
        best = min(best, clock() - start)
    return best


def engine_ratio(scenario: Scenario, repeat: int = 7) -> tuple[float, float, float]:
    """(engine events/s, bare SimPy events/s, ratio), best of ``repeat`` each."""
    n = engine_events(scenario)
    engine = n / best_of(lambda: simulate(scenario, 1), repeat)
    bare = n / best_of(lambda: bare_simpy(n), repeat)
    return engine, bare, engine / bare


def simulated_people(scenario: Scenario, seed: int = 0) -> int:
    """How many people one run simulates: officers it holds state for, HQ people called out."""
    run = execute(scenario, seed)
    officers = run.officers.people.count if run.officers is not None else 0
    # every command notified of something was called out (once, or again after standing down)
    called = {command for facts in run.ledger.incidents.values() for command in facts.hq}
    people = (p.people for c in scenario.district.commands if c.id in called for p in c.posts)
    return int(officers + sum(people))


def memory_per_person(scenario: Scenario) -> tuple[float, int]:
    """(bytes per simulated person at a cold run's peak, people)."""
    people = simulated_people(scenario)  # imports outside the measurement
    clear_cache()  # the compiled scenario (officers' numbering included) is measured
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    result = simulate(scenario, 0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del result
    return (peak - base) / max(people, 1), people


def test_engine_events_per_second(benchmark: Any, target: Any) -> None:
    scenario = flood_scenario()
    benchmark(simulate, scenario, 1)
    engine, bare, ratio = engine_ratio(scenario, repeat=REPEAT)
    print(
        f"\nengine {engine:,.0f} events/s, bare SimPy {bare:,.0f} events/s, "
        f"ratio {ratio:.2f} (no target)"
    )
    skel, over, whole, n, m = skeleton_ratio(scenario, repeat=1 if SMOKE else 30)
    print(
        f"SimPy skeleton of the engine's event mix ({m} events for the engine's {n}): "
        f"skeleton/bare {skel:.2f}, engine/skeleton {over:.2f} (target >= 0.6), "
        f"engine/bare {whole:.2f}"
    )
    # On a loaded machine a 6 ms run is rarely left alone for its whole wall
    # time while the 1-2 ms baselines often are: CPU time says what the code
    # costs there (printed only; the target stays on wall time).
    _, cpu_over, _, _, _ = skeleton_ratio(
        scenario, repeat=1 if SMOKE else 30, clock=time.process_time
    )
    print(f"engine/skeleton in CPU time {cpu_over:.2f} (no target)")
    # What no engine of these results can do without: the same streams and
    # draws (numpy), on top of SimPy's handling of the same events.
    calls = run_draws(scenario)
    draws = sum(1 for _, method, _ in calls if method)
    streams = len(calls) - draws
    mix = event_mix(scenario)
    clock = time.process_time
    skel = best_of(lambda: skeleton(mix), 1 if SMOKE else 30, clock)
    replay = best_of(lambda: replay_draws(calls), 1 if SMOKE else 30, clock)
    print(
        f"the run's {streams} streams and {draws} draws alone: {replay * 1e3:.2f} ms "
        f"(skeleton {skel * 1e3:.2f} ms): engine/skeleton could be at most "
        f"{skel / (skel + replay):.2f} with no other code and SimPy's part no dearer "
        "than the skeleton (no target)"
    )
    target(over >= 0.6, f"engine/skeleton {over:.2f} (target >= 0.6)")


def test_memory_per_person(benchmark: Any, target: Any) -> None:
    scenario = flood_scenario()
    benchmark.pedantic(simulate, args=(scenario, 0), rounds=1, iterations=1)
    per_person, people = memory_per_person(scenario)
    print(f"\n{per_person:.1f} bytes per simulated person ({people} people; target <= 1024)")
    target(per_person <= 1024, f"{per_person:.1f} bytes per simulated person (target <= 1024)")
