"""Replications of a scenario: seeds, chunks, statistics, output, resume.

:func:`replicate` runs ``n`` replications of a scenario, replication ``i``
with the SeedSequence ``SeedSequence(seed, spawn_key=(i,))`` (the ``i``-th
child of ``SeedSequence(seed).spawn(n)``).  Replications are grouped in
chunks of consecutive indices; an executor runs the chunks anywhere, and the
results are reduced in index order, so the summary is the same byte for
byte whatever ran where.

With ``out``, every finished chunk is written as an atomic part file before
the next is reduced; ``resume=True`` reuses the complete ones after a crash
or a ``kill -9`` and ends with the same files as an uninterrupted run.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

# Re-exported: a batch's chunks were defined here before analysis/chunks.py.
from cmdsim.analysis.built import check_scenario
from cmdsim.analysis.chunks import Chunk as Chunk
from cmdsim.analysis.chunks import ChunkTask as ChunkTask
from cmdsim.analysis.chunks import RunFn as RunFn
from cmdsim.analysis.chunks import shift_scenario as shift_scenario
from cmdsim.analysis.colstats import ColumnCollector
from cmdsim.analysis.executors import Executor, SerialExecutor
from cmdsim.analysis.fastpath import CHECK_SAMPLE, ExactRun
from cmdsim.analysis.measured import not_measured
from cmdsim.analysis.seeds import WEEK_MINUTES, replication_seed, week_offset
from cmdsim.analysis.store import SCENARIO_RELATIVE, BatchInterrupted, BatchStore
from cmdsim.errors import CmdsimError
from cmdsim.io.dumping import scenario_digest
from cmdsim.model.scenario import ModelErrors, Scenario
from cmdsim.model.switches import apply_switches, chosen

ProgressFn = Callable[[int, int], None]
"""Called with (replications done, replications in all) after each chunk."""


CHUNK_SIZE = 50
"""Replications per chunk of a batch of at least ``8 × CHUNK_SIZE``."""


def default_chunk_size(n: int) -> int:
    """Chunk size from ``n`` alone, so that resuming with other workers fits.

    A fixed 50 keeps memory per chunk bounded whatever ``n``; small batches
    are cut into 8 chunks so that a pool still has work for every worker.
    """
    return CHUNK_SIZE if n >= 8 * CHUNK_SIZE else max(1, math.ceil(n / 8))


def _check_spread(scenario: Scenario, source: str | None) -> None:
    # The spread moves a run up to a week later: past the period its
    # calendar lists holidays for, the engine would stop mid-batch and the
    # fast path would run those days' holidays as working days, silently.
    try:
        shift_scenario(scenario, WEEK_MINUTES)
    except ModelErrors as exc:
        where = source or scenario.id
        raise CmdsimError(
            f"{where}: spreading the runs over a week moves them up to 7 days later, and then {exc}"
        ) from None


def _whole(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


def check_arguments(
    n: object, seed: object, executor: object = None, metrics: object = None
) -> None:
    """What a batch, a sweep or a sensitivity is asked, checked before it runs.

    A notebook's slip gets a :class:`CmdsimError` saying what to write, not
    a ``TypeError`` from numpy or an ``AttributeError`` from the executor;
    ``metrics="incident.x.aware"`` (a string, not a list) was read letter by
    letter.
    """
    if not (_whole(n) and n >= 1):  # type: ignore[operator]
        raise CmdsimError(
            f"the number of replications must be a whole number at least 1, got {n!r}"
        )
    if not (_whole(seed) and seed >= 0):  # type: ignore[operator]
        raise CmdsimError(f"a seed is a non-negative integer, got {seed!r}")
    if executor is not None and not callable(getattr(executor, "map_shared", None)):
        raise CmdsimError(
            f"executor= takes an executor (SerialExecutor(), ProcessExecutor(2), "
            f"DaskExecutor(...) from cmdsim.analysis), got {executor!r}"
        )
    if isinstance(metrics, str):
        raise CmdsimError(
            f"metrics= takes a list of metric names, got the string {metrics!r} "
            f"(write metrics=[{metrics!r}])"
        )


def run_replication(
    scenario: Scenario, seed: int, index: int, run: RunFn, spread_week: bool = False
) -> dict[str, float]:
    """Replication ``index`` alone, exactly as inside any batch."""
    seq = replication_seed(seed, index)
    if spread_week:
        scenario = shift_scenario(scenario, week_offset(seq))
    return {str(k): float(v) for k, v in run(scenario, seq).items()}


def run_chunk(task: ChunkTask) -> Chunk:
    """Run one chunk; the function executors ship to workers."""
    if task.run is None:
        from cmdsim.analysis.fastpath import fast_chunk

        return fast_chunk(task).with_sketches()
    chunked = getattr(task.run, "chunk", None)
    if chunked is not None:  # the fast path: a whole chunk at once
        made: Chunk = chunked(task)
        return made.with_sketches()
    records = [
        run_replication(task.scenario, task.seed, i, task.run, task.spread_week)
        for i in range(task.start, task.stop)
    ]
    return Chunk.of_records(task, records).with_sketches()


@attrs.frozen
class BatchSpec:
    """What every chunk of a batch shares: shipped to each worker once."""

    scenario: Scenario = attrs.field(repr=False)
    seed: int
    run: RunFn | None = attrs.field(repr=False)
    spread_week: bool = False

    def task(self, span: tuple[int, int, int]) -> ChunkTask:
        index, start, stop = span
        return ChunkTask(index, start, stop, self.scenario, self.seed, self.run, self.spread_week)


def run_span(spec: BatchSpec, span: tuple[int, int, int]) -> Chunk:
    """Run chunk ``span = (index, start, stop)`` of the batch ``spec``."""
    return run_chunk(spec.task(span))


def _run_name(run: RunFn | None) -> str:
    if run is None:
        return "cmdsim.analysis.fastpath:fast_chunk"
    if attrs.has(type(run)):  # the fast path's and engine's run objects, with their settings
        return f"{type(run).__module__}:{run!r}"
    return f"{getattr(run, '__module__', '?')}:{getattr(run, '__qualname__', repr(run))}"


@attrs.frozen
class BatchResult:
    """What a batch produced.

    ``summary`` is the plain data of ``summary.json``; ``columns`` and
    ``values`` (one row per replication) are kept only when asked for
    (``keep=True``), since a large batch should not hold them.
    """

    scenario: str
    seed: int
    n: int
    summary: dict[str, Any] = attrs.field(repr=False)
    columns: tuple[str, ...] = ()
    values: NDArray[np.float64] | None = attrs.field(default=None, repr=False, eq=False)
    out: Path | None = None
    engine: str = "des"
    """``"fast"`` (the fast path) or ``"des"`` (the discrete-event engine)."""
    reason: str | None = None
    """Why this path ran (``None``: a run function was given)."""
    known: frozenset[str] | None = attrs.field(default=None, repr=False, eq=False)
    """Every metric this batch could report (those asked for, else every one
    the scenario's replications can report); ``None`` with a run function,
    whose metrics only the summary knows."""
    spread_week: bool = False
    start: str | None = None
    """The scenario's start (ISO), and below its horizon in minutes: what a
    comparison of two batches checks besides ``n`` and ``seed``."""
    horizon: float | None = None

    def mean(self, metric: str) -> float:
        """The metric's mean over the replications it happened in; NaN if it
        never happened in any.  A name the batch could not report (a typo,
        or a metric left out by ``metrics=``) is a :class:`CmdsimError`."""
        stats = self.summary["metrics"].get(metric)
        if stats is None:
            self._check(metric)
            return math.nan
        value = stats["mean"]
        return math.nan if value is None else float(value)

    def column(self, metric: str) -> NDArray[np.float64]:
        """The metric's value in each replication (NaN: never happened);
        needs ``keep=True``.  A name the batch could not report is an error,
        not a column of NaN read as "never happened"."""
        if self.values is None:
            raise CmdsimError("the batch was run without keep=True: no per-replication values")
        if metric not in self.columns:
            self._check(metric)
            return np.full(self.n, math.nan)
        return self.values[:, self.columns.index(metric)]

    def _check(self, metric: str) -> None:
        """Accept a metric that simply never happened; refuse one the batch
        could not have reported."""
        if self.known is not None and metric in self.known:
            return
        import difflib

        names = sorted({*self.summary["metrics"], *(self.known or ())})
        close = difflib.get_close_matches(metric, names, n=1, cutoff=0.8)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise CmdsimError(f"{self.scenario}: no metric {metric!r} in this batch{hint}")

    def to_json(self) -> str:
        return summary_json(self.summary)


def summary_json(summary: Mapping[str, Any]) -> str:
    return json.dumps(summary, sort_keys=True, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _engine_run() -> RunFn:
    from cmdsim.analysis.metrics import engine_run

    return engine_run


def replicate(
    scenario: Scenario,
    n: int,
    seed: int = 0,
    executor: Executor | None = None,
    *,
    run: RunFn | None = None,
    fast: bool | None = None,
    metrics: Sequence[str] | None = None,
    unlimited_capacity: bool = False,
    spread_week: bool = False,
    out: str | Path | None = None,
    resume: bool = False,
    chunk_size: int | None = None,
    keep: bool = False,
    progress: ProgressFn | None = None,
    check_sample: int | None = None,
    source: str | None = None,
    no_injects: bool = False,
    truth_reported: bool = False,
    no_town_plans: bool = False,
) -> BatchResult:
    """Run ``n`` replications of ``scenario`` and summarise them.

    ``run`` replaces the engine (``cmdsim.sim.simulate`` flattened by
    :func:`cmdsim.analysis.flatten`).  ``metrics`` keeps only those metrics
    (and the onset bands); ``unlimited_capacity`` runs the engine with
    ``SimOptions(unlimited_capacity=True)``.

    ``fast=None`` (the default) runs the fast path when
    :func:`cmdsim.analysis.fastpath.permits` allows it for ``metrics`` — on
    the engine's own streams, so the numbers are the engine's exactly — and
    the engine otherwise; ``fast=False`` always runs the engine;
    ``fast=True`` forces the vectorised fast path (one stream per block of 50 replications: the
    same distributions without contention, not the same numbers), an error
    if it cannot compute a metric asked for.  ``result.engine`` says which ran.
    ``spread_week`` shifts each replication's scenario by a uniform offset
    within a week, drawn from its own stream, so the day, night and holiday bands are all populated.

    When the permitted fast path runs, ``check_sample`` replications of each
    chunk (default :data:`~cmdsim.analysis.fastpath.CHECK_SAMPLE`) that it
    computed are run on the engine as well, chosen by the seed; a row that
    differs stops the batch with
    :class:`~cmdsim.analysis.fastpath.FastPathMismatch` naming ``source``
    (the scenario's file; default its id).  The check changes no result;
    ``check_sample=0`` skips it (unsafe: a fast-path bug would go unseen).

    ``no_injects``, ``truth_reported`` and ``no_town_plans`` run the
    scenario so changed (:mod:`cmdsim.model.switches`; each refused when it
    changes nothing).  Given here rather than applied beforehand, they are
    recorded in ``out``'s manifest and in the summary's ``switches`` (with
    every other option that changes what was run), so a report finds the
    scenario again and says how the batch was run.
    """
    # A scenario changed in Python gets the loader's checks (types, times, references).
    check_scenario(scenario, "replicate")
    switched = chosen(
        no_injects=no_injects, truth_reported=truth_reported, no_town_plans=no_town_plans
    )
    if switched:
        scenario = apply_switches(scenario, switched, source)
    check_arguments(n, seed, executor, metrics)
    if chunk_size is not None and not (_whole(chunk_size) and chunk_size >= 1):
        # A negative size cut no chunk at all: a batch of nothing, summarised.
        raise CmdsimError(f"chunk_size must be a whole number at least 1, got {chunk_size!r}")
    if check_sample is not None and not _whole(check_sample):
        raise CmdsimError(f"check_sample is a whole number, got {check_sample!r}")
    if fast and run is not None:
        raise CmdsimError("fast=True runs the fast path; it cannot take a run function too")
    if check_sample is not None and check_sample < 0:
        raise CmdsimError(f"the check sample must be 0 or more, got {check_sample}")
    if check_sample and (fast is not None or run is not None):
        # Only the permitted fast path is checked: an engine run is the
        # engine's, a forced fast path has its own random numbers.  A sample
        # of 0 asks for no check, which is what those runs get.
        forced = (
            "a run function" if run is not None else f"fast={fast} (--{'' if fast else 'no-'}fast)"
        )
        raise CmdsimError(
            f"a check sample (--check-sample {check_sample}) checks the permitted fast path's "
            f"rows against the engine; with {forced} there is nothing it checks"
        )
    if spread_week:
        _check_spread(scenario, source)
    engine, reason = "des", None
    known: frozenset[str] | None = None
    if run is None:
        run, engine, reason = _choose(scenario, fast, metrics, unlimited_capacity)
        known = _known(scenario, metrics, forced=bool(fast))
        if isinstance(run, ExactRun):
            checked = CHECK_SAMPLE if check_sample is None else check_sample
            run = attrs.evolve(run, check=checked, source=source)
    size = chunk_size or default_chunk_size(n)
    chunks = math.ceil(n / size)
    spec = BatchSpec(scenario, seed, run, spread_week)

    def spans() -> Iterator[tuple[int, int, int]]:
        # Made lazily: a list would grow with n.
        for k in range(chunks):
            start = k * size
            yield (k, start, min(start + size, n))

    store: BatchStore | None = None
    done: set[int] = set()
    if out is not None:
        manifest = {
            "chunk_size": size,
            "chunks": chunks,
            "n": n,
            "run": _run_name(run),
            "scenario": scenario.id,
            "scenario_digest": scenario_digest(scenario),
            "seed": seed,
            "spread_week": spread_week,
            # Only when on, so a batch without them has the manifest it had.
            **dict.fromkeys(switched, True),
        }
        if source is not None and Path(source).is_file():
            # So `cmdsim report DIR` finds the scenario wherever it sits.
            manifest[SCENARIO_RELATIVE] = Path(
                os.path.relpath(Path(source).resolve(), Path(out).resolve())
            ).as_posix()
        store = BatchStore(Path(out))
        done = store.open(manifest, resume)
    owned = executor is None
    ex: Executor = executor if executor is not None else SerialExecutor()
    collector = ColumnCollector()
    columns: list[str] = []
    kept: list[Chunk] = []
    finished = 0
    try:
        # The scenario and run function travel to each worker once, not per chunk.
        computed = ex.map_shared(run_span, spec, (s for s in spans() if s[0] not in done))
        for index, _, _ in spans():
            if index in done:
                assert store is not None
                chunk = store.read_part(index)
            else:
                chunk = next(computed)
                if store is not None:
                    store.write_part(chunk)
            collector.add_rows(chunk.columns, chunk.rows)
            if chunk.sketches is None:  # a part file read back
                chunk = chunk.with_sketches()
            assert chunk.sketches is not None
            collector.merge_sketches(chunk.sketches)
            for c in chunk.columns:
                if c not in columns:
                    columns.append(c)
            if keep:
                kept.append(chunk)
            finished += chunk.stop - chunk.start
            if progress is not None:
                progress(finished, n)
    except KeyboardInterrupt as exc:
        if store is None:
            raise
        raise BatchInterrupted(store.work) from exc
    finally:
        if owned:
            ex.close()
    summary = {
        "schema": "cmdsim.batch.summary/1",
        "scenario": scenario.id,
        "seed": seed,
        "n": n,
        "spread_week": spread_week,
        "fast": engine == "fast",
        "engine": engine,
        **collector.summary(),
    }
    how = _switches(switched, unlimited_capacity, spread_week, metrics, fast)
    if how:
        summary["switches"] = how
    # Reported, but 0 by construction in this scenario: said, so not read as idle.
    summary["not_measured"] = {
        k: why for k, why in not_measured(scenario).items() if k in summary["metrics"]
    }
    all_columns = tuple(sorted(columns))
    values = None
    if keep:
        values = np.array(
            [row for chunk in kept for row in chunk.aligned(all_columns)], dtype=float
        ).reshape(n, len(all_columns))
    if store is not None:
        store.finish(summary_json(summary), all_columns, range(chunks))
    return BatchResult(
        scenario=scenario.id,
        seed=seed,
        n=n,
        summary=summary,
        columns=all_columns if keep else (),
        values=values,
        out=Path(out) if out is not None else None,
        engine=engine,
        reason=reason,
        known=known,
        spread_week=spread_week,
        start=scenario.start.isoformat(),
        horizon=float(scenario.horizon),
    )


def _switches(
    switched: Sequence[str],
    unlimited_capacity: bool,
    spread_week: bool,
    metrics: Sequence[str] | None,
    fast: bool | None,
) -> dict[str, Any]:
    """Every option that changed what a batch ran, by its keyword: what
    the report says of how the batch was run."""
    how: dict[str, Any] = dict.fromkeys(switched, True)
    if unlimited_capacity:
        how["unlimited_capacity"] = True
    if spread_week:
        how["spread_week"] = True
    if metrics is not None:
        how["metrics"] = list(metrics)
    if fast is not None:
        how["fast"] = fast
    return how


def _known(scenario: Scenario, metrics: Sequence[str] | None, forced: bool) -> frozenset[str]:
    """The metrics a batch of the engine (or the forced fast path) can report."""
    from cmdsim.analysis import fastpath
    from cmdsim.analysis.metrics import known_metrics, onset_bands

    bands = onset_bands(scenario)
    if metrics is not None:
        return frozenset({*metrics, *bands})
    if forced:
        return frozenset({*fastpath.fast_metrics(scenario), *bands})
    return known_metrics(scenario)


FORCED = "forced: vectorised draws, the engine's distributions without contention"
PERMITTED = "permitted: on the engine's own random streams, so the engine's numbers"


def _choose(
    scenario: Scenario, fast: bool | None, metrics: Sequence[str] | None, unlimited: bool
) -> tuple[RunFn, str, str | None]:
    """The run function, ``"fast"`` or ``"des"``, and why not fast if not."""
    from cmdsim.analysis import fastpath

    wanted = tuple(metrics) if metrics is not None else None
    if wanted is not None:
        from cmdsim.analysis.metrics import check_metrics

        check_metrics(scenario, wanted)
    if fast:
        if not scenario.incidents:
            raise CmdsimError(f"{scenario.id}: the fast path needs an incident")
        if wanted is not None:
            known = set(fastpath.fast_metrics(scenario))
            for metric in wanted:
                if metric not in known:
                    raise CmdsimError(
                        f"the fast path does not compute {metric}; it computes "
                        + ", ".join(sorted(known))
                    )
        return fastpath.FastRun(wanted, unlimited), "fast", FORCED
    reason = "the engine was asked for" if fast is False else None
    if reason is None:
        reason = fastpath.permits(scenario, wanted, unlimited=unlimited)
    if reason is None:
        assert wanted is not None
        return fastpath.ExactRun(wanted, unlimited), "fast", PERMITTED
    if wanted is None and not unlimited:
        return _engine_run(), "des", reason
    return fastpath.EngineRun(wanted, unlimited), "des", reason
