"""One tiny round of the engine benchmarks, so they cannot rot."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from .build import scenario

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_engine.py"


def test_engine_benchmark_functions_run() -> None:
    spec = importlib.util.spec_from_file_location("bench_engine", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    tiny = scenario()
    engine, bare, ratio = bench.engine_ratio(tiny, repeat=1)
    assert engine > 0 and bare > 0 and ratio > 0
    skel, over, whole, n, m = bench.skeleton_ratio(tiny, repeat=1)
    assert min(skel, over, whole) > 0
    # The skeleton schedules the engine's mix: its count is the engine's,
    # give or take the dispatcher's and the blockers' few.
    assert abs(m - n) <= max(10, n // 20), (m, n)
    per_person, people = bench.memory_per_person(tiny)
    assert people >= 1 and per_person > 0
