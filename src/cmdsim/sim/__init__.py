"""The activation engine: a scenario as SimPy processes, one run at a time.

>>> from cmdsim.sim import simulate  # doctest: +SKIP
>>> result = simulate(scenario, seed=1)  # doctest: +SKIP
>>> print(format_timeline(result))  # doctest: +SKIP
"""

from cmdsim.sim.callout import activation_delay, draw_callout, fill_times
from cmdsim.sim.context import DecisionPoint, SimOptions
from cmdsim.sim.engine import simulate
from cmdsim.sim.results import (
    CoverageRecord,
    DeadlineRecord,
    Event,
    HQRecord,
    IncidentRecord,
    ReportItemRecord,
    ReportRecord,
    RunRecord,
    RunResult,
    StageTotals,
    TakeoverRecord,
)
from cmdsim.sim.streams import Streams, root_sequence, stream
from cmdsim.sim.timeline import format_timeline

__all__ = [
    "CoverageRecord",
    "DeadlineRecord",
    "DecisionPoint",
    "Event",
    "HQRecord",
    "IncidentRecord",
    "ReportItemRecord",
    "ReportRecord",
    "RunRecord",
    "RunResult",
    "SimOptions",
    "StageTotals",
    "Streams",
    "TakeoverRecord",
    "activation_delay",
    "draw_callout",
    "fill_times",
    "format_timeline",
    "root_sequence",
    "simulate",
    "stream",
]
