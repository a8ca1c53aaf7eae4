"""The fast path's draws: every random number of the graph for some replications.

Made either vectorised from one generator (:func:`chunk_draws`, the forced
fast path) or, one replication at a time, from the engine's own named
streams (:mod:`cmdsim.sim.streams`) in the engine's order
(:func:`engine_draws`), which is how the fast path gives the engine's
numbers exactly.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from cmdsim.analysis.fast.graph import (
    BoolArray,
    FloatArray,
    Graph,
    IntArray,
    rows_by_case,
)
from cmdsim.model.levels import Tier
from cmdsim.model.timing import Delay
from cmdsim.sim.callout import PostDraws, draw_posts
from cmdsim.sim.officers import OfficerState
from cmdsim.sim.streams import (
    Streams,
    approval_stream,
    callout_stream,
    channel_stream,
    forward_stream,
    officers_stream,
    report_stream,
    triage_stream,
)


@attrs.define
class Hop:
    """One officer hop of a relay, per replication: the miss uniform, the raw
    delay, whether it is made (NaN draws where not), the group's first person."""

    u: FloatArray
    raw: FloatArray
    present: BoolArray
    group: IntArray


@attrs.define
class Draws:
    """Every draw of the graph for ``reps`` replications (raw: before band factors)."""

    reps: int
    offsets: FloatArray
    channel: dict[int, tuple[FloatArray, FloatArray]]  # source -> (miss uniform, raw delay)
    relay: dict[int, tuple[BoolArray, list[Hop]]]  # source -> (in the network, hops)
    # room -> (reports, reps): the rows of each case its stream's draws in
    # order, assigned to the case's reports by arrival (triage) or by the
    # end of triage (forward) in :func:`compute`
    triage: dict[str, FloatArray]
    forward: dict[str, FloatArray]  # town rooms only
    approval: FloatArray  # (cases, reps): each case's first approval
    callout: dict[str, dict[str, PostDraws]]  # HQ -> raw call-out draws
    duty: FloatArray  # (graph.duties, reps): how long each reporting duty takes


def _sample(delay: Delay, rng: np.random.Generator, shape: tuple[int, ...]) -> FloatArray:
    size = int(np.prod(shape))
    out: FloatArray = np.asarray(delay.sample_many(rng, size), dtype=float).reshape(shape)
    return out


def chunk_draws(
    graph: Graph, rng: np.random.Generator, reps: int, offsets: FloatArray | None = None
) -> Draws:
    """All draws of ``reps`` replications from one generator, vectorised."""
    offsets = np.zeros(reps) if offsets is None else offsets
    channel: dict[int, tuple[FloatArray, FloatArray]] = {}
    relay: dict[int, tuple[BoolArray, list[Hop]]] = {}
    for n, source in enumerate(graph.sources):
        if source.kind == "channel":
            assert source.channel is not None
            channel[n] = (rng.random(reps), _sample(source.channel.delay, rng, (reps,)))
        elif source.kind == "officers":
            case = graph.cases[source.case]
            town, fixed = graph.committees(case)
            size = len(graph.comp.officers.committee_groups[town]) if town >= 0 else 0
            if fixed is not None:
                committee = np.full(reps, fixed)
            elif size:
                committee = rng.integers(size, size=reps)
            else:
                committee = np.full(reps, -1)
            hops = []
            for tier in source.hops:
                spec = graph.comp.tiers.get(tier)
                lo = np.zeros(reps, dtype=np.int64)
                present = np.zeros(reps, dtype=bool)
                if spec is not None and town >= 0:
                    for c in np.unique(committee):
                        a, b = graph.group(town, int(c), tier)
                        where = committee == c
                        lo[where], present[where] = a, b > a
                u = rng.random(reps)
                raw = (
                    _sample(spec.relay, rng, (reps,)) if spec is not None else np.full(reps, np.nan)
                )
                hops.append(Hop(u, raw, present, lo))
            relay[n] = (np.full(reps, town >= 0), hops)
    triage = {
        room: _sample(graph.rooms[room].triage, rng, (len(graph.by_room[room]), reps))
        for room in graph.town_rooms
    }
    district = graph.district_room
    triage[district.id] = _sample(district.triage, rng, (len(graph.sources), reps))
    forward = {
        room: _sample(graph.rooms[room].forward, rng, (len(graph.by_room[room]), reps))
        for room in graph.town_rooms
    }
    approval = _sample(graph.district_room.approval, rng, (len(graph.cases), reps))
    callout = {h: draw_posts(graph.commands[h], rng, reps) for h in graph.hqs}
    # Drawn last, so the draws before keep their places in the chunk's stream.
    duty = np.array([_sample(d.duration, rng, (reps,)) for _, d in graph.duties]).reshape(
        len(graph.duties), reps
    )
    return Draws(reps, offsets, channel, relay, triage, forward, approval, callout, duty)


def engine_draws(
    graph: Graph,
    seq: np.random.SeedSequence,
    offset: float = 0.0,
) -> Draws:
    """One replication's draws from the engine's named streams, in its order.

    Channels and call-outs draw in a fixed order; each incident's officers
    stream is consumed hop by hop in time order (replayed here); a room's
    triage and forward streams are drawn in sequence and assigned in arrival
    order by :func:`compute`; each case's first approval is the first draw of
    its own stream.
    """
    offsets = np.array([offset])
    streams = Streams(seq)
    channel: dict[int, tuple[FloatArray, FloatArray]] = {}
    relay: dict[int, tuple[BoolArray, list[Hop]]] = {}
    officers: dict[int, list[int]] = {}
    for n, source in enumerate(graph.sources):
        if source.kind == "channel":
            assert source.channel is not None
            case = graph.cases[source.case]
            rng = streams(channel_stream(case.id, source.channel.id))
            u = rng.random()
            raw = source.channel.delay.sample(rng)
            channel[n] = (np.array([u]), np.array([raw]))
        elif source.kind == "officers":
            officers.setdefault(source.case, []).append(n)
    state: OfficerState | None = None
    for case_index, items in officers.items():
        state = state or OfficerState(graph.comp)
        _replay_relays(graph, streams, state, case_index, items, offsets, relay)
    district = graph.district_room
    everything = list(range(len(graph.sources)))
    triage = {room: _per_case(graph, streams, room, "triage") for room in graph.town_rooms}
    triage[district.id] = _per_case(graph, streams, district.id, "triage", everything)
    forward = {room: _per_case(graph, streams, room, "forward") for room in graph.town_rooms}
    approval = np.array(
        [
            district.approval.sample(streams(approval_stream(district.id, case.id)))
            for case in graph.cases
        ]
    ).reshape(len(graph.cases), 1)
    callout = {h: draw_posts(graph.commands[h], streams(callout_stream(h)), 1) for h in graph.hqs}
    duty = np.array(
        [
            _scalars(d.duration, streams(report_stream(graph.cases[c].id, d.id)), 1)[0]
            for c, d in graph.duties
        ]
    ).reshape(len(graph.duties), 1)
    return Draws(1, offsets, channel, relay, triage, forward, approval, callout, duty)


def _per_case(
    graph: Graph, streams: Streams, room: str, kind: str, items: Sequence[int] | None = None
) -> FloatArray:
    """One row per report in ``items`` (default: the room's): each case's
    rows, in item order, the draws of its stream ``room/<room>/<kind>/<case
    id>`` of the room's ``kind`` delay (``triage`` or ``forward``) in order."""
    delay: Delay = getattr(graph.rooms[room], kind)
    name = {"triage": triage_stream, "forward": forward_stream}[kind]
    items = graph.by_room[room] if items is None else items
    out = np.empty((len(items), 1))
    for c, rows in rows_by_case(graph, items).items():
        out[rows] = _scalars(delay, streams(name(room, graph.cases[c].id)), len(rows))
    return out


def _scalars(delay: Delay, rng: np.random.Generator, count: int) -> FloatArray:
    """``count`` draws one at a time, as the engine makes them."""
    return np.array([delay.sample(rng) for _ in range(count)], dtype=float).reshape(count, 1)


def _replay_relays(
    graph: Graph,
    streams: Streams,
    state: OfficerState,
    case_index: int,
    items: Sequence[int],
    offsets: FloatArray,
    relay: dict[int, tuple[BoolArray, list[Hop]]],
) -> None:
    """The officers stream of one incident, drawn as the engine draws it:
    each relay's committee at its observation, each hop's draws when the
    previous hop ends (no officer waits: waits are flagged by :func:`compute`)."""
    case = graph.cases[case_index]
    assert case.incident is not None
    incident = graph.comp.incidents[case.incident]
    rng = streams(officers_stream(case.id))
    heap: list[tuple[float, int, int, int]] = []
    hops = {n: [_no_hop() for _ in graph.sources[n].hops] for n in items}
    groups: dict[int, dict[Tier, tuple[int, int]] | None] = {}
    counter = 0
    for n in items:
        heapq.heappush(heap, (graph.sources[n].at, counter, n, -1))
        counter += 1
    while heap:
        now, _, n, hop = heapq.heappop(heap)
        source = graph.sources[n]
        if hop < 0:
            groups[n] = state.groups(incident, rng)
        found = groups[n]
        if found is None:
            continue
        k = hop + 1
        while k < len(source.hops):
            spec = graph.comp.tiers.get(source.hops[k])
            group = found.get(source.hops[k])
            if spec is not None and group is not None and group[0] != group[1]:
                break
            k += 1
        if k >= len(source.hops):
            continue
        tier = source.hops[k]
        spec = graph.comp.tiers[tier]
        u = rng.random()
        raw = spec.relay.sample(rng)
        lo = found[tier][0]
        hops[n][k] = Hop(np.array([u]), np.array([raw]), np.array([True]), np.array([lo]))
        if u < spec.miss:
            continue
        factor = graph.factor(spec.factors, np.array([now]), offsets)[0]
        heapq.heappush(heap, (now + raw * factor, counter, n, k))
        counter += 1
    for n in items:
        relay[n] = (np.array([groups.get(n) is not None]), hops[n])


def _no_hop() -> Hop:
    return Hop(
        np.array([np.nan]), np.array([np.nan]), np.array([False]), np.array([0], dtype=np.int64)
    )


def stack(draws: Sequence[Draws]) -> Draws:
    """Replications' draws side by side (columns in order)."""
    first = draws[0]

    def cat(arrays: Sequence[NDArray[Any]]) -> NDArray[Any]:
        return np.concatenate(arrays, axis=-1)

    return Draws(
        sum(d.reps for d in draws),
        cat([d.offsets for d in draws]),
        {
            n: (cat([d.channel[n][0] for d in draws]), cat([d.channel[n][1] for d in draws]))
            for n in first.channel
        },
        {
            n: (
                cat([d.relay[n][0] for d in draws]),
                [
                    Hop(
                        cat([d.relay[n][1][k].u for d in draws]),
                        cat([d.relay[n][1][k].raw for d in draws]),
                        cat([d.relay[n][1][k].present for d in draws]),
                        cat([d.relay[n][1][k].group for d in draws]),
                    )
                    for k in range(len(first.relay[n][1]))
                ],
            )
            for n in first.relay
        },
        {room: cat([d.triage[room] for d in draws]) for room in first.triage},
        {room: cat([d.forward[room] for d in draws]) for room in first.forward},
        cat([d.approval for d in draws]),
        {
            h: {
                post: PostDraws(
                    cat([d.callout[h][post].arrivals for d in draws]),
                    cat([d.callout[h][post].reached for d in draws]),
                )
                for post in first.callout[h]
            }
            for h in first.callout
        },
        cat([d.duty for d in draws]),
    )
