"""A town's part of a handed-over case ends with the district's response.

After a town plan hands an incident over, the town plan's level stays in
force under the district plan (the town's first response), with its command
and its call-in.  When the district's response closes other than by a
hand-back, the handling ends at both tiers: the town's level closes too
(``response_closed`` at the town room, ``by: district``), its command stands
down and its officers go home; it comes back if the district's response opens
again.  A town link's or report's level coming while the district's response
is closed is held (``level_held``, ``by: district``), not put in force
(docs/engine.md, 'Town-level response and hand-over').
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.io import load_scenario
from cmdsim.model.conditions import Condition, Trigger
from cmdsim.model.levels import Level, Signal
from cmdsim.model.plans import LevelResponse, Reinforce
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim import RunResult, simulate

HERE = Path(__file__).parent
ROOM = "district_duty_room"
TOWN_ROOM = "town_a_duty_room"
TOWN_HQ = "town_a_hq"
KINDS = (
    "level_decided",
    "level_escalated",
    "level_deescalated",
    "response_closed",
    "level_held",
    "plan_handed_over",
    "plan_handed_back",
    "plan_taken_back",
    "hq_notified",
    "hq_released",
    "hq_activated",
    "officers_called",
    "officers_on_duty",
)


def _timeline(result: RunResult, actors: tuple[str, ...]) -> list[tuple[float, str, str, Any]]:
    """(time, actor, kind, level or officers) of the events that move a response."""
    return [
        (
            e.time,
            e.actor,
            e.kind,
            e.detail("extra") if e.kind == "officers_on_duty" else e.detail("level"),
        )
        for e in result.events
        if e.actor in actors and e.kind in KINDS
    ]


def _gas(hand_back: bool, district_iv: int, timeline: tuple[SeverityPoint, ...]) -> Scenario:
    """``town_hand_back.yaml`` (timed by hand in its header): the town plan's
    IV calls one officer in to its room (on duty 10 later), the district plan
    is at IV from ``district_iv`` households and III from 3,000."""
    sc = load_scenario(HERE / "town_hand_back.yaml")
    district_gas, town_gas = sc.district.plans
    call = LevelResponse(reinforce=[Reinforce(TOWN_ROOM, 1, Fixed(10.0))])
    town_gas = attrs.evolve(
        town_gas,
        levels={Level.IV: call},
        escalation=attrs.evolve(town_gas.escalation, hand_back=hand_back),
    )
    district_gas = attrs.evolve(
        district_gas,
        triggers=(
            Trigger(Level.IV, any_of=(Condition.parse(f"households >= {district_iv}"),)),
            Trigger(Level.III, any_of=(Condition.parse("households >= 3000"),)),
        ),
    )
    leak = attrs.evolve(sc.incidents[0], timeline=timeline)
    district = attrs.evolve(sc.district, plans=(district_gas, town_gas))
    return attrs.evolve(sc, district=district, incidents=(leak,))


def test_the_town_closes_with_the_district_and_opens_again_with_it() -> None:
    """By hand (the header of town_hand_back.yaml up to 207): the town's IV
    at 80 (its HQ called, on its way 15 → at work 95; its officer on duty at
    90), hand-over at 139, the district's III at 147.  The district plan
    starts at 1,000 households and the town plan takes nothing back: at 207
    (200 households) the district closes its response, and the town's closes
    with it — its HQ released, its officer home.  Before, the town's HQ
    stayed at work and its level in force to the horizon.  At 240 5,000
    households again: the town room's report (250, triaged 254) reaches the
    district room at 259 (triaged 264, approved 272): the district's III
    opens again at 272, and the town's IV with it (its HQ called again, at
    work 15 later at 287; its officer on duty at 282)."""
    leak = load_scenario(HERE / "town_hand_back.yaml").incidents[0]
    timeline = (*leak.timeline, SeverityPoint(at=180.0, households=5000))
    result = simulate(_gas(False, 1000, timeline), 0)
    assert _timeline(result, (ROOM, TOWN_ROOM, TOWN_HQ)) == [
        (80.0, TOWN_ROOM, "level_decided", "IV"),
        (80.0, TOWN_HQ, "hq_notified", "IV"),
        (80.0, TOWN_ROOM, "officers_called", None),
        (90.0, TOWN_ROOM, "officers_on_duty", 1),
        (95.0, TOWN_HQ, "hq_activated", None),
        (139.0, ROOM, "plan_handed_over", "IV"),
        (147.0, ROOM, "level_decided", "III"),
        (207.0, ROOM, "response_closed", None),
        (207.0, TOWN_ROOM, "response_closed", None),
        (207.0, TOWN_HQ, "hq_released", None),
        (207.0, TOWN_ROOM, "officers_on_duty", 0),
        (272.0, ROOM, "level_decided", "III"),
        (272.0, TOWN_ROOM, "level_decided", "IV"),
        (272.0, TOWN_HQ, "hq_notified", "IV"),
        (272.0, TOWN_ROOM, "officers_called", None),
        (282.0, TOWN_ROOM, "officers_on_duty", 1),
        (287.0, TOWN_HQ, "hq_activated", None),
    ]
    by = {(e.time, e.kind): e.detail("by") for e in result.events if e.actor == TOWN_ROOM}
    assert by[(207.0, "response_closed")] == "district"
    assert by[(272.0, "level_decided")] == "district"
    record = result.metrics["incident"]["leak"]
    # The incident's levels are the district's; the town's first response is its first.
    assert record["town_level_decided"] == 20.0
    assert record["level"] == "IV" and record["peak_level"] == "III"
    assert record["hq"][TOWN_HQ]["activated"] == 35.0


def test_a_hand_back_keeps_the_towns_level() -> None:
    """The header's timeline as it is: the district hands the case back at 207
    and the town plan governs again at 212; the town's level and command were
    never closed."""
    leak = load_scenario(HERE / "town_hand_back.yaml").incidents[0]
    result = simulate(_gas(True, 0, leak.timeline), 0)
    town = [(t, k) for t, a, k, _ in _timeline(result, (TOWN_ROOM, TOWN_HQ)) if "officers" not in k]
    assert town == [
        (80.0, "level_decided"),
        (80.0, "hq_notified"),
        (95.0, "hq_activated"),
        (212.0, "plan_taken_back"),
    ]


def _rain(confirm: float, yellow: bool) -> Scenario:
    """``town_warning.yaml`` (timed by hand in its header) for rain_a alone,
    whose district plan's triggers read the rain, not the signal (its link
    starts IV on blue, III on yellow) and lowers at once (hold 0): its lead
    closes the response at the first reassessment, 30 minutes after its link's
    IV at 23.  The town plan's link confirms blue and yellow at IV in
    ``confirm`` minutes; blue at 20, rain 5 mm at onset (60), and yellow at 70
    if ``yellow``."""
    sc = load_scenario(HERE / "town_warning.yaml")
    plans = []
    for plan in sc.district.plans:
        if plan.id == "district_flood":
            plan = attrs.evolve(
                plan,
                triggers=(
                    Trigger(Level.IV, any_of=(Condition.parse("rainfall >= 35"),)),
                    Trigger(Level.III, any_of=(Condition.parse("rainfall >= 50"),)),
                ),
                escalation=attrs.evolve(plan.escalation, deescalate=True, hold=0.0),
            )
        else:
            assert plan.warnings is not None
            links = {Signal.BLUE: Level.IV, Signal.YELLOW: Level.IV}
            warnings = attrs.evolve(plan.warnings, confirm=Fixed(confirm), levels=links)
            plan = attrs.evolve(plan, warnings=warnings)
        plans.append(plan)
    points = [SeverityPoint(at=-40.0, signal=Signal.BLUE), SeverityPoint(at=0.0, rainfall=5.0)]
    if yellow:
        points.append(SeverityPoint(at=10.0, signal=Signal.YELLOW))
    rain = attrs.evolve(sc.incidents[0], timeline=tuple(points))
    district = attrs.evolve(sc.district, plans=tuple(plans))
    return attrs.evolve(sc, district=district, incidents=(rain,))


def test_a_town_link_after_the_district_closed_opens_nothing() -> None:
    """The town's office takes 40 minutes: the district's link takes the case
    over at 23 (IV) and its lead closes the response at 53; the town's link
    confirms blue at 60, but blue was issued at 20, before the lead found the
    situation eased: old news, nothing happens.  The hotline's report (70,
    triaged 74, approved 80) would have put the town's IV in force as its
    first response; the district's response is closed, so it is held
    (``level_held``).  Before, the town's IV went in force at 60 and its HQ
    stayed at work to the horizon with nobody to close it."""
    result = simulate(_rain(40.0, False), 0)
    assert _timeline(result, (ROOM, TOWN_ROOM, TOWN_HQ)) == [
        (23.0, ROOM, "plan_handed_over", None),
        (23.0, ROOM, "level_decided", "IV"),
        (53.0, ROOM, "response_closed", None),
        (80.0, TOWN_ROOM, "level_held", None),
    ]
    held = next(e for e in result.events if e.kind == "level_held")
    assert (held.detail("proposed"), held.detail("by")) == ("IV", "district")
    record = result.metrics["incident"]["rain_a"]
    assert record["town_level"] is None and TOWN_HQ not in record["hq"]


def test_a_new_signal_while_the_district_is_closed_waits_for_the_district() -> None:
    """The town's office takes 2 minutes: the town's IV at 22 (its HQ at work
    at 37), the district's link takes over at 23, and closes at 53, the town's
    part with it.  Yellow at 70, a new signal: the town's link confirms it at
    72, but the district governs and its response is closed: held
    (``level_held``).  The district's link confirms III at 73, which opens its
    response again and puts the town's IV back in force with it; the
    district's lead closes again at 103 (the rain is 5 mm), the town's part
    with it."""
    result = simulate(_rain(2.0, True), 0)
    assert _timeline(result, (ROOM, TOWN_ROOM, TOWN_HQ)) == [
        (22.0, TOWN_ROOM, "level_decided", "IV"),
        (22.0, TOWN_HQ, "hq_notified", "IV"),
        (23.0, ROOM, "plan_handed_over", None),
        (23.0, ROOM, "level_decided", "IV"),
        (37.0, TOWN_HQ, "hq_activated", None),
        (53.0, ROOM, "response_closed", None),
        (53.0, TOWN_ROOM, "response_closed", None),
        (53.0, TOWN_HQ, "hq_released", None),
        (72.0, TOWN_ROOM, "level_held", None),
        (73.0, ROOM, "level_decided", "III"),
        (73.0, TOWN_ROOM, "level_decided", "IV"),
        (73.0, TOWN_HQ, "hq_notified", "IV"),
        (88.0, TOWN_HQ, "hq_activated", None),
        (103.0, ROOM, "response_closed", None),
        (103.0, TOWN_ROOM, "response_closed", None),
        (103.0, TOWN_HQ, "hq_released", None),
    ]


def _wrong_instants(result: RunResult, incident: str) -> list[tuple[float, str]]:
    """The instants after which, read from the event log, the town's command
    is still engaged on the incident while neither room has a level in force
    for it (``engaged``), or the town's level is in force while the district's
    response to the case it took over has closed with nothing handed back
    (``town open``)."""
    town: object = None
    district: object = None
    engaged = closed_above = False
    wrong = []
    for time, events in itertools.groupby(result.events, key=lambda e: e.time):
        for e in events:
            if e.incident != incident:
                continue
            kind = e.kind
            if e.actor == TOWN_ROOM:
                if kind in ("level_decided", "level_escalated", "level_deescalated"):
                    town = e.detail("level")
                elif kind == "response_closed":
                    town = None
                elif kind == "plan_taken_back":
                    town, closed_above = e.detail("level"), False
            elif e.actor == ROOM:
                if kind in ("level_decided", "level_escalated", "level_deescalated"):
                    district, closed_above = e.detail("level"), False
                elif kind == "response_closed":
                    district = None
                    closed_above = e.detail("by") != "hand_back"
            elif e.actor == TOWN_HQ and kind in ("hq_notified", "hq_released"):
                engaged = kind == "hq_notified"
        if engaged and town is None and district is None:
            wrong.append((time, "engaged"))
        if closed_above and town is not None:
            wrong.append((time, "town open"))
    return wrong


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.sampled_from([0, 100, 2000, 5000]), min_size=1, max_size=6),
    hand_back=st.booleans(),
    district_iv=st.sampled_from([0, 1000]),
    confirm=st.sampled_from([2.0, 40.0]),
    yellow=st.booleans(),
)
def test_a_town_command_is_never_engaged_while_both_tiers_are_closed(
    values: list[int], hand_back: bool, district_iv: int, confirm: float, yellow: bool
) -> None:
    """Hand-overs, hand-backs, closings and re-openings on households rising
    and falling hour by hour (the gas case), and on signals and the town's
    and district's links (the rain case): the town's command is never called
    to the incident while the incident's response is closed at both tiers;
    and a town level is never in force while the district's response to the
    case it took over, and did not hand back, is closed."""
    points = tuple(SeverityPoint(at=60.0 * i, households=v) for i, v in enumerate(values))
    gas = attrs.evolve(_gas(hand_back, district_iv, points), horizon=600.0)
    result = simulate(gas, 0)
    assert _wrong_instants(result, "leak") == []
    rain = simulate(_rain(confirm, yellow), 0)
    assert _wrong_instants(rain, "rain_a") == []
