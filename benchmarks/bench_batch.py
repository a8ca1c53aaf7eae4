"""Parallel efficiency and memory of batches.

* Process pool, 2 workers, 2,000 replications of the flood-typhoon drill:
  efficiency ``T_serial / (2 × T_pool)`` must be ≥ 0.9.
* Dask LocalCluster of 2 workers, same batch, cluster start excluded: ≥ 0.85.

  Serial and parallel runs of the same replications alternate for
  ``CMDSIM_BENCH_ROUNDS`` rounds (3) and the efficiency is the ratio of the
  summed times; each round is printed.
* Peak memory of a 100,000-replication batch ≤ 1.1× that of a
  1,000-replication batch: the peak resident set of a fresh interpreter
  that loads the drill and runs the batch (``ru_maxrss``).  The fast path
  runs the replications, since 100,000 engine runs take too long for a
  benchmark; the Python heap's peak (tracemalloc) is printed too.

These three are the targets (asserted); every other figure is printed,
among them what a batch spends on a replication besides ``simulate()``
(flattening, rows, sketches, statistics, summary: no target; the figures
of docs/experiments.md, "What a batch costs beyond the engine").
Serial and parallel runs must also give the same bytes (asserted: a
parallel run that computed something else would not be comparable).

Replications use the engine (``cmdsim.sim.simulate``) when it is importable;
until then a stand-in of the same cost, the discrete-event call-out of all
26 HQs of the district (about 900 SimPy events a replication).

Run::

    .venv/bin/pytest benchmarks/bench_batch.py --benchmark-enable -s
"""

from __future__ import annotations

import importlib.util
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import simpy

from cmdsim.analysis import DaskExecutor, ProcessExecutor, SerialExecutor, replicate
from cmdsim.analysis.fastpath import draw_callout
from cmdsim.analysis.metrics import onset_bands
from cmdsim.analysis.seeds import analysis_stream as stream
from cmdsim.io import load_scenario
from cmdsim.model import Command, Scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "flood-typhoon.yaml"
SMOKE = os.environ.get("CMDSIM_BENCH_SMOKE", "") == "1"
"""A smoke run (``benchmarks/conftest.py``): tiny sizes, targets not judged."""
N = 40 if SMOKE else 2000
HAVE_ENGINE = importlib.util.find_spec("cmdsim.sim") is not None


def _callout_events(command: Command, draws: Any) -> float:
    env = simpy.Environment()
    needed = {p.id: p.needed for p in command.posts}
    arrived = dict.fromkeys(needed, 0)
    filled: set[str] = set()
    done: list[float] = []

    def person(post: str, delay: float) -> Any:
        yield env.timeout(delay)
        arrived[post] += 1
        if arrived[post] == needed[post]:
            filled.add(post)
            if not done and all(sum(p in filled for p in t.posts) >= t.k for t in command.quorum):
                done.append(env.now)

    for post in command.posts:
        d = draws[post.id]
        for delay, reached in zip(d.arrivals[:, 0], d.reached[:, 0], strict=True):
            if reached:
                env.process(person(post.id, float(delay)))
    env.run()
    return done[0] if done else math.nan


def standin_run(scenario: Scenario, seq: np.random.SeedSequence) -> dict[str, float]:
    """The discrete-event call-out of every HQ, one named stream per HQ."""
    out = onset_bands(scenario)
    band = scenario.district.calendar.band(scenario.incidents[0].onset)
    for command in scenario.district.commands:
        draws = draw_callout(command, band, stream(seq, f"callout.{command.id}"), 1)
        out[f"hq.{command.id}.activated"] = _callout_events(command, draws)
    return out


def _run() -> Any:
    if HAVE_ENGINE:
        from cmdsim.analysis.metrics import engine_run

        return engine_run
    return standin_run


def _timed(scenario: Scenario, executor: Any) -> tuple[float, str]:
    start = time.perf_counter()
    result = replicate(scenario, N, seed=1, run=_run(), executor=executor)
    return time.perf_counter() - start, result.to_json()


ROUNDS = 1 if SMOKE else int(os.environ.get("CMDSIM_BENCH_ROUNDS", "3"))
"""Serial and parallel runs alternate this many times (2 cores, shared and
noisy: a lone run can be 20 % off either way)."""


def _efficiency(scenario: Scenario, executor: Any, label: str) -> float:
    """``sum(T_serial) / (2 × sum(T_parallel))`` over alternating rounds.

    Every round runs the same 2,000 replications serially and on
    ``executor`` (order swapped every other round), and checks the bytes.
    """
    serial: list[float] = []
    parallel: list[float] = []
    for k in range(ROUNDS):
        first, second = (SerialExecutor(), executor) if k % 2 == 0 else (executor, SerialExecutor())
        t1, text1 = _timed(scenario, first)
        t2, text2 = _timed(scenario, second)
        assert text1 == text2
        ts, tp = (t1, t2) if k % 2 == 0 else (t2, t1)
        serial.append(ts)
        parallel.append(tp)
        ratio = ts / (2 * tp)
        print(f"\n  round {k + 1}: serial {ts:.2f} s, {label} {tp:.2f} s, efficiency {ratio:.3f}")
    return sum(serial) / (2 * sum(parallel))


def test_process_pool_efficiency(benchmark: Any, target: Any) -> None:
    scenario = load_scenario(SCENARIO)
    with ProcessExecutor(2) as pool:  # workers start here, not timed
        efficiency = benchmark.pedantic(lambda: _efficiency(scenario, pool, "pool"), rounds=1)
    engine = "engine" if HAVE_ENGINE else "stand-in"
    print(f"\nprocess pool ({engine}), 2 workers, {ROUNDS} rounds:"
          f" efficiency {efficiency:.3f} (target >= 0.9)")  # fmt: skip
    target(efficiency >= 0.9, f"process pool efficiency {efficiency:.3f} (target >= 0.9)")


def test_dask_local_cluster_efficiency(benchmark: Any, target: Any) -> None:
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    scenario = load_scenario(SCENARIO)
    # Cluster start is not timed; the executor imports cmdsim and the engine
    # on the workers as it starts (no replication runs before the timer).
    with DaskExecutor("local", workers=2) as dask:
        efficiency = benchmark.pedantic(lambda: _efficiency(scenario, dask, "dask"), rounds=1)
    print(f"\nDask LocalCluster, 2 workers, {ROUNDS} rounds:"
          f" efficiency {efficiency:.3f} (target >= 0.85)")  # fmt: skip
    target(efficiency >= 0.85, f"Dask efficiency {efficiency:.3f} (target >= 0.85)")


_MEMORY = """
import resource, sys, tracemalloc
from cmdsim.analysis import replicate
from cmdsim.io import load_scenario
scenario = load_scenario(sys.argv[1])
if sys.argv[3] == "heap":
    replicate(scenario, 64, seed=1, fast=True)  # warm caches and imports
    tracemalloc.start()
replicate(scenario, int(sys.argv[2]), seed=1, fast=True)
if sys.argv[3] == "heap":
    print(tracemalloc.get_traced_memory()[1])
else:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def _peak(n: int, what: str = "rss") -> int:
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY, str(SCENARIO), str(n), what],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(done.stdout.split()[-1])


SMALL, LARGE = (20, 100) if SMOKE else (1_000, 100_000)


def test_memory_is_bounded(benchmark: Any, target: Any) -> None:
    small = _peak(SMALL)
    large = benchmark.pedantic(lambda: _peak(LARGE), rounds=1)
    ratio = large / small
    heap = "not measured in a smoke run"  # two more interpreters, the same code path
    if not SMOKE:
        heap_small, heap_large = _peak(SMALL, "heap"), _peak(LARGE, "heap")
        heap = f"{heap_small / 1024:.0f} KiB and {heap_large / 1024:.0f} KiB"
    print(
        f"\npeak RSS: {SMALL:,} replications {small / 2**20:.1f} MiB, {LARGE:,} replications "
        f"{large / 2**20:.1f} MiB, ratio {ratio:.3f} (target <= 1.1); Python heap peak {heap}"
    )
    target(ratio <= 1.1, f"peak RSS ratio {ratio:.3f} (target <= 1.1)")


BOOKKEPT = 10 if SMOKE else 200


def _bookkeeping(scenario: Scenario, results: list[Any], size: int) -> dict[str, float]:
    """CPU seconds of each step a batch takes for ``results`` besides the runs."""
    from cmdsim.analysis.batch import summary_json
    from cmdsim.analysis.chunks import Chunk, ChunkTask
    from cmdsim.analysis.colstats import ColumnCollector
    from cmdsim.analysis.metrics import flatten

    clock = time.process_time
    spent: dict[str, float] = {}
    start = clock()
    flats = [flatten(r.record.to_data()) for r in results]  # to_data: the run's own record
    spent["flatten"] = clock() - start
    start = clock()
    records = []
    for flat in flats:
        flat.update(onset_bands(scenario))
        records.append({str(k): float(v) for k, v in flat.items()})
    chunks = [
        Chunk.of_records(ChunkTask(k, a, a + size, scenario, 1, None), records[a : a + size])
        for k, a in enumerate(range(0, len(records), size))
    ]
    spent["rows"] = clock() - start
    start = clock()
    chunks = [chunk.with_sketches() for chunk in chunks]
    spent["sketch"] = clock() - start
    collector = ColumnCollector()
    start = clock()
    for chunk in chunks:
        collector.add_rows(chunk.columns, chunk.rows)
        assert chunk.sketches is not None
        collector.merge_sketches(chunk.sketches)
    spent["reduce"] = clock() - start
    start = clock()
    summary_json(collector.summary())
    spent["summary"] = clock() - start
    return spent


def test_bookkeeping_per_replication(benchmark: Any) -> None:
    """A batch's cost per replication besides ``simulate()``: flattening,
    rows, sketches, statistics and the summary, best of three (printed; the
    docs' figures in docs/experiments.md come from here)."""
    if not HAVE_ENGINE:
        return
    from cmdsim.analysis.seeds import replication_seed
    from cmdsim.sim import SimOptions, simulate

    scenario = load_scenario(SCENARIO)
    options = SimOptions(log=False)
    start = time.process_time()
    results = [simulate(scenario, replication_seed(1, i), options=options) for i in range(BOOKKEPT)]
    engine = (time.process_time() - start) / BOOKKEPT
    rounds = [_bookkeeping(scenario, results, 50) for _ in range(1 if SMOKE else 3)]
    best = {step: min(r[step] for r in rounds) * 1000 / BOOKKEPT for step in rounds[0]}
    benchmark.pedantic(lambda: _bookkeeping(scenario, results, 50), rounds=1)
    steps = ", ".join(f"{step} {ms:.3f}" for step, ms in best.items())
    print(
        f"\nbookkeeping of {BOOKKEPT} replications of {SCENARIO.name} (chunks of 50), ms a "
        f"replication: {steps}; total {sum(best.values()):.2f} against the engine's "
        f"{engine * 1000:.1f}"
    )
