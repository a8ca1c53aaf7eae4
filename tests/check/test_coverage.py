"""Dynamic coverage counted over run results."""

from __future__ import annotations

import datetime as dt
import json

import cmdsim.sim.results as results
from cmdsim.model import (
    Command,
    District,
    Hazard,
    Incident,
    Inject,
    Level,
    Scenario,
    SeverityPoint,
    Town,
    Unit,
)
from cmdsim.testing.coverage import coverage, coverage_of_runs


def scenario() -> Scenario:
    district = District(
        id="d",
        hazards=[Hazard("gas")],
        units=[Unit("u1")],
        commands=[Command("gas_hq", lead_unit="u1")],
        towns=[Town("t")],
    )
    leak = Incident(
        id="leak",
        hazard="gas",
        town="t",
        onset=dt.datetime(2024, 7, 1, 9),
        timeline=[SeverityPoint(at=0, deaths=1)],
    )
    injects = [
        Inject(id="call", at=10, hazard="gas", level=Level.IV),
        Inject(id="note", at=20),  # names no hazard: not a case to cover
    ]
    return Scenario(
        id="s",
        district=district,
        start=dt.datetime(2024, 7, 1, 8),
        incidents=[leak],
        injects=injects,
    )


def run(activated: float | None, done: float | None, plan: str | None = "gas_plan") -> object:
    record = results.IncidentRecord(
        onset=60.0,
        level="IV",
        peak_level="IV",
        plan=plan,
        lead="gas_hq" if plan else None,
        hq={"gas_hq": results.HQRecord(notified=5.0, activated=activated)},
        deadline={
            "phone_report": results.DeadlineRecord("report", "district_duty_room", 30.0, done),
            "shut_valves": results.DeadlineRecord("task", "u1", None, None),
        },
    )
    return results.RunResult(
        scenario_id="s",
        seed=0,
        events=(),
        record=results.RunRecord(incidents={"leak": record}),
    )


def test_counts_over_runs() -> None:
    runs = [run(20.0, 25.0), run(None, 40.0), run(15.0, None), run(None, None, plan=None)]
    cov = coverage_of_runs(scenario(), runs)
    assert cov.n == 4
    assert (cov.incidents["leak"].hits, cov.incidents["leak"].total) == (2, 4)
    # The inject has no record of its own in these runs: never handled.
    assert (cov.injects["call"].hits, cov.injects["call"].total) == (0, 4)
    assert "note" not in cov.injects
    assert cov.by_plan[("gas_plan", "IV")].to_dict() == {"hits": 2, "total": 3, "share": 2 / 3}
    assert cov.by_plan[("-", "IV")].total == 1
    phone = cov.deadlines[("gas_plan", "IV", "phone_report")]
    assert (phone.met, phone.missed, phone.not_started) == (1, 2, 0)
    valves = cov.deadlines[("gas_plan", "IV", "shut_valves")]
    assert (valves.met, valves.missed, valves.not_started, valves.share) == (0, 0, 3, None)


def test_json_is_stable() -> None:
    runs = [run(20.0, 25.0), run(None, 40.0)]
    data = coverage_of_runs(scenario(), runs, seed=7).to_dict()
    assert sorted(data) == [
        "by_plan",
        "deadlines",
        "handled",
        "incidents",
        "injects",
        "n",
        "scenario",
        "seed",
    ]
    assert data["handled"] == {"hits": 1, "total": 4, "share": 0.25}
    text = json.dumps(data, sort_keys=True)
    again = json.dumps(coverage_of_runs(scenario(), runs, seed=7).to_dict(), sort_keys=True)
    assert text == again


def test_coverage_runs_each_replication_with_its_seed() -> None:
    import numpy as np

    seen: list[tuple[int, ...]] = []

    def fake(sc: Scenario, seq: np.random.SeedSequence) -> object:
        seen.append(tuple(seq.generate_state(2)))
        return run(10.0, 10.0)

    cov = coverage(scenario(), n=3, seed=5, simulate=fake)
    assert cov.n == 3 and cov.incidents["leak"].hits == 3
    expected = [tuple(s.generate_state(2)) for s in np.random.SeedSequence(5).spawn(3)]
    assert seen == expected
