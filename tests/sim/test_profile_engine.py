"""The engine's sampling profile (benchmarks/profile_engine.py) still runs and sorts its samples."""

from __future__ import annotations

import importlib.util
import signal
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "profile_engine.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("profile_engine", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="SIGPROF sampling is Unix only")
def test_breakdown_charges_samples_to_simpy_and_the_engine() -> None:
    profile = _load()
    before = signal.getsignal(signal.SIGPROF)
    samples = profile.breakdown(60)
    assert sum(samples.values()) > 0
    known = {
        "simpy (event handling)",
        "metrics",
        "event log",
        "stream creation",
        "random draws",
        "other",
    }
    assert all(name in known or name.startswith("domain: ") for name in samples)
    # The sampler is removed afterwards: the handler before it is back.
    assert signal.getsignal(signal.SIGPROF) == before


def test_category_of_no_frame_is_other() -> None:
    assert _load().category(None) == "other"
