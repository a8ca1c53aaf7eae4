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
after the horizon never happens.  :func:`compute` is fed a :class:`Draws`,
made either vectorised from one generator (:func:`chunk_draws`) or, one
replication at a time, from the engine's own named streams in the engine's
order (:func:`engine_draws`), which is how exactness is tested.

Not covered (see :func:`Response.exact`): escalations, reassessment and
de-escalation after the first decision (a response that may be closed and
then decided anew, which replaces the first decision in the engine's
metrics, :func:`_reopened`); a report waiting for an officer; a
report or reporting duty waiting for a duty-room officer (officers on duty in
each time band) before every first decision was made (:func:`_first_wait`,
:func:`_settled`); two reports of one case reaching or leaving a room at the
same instant.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from cmdsim.analysis.fastpath import as_metric
from cmdsim.analysis.stats import BAND_CODES, BANDS
from cmdsim.model.levels import Clock, Level, Tier, TimeBand
from cmdsim.model.organisation import Channel, ChannelKind, Command, DutyRoom, Receiver
from cmdsim.model.plans import ReportDeadline, ReportStage
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import BandFactors, Delay
from cmdsim.sim import metric_names as mn
from cmdsim.sim.callout import PostDraws, activation_delay, draw_posts
from cmdsim.sim.compiled import Compiled, CompiledPlan, compiled
from cmdsim.sim.decision import _merge  # the duty room's own merge: the same known
from cmdsim.sim.officers import OfficerState
from cmdsim.sim.reporting import DISTRICT_HOPS, REPORTS_TO_TOWN, TOWN_HOPS
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

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

INF = math.inf
HOLIDAYS = (BAND_CODES[TimeBand.HOLIDAY], BAND_CODES[TimeBand.HOLIDAY_NIGHT])
EDGE = 1e-6
"""Minutes either side of an instant within which a shift change counts as at
it: offsets and edges are rounded differently in a shifted scenario."""


@attrs.frozen
class Case:
    """What the district room decides on: an incident, or the target of an
    inject that names no incident (as the engine opens a case for it)."""

    id: str
    hazard: str
    town: str | None
    flags: tuple[str, ...]
    rule: CompiledPlan | None
    incident: int | None  # index in the compiled incidents


@attrs.frozen
class Source:
    """One report: an observation on one channel, or an inject."""

    case: int
    kind: str  # "channel" | "officers" | "officers_town" | "inject"
    at: float  # minutes from start it leaves (observation, inject)
    known: Mapping[str, Any] = attrs.field(repr=False)
    level: Level | None
    room: str  # the room it first reaches
    channel: Channel | None = attrs.field(default=None, repr=False)
    hops: tuple[Tier, ...] = ()
    parent: int | None = None
    """``officers_town``: the officers relay (a source index) whose town
    officer reports to the town room on the way up; it has no draws of its own."""


def _factors(factors: BandFactors) -> FloatArray:
    return np.array([factors.factor(b) for b in BANDS])


class Graph:
    """The seed-independent part: cases, report sources, rooms, HQs."""

    @property
    def duties_in_district(self) -> bool:
        """Whether every reporting duty a room does is the district room's
        (the exact replay covers that room's queue only)."""
        return all(duty.by == self.district_room.id for _, duty in self.duties)

    def roster(self, room: str, offset: float, since: float = 0.0) -> list[tuple[float, int]]:
        """``(minutes from start, officers on duty)``: the room's roster when
        it is built (the district room at the start, a town room at its first
        report, ``since``) and at each band change after, before the horizon,
        for a run shifted by ``offset``."""
        staff = self.staffing[room]
        out = [(since, int(staff[self.band_code(since, offset)]))]
        for edge, code in zip(self.edges, self.band_codes, strict=False):
            at = float(edge) - offset
            if since < at < self.horizon:
                out.append((at, int(staff[int(code)])))
        return out

    def case_rows(self, room: str) -> list[list[int]]:
        """Each case's positions among the reports :func:`compute` sees at
        ``room`` (every source at the district room, which all reach)."""
        found = self._rows.get(room)
        if found is None:
            district = room == self.district_room.id
            items = list(range(len(self.sources))) if district else self.by_room.get(room, [])
            found = self._rows[room] = list(_case_rows(self, items).values())
        return found

    def __init__(self, scenario: Scenario) -> None:
        comp = compiled(scenario)
        self.scenario = scenario
        self.comp = comp
        self.horizon = float(scenario.horizon)
        district = scenario.district
        self.district_room: DutyRoom = district.duty_room
        self.cases: list[Case] = []
        index: dict[str, int] = {}
        for k, incident in enumerate(comp.incidents):
            index[incident.id] = len(self.cases)
            rule = comp.plan_for(incident.hazard, incident.town)
            self.cases.append(
                Case(incident.id, incident.hazard, incident.town, incident.flags, rule, k)
            )
        self.sources: list[Source] = []
        for k, incident in enumerate(comp.incidents):
            self._observations(comp, index[incident.id], k)
        for inject in scenario.injects:
            if inject.hazard is None:
                continue
            target = comp.inject_target(inject)
            if target not in index:
                index[target] = len(self.cases)
                rule = comp.plan_for(inject.hazard, comp.case_town(target, inject.town))
                self.cases.append(Case(target, inject.hazard, inject.town, (), rule, None))
            to_town = inject.to != district.duty_room.id and inject.town is not None
            room = self._room(inject.town, Receiver.TOWN if to_town else Receiver.DISTRICT)
            self.sources.append(
                Source(index[target], "inject", float(inject.at), {}, inject.level, room)
            )
        self.case_index = index
        self.rooms: dict[str, DutyRoom] = dict(comp.rooms)
        self.town_rooms = sorted({s.room for s in self.sources if s.room != self.district_room.id})
        self.by_room: dict[str, list[int]] = {}
        for n, source in enumerate(self.sources):
            self.by_room.setdefault(source.room, []).append(n)
        self._rows: dict[str, list[list[int]]] = {}
        self.by_case: list[list[int]] = [[] for _ in self.cases]
        for n, source in enumerate(self.sources):
            self.by_case[source.case].append(n)
        self.commands: dict[str, Command] = comp.commands
        hqs: dict[str, None] = {}
        for case in self.cases:
            if case.rule is not None:
                for level in Level:
                    hqs.update(dict.fromkeys(h for h in case.rule.activated_by(level)))
        self.hqs = tuple(h for h in hqs if h in self.commands)
        # Initial reports a case calls a duty room to (:func:`duty_start`):
        # they hold one of its officers, like a report in triage.  An inject
        # naming no incident calls for none.
        self.duties: list[tuple[int, ReportDeadline]] = [
            (c, duty)
            for c, case in enumerate(self.cases)
            if case.rule is not None and case.incident is not None
            for duty in case.rule.plan.reports
            if duty.by in self.rooms and duty.stage is ReportStage.INITIAL
        ]
        self.staffing = {
            room_id: np.array([room.staffing.on_duty(b) for b in BANDS], dtype=np.int64)
            for room_id, room in self.rooms.items()
        }
        # The band schedule over the horizon and a week beyond (spread_week).
        self.schedule = compiled(attrs.evolve(scenario, horizon=scenario.horizon + 10_100.0))
        self.edges = np.asarray(self.schedule.edges)
        self.band_codes = np.array([BAND_CODES[b] for b in self.schedule.bands])
        self._edge_list = [float(e) for e in self.edges]
        self._code_list = [int(c) for c in self.band_codes]

    def _room(self, town: str | None, to: Receiver) -> str:
        if to is Receiver.TOWN:
            room = self.comp.town_rooms.get(town or "")
            if room is not None:
                return room.id
        return self.district_room.id

    def _observations(self, comp: Compiled, case: int, k: int) -> None:
        incident = comp.incidents[k]
        points = incident.incident.timeline or (SeverityPoint(at=0.0),)
        now, started = 0.0, False
        for point in points:
            if point.at >= 0 and not started:
                now, started = max(now, incident.onset), True
            now = max(now, incident.onset + point.at)
            known = incident.severity_at(point.at)
            for channel in comp.channels_for(incident.hazard):
                if channel.kind is ChannelKind.WARNING:
                    if point.signal is None:
                        continue
                elif point.at < 0:
                    continue
                room = self._room(incident.town, channel.to)
                if channel.kind is ChannelKind.OFFICERS:
                    hops = TOWN_HOPS if channel.to is Receiver.TOWN else DISTRICT_HOPS
                    parent = len(self.sources)
                    self.sources.append(
                        Source(case, "officers", now, known, None, room, channel, hops)
                    )
                    town_room = self._room(incident.town, Receiver.TOWN)
                    if channel.to is Receiver.DISTRICT and town_room != self.district_room.id:
                        # The same relay, seen by the town room when the town
                        # officer passes it on (sim/reporting.py).
                        self.sources.append(
                            Source(
                                case,
                                "officers_town",
                                now,
                                known,
                                None,
                                town_room,
                                channel,
                                (),
                                parent,
                            )
                        )
                else:
                    self.sources.append(Source(case, "channel", now, known, None, room, channel))

    def bands(self, times: FloatArray, offsets: FloatArray) -> FloatArray:
        """Band codes at ``times`` (minutes from start) shifted by each column's offset."""
        at = np.where(np.isfinite(times), times, 0.0) + offsets
        index = np.searchsorted(self.edges, at, side="right") - 1
        codes: FloatArray = self.band_codes[np.clip(index, 0, len(self.band_codes) - 1)]
        return codes

    def band_code(self, time: float, offset: float) -> int:
        """:meth:`bands` of one finite time, without arrays (the replay asks
        for one at every triage it starts)."""
        index = bisect.bisect_right(self._edge_list, time + offset) - 1
        return self._code_list[min(max(index, 0), len(self._code_list) - 1)]

    def on_duty(self, room: str, times: FloatArray, offsets: FloatArray) -> IntArray:
        """Officers on duty in ``room`` at ``times``; at a shift change the
        fewer of the two shifts, since the engine may take a report there
        before or after the roster changes."""
        staff = self.staffing[room]
        before = staff[self.bands(times - EDGE, offsets).astype(int)]
        after = staff[self.bands(times + EDGE, offsets).astype(int)]
        fewer: IntArray = np.minimum(before, after)
        return fewer

    def factor(self, factors: BandFactors, times: FloatArray, offsets: FloatArray) -> FloatArray:
        picked: FloatArray = _factors(factors)[self.bands(times, offsets).astype(int)]
        return picked

    def committees(self, case: Case) -> tuple[int, int | None]:
        """(town index or -1, fixed committee index or None)."""
        people = self.comp.officers
        town = people.town_index.get(case.town) if case.town is not None else None
        if town is None:
            return -1, None
        fixed = None
        incident = self.comp.incidents[case.incident] if case.incident is not None else None
        if incident is not None and incident.committee is not None:
            fixed = people.committee_index[incident.town].get(incident.committee)
        return town, fixed

    def group(self, town: int, committee: int, tier: Tier) -> tuple[int, int]:
        """The officers a hop at ``tier`` can go to: ``(lo, hi)``, empty if none."""
        people = self.comp.officers
        if tier is Tier.DISTRICT:
            return people.district_group
        if tier is Tier.TOWN:
            return people.town_group[town]
        groups = people.committee_groups[town]
        if committee < 0 or not groups:
            return (0, 0)
        compound, own = groups[committee]
        return compound if tier is Tier.COMPOUND else own


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
    for c, rows in _case_rows(graph, items).items():
        out[rows] = _scalars(delay, streams(name(room, graph.cases[c].id)), len(rows))
    return out


def _case_rows(graph: Graph, items: Sequence[int]) -> dict[int, list[int]]:
    """The positions in ``items`` of each case's reports."""
    rows: dict[int, list[int]] = {}
    for k, n in enumerate(items):
        rows.setdefault(graph.sources[n].case, []).append(k)
    return rows


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


def _assign(raw: FloatArray, keys: FloatArray) -> FloatArray:
    """The ``k``-th row of ``raw`` to the ``k``-th smallest key of each column."""
    if raw.shape[0] == 0:
        return raw
    order = np.argsort(keys, axis=0, kind="stable")
    out = np.empty_like(raw)
    np.put_along_axis(out, order, raw[: keys.shape[0]], axis=0)
    return out


def _assign_by_case(raw: FloatArray, keys: FloatArray, rows: Sequence[list[int]]) -> FloatArray:
    """:func:`_assign` within each case's rows: a case's draws to its reports in key order."""
    out = np.empty_like(keys)
    for group in rows:
        out[group] = _assign(raw[group], keys[group])
    return out


def _tied_by_case(times: FloatArray, rows: Sequence[list[int]]) -> BoolArray:
    """Columns where two reports of one case are at one instant: then the
    engine's order among them, not the items', decides which draw each gets
    (reports of different cases draw from different streams)."""
    out = np.zeros(times.shape[1], dtype=bool)
    for group in rows:
        if len(group) > 1:
            out |= _tied(times[group])
    return out


def _tied(times: FloatArray) -> BoolArray:
    """Columns where two finite times are equal."""
    ordered = np.sort(times, axis=0)
    same: BoolArray = ((ordered[1:] == ordered[:-1]) & np.isfinite(ordered[1:])).any(axis=0)
    return same


def _never(times: FloatArray, horizon: float) -> FloatArray:
    return np.where(times >= horizon, INF, times)


def _overlaps(starts: FloatArray, ends: FloatArray, groups: IntArray, size: Any) -> BoolArray:
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
        size = _group_sizes(graph, tier, np.stack(hop_groups[tier]))
        contended |= _overlaps(
            _never(np.stack(starts), horizon),
            np.stack(hop_ends[tier]),
            np.stack(hop_groups[tier]),
            size,
        )
    first = _never(first, horizon)
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
        work = _assign_by_case(draws.triage[room_id], come, rows)
        work *= graph.factor(room.factors, come, offsets)
        done = _never(come + work, horizon)
        holds.setdefault(room_id, []).append((come, done))
        knows[room_id] = _first_by_case(graph, items, done)
        fwd = _assign_by_case(draws.forward[room_id], done, rows)
        fwd *= graph.factor(room.factors, done, offsets)
        arrival[items] = _never(done + fwd, horizon)
        tied |= _tied_by_case(come, rows) | _tied_by_case(done, rows)
    room = graph.district_room
    rows = graph.case_rows(district_id)
    raw = _assign_by_case(draws.triage[district_id], arrival, rows)
    work = raw * graph.factor(room.factors, arrival, offsets)
    done = _never(arrival + work, horizon)
    holds.setdefault(district_id, []).append((arrival, done))
    knows[district_id] = _first_by_case(graph, range(nsrc), done)
    tied |= _tied_by_case(arrival, rows) | _tied_by_case(done, rows)
    aware = _aware(graph, arrival)
    start, level, decided = _decisions(graph, draws.approval, done, offsets)
    queued = np.zeros(reps, dtype=bool)
    replayed = np.zeros(reps, dtype=bool)
    if not unlimited:
        follows = _duty_holds(graph, draws, decided, level, holds, knows)
        # Until the first instant a hold might wait, or an unseen duty might
        # start, the engine's rooms do exactly what the fast path computed.
        until = _redecided(graph, decided, level)
        for room_id, spans in holds.items():
            opened = np.concatenate([begun for begun, _ in spans])
            closed = np.concatenate([end for _, end in spans])
            after = np.concatenate(
                [
                    np.full(begun.shape[0], i in follows.get(room_id, ()))
                    for i, (begun, _) in enumerate(spans)
                ]
            )
            until = np.minimum(until, _first_wait(graph, room_id, opened, closed, offsets, after))
        queued = ~_settled(graph, start, aware, until)
        # Where a report or duty may have waited, the rooms' queues are
        # replayed exactly: the town rooms', then the district room's.
        replayable = queued & graph.duties_in_district
        for r in np.flatnonzero(replayable):
            found = _replay_rooms(graph, draws, first, level, decided, int(r))
            if found is not None:
                start[:, r], level[:, r], decided[:, r], aware[:, r], done[:, r] = found
                queued[r] = False
                replayed[r] = True
    contended |= queued
    reopened = _reopened(graph, done, decided)
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
        done_at = _never(begun + activation_delay(command, scaled), horizon)
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


def _group_sizes(graph: Graph, tier: Tier, groups: IntArray) -> IntArray:
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


def _first_by_case(graph: Graph, items: Sequence[int] | range, values: FloatArray) -> FloatArray:
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
    (:class:`cmdsim.sim.tasks.Reporting`), from when its room first triaged a
    report of the case (``knows``) and the case's first decision and level:
    counted from onset or learning of it with no ``min_level`` above IV, as
    soon as the room knows; otherwise once the first decision is at
    ``min_level`` or above (a later escalation is unseen: :func:`_redecided`).
    ``fastpath.permits`` refuses the reports this does not cover."""
    if duty.min_level is Level.IV and duty.clock in (Clock.ONSET, Clock.AWARE):
        return knows
    at: FloatArray = np.where(rank >= duty.min_level.rank, np.maximum(knows, decided), INF)
    return at


def _duty_holds(
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
            (at[None, :], _never(at + draws.duty[k], horizon)[None, :])
        )
    return follows


def _first_wait(
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


def _replay_rooms(
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
    does not settle, or an unseen duty (:func:`_redecided`) could start
    before a first decision.

    Decisions set reporting duties that hold the district room's officers
    and so delay later reports, which may move later decisions: replayed
    until the duties' times stop moving.
    """
    from cmdsim.analysis.fastqueue import replay

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
        raw = _assign_by_case(draws.triage[room_id][:, r : r + 1], come, rows)
        played = replay(
            [float(t) for t in come[:, 0]],
            _work(graph, room, raw, offset),
            [],
            [],
            graph.roster(room_id, float(offset[0]), since=min(begins)),
            room.staffing.largest,
            horizon,
            exact_rosters=not shifted,
        )
        done = np.array(played.reports).reshape(-1, 1)
        if not played.exact or _tied_by_case(done, rows)[0]:
            return None
        fwd = _assign_by_case(draws.forward[room_id][:, r : r + 1], done, rows)
        arrival[items] = _never(done + fwd * graph.factor(room.factors, done, offset), horizon)
    district = graph.district_room
    rows = graph.case_rows(district.id)
    if _tied_by_case(arrival, rows)[0]:
        return None
    raw = _assign_by_case(draws.triage[district.id][:, r : r + 1], arrival, rows)
    aware = _aware(graph, arrival)
    duties = [(k, c, duty) for k, (c, duty) in enumerate(graph.duties) if duty.by == district.id]
    lengths = [float(draws.duty[k, r]) for k, _, _ in duties]
    cases = [c for _, c, _ in duties]
    roster = graph.roster(district.id, float(offset[0]))
    arrivals = [float(t) for t in arrival[:, 0]]
    work = _work(graph, district, raw, offset)

    def asking(ranks: FloatArray, when: FloatArray, triaged: FloatArray) -> list[float]:
        """When each duty asks for an officer (:func:`duty_start`)."""
        knows = _first_by_case(graph, range(len(arrivals)), triaged)[:, 0]
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
        if not played.exact or _tied_by_case(done, rows)[0]:
            return None
        begun, picked, made = _decisions(graph, draws.approval[:, r : r + 1], done, offset)
        again = asking(picked[:, 0], made[:, 0], done)
        if again == asks:
            if not _settled(graph, begun, aware, _redecided(graph, made, picked))[0]:
                return None
            return begun[:, 0], picked[:, 0], made[:, 0], aware[:, 0], done[:, 0]
        asks = again
    return None


def _aware(graph: Graph, arrival: FloatArray) -> FloatArray:
    """Each case's awareness: its first report's arrival at the district room."""
    aware = np.full((len(graph.cases), arrival.shape[1]), INF)
    for c, items in enumerate(graph.by_case):
        if items:
            aware[c] = arrival[items].min(axis=0)
    return aware


def _decisions(
    graph: Graph, approval: FloatArray, triaged: FloatArray, offsets: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Each case's first decision from the district room's triage ends:
    when it starts, its level's rank, and when it is made (after approval)."""
    start, level = _first_decisions(graph, triaged, offsets)
    approved = approval * graph.factor(graph.district_room.factors, start, offsets)
    return start, level, _never(start + approved, graph.horizon)


def _work(
    graph: Graph, room: DutyRoom, raw: FloatArray, offset: FloatArray
) -> Callable[[int, float], float]:
    """A report's triage in ``room``: its draw times the band factor at its start."""
    factors = [float(f) for f in _factors(room.factors)]
    draws = [float(x) for x in raw[:, 0]]
    shift = float(offset[0])

    def work(k: int, at: float) -> float:
        return draws[k] * factors[graph.band_code(at, shift)]

    return work


def lowers(graph: Graph, c: int) -> bool:
    """Whether case ``c``'s lead may lower its level within the run (it
    re-assesses only an incident, and only with ``deescalate``)."""
    case = graph.cases[c]
    assert case.rule is not None
    escalation = case.rule.plan.escalation
    return escalation.deescalate and escalation.hold < graph.horizon and case.incident is not None


def never_closed(graph: Graph, c: int) -> bool:
    """Whether case ``c``'s response can never be closed within the run.

    The lead re-assesses the true severity after the first report: closing
    needs a moment the plan's triggers set no level, so never when every
    timeline point calls for one and no report comes before the first point.
    """
    if not lowers(graph, c):
        return True
    case = graph.cases[c]
    assert case.rule is not None and case.incident is not None
    incident = graph.comp.incidents[case.incident]
    points = incident.incident.timeline
    if not points:
        return False
    if any(graph.sources[n].at < incident.onset + points[0].at for n in graph.by_case[c]):
        return False
    return all(case.rule.level_for(incident.severity_at(p.at), ()) is not None for p in points)


def _redecided(graph: Graph, decided: FloatArray, level: FloatArray) -> FloatArray:
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


def _reopened(graph: Graph, triaged: FloatArray, decided: FloatArray) -> BoolArray:
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


def _settled(graph: Graph, start: FloatArray, aware: FloatArray, until: FloatArray) -> BoolArray:
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


def _first_decisions(
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
                _merge(known, source.known)
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
