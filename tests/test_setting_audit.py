"""tools/setting_audit.py judges a setting raised, then lowered.

A capacity or limit that already covers every drill moves nothing when it
is raised, so the audit read it ``NONE`` — as if it had no effect at all.
It is now tried lowered too.  These tests judge patterns against a fake
run (a drill that queues when the capacity is below 3), not the drills.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "setting_audit", ROOT / "tools" / "setting_audit.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BASE = {"gas": "free"}


def _queueing(data: Any) -> dict[str, str] | str:
    """A drill whose pumps queue when fewer than 3, and that refuses a negative count."""
    capacity = data["units"][0]["capacity"]
    if capacity < 0:
        return "units[0].capacity: must be 0 or more"
    return {"gas": "queue" if capacity < 3 else "free"}


def test_a_capacity_that_covers_every_drill_reads_its_effect_lowered(audit: ModuleType) -> None:
    data = {"units": [{"capacity": 4}]}
    verdict, result = audit.judge(data, ("units", "*", "capacity"), BASE, _queueing)
    # Raised to 9: still free, which read NONE before; cut to 0: it queues.
    assert verdict == "effect (lowered)"
    assert audit.line(verdict, "units.yaml units.*.capacity", BASE, result) == (
        "effect (lowered) units.yaml units.*.capacity -> gas"
    )


def test_a_raise_that_moves_is_not_lowered(audit: ModuleType) -> None:
    def binding(data: Any) -> dict[str, str] | str:
        return {"gas": "free" if data["units"][0]["capacity"] <= 4 else "idle"}

    verdict, _ = audit.judge(
        {"units": [{"capacity": 4}]}, ("units", "*", "capacity"), BASE, binding
    )
    assert verdict == "effect"


def test_a_setting_that_moves_nothing_either_way_is_none(audit: ModuleType) -> None:
    verdict, result = audit.judge(
        {"units": [{"capacity": 40}]}, ("units", "*", "capacity"), BASE, _queueing
    )
    assert verdict == "NONE"
    assert (
        audit.line(verdict, "u.yaml units.*.capacity", BASE, result)
        == "NONE    u.yaml units.*.capacity"
    )


def test_a_zero_and_a_flag_have_no_lowered_variant(audit: ModuleType) -> None:
    assert audit.lowered(0) == 0 and audit.lowered(0.0) == 0.0 and audit.lowered(True) is True
    assert audit.lowered(60) == 12 and audit.lowered(2.5) == pytest.approx(0.5)
    moment = dt.datetime(2024, 7, 3, 10, 0)
    assert audit.lowered(moment) == moment - dt.timedelta(minutes=37)
    assert not audit.lowers({"units": [{"capacity": 0}]}, ("units", "*", "capacity"))
    # A zero stays NONE without a second run of the drills.
    calls: list[object] = []

    def counting(data: Any) -> dict[str, str] | str:
        calls.append(data)
        return BASE

    audit.judge({"units": [{"capacity": 0}]}, ("units", "*", "capacity"), BASE, counting)
    assert len(calls) == 1
