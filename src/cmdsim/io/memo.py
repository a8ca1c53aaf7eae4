"""What makes loading fast: the collector paused while a load builds its
trees, and the trees of files already read, with the model values built
from them, kept for the next load (used again while every file they were
read from holds the same text; loads share them, as model values cannot
change in place: :mod:`cmdsim.model.frozen`).

A bundled drill reads 51 files and ~57,000 values.  Every value is a few
small objects, and Python's cyclic collector, run every 700 of them, scans
the ever-growing heap again and again: about 40 % of a load went to it,
for no garbage at all (the trees hold no cycles worth collecting early).
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cmdsim.io._nodes import Location, Node
from cmdsim.io.reading import ReadFailed, read_text


class _Pause:
    running = 0
    """Loads running now."""
    was_on = False
    """Whether the collector was on when the first of them began."""


_LOCK = threading.Lock()


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic collector off for the block, then as it was.

    Loads may nest (``locate_scenario`` loads inside a load's caller) or run
    in threads (``cmdsim serve``): the first one in turns the collector
    off, the last one out turns it back on, if it was on.
    """
    with _LOCK:
        if _Pause.running == 0:
            _Pause.was_on = gc.isenabled()
            gc.disable()
        _Pause.running += 1
    try:
        yield
    finally:
        with _LOCK:
            _Pause.running -= 1
            if _Pause.running == 0 and _Pause.was_on:
                gc.enable()


# -- the trees of files already read -----------------------------------------

MAX_FILES = 256
"""Files whose trees are kept (the least recently used go first)."""

MAX_VALUES = 2_000_000
"""Values kept across all trees, counted once per tree holding them (the
bundled district counts ~115,000: its files' and the district's); a tree is
a few hundred bytes a value, so this bounds the memory kept to ~0.5 GB."""


class FileTree:
    """A file's located tree, with its includes spliced in, as a load made it
    with no problem at all.

    ``closure`` holds every file the tree was read from (the file itself and
    every file it includes, however deep), absolute, each with the path it
    was opened by and its text;
    ``count`` the values it visited (for the load's budget); ``depth`` how
    many files deep its includes go (1 without any).
    """

    __slots__ = ("built", "closure", "count", "depth", "tree")

    def __init__(
        self, tree: Node, closure: dict[Path, tuple[Path, str]], count: int, depth: int
    ) -> None:
        self.tree = tree
        self.closure = closure
        self.count = count
        self.depth = depth
        self.built: dict[tuple[Any, str], tuple[Any, list[tuple[str, Location]]]] = {}
        """(model type, field path) -> the value built from ``tree`` there
        without a problem, and the locations the build added, in order."""


_TREES: OrderedDict[tuple[Path, str], FileTree] = OrderedDict()
_ROOTS: dict[int, FileTree] = {}
"""``id`` of a kept tree's root -> its entry (the entry keeps the root alive)."""
_TREES_LOCK = threading.Lock()


class _Kept:
    values = 0
    """The ``count`` of every kept tree, summed."""


def _forget(key: tuple[Path, str]) -> None:
    entry = _TREES.pop(key, None)
    if entry is not None:
        _ROOTS.pop(id(entry.tree), None)
        _Kept.values -= entry.count


def _same_files(closure: dict[Path, tuple[Path, str]], skip: Path) -> bool:
    """Whether every file of ``closure`` but ``skip`` still holds its text."""
    for path, (opened, text) in closure.items():
        if path == skip:
            continue
        try:
            if read_text(opened, str(opened)) != text:
                return False
        except ReadFailed:
            return False
    return True


def tree_of(real: Path, name: str, text: str) -> FileTree | None:
    """The kept tree of the file at ``real`` (named ``name`` in its
    locations) whose text is now ``text``, if every file it includes is
    unchanged too; files are compared by content, so an edit is seen however
    soon it follows the last read (no timestamp granularity to trust)."""
    key = (real, name)
    with _TREES_LOCK:
        entry = _TREES.get(key)
    if entry is None:
        return None
    own = entry.closure.get(real)
    if own is None or own[1] != text or not _same_files(entry.closure, real):
        with _TREES_LOCK:
            if _TREES.get(key) is entry:
                _forget(key)
        return None
    with _TREES_LOCK:
        if _TREES.get(key) is entry:
            _TREES.move_to_end(key)
    return entry


def keep_tree(real: Path, name: str, entry: FileTree) -> None:
    """Keep a file's tree for the next load (see :func:`tree_of`)."""
    key = (real, name)
    with _TREES_LOCK:
        _forget(key)
        _TREES[key] = entry
        _ROOTS[id(entry.tree)] = entry
        _Kept.values += entry.count
        while len(_TREES) > MAX_FILES or (_Kept.values > MAX_VALUES and len(_TREES) > 1):
            _forget(next(iter(_TREES)))


def built_at(node: Node) -> dict[tuple[Any, str], tuple[Any, list[tuple[str, Location]]]] | None:
    """The values already built from ``node``, when it is a kept file's tree."""
    entry = _ROOTS.get(id(node))
    return None if entry is None or entry.tree is not node else entry.built


def kept() -> tuple[int, int]:
    """How many files' trees are kept, and their values (see :data:`MAX_VALUES`)."""
    with _TREES_LOCK:
        return len(_TREES), _Kept.values


def clear() -> None:
    """Forget every kept tree (tests; a long-lived process short of memory)."""
    with _TREES_LOCK:
        _TREES.clear()
        _ROOTS.clear()
        _Kept.values = 0
