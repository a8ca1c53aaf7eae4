"""The layers, as CONTRIBUTING.md draws them: imports only point down.

    errors
    atomic, jsonlines, bundled, plain, names, version   (plumbing every layer may use)
    model
    io, check, cache, summary
    sim
    analysis
    testing               (hypothesis strategies and invariants over the engine and batches)
    exercise, report      (report reads exercise logs: the one sanctioned sideways import)
    serve                 (a front-end to exercise)
    cmdsim/__init__       (the public API)
    cli

Every ``import cmdsim.X`` / ``from cmdsim.X import …`` in ``src/cmdsim`` is
read with ``ast`` (function-level imports included), so a late import that
hides a cycle or an upward dependency fails here too.  Within a layer,
modules may import each other but never in a cycle (``test_no_import_cycles``:
only imports under ``if TYPE_CHECKING:`` are left out, as they never run).
No module reaches for another's private (``_name``) functions, classes or
constants, by import or through a module (``test_no_private_names_across_modules``):
what another module needs gets a public name in its home.  A package's own
private modules (``cmdsim.io._nodes``) and private aliases of a module
(``from cmdsim.model import bodies as _bodies``) are not private names.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "cmdsim"

RANK: dict[str, float] = {
    "errors": -1,
    "atomic": 0,
    "jsonlines": 0,
    "bundled": 0,
    "plain": 0,
    "names": 0,
    "version": 0,
    "model": 1,
    "io": 2,
    "check": 2,
    "cache": 2,
    "summary": 2,
    "sim": 3,
    "analysis": 4,
    "testing": 4.5,
    "exercise": 5,
    "report": 5,
    "serve": 6,
    "cli": 7,
    "__init__": 6.5,
}
SANCTIONED = {("report", "exercise")}


def _layer(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "cmdsim":
            # ``from cmdsim import bundled`` imports that module; a name is the API's
            names = [
                f"cmdsim.{a.name}"
                if (SRC / a.name).is_dir() or (SRC / f"{a.name}.py").exists()
                else "cmdsim"
                for a in node.names
            ]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "cmdsim":
                yield node.lineno, parts[1] if len(parts) > 1 else "__init__"


def upward(paths: list[Path]) -> list[str]:
    """Every import of a layer above (or beside, unsanctioned) the importing one."""
    found = []
    for path in paths:
        own = _layer(path)
        for line, target in _imports(path):
            if target == own:
                continue
            if target not in RANK or own not in RANK:
                found.append(f"{path.relative_to(SRC)}:{line}: {own} -> {target} (no layer)")
            elif RANK[target] >= RANK[own] and (own, target) not in SANCTIONED:
                found.append(f"{path.relative_to(SRC)}:{line}: {own} imports {target}")
    return found


def test_every_module_has_a_layer() -> None:
    layers = {_layer(p) for p in SRC.rglob("*.py")}
    assert layers <= set(RANK), sorted(layers - set(RANK))


def test_imports_only_point_down() -> None:
    assert upward(sorted(SRC.rglob("*.py"))) == []


def test_an_upward_import_is_caught(tmp_path: Path) -> None:
    # The check can fail: a model module that imports the engine.
    fake = SRC / "model" / "levels.py"
    text = fake.read_text(encoding="utf-8") + "\n\ndef _late() -> None:\n    import cmdsim.sim\n"
    copy = tmp_path / "levels.py"
    copy.write_text(text, encoding="utf-8")
    found = [
        f"{line}: {target}"
        for line, target in _imports(copy)
        if RANK[target] >= RANK["model"] and target != "model"
    ]
    assert found and found[-1].endswith("sim")


@pytest.mark.parametrize(("own", "target"), sorted(SANCTIONED))
def test_the_sanctioned_exception_is_still_needed(own: str, target: str) -> None:
    # A sanction nobody uses any more should be removed from the list.
    uses = [t for p in (SRC / own).rglob("*.py") for _, t in _imports(p) if t == target]
    assert uses


def _module(path: Path, root: Path = SRC) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _run_imports(node: ast.AST) -> Iterator[tuple[str, str | None]]:
    """``(module, name)`` of every import that can run (not under ``if TYPE_CHECKING:``)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            for other in child.orelse:
                yield from _run_imports(ast.Module(body=[other], type_ignores=[]))
            continue
        if isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
            yield from ((child.module, alias.name) for alias in child.names)
        elif isinstance(child, ast.Import):
            yield from ((alias.name, None) for alias in child.names)
        yield from _run_imports(child)


def import_graph(paths: Iterable[Path], root: Path = SRC) -> dict[str, set[str]]:
    """Module -> the ``cmdsim`` modules it imports (``from pkg import mod``
    counts as importing ``pkg.mod``)."""
    known = {_module(p, root): p for p in paths}
    edges: dict[str, set[str]] = {}
    for module, path in known.items():
        out = edges.setdefault(module, set())
        for target, name in _run_imports(ast.parse(path.read_text(encoding="utf-8"))):
            full = f"{target}.{name}" if f"{target}.{name}" in known else target
            if full in known and full != module:
                out.add(full)
    return edges


def cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = [stack.pop()]
            while component[-1] != v:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(found)


def test_no_import_cycles() -> None:
    assert cycles(import_graph(sorted(SRC.rglob("*.py")))) == []


def test_an_import_cycle_is_caught(tmp_path: Path) -> None:
    # Two modules of one layer that import each other, one of them late.
    package = tmp_path / "cmdsim" / "analysis"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "a.py").write_text("from cmdsim.analysis import b\n", encoding="utf-8")
    (package / "b.py").write_text(
        "def late() -> None:\n    from cmdsim.analysis.a import x\n", encoding="utf-8"
    )
    (package / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cmdsim.analysis import a\n",
        encoding="utf-8",
    )
    (package / "d.py").write_text("import cmdsim.analysis.c\n", encoding="utf-8")
    root = tmp_path / "cmdsim"
    edges = import_graph(sorted(root.rglob("*.py")), root)
    assert cycles(edges) == [["cmdsim.analysis.a", "cmdsim.analysis.b"]]
    assert edges["cmdsim.analysis.c"] == set()
    assert edges["cmdsim.analysis.d"] == {"cmdsim.analysis.c"}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_names(paths: Iterable[Path], root: Path = SRC) -> list[str]:
    """Every private name one module takes from another ``cmdsim`` module:
    ``from cmdsim.x import _name``, or ``x._name`` where ``x`` is a module."""
    known = {_module(p, root) for p in paths}
    found = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(root)
        modules: dict[str, str] = {}  # a local name -> the cmdsim module it is
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in known:
                        local = alias.asname or alias.name
                        modules[local] = alias.name if alias.asname else local
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module.split(".")[0] != "cmdsim":
                    continue
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    if full in known:
                        modules[alias.asname or alias.name] = full
                    elif _private(alias.name):
                        found.append(f"{where}:{node.lineno}: {node.module}.{alias.name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                owner = ast.unparse(node.value)
                if owner in modules or owner in known:
                    target = modules.get(owner, owner)
                    found.append(f"{where}:{node.lineno}: {target}.{node.attr}")
    return found


def test_no_private_names_across_modules() -> None:
    assert private_names(sorted(SRC.rglob("*.py"))) == []


def test_a_private_name_across_modules_is_caught(tmp_path: Path) -> None:
    package = tmp_path / "cmdsim" / "analysis"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "stats.py").write_text("def _num() -> None: ...\n", encoding="utf-8")
    (package / "_parts.py").write_text("def shared() -> None: ...\n", encoding="utf-8")
    (package / "a.py").write_text(
        "from cmdsim.analysis.stats import _num\n"
        "from cmdsim.analysis import stats as _stats\n"
        "from cmdsim.analysis._parts import shared\n"
        "from cmdsim import __version__\n",
        encoding="utf-8",
    )
    (package / "b.py").write_text(
        "import cmdsim.analysis.stats\n"
        "from cmdsim.analysis import stats\n"
        "from cmdsim.analysis import stats as _s\n"
        "class C:\n"
        "    def _own(self) -> None: ...\n"
        "    def f(self) -> None:\n"
        "        self._own()\n"
        "        stats._num()\n"
        "        _s._num()\n"
        "        cmdsim.analysis.stats._num()\n",
        encoding="utf-8",
    )
    root = tmp_path / "cmdsim"
    assert private_names(sorted(root.rglob("*.py")), root) == [
        "analysis/a.py:1: cmdsim.analysis.stats._num",
        "analysis/b.py:8: cmdsim.analysis.stats._num",
        "analysis/b.py:9: cmdsim.analysis.stats._num",
        "analysis/b.py:10: cmdsim.analysis.stats._num",
    ]


MAX_LINES = 600
"""Issue 16's bound on a module's size: past it, a module holds more than one
job; split it along a real seam (a module named for what it holds)."""


def long_modules(root: Path, limit: int = MAX_LINES) -> dict[str, int]:
    """Modules under ``root`` longer than ``limit`` lines, with their length."""
    out: dict[str, int] = {}
    for path in sorted(root.rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            out[str(path.relative_to(root))] = lines
    return out


def test_no_module_is_over_600_lines() -> None:
    assert long_modules(SRC) == {}


def test_a_long_module_is_caught(tmp_path: Path) -> None:
    (tmp_path / "short.py").write_text("x = 1\n" * MAX_LINES, encoding="utf-8")
    (tmp_path / "long.py").write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    assert long_modules(tmp_path) == {"long.py": MAX_LINES + 1}
