"""The order the suite's tests are handed out in: the longest modules first.

CI runs ``pytest -n auto --dist loadgroup`` on two cores: each worker takes
the next test as soon as it is free, in collection order, so the run ends
when the worker that took the last long test finishes it, the other idle by
then.  Collected alphabetically, the longest modules came last (the user
trials, the wheel install); handed out first, the run ends on short tests
and the two workers finish together (tests/conftest.py sorts by this).
A module left out, or no longer the longest, only changes the order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

RUN_FIRST = (
    # seconds of their longest test on a 2-core CI run, in brackets
    "tests/test_docs_figures.py",  # (40 together, one worker) the batches the docs quote
    "tests/io/test_fuzz_bundled.py",  # (35) hypothesis over mutated bundled files
    "tests/analysis/test_fast_generated.py",  # (27) engine against fast path, 260 scenarios
    "tests/test_user_trial3.py",  # (14) searches, replays
    "tests/report/test_bureau.py",  # (13)
    "tests/report/test_chromium.py",  # (14) a browser
    "tests/serve/test_browser.py",  # (12) a browser
    "tests/test_quality.py",  # (11) mypy, ruff, mkdocs
    "tests/sim/test_bench_smoke.py",  # (10)
    "tests/test_user_trial.py",  # (9) subprocesses, pytest in pytest
    "tests/test_wheel_install.py",  # (8) builds and installs a wheel
    "tests/test_examples.py",  # (5 each) every example in its own interpreter
    "tests/test_user_trial4.py",
    "tests/test_user_trial5.py",
)
"""Modules handed out first, longest first; the others follow in collection order."""


class _Item(Protocol):
    @property
    def nodeid(self) -> str: ...


def run_first_rank(nodeid: str) -> int:
    """Where a test's module stands in :data:`RUN_FIRST` (after it: ``len``)."""
    module = nodeid.split("::", 1)[0]
    return RUN_FIRST.index(module) if module in RUN_FIRST else len(RUN_FIRST)


def longest_first(items: Sequence[_Item]) -> list[_Item]:
    """``items`` with :data:`RUN_FIRST`'s modules first; a stable sort, so the
    tests of one module (a docs page's blocks) keep their order."""
    return sorted(items, key=lambda item: run_first_rank(item.nodeid))
