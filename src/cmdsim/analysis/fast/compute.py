"""The fast path's times: :func:`compute` turns a graph and its draws into
every case's first response, and :func:`metric_columns` names them as the
engine does (:mod:`cmdsim.sim.metric_names`)."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import numpy as np

from cmdsim.analysis.fast.draws import Draws
from cmdsim.analysis.fast.graph import (
    INF,
    BoolArray,
    FloatArray,
    Graph,
    IntArray,
)
from cmdsim.analysis.fast.rooms import duty_holds, first_wait, replay_rooms
from cmdsim.analysis.fast.steps import (
    as_metric,
    assign_by_case,
    aware_of,
    decisions,
    first_by_case,
    group_sizes,
    may_reopen,
    never,
    overlaps,
    redecided,
    settled,
    tied_by_case,
)
from cmdsim.model.levels import Level, Tier
from cmdsim.sim import metric_names as mn
from cmdsim.sim.callout import PostDraws, activation_delay
from cmdsim.sim.topology import REPORTS_TO_TOWN


@attrs.define
class Response:
    """What :func:`compute` found, per replication (minutes from start; ``inf``: never)."""

    aware: FloatArray  # (cases, reps)
    start: FloatArray  # first decision's start (the approval draw)
    decided: FloatArray
    level: FloatArray  # rank of the first level, NaN: none
    notified: dict[tuple[int, str], FloatArray]
    activated: dict[tuple[int, str], FloatArray]
    contended: BoolArray  # an officer or duty-room officer may have made a report wait
    queued: BoolArray  # the duty-room part of ``contended``
    tied: BoolArray  # two reports came to or left a room at the same instant
    replayed: BoolArray  # a room may have queued: the rooms' queues were replayed
    reopened: BoolArray  # a response might have been closed and decided anew

    @property
    def exact(self) -> BoolArray:
        """Replications the engine would give exactly the same first response."""
        out: BoolArray = ~(self.contended | self.tied | self.reopened)
        return out


def compute(graph: Graph, draws: Draws, unlimited: bool = False) -> Response:
    """The first response of every case, for every replication column of ``draws``."""
    reps = draws.reps
    horizon = graph.horizon
    offsets = draws.offsets
    nsrc = len(graph.sources)
    first = np.full((nsrc, reps), INF)  # arrival at the first room
    at_town: dict[int, FloatArray] = {}  # an officers relay's town officer reports
    contended = np.zeros(reps, dtype=bool)
    hop_starts: dict[Tier, list[FloatArray]] = {}
    hop_ends: dict[Tier, list[FloatArray]] = {}
    hop_groups: dict[Tier, list[IntArray]] = {}
    for n, source in enumerate(graph.sources):
        at = np.full(reps, source.at)
        if source.kind == "inject":
            first[n] = at
        elif source.kind == "officers_town":
            assert source.parent is not None
            first[n] = at_town.get(source.parent, np.full(reps, INF))
        elif source.kind == "channel":
            assert source.channel is not None
            u, raw = draws.channel[n]
            delay = raw * graph.factor(source.channel.factors, at, offsets)
            first[n] = np.where(u < source.channel.miss, INF, at + delay)
        else:
            alive, hops = draws.relay[n]
            alive = alive.copy()
            t = at.copy()
            for tier, hop in zip(source.hops, hops, strict=True):
                spec = graph.comp.tiers.get(tier)
                if spec is None:
                    continue
                go = hop.present & alive
                missed = hop.u < spec.miss
                work = hop.raw * graph.factor(spec.factors, t, offsets)
                end = np.where(go & ~missed, t + work, INF)
                hop_starts.setdefault(tier, []).append(np.where(go & ~missed, t, INF))
                hop_ends.setdefault(tier, []).append(end)
                hop_groups.setdefault(tier, []).append(hop.group)
                alive = alive & ~(go & missed)
                t = np.where(go & ~missed, end, t)
                if tier is REPORTS_TO_TOWN:
                    at_town[n] = end
            first[n] = np.where(alive, t, INF)
    for tier, starts in hop_starts.items():
        # A relay waits only if every officer of its group is busy when it comes.
        size = group_sizes(graph, tier, np.stack(hop_groups[tier]))
        contended |= overlaps(
            never(np.stack(starts), horizon),
            np.stack(hop_ends[tier]),
            np.stack(hop_groups[tier]),
            size,
        )
    first = never(first, horizon)
    district_id = graph.district_room.id
    arrival = first.copy()  # at the district room
    # Every hold on each room's officers: (start, end) rows of reports and duties.
    holds: dict[str, list[tuple[FloatArray, FloatArray]]] = {}
    # room -> (cases, reps): when the room first triaged a report of each case
    knows: dict[str, FloatArray] = {}
    tied = np.zeros(reps, dtype=bool)
    for room_id, items in graph.by_room.items():
        if room_id == district_id:
            continue
        room = graph.rooms[room_id]
        come = first[items]
        rows = graph.case_rows(room_id)
        work = assign_by_case(draws.triage[room_id], come, rows)
        work *= graph.factor(room.factors, come, offsets)
        done = never(come + work, horizon)
        holds.setdefault(room_id, []).append((come, done))
        knows[room_id] = first_by_case(graph, items, done)
        fwd = assign_by_case(draws.forward[room_id], done, rows)
        fwd *= graph.factor(room.factors, done, offsets)
        arrival[items] = never(done + fwd, horizon)
        tied |= tied_by_case(come, rows) | tied_by_case(done, rows)
    room = graph.district_room
    rows = graph.case_rows(district_id)
    raw = assign_by_case(draws.triage[district_id], arrival, rows)
    work = raw * graph.factor(room.factors, arrival, offsets)
    done = never(arrival + work, horizon)
    holds.setdefault(district_id, []).append((arrival, done))
    knows[district_id] = first_by_case(graph, range(nsrc), done)
    tied |= tied_by_case(arrival, rows) | tied_by_case(done, rows)
    aware = aware_of(graph, arrival)
    start, level, decided = decisions(graph, draws.approval, done, offsets)
    queued = np.zeros(reps, dtype=bool)
    replayed = np.zeros(reps, dtype=bool)
    if not unlimited:
        follows = duty_holds(graph, draws, decided, level, holds, knows)
        # Until the first instant a hold might wait, or an unseen duty might
        # start, the engine's rooms do exactly what the fast path computed.
        until = redecided(graph, decided, level)
        for room_id, spans in holds.items():
            opened = np.concatenate([begun for begun, _ in spans])
            closed = np.concatenate([end for _, end in spans])
            after = np.concatenate(
                [
                    np.full(begun.shape[0], i in follows.get(room_id, ()))
                    for i, (begun, _) in enumerate(spans)
                ]
            )
            until = np.minimum(until, first_wait(graph, room_id, opened, closed, offsets, after))
        queued = ~settled(graph, start, aware, until)
        # Where a report or duty may have waited, the rooms' queues are
        # replayed exactly: the town rooms', then the district room's.
        replayable = queued & graph.duties_in_district
        for r in np.flatnonzero(replayable):
            found = replay_rooms(graph, draws, first, level, decided, int(r))
            if found is not None:
                start[:, r], level[:, r], decided[:, r], aware[:, r], done[:, r] = found
                queued[r] = False
                replayed[r] = True
    contended |= queued
    reopened = may_reopen(graph, done, decided)
    notified: dict[tuple[int, str], FloatArray] = {}
    for c, case in enumerate(graph.cases):
        if case.rule is None:
            continue
        for lv in Level:
            picked = level[c] == lv.rank
            if not picked.any():
                continue
            for h in case.rule.activated_by(lv):
                if h in graph.commands:
                    slot = notified.setdefault((c, h), np.full(reps, INF))
                    slot[picked] = decided[c][picked]
    activated: dict[tuple[int, str], FloatArray] = {}
    for h in graph.hqs:
        times = [t for (c, hq), t in notified.items() if hq == h]
        if not times:
            continue
        begun = np.stack(times).min(axis=0)
        command = graph.commands[h]
        factor = graph.factor(command.factors, begun, offsets)
        posts = draws.callout[h]
        scaled = {p: PostDraws(d.arrivals * factor[None, :], d.reached) for p, d in posts.items()}
        done_at = never(begun + activation_delay(command, scaled), horizon)
        for (c, hq), t in notified.items():
            if hq == h:
                activated[(c, h)] = np.where(np.isinf(t), INF, np.maximum(t, done_at))
    return Response(
        aware,
        start,
        decided,
        level,
        notified,
        activated,
        contended,
        queued,
        tied,
        replayed,
        reopened,
    )


def metric_columns(
    graph: Graph, response: Response, pairs: Sequence[tuple[int, str]]
) -> dict[str, FloatArray]:
    """Engine-named metrics (minutes after each incident's onset, NaN: never)."""
    out: dict[str, FloatArray] = {}
    reps = response.aware.shape[1]
    for c, case in enumerate(graph.cases):
        if case.incident is None:
            continue
        onset = graph.comp.incidents[case.incident].onset
        decided = np.isfinite(response.decided[c])
        required = graph.comp.required.get(case.id)
        columns = {
            mn.ONSET: np.full(reps, onset),
            mn.AWARE: as_metric(response.aware[c] - onset),
            mn.LEVEL_DECIDED: as_metric(response.decided[c] - onset),
            mn.LEVEL: np.where(decided, response.level[c], np.nan),
            mn.REQUIRED_LEVEL: np.full(
                reps, float(required.rank) if required is not None else np.nan
            ),
        }
        out.update((mn.incident_metric(case.id, leaf), columns[leaf]) for leaf in mn.CASE_METRICS)
    for c, h in pairs:
        case = graph.cases[c]
        assert case.incident is not None
        onset = graph.comp.incidents[case.incident].onset
        notified = response.notified.get((c, h), np.full(reps, INF))
        activated = response.activated.get((c, h), np.full(reps, INF))
        notified, activated = notified - onset, activated - onset
        with np.errstate(invalid="ignore"):  # the engine's difference, of times after onset
            columns = {
                mn.NOTIFIED: as_metric(notified),
                mn.ACTIVATED: as_metric(activated),
                mn.TIME_TO_ACTIVATE: as_metric(activated - notified),
            }
        out.update((mn.hq_metric(case.id, h, leaf), columns[leaf]) for leaf in mn.HQ_METRICS)
    return out
