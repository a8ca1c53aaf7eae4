"""The ``cmdsim`` pytest plugin (registered under ``pytest11``).

Every pytest run in an environment with cmdsim installed loads this module,
so it imports nothing beyond pytest at import time.
"""

from __future__ import annotations

from typing import Any


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("cmdsim")
    group.addoption(
        "--cmdsim-plans",
        action="store",
        default=None,
        help="district directory or file the cmdsim_district fixture loads",
    )
