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

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np
from numpy.typing import NDArray

from cmdsim.analysis.seeds import WEEK_MINUTES
from cmdsim.analysis.stats import BAND_CODES, BAND_SUFFIX, BANDS
from cmdsim.model.levels import TimeBand
from cmdsim.model.organisation import Command
from cmdsim.model.scenario import Incident, Scenario, required_level

if TYPE_CHECKING:
    from cmdsim.analysis.batch import Chunk, ChunkTask

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


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


@attrs.frozen
class PostDraws:
    """The call-out draws of one post: arrival delays and who was reached,
    each shaped ``(people, replications)``."""

    arrivals: FloatArray = attrs.field(repr=False)
    reached: BoolArray = attrs.field(repr=False)


def draw_callout(
    command: Command, band: TimeBand, rng: np.random.Generator, reps: int
) -> dict[str, PostDraws]:
    """All call-out draws of an HQ for ``reps`` replications, in a fixed order.

    Post by post in the HQ's order: first ``people × reps`` delays (all the
    replications of the first person, then of the second …), then as many
    uniforms for reach (reached when below ``reach``).  Delays are scaled by
    the HQ's band factor.  With ``reps = 1`` this is, per post, the people's
    delays in order and then their uniforms.
    """
    factor = command.factors.factor(band)
    out: dict[str, PostDraws] = {}
    for post in command.posts:
        delay = post.callout if post.callout is not None else command.callout
        arrivals = delay.sample_many(rng, post.people * reps).reshape(post.people, reps) * factor
        reached = rng.random((post.people, reps)) < post.reach
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
        every: FloatArray = np.stack([filled[p.id] for p in command.posts]).max(axis=0)
        return every
    terms = [
        kth_smallest(np.stack([filled[p] for p in term.posts]), term.k) for term in command.quorum
    ]
    worst: FloatArray = np.stack(terms).max(axis=0)
    return worst


def activation_delay(command: Command, draws: Mapping[str, PostDraws]) -> FloatArray:
    """Minutes from notification to activation, one per replication row."""
    reps = next(iter(draws.values())).arrivals.shape[1] if draws else 1
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


FAST_KEY = 0x66617374
"""First spawn key of the fast path's chunk streams (``b"fast"``), far above any
replication index."""


def incident_hqs(scenario: Scenario, incident: Incident) -> tuple[str, ...]:
    """The HQs called out for an incident: what the district plans for its
    hazard activate at the level they require for its true peak, and their
    leads.  Without any plan, the first specialised HQ."""
    district = scenario.district
    found: dict[str, None] = {}
    for plan in district.plans_for(incident.hazard):
        level = required_level(plan, incident)
        if level is None:
            continue
        if plan.lead is not None:
            found[plan.lead] = None
        response = plan.levels.get(level)
        if response is not None:
            found.update(dict.fromkeys(response.activate))
    if not found and district.special_commands:
        found[district.special_commands[0].id] = None
    return tuple(found)


def chunk_generator(seed: int, start: int, stop: int) -> np.random.Generator:
    """The fast path's stream for replications ``start``..``stop`` of a batch."""
    seq = np.random.SeedSequence(seed, spawn_key=(FAST_KEY, start, stop))
    return np.random.Generator(np.random.PCG64(seq))


def fast_columns(
    scenario: Scenario, rng: np.random.Generator, reps: int, spread_week: bool = False
) -> dict[str, FloatArray]:
    """Call-out metrics of ``reps`` replications at once.

    For each incident and each HQ it calls out:
    ``incident.<id>.hq.<hq>.callout``, minutes from the HQ's notification to
    its activation (NaN: the quorum was never met), with the band factor of
    the incident's onset; plus the onset bands.  With ``spread_week`` each
    replication's onset is shifted by its own uniform offset within a week.
    """
    calendar = scenario.district.calendar
    offsets = np.zeros(reps)
    if spread_week:
        offsets = np.round(rng.uniform(0.0, WEEK_MINUTES, reps) * 60.0) / 60.0
    out: dict[str, FloatArray] = {}
    first: FloatArray | None = None
    first_onset = min((i.onset for i in scenario.incidents), default=None)
    for incident in scenario.incidents:
        if spread_week:
            bands = [
                calendar.band(incident.onset + dt.timedelta(minutes=float(x))) for x in offsets
            ]
        else:
            bands = [calendar.band(incident.onset)] * reps
        codes = np.array([BAND_CODES[b] for b in bands])
        out[f"incident.{incident.id}.{BAND_SUFFIX}"] = codes
        if incident.onset == first_onset and first is None:
            first = codes
        for hq in incident_hqs(scenario, incident):
            command = scenario.district.command(hq)
            factors = np.array([command.factors.factor(b) for b in BANDS])[codes.astype(int)]
            draws = draw_callout(command, TimeBand.DAY, rng, reps)
            scaled = {
                post: PostDraws(d.arrivals * factors[None, :], d.reached)
                for post, d in draws.items()
            }
            out[f"incident.{incident.id}.hq.{hq}.callout"] = as_metric(
                activation_delay(command, scaled)
            )
    out[BAND_SUFFIX] = first if first is not None else np.full(reps, math.nan)
    return out


def fast_chunk(task: ChunkTask) -> Chunk:
    """A chunk by the fast path: one stream for the chunk, arrays over its rows."""
    from cmdsim.analysis.batch import Chunk

    reps = task.stop - task.start
    rng = chunk_generator(task.seed, task.start, task.stop)
    columns = fast_columns(task.scenario, rng, reps, task.spread_week)
    names = tuple(sorted(columns))
    table = np.stack([columns[name] for name in names], axis=1)
    rows = tuple(tuple(float(x) for x in row) for row in table)
    return Chunk(task.index, task.start, task.stop, names, rows)


def fast_metric(metric: str) -> str:
    """The fast path's name for an engine metric: ``….activated`` -> ``….callout``."""
    return metric.removesuffix(".activated") + ".callout"
