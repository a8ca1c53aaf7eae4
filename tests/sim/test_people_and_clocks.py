"""Information officers as people who contend; activation clocks per level; takeover counts."""

from __future__ import annotations

import attrs

from cmdsim.model import Channel, ChannelKind
from cmdsim.model.levels import Clock, Level, Tier
from cmdsim.model.organisation import Committee, OfficerNetwork, Receiver, TierSpec, Town
from cmdsim.model.plans import LevelResponse, Takeover, Task
from cmdsim.model.scenario import SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim import SimOptions, simulate
from cmdsim.sim.activation import Takeovers
from cmdsim.sim.context import Run
from cmdsim.sim.engine import execute

from .build import ONE, command, duty_task, scenario


def _officers_scenario() -> object:
    """Two incidents at once in one town whose every tier has one officer."""
    base = scenario(hq=command(), onset=60.0)
    district = base.district
    tiers = {tier: TierSpec(relay=Fixed(10.0), miss=0.0, factors=ONE) for tier in Tier}
    town = Town(
        id="town_a",
        officers=1,
        committees=(Committee(id="c1", officers=1, compound_officers=1),),
    )
    channel = Channel(id="officers", kind=ChannelKind.OFFICERS, to=Receiver.DISTRICT)
    district = attrs.evolve(
        district,
        towns=(town,),
        officers=OfficerNetwork(district=1, tiers=tiers),
        channels=(channel,),
    )
    first = base.incidents[0]
    second = attrs.evolve(first, id="flood2")
    return attrs.evolve(base, district=district, incidents=(first, second))


def test_an_officer_relaying_one_incident_delays_another() -> None:
    sc = _officers_scenario()
    result = simulate(sc, seed=0)  # type: ignore[arg-type]
    aware = {e.incident: e.time for e in result.events if e.kind == "aware"}
    # flood1: four hops of 10 from onset 60 -> 100.  flood2 waits 10 for the
    # compound officer, then follows one hop behind at every tier -> 110.
    assert aware == {"flood1": 100.0, "flood2": 110.0}


def test_the_run_holds_one_state_per_officer() -> None:
    sc = _officers_scenario()
    run = execute(sc, 0)  # type: ignore[arg-type]
    assert run.officers is not None
    assert run.officers.people.count == sc.district.officer_count == 4  # type: ignore[attr-defined]
    assert run.officers.busy_until.tolist() == [80.0, 90.0, 100.0, 110.0]


def test_a_task_set_at_escalation_counts_from_the_escalation() -> None:
    # IV at 83 (lead notified), commander arrives 20 later: active at 103.
    # Rainfall 40 at +60 is reported at 130, escalated to III at 143 while the
    # lead is already at work: the III task's clock starts at 143, not 103.
    rescue = Task(
        id="rescue_on_standby",
        unit="water",
        duration=Fixed(10.0),
        deadline=30.0,
        clock=Clock.ACTIVATION,
    )
    base = scenario(
        timeline=(SeverityPoint(at=0, rainfall=20), SeverityPoint(at=60, rainfall=40)),
        thresholds=((Level.IV, 10.0), (Level.III, 30.0)),
        reassess=Fixed(1000.0),
    )
    plan = attrs.evolve(
        base.district.plans[0],
        levels={
            Level.IV: LevelResponse(tasks=(duty_task(),)),
            Level.III: LevelResponse(tasks=(duty_task(), rescue)),
        },
    )
    sc = attrs.evolve(base, district=attrs.evolve(base.district, plans=(plan,)))
    result = simulate(sc, seed=0)
    timeline = [
        (e.time, e.kind, e.detail("task") or e.detail("deadline"))
        for e in result.events
        if e.kind.startswith(("level_", "hq_activated", "task_"))
    ]
    assert timeline == [
        (83.0, "level_decided", None),
        (83.0, "task_assigned", "pumps"),
        (83.0, "task_started", "pumps"),
        (98.0, "task_done", "pumps"),
        (103.0, "hq_activated", None),
        (143.0, "level_escalated", None),
        (143.0, "task_assigned", "rescue_on_standby"),
        (143.0, "task_started", "rescue_on_standby"),
        (153.0, "task_done", "rescue_on_standby"),
    ]
    deadlines = result.metrics["incident"]["flood1"]["deadline"]
    # pumps: activation 103 + 60 = 163 -> 103 after onset; done 98 - 60 = 38.
    assert (deadlines["pumps"]["due"], deadlines["pumps"]["done"]) == (103.0, 38.0)
    # rescue: escalation 143 + 30 = 173 -> 113 after onset; done 93: met, 20 to spare.
    assert deadlines["rescue_on_standby"] == {
        "kind": "task",
        "actor": "water",
        "due": 113.0,
        "done": 93.0,
        "met": True,
        "slack": 20.0,
    }


class _General:
    def __init__(self) -> None:
        self.notified: list[str] = []

    def notify(self, incident: str, level: object) -> None:
        self.notified.append(incident)

    def when_active(self, incident: str, callback: object) -> None:
        """Never at work: these tests watch the trigger, not the takeover."""


def test_a_deactivated_hq_no_longer_counts_for_takeover() -> None:
    run = Run(scenario(), 0, SimOptions())
    general = _General()
    takeovers = Takeovers(run, Takeover(min_active=2, min_level=Level.I), None)
    takeovers.general_id = "general"
    takeovers.hq = lambda _: general  # type: ignore[assignment,return-value]
    takeovers.hq_active("flood")
    takeovers.hq_inactive("flood")  # hq_deactivated
    takeovers.hq_active("gas")
    assert not takeovers.done and general.notified == []
    takeovers.hq_active("traffic")
    assert takeovers.done and general.notified == ["_coordination"]


def test_same_seed_same_bytes_with_officers() -> None:
    sc = _officers_scenario()
    assert simulate(sc, 5).to_json() == simulate(sc, 5).to_json()  # type: ignore[arg-type]
