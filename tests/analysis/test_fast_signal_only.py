"""The fast path replays a signal-only timeline point as the engine reports it:
by the warning channel alone (sim/topology.py ``carries``), row for row the
engine's numbers.

``fast_tiny.yaml``'s rain, made to turn yellow 20 minutes after onset with no
new figure: its flood plan reads the signal (``signal >= yellow`` is III) and
has no warning link, so only a report can tell the room, and only the
warning channel reports it now.  Without a warning channel nobody does: the
room learns of the yellow with the next figures (+45), in both paths.
"""

from __future__ import annotations

import math
from pathlib import Path

import attrs
import numpy as np

from cmdsim.analysis.batch import shift_scenario
from cmdsim.analysis.fastgraph import compute, engine_draws, metric_columns
from cmdsim.analysis.fastpath import EngineRun, ExactRun, covered_pairs, fast_metrics, permits
from cmdsim.analysis.fastpath import graph as fast_graph
from cmdsim.analysis.metrics import flatten
from cmdsim.io import load_scenario
from cmdsim.model import Scenario
from cmdsim.model.levels import Level, Signal
from cmdsim.model.scenario import SeverityPoint
from cmdsim.sim import SimOptions, simulate
from cmdsim.sim.compiled import compiled

TINY = Path(__file__).parent / "data" / "fast_tiny.yaml"
YELLOW_AT = 20.0


def _turning_yellow(*, warned: bool = True) -> Scenario:
    """The rain turns yellow at +20; ``warned``: the warning channel stays."""
    scenario = load_scenario(TINY)
    rain = scenario.incidents[1]
    assert rain.id == "rain"
    timeline = (
        SeverityPoint(at=0, households=100),  # no level: no signal, under 500
        SeverityPoint(at=YELLOW_AT, signal=Signal.YELLOW),  # III by the signal
        SeverityPoint(at=45, households=800),  # III by the households
    )
    incidents = (scenario.incidents[0], attrs.evolve(rain, timeline=timeline))
    scenario = attrs.evolve(scenario, incidents=incidents)
    if warned:
        return scenario
    district = scenario.district
    channels = tuple(c for c in district.channels if c.id != "warnings")
    return attrs.evolve(scenario, district=attrs.evolve(district, channels=channels))


def test_the_fast_paths_sources_leave_a_signal_only_point_to_the_warning_channel() -> None:
    scenario = _turning_yellow()
    comp = compiled(scenario)
    rain = next(i for i in comp.incidents if i.id == "rain")
    at_yellow = [
        s.channel.id
        for s in comp.topology.sources
        if s.channel is not None and s.at == rain.onset + YELLOW_AT
    ]
    assert at_yellow == ["warnings"]
    # The points with figures are reported on the ground as before: the
    # officers (and their relay) and the hotline at onset and at +45.
    at_45 = {s.kind for s in comp.topology.sources if s.at == rain.onset + 45}
    assert at_45 == {"channel", "officers"}
    assert permits(scenario, list(fast_metrics(scenario))) is None


def test_the_fast_path_gives_the_engines_numbers_with_a_signal_only_point() -> None:
    # Without the warning channel the first decision on the rain waits for
    # the figures of +45 (a ground report at +20 would have carried the
    # yellow): the point's reporting moves level_decided, which both paths give.
    scenario = _turning_yellow(warned=False)
    g = fast_graph(scenario)
    options = SimOptions(unlimited_capacity=True)
    compared = 0
    for i in range(6):
        seq = np.random.SeedSequence(4, spawn_key=(i,))
        engine = flatten(simulate(scenario, seq, options=options))
        response = compute(g, engine_draws(g, seq), unlimited=True)
        fast = metric_columns(g, response, covered_pairs(g))
        for name, values in fast.items():
            want, got = engine.get(name, math.nan), float(values[0])
            assert (math.isnan(want) and math.isnan(got)) or want == got, name
            compared += not math.isnan(got)
        decided = engine["incident.rain.level_decided"]
        assert math.isnan(decided) or decided > 45, decided
        assert math.isnan(decided) or engine["incident.rain.level"] == Level.III.rank
    assert compared >= 6 * 5
    # At the scenario's own staffing, ExactRun's rows are the engine's.
    metrics = fast_metrics(scenario)
    assert any(m.startswith("incident.rain.") for m in metrics)
    seeds = [np.random.SeedSequence(7, spawn_key=(i,)) for i in range(20)]
    rows = ExactRun(metrics).rows(scenario, seeds, [0.0] * 20)
    engine_run = EngineRun(metrics)
    for r, (seed, row) in enumerate(zip(seeds, rows, strict=True)):
        want_row = engine_run(shift_scenario(scenario, 0.0), seed)
        assert sorted((k, repr(float(v))) for k, v in row.items()) == sorted(
            (k, repr(float(v))) for k, v in want_row.items()
        ), f"replication {r}"
