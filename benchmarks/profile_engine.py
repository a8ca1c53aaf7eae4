"""Where one engine run spends its time: a sampling profile by category.

``cProfile`` charges every Python call the same overhead, which inflates the
engine's many small domain calls against SimPy's; this samples the stack
every 0.2 ms of CPU time instead (``SIGPROF``, Unix only; the kernel may
round that up to its tick) and charges each sample to one category: SimPy's
own event handling (the innermost frame is in ``simpy``), the event log,
stream creation, the random draws, the metrics at the end, or the domain
module whose code was running.

Run::

    .venv/bin/python benchmarks/profile_engine.py [runs] [--no-log]
"""

from __future__ import annotations

import signal
import sys
from collections import Counter
from pathlib import Path
from types import FrameType
from typing import Any

from cmdsim.io import load_scenario
from cmdsim.sim import simulate
from cmdsim.sim.context import SimOptions

FLOOD = Path(__file__).resolve().parent.parent / "scenarios" / "flood-typhoon.yaml"
INTERVAL = 0.0002
"""Seconds of CPU time between samples."""

_LOG = {"emit", "record", "count", "_freeze_details", "_frozen", "sort_events", "<lambda>"}
_METRICS = {
    "_metrics",
    "_record",
    "_merged_record",
    "report_records",
    "stage_totals",
    "signal_lags",
    "_held_at",
    "simulate",
}
_DRAWS = {("timing.py", "sample"), ("timing.py", "sample_many"), ("activation.py", "draw_callout")}


def category(frame: FrameType | None) -> str:
    """The category of the code running in ``frame`` (innermost first)."""
    if frame is None:
        return "other"
    if "simpy" in frame.f_code.co_filename:
        return "simpy (event handling)"
    f: FrameType | None = frame
    while f is not None:
        path, name = f.f_code.co_filename, f.f_code.co_name
        if "/cmdsim/" in path or "attrs generated methods cmdsim" in path:
            module = path.rsplit("/", 1)[-1]
            if "cmdsim.sim.results.Event" in path or (
                module in ("results.py", "context.py", "probes.py") and name in _LOG
            ):
                return "event log"
            if module == "streams.py":
                return "stream creation"
            if (module, name) in _DRAWS:
                return "random draws"
            if module == "results.py" or "cmdsim.sim.results" in path or name in _METRICS:
                return "metrics"
            return f"domain: {module}"
        f = f.f_back
    return "other"


def breakdown(runs: int = 200, *, log: bool = True) -> Counter[str]:
    """Samples per category over ``runs`` runs of flood-typhoon (seed 1)."""
    scenario = load_scenario(FLOOD)
    options = SimOptions(log=log)
    simulate(scenario, 1, options=options)  # compiled and imported outside the samples
    samples: Counter[str] = Counter()

    def sample(signum: int, frame: FrameType | None) -> None:
        samples[category(frame)] += 1

    previous: Any = signal.signal(signal.SIGPROF, sample)
    signal.setitimer(signal.ITIMER_PROF, INTERVAL, INTERVAL)
    try:
        for _ in range(runs):
            simulate(scenario, 1, options=options)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, previous)
    return samples


def main(argv: list[str]) -> None:
    runs = next((int(a) for a in argv if a.isdigit()), 2000)
    samples = breakdown(runs, log="--no-log" not in argv)
    total = sum(samples.values())
    for name, count in samples.most_common():
        print(f"{count / total:6.1%}  {name}")
    print(f"{total} samples over {runs} runs")


if __name__ == "__main__":
    main(sys.argv[1:])
