"""The notification graph of the fast path: onset to HQ activated, vectorised.

Without contention, the first response to an incident is a longest path
through a graph whose every node is a sum, a minimum or an order statistic:

* each observation (timeline point) goes out on every channel that covers the
  hazard: it reaches its room ``delay × band factor`` later unless missed;
  the information officers relay it tier by tier, each hop with its tier's
  delay and miss probability;
* injects naming a hazard are reports arriving at their room at ``at``;
* a town room triages a report and forwards it to the district room; the
  district room triages it (awareness is the first arrival there);
* the first decision of a case is made when the first triaged report makes
  the plan's triggers (on everything triaged so far) or a reported level give
  a level; the leader approves it ``approval × band factor`` later, and the
  HQs of that level are notified;
* an HQ's call-out starts at its first notification (:mod:`.fastpath`); an
  incident joining an HQ already called out is activated at
  ``max(its notification, the call-out's activation)``.

A room's triage and forward streams are one per case: the case's reports
at that room consume its stream in the order they arrive, so the fast path
assigns the ``k``-th draw to the case's ``k``-th arrival of each replication
(a stable ``argsort`` within the case), as the engine does.  Approvals come
from each case's own stream too, the first draw to its first decision.

Arrays are ``(items, replications)``; "never" is ``inf``; anything at or
after the horizon never happens.  The parts live in :mod:`cmdsim.analysis.fast`
(``graph``, ``draws``, ``steps``, ``rooms``, ``compute``); this module is
their public face.  :func:`compute` is fed a :class:`Draws`,
made either vectorised from one generator (:func:`chunk_draws`) or, one
replication at a time, from the engine's own named streams in the engine's
order (:func:`engine_draws`), which is how exactness is tested.

Not covered (see :func:`Response.exact`): escalations, reassessment and
de-escalation after the first decision (a response that may be closed and
then decided anew, which replaces the first decision in the engine's
metrics, :func:`~cmdsim.analysis.fast.steps.may_reopen`); a report waiting for an officer; a
report or reporting duty waiting for a duty-room officer (officers on duty in
each time band) before every first decision was made
(:func:`~cmdsim.analysis.fast.rooms.first_wait`,
:func:`~cmdsim.analysis.fast.steps.settled`); two reports of one case
reaching or leaving a room at the same instant.
"""

from __future__ import annotations

from cmdsim.analysis.fast.compute import Response, compute, metric_columns
from cmdsim.analysis.fast.draws import Draws, Hop, chunk_draws, engine_draws, stack
from cmdsim.analysis.fast.graph import Case, Graph, Source, graph, lowers, never_closed
from cmdsim.analysis.fast.steps import as_metric, duty_start

__all__ = [
    "Case",
    "Draws",
    "Graph",
    "Hop",
    "Response",
    "Source",
    "as_metric",
    "chunk_draws",
    "compute",
    "duty_start",
    "engine_draws",
    "graph",
    "lowers",
    "metric_columns",
    "never_closed",
    "stack",
]
