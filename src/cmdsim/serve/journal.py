"""The journal of a served exercise: its log as it is written, one record
an action, on disk before the action is acknowledged."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cmdsim.exercise.log import dumps


class Journal:
    """The exercise log as it is written: one JSON line per action, appended,
    flushed and synced, so a killed server loses nothing it acknowledged."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def start(self, records: Iterable[Mapping[str, Any]]) -> None:
        """Write the log's first records, replacing any file there."""
        from cmdsim.atomic import write_text

        write_text(self.path, "".join(dumps(r) for r in records))

    def append(self, record: Mapping[str, Any]) -> None:
        """Add one record at the end, on disk before returning."""
        with self.path.open("a", encoding="utf-8") as out:
            out.write(dumps(record))
            out.flush()
            os.fsync(out.fileno())

    def rewrite(self, text: str) -> None:
        """Replace the file by the whole log, written whole or not at all."""
        from cmdsim.atomic import write_text

        write_text(self.path, text)
