"""The ``slow`` marker labels the long statistical checks; CI still runs them."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _marked_slow() -> list[str]:
    found = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                ast.unparse(d) == "pytest.mark.slow" for d in node.decorator_list
            ):
                found.append(f"{path.relative_to(ROOT)}::{node.name}")
    return found


def test_slow_is_declared_and_used() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = config["tool"]["pytest"]["ini_options"]["markers"]
    assert any(m.startswith("slow:") for m in markers)
    assert "tests/sim/test_theory.py::test_duty_room_matches_erlang_c" in _marked_slow()


def test_neither_the_default_run_nor_ci_deselects_slow() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    addopts = config["tool"]["pytest"]["ini_options"].get("addopts", "")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for text in (addopts, ci):
        assert not re.search(r"-m\s+['\"]?[^'\"]*not\s+slow", text), text
