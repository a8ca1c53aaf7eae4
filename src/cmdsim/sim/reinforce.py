"""加强值班: the officers a response's level calls in to a duty room.

A plan's level may ask a room for more officers (:class:`~cmdsim.model.plans.Reinforce`)
while it is in force.  A level includes the actions of the levels below it,
so a case asks the most any of its plan's levels up to the one in force
asks; a room is asked the most any case in force asks of it.  Officers
called in arrive after the ``arrive`` delay (one draw per call-in, stream
:func:`~cmdsim.sim.streams.reinforce_stream`); when fewer are asked for they
go home at once (those still on their way go home on arrival), each after
the report in hand (the room's roster never interrupts work).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from typing import Any, Protocol

import simpy

from cmdsim.model.levels import Level
from cmdsim.model.plans import Plan, Reinforce, asked
from cmdsim.sim.context import Run
from cmdsim.sim.events import EventKind
from cmdsim.sim.streams import reinforce_stream


class Roster(Protocol):
    """A duty room as the call-in sees it."""

    def reinforce(self, officers: int) -> None: ...


class Reinforcements:
    """The call-ins of one run, room by room (``room``: the room's roster,
    built on first use)."""

    def __init__(self, run: Run, room: Callable[[str], Roster | None]) -> None:
        self.run = run
        self.room = room
        self.cases: dict[str, dict[str, Reinforce]] = {}
        """Room -> case -> what the case's level asks of it."""
        self.present: dict[str, int] = {}
        self.travelling: dict[str, int] = {}
        self.calls: dict[str, int] = {}
        """Room -> call-ins so far (each its own stream)."""

    def level(self, case: str, plan: Plan, level: Level | None) -> None:
        """The case's level is now ``level`` (``None``: its response closed)."""
        wanted = asked(plan.levels, level)
        rooms = sorted({*wanted, *(r for r, held in self.cases.items() if case in held)})
        for room in rooms:
            held = self.cases.setdefault(room, {})
            if room in wanted:
                held[case] = wanted[room]
            else:
                held.pop(case, None)
            self._settle(room)

    def _want(self, room: str) -> int:
        return max((call.officers for call in self.cases.get(room, {}).values()), default=0)

    def _settle(self, room: str) -> None:
        want = self._want(room)
        present = self.present.get(room, 0)
        travelling = self.travelling.get(room, 0)
        if present > want:
            self._set(room, want)
        elif want > present + travelling:
            call = max(self.cases[room].values(), key=lambda c: c.officers)
            self.run.env.process(self._call(room, want - present - travelling, call))

    def _call(self, room: str, officers: int, call: Reinforce) -> Generator[simpy.Event, Any, None]:
        run = self.run
        k = self.calls.get(room, 0)
        self.calls[room] = k + 1
        self.travelling[room] = self.travelling.get(room, 0) + officers
        run.emit(room, EventKind.OFFICERS_CALLED, None, officers=officers)
        yield run.env.timeout(call.arrive.sample(run.streams(reinforce_stream(room, k))))
        self.travelling[room] -= officers
        # Those no longer asked for go home on arrival.
        self._set(room, min(self.present.get(room, 0) + officers, self._want(room)))

    def _set(self, room: str, officers: int) -> None:
        if officers == self.present.get(room, 0):
            return
        self.present[room] = officers
        self.run.ledger.called_in.setdefault(room, []).append((self.run.env.now, officers))
        roster = self.room(room)
        if roster is not None:
            roster.reinforce(officers)
        self.run.emit(room, EventKind.OFFICERS_ON_DUTY, None, extra=officers)


def called_in_minutes(changes: Iterable[tuple[float, int]], horizon: float) -> float:
    """Officer-minutes on duty by call-in up to ``horizon``, from a room's
    ``(time, officers from then)`` changes.

    >>> called_in_minutes([(10.0, 2), (40.0, 0)], 100.0)
    60.0
    """
    total = 0.0
    at, officers = 0.0, 0
    for time, now in changes:
        total += officers * (min(time, horizon) - at)
        at, officers = min(time, horizon), now
    return total + officers * (horizon - at)
