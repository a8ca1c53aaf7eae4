"""The incident process: onset, warnings ahead of impact, severity changes.

Each timeline point is an observation the reporting channels may pass on
(which ones: :func:`cmdsim.sim.topology.carries`); points before onset
(``at < 0``) with a signal are forecast warnings.  The log has a ``signal``
event for each point with a signal (its colour or ``lifted``, and its
``issuer``: each issuer's warning is its own, so a criterion or a reader
can tell the district station's lift from the city's) and, after onset, a ``severity`` event
with the figures and conditions of each point that states some: a point
that only changes or lifts the signal is its ``signal`` event alone.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

from cmdsim.model.carrying import seen_on_ground
from cmdsim.model.incidents import issuer_of
from cmdsim.model.scenario import SeverityPoint
from cmdsim.sim.compiled import CompiledIncident
from cmdsim.sim.context import Run
from cmdsim.sim.events import EventKind

Observe = Callable[[CompiledIncident, SeverityPoint], None]


def incident_process(
    run: Run, incident: CompiledIncident, observe: Observe
) -> Generator[Any, Any, None]:
    onset = incident.onset
    started = False
    for point in incident.points:
        if point.at >= 0 and not started:
            yield from _until(run, onset)
            run.emit(
                incident.id,
                EventKind.ONSET,
                incident.id,
                hazard=incident.hazard,
                town=incident.town,
            )
            started = True
        yield from _until(run, onset + point.at)
        if point.signal is not None:
            run.emit(
                incident.id,
                EventKind.SIGNAL,
                incident.id,
                signal=point.signal.value,
                issuer=issuer_of(point).value,
                at=point.at,
            )
        if point.at > 0 and seen_on_ground(point):
            # A signal-only point is the met service's news, logged as its
            # ``signal`` event: a ``severity`` event then would say nothing.
            run.emit(incident.id, EventKind.SEVERITY, incident.id, **_changed(point))
        observe(incident, point)
    if not started:
        yield from _until(run, onset)
        run.emit(
            incident.id, EventKind.ONSET, incident.id, hazard=incident.hazard, town=incident.town
        )


def _changed(point: SeverityPoint) -> dict[str, Any]:
    return {k: v for k, v in point.values().items() if k != "signal"}


def _until(run: Run, time: float) -> Generator[Any, Any, None]:
    if time > run.env.now:
        yield run.env.timeout(time - run.env.now)
