"""The fast path: activation times without contention, vectorised with numpy.

Where no capacity binds (every duty room, unit and resource as large as
needed), an HQ's activation time is the longest path through the
notification and call-out graph, and every node of it is an order statistic:

* a person arrives ``callout × band factor`` after the HQ is notified, if
  reached (probability ``reach``), never otherwise;
* a post is filled when the ``needed``-th of its people arrives: the
  ``needed``-th smallest arrival (``np.partition`` along the people axis);
* a quorum term holds when ``k`` of its posts are filled: the ``k``-th
  smallest fill time;
* the HQ is activated when all its terms hold: the largest term time.

Arrays have one row per replication, so thousands of replications cost one
numpy call per post instead of thousands of simulated events.  "Never" is
``inf`` inside the computation and NaN in metrics.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import attrs
import numpy as np
from numpy.typing import NDArray

from cmdsim.errors import ScenarioError
from cmdsim.model.levels import TimeBand
from cmdsim.model.organisation import Command
from cmdsim.model.scenario import Scenario

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def kth_smallest(values: FloatArray, k: int) -> FloatArray:
    """The ``k``-th smallest (1-based) of each row; ``inf`` where a row is shorter.

    >>> kth_smallest(np.array([[3.0, 1.0, 2.0], [9.0, 7.0, 8.0]]), 2)
    array([2., 8.])
    """
    rows, width = values.shape
    if k < 1:
        raise ValueError("k is 1-based")
    if k > width:
        return np.full(rows, math.inf)
    return np.partition(values, k - 1, axis=1)[:, k - 1]


def post_filled(arrivals: FloatArray, reached: BoolArray, needed: int) -> FloatArray:
    """When ``needed`` of the people who were reached have arrived (``inf``: never)."""
    return kth_smallest(np.where(reached, arrivals, math.inf), needed)


@attrs.frozen
class PostDraws:
    """The call-out draws of one post: arrival delays and who was reached."""

    arrivals: FloatArray = attrs.field(repr=False)
    reached: BoolArray = attrs.field(repr=False)


def draw_callout(
    command: Command, band: TimeBand, rng: np.random.Generator, reps: int
) -> dict[str, PostDraws]:
    """All call-out draws of an HQ for ``reps`` replications, in a fixed order.

    Post by post in the HQ's order: first the ``reps × people`` delays (row
    by row), then ``reps × people`` uniforms for reach.  Delays are scaled by
    the HQ's band factor.
    """
    factor = command.factors.factor(band)
    out: dict[str, PostDraws] = {}
    for post in command.posts:
        delay = post.callout if post.callout is not None else command.callout
        arrivals = delay.sample_many(rng, reps * post.people).reshape(reps, post.people) * factor
        reached = rng.random((reps, post.people)) < post.reach
        out[post.id] = PostDraws(arrivals, reached)
    return out


def quorum_time(command: Command, filled: Mapping[str, FloatArray], reps: int) -> FloatArray:
    """When every quorum term holds, from the posts' fill times.

    Without quorum terms every post must be filled; without posts the HQ is
    active as soon as it is notified.
    """
    if not command.posts:
        return np.zeros(reps)
    if not command.quorum:
        every: FloatArray = np.stack([filled[p.id] for p in command.posts], axis=1).max(axis=1)
        return every
    terms = [
        kth_smallest(np.stack([filled[p] for p in term.posts], axis=1), term.k)
        for term in command.quorum
    ]
    worst: FloatArray = np.stack(terms, axis=1).max(axis=1)
    return worst


def activation_delay(command: Command, draws: Mapping[str, PostDraws]) -> FloatArray:
    """Minutes from notification to activation, one per replication row."""
    reps = next(iter(draws.values())).arrivals.shape[0] if draws else 1
    filled = {
        post.id: post_filled(draws[post.id].arrivals, draws[post.id].reached, post.needed)
        for post in command.posts
    }
    return quorum_time(command, filled, reps)


def callout_activation(
    commands: Sequence[Command],
    band: TimeBand,
    rng: np.random.Generator,
    reps: int,
    notified: Mapping[str, FloatArray] | None = None,
) -> dict[str, FloatArray]:
    """Activation time of each HQ (notified at ``notified[id]``, default 0)."""
    out: dict[str, FloatArray] = {}
    for command in commands:
        start = notified.get(command.id) if notified is not None else None
        delay = activation_delay(command, draw_callout(command, band, rng, reps))
        out[command.id] = delay if start is None else start + delay
    return out


def as_metric(values: FloatArray) -> FloatArray:
    """``inf`` (never) as NaN, the metrics' convention."""
    return np.where(np.isinf(values), math.nan, values)


def require_contention_free(scenario: Scenario) -> None:
    """Refuse what the fast path cannot estimate."""
    if len(scenario.incidents) > 1:
        raise ScenarioError(
            f"{scenario.id}: the fast path handles one incident at a time, "
            f"and this scenario has {len(scenario.incidents)} that may contend"
        )


def fast_run(scenario: Scenario, seq: np.random.SeedSequence) -> dict[str, float]:
    """One replication by the fast path (whole scenarios: pending the engine)."""
    raise ScenarioError(
        "the fast path for whole scenarios needs the engine's notification model; "
        "use cmdsim.analysis.fastpath.callout_activation for call-outs"
    )
