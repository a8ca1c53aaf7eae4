"""The version of cmdsim running: one home for ``cmdsim.__version__``,
``cmdsim --version`` and the version an exercise log's header records.

Plumbing (tests/test_layers.py ranks it with ``names``): the exercise layer
needs it and may not import the package root, which sits above it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def cmdsim_version() -> str:
    """The installed distribution's version, ``0+unknown`` in a bare checkout
    (no metadata): a replay that differs says which versions ran it."""
    try:
        return version("cmdsim")
    except PackageNotFoundError:  # a bare checkout
        return "0+unknown"
