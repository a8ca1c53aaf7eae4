"""From YAML node graphs to located trees, splicing in included files.

This is where the guards against hostile input live: a budget of nodes
visited (alias expansions count each time, so an alias bomb runs out of
budget instead of memory), a nesting depth limit, recursive aliases and
include cycles.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path
from typing import Any

import attrs
import yaml
from yaml.constructor import SafeConstructor

from cmdsim.errors import Problem
from cmdsim.io import memo
from cmdsim.io._nodes import Location, Node, describe, distance, join, slips
from cmdsim.io.reading import ReadFailed, compose, read_text
from cmdsim.io.slips import datetime_hint

MAX_NODES = 200_000
"""Values visited across a document and its includes, aliases counted each time."""

MAX_DEPTH = 64
"""Nesting depth of mappings and sequences."""

MAX_INCLUDE_DEPTH = 16

MAX_INT = 10**15
"""Integers beyond this are typos (and would overflow float conversions)."""

INCLUDE = "include"
DISTRICT_FILE = "district.yaml"

PLAIN_EDGE_SPACES = "\u3000\u00a0"
"""Spaces YAML keeps around a plain value that nobody means: an input
method's full-width space and a word processor's no-break space."""

_MERGE_TAG = "tag:yaml.org,2002:merge"
_MERGED = "_cmdsim_merged"
_MAP_TAGS = {"tag:yaml.org,2002:map"}
_FLATTENED = frozenset((_MERGE_TAG, "tag:yaml.org,2002:value"))
"""Key tags PyYAML's ``flatten_mapping`` acts on."""
_SEQ_TAGS = {"tag:yaml.org,2002:seq"}
_SCALAR_TYPES = (str, int, float, bool, dt.date, dt.time, type(None))


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_BOOLS: dict[str, bool] = SafeConstructor.bool_values
_DIGITS = frozenset("0123456789")


_new = tuple.__new__


class _Slow:
    """What :func:`quick_scalar` gives for a scalar PyYAML's constructor must read."""


SLOW = _Slow()


def quick_scalar(node: yaml.Node) -> Any:
    """The value PyYAML's safe constructor gives a scalar node, for the forms
    nearly every value takes (a string, a plain decimal, a boolean, null),
    without its per-node dispatch; :data:`SLOW` for the rest (timestamps,
    ``0x1f``, ``1_000``, ``.inf``, sexagesimal ``1:30``, other tags)."""
    tag = node.tag
    text = node.value
    if tag == _STR:
        return text
    if tag == _INT:
        digits = text[1:] if text[:1] in ("-", "+") else text
        if digits and (digits[0] != "0" or digits == "0") and _DIGITS.issuperset(digits):
            return -int(digits) if text[0] == "-" else int(digits)
        return SLOW
    if tag == _FLOAT:
        if "_" not in text and ":" not in text and text[-1] in _DIGITS:
            return float(text)
        return SLOW
    if tag == _BOOL:
        return _BOOLS[text.lower()]
    if tag == _NULL:
        return None
    return SLOW


class Budget(Exception):
    """Raised once the node budget is spent; one problem says so."""


@attrs.frozen
class FailedInclude:
    """An include whose file gave nothing: what stood at ``path`` is missing.

    ``name`` is the file as the include's problem names it; ``where`` the
    include's value in the including file.
    """

    path: str
    name: str
    where: Location


def resolve_path(path: Path) -> Path:
    """A directory stands for the ``district.yaml`` inside it."""
    return path / DISTRICT_FILE if path.is_dir() else path


class Reader:
    """Reads one top-level file and everything it includes.

    Problems are collected in ``problems``; the returned tree leaves out
    what could not be read.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.failed: list[FailedInclude] = []
        self.visited = 0
        self._constructor = SafeConstructor()
        self._chain: list[Path] = []
        self._names: list[str] = []
        self._path = ""
        self.files: dict[Path, None] = {}
        """Every file read, absolute, in the order first read."""
        self._closures: list[dict[Path, tuple[Path, str]]] = []
        """For each file being read, every file read into it so far (absolute),
        with the path it was opened by and its text."""
        self._opened: Path | None = None
        self._deepest = 0
        """The longest chain of includes reached so far."""

    def problem(self, message: str, where: Location, path: str = "") -> None:
        self.problems.append(Problem(message, path, where.file, where.line, where.column))

    # -- files ------------------------------------------------------------

    def read_file(
        self, path: Path, name: str, where: Location | None = None, hint: str = ""
    ) -> Node | None:
        """The tree of one file; ``where`` is the include node naming it, if any,
        and ``hint`` a suggestion for its path should the file be missing."""
        try:
            text = read_text(path, name)
        except ReadFailed as failed:
            problem = failed.problem
            if where is not None and problem.line is None:
                # Point at the include that asked for the file, naming the file.
                problem = Problem(
                    f"cannot include {name!r}: {problem.message}{hint}",
                    self._path,
                    where.file,
                    where.line,
                    where.column,
                )
            self.problems.append(problem)
            return None
        # Kept whole (pathlib keeps "..", os.path.abspath folds it), and
        # absolute: a later load may run from another directory.
        self._opened = path if path.is_absolute() else Path.cwd() / path
        try:
            return self.read_text(text, name, Path(os.path.abspath(path)), self._path)
        finally:
            self._opened = None

    def read_text(
        self, text: str, name: str, real: Path | None = None, path: str = ""
    ) -> Node | None:
        """The tree of a text; ``real`` is its absolute path, for include cycles;
        ``path`` the field path where it is included."""
        if real is not None:
            kept = self._kept(real, name, text)
            if kept is not None:
                return kept
        try:
            root = compose(text, name)
        except ReadFailed as failed:
            self.problems.append(failed.problem)
            return None
        if root is None:
            self.problems.append(Problem("file is empty", file=name))
            return None
        outer = self._deepest
        before = (len(self.problems), len(self.failed), self.visited)
        if real is not None:
            self.files[real] = None
            self._chain.append(real)
            self._names.append(name)
            self._closures.append({})
            # Opened as named: through a symbolic link, a/link/../x.yaml is
            # not the a/x.yaml its absolute path reads as.
            opened = (self._opened, text) if self._opened is not None else (real, text)
            for closure in self._closures:
                closure.setdefault(real, opened)
            self._deepest = len(self._chain)
        try:
            tree = self.convert(root, name, path, 0, set())
            if real is not None and tree is not None:
                return self._keep(real, name, tree, before)
            return tree
        except Budget:
            # The budget covers the whole load: only the top file stops here.
            if len(self._chain) > (1 if real is not None else 0):
                raise
            return None
        finally:
            if real is not None:
                self._chain.pop()
                self._names.pop()
                self._closures.pop()
                self._deepest = max(outer, self._deepest)

    # -- trees kept from earlier loads (cmdsim.io.memo) ----------------------

    def _kept(self, real: Path, name: str, text: str) -> Node | None:
        """The tree an earlier load made of this file, unless it cannot stand
        here as it stood there (an include cycle through this chain, the
        include depth or the budget exceeded: read again, to report it)."""
        entry = memo.tree_of(real, name, text)
        if (
            entry is None
            or (entry.depth > 1 and len(self._chain) + entry.depth - 1 >= MAX_INCLUDE_DEPTH)
            or self.visited + entry.count > MAX_NODES
            or any(p in entry.closure for p in self._chain)
        ):
            return None
        self.visited += entry.count
        for path, read in entry.closure.items():
            self.files[path] = None
            for closure in self._closures:
                closure.setdefault(path, read)
        self._deepest = max(self._deepest, len(self._chain) + entry.depth)
        return memo.KeptNode(entry)

    def _keep(self, real: Path, name: str, tree: Node, before: tuple[int, int, int]) -> Node:
        """Keep a file's tree for the next load, if it was read without a
        problem: then the tree as its kept root (:class:`memo.KeptNode`)."""
        problems, failed, visited = before
        if len(self.problems) != problems or len(self.failed) != failed:
            return tree
        depth = self._deepest - len(self._chain) + 1
        code = memo.encode(tree)
        entry = memo.FileTree(code, tree.where, self._closures[-1], self.visited - visited, depth)
        memo.keep_tree(real, name, entry)
        return memo.KeptNode(entry, tree)

    # -- nodes ------------------------------------------------------------

    def convert(
        self, node: yaml.Node, name: str, path: str, depth: int, active: set[int]
    ) -> Node | None:
        """The located tree of ``node``; ``None`` where it cannot be used."""
        mark = node.start_mark
        # What Location(...) makes, without its Python-level __new__: a third
        # less per value, and every value of a cold load comes here.
        where: Location = _new(Location, (name, mark.line + 1, mark.column + 1))
        self.visited += 1
        if self.visited > MAX_NODES:
            # The path inside an alias expansion means nothing to the user.
            self.problem(
                f"more than {MAX_NODES:,} values (an alias bomb or an absurdly large file)",
                where,
            )
            raise Budget
        if depth > MAX_DEPTH:
            self.problem(f"nested more than {MAX_DEPTH} levels deep", where, path)
            return None
        if isinstance(node, yaml.ScalarNode):
            # A scalar holds nothing, so no alias inside it can lead back to it.
            return self._scalar(node, path, where)
        if id(node) in active:
            self.problem("an alias refers to a value that contains it", where, path)
            return None
        active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, name, path, depth, active, where)
            if isinstance(node, yaml.SequenceNode):
                return self._sequence(node, name, path, depth, active, where)
            return self._scalar(node, path, where)
        finally:
            active.discard(id(node))

    def _scalar(self, node: yaml.Node, path: str, where: Location) -> Node | None:
        try:
            value = quick_scalar(node)
            if value is SLOW:
                value = self._constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            reason = getattr(exc, "problem", None) or str(exc)
            hint = datetime_hint(node.value)
            self.problem(f"cannot read value {node.value!r}: {reason}{hint}", where, path)
            return None
        # libyaml marks a plain scalar with style "", PyYAML with None.
        plain = isinstance(node, yaml.ScalarNode) and not node.style
        if plain and isinstance(value, str) and value.strip(PLAIN_EDGE_SPACES) != value:
            # YAML strips the ASCII spaces around a plain value but not the
            # full-width ones a Chinese input method types, invisible in an
            # editor: strip those too (a quoted value keeps what it says).
            value = value.strip(PLAIN_EDGE_SPACES)
        if not isinstance(value, _SCALAR_TYPES):
            self.problem(f"unsupported value {describe(value)} ({node.tag})", where, path)
            return None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            self.problem(f"{value:.3g} is absurdly large", where, path)
            return None
        if isinstance(value, float) and math.isfinite(value) and abs(value) > MAX_INT:
            self.problem(f"{value:.3g} is absurdly large", where, path)
            return None
        return Node(value, where)

    def _sequence(
        self,
        node: yaml.SequenceNode,
        name: str,
        path: str,
        depth: int,
        active: set[int],
        where: Location,
    ) -> Node | None:
        if node.tag not in _SEQ_TAGS:
            self.problem(f"unsupported tag {node.tag!r}", where, path)
            return None
        items: list[Node] = []
        for child in node.value:
            item_path = join(path, f"[{len(items)}]")
            # An included list is spliced in: its items are items of this list.
            before = len(self.problems)
            included = self._include(child, name, path, depth, active, item_path)
            if included is not None:
                if included.is_sequence:
                    self._respliced(before, item_path, path, len(items))
                    items.extend(included.value)
                else:
                    items.append(included)
                continue
            if self._is_include(child):
                items.append(Node(BROKEN, where))
                continue
            converted = self.convert(child, name, item_path, depth + 1, active)
            items.append(converted if converted is not None else Node(BROKEN, where))
        return Node(items, where)

    def _mapping(
        self,
        node: yaml.MappingNode,
        name: str,
        path: str,
        depth: int,
        active: set[int],
        where: Location,
    ) -> Node | None:
        if node.tag not in _MAP_TAGS:
            self.problem(f"unsupported tag {node.tag!r}", where, path)
            return None
        if self._is_include(node):
            return self._include(node, name, path, depth, active)
        merged = getattr(node, _MERGED, None)
        if merged is None and not any(k.tag in _FLATTENED for k, _ in node.value):
            # Nothing to flatten: the common case, without PyYAML's walk.
            merged = 0
        if merged is None:
            own = sum(1 for key_node, _ in node.value if key_node.tag != _MERGE_TAG)
            try:
                # Expands YAML merge keys (<<) in place, the way the safe loader does;
                # the merged pairs come first and the mapping's own keys override them.
                self._constructor.flatten_mapping(node)
            except yaml.YAMLError as exc:
                reason = getattr(exc, "problem", None) or str(exc)
                self.problem(f"bad merge key: {reason}", where, path)
                return None
            merged = len(node.value) - own
            # Remembered on the node: an alias visits it again, already flattened.
            setattr(node, _MERGED, merged)
        values: dict[Any, Node] = {}
        keys: dict[Any, Node] = {}
        from_merge: set[Any] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            if not isinstance(key_node, yaml.ScalarNode):
                mark = key_node.start_mark
                key_where = Location(name, mark.line + 1, mark.column + 1)
                self.problem(f"a key must be a plain value, not {_kind(key_node)}", key_where, path)
                continue
            key = self.convert(key_node, name, path, depth + 1, active)
            if key is None:
                continue
            key_where = key.where
            text = key.value
            try:
                hash(text)
            except TypeError:  # pragma: no cover - scalars are hashable
                continue
            if text in values and text not in from_merge:
                first = keys[text].where
                self.problem(
                    f"duplicate key {describe(text)} (first at line {first.line})",
                    key_where,
                    path,
                )
                continue
            if index < merged:
                from_merge.add(text)
            elif from_merge:
                from_merge.discard(text)
            if path and type(text) is str and text and text[0] != "[":
                child_path = f"{path}.{text}"  # join(path, text), inlined: once a key
            else:
                child_path = join(path, str(text))
            value = self.convert(value_node, name, child_path, depth + 1, active)
            keys[text] = key
            if value is not None:
                values[text] = value
            else:
                # Keep the key so the structurer does not also call it missing.
                values[text] = Node(BROKEN, key_where)
        return Node(values, where, keys)

    # -- includes ---------------------------------------------------------

    @staticmethod
    def _is_include(node: yaml.Node) -> bool:
        return (
            isinstance(node, yaml.MappingNode)
            and len(node.value) == 1
            and isinstance(node.value[0][0], yaml.ScalarNode)
            and node.value[0][0].value == INCLUDE
        )

    def _respliced(self, before: int, item: str, path: str, first: int) -> None:
        """Problems found in a spliced list's items (since ``before``) named at
        ``item[k]``, renamed at the place each item takes: ``path[first + k]``."""
        prefix = f"{item}["
        for index in range(before, len(self.problems)):
            problem = self.problems[index]
            if not problem.path.startswith(prefix):
                continue
            end = problem.path.index("]", len(prefix))
            spliced = first + int(problem.path[len(prefix) : end])
            renamed = f"{path}[{spliced}]{problem.path[end + 1 :]}"
            self.problems[index] = attrs.evolve(problem, path=renamed)

    def _include(
        self,
        node: yaml.Node,
        name: str,
        path: str,
        depth: int,
        active: set[int],
        item: str | None = None,
    ) -> Node | None:
        """The tree an include stands for; ``item`` is the field path of the
        list item it is, if it is one (``path`` being the list's)."""
        if not self._is_include(node):
            return None
        assert isinstance(node, yaml.MappingNode)
        value_node = node.value[0][1]
        where = Location(name, value_node.start_mark.line + 1, value_node.start_mark.column + 1)
        included, target = self._included(value_node, name, item or path, where)
        if included is None:
            # Whatever the file held is missing: references into it go unchecked.
            self.failed.append(FailedInclude(path, target, where))
        return included

    def _included(
        self, value_node: yaml.Node, name: str, path: str, where: Location
    ) -> tuple[Node | None, str]:
        """The included tree (``None`` if it gave nothing) and the file's name."""
        if not isinstance(value_node, yaml.ScalarNode) or value_node.tag != (
            "tag:yaml.org,2002:str"
        ):
            self.problem("include needs a file path", where, path)
            return None, "include"
        relative = value_node.value
        target_name = os.path.normpath(os.path.join(os.path.dirname(name), relative))
        base = self._chain[-1].parent if self._chain else Path(os.path.dirname(name) or ".")
        target = base / relative
        if target.is_dir():
            target = target / DISTRICT_FILE
            target_name = os.path.join(target_name, DISTRICT_FILE)
        real = Path(os.path.abspath(target))
        if real in self._chain:
            names = [*self._names[self._chain.index(real) :], target_name]
            shown = " -> ".join(names)
            self.problem(f"include cycle: {shown}", where, path)
            return None, target_name
        if len(self._chain) >= MAX_INCLUDE_DEPTH:
            self.problem(f"includes nested more than {MAX_INCLUDE_DEPTH} deep", where, path)
            return None, target_name
        self._path = path
        hint = "" if _exists(target) else _near_path(base, relative, os.path.dirname(name))
        return self.read_file(target, target_name, where, hint), target_name


def _exists(path: Path) -> bool:
    """Whether there is something at ``path``; an unusable name counts as there
    (reading it reports why), so that only a missing file gets a suggestion."""
    if "\x00" in str(path):
        return True
    try:
        return path.exists()
    except (OSError, ValueError):
        return True


def _near_path(base: Path, relative: str, folder: str) -> str:
    """`` (did you mean 'x'?)`` when one part of a missing path is a slip from
    a name that is there; ``x`` is named as the missing file is (from ``folder``,
    the including file's folder as the user named it)."""
    if "\\" in relative and os.sep == "/":
        # Written on Windows (district\\district.yaml): the path works
        # everywhere with / (the file then travels with its includes).
        forward = relative.replace("\\", "/")
        if _exists(base / forward):
            meant = os.path.normpath(os.path.join(folder, forward))
            return f" (write include paths with /: did you mean {meant!r}?)"
    parts = Path(relative).parts
    here = base
    try:
        for index, part in enumerate(parts):
            step = here / part
            if step.exists():
                here = step
                continue
            if not here.is_dir():
                return ""
            # A thousand names are plenty to find a typo in, and bound the work.
            entries = zip(range(1000), here.iterdir(), strict=False)
            limit = slips(part)
            close = [e.name for _, e in entries if distance(part, e.name, limit) <= limit]
            if not close:
                return ""
            meant = os.path.join(*parts[:index], min(close), *parts[index + 1 :])
            return f" (did you mean {os.path.normpath(os.path.join(folder, meant))!r}?)"
    except (OSError, ValueError):
        return ""
    return ""


class _BrokenType:
    """Marks a value that was already reported; the structurer skips it."""

    def __repr__(self) -> str:
        return "<broken>"


BROKEN = _BrokenType()


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "a value"
