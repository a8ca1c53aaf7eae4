"""Experiments at scale: replications, streaming statistics, what-if sweeps,
sensitivity, the vectorised fast path, and where the runs execute.

``analysis`` knows ``cmdsim.sim.simulate(scenario, seed) -> RunResult`` and an
executor, nothing of how a run works inside.
"""

from __future__ import annotations

from cmdsim.analysis.batch import BatchResult, RunFn, replicate, run_replication
from cmdsim.analysis.built import check_scenario
from cmdsim.analysis.executors import (
    DaskExecutor,
    Executor,
    ProcessExecutor,
    SerialExecutor,
    make_executor,
)
from cmdsim.analysis.metrics import engine_run, flatten
from cmdsim.analysis.paths import set_path
from cmdsim.analysis.seeds import replication_seed
from cmdsim.analysis.sensitivity import sensitivity
from cmdsim.analysis.stats import RELATIVE_ACCURACY, Accumulator, Collector, Proportion
from cmdsim.analysis.sweep import Variation, sweep

__all__ = [
    "RELATIVE_ACCURACY",
    "Accumulator",
    "BatchResult",
    "Collector",
    "DaskExecutor",
    "Executor",
    "ProcessExecutor",
    "Proportion",
    "RunFn",
    "SerialExecutor",
    "Variation",
    "check_scenario",
    "engine_run",
    "flatten",
    "make_executor",
    "replicate",
    "replication_seed",
    "run_replication",
    "sensitivity",
    "set_path",
    "sweep",
]
