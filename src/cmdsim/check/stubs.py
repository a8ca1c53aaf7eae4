"""A district with nothing to check (CMD004, CMD005).

A district with no hazards has no coverage cell, and one with no plans has
no trigger, task or deadline: every other rule finds nothing, and a CI job
checking a stubbed or half-committed district would read "no findings" as
"the plans are sound".
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.words import say
from cmdsim.model import District


def check_stubs(district: District) -> Iterator[Finding]:
    if not district.hazards:
        yield finding("CMD004", say("CMD004", district=district.id), "hazards")
    if not district.plans:
        yield finding("CMD005", say("CMD005", district=district.id), "plans")
