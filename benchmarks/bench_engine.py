"""The engine's speed and memory, each against a baseline measured in the same run.

(a) Events per second of :func:`cmdsim.sim.simulate` on the bundled
flood-typhoon scenario, against a bare SimPy loop scheduling the same number
of timeouts; prints the ratio (target ≥ 0.5).
(b) Memory above baseline per simulated person (traced with ``tracemalloc``)
of a cold run (the scenario's compiled form included).  The people are
those the run holds state for: every information officer of the district
(each one a person of the run, see ``cmdsim.sim.officers``) and the people
of each HQ called out (target ≤ 1 KiB each).

Run::

    .venv/bin/pytest benchmarks/bench_engine.py --benchmark-enable -s
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Generator
from pathlib import Path
from typing import Any

import simpy

from cmdsim.model import Scenario
from cmdsim.sim import simulate
from cmdsim.sim.compiled import clear_cache
from cmdsim.sim.engine import execute

ROOT = Path(__file__).resolve().parent.parent
FLOOD = ROOT / "scenarios" / "flood-typhoon.yaml"


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


def best_of(fn: Any, repeat: int = 7) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
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
    return int(officers + sum(run.ledger.called_out.values()))


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


def test_engine_events_per_second(benchmark: Any) -> None:
    scenario = flood_scenario()
    benchmark(simulate, scenario, 1)
    engine, bare, ratio = engine_ratio(scenario)
    print(f"\nengine {engine:,.0f} events/s, bare SimPy {bare:,.0f} events/s, ratio {ratio:.2f}")


def test_memory_per_person(benchmark: Any) -> None:
    scenario = flood_scenario()
    benchmark.pedantic(simulate, args=(scenario, 0), rounds=1, iterations=1)
    per_person, people = memory_per_person(scenario)
    print(f"\n{per_person:.1f} bytes per simulated person ({people} people)")
    assert per_person <= 1024
