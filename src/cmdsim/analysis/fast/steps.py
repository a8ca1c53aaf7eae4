"""The fast path's steps: order statistics, first decisions and the proofs
that a replication's first response is the engine's (array helpers used by
:mod:`.compute` and :mod:`.rooms`)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from cmdsim.analysis.fast.graph import (
    HOLIDAYS,
    INF,
    BoolArray,
    FloatArray,
    Graph,
    IntArray,
    band_factors,
    never_closed,
)
from cmdsim.model.levels import Clock, Level, Tier
from cmdsim.model.organisation import DutyRoom
from cmdsim.model.plans import ReportDeadline
from cmdsim.sim.case import merge_known


def assign(raw: FloatArray, keys: FloatArray) -> FloatArray:
    """The ``k``-th row of ``raw`` to the ``k``-th smallest key of each column."""
    if raw.shape[0] == 0:
        return raw
    order = np.argsort(keys, axis=0, kind="stable")
    out = np.empty_like(raw)
    np.put_along_axis(out, order, raw[: keys.shape[0]], axis=0)
    return out


def assign_by_case(raw: FloatArray, keys: FloatArray, rows: Sequence[list[int]]) -> FloatArray:
    """:func:`assign` within each case's rows: a case's draws to its reports in key order."""
    out = np.empty_like(keys)
    for group in rows:
        out[group] = assign(raw[group], keys[group])
    return out


def tied_by_case(times: FloatArray, rows: Sequence[list[int]]) -> BoolArray:
    """Columns where two reports of one case are at one instant: then the
    engine's order among them, not the items', decides which draw each gets
    (reports of different cases draw from different streams)."""
    out = np.zeros(times.shape[1], dtype=bool)
    for group in rows:
        if len(group) > 1:
            out |= tied(times[group])
    return out


def tied(times: FloatArray) -> BoolArray:
    """Columns where two finite times are equal."""
    ordered = np.sort(times, axis=0)
    same: BoolArray = ((ordered[1:] == ordered[:-1]) & np.isfinite(ordered[1:])).any(axis=0)
    return same


def never(times: FloatArray, horizon: float) -> FloatArray:
    return np.where(times >= horizon, INF, times)


def overlaps(starts: FloatArray, ends: FloatArray, groups: IntArray, size: Any) -> BoolArray:
    """Columns where some interval starts while ``size`` others of its group are open."""
    if starts.shape[0] < 2:
        return np.zeros(starts.shape[1], dtype=bool)
    a = starts[:, None, :]
    covering = (starts[None, :, :] <= a) & (ends[None, :, :] > a) & np.isfinite(a)
    covering &= groups[None, :, :] == groups[:, None, :]
    n = starts.shape[0]
    covering[np.arange(n), np.arange(n), :] = False
    busy = covering.sum(axis=1)
    # A hop never made waits for no one (its placeholder group may be empty).
    flagged: BoolArray = ((busy >= size) & np.isfinite(starts)).any(axis=0)
    return flagged


def group_sizes(graph: Graph, tier: Tier, groups: IntArray) -> IntArray:
    """Officers in the group each hop went to (keyed by its first person).

    A hop that was not made carries a placeholder group (0, or an empty
    group's first person), which may be no group of ``tier`` at all — a
    town without committees has none at compound or committee tier — so
    anything not found is 0 officers (a finite start there counts as
    contended: never vouched for).
    """
    people = graph.comp.officers
    ends: dict[int, int] = {}
    if tier is Tier.DISTRICT:
        lo, hi = people.district_group
        ends[lo] = hi
    else:
        found = (
            people.town_group
            if tier is Tier.TOWN
            else [
                compound if tier is Tier.COMPOUND else own
                for pairs in people.committee_groups
                for compound, own in pairs
            ]
        )
        for lo, hi in found:
            # An empty group shares its first person with the next one.
            ends[lo] = max(hi, ends.get(lo, lo))
    if not ends:
        return np.zeros_like(groups)
    lows = np.array(sorted(ends), dtype=np.int64)
    widths = np.array([ends[int(lo)] - int(lo) for lo in lows], dtype=np.int64)
    at = np.minimum(np.searchsorted(lows, groups), len(lows) - 1)
    sizes: IntArray = np.where(lows[at] == groups, widths[at], 0)
    return sizes


def first_by_case(graph: Graph, items: Sequence[int] | range, values: FloatArray) -> FloatArray:
    """Per case, the smallest of ``values`` (one row per item of ``items``, a
    source index each) over the case's items (``inf``: none)."""
    out = np.full((len(graph.cases), values.shape[1]), INF)
    for row, n in enumerate(items):
        c = graph.sources[n].case
        out[c] = np.minimum(out[c], values[row])
    return out


def duty_start(
    duty: ReportDeadline, knows: FloatArray, decided: FloatArray, rank: FloatArray
) -> FloatArray:
    """When the engine's initial report ``duty`` of a case asks for an officer
    (:class:`cmdsim.sim.report_duties.Reporting`), from when its room first triaged a
    report of the case (``knows``) and the case's first decision and level:
    counted from onset or learning of it with no ``min_level`` above IV, as
    soon as the room knows; otherwise once the first decision is at
    ``min_level`` or above (a later escalation is unseen: :func:`redecided`).
    ``fastpath.permits`` refuses the reports this does not cover."""
    if duty.min_level is Level.IV and duty.clock in (Clock.ONSET, Clock.AWARE):
        return knows
    at: FloatArray = np.where(rank >= duty.min_level.rank, np.maximum(knows, decided), INF)
    return at


def aware_of(graph: Graph, arrival: FloatArray) -> FloatArray:
    """Each case's awareness: its first report's arrival at the district room."""
    aware = np.full((len(graph.cases), arrival.shape[1]), INF)
    for c, items in enumerate(graph.by_case):
        if items:
            aware[c] = arrival[items].min(axis=0)
    return aware


def decisions(
    graph: Graph, approval: FloatArray, triaged: FloatArray, offsets: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Each case's first decision from the district room's triage ends:
    when it starts, its level's rank, and when it is made (after approval)."""
    start, level = first_decisions(graph, triaged, offsets)
    approved = approval * graph.factor(graph.district_room.factors, start, offsets)
    return start, level, never(start + approved, graph.horizon)


def first_decisions(
    graph: Graph, triaged: FloatArray, offsets: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """When each case's first decision starts and its level's rank."""
    reps = triaged.shape[1]
    ncase = len(graph.cases)
    start = np.full((ncase, reps), INF)
    level = np.full((ncase, reps), np.nan)
    holiday = np.isin(graph.bands(triaged, offsets), HOLIDAYS)
    for c, case in enumerate(graph.cases):
        rule = case.rule
        items = graph.by_case[c]
        if rule is None or not items:
            continue
        times = triaged[items]
        order = np.argsort(times, axis=0, kind="stable")
        for r in range(reps):
            known: dict[str, Any] = {}
            reported: Level | None = None
            for k in order[:, r]:
                t = times[k, r]
                if not math.isfinite(t):
                    break
                source = graph.sources[items[k]]
                merge_known(known, source.known)
                if source.level is not None:
                    reported = source.level
                flags = case.flags + (("holiday",) if holiday[items[k], r] else ())
                wanted = rule.level_for(known, flags)
                if reported is not None and (wanted is None or reported > wanted):
                    wanted = reported
                if wanted is not None:
                    start[c, r], level[c, r] = t, wanted.rank
                    break
    return start, level


def room_work(
    graph: Graph, room: DutyRoom, raw: FloatArray, offset: FloatArray
) -> Callable[[int, float], float]:
    """A report's triage in ``room``: its draw times the band factor at its start."""
    factors = [float(f) for f in band_factors(room.factors)]
    draws = [float(x) for x in raw[:, 0]]
    shift = float(offset[0])

    def work(k: int, at: float) -> float:
        return draws[k] * factors[graph.band_code(at, shift)]

    return work


def redecided(graph: Graph, decided: FloatArray, level: FloatArray) -> FloatArray:
    """Per column, the earliest a duty the fast path does not see could start.

    A case whose response is closed and then decided again sets its
    reporting duties again; closing waits ``hold`` minutes after the first
    decision, so this is no earlier than that — and never for a case whose
    response cannot be closed (:func:`never_closed`).  A report whose
    ``min_level`` the first decision did not reach starts at an escalation,
    after that decision.
    """
    out = np.full(decided.shape[1], INF)
    for c in sorted({c for c, _ in graph.duties}):
        rule = graph.cases[c].rule
        assert rule is not None  # a duty comes from a case's plan
        if not never_closed(graph, c):
            out = np.minimum(out, decided[c] + rule.plan.escalation.hold)
    for c, duty in graph.duties:
        if duty.min_level is not Level.IV:
            out = np.minimum(out, np.where(level[c] < duty.min_level.rank, decided[c], INF))
    return out


def may_reopen(graph: Graph, triaged: FloatArray, decided: FloatArray) -> BoolArray:
    """Columns where a case's response might be closed and decided anew.

    The engine's ``level_decided`` is the decision that opened the response
    in force: after the lead closes it (no sooner than ``hold`` minutes after
    the first decision, :func:`never_closed`), a report triaged later opens
    it again, and that decision replaces the first one in the metrics.  So a
    column is not vouched for when a report of a case that may close is
    triaged at or after its first decision plus ``hold``.
    """
    out = np.zeros(triaged.shape[1], dtype=bool)
    for c, case in enumerate(graph.cases):
        items = graph.by_case[c]
        if case.rule is None or not items or never_closed(graph, c):
            continue
        closable = decided[c] + case.rule.plan.escalation.hold
        later = np.isfinite(triaged[items]) & (triaged[items] >= closable[None, :])
        out |= later.any(axis=0)
    return out


def settled(graph: Graph, start: FloatArray, aware: FloatArray, until: FloatArray) -> BoolArray:
    """Columns whose first response was over before ``until``.

    A wait at ``until`` delays only holds from then on: a first decision
    started earlier saw the same triage ends in the engine, and an
    awareness earlier the same arrivals.  A case never decided might have
    been after a wait, so it is settled only without one.
    """
    out: BoolArray = np.isinf(until)
    early = np.ones_like(out)
    for c, items in enumerate(graph.by_case):
        if not items:
            continue
        if graph.cases[c].rule is not None:
            early &= start[c] < until
        elif any(graph.sources[n].room != graph.district_room.id for n in items):
            early &= aware[c] < until
    out |= early
    return out


def as_metric(values: FloatArray) -> FloatArray:
    """``inf`` (never) as NaN, the metrics' convention."""
    return np.where(np.isinf(values), math.nan, values)
