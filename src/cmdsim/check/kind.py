"""What a kind of finding is: its severity, code, title, why and fix.

The catalogue of kinds (``KINDS``) and the findings themselves are in
:mod:`cmdsim.check.findings`, which names these two as well.
"""

from __future__ import annotations

import enum

import attrs


class Severity(enum.Enum):
    """How bad a finding is; any ``error`` makes ``cmdsim check`` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@attrs.frozen
class Kind:
    """A kind of finding: its code, title, severity and why it matters."""

    code: str
    title: str
    severity: Severity
    why: str
    fix: str = attrs.field(kw_only=True)
    """What to change, as the guide (docs/check.md) says it after **Fix**."""


__all__ = ["Kind", "Severity"]
