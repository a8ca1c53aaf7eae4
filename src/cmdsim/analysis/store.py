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
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from cmdsim.analysis.chunks import Chunk
from cmdsim.atomic import CSV_ENCODING, atomic_writer, fsync_dir
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


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C in a batch that writes a directory; ``work`` is where its
    finished chunks are (the directory, or its staging sibling while the
    directory keeps an earlier output)."""

    def __init__(self, work: Path) -> None:
        super().__init__()
        self.work = work


class BatchStore:
    """Part files, manifest and final outputs of one batch directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.staging = staging_dir(root)
        self.aside = _sibling(root, "old")
        # Where this run writes: ``root`` itself, or ``staging`` while
        # ``root`` holds an earlier output that is kept until this one is whole.
        self.work = root
        self.parts = root / PARTS

    def part_path(self, index: int) -> Path:
        return self.parts / f"chunk-{index:06d}.json"

    def _use(self, work: Path) -> None:
        self.work = work
        self.parts = work / PARTS

    def open(self, manifest: Mapping[str, Any], resume: bool) -> set[int]:
        """Prepare the directory; return the chunks already complete.

        A directory that holds anything is not emptied: the new batch is
        built in :attr:`staging` and swapped in by :meth:`finish`, so a run
        stopped part-way (Ctrl-C, a crash, bad input found late) leaves the
        earlier output as it was.  ``resume`` goes on in ``root`` when its
        manifest is this batch's, else in ``staging`` when that one's is.
        """
        if self.root.exists() and not self.root.is_dir():
            raise CmdsimError(f"{self.root} exists and is not a directory")
        self._recover()
        if resume and _same_batch(self.root / MANIFEST, manifest):
            pass
        elif resume and _same_batch(self.staging / MANIFEST, manifest):
            self._use(self.staging)
        elif resume and (self.root / MANIFEST).exists():
            pass  # a different batch: said below
        else:
            self._clear_staging()
            if self.root.is_dir() and any(self.root.iterdir()):
                self._refuse_under_cwd()
                self._use(self.staging)
        self.parts.mkdir(parents=True, exist_ok=True)
        for stale in self.parts.glob(".*.tmp-*"):
            stale.unlink()
        path = self.work / MANIFEST
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
                    f"{self.work} holds a different batch ({details}); "
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
                    (self.work / name).unlink()
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
        with atomic_writer(self.work / CSV, encoding=CSV_ENCODING) as handle:
            handle.write(",".join(["replication", *columns]) + "\n")
            for _, chunk in self._records(indices):
                for offset, row in enumerate(chunk.aligned(columns)):
                    # An empty cell for NaN (the only float not equal to itself).
                    cells = ["" if x != x else repr(x) for x in row]
                    handle.write(",".join([str(chunk.start + offset), *cells]) + "\n")
        if parquet_available():
            self._write_parquet(columns, indices)
        write_text(self.work / SUMMARY, summary)
        if self.work != self.root:
            self._swap()

    def _write_parquet(self, columns: Sequence[str], indices: Sequence[int]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = pa.schema(
            [pa.field("replication", pa.int64())] + [pa.field(c, pa.float64()) for c in columns]
        )
        with atomic_writer(self.work / PARQUET, "wb") as handle:
            writer = pq.ParquetWriter(handle, schema, compression="zstd")
            for _, chunk in self._records(indices):
                records = list(chunk.records())
                arrays = [pa.array(range(chunk.start, chunk.stop), pa.int64())]
                arrays += [
                    pa.array([r.get(c, math.nan) for r in records], pa.float64()) for c in columns
                ]
                writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            writer.close()

    def _refuse_under_cwd(self) -> None:
        """The swap renames the directory: not one the current directory is in,
        which would be pulled from under the shell (``--out .``)."""
        here = Path.cwd().resolve()
        root = self.root.resolve()
        if here == root or root in here.parents:
            raise CmdsimError(
                f"{self.root} holds the current directory and files already: a batch "
                "is built beside its --out and swapped in, which would move the "
                "directory you are in; give --out a directory of its own "
                f"(e.g. {self.root / 'batch'}) or run from another directory"
            )

    def _swap(self) -> None:
        """Put the complete batch in :attr:`staging` in ``root``'s place.

        Three steps, each a rename, so a crash leaves whole outputs only:

        1. ``root`` -> :attr:`aside`.  A crash now leaves ``root`` missing,
           the earlier output in ``aside`` and the new one in ``staging``;
           the next :meth:`open` renames ``aside`` back (and ``--resume``
           finds the new batch complete in ``staging``).
        2. ``staging`` -> ``root``.  A crash now leaves the new batch in
           ``root`` and the earlier output in ``aside``; the next
           :meth:`open` finishes step 3.
        3. What in ``aside`` is not a batch's file (a report a user saved in
           the directory, say) moves into ``root``; ``aside`` is removed.
        """
        if self.root.exists():
            self.root.rename(self.aside)
        self.staging.rename(self.root)
        self._use(self.root)
        self._settle_aside()
        fsync_dir(self.root.parent)

    def _settle_aside(self) -> None:
        for entry in sorted(self.aside.iterdir()):
            if not _ours(entry.name) and not (self.root / entry.name).exists():
                entry.rename(self.root / entry.name)
        shutil.rmtree(self.aside)

    def _recover(self) -> None:
        """Finish a swap a crash stopped (see :meth:`_swap`)."""
        if not self.aside.is_dir():
            return
        if not self.root.exists():
            self.aside.rename(self.root)
        else:
            self._settle_aside()

    def _clear_staging(self) -> None:
        if self.staging.is_dir():
            shutil.rmtree(self.staging)


def staging_dir(root: Path) -> Path:
    """Where a batch into the non-empty directory ``root`` is built until it
    is complete: a hidden sibling, so the swap is a rename on one file system."""
    return _sibling(root, "partial")


def _sibling(root: Path, what: str) -> Path:
    # abspath: ``.`` and ``..`` have no name of their own to build on.
    base = Path(os.path.abspath(root))
    if not base.name:
        raise CmdsimError(f"{root}: the file system's root cannot be a batch's --out")
    return base.with_name(f".{base.name}.{what}")


_OURS = frozenset({MANIFEST, PARTS, SUMMARY, CSV, PARQUET})


def _ours(name: str) -> bool:
    """A name a batch writes (or a temporary file of one) in its directory."""
    return name in _OURS or (name.startswith(".") and ".tmp-" in name)


def _same_batch(path: Path, manifest: Mapping[str, Any]) -> bool:
    """Whether the manifest at ``path`` is this batch's (what ``--resume``
    compares, leaving out where the scenario file sat)."""
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(old, dict):
        return False
    # As in :meth:`BatchStore.open`: a switch an older manifest did not record is no difference.
    keys = {k for k in set(old) | set(manifest) if k in old or k not in SWITCH_NAMES}
    return all(old.get(k) == manifest.get(k) for k in keys - {SCENARIO_RELATIVE})
