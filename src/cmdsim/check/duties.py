"""Responsibility lists (CMD070–CMD073): every regulated duty has exactly one owner.

In the spirit of the 安全生产四类清单: a regulated duty is a hazard × a
kind of duty (``District.duties``); the responsibility list
(``District.responsibilities``) names its owner — a unit, an HQ or a
body (committee).  A duty nobody owns is a gap; a duty two owners claim
is an overlap (职责交叉), named separately when the two are a committee
and an HQ, as the disaster-prevention committee and a single-hazard HQ
may be.
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.words import say
from cmdsim.model import District


def check_duties(district: District) -> Iterator[Finding]:
    regulated: dict[tuple[str, str], str] = {}
    for di, duty in enumerate(district.duties):
        for ki, kind in enumerate(duty.kinds):
            regulated.setdefault((duty.hazard, kind.value), f"duties[{di}].kinds[{ki}]")
    bodies = {b.id for b in district.bodies}
    commands = {c.id for c in district.commands}
    owners: dict[tuple[str, str], list[str]] = {}
    for ri, line in enumerate(district.responsibilities):
        for ki, kind in enumerate(line.kinds):
            key = (line.hazard, kind.value)
            path = f"responsibilities[{ri}].kinds[{ki}]"
            what = say("duty", kind=say(f"duty.{kind.value}"), hazard=line.hazard)
            if key not in regulated:
                yield finding("CMD073", say("CMD073", owner=line.owner, what=what), path)
                continue
            before = owners.setdefault(key, [])
            if before and line.owner not in before:
                # A new owner of a duty already owned; the same owner again is no overlap.
                first = before[0]
                pair = {first, line.owner}
                mixed = bool(pair & bodies) and bool(pair & commands)
                if mixed:
                    body = next(o for o in (first, line.owner) if o in bodies)
                    hq = next(o for o in (first, line.owner) if o in commands)
                    said = say("CMD072", what=what, body=body, hq=hq)
                    yield finding("CMD072", said, path)
                else:
                    said = say("CMD071", what=what, first=first, second=line.owner)
                    yield finding("CMD071", said, path)
            if line.owner not in before:
                before.append(line.owner)
    for key, path in regulated.items():
        if key not in owners:
            hazard, kind_name = key
            owned = say(f"duty.{kind_name}")
            yield finding("CMD070", say("CMD070", kind=owned, hazard=hazard), path)
