"""Suite-wide rules: tests leave the checkout as they found it, and no test
depends on the machine's speed.

* In CI (``CI`` or ``CMDSIM_CHECKOUT_GUARD`` set; ``.ci/run`` sets the
  latter) every test is followed by a listing of the repository's files
  (names only, without the caches tools keep there); a file that appeared or
  vanished during the test fails it.  Tests write under ``tmp_path`` only.
  It is off in a working copy, where an editor's or a colleague's files come
  and go while tests run.
* The longest modules are handed to the workers first
  (``tests/suite_order.py``), so the run ends on short tests and both of
  CI's workers finish together.
* Hypothesis runs without its per-example deadline and its too-slow health
  check: on a loaded 2-core CI machine a slow example is not a wrong one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from checkout_guard import GUARD_VARIABLES, repository_files
from hypothesis import HealthCheck, settings
from suite_order import longest_first

if os.environ.get("PYTEST_XDIST_WORKER"):
    # xdist's workers start with COLUMNS=80 and LINES=24 (execnet); the CLI
    # sizes its tables by COLUMNS, and the tests expect a pipe's width as in
    # a run without workers.
    os.environ.pop("COLUMNS", None)
    os.environ.pop("LINES", None)

settings.register_profile("cmdsim", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("cmdsim")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest modules first (``tests/suite_order.py``): two workers end together."""
    items[:] = longest_first(items)


GUARDED = any(os.environ.get(name, "") not in ("", "0", "false") for name in GUARD_VARIABLES)


@pytest.fixture(autouse=True)
def _leaves_the_checkout_alone() -> Iterator[None]:
    if not GUARDED:
        yield
        return
    before = repository_files()
    yield
    after = repository_files()
    if after != before:
        added = sorted(after - before)
        removed = sorted(before - after)
        pytest.fail(
            "the test changed the repository (tests write under tmp_path only):\n"
            f"  added: {added}\n"
            f"  removed: {removed}",
            pytrace=False,
        )
