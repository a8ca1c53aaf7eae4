"""A run written as ``cmdsim run --out`` lays it out, for the report to read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cmdsim.sim import RunResult


def run_dir(tmp_path: Path, result: RunResult, scenario: str, seed: int | None = 0) -> Path:
    """``tmp_path/run`` with the run's ``events.jsonl`` and a ``metrics.json``
    naming ``scenario`` (and ``seed``, unless ``None``)."""
    out = tmp_path / "run"
    out.mkdir()
    (out / "events.jsonl").write_text(result.events_jsonl(), encoding="utf-8")
    metrics: dict[str, Any] = {"scenario": scenario}
    if seed is not None:
        metrics["seed"] = seed
    (out / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    return out
