"""One spelling of every metric name (``cmdsim.sim.metric_names``): the
engine's records, the fast path's columns and the known names agree."""

from __future__ import annotations

import pytest

from cmdsim.analysis.fastpath import fast_metrics
from cmdsim.analysis.metrics import engine_run
from cmdsim.analysis.seeds import replication_seed
from cmdsim.io import load_scenario
from cmdsim.sim import metric_names as mn
from cmdsim.sim.results import HQRecord, IncidentRecord


def test_the_records_keys_are_the_registered_leaves() -> None:
    assert tuple(HQRecord().to_data()) == mn.HQ_LEAVES
    incident = IncidentRecord(onset=0.0).to_data()
    numeric = [leaf for leaf in mn.INCIDENT_LEAVES if leaf != mn.BAND]
    assert [k for k in incident if k in numeric] == numeric
    assert {mn.HQ, mn.DEADLINE, mn.REPORTING} <= set(incident)


def test_the_fast_paths_leaves_are_the_records() -> None:
    assert set(mn.CASE_METRICS) <= set(mn.INCIDENT_LEAVES)
    assert set(mn.HQ_METRICS) <= set(mn.HQ_LEAVES)


@pytest.mark.parametrize("name", ["gas", "flood-typhoon"])
def test_every_name_the_fast_path_gives_an_engine_run_reports(name: str) -> None:
    scenario = load_scenario(f"scenarios/{name}.yaml")
    fast = set(fast_metrics(scenario))
    assert fast
    assert fast <= set(engine_run(scenario, replication_seed(1, 0)))
