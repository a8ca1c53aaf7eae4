"""Which files the checkout holds: the listing behind the suite's guard
against tests that write outside their temporary directories
(``tests/conftest.py``)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

IGNORED = frozenset(
    {
        ".git",
        ".venv",
        "__pycache__",
        ".pytest_cache",
        ".hypothesis",
        ".mypy_cache",
        ".ruff_cache",
        # pytest-benchmark's store, made next to wherever pytest runs
        ".benchmarks",
    }
)
"""Directories skipped by the listing: the environment, and caches the tools
themselves keep next to the code (all in ``.gitignore``)."""

GUARD_VARIABLES = ("CI", "CMDSIM_CHECKOUT_GUARD")
"""Either one set (not to 0 or false) turns the checkout guard on."""


def repository_files(root: Path = ROOT) -> frozenset[str]:
    """Every file and directory under ``root`` (relative), caches left out."""
    found: set[str] = set()
    for here, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in IGNORED and not d.endswith(".egg-info")]
        base = os.path.relpath(here, root)
        for name in (*dirs, *files):
            found.add(name if base == "." else f"{base}/{name}")
    return frozenset(found)
