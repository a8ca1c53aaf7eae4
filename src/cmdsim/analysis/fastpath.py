"""The fast path: activation times without contention, vectorised with numpy.

Where no capacity binds (every duty room, unit and resource as large as
needed), an HQ's activation time is the longest path through the
notification and call-out graph (:mod:`cmdsim.analysis.fastgraph`), and
every node of it is a sum, a minimum or an order statistic.  The call-out
is the engine's own, vectorised (:mod:`cmdsim.sim.callout`, re-exported
here): thousands of replications cost one numpy call per post instead of
thousands of simulated events.  "Never" is ``inf`` inside the computation
and NaN in metrics.

This module decides when the fast path may stand in for the engine
(:func:`permits`) and runs it for a batch (:class:`ExactRun`,
:class:`FastRun`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import attrs
import numpy as np
from numpy.typing import NDArray

from cmdsim.analysis import fastgraph
from cmdsim.analysis.chunks import Chunk, ChunkTask, shift_scenario
from cmdsim.analysis.fast.graph import Graph, graph, lowers, never_closed
from cmdsim.analysis.fast.takeover import takeover_duties
from cmdsim.analysis.metrics import engine_run, known_metrics, onset_bands
from cmdsim.analysis.seeds import WEEK_MINUTES
from cmdsim.analysis.stats import BAND_SUFFIX
from cmdsim.cache import ScenarioCache
from cmdsim.errors import CmdsimError
from cmdsim.model.levels import Level, Lift
from cmdsim.model.scenario import Scenario
from cmdsim.sim.callout import (
    PostDraws,
    activation_delay,
    callout_activation,
    draw_callout,
    kth_smallest,
    post_filled,
    quorum_time,
)
from cmdsim.sim.metric_names import CASE_METRICS, HQ_METRICS, hq_metric, incident_metric

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

__all__ = [  # the call-out, re-exported: its one implementation is the engine's
    "PostDraws",
    "activation_delay",
    "callout_activation",
    "draw_callout",
    "kth_smallest",
    "post_filled",
    "quorum_time",
]


FAST_KEY = 0x66617374
"""First spawn key of the fast path's chunk streams (``b"fast"``), far above any
replication index."""

CONTENDED = "fast.contended"
"""Per replication of a forced (``--fast``) batch: 1 where an officer or a duty
room might have made a report wait, which the fast path leaves out."""


def chunk_generator(seed: int, start: int, stop: int) -> np.random.Generator:
    """The fast path's stream for replications ``start``..``stop`` of a batch."""
    seq = np.random.SeedSequence(seed, spawn_key=(FAST_KEY, start, stop))
    return np.random.Generator(np.random.PCG64(seq))


PILOT = 32
"""Replications of a fixed pilot (seed :data:`FAST_KEY`) that :func:`permits`
computes to see whether the fast path would mostly hand over to the engine."""
PILOT_LIMIT = 24
"""More pilot replications than this falling back, and the engine alone is
cheaper: the fast path's try costs about a millisecond a replication."""


def _pilot(scenario: Scenario) -> tuple[int, int]:
    """Pilot replications falling back: (duty rooms as staffed, unlimited)."""
    g = graph(scenario)
    seeds = np.random.SeedSequence(FAST_KEY).spawn(PILOT)
    draws = fastgraph.stack([fastgraph.engine_draws(g, s) for s in seeds])
    staffed, unlimited = (fastgraph.compute(g, draws, unlimited=u).exact for u in (False, True))
    return int((~staffed).sum()), int((~unlimited).sum())


_PILOTS: ScenarioCache[tuple[int, int]] = ScenarioCache(_pilot)


def _never_released(g: Graph, case: int, hq: str) -> bool:
    """Whether no de-escalation of ``case`` can stand ``hq`` down within the run."""
    spec = g.cases[case]
    assert spec.rule is not None
    if not lowers(g, case):
        return True
    if any(hq not in spec.rule.activated_by(level) for level in Level):
        return False
    # At every level: only closing the response stands it down.
    return never_closed(g, case)


def covered_pairs(g: Graph) -> list[tuple[int, str]]:
    """``(case, HQ)`` pairs whose notification and activation the fast path
    gives in every replication: the HQ is called out by the first decision
    at every level, no other case can call it out first or stand it down, and
    it is not the general HQ a takeover calls out."""
    always: dict[int, set[str]] = {}
    anyone: dict[int, set[str]] = {}
    for c, case in enumerate(g.cases):
        if case.rule is None:
            continue
        sets = [set(case.rule.activated_by(level)) for level in Level]
        always[c] = set.intersection(*sets) & set(g.commands)
        anyone[c] = set.union(*sets)
    takeover = g.comp.general if g.comp.takeover is not None else None
    out: list[tuple[int, str]] = []
    for c, case in enumerate(g.cases):
        if case.incident is None or c not in always:
            continue
        rule = case.rule
        assert rule is not None
        for hq in rule.activated_by(Level.IV):
            if hq not in always[c] or hq == takeover:
                continue
            others = [j for j, hqs in anyone.items() if hq in hqs]
            if all(hq in always[j] and _never_released(g, j, hq) for j in others):
                out.append((c, hq))
    return out


def fast_metrics(scenario: Scenario) -> tuple[str, ...]:
    """The engine metrics the fast path computes for ``scenario`` (same names).

    Only names a run of the engine can report (:func:`known_metrics`): the
    graph leaves town plans aside, so for an incident a town plan governs it
    would pair the district plan's HQs with a case the engine never calls
    them out for; the forced fast path gives no number under such a name.
    """
    g = graph(scenario)
    known = known_metrics(scenario)
    names = [BAND_SUFFIX]
    for case in g.cases:
        if case.incident is not None:
            names.append(incident_metric(case.id, BAND_SUFFIX))
            names.extend(incident_metric(case.id, leaf) for leaf in CASE_METRICS)
    for c, hq in covered_pairs(g):
        names.extend(hq_metric(g.cases[c].id, hq, leaf) for leaf in HQ_METRICS)
    return tuple(name for name in names if name in known)


def permits(
    scenario: Scenario, metrics: Sequence[str] | None, *, unlimited: bool = False
) -> str | None:
    """``None`` if the fast path, with the engine as fall-back, gives the
    engine's answer for ``metrics``, else the reason it may not.

    Conservative: no incident may fall under a town plan (the town room would
    decide first) nor be one response with another on its site (a merge
    rule, :func:`cmdsim.model.sites.site_groups`), and every metric asked
    for must be one the fast path computes (:func:`fast_metrics`; not
    over-response).  Everything else is proved per
    replication from the fast path's own times
    (:attr:`~cmdsim.analysis.fastgraph.Response.exact`), and
    :class:`ExactRun` runs the engine for a replication it cannot vouch for:
    a report or reporting duty that may have waited for a duty-room officer
    (officers on duty in that time band, ``Staffing.on_duty``, against the
    holds then open in that room) before every first decision was made, an
    information officer relaying two reports at once, or two reports of one
    incident at one room at the same instant.  With ``unlimited``
    (the engine runs with unlimited capacity) the duty-room proof is
    skipped.

    Where those replications would be most of them, trying the fast path
    first only adds its cost: a fixed pilot of :data:`PILOT` replications
    is computed, and more than :data:`PILOT_LIMIT` falling back is a refusal.
    """
    if not scenario.incidents:
        return "the scenario has no incident"
    if metrics is None:
        return "all the engine's metrics were asked for; the fast path gives the first response"
    from cmdsim.sim.compiled import compiled
    from cmdsim.sim.knowledge import reason

    comp = compiled(scenario)
    for incident in scenario.incidents:
        town_plan = comp.town_plan_for(incident.hazard, incident.town)
        if town_plan is not None:
            return (
                f"incident {incident.id} is handled first by its town room under the town "
                f"plan {town_plan.id}; the fast path assumes the district room decides first"
            )
    for group in comp.sites.values():
        return (
            f"incidents {', '.join(group.members)} on site {group.site} are one response "
            f"(merge rule {group.rule}), which the fast path does not replay"
        )
    for incident in scenario.incidents:
        if any(point.signal is Lift.LIFTED for point in incident.timeline):
            return (
                f"incident {incident.id}'s signal is lifted (解除), which takes the colour "
                "away and may lower or close its response; the fast path does not replay it"
            )
    for incident in scenario.incidents:
        if incident.handled_at() is not None:
            return (
                f"incident {incident.id}'s handling ends (handled, 处置完毕), which closes "
                "its response and stands its HQs down; the fast path does not replay it"
            )
    for incident in scenario.incidents:
        rule = comp.plan_for(incident.hazard, incident.town)
        if (
            rule is not None
            and rule.plan.warnings is not None
            and any(point.signal is not None for point in incident.timeline)
        ):
            return (
                f"incident {incident.id}'s signals start (and lower) its plan's level by "
                f"warning link (plan {rule.id}, 预警响应联动), which the fast path does not replay"
            )
    if not unlimited:
        called = _called_in(scenario)
        if called is not None:
            return called
    unknown = reason(scenario)
    if unknown is not None:
        # What reporters know (counts, noise, verification) is the engine's alone.
        return f"{unknown}, which the fast path does not replay"
    if not unlimited:
        unseen = _unreplayed_report(scenario)
        if unseen is not None:
            return unseen
    general = takeover_duties(scenario)
    if general is not None:
        return general
    known = set(fast_metrics(scenario))
    missing = [m for m in metrics if m not in known]
    over = next((m for m in missing if m.endswith(".over_response")), None)
    if over is not None:
        return f"the fast path does not compute over-response ({over}); the engine does"
    if missing:
        return f"the fast path does not compute {missing[0]}"
    falls = _PILOTS(scenario)[1 if unlimited else 0]
    if falls > PILOT_LIMIT:
        return (
            f"{falls} of {PILOT} pilot replications would fall back to the engine "
            "(a report waiting for an officer, or two at one room at once); "
            "the engine alone is cheaper"
        )
    return None


def _called_in(scenario: Scenario) -> str | None:
    """Why a level that calls officers in to a duty room (加强值班) may not be
    replayed: the fast path's duty rooms have their shifts' officers only."""
    hazards = {i.hazard for i in scenario.incidents} | {
        j.hazard for j in scenario.injects if j.hazard is not None
    }
    for plan in scenario.district.plans:
        if not hazards.intersection(plan.hazards):
            continue
        for level, response in plan.levels.items():
            if response.reinforce:
                return (
                    f"plan {plan.id}'s level {level.value} calls officers in to "
                    f"{response.reinforce[0].room} (加强值班), which the fast path does not replay"
                )
    return None


def _unreplayed_report(scenario: Scenario) -> str | None:
    """Why a duty room's reporting work is beyond the fast path's replay, if
    it is: it replays the initial reports (their writing holds an officer,
    :func:`~cmdsim.analysis.fastgraph.duty_start`), not follow-up or final
    reports, nor one that waits for the lead HQ's activation."""
    from cmdsim.model.levels import Clock
    from cmdsim.model.plans import ReportStage
    from cmdsim.sim.compiled import compiled

    comp = compiled(scenario)
    for incident in scenario.incidents:
        rule = comp.plan_for(incident.hazard, incident.town)
        if rule is None:
            continue
        for duty in rule.plan.reports:
            if duty.by not in comp.rooms:
                continue
            if duty.stage is not ReportStage.INITIAL or duty.clock is Clock.ACTIVATION:
                what = duty.stage.value if duty.stage is not ReportStage.INITIAL else "activation"
                return (
                    f"the duty room {duty.by} writes plan {rule.id}'s {what} report "
                    f"{duty.id!r}, whose timing the fast path does not replay"
                )
    return None


def _band_columns(scenario: Scenario, offsets: FloatArray) -> dict[str, FloatArray]:
    """:func:`~cmdsim.analysis.metrics.onset_bands` of each replication, as columns."""
    rows = [onset_bands(scenario, float(x)) for x in offsets]
    names = rows[0] if rows else onset_bands(scenario)
    return {name: np.array([row[name] for row in rows], dtype=float) for name in names}


def fast_columns(
    scenario: Scenario,
    rng: np.random.Generator,
    reps: int,
    spread_week: bool = False,
    metrics: Sequence[str] | None = None,
    unlimited: bool = False,
) -> dict[str, FloatArray]:
    """The fast path's metrics of ``reps`` replications drawn from ``rng``.

    Engine names (:func:`fast_metrics`), plus :data:`CONTENDED`: 1 where a
    report may have waited for an information officer, or (unless
    ``unlimited``) for a duty-room officer at the rooms' staffing.  With
    ``spread_week`` each replication's start is shifted by its own uniform
    offset within a week.
    """
    offsets = np.zeros(reps)
    if spread_week:
        offsets = np.round(rng.uniform(0.0, WEEK_MINUTES, reps) * 60.0) / 60.0
    g = graph(scenario)
    # The times are the same either way; ``unlimited`` only skips the proof
    # that no report waited for a duty-room officer.
    draws = fastgraph.chunk_draws(g, rng, reps, offsets)
    response = fastgraph.compute(g, draws, unlimited=unlimited)
    out = _band_columns(scenario, offsets)
    out.update(fastgraph.metric_columns(g, response, covered_pairs(g)))
    out = _only(out, metrics)
    out[CONTENDED] = response.contended.astype(float)
    return out


def _only(columns: dict[str, FloatArray], metrics: Sequence[str] | None) -> dict[str, FloatArray]:
    if metrics is None:
        return columns
    keep = set(metrics)
    return {k: v for k, v in columns.items() if k in keep or k.endswith(BAND_SUFFIX)}


def _chunk(task: ChunkTask, columns: Mapping[str, FloatArray]) -> Chunk:
    names = tuple(sorted(columns))
    table = np.stack([np.asarray(columns[name], dtype=float) for name in names], axis=1)
    rows = tuple(tuple(float(x) for x in row) for row in table)
    return Chunk(task.index, task.start, task.stop, names, rows)


FAST_BLOCK = 50
"""Replications the forced fast path draws from one stream: block ``k`` holds
replications ``50 k`` to ``50 k + 49`` whatever the chunks, so a row does not
depend on the chunk size (or on ``n``)."""


def fast_chunk(
    task: ChunkTask, metrics: Sequence[str] | None = None, unlimited: bool = False
) -> Chunk:
    """A chunk by the fast path: the blocks it overlaps, arrays over their rows.

    Each block of :data:`FAST_BLOCK` replications is drawn whole from its own
    stream and the chunk takes its rows from them: a stream per chunk made
    replication ``i`` depend on ``chunk_size`` (a forced batch of 40 in chunks
    of 5 or 7 gave other means), against the rule that the chunking changes
    no number.  A chunk of a block's size on its edges draws what it drew.
    """
    first = task.start // FAST_BLOCK
    last = (task.stop - 1) // FAST_BLOCK
    parts: list[dict[str, FloatArray]] = []
    for block in range(first, last + 1):
        start = block * FAST_BLOCK
        rng = chunk_generator(task.seed, start, start + FAST_BLOCK)
        parts.append(
            fast_columns(task.scenario, rng, FAST_BLOCK, task.spread_week, metrics, unlimited)
        )
    offset = task.start - first * FAST_BLOCK
    never = np.full(FAST_BLOCK, math.nan)
    columns = {
        name: np.concatenate([part.get(name, never) for part in parts])[
            offset : offset + task.stop - task.start
        ]
        for name in sorted({name for part in parts for name in part})
    }
    return _chunk(task, columns)


@attrs.frozen
class FastRun:
    """The forced fast path (``--fast``): vectorised draws from one stream per
    block of :data:`FAST_BLOCK` replications; the same distributions as the
    engine without contention, not the same random numbers."""

    metrics: tuple[str, ...] | None = None
    unlimited: bool = False

    def __call__(self, scenario: Scenario, seed: np.random.SeedSequence) -> dict[str, float]:
        rng = np.random.Generator(np.random.PCG64(seed))
        columns = fast_columns(scenario, rng, 1, metrics=self.metrics, unlimited=self.unlimited)
        return {k: float(v[0]) for k, v in columns.items()}

    def chunk(self, task: ChunkTask) -> Chunk:
        return fast_chunk(task, self.metrics, self.unlimited)


@attrs.frozen
class EngineRun:
    """The engine, its metrics limited to ``metrics`` (and the onset bands)."""

    metrics: tuple[str, ...] | None = None
    unlimited: bool = False

    def __call__(self, scenario: Scenario, seed: np.random.SeedSequence) -> dict[str, float]:
        out = engine_run(scenario, seed, unlimited=self.unlimited)
        if self.metrics is None:
            return out
        keep = set(self.metrics)
        return {
            k: out.get(k, math.nan)
            for k in sorted(keep | {k for k in out if k.endswith(BAND_SUFFIX)})
        }


CHECK_SAMPLE = 2
"""Replications of each chunk of a permitted batch that are run on the engine
as well, to check the fast path's rows (:class:`ExactRun`)."""

CHECK_STREAM = "analysis.fast_check"
"""The analysis stream (below each replication's sequence) whose draw ranks
the replications of a chunk for the check: independent of how the batch is
cut into chunks or spread over workers."""


class FastPathMismatch(CmdsimError):
    """A row of the permitted fast path differed from the engine's.

    The fast path is meant to give the engine's numbers exactly; this is a
    bug in it, so the batch stops rather than answer wrongly.
    """

    def __init__(
        self,
        scenario: str,
        replication: int,
        metric: str,
        fast: float | None,
        engine: float | None,
        seed: int,
    ) -> None:
        self.scenario = scenario
        self.replication = replication
        self.metric = metric
        self.fast = fast
        self.engine = engine
        self.seed = seed
        super().__init__(
            f"{scenario}: the fast path's replication {replication} (batch seed {seed}) "
            f"differs from the engine's in {metric}: fast path {_shown(fast)}, engine "
            f"{_shown(engine)}. The batch was stopped rather than give a wrong number; "
            "run it with --no-fast (fast=False) for the engine's results, and please "
            "report this scenario (a fast-path bug)."
        )

    def __reduce__(self) -> tuple[type[FastPathMismatch], tuple[object, ...]]:
        # Raised in a worker process: rebuilt from its fields, not from the message.
        fields = (self.scenario, self.replication, self.metric, self.fast, self.engine, self.seed)
        return (type(self), fields)


def _shown(value: float | None) -> str:
    return "(not computed)" if value is None else repr(value)


def check_order(seed: int, start: int, stop: int) -> list[int]:
    """Replications ``start``..``stop`` of a batch seeded ``seed``, in the order
    the check takes them: by a draw of each replication's own
    :data:`CHECK_STREAM`, so a replication's rank never depends on the chunking."""
    from cmdsim.analysis.seeds import analysis_stream, replication_seed

    keys = [
        (float(analysis_stream(replication_seed(seed, i), CHECK_STREAM).random()), i)
        for i in range(start, stop)
    ]
    return [i for _, i in sorted(keys)]


def first_difference(
    fast: Mapping[str, float], engine: Mapping[str, float]
) -> tuple[str, float | None, float | None] | None:
    """The first metric (by name) whose value differs as written (``repr``,
    so NaN equals NaN and -0.0 differs from 0.0), or ``None``."""
    for name in sorted(set(fast) | set(engine)):
        a, b = fast.get(name), engine.get(name)
        if a is None or b is None or repr(float(a)) != repr(float(b)):
            return name, None if a is None else float(a), None if b is None else float(b)
    return None


@attrs.frozen
class ExactRun:
    """The auto-selected fast path: the engine's own named streams, so each
    replication gives exactly the engine's numbers; a replication the fast
    path cannot vouch for (:attr:`Response.exact`) runs on the engine.

    In a batch (:meth:`chunk`), ``check`` of each chunk's replications that
    the fast path computed run on the engine too (ranked by
    :func:`check_order`), and a row that differs stops the batch with
    :class:`FastPathMismatch` naming ``source`` (the scenario's file, else
    its id).  The check never changes a row; ``check=0`` turns it off.
    Neither is part of the batch's identity (``repr``), so a resume may
    change them.
    """

    metrics: tuple[str, ...]
    unlimited: bool = False
    check: int = attrs.field(default=CHECK_SAMPLE, repr=False)
    source: str | None = attrs.field(default=None, repr=False)

    @property
    def engine(self) -> EngineRun:
        return EngineRun(self.metrics, self.unlimited)

    def __call__(self, scenario: Scenario, seed: np.random.SeedSequence) -> dict[str, float]:
        return self.rows(scenario, [seed], [0.0])[0]

    def rows(
        self,
        scenario: Scenario,
        seeds: Sequence[np.random.SeedSequence],
        offsets: Sequence[float],
    ) -> list[dict[str, float]]:
        """One row per replication (the engine's where not vouched for)."""
        return self._rows(scenario, seeds, offsets)[0]

    def _rows(
        self,
        scenario: Scenario,
        seeds: Sequence[np.random.SeedSequence],
        offsets: Sequence[float],
    ) -> tuple[list[dict[str, float]], list[bool]]:
        """The rows, and which of them the fast path computed."""
        g = graph(scenario)
        draws = fastgraph.stack(
            [fastgraph.engine_draws(g, s, o) for s, o in zip(seeds, offsets, strict=True)]
        )
        response = fastgraph.compute(g, draws, unlimited=self.unlimited)
        columns = _band_columns(scenario, np.asarray(offsets, dtype=float))
        # Looked up on the module at each call: a test replaces it to plant a bug.
        columns.update(fastgraph.metric_columns(g, response, covered_pairs(g)))
        columns = _only(columns, self.metrics)
        out: list[dict[str, float]] = []
        computed: list[bool] = []
        for r, seed in enumerate(seeds):
            if response.exact[r]:
                out.append({k: float(v[r]) for k, v in columns.items()})
            else:
                out.append(self.engine(shift_scenario(scenario, offsets[r]), seed))
            computed.append(bool(response.exact[r]))
        return out, computed

    def chunk(self, task: ChunkTask) -> Chunk:
        from cmdsim.analysis.seeds import replication_seed, week_offset

        seeds = [replication_seed(task.seed, i) for i in range(task.start, task.stop)]
        offsets = [week_offset(s) if task.spread_week else 0.0 for s in seeds]
        rows, computed = self._rows(task.scenario, seeds, offsets)
        self._check(task, seeds, offsets, rows, computed)
        return Chunk.of_records(task, rows)

    def _check(
        self,
        task: ChunkTask,
        seeds: Sequence[np.random.SeedSequence],
        offsets: Sequence[float],
        rows: Sequence[Mapping[str, float]],
        computed: Sequence[bool],
    ) -> None:
        """Run the first ``check`` replications the fast path computed (in
        :func:`check_order`) on the engine; stop at the first that differs."""
        if self.check <= 0 or not any(computed):
            return
        picked = [
            i for i in check_order(task.seed, task.start, task.stop) if computed[i - task.start]
        ]
        for i in picked[: self.check]:
            r = i - task.start
            want = self.engine(shift_scenario(task.scenario, offsets[r]), seeds[r])
            found = first_difference(rows[r], want)
            if found is not None:
                source = self.source or f"scenario {task.scenario.id}"
                raise FastPathMismatch(source, i, *found, task.seed)
