"""The district duty room's queue, replayed exactly for one replication.

The engine's room (:mod:`cmdsim.sim.dutyroom`) is a SimPy
``PriorityResource`` as large as the largest shift.  Its shift process
holds the surplus with priority ``-1`` "blocker" requests, added at each
roster (the room is built at the start) and taken back last-added first:
one not yet granted is cancelled, a granted one released.  Reports and
reporting duties ask with priority ``0`` and are served first come, first
served; a released officer goes to the first in line, a waiting blocker
before any report.  :func:`replay` follows exactly that, with no SimPy: a
report's triage starts when it gets an officer and lasts its draw times the
band factor at that start; a duty holds an officer for its duration.

Things within a hair of one instant (:data:`EDGE`: the engine's sums may
differ from these in the last bits) are left to the engine's own order,
which this does not know, and the replay then says it is not exact: a
roster with anything else (does the blocker or the report get the
officer?), two arrivals where the second would wait (which of them does?),
and a release beside an arrival or another release in a room with at most
one officer to spare (does a report start at the one instant or the
other?).  The duties one decision sets ask in the plan's order, the order
they are given in.  With ``exact_rosters`` false (a run shifted across the
week, whose band changes the engine computes its own way), a report that
starts because a roster freed an officer is not exact either.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Callable, Sequence

import attrs

EDGE = 1e-6
"""Minutes within which two instants count as one."""

ARRIVE, ROSTER, DONE, AFTER = 0, 1, 2, 3
"""Event kinds, in the order of events at one instant; ``AFTER`` is a duty
asking as a triage in its room ends (the engine releases that officer, then
the duty asks: :class:`cmdsim.sim.report_duties.Reporting`)."""


@attrs.frozen
class Replay:
    """When each report's triage and each duty ended (``inf``: not before the
    horizon), and whether the engine's order was certain throughout."""

    reports: list[float]
    duties: list[float]
    exact: bool


def _order_free(first: int, second: int, free: int, waiting: bool, one_decision: bool) -> bool:
    """Whether two events a hair apart give the same times in either order;
    ``free`` officers and ``waiting`` holds as the second comes."""
    if first == DONE and second == AFTER:
        return True  # the engine's own order: the release, then the duty asks
    first = ARRIVE if first == AFTER else first
    second = ARRIVE if second == AFTER else second
    if ROSTER in (first, second):
        return False  # does the blocker or the report get the officer?
    if first == second == ARRIVE:
        # The second would wait: which one does?  One decision's duties ask in order.
        return one_decision or (free > 0 and not waiting)
    if first == ARRIVE:  # then a release: did the arrival wait for it?
        return not waiting
    if second == ARRIVE:  # a release, then an arrival that may take that very officer
        return free > 1 and not waiting
    return free > 0 and not waiting  # two releases: did the first start someone?


def replay(
    arrivals: Sequence[float],
    work: Callable[[int, float], float],
    duty_starts: Sequence[float],
    duty_lengths: Sequence[float],
    roster: Sequence[tuple[float, int]],
    top: int,
    horizon: float,
    duty_cases: Sequence[int] = (),
    exact_rosters: bool = True,
    duty_after: Sequence[bool] = (),
) -> Replay:
    """Replay the room: reports come at ``arrivals`` (``inf``: never) and take
    ``work(k, start)``; duties ask at ``duty_starts`` and take ``duty_lengths``;
    ``roster`` lists ``(time, officers on duty)`` from the room's first, ``top``
    is the largest shift; ``duty_cases`` names each duty's case (duties of one
    case asking at one instant are one decision's, in the plan's order);
    ``duty_after`` marks a duty asking as a triage in its room ends, which
    the engine releases first.

    >>> r = replay([0.0, 1.0], lambda k, s: 10.0, [], [], [(0.0, 1)], 2, 100.0)
    >>> r.reports, r.exact
    ([10.0, 20.0], True)
    """
    holds = len(arrivals)
    events: list[tuple[float, int, int]] = []  # (time, kind, hold or roster index)
    for k, at in enumerate(arrivals):
        if math.isfinite(at) and at < horizon:
            events.append((at, ARRIVE, k))
    for j, at in enumerate(duty_starts):
        if math.isfinite(at) and at < horizon:
            after = j < len(duty_after) and duty_after[j]
            events.append((at, AFTER if after else ARRIVE, holds + j))
    # The first roster is made as the room is built, before anything reaches it.
    for i, (at, _) in enumerate(roster[1:], start=1):
        if at < horizon:
            events.append((at, ROSTER, i))
    heapq.heapify(events)
    ends = [math.inf] * (holds + len(duty_starts))
    waiting: deque[int] = deque()
    busy = granted = pending = 0  # holds at work, blockers holding an officer, blockers in line
    blockers: list[bool] = []  # each blocker in the order added: granted?
    exact = True
    last = -math.inf
    last_case: int | None = None  # the case of the duty that asked last, else None
    last_kind = DONE

    def start(hold: int, now: float) -> None:
        nonlocal busy
        busy += 1
        length = work(hold, now) if hold < holds else duty_lengths[hold - holds]
        end = now + length
        if end < horizon:
            heapq.heappush(events, (end, DONE, hold))

    def release(now: float) -> None:
        """An officer is free: the first in line takes it."""
        nonlocal granted, pending
        if pending:
            pending -= 1
            granted += 1
            blockers[blockers.index(False)] = True
        elif waiting:
            start(waiting.popleft(), now)

    first = top - roster[0][1] if roster else 0
    blockers += [True] * first
    granted = first
    while events:
        now, kind, index = heapq.heappop(events)
        asks = kind in (ARRIVE, AFTER)
        case = duty_cases[index - holds] if asks and index >= holds else None
        if now - last < EDGE and not _order_free(
            last_kind,
            kind,
            top - busy - granted,
            bool(waiting),
            case is not None and case == last_case,
        ):
            exact = False
        last, last_case, last_kind = now, case, kind
        if asks:
            if busy + granted < top and not waiting:
                start(index, now)
            else:
                waiting.append(index)
        elif kind == DONE:
            ends[index] = now
            busy -= 1
            release(now)
        else:
            wanted = top - roster[index][1]
            while len(blockers) > wanted:
                if blockers.pop():
                    granted -= 1
                    if waiting and not exact_rosters:
                        exact = False
                    release(now)
                else:
                    pending -= 1
            while len(blockers) < wanted:
                if busy + granted < top:
                    granted += 1
                    blockers.append(True)
                else:
                    pending += 1
                    blockers.append(False)
    return Replay(ends[:holds], ends[holds:], exact)
