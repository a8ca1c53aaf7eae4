"""A small hand-written run: the report is tested on known numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

EVENTS: list[dict[str, Any]] = [
    {
        "time": 0.0,
        "actor": "weather",
        "kind": "signal",
        "incident": "flood",
        "details": {"signal": "blue"},
    },
    {"time": 5.0, "actor": "flood", "kind": "onset", "incident": "flood", "details": {}},
    {
        "time": 12.5,
        "actor": "district_duty_room",
        "kind": "aware",
        "incident": "flood",
        "details": {},
    },
    {
        "time": 20.0,
        "actor": "district_duty_room",
        "kind": "level_decided",
        "incident": "flood",
        "details": {"level": "IV"},
    },
    {
        "time": 22.0,
        "actor": "flood_hq",
        "kind": "hq_notified",
        "incident": "flood",
        "details": {"level": "IV"},
    },
    {
        "time": 40.0,
        "actor": "district_duty_room",
        "kind": "report_sent",
        "incident": "flood",
        "details": {
            "deadline": "phone_report",
            "name": "first report by phone",
            "due": 42.5,
            "met": True,
        },
    },
    {
        "time": 61.0,
        "actor": "flood_hq",
        "kind": "hq_activated",
        "incident": "flood",
        "details": {"level": "IV"},
    },
    {
        "time": 80.0,
        "actor": "district_duty_room",
        "kind": "level_escalated",
        "incident": "flood",
        "details": {"level": "III"},
    },
    {
        "time": 90.0,
        "actor": "district_duty_room",
        "kind": "report_sent",
        "incident": "flood",
        "details": {
            "deadline": "written_report",
            "name": "written report",
            "due": 72.5,
            "met": False,
        },
    },
    {"time": 95.0, "actor": "gas_hq", "kind": "hq_notified", "incident": "flood", "details": {}},
    {
        "time": 150.0,
        "actor": "gas_hq",
        "kind": "hq_activated",
        "incident": "flood",
        "details": {"level": "III"},
    },
]


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    out = tmp_path / "run"
    out.mkdir()
    lines = [json.dumps(e, sort_keys=True) for e in EVENTS]
    (out / "events.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / "metrics.json").write_text(
        json.dumps({"scenario": "hand_flood", "seed": 7}), encoding="utf-8"
    )
    return out


def stats(values: list[float]) -> dict[str, Any]:
    xs = sorted(values)
    return {
        "count": len(xs),
        "missing": 0,
        "mean": sum(xs) / len(xs),
        "min": xs[0],
        "max": xs[-1],
        "p50": xs[len(xs) // 2],
        "p90": xs[-1],
        "p95": xs[-1],
    }


ACTIVATED = [61.0, 55.0, 70.0, 48.5, 90.0]
AWARE = [7.0, 9.5, 6.0, 12.0, 8.0]


@pytest.fixture
def batch_dir(tmp_path: Path) -> Path:
    """What ``cmdsim.analysis.replicate(out=...)`` writes (summary and table)."""
    out = tmp_path / "batch"
    out.mkdir()
    summary = {
        "schema": "cmdsim.batch.summary/1",
        "scenario": "hand_flood",
        "seed": 3,
        "n": 5,
        "replications": 5,
        "metrics": {
            "incident.flood.hq.flood_hq.activated": stats(ACTIVATED),
            "incident.flood.aware": stats(AWARE),
            "incident.flood.deadline.phone_report.met": stats([1, 1, 0, 1, 1]),
        },
        "deadlines": {
            "incident.flood.deadline.phone_report.met": {
                "count": 5,
                "missing": 0,
                "met": 4,
                "p": 0.8,
                "ci95": [0.3, 0.9],
            },
            "incident.flood.deadline.written_report.met": {
                "count": 4,
                "missing": 1,
                "met": 4,
                "p": 1.0,
                "ci95": [0.5, 1.0],
            },
        },
    }
    (out / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    rows = ["incident.flood.aware,incident.flood.hq.flood_hq.activated,onset_band"]
    rows += [f"{a},{b},0" for a, b in zip(AWARE, ACTIVATED, strict=True)]
    (out / "replications.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return out
