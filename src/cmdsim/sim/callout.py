"""An HQ's call-out, for one replication or many at once: the one implementation.

A notified HQ calls out every post at once.  Each person is reached with
probability ``reach`` and arrives ``callout × band factor`` later; a post is
filled when ``needed`` people have arrived; a quorum term holds when ``k`` of
its posts are filled; the HQ is activated when every term holds (no terms:
every post; no posts: at once).  Nothing in a call-out contends for
capacity, so every node is an order statistic:

* a post is filled at the ``needed``-th smallest arrival of the people
  reached (``np.partition`` along the people axis);
* a quorum term holds at the ``k``-th smallest fill time of its posts;
* the HQ is activated when its last term holds.

Arrays are ``(people, replications)``: the engine calls these with one
replication (:class:`cmdsim.sim.activation.HQProcess`), the fast path with
thousands (:mod:`cmdsim.analysis.fastpath`) or with the engine's own stream
one replication at a time (:mod:`cmdsim.analysis.fastgraph`), so the same
stream gives the same times.  "Never" is ``inf``.

:func:`draw_callout` makes every draw of one call-out in a fixed order (the
stream ``callout/<command>``, :func:`cmdsim.sim.streams.callout_stream`):
post by post in the HQ's order, first ``people × reps`` delays (all the
replications of the first person, then of the second …), then as many
uniforms for reach (reached when below ``reach``).  With ``reps = 1`` this
is, per post, the people's delays in order and then their uniforms.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import attrs
import numpy as np
from numpy.typing import NDArray

from cmdsim.model.levels import TimeBand
from cmdsim.model.organisation import Command

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@attrs.frozen
class PostDraws:
    """The call-out draws of one post: arrival delays and who was reached,
    each shaped ``(people, replications)``."""

    arrivals: FloatArray = attrs.field(repr=False)
    reached: BoolArray = attrs.field(repr=False)


def kth_smallest(values: FloatArray, k: int) -> FloatArray:
    """The ``k``-th smallest (1-based) of each column; ``inf`` where there are fewer.

    Arrays are laid out ``(items, replications)``, so each reduction runs
    along contiguous memory, one replication per column.

    >>> kth_smallest(np.array([[3.0, 9.0], [1.0, 7.0], [2.0, 8.0]]), 2)
    array([2., 8.])
    """
    width, reps = values.shape
    if k < 1:
        raise ValueError("k is 1-based")
    if k > width:
        return np.full(reps, math.inf)
    picked: FloatArray
    if k == 1:
        picked = values.min(axis=0)
    elif k == width:
        picked = values.max(axis=0)
    else:
        picked = np.partition(values, k - 1, axis=0)[k - 1]
    return picked


def post_filled(arrivals: FloatArray, reached: BoolArray, needed: int) -> FloatArray:
    """When ``needed`` of the people who were reached have arrived (``inf``: never)."""
    return kth_smallest(np.where(reached, arrivals, math.inf), needed)


def draw_posts(
    command: Command, rng: np.random.Generator, reps: int, factor: float = 1.0
) -> dict[str, PostDraws]:
    """All call-out draws of an HQ for ``reps`` replications, in stream order,
    the delays times ``factor`` (1: the raw draws, scaled later per replication)."""
    out: dict[str, PostDraws] = {}
    for post in command.posts:
        delay = post.callout if post.callout is not None else command.callout
        raw = np.asarray(delay.sample_many(rng, post.people * reps), dtype=float)
        arrivals = raw.reshape(post.people, reps) * factor
        reached = rng.random((post.people, reps)) < post.reach
        out[post.id] = PostDraws(arrivals, reached)
    return out


def draw_callout(
    command: Command, band: TimeBand, rng: np.random.Generator, reps: int = 1
) -> dict[str, PostDraws]:
    """All call-out draws of an HQ for ``reps`` replications called out in
    ``band``: delays scaled by the HQ's band factor (:func:`draw_posts`)."""
    return draw_posts(command, rng, reps, command.factors.factor(band))


def fill_times(command: Command, draws: Mapping[str, PostDraws]) -> dict[str, FloatArray]:
    """Minutes after notification each post is filled, per replication (``inf``: never)."""
    return {
        post.id: post_filled(draws[post.id].arrivals, draws[post.id].reached, post.needed)
        for post in command.posts
    }


def quorum_time(command: Command, filled: Mapping[str, FloatArray], reps: int) -> FloatArray:
    """When every quorum term holds, from the posts' fill times.

    Without quorum terms every post must be filled; without posts the HQ is
    active as soon as it is notified.
    """
    if not command.posts:
        return np.zeros(reps)
    terms = [
        kth_smallest(np.stack([filled[p] for p in term.posts]), term.k) for term in command.terms
    ]
    worst: FloatArray = np.stack(terms).max(axis=0)
    return worst


def activation_delay(command: Command, draws: Mapping[str, PostDraws]) -> FloatArray:
    """Minutes from notification to activation, one per replication: the
    critical path of a call-out."""
    reps = next(iter(draws.values())).arrivals.shape[1] if draws else 1
    return quorum_time(command, fill_times(command, draws), reps)


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
