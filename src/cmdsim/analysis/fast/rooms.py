"""The fast path's duty rooms: reporting duties as holds on their officers,
the first instant a hold may wait, and the rooms' queues replayed exactly
(:func:`cmdsim.analysis.fastqueue.replay`) where one may have."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from cmdsim.analysis.fast.draws import Draws
from cmdsim.analysis.fast.graph import (
    INF,
    BoolArray,
    FloatArray,
    Graph,
)
from cmdsim.analysis.fast.steps import (
    assign_by_case,
    aware_of,
    decisions,
    duty_start,
    first_by_case,
    never,
    redecided,
    room_work,
    settled,
    tied_by_case,
)
from cmdsim.analysis.fastqueue import replay
from cmdsim.model.levels import Clock, Level


def duty_holds(
    graph: Graph,
    draws: Draws,
    decided: FloatArray,
    level: FloatArray,
    holds: dict[str, list[tuple[FloatArray, FloatArray]]],
    knows: Mapping[str, FloatArray],
) -> dict[str, set[int]]:
    """The initial reports the cases call for, as holds on their rooms; per
    room, the indexes of those that ask as a triage there ends (the engine
    releases that officer first, so it is free for the report)."""
    horizon = graph.horizon
    follows: dict[str, set[int]] = {}
    for k, (c, duty) in enumerate(graph.duties):
        # A room no report of any case reaches never knows of one.
        known = knows[duty.by][c] if duty.by in knows else np.full_like(decided[c], INF)
        at = duty_start(duty, known, decided[c], level[c])
        if duty.min_level is Level.IV and duty.clock in (Clock.ONSET, Clock.AWARE):
            follows.setdefault(duty.by, set()).add(len(holds.get(duty.by, ())))
        holds.setdefault(duty.by, []).append(
            (at[None, :], never(at + draws.duty[k], horizon)[None, :])
        )
    return follows


def first_wait(
    graph: Graph,
    room: str,
    starts: FloatArray,
    ends: FloatArray,
    offsets: FloatArray,
    after: BoolArray | None = None,
) -> FloatArray:
    """Per column, the first start of a hold on ``room`` that may have waited
    for an officer (``inf``: none).

    Officers are a resource as large as the largest shift, its surplus held
    by top-priority blockers; a blocker the roster adds while officers are
    at work takes the first one released.  So a hold is taken at once when,
    at its start, fewer holds are open than officers on duty (blockers then
    hold at most the rest), as long as none waited before.  Holds starting
    or ending at that very instant count as open, whatever order the engine
    takes them in; a hold ending at the horizon or later (``inf``) stays open.
    A hold marked ``after`` starts as a triage of its room ends and the
    engine frees that officer first: that triage does not count as open.
    """
    reps = starts.shape[1]
    out = np.full(reps, INF)
    if starts.shape[0] == 0:
        return out
    # Open at s: started at or before s and not ended before it (an end is
    # never before its start, so those ended are among those started).
    began = np.sort(starts, axis=0)
    ended = np.sort(ends, axis=0)
    staff = graph.on_duty(room, starts, offsets)
    for r in range(reps):
        live = np.isfinite(starts[:, r])
        at = starts[live, r]
        others = (
            np.searchsorted(began[:, r], at, side="right")
            - np.searchsorted(ended[:, r], at, side="left")
            - 1
        )
        if after is not None:
            others = others - after[live]
        short = others >= staff[live, r]
        if short.any():
            out[r] = at[short].min()
    return out


def replay_rooms(
    graph: Graph,
    draws: Draws,
    first: FloatArray,
    level: FloatArray,
    decided: FloatArray,
    r: int,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray] | None:
    """Column ``r``'s first decisions, awareness and district triage ends
    with the duty rooms' queues replayed (:func:`cmdsim.analysis.fastqueue.replay`): each town
    room's (reports only; it forwards each when triaged), then the district
    room's; ``None`` where a replay is not certain of the engine's order,
    does not settle, or an unseen duty (:func:`redecided`) could start
    before a first decision.

    Decisions set reporting duties that hold the district room's officers
    and so delay later reports, which may move later decisions: replayed
    until the duties' times stop moving.
    """

    horizon = graph.horizon
    offset = draws.offsets[r : r + 1]
    shifted = float(offset[0]) != 0.0
    column = first[:, r : r + 1]
    arrival = column.copy()  # at the district room
    for room_id in graph.town_rooms:
        items = graph.by_room[room_id]
        rows = graph.case_rows(room_id)
        come = column[items]
        begins = [float(t) for t in come[:, 0] if math.isfinite(t)]
        if not begins:
            continue
        room = graph.rooms[room_id]
        raw = assign_by_case(draws.triage[room_id][:, r : r + 1], come, rows)
        played = replay(
            [float(t) for t in come[:, 0]],
            room_work(graph, room, raw, offset),
            [],
            [],
            graph.roster(room_id, float(offset[0]), since=min(begins)),
            room.staffing.largest,
            horizon,
            exact_rosters=not shifted,
        )
        done = np.array(played.reports).reshape(-1, 1)
        if not played.exact or tied_by_case(done, rows)[0]:
            return None
        fwd = assign_by_case(draws.forward[room_id][:, r : r + 1], done, rows)
        arrival[items] = never(done + fwd * graph.factor(room.factors, done, offset), horizon)
    district = graph.district_room
    rows = graph.case_rows(district.id)
    if tied_by_case(arrival, rows)[0]:
        return None
    raw = assign_by_case(draws.triage[district.id][:, r : r + 1], arrival, rows)
    aware = aware_of(graph, arrival)
    duties = [(k, c, duty) for k, (c, duty) in enumerate(graph.duties) if duty.by == district.id]
    lengths = [float(draws.duty[k, r]) for k, _, _ in duties]
    cases = [c for _, c, _ in duties]
    roster = graph.roster(district.id, float(offset[0]))
    arrivals = [float(t) for t in arrival[:, 0]]
    work = room_work(graph, district, raw, offset)

    def asking(ranks: FloatArray, when: FloatArray, triaged: FloatArray) -> list[float]:
        """When each duty asks for an officer (:func:`duty_start`)."""
        knows = first_by_case(graph, range(len(arrivals)), triaged)[:, 0]
        return [
            float(duty_start(duty, knows[c : c + 1], when[c : c + 1], ranks[c : c + 1])[0])
            for _, c, duty in duties
        ]

    # A first guess of the triage ends, with no queue: replayed until settled.
    unqueued = np.array(
        [[t + work(k, t) if math.isfinite(t) else INF] for k, t in enumerate(arrivals)]
    )
    asks = asking(level[:, r], decided[:, r], unqueued)
    # A report counted from onset or learning of it asks as its room's triage ends.
    after = [
        duty.min_level is Level.IV and duty.clock in (Clock.ONSET, Clock.AWARE)
        for _, _, duty in duties
    ]
    for _ in range(8):
        played = replay(
            arrivals,
            work,
            asks,
            lengths,
            roster,
            district.staffing.largest,
            horizon,
            cases,
            not shifted,
            after,
        )
        done = np.array(played.reports).reshape(-1, 1)
        if not played.exact or tied_by_case(done, rows)[0]:
            return None
        begun, picked, made = decisions(graph, draws.approval[:, r : r + 1], done, offset)
        again = asking(picked[:, 0], made[:, 0], done)
        if again == asks:
            if not settled(graph, begun, aware, redecided(graph, made, picked))[0]:
                return None
            return begun[:, 0], picked[:, 0], made[:, 0], aware[:, 0], done[:, 0]
        asks = again
    return None
