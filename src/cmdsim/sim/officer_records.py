"""What the information officers' relaying came to in a run, per tier.

A run's ``officers.<tier>`` metrics (:class:`TierRecord`): how many hops
the tier's officers relayed, how many of them waited for a busy officer and
how long, and the busiest group of the tier (a committee's compound or
committee officers, a town's officers, the district's) with its share of
its officers' time spent relaying.  Written only where a report went
through the officers (an ``officers`` channel covers a hazard of the run).
"""

from __future__ import annotations

from typing import Any

import attrs

from cmdsim.sim import metric_names as mn


@attrs.frozen
class TierRecord:
    """One tier's relaying in a run; waits in minutes (``None``: no hop)."""

    hops: int = 0
    """Hops the tier's officers relayed (a missed hop takes no one's time)."""
    waited: int = 0
    """Hops that found every officer of their group busy."""
    wait: float | None = None
    """Mean wait for an officer over all the tier's hops."""
    max_wait: float | None = None
    """The longest wait of a hop for an officer."""
    busiest: str | None = None
    """The group whose officers relayed longest: a committee's id at compound
    and committee tier, a town's at town tier, ``district`` at district tier."""
    utilisation: float | None = None
    """The busiest group's relaying minutes over its officers × the horizon."""

    def to_data(self) -> dict[str, Any]:
        return {
            mn.HOPS: self.hops,
            mn.WAITED: self.waited,
            mn.WAIT: self.wait,
            mn.MAX_WAIT: self.max_wait,
            mn.BUSIEST: self.busiest,
            mn.UTILISATION: self.utilisation,
        }
