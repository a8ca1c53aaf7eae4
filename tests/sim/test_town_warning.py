"""A town plan's own warning link: the town starts its level with the signal.

The scenario is ``town_warning.yaml`` next to this file; its header works the
timeline out by hand (blue at minute 20, yellow at 50, onset at 60; the
town's office confirms in 2 minutes, the district's in 3).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis.fastpath import permits
from cmdsim.errors import LoadError, ModelError
from cmdsim.io import load_scenario
from cmdsim.model import Level, Plan, Scenario
from cmdsim.model.bodies import CommunityResponse, FirstAction
from cmdsim.model.levels import Issuer, Signal
from cmdsim.model.organisation import Committee
from cmdsim.model.plans import ReportDeadline, ReportLimit
from cmdsim.model.scenario import SeverityPoint
from cmdsim.model.timing import BandFactors, Fixed
from cmdsim.sim import simulate
from cmdsim.sim.compiled import compiled
from tests.builders import moves, with_plan

HERE = Path(__file__).parent
KINDS = (
    "aware",
    "level_decided",
    "level_escalated",
    "warning_confirmed",
    "hand_over_requested",
    "plan_handed_over",
)


def base() -> Scenario:
    return load_scenario(HERE / "town_warning.yaml")


def _town_link(sc: Scenario, **changes: Any) -> Scenario:
    plan = sc.district.plan("town_a_flood")
    assert plan.warnings is not None
    return with_plan(sc, "town_a_flood", warnings=attrs.evolve(plan.warnings, **changes))


def _moves(result: Any, incident: str = "rain_a") -> list[tuple[float, str, str, Any, Any]]:
    return moves(result, KINDS, incident=incident)


def test_the_town_starts_its_level_with_the_signal() -> None:
    result = simulate(base(), 0)
    assert _moves(result) == [
        (20.0, "flood_hq", "aware", None, None),
        # the town's office: blue at 20, confirmed 2 minutes later
        (22.0, "town_a_duty_room", "level_decided", "IV", "warning"),
        # the district's link takes the case over 3 minutes after the signal
        (23.0, "district_duty_room", "plan_handed_over", None, "warning"),
        (23.0, "district_duty_room", "level_decided", "IV", "warning"),
        # yellow: the district's III; the town, handed over, decides nothing more
        (53.0, "district_duty_room", "level_escalated", "III", "warning"),
    ]
    record = result.metrics["incident"]["rain_a"]
    assert record["town_level"] == "IV"
    assert record["town_level_decided"] == -38.0  # minute 22, onset at 60
    assert record["handed_over"] == -37.0
    # the town's command is called and its task set with the level
    assert record["hq"]["town_a_hq"]["notified"] == -38.0
    assigned = [
        e.time for e in result.events if e.kind == "task_assigned" and e.incident == "rain_a"
    ]
    assert assigned == [22.0]


def test_a_town_without_a_town_plan_does_nothing() -> None:
    result = simulate(base(), 0)
    assert _moves(result, "rain_b") == [
        (20.0, "flood_hq", "aware", None, None),
        (23.0, "district_duty_room", "level_decided", "IV", "warning"),
        (53.0, "district_duty_room", "level_escalated", "III", "warning"),
    ]
    # town_b's room only passes the hotline's report up (70 + triage 4 + forward 5)
    town_b = [(e.time, e.kind) for e in result.events if e.actor == "town_b_duty_room"]
    assert town_b == [(79.0, "report_forwarded")]
    # the metrics of incidents a town plan governs are not in its record
    assert "town_level" not in result.metrics["incident"]["rain_b"]


def test_the_town_starts_after_the_district_took_the_case_over() -> None:
    # The town's office takes 4 minutes: the district's link has the case at 23;
    # the town's first response still runs at 24.
    result = simulate(_town_link(base(), confirm=Fixed(4.0)), 0)
    assert _moves(result)[1:] == [
        (23.0, "district_duty_room", "plan_handed_over", None, "warning"),
        (23.0, "district_duty_room", "level_decided", "IV", "warning"),
        (24.0, "town_a_duty_room", "level_decided", "IV", "warning"),
        (53.0, "district_duty_room", "level_escalated", "III", "warning"),
    ]
    record = result.metrics["incident"]["rain_a"]
    assert record["level_decided"] == -37.0  # the district's, which came first
    assert record["town_level_decided"] == -36.0


def test_without_the_districts_link_a_severer_signal_hands_the_case_over() -> None:
    # Yellow (minute 50): the town's link confirms its IV at 52, and the signal
    # puts the case beyond the town plan (the district plan's III): the town
    # room asks at once, the request arrives after its forward delay of 5 (57)
    # and the district room decides III after its approval of 8 (65).
    result = simulate(with_plan(base(), "district_flood", warnings=None), 0)
    assert _moves(result) == [
        (20.0, "town_a_hq", "aware", None, None),
        (22.0, "town_a_duty_room", "level_decided", "IV", "warning"),
        (52.0, "town_a_duty_room", "warning_confirmed", "IV", None),
        (52.0, "town_a_duty_room", "hand_over_requested", "III", None),
        (57.0, "district_duty_room", "plan_handed_over", "IV", None),
        (65.0, "district_duty_room", "level_decided", "III", "plan"),
    ]


def test_without_the_towns_link_the_town_waits_for_a_report() -> None:
    # The hotline's report of the onset (60) reaches the town room at 70,
    # triage 4, approval 6: the town's first response at 80.
    result = simulate(with_plan(base(), "town_a_flood", warnings=None), 0)
    town = [m for m in _moves(result) if m[1] == "town_a_duty_room"]
    assert town == [(80.0, "town_a_duty_room", "level_decided", "IV", "plan")]
    assert result.metrics["incident"]["rain_a"]["town_level_decided"] == 20.0


def test_the_towns_reports_run_from_its_linked_level() -> None:
    # As the district's link does: the level in force starts the plan's
    # reports, its room knowing of the incident from then on.
    phone = ReportDeadline(
        id="town_phone",
        within=30.0,
        by="town_a_duty_room",
        duration=Fixed(6.0),
        transmit=Fixed(1.0),
    )
    result = simulate(with_plan(base(), "town_a_flood", reports=(phone,)), 0)
    # called at 22 (its clock from then: due at 52, 8 before onset), written
    # in 6, arriving 1 later (29)
    item = result.metrics["incident"]["rain_a"]["reporting"]["town_phone"]["items"]
    assert [(i["occasion"], i["due"], i["arrived"], i["status"]) for i in item] == [
        (-38.0, -8.0, -31.0, "on_time")
    ]


def test_a_signal_the_town_link_ignores_takes_the_reports_path() -> None:
    sc = _town_link(base(), issuers=(Issuer.CITY,))
    timeline = (
        SeverityPoint(at=-40, signal=Signal.BLUE, issuer=Issuer.DISTRICT),
        SeverityPoint(at=0, rainfall=5),
    )
    incidents = tuple(
        attrs.evolve(i, timeline=timeline) if i.id == "rain_a" else i for i in sc.incidents
    )
    result = simulate(attrs.evolve(sc, incidents=incidents), 0)
    town = [m for m in _moves(result) if m[1] == "town_a_duty_room"]
    assert town == [(80.0, "town_a_duty_room", "level_decided", "IV", "plan")]


def test_the_fast_path_refuses_a_town_warning_link() -> None:
    reason = permits(base(), ["incident.rain_b.level_decided"], unlimited=True)
    assert reason is not None and "town plan town_a_flood" in reason


# -- a real invariant, over the signal's time and the hour of day -----------


def _at(
    signal_at: float, start_hour: int, seed: int, confirm: float | None
) -> tuple[Scenario, Any]:
    """rain_a alone, its blue signal ``signal_at`` before an onset 300 minutes
    in, the run starting at ``start_hour``; the town's link confirming in
    ``confirm`` minutes by day (``None``: no town link)."""
    sc = base()
    sc = attrs.evolve(sc, start=dt.datetime(2024, 7, 3, start_hour, 0), horizon=600.0)
    # The town rooms slower at night, so the hour of the signal matters.
    slower = BandFactors(night=1.5, holiday=1.3)
    towns = tuple(
        attrs.evolve(t, duty_room=attrs.evolve(t.duty_room, factors=slower))
        for t in sc.district.towns
        if t.duty_room is not None
    )
    sc = attrs.evolve(sc, district=attrs.evolve(sc.district, towns=towns))
    onset = sc.start + dt.timedelta(minutes=300)
    timeline = (SeverityPoint(at=-signal_at, signal=Signal.BLUE), SeverityPoint(at=0, rainfall=5))
    incidents = tuple(
        attrs.evolve(i, onset=onset, timeline=timeline) for i in sc.incidents if i.id == "rain_a"
    )
    sc = attrs.evolve(sc, incidents=incidents)
    sc = (
        _town_link(sc, confirm=Fixed(confirm))
        if confirm is not None
        else with_plan(sc, "town_a_flood", warnings=None)
    )
    return sc, simulate(sc, seed)


@settings(max_examples=60)
@given(
    signal_at=st.floats(min_value=1.0, max_value=290.0),
    start_hour=st.integers(min_value=0, max_value=23),
    confirm=st.floats(min_value=0.5, max_value=8.0),
    seed=st.integers(min_value=0, max_value=2**16),
)
def test_the_town_starts_its_confirmation_after_the_signal(
    signal_at: float, start_hour: int, confirm: float, seed: int
) -> None:
    """The town's level starts exactly the link's confirmation, times the
    town room's band factor at the signal, after the signal (by its link,
    not a report) — and never later than without the link, for the same
    draws."""
    sc, result = _at(signal_at, start_hour, seed, confirm)
    comp = compiled(sc)
    issued = 300.0 - signal_at
    factor = sc.district.town("town_a").duty_room.factors.factor(comp.band_at(issued))
    started = result.metrics["incident"]["rain_a"]["town_level_decided"] + 300.0
    assert started >= issued
    assert started == pytest.approx(issued + confirm * factor)
    decided = [
        e for e in result.events if e.kind == "level_decided" and e.actor == "town_a_duty_room"
    ]
    assert [e.detail("by") for e in decided] == ["warning"]
    _, without = _at(signal_at, start_hour, seed, None)
    later = without.metrics["incident"]["rain_a"]["town_level_decided"]
    assert later is None or started <= later + 300.0


# -- located load errors ----------------------------------------------------

LINK = "      warnings: {levels: {blue: IV}, confirm: 2}"


BAD_LINKS = [
    (
        "{levels: {purple: IV}, confirm: 2}",
        "district.plans[1].warnings.levels: 'purple' is not one of blue, yellow, orange, red",
    ),
    (
        "{levels: {blue: V}, confirm: 2}",
        "district.plans[1].warnings.levels.blue: 'V' is not one of IV, III, II, I",
    ),
    (
        "{levels: {blue: IV, yellow: III}, confirm: 2}",
        "district.plans[1].warnings.levels.yellow: yellow starts level III, but the town"
        " plan's triggers reach at most level IV",
    ),
    (
        "{levels: {blue: IV}, confirm: 2, confirm_by: duty_room}",
        "district.plans[1].warnings.confirm_by: a town plan's warning link is confirmed by"
        " the town HQ's office",
    ),
]


@pytest.mark.parametrize(("link", "message"), BAD_LINKS)
def test_a_bad_town_warning_link_is_a_located_error(
    tmp_path: Path, link: str, message: str
) -> None:
    text = (HERE / "town_warning.yaml").read_text(encoding="utf-8")
    assert LINK in text
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(LINK, f"      warnings: {link}"), encoding="utf-8")
    line = text[: text.index(LINK)].count("\n") + 1
    with pytest.raises(LoadError) as caught:
        load_scenario(path)
    shown = [str(p) for p in caught.value.problems]
    assert len(shown) == 1
    assert shown[0].startswith(f"{path}:{line}:")
    assert message in shown[0]


def test_a_town_plan_without_triggers_has_no_level_for_its_link() -> None:
    plan = base().district.plan("town_a_flood")
    with pytest.raises(ModelError, match="reach no level"):
        attrs.evolve(plan, triggers=())
    assert isinstance(plan, Plan) and plan.warnings is not None
    assert plan.warnings.level_for(Signal.RED) is Level.IV  # every colour from blue: IV


def _eased(signal_at: float) -> Scenario:
    """rain_a's rain eases at +40 (minute 100) and the town's lead, re-assessing
    every 10 minutes with no hold, closes the town's response then; a blue
    signal comes at ``signal_at`` after onset and the town's office takes 10
    minutes to confirm it.  Both plans read the rain alone, so only the link
    starts a level on the signal."""
    sc = with_plan(base(), "district_flood", warnings=None)
    rain = base().district.plan("town_a_flood").triggers[0]
    only_rain = attrs.evolve(rain, any_of=rain.any_of[1:])
    sc = with_plan(sc, "district_flood", triggers=(only_rain,))
    plan = sc.district.plan("town_a_flood")
    escalation = attrs.evolve(plan.escalation, reassess=Fixed(10.0), deescalate=True, hold=0.0)
    sc = with_plan(sc, "town_a_flood", triggers=(only_rain,), escalation=escalation)
    sc = _town_link(sc, confirm=Fixed(10.0))
    timeline = (
        SeverityPoint(at=0, rainfall=40),
        SeverityPoint(at=signal_at, signal=Signal.BLUE),
        SeverityPoint(at=40, rainfall=5),
    )
    timeline = tuple(sorted(timeline, key=lambda p: p.at))
    incidents = tuple(attrs.evolve(i, timeline=timeline) for i in sc.incidents if i.id == "rain_a")
    return attrs.evolve(sc, incidents=incidents)


def _town_levels(result: Any) -> list[tuple[float, str, Any, Any]]:
    return [
        (round(e.time, 6), e.kind, e.detail("level"), e.detail("by"))
        for e in result.events
        if e.actor == "town_a_duty_room"
        and e.kind in ("level_decided", "response_closed", "warning_confirmed")
    ]


def test_a_signal_the_lead_had_in_view_does_not_reopen_the_response() -> None:
    # Rain 40 at onset: the town's IV at 80 (hotline 10, triage 4, approval 6).
    # Blue at +35 (minute 95); the lead finds the rain eased at 100, with the
    # signal in view, and closes; the link's confirmation at 105 is older news.
    assert _town_levels(simulate(_eased(35.0), 0)) == [
        (80.0, "level_decided", "IV", "plan"),
        (100.0, "response_closed", None, None),
    ]
    # Blue at +41 (minute 101), after that finding: its confirmation at 111
    # starts the town's level again; its lead reassesses it 10 minutes later
    # and, the plan reading the rain alone, closes it (a response opened again
    # was never reassessed before: it stayed open to the horizon).
    assert _town_levels(simulate(_eased(41.0), 0)) == [
        (80.0, "level_decided", "IV", "plan"),
        (100.0, "response_closed", None, None),
        (111.0, "level_decided", "IV", "warning"),
        (121.0, "response_closed", None, None),
    ]


def test_the_districts_report_takes_its_own_first_levels_limit() -> None:
    # Yellow first (minute 20): the town's link puts its IV in force at 22
    # (and asks for the hand-over), the district's takes the case over at 23
    # with III.  The district's phone
    # report, called as its room learns (23, no level yet), is due within
    # the limit of the district plan's first level (III: 15), not of the
    # incident's first (the town's IV: 30).
    phone = ReportDeadline(
        id="phone",
        within=30.0,
        limits=(ReportLimit(within=15.0, min_level=Level.III),),
        by="district_duty_room",
        duration=Fixed(5.0),
        transmit=Fixed(1.0),
    )
    sc = with_plan(base(), "district_flood", reports=(phone,))
    timeline = (SeverityPoint(at=-40, signal=Signal.YELLOW), SeverityPoint(at=0, rainfall=5))
    incidents = tuple(attrs.evolve(i, timeline=timeline) for i in sc.incidents if i.id == "rain_a")
    result = simulate(attrs.evolve(sc, incidents=incidents), 0)
    assert _moves(result)[1:5] == [
        (22.0, "town_a_duty_room", "level_decided", "IV", "warning"),
        # yellow is beyond the town plan: its room asks at once
        (22.0, "town_a_duty_room", "hand_over_requested", "III", None),
        (23.0, "district_duty_room", "plan_handed_over", None, "warning"),
        (23.0, "district_duty_room", "level_decided", "III", "warning"),
    ]
    items = result.metrics["incident"]["rain_a"]["reporting"]["phone"]["items"]
    assert [(i["occasion"], i["within"], i["due"]) for i in items] == [(-37.0, 15.0, -22.0)]


def _with_committee(sc: Scenario) -> Scenario:
    """rain_a in a committee of town_a without a community handbook: it
    waits 30 minutes for its town's instructions from when the town room
    knows of the incident (or from the onset, if the room knew first)."""
    town = sc.district.town("town_a")
    committee = Committee(id="town_a_r1", officers=0, handbook=False)
    towns = tuple(
        attrs.evolve(t, committees=(committee,)) if t.id == "town_a" else t
        for t in sc.district.towns
    )
    assert town.duty_room is not None
    community = CommunityResponse(
        actions=(FirstAction(id="warn", duration=Fixed(15.0)),),
        instructions=Fixed(30.0),
        factors=BandFactors(night=1.0, holiday=1.0),
    )
    incidents = tuple(
        attrs.evolve(i, committee="town_a_r1") for i in sc.incidents if i.id == "rain_a"
    )
    district = attrs.evolve(sc.district, towns=towns, community=community)
    return attrs.evolve(sc, district=district, incidents=incidents)


def test_the_committee_is_instructed_once_the_towns_link_starts_its_level() -> None:
    # The town room knows of rain_a at 22 (its link's level), before the onset
    # (60): the committee acts 30 minutes after the onset (90, +30).  Without
    # the town's link the room knows at its triage of the hotline's report
    # (70 + 4 = 74): the committee acts at 104 (+44).
    linked = simulate(_with_committee(base()), 0).metrics["community"]["rain_a"]
    assert (linked["acting"], linked["actions"]) == (30.0, {"warn": 45.0})
    waiting = with_plan(_with_committee(base()), "town_a_flood", warnings=None)
    unlinked = simulate(waiting, 0).metrics["community"]["rain_a"]
    assert (unlinked["acting"], unlinked["actions"]) == (44.0, {"warn": 59.0})


def test_the_districts_link_instructs_a_committee_the_district_room_handles() -> None:
    # rain_b in a committee of town_b, which has no town plan: the district
    # room handles it and knows of it at 23 (its link's IV), before the onset
    # (60), so the committee acts 30 minutes after the onset (+30); without
    # the district's link it waits for the district room's triage of the
    # first report: hotline 70, town_b's triage 74 and forward 79, the
    # district's triage 84, acting 114 (+54).
    committee = Committee(id="town_b_r1", officers=0, handbook=False)
    sc = _with_committee(base())
    towns = tuple(
        attrs.evolve(t, committees=(committee,)) if t.id == "town_b" else t
        for t in sc.district.towns
    )
    rain_b = next(i for i in base().incidents if i.id == "rain_b")
    sc = attrs.evolve(
        sc,
        district=attrs.evolve(sc.district, towns=towns),
        incidents=(attrs.evolve(rain_b, committee="town_b_r1"),),
    )
    linked = simulate(sc, 0).metrics["community"]["rain_b"]
    assert linked["acting"] == 30.0
    unlinked = simulate(with_plan(sc, "district_flood", warnings=None), 0)
    assert unlinked.metrics["community"]["rain_b"]["acting"] == 54.0
