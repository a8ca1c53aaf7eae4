"""The suite hands its longest modules out first (``tests/suite_order.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from suite_order import RUN_FIRST, longest_first, run_first_rank

ROOT = Path(__file__).resolve().parents[1]


def test_every_module_run_first_exists() -> None:
    # a module renamed would silently go back to the end of the run
    missing = [name for name in RUN_FIRST if not (ROOT / name).is_file()]
    assert not missing


def test_the_longest_go_first_and_each_module_keeps_its_order() -> None:
    class Item:
        def __init__(self, nodeid: str) -> None:
            self.nodeid = nodeid

    names = [
        "tests/analysis/test_batch.py::test_a",
        "tests/test_docs_blocks.py::test_docs_block[docs/a.md:3]",
        "tests/test_docs_blocks.py::test_docs_block[docs/a.md:10]",
        "tests/test_wheel_install.py::test_w",
        "tests/io/test_fuzz_bundled.py::test_b",
        "tests/io/test_fuzz_bundled.py::test_a",
    ]
    got = [item.nodeid for item in longest_first([Item(name) for name in names])]
    assert got == [names[4], names[5], names[3], names[0], names[1], names[2]]
    assert run_first_rank("tests/test_layers.py::test_x") == len(RUN_FIRST)


def test_the_collection_is_in_that_order(pytestconfig: pytest.Config) -> None:
    # this session's own collection went through tests/conftest.py's hook
    session = pytestconfig.pluginmanager.get_plugin("session")
    if session is None:  # pragma: no cover - pytest always registers it
        pytest.skip("no session plugin")
    ranks = [run_first_rank(item.nodeid) for item in session.items]
    assert ranks == sorted(ranks)
