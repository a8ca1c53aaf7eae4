"""The disaster-information officers (灾害信息员) as individual people.

Every officer of the district's four-tier network is a person of the run:
the numbering and each person's tier, town and committee are compiled once
per scenario (:class:`cmdsim.sim.compiled.Officers`); a run adds one number
per person, ``busy_until`` (minutes from start; 8 bytes each).

A report climbs tier by tier.  At each tier the hop goes to one particular
officer: of the incident's committee at compound and committee tier, of its
town at town tier, of the district at district tier — the one free first
(lowest number on a tie).  If that officer is still relaying another report
(of this incident or of another in the same town), this one waits; then the
officer spends the tier's ``relay`` delay on it (× band factor) and is busy
until done.  A missed hop (probability ``miss``) ends the chain and takes no
one's time.  A tier with nobody in the group is passed over.
"""

from __future__ import annotations

import numpy as np

from cmdsim.model.levels import Tier
from cmdsim.sim.compiled import Compiled, CompiledIncident

Group = tuple[int, int]


class OfficerState:
    """One run's officers: when each is next free."""

    def __init__(self, compiled: Compiled) -> None:
        self.people = compiled.officers
        self.busy_until = np.zeros(self.people.count)

    def groups(
        self, incident: CompiledIncident, rng: np.random.Generator
    ) -> dict[Tier, Group] | None:
        """The officers each tier's hop can go to, for one observation.

        The committee is the incident's own, else one drawn uniformly from
        its town's (one integer from the incident's ``officers`` stream).
        ``None`` when the town is not in the network.
        """
        people = self.people
        town = people.town_index.get(incident.town)
        if town is None:
            return None
        committees = people.committee_groups[town]
        out: dict[Tier, Group] = {}
        if committees:
            index = None
            if incident.committee is not None:
                index = people.committee_index[incident.town].get(incident.committee)
            if index is None:
                index = int(rng.integers(len(committees)))
            out[Tier.COMPOUND], out[Tier.COMMITTEE] = committees[index]
        out[Tier.TOWN] = people.town_group[town]
        out[Tier.DISTRICT] = people.district_group
        return out

    def take(self, group: Group, now: float, work: float) -> tuple[int, float]:
        """The group's officer free first does ``work`` minutes: (who, minutes waited)."""
        lo, hi = group
        busy = self.busy_until
        who = lo if hi - lo == 1 else lo + int(np.argmin(busy[lo:hi]))
        free = float(busy[who])
        if free <= now:
            busy[who] = now + work
            return who, 0.0
        busy[who] = free + work
        return who, free - now

    @property
    def nbytes(self) -> int:
        """Bytes of the run's per-person state."""
        return int(self.busy_until.nbytes)
