"""A batch's unit of work: replications ``start``..``stop`` (:class:`ChunkTask`)
and what they produced (:class:`Chunk`), shared by the batch runner, the
store of part files and the fast path, none of which needs the others."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

from cmdsim.analysis.colstats import SketchCounts
from cmdsim.model.scenario import Scenario

RunFn = Callable[[Scenario, np.random.SeedSequence], Mapping[str, float]]
"""One replication: a scenario and its SeedSequence -> metrics by name."""


def shift_scenario(scenario: Scenario, minutes: float) -> Scenario:
    """The whole scenario moved later in calendar time by ``minutes``."""
    if minutes == 0:
        return scenario
    delta = dt.timedelta(minutes=minutes)
    changes: dict[str, Any] = {
        "start": scenario.start + delta,
        "incidents": tuple(attrs.evolve(i, onset=i.onset + delta) for i in scenario.incidents),
    }
    return attrs.evolve(scenario, **changes)


@attrs.frozen
class ChunkTask:
    """Replications ``start`` (inclusive) to ``stop`` (exclusive) of a batch."""

    index: int
    start: int
    stop: int
    scenario: Scenario = attrs.field(repr=False)
    seed: int
    run: RunFn | None = attrs.field(repr=False)
    spread_week: bool = False


@attrs.frozen
class Chunk:
    """What a chunk produced: one row of floats per replication."""

    index: int
    start: int
    stop: int
    columns: tuple[str, ...]
    rows: tuple[tuple[float, ...], ...]
    sketches: SketchCounts | None = attrs.field(default=None, eq=False, repr=False)

    def with_sketches(self) -> Chunk:
        """This chunk with its percentile sketches made (where it runs)."""
        return attrs.evolve(self, sketches=SketchCounts.of_rows(self.columns, self.rows))

    @classmethod
    def of_records(cls, task: ChunkTask, records: Sequence[Mapping[str, float]]) -> Chunk:
        """The chunk of ``task`` from one record per replication; a metric a
        replication lacks is NaN there."""
        columns = tuple(sorted(set().union(*records)))
        missing = itertools.repeat(math.nan)
        rows = tuple(tuple(map(r.get, columns, missing)) for r in records)
        return cls(task.index, task.start, task.stop, columns, rows)

    def aligned(self, columns: Sequence[str]) -> Iterator[tuple[float, ...]]:
        """Each row's values of ``columns`` (NaN where this chunk has no such column)."""
        if tuple(columns) == self.columns:
            yield from self.rows
            return
        where = {c: i for i, c in enumerate(self.columns)}
        picks = [where.get(c, -1) for c in columns]
        for row in self.rows:
            yield tuple(row[i] if i >= 0 else math.nan for i in picks)

    def records(self) -> Iterator[dict[str, float]]:
        for row in self.rows:
            yield dict(zip(self.columns, row, strict=True))

    def to_data(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "start": self.start,
            "stop": self.stop,
            "columns": list(self.columns),
            "rows": [list(r) for r in self.rows],
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Chunk:
        columns = tuple(str(c) for c in data["columns"])
        rows = tuple(tuple(map(float, r)) for r in data["rows"])
        if any(len(r) != len(columns) for r in rows):
            raise ValueError("row length differs from the columns")
        return cls(int(data["index"]), int(data["start"]), int(data["stop"]), columns, rows)
