"""The engine's builder (sim/wiring.py): probes attached from outside the processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmdsim.io import load_scenario
from cmdsim.model.scenario import Scenario
from cmdsim.sim import context, simulate
from cmdsim.sim.context import Run, SimOptions
from cmdsim.sim.events import EventKind
from cmdsim.sim.knowledge import DUPLICATE, FALSE_ALARM
from cmdsim.sim.reporting import Report
from cmdsim.sim.wiring import Wiring

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def flood() -> Scenario:
    return load_scenario(SCENARIOS / "flood-typhoon.yaml")


def test_a_run_without_a_log_makes_no_event_and_counts_them_all(
    flood: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    logged = simulate(flood, 3)
    monkeypatch.setattr(context, "Event", None)  # any Event made now fails the run
    unlogged = simulate(flood, 3, options=SimOptions(log=False))
    assert unlogged.events == ()
    assert unlogged.metrics["events"] == len(logged.events) > 0
    assert {k: v for k, v in unlogged.metrics.items() if k != "events"} == {
        k: v for k, v in logged.metrics.items() if k != "events"
    }


def test_a_probe_on_the_district_inbox_sees_every_report_that_reaches_it(
    flood: Scenario,
) -> None:
    run = Run(flood, 1, SimOptions())
    wiring = Wiring(run)
    seen: list[Report] = []
    wiring.district_room.arrivals.append(seen.append)
    wiring.start()
    run.env.run(until=flood.horizon)
    # Each report that reached the room is counted once, by the wiring's own
    # probe; false alarms and duplicates reach it too but report no incident.
    genuine = [r for r in seen if r.nature not in (FALSE_ALARM, DUPLICATE)]
    assert len(genuine) == sum(facts.reports for facts in run.ledger.incidents.values()) > 0
    # ... and logged once: the first of an incident makes the room aware.
    kinds = (EventKind.AWARE, EventKind.REPORT_RECEIVED)
    at_room = [e for e in run.events if e.kind in kinds and e.actor == wiring.district_id]
    assert len(at_room) == len(genuine)
    # Reports forwarded by a town room come through the same door.
    forwarded = sum(1 for e in run.events if e.kind is EventKind.REPORT_FORWARDED)
    assert sum(1 for report in genuine if report.via is not None) == forwarded


def test_the_parts_are_built_on_first_use(flood: Scenario) -> None:
    run = Run(flood, 1, SimOptions())
    wiring = Wiring(run)
    assert wiring.hqs == {} and wiring.town_rooms == {}
    wiring.start()
    run.env.run(until=flood.horizon)
    notified = {e.actor for e in run.events if e.kind is EventKind.HQ_NOTIFIED}
    assert set(wiring.hqs) == notified != set()
    assert wiring.hq("no-such-command") is None
    assert wiring.town_room("no-such-town") is None
