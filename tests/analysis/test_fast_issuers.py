"""The fast path reads the warning in force over the district as the engine
does: the gravest of the issuers' signals in force (a city blue after the
district station's yellow leaves yellow), from the same
:func:`cmdsim.model.incidents.severity_at`; with no warning link to replay,
it is allowed, and gives the engine's rows."""

from __future__ import annotations

import numpy as np

from cmdsim.analysis.batch import shift_scenario
from cmdsim.analysis.fastpath import EngineRun, ExactRun, fast_metrics, permits
from cmdsim.sim import simulate
from tests.sim.test_issuers import DISTRICT_YELLOW_CITY_BLUE
from tests.sim.test_warning_link import linked


def test_two_issuers_signals_without_a_link_give_the_engines_rows() -> None:
    scenario = linked(timeline=DISTRICT_YELLOW_CITY_BLUE, link=False)
    metrics = fast_metrics(scenario)
    assert permits(scenario, list(metrics)) is None
    seeds = [np.random.SeedSequence(3, spawn_key=(i,)) for i in range(20)]
    rows = ExactRun(metrics).rows(scenario, seeds, [0.0] * len(seeds))
    engine = EngineRun(metrics)
    for seed, row in zip(seeds, rows, strict=True):
        want = engine(shift_scenario(scenario, 0.0), seed)
        assert sorted((k, repr(float(v))) for k, v in row.items()) == sorted(
            (k, repr(float(v))) for k, v in want.items()
        )
    # The lead's reassessments find the station's yellow in force and keep
    # III to the end (one slot per hazard read the city's blue after it as
    # the colour in force, and the lead lowered to IV after the hold).
    result = simulate(scenario, 0)
    assert result.metrics["incident"]["flood1"]["level"] == "III"
    assert [e.kind for e in result.events if e.kind == "level_deescalated"] == []
