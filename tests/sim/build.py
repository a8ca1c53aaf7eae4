"""Tiny hand-checkable scenarios for the engine tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from cmdsim.model import (
    Channel,
    ChannelKind,
    Command,
    DutyRoom,
    Hazard,
    Post,
    QuorumTerm,
    Unit,
)
from cmdsim.model.conditions import Condition, Trigger
from cmdsim.model.levels import Clock, Level, Tier
from cmdsim.model.organisation import Committee, OfficerNetwork, Receiver, TierSpec, Town
from cmdsim.model.plans import Escalation, LevelResponse, Plan, ReportDeadline, Task
from cmdsim.model.scenario import District, Incident, Scenario, SeverityPoint
from cmdsim.model.timing import BandFactors, Delay, Fixed, Staffing

START = dt.datetime(2024, 7, 3, 10, 0)  # a Wednesday morning: day band throughout
ONE = BandFactors(day=1.0, night=1.0, holiday=1.0)
CHANNEL, TRIAGE, APPROVAL, REASSESS = Fixed(10.0), Fixed(5.0), Fixed(8.0), Fixed(30.0)
ONE_OFFICER = Staffing(day=1, night=1, holiday=1)
RISING = (SeverityPoint(at=0, rainfall=20), SeverityPoint(at=60, rainfall=40))
"""Rain at onset, heavier an hour later; with ``IV_THEN_III`` the onset's
report is decided at IV and the later point's, once known, at III."""
IV_THEN_III = ((Level.IV, 10.0), (Level.III, 30.0))


def command(
    posts: tuple[Post, ...] = (), quorum: tuple[QuorumTerm, ...] = (), ident: str = "hq"
) -> Command:
    return Command(
        id=ident, name="区测试指挥部", lead_unit="water", posts=posts, quorum=quorum, factors=ONE
    )


def scenario(
    *,
    hq: Command | None = None,
    channel_delay: Delay = CHANNEL,
    triage: Delay = TRIAGE,
    approval: Delay = APPROVAL,
    staffing: Staffing = ONE_OFFICER,
    timeline: tuple[SeverityPoint, ...] = (SeverityPoint(at=0, rainfall=20),),
    thresholds: tuple[tuple[Level, float], ...] = ((Level.IV, 10.0),),
    tasks: tuple[Task, ...] = (),
    reports: tuple[ReportDeadline, ...] = (),
    onset: float = 60.0,
    horizon: float = 600.0,
    reassess: Delay = REASSESS,
    **extra: Any,
) -> Scenario:
    hq = hq or command((Post(id="commander", callout=Fixed(20.0)),))
    plan = Plan(
        id="flood_plan",
        hazards=("flood",),
        lead=hq.id,
        triggers=tuple(
            Trigger(level, any_of=(Condition.parse(f"rainfall >= {value}"),))
            for level, value in thresholds
        ),
        levels={level: LevelResponse(tasks=tasks) for level, _ in thresholds},
        reports=reports,
        escalation=Escalation(reassess=reassess),
    )
    district = District(
        id="tiny",
        hazards=(Hazard(id="flood"),),
        units=(Unit(id="water", staff=extra.get("staff", 5)),),
        commands=(hq,),
        duty_room=DutyRoom(
            id="district_duty_room",
            staffing=staffing,
            triage=triage,
            approval=approval,
            factors=ONE,
        ),
        towns=(Town(id="town_a"),),
        officers=OfficerNetwork(),
        channels=(
            Channel(
                id="hotline", kind=ChannelKind.HOTLINE, delay=channel_delay, miss=0.0, factors=ONE
            ),
        ),
        plans=(plan,),
    )
    incident = Incident(
        id="flood1",
        hazard="flood",
        town="town_a",
        onset=START + dt.timedelta(minutes=onset),
        timeline=timeline,
    )
    return Scenario(
        id="tiny", district=district, start=START, horizon=horizon, incidents=(incident,)
    )


def duty_task(duration: float = 15.0, deadline: float = 60.0) -> Task:
    return Task(
        id="pumps",
        unit="water",
        duration=Fixed(duration),
        deadline=deadline,
        clock=Clock.ACTIVATION,
    )


def officer_network(to: Receiver, *, town_room: bool = True, handbook: bool = True) -> Scenario:
    """The tiny scenario (onset at 60) reported by the four-tier officer
    network alone, its officers reporting to ``to``: every tier relays in
    exactly 10 minutes and never misses; town ``town_a`` has committee
    ``c1`` (its ``handbook`` as given) and, with ``town_room``, the room
    ``town_a_room``, which triages in 3, approves in 1 and forwards in 4."""
    base = scenario(hq=command(), onset=60.0)
    tiers = {tier: TierSpec(relay=Fixed(10.0), miss=0.0, factors=ONE) for tier in Tier}
    room = DutyRoom(
        id="town_a_room",
        staffing=ONE_OFFICER,
        triage=Fixed(3.0),
        approval=Fixed(1.0),
        forward=Fixed(4.0),
        factors=ONE,
    )
    town = Town(
        id="town_a",
        officers=1,
        duty_room=room if town_room else None,
        committees=(Committee(id="c1", officers=1, compound_officers=1, handbook=handbook),),
    )
    district = attrs.evolve(
        base.district,
        towns=(town,),
        officers=OfficerNetwork(district=1, tiers=tiers),
        channels=(Channel(id="officers", kind=ChannelKind.OFFICERS, to=to),),
    )
    return attrs.evolve(base, district=district)
