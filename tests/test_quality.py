"""The quality gates, as tests: linters, the type checker, the docs build.

Each runs its tool in a subprocess from the repository root with this
interpreter (``python -m tool``), so ``pytest`` alone runs every gate; a
failure shows the tool's own output.  Deselect with ``-m "not quality"``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.quality


def run_tool(*args: str, timeout: float = 900) -> None:
    command = [sys.executable, "-m", *args]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, (
        f"`{' '.join(args)}` exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    )


# No tool keeps its cache in the clone: a test writes under tmp_path only.


def test_ruff_check() -> None:
    run_tool("ruff", "check", "--no-cache", ".")


def test_ruff_format() -> None:
    run_tool("ruff", "format", "--no-cache", "--check", ".")


def test_mypy_strict(tmp_path: Path) -> None:
    run_tool("mypy", "--strict", "--cache-dir", str(tmp_path / "mypy"), "src")


def test_docs_build_strict(tmp_path: Path) -> None:
    run_tool("mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site"))
