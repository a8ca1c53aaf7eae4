"""What makes loading fast: the collector paused while a load builds its
trees, and the trees of files already read, with the model values built
from them, kept for the next load (used again while every file they were
read from holds the same text; loads share them, as model values cannot
change in place: :mod:`cmdsim.model.frozen`).

A bundled drill reads 51 files and ~57,000 values.  Every value is a few
small objects, and Python's cyclic collector, run every 700 of them, scans
the ever-growing heap again and again: about 40 % of a load went to it,
for no garbage at all (the trees hold no cycles worth collecting early).

The trees are kept as plain tuples of atoms (:data:`Code`), not as the
loader's ``Node`` and ``Location`` objects: the collector stops tracking
such tuples, so a process that has loaded a drill does not walk ~218,000
kept objects at every full collection for as long as it lives (a notebook
running ``simulate`` in a loop spent ~8 % of its instructions on that).  A
load reads a kept tree back only where it needs one that no value built
earlier stands for (:class:`KeptNode`).
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from cmdsim.io._nodes import Location, Node, Where
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
about 80 bytes a value counted, so this bounds the memory kept to ~160 MB."""


Code = Any
"""A node of a kept tree in the form kept: exact tuples of atoms, which the
collector stops tracking as it passes over them (a level of nesting a pass,
most of them on the first; a tree of ``Node`` and ``Location`` objects stays
tracked for good: ~218,000 objects for a bundled drill, every full
collection walking them).  A scalar is ``(file, line,
column, value)``; a sequence ``(file, line, column, (item, ...))``; a mapping
``(file, line, column, (key, ...), (value, ...), (key line, key column, ...))``
(``None`` for the last when the node has no key nodes); a kept file included
whole is its :class:`FileTree`, read again only when the load needs it."""


Built = tuple[Any, tuple[str, ...], tuple[Where, ...]]
"""A value built from a kept tree, and the locations its build added."""


class FileTree:
    """A file's located tree, with its includes spliced in, as a load made it
    with no problem at all.

    ``code`` holds the tree (see :data:`Code`), ``where`` its root's location;
    ``closure`` holds every file the tree was read from (the file itself and
    every file it includes, however deep), absolute, each with the path it
    was opened by and its text;
    ``count`` the values it visited (for the load's budget); ``depth`` how
    many files deep its includes go (1 without any).
    """

    __slots__ = ("built", "closure", "code", "count", "depth", "where")

    def __init__(
        self,
        code: Code,
        where: Location,
        closure: dict[Path, tuple[Path, str]],
        count: int,
        depth: int,
    ) -> None:
        self.code = code
        self.where = where
        self.closure = closure
        self.count = count
        self.depth = depth
        self.built: dict[tuple[Any, ...], Built] = {}
        """(model type, field path) -> the value built from the tree there
        without a problem, and the locations the build added, in order (their
        field paths, and where each stands); for a list, (item type, the
        list's field path, the index its first item took there) -> the tuple
        of its items' values built there (see :func:`run_at`)."""


class KeptNode(Node):
    """The root of a kept file's tree as a load sees it: a :class:`Node`
    whose value and keys are read from :attr:`FileTree.code` when first
    asked for (a load served by :attr:`FileTree.built` never asks), and
    which knows its entry (:func:`built_at`).  Made afresh for each use, so
    no tree of nodes outlives the load that read it.

    A list's value is its items as :class:`KeptItem` nodes, each read back
    only if asked: a list spliced into another one keeps, through them, which
    file its items came from, so that the structurer can use the values an
    earlier load built from the whole run of them (:func:`run_at`)."""

    __slots__ = ("entry",)

    def __init__(self, entry: FileTree, tree: Node | None = None) -> None:
        self.entry = entry
        self.where = entry.where
        if tree is not None:
            value = tree.value
            self.value = (
                [KeptItem(entry, i, item) for i, item in enumerate(value)]
                if type(value) is list
                else value
            )
            self.keys = tree.keys

    def __getattr__(self, name: str) -> Any:
        # Only an unset slot gets here: value and keys not read yet.
        if name not in ("value", "keys"):
            raise AttributeError(name)
        code = self.entry.code
        if len(code) == 4 and type(code[3]) is tuple:
            entry = self.entry
            self.value = [KeptItem(entry, i) for i in range(len(code[3]))]
            self.keys = None
        else:
            tree = decode(code)
            self.value = tree.value
            self.keys = tree.keys
        return self.value if name == "value" else self.keys


class KeptItem(Node):
    """Item ``index`` of a kept file's list (:class:`KeptNode`): its value and
    keys read from the kept code when first asked for, or those of ``inner``,
    the node the file was just read into (itself maybe an item of another
    kept file's list, spliced into this one: :meth:`Structurer._kept_run
    <cmdsim.io.structure.Structurer._kept_run>` looks there for runs too)."""

    __slots__ = ("entry", "index", "inner")

    def __init__(self, entry: FileTree, index: int, inner: Node | None = None) -> None:
        self.entry = entry
        self.index = index
        self.inner = inner
        if inner is not None:
            self.where = inner.where
            self.value = inner.value
            self.keys = inner.keys
        else:
            code = entry.code[3][index]
            self.where = code.where if type(code) is FileTree else _new(Location, code[:3])

    def __getattr__(self, name: str) -> Any:
        if name not in ("value", "keys"):
            raise AttributeError(name)
        tree = decode(self.entry.code[3][self.index])
        self.value = tree.value
        self.keys = tree.keys
        return tree.value if name == "value" else tree.keys


def run_at(items: list[Node], start: int) -> tuple[dict[tuple[Any, ...], Built], int] | None:
    """When ``items[start:]`` begins with every item of one kept file's list,
    in order (the list was spliced in there): that file's built values
    (:attr:`FileTree.built`) and how many items it gave."""
    first = items[start]
    if type(first) is not KeptItem or first.index != 0:
        return None
    entry = first.entry
    count = len(entry.code[3])
    if start + count > len(items):
        return None
    for offset in range(1, count):
        item = items[start + offset]
        if type(item) is not KeptItem or item.entry is not entry or item.index != offset:
            return None
    return entry.built, count


_CONTAINERS = (dict, list)


def encode(node: Node) -> Code:
    """``node``'s tree as kept (see :data:`Code`); a kept file's tree, and the
    items a kept file's list spliced into this one, give the code they were
    read from (not made twice)."""
    # ``where + (value,)``: twice as fast as ``(*where, value)``, and this
    # runs once a value in every cold load.
    if type(node) is KeptNode:
        return node.entry
    if type(node) is KeptItem:
        return node.entry.code[3][node.index]
    value = node.value
    kind = type(value)
    if kind is dict:
        keys = node.keys
        at = None if keys is None else tuple([n for key in value for n in keys[key].where[1:]])
        codes = [
            x.where + (x.value,)  # noqa: RUF005
            if type(x) is Node and type(x.value) not in _CONTAINERS
            else encode(x)
            for x in value.values()
        ]
        return node.where + (tuple(value), tuple(codes), at)  # noqa: RUF005
    if kind is list:
        items = [
            x.where + (x.value,)  # noqa: RUF005
            if type(x) is Node and type(x.value) not in _CONTAINERS
            else encode(x)
            for x in value
        ]
        return node.where + (tuple(items),)  # noqa: RUF005
    return node.where + (value,)  # noqa: RUF005


_new = tuple.__new__


def decode(code: Code) -> Node:
    """The tree ``code`` keeps (see :data:`Code`), made of fresh nodes."""
    if type(code) is not tuple:
        return KeptNode(code)
    where: Location = _new(Location, code[:3])
    if len(code) == 4:
        value = code[3]
        if type(value) is tuple:
            return Node(_decoded(value), where)
        return Node(value, where)
    names, values, at = code[3:]
    keys = None
    if at is not None:
        file = code[0]
        keys = {
            name: Node(name, _new(Location, (file, at[2 * i], at[2 * i + 1])))
            for i, name in enumerate(names)
        }
    return Node(dict(zip(names, _decoded(values), strict=True)), where, keys)


def _decoded(codes: tuple[Code, ...]) -> list[Node]:
    # Scalars (most values) made here, without a call of decode each.
    return [
        Node(code[3], _new(Location, code[:3]))
        if type(code) is tuple and len(code) == 4 and type(code[3]) is not tuple
        else decode(code)
        for code in codes
    ]


_TREES: OrderedDict[tuple[Path, str], FileTree] = OrderedDict()
_TREES_LOCK = threading.Lock()


class _Kept:
    values = 0
    """The ``count`` of every kept tree, summed."""


def _forget(key: tuple[Path, str]) -> None:
    entry = _TREES.pop(key, None)
    if entry is not None:
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
        _Kept.values += entry.count
        while len(_TREES) > MAX_FILES or (_Kept.values > MAX_VALUES and len(_TREES) > 1):
            _forget(next(iter(_TREES)))


def built_at(node: Node) -> dict[tuple[Any, ...], Built] | None:
    """The values already built from ``node``, when it is a kept file's tree
    (also as an item of a kept list, the file included there as one item)."""
    if type(node) is KeptNode:
        return node.entry.built
    if type(node) is KeptItem:
        code = node.entry.code[3][node.index]
        if type(code) is FileTree:
            return code.built
    return None


def kept() -> tuple[int, int]:
    """How many files' trees are kept, and their values (see :data:`MAX_VALUES`)."""
    with _TREES_LOCK:
        return len(_TREES), _Kept.values


def entries() -> list[FileTree]:
    """The kept files' entries, least recently used first (tests, diagnostics)."""
    with _TREES_LOCK:
        return list(_TREES.values())


def clear() -> None:
    """Forget every kept tree (tests; a long-lived process short of memory)."""
    with _TREES_LOCK:
        _TREES.clear()
        _Kept.values = 0
