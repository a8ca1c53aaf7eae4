"""Flattening a run's metrics into per-replication numbers."""

from __future__ import annotations

import math
from typing import Any

from analysis_fakes import small_scenario

from cmdsim.analysis.metrics import flatten, lead_activation_metric, onset_bands


class Record:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def to_data(self) -> dict[str, Any]:
        return self.data


class Result:
    def __init__(self, metrics: dict[str, Any]) -> None:
        self.metrics = metrics


def test_flatten_nested_metrics() -> None:
    hq = Record({"notified": 3.5, "activated": None, "level": "II", "staff": 4})
    metrics = {
        "incident": {
            "leak": {
                "aware": 7.25,
                "plan": "gas_plan",
                "level_ok": True,
                "required_level": "III",
                "hq": {"gas_hq": hq},
                "deadline": {"phone_report": {"met": False, "slack": -2.0}},
            }
        },
        "takeover": None,
    }
    flat = flatten(Result(metrics))
    assert flat["incident.leak.aware"] == 7.25
    assert flat["incident.leak.level_ok"] == 1.0
    assert flat["incident.leak.required_level"] == 2.0
    assert flat["incident.leak.hq.gas_hq.level"] == 3.0
    assert flat["incident.leak.hq.gas_hq.notified"] == 3.5
    assert math.isnan(flat["incident.leak.hq.gas_hq.activated"])
    assert flat["incident.leak.deadline.phone_report.met"] == 0.0
    assert flat["incident.leak.deadline.phone_report.slack"] == -2.0
    assert math.isnan(flat["takeover"])
    assert "incident.leak.plan" not in flat


def test_onset_bands_and_the_lead_metric() -> None:
    scenario = small_scenario(hour=3)
    assert onset_bands(scenario) == {"incident.leak.onset_band": 1.0, "onset_band": 1.0}
    assert lead_activation_metric(scenario) == "incident.leak.hq.gas_hq.activated"
