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
officer spends the tier's ``relay`` delay on it (× the band factor when the
officer starts on it) and is busy until done.  Reports at one group are so
served first come, first served by whichever of its officers is free first
(a FCFS multi-server queue), never passed to another tier or committee while
they wait.  A missed hop (probability ``miss``) ends the chain and takes no
one's time.  A tier with nobody in the group is passed over.

Each hop's wait and each group's relaying minutes are kept for the run's
``officers.<tier>`` metrics (:meth:`OfficerState.records`).
"""

from __future__ import annotations

import numpy as np

from cmdsim.model.levels import Tier
from cmdsim.sim.compiled import Compiled, CompiledIncident
from cmdsim.sim.officer_records import TierRecord

Group = tuple[int, int]


class OfficerState:
    """One run's officers: when each is next free."""

    def __init__(self, compiled: Compiled) -> None:
        self.people = compiled.officers
        self.busy_until = np.zeros(self.people.count)
        self.waits: dict[Tier, list[float]] = {}
        """Tier -> each hop's wait for an officer, in the order they came."""
        self.worked: dict[tuple[Tier, int, int], float] = {}
        """(tier, group) -> minutes its officers spent relaying."""

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

    def take(self, group: Group, now: float) -> tuple[int, float]:
        """The group's officer free first (lowest number on a tie), and when
        they can start on a report that comes at ``now``: ``now`` or when free."""
        lo, hi = group
        busy = self.busy_until
        who = lo if hi - lo == 1 else lo + int(np.argmin(busy[lo:hi]))
        free = float(busy[who])
        return who, (free if free > now else now)

    def work(
        self, tier: Tier, group: Group, who: int, now: float, start: float, minutes: float
    ) -> None:
        """Officer ``who`` of ``group`` relays from ``start`` for ``minutes``
        a report that came at ``now`` (it waited ``start - now``)."""
        self.busy_until[who] = start + minutes
        self.waits.setdefault(tier, []).append(float(start - now))
        key = (tier, group[0], group[1])
        self.worked[key] = self.worked.get(key, 0.0) + minutes

    def records(self, horizon: float) -> dict[str, TierRecord]:
        """Every tier's :class:`TierRecord` of the run so far, lowest tier first."""
        out: dict[str, TierRecord] = {}
        for tier in Tier:
            waits = self.waits.get(tier, [])
            if not waits:
                out[tier.value] = TierRecord()
                continue
            worked = [(m, -lo, hi) for (t, lo, hi), m in self.worked.items() if t is tier]
            minutes, lo, hi = max(worked)
            lo = -lo
            out[tier.value] = TierRecord(
                hops=len(waits),
                waited=sum(w > 0 for w in waits),
                wait=sum(waits) / len(waits),
                max_wait=max(waits),
                busiest=self.people.group_name(tier, lo),
                utilisation=minutes / ((hi - lo) * horizon) if horizon > 0 else None,
            )
        return out

    @property
    def nbytes(self) -> int:
        """Bytes of the run's per-person state."""
        return int(self.busy_until.nbytes)
