"""Static plan analysis: findings and the coverage matrix, without simulating.

>>> from cmdsim.model import District
>>> check(District(id="empty")).ok
True
"""

from __future__ import annotations

from cmdsim.check.findings import KINDS, Finding, Kind, Severity
from cmdsim.check.locations import Locator
from cmdsim.check.matrix import Cell, Entry, Matrix, build_matrix
from cmdsim.check.run import CheckReport, check

__all__ = [
    "KINDS",
    "Cell",
    "CheckReport",
    "Entry",
    "Finding",
    "Kind",
    "Locator",
    "Matrix",
    "Severity",
    "build_matrix",
    "check",
]
