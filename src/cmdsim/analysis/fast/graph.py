"""The fast path's graph: a scenario's cases, report sources, rooms and HQs.

The seed-independent part of :mod:`cmdsim.analysis.fastgraph`.  What each
observation and inject becomes and which room it first reaches is the
engine's routing (:mod:`cmdsim.sim.topology`, ``Compiled.topology``); this
adds what the fast path indexes by: each room's and case's reports, which
HQs a case's plan calls out, the reporting duties and the rooms' rosters
over the horizon.  Built once per scenario (:func:`graph`).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence

import attrs
import numpy as np
from numpy.typing import NDArray

from cmdsim.analysis.stats import BAND_CODES, BANDS
from cmdsim.cache import ScenarioCache
from cmdsim.model.levels import Level, Tier, TimeBand
from cmdsim.model.organisation import Command, DutyRoom
from cmdsim.model.plans import ReportDeadline, ReportStage
from cmdsim.model.scenario import Scenario
from cmdsim.model.timing import BandFactors
from cmdsim.sim.compiled import compiled
from cmdsim.sim.topology import Case, Source

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

INF = math.inf
HOLIDAYS = (BAND_CODES[TimeBand.HOLIDAY], BAND_CODES[TimeBand.HOLIDAY_NIGHT])
EDGE = 1e-6
"""Minutes either side of an instant within which a shift change counts as at
it: offsets and edges are rounded differently in a shifted scenario."""


def band_factors(factors: BandFactors) -> FloatArray:
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
            found = self._rows[room] = list(rows_by_case(self, items).values())
        return found

    def __init__(self, scenario: Scenario) -> None:
        comp = compiled(scenario)
        self.scenario = scenario
        self.comp = comp
        self.horizon = float(scenario.horizon)
        district = scenario.district
        self.district_room: DutyRoom = district.duty_room
        # The routing is the engine's own (sim/topology.py), built once.
        topology = comp.topology
        self.cases: list[Case] = topology.cases
        self.sources: list[Source] = topology.sources
        self.case_index = topology.case_index
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
        picked: FloatArray = band_factors(factors)[self.bands(times, offsets).astype(int)]
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


def rows_by_case(graph: Graph, items: Sequence[int]) -> dict[int, list[int]]:
    """The positions in ``items`` of each case's reports."""
    rows: dict[int, list[int]] = {}
    for k, n in enumerate(items):
        rows.setdefault(graph.sources[n].case, []).append(k)
    return rows


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


_GRAPHS: ScenarioCache[Graph] = ScenarioCache(Graph)


def graph(scenario: Scenario) -> Graph:
    """The scenario's notification graph, built once and kept while it lives."""
    return _GRAPHS(scenario)


__all__ = ["Case", "Graph", "Source", "graph", "lowers", "never_closed", "rows_by_case"]
