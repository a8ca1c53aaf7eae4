"""A batch's output directory, every file written atomically.

Layout::

    DIR/manifest.json          what the batch is (scenario digest, seed, n, chunk size)
    DIR/parts/chunk-NNNNNN.json  one per finished chunk
    DIR/summary.json           statistics (docs/experiments.md has the schema)
    DIR/replications.csv       one row per replication (UTF-8 with a BOM, for Excel)
    DIR/replications.parquet   the same, when pyarrow is importable

Each file is written to a temporary name in the same directory, flushed,
``fsync``-ed and moved into place with ``os.replace`` (:mod:`cmdsim.atomic`),
so after a crash (even ``kill -9``) a file is either complete or absent.  This is the batch's
output writer; it is kept next to the batch rather than in ``cmdsim.io``
because it writes results, not model files.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from cmdsim.analysis.chunks import Chunk
from cmdsim.atomic import CSV_ENCODING, atomic_writer
from cmdsim.atomic import write_text as write_text  # re-exported for the sweep writer
from cmdsim.errors import CmdsimError
from cmdsim.model.switches import FLAGS as SWITCH_FLAGS
from cmdsim.model.switches import NAMES as SWITCH_NAMES

MANIFEST = "manifest.json"

SCENARIO_RELATIVE = "scenario_relative"
"""The manifest's path of the scenario file from the batch directory: where
a report finds the scenario.  Not part of what a batch is, so a resumed
batch may have been started with the file elsewhere (or before it was kept)."""
SUMMARY = "summary.json"
CSV = "replications.csv"
PARQUET = "replications.parquet"
PARTS = "parts"


def parquet_available() -> bool:
    return importlib.util.find_spec("pyarrow") is not None


FLAGS: Mapping[str, str] = {**SWITCH_FLAGS, "spread_week": "--spread-week"}
"""Manifest keys a user sets with a CLI flag that takes no value, -> that flag."""


def _difference(key: str, before: Any, now: Any) -> str:
    """One difference between a directory's manifest and this batch's, as the
    user set it: a flag on or off by the flag they typed (``--no-town-plans``),
    any other key by its value."""
    flag = FLAGS.get(key)
    if flag is not None:
        return (
            f"{flag} {'on' if before is True else 'off'} in the directory, "
            f"{'on' if now is True else 'off'} now"
        )
    return f"{key}: {before!r} in the directory, {now!r} now"


class BatchStore:
    """Part files, manifest and final outputs of one batch directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.parts = root / PARTS

    def part_path(self, index: int) -> Path:
        return self.parts / f"chunk-{index:06d}.json"

    def open(self, manifest: Mapping[str, Any], resume: bool) -> set[int]:
        """Prepare the directory; return the chunks already complete."""
        if self.root.exists() and not self.root.is_dir():
            raise CmdsimError(f"{self.root} exists and is not a directory")
        self.parts.mkdir(parents=True, exist_ok=True)
        for stale in self.parts.glob(".*.tmp-*"):
            stale.unlink()
        path = self.root / MANIFEST
        done: set[int] = set()
        if resume and path.exists():
            try:
                old = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CmdsimError(f"{path}: cannot read the manifest: {exc}") from None
            # A manifest from before switches were recorded lacks them; the
            # same digest says the same scenario ran, so it gains them now.
            same = old.get("scenario_digest") == manifest.get("scenario_digest")
            unrecorded = [k for k in SWITCH_NAMES if k in manifest and k not in old and same]
            differing = sorted(
                k
                for k in set(old) | set(manifest)
                if old.get(k) != manifest.get(k) and k != SCENARIO_RELATIVE and k not in unrecorded
            )
            if differing:
                details = ", ".join(_difference(k, old.get(k), manifest.get(k)) for k in differing)
                raise CmdsimError(
                    f"{self.root} holds a different batch ({details}); "
                    "use another --out directory or run without --resume"
                )
            if unrecorded:
                kept = {**old, **{k: manifest[k] for k in unrecorded}}
                write_text(path, json.dumps(kept, sort_keys=True, indent=2) + "\n")
            for index in range(int(manifest["chunks"])):
                if self._complete(index):
                    done.add(index)
        else:
            for part in self.parts.glob("chunk-*.json"):
                part.unlink()
            for name in (SUMMARY, CSV, PARQUET):
                with contextlib.suppress(FileNotFoundError):
                    (self.root / name).unlink()
            write_text(path, json.dumps(manifest, sort_keys=True, indent=2) + "\n")
        return done

    def _complete(self, index: int) -> bool:
        try:
            chunk = self.read_part(index)
        except (OSError, ValueError, KeyError, TypeError):
            return False
        return chunk.index == index

    def read_part(self, index: int) -> Chunk:
        data = json.loads(self.part_path(index).read_text(encoding="utf-8"))
        return Chunk.from_data(data)

    def write_part(self, chunk: Chunk) -> None:
        write_text(self.part_path(chunk.index), json.dumps(chunk.to_data()) + "\n")

    def _records(self, indices: Sequence[int]) -> Iterator[tuple[int, Chunk]]:
        for index in indices:
            yield index, self.read_part(index)

    def finish(self, summary: str, columns: Sequence[str], indices: Sequence[int]) -> None:
        """Write the per-replication tables from the parts, then the summary."""
        with atomic_writer(self.root / CSV, encoding=CSV_ENCODING) as handle:
            handle.write(",".join(["replication", *columns]) + "\n")
            for _, chunk in self._records(indices):
                for offset, row in enumerate(chunk.aligned(columns)):
                    # An empty cell for NaN (the only float not equal to itself).
                    cells = ["" if x != x else repr(x) for x in row]
                    handle.write(",".join([str(chunk.start + offset), *cells]) + "\n")
        if parquet_available():
            self._write_parquet(columns, indices)
        write_text(self.root / SUMMARY, summary)

    def _write_parquet(self, columns: Sequence[str], indices: Sequence[int]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema(
            [pa.field("replication", pa.int64())] + [pa.field(c, pa.float64()) for c in columns]
        )
        with atomic_writer(self.root / PARQUET, "wb") as handle:
            writer = pq.ParquetWriter(handle, schema, compression="zstd")
            for _, chunk in self._records(indices):
                records = list(chunk.records())
                arrays = [pa.array(range(chunk.start, chunk.stop), pa.int64())]
                arrays += [
                    pa.array([r.get(c, math.nan) for r in records], pa.float64()) for c in columns
                ]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            writer.close()
