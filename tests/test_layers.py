"""The layers, as CONTRIBUTING.md draws them: imports only point down.

    errors
    atomic, jsonlines, bundled, plain   (plumbing every layer may use)
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
hides a cycle or an upward dependency fails here too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "cmdsim"

RANK: dict[str, float] = {
    "errors": -1,
    "atomic": 0,
    "jsonlines": 0,
    "bundled": 0,
    "plain": 0,
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
