"""Smoke runs of every benchmark, so none can rot.

Each ``benchmarks/bench_*.py`` runs in its own pytest with
``CMDSIM_BENCH_SMOKE=1``: tiny sizes, every correctness check of the
benchmark (the same bytes serially and in parallel, the fast path's times
equal to the engine's), and its speed targets printed, never judged — a
smoke run says the benchmark works, not how fast this machine is.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .build import scenario

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("bench", sorted(BENCHMARKS.glob("bench_*.py")), ids=lambda path: path.stem)
def test_benchmark_smoke_run(bench: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable, "-m", "pytest", str(bench), "-q", "-s", "-p", "no:cacheprovider",
            "-n", "0",  # in one process: pytest-benchmark is off under xdist's workers
            "--benchmark-disable", f"--basetemp={tmp_path / 'pytest'}",
        ],
        cwd=tmp_path,
        env={**os.environ, "CMDSIM_BENCH_SMOKE": "1"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"{bench.name}:\n{done.stdout}\n{done.stderr}"
    assert " passed" in done.stdout and "skipped" not in done.stdout, done.stdout
    # Every target is reached and reported, not judged.
    assert "smoke run, target not judged" in done.stdout, done.stdout
    assert "target missed" not in done.stdout


def test_engine_benchmark_functions_run() -> None:
    bench = _load("bench_engine")
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


def test_check_benchmark_copies_are_whole_districts() -> None:
    """The checker benchmark's copies find what one district finds, per copy
    (the k-fold district really is k districts for the checker)."""
    from cmdsim.check import check

    bench = _load("bench_check")
    base = bench.bundled()
    one, two = check(base), check(bench.replicate(base, 2))

    def own(cell: Any) -> bool:
        # A town's row spans every hazard of the district, the other copy's
        # too; a copy's own cells are those of its own towns and hazards.
        if cell.tier == "district":
            return True
        return cell.tier[-3:] == cell.hazard[-3:]

    assert sum(map(own, two.matrix.cells)) == 2 * len(one.matrix)
    assert len(bench.replicate(base, 2).plans) == 2 * len(base.plans)
    assert len(two.findings) >= 2 * len(one.findings) - 2 * 4
