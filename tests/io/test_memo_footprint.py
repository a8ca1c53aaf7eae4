"""What the loader's kept trees cost the cyclic collector: next to nothing.

A tree kept as ``Node`` and ``Location`` objects stayed tracked for good
(~218,000 objects for a bundled drill, every full collection walking them);
kept as exact tuples of atoms (``cmdsim.io.memo.Code``), the collector stops
tracking them on its passes, and only the few tuples leading to another kept
file (and each file's entry) stay.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim import bundled
from cmdsim.io import load_scenario, load_with_locations, memo
from cmdsim.io._nodes import Node
from cmdsim.io.includes import Reader

DRILL = bundled.root() / "flood-typhoon.yaml"

_ATOMS = (str, int, float, bool, type(None), dt.date, dt.time)

PER_FILE = 20
"""Objects the collector may go on tracking for each kept file: its entry,
its closure and what leads to the kept files it includes (9.5 measured)."""


@pytest.fixture
def collector_quiet() -> Iterator[None]:
    """The collector off between the test's own ``gc.collect`` calls, so
    that no collection started by an allocation moves the counts."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _walk(code: Any, pinned: list[int]) -> bool:
    """Whether ``code`` holds a kept file's entry (so that the collector must
    keep tracking it); counts such tuples in ``pinned``; fails on anything
    but exact tuples, atoms and entries."""
    if type(code) is memo.FileTree:
        return True
    if isinstance(code, _ATOMS):
        return False
    assert type(code) is tuple, f"a kept tree holds a {type(code).__name__}"
    holds = False
    for item in code:
        holds = _walk(item, pinned) or holds
    if holds:
        pinned[0] += 1
    return holds


def test_kept_trees_and_locations_are_atoms_but_for_the_files_they_include() -> None:
    memo.clear()
    load_with_locations(DRILL)
    entries = memo.entries()
    assert len(entries) == memo.kept()[0] > 40
    pinned = [0]
    for entry in entries:
        _walk(entry.code, pinned)
        for _value, paths, wheres in entry.built.values():
            assert all(type(p) is str for p in paths)
            assert all(type(w) is tuple and all(isinstance(a, _ATOMS) for a in w) for w in wheres)
            assert len(paths) == len(wheres)
    # Only the tuples on the way to an included file's entry: a few per file.
    assert pinned[0] <= 5 * len(entries)


def test_the_collector_lets_go_of_the_kept_trees(collector_quiet: None) -> None:
    memo.clear()
    gc.collect()
    scenario = load_scenario(DRILL)
    files, values = memo.kept()
    # Each pass of the collector untracks tuples whose items it has untracked.
    tracked = len(gc.get_objects())
    for _ in range(100):
        gc.collect()
        now = len(gc.get_objects())
        if now == tracked:
            break
        tracked = now
    memo.clear()
    gc.collect()
    held = tracked - len(gc.get_objects())
    # The model values stay (the scenario holds them); what the cache alone
    # held is a few objects a file, whatever the size of the files (~218,000
    # values here: as Node and Location objects they were all tracked).
    assert scenario.id
    assert values > 100_000
    assert 0 < held <= PER_FILE * files


_KEYS = st.text("abcxyz_", min_size=1, max_size=6)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.text("abc 中文-:", max_size=8),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)),
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=25,
)


def _shape(node: Node) -> Any:
    """Everything a load reads of a tree: values, locations, key locations."""
    value = node.value
    if isinstance(value, dict):
        keys = None if node.keys is None else {k: (n.value, n.where) for k, n in node.keys.items()}
        return ("map", node.where, [(k, _shape(v)) for k, v in value.items()], keys)
    if isinstance(value, list):
        return ("seq", node.where, [_shape(v) for v in value])
    return ("scalar", node.where, type(value), value)


@settings(max_examples=150, deadline=None)
@given(data=_DATA, flow=st.booleans())
def test_a_tree_read_back_from_its_kept_form_is_the_tree(data: Any, flow: bool) -> None:
    text = yaml.safe_dump({"top": data}, default_flow_style=flow, allow_unicode=True)
    reader = Reader()
    tree = reader.read_text(text, "x.yaml")
    assert tree is not None and not reader.problems
    code = memo.encode(tree)
    assert _shape(memo.decode(code)) == _shape(tree)
    # Plain tuples of atoms all through: the collector lets go of them.
    pinned = [0]
    assert not _walk(code, pinned)
