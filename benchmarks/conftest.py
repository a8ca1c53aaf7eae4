"""What every benchmark shares: its targets are judged through ``target``.

A benchmark asserts only the targets named in the issues and the docs and
prints every other figure.  With ``CMDSIM_BENCH_SMOKE=1`` (the smoke runs of
``tests/sim/test_bench_smoke.py``, part of the ordinary test suite) each
benchmark runs at a tiny size and its targets are printed, not judged: a
smoke run proves the benchmark still runs, never how fast the machine is.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

SMOKE = os.environ.get("CMDSIM_BENCH_SMOKE", "") == "1"
"""A smoke run: tiny sizes, targets printed and not asserted."""


def judge(met: bool, figure: str) -> None:
    """Assert a target (``figure`` says the measured value and the target),
    or in a smoke run only print it."""
    if SMOKE:
        print(f"\nsmoke run, target not judged: {figure}")
        return
    assert met, f"target missed: {figure}"


@pytest.fixture
def target() -> Callable[[bool, str], None]:
    """:func:`judge`, for a benchmark's one or two targets."""
    return judge
