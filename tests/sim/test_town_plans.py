"""Town-tier plans in the engine: the town room decides first, then hands over.

The scenario is ``town_plan.yaml`` next to this file; its header works the
timeline out by hand.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdsim.analysis.fastpath import permits
from cmdsim.io import load_scenario
from cmdsim.model import Level
from cmdsim.model.conditions import Condition, Trigger
from cmdsim.model.organisation import Receiver
from cmdsim.model.plans import Plan
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import Exponential, Fixed
from cmdsim.sim import simulate

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


def town_scenario() -> Scenario:
    return load_scenario(HERE / "town_plan.yaml")


def _plans(sc: Scenario, *plans: Plan) -> Scenario:
    return attrs.evolve(sc, district=attrs.evolve(sc.district, plans=plans))


def _without_hand_over(plan: Plan) -> Plan:
    return attrs.evolve(plan, escalation=attrs.evolve(plan.escalation, hand_over=()))


def _moves(result: Any) -> list[tuple[float, str]]:
    """When the case passed between the rooms: hand-overs, hand-backs, take-backs."""
    return [
        (e.time, e.kind)
        for e in result.events
        if e.kind in ("plan_handed_over", "plan_handed_back", "plan_taken_back")
    ]


def _hand_back_with_slow_channel(delay: float) -> Scenario:
    """``town_hand_back.yaml`` with a second channel to the town room, ``delay`` slow."""
    from cmdsim.model.organisation import Channel

    sc = load_scenario(HERE / "town_hand_back.yaml")
    slow = Channel(id="slow_post", delay=Fixed(delay), miss=0.0, to=Receiver.TOWN)
    return attrs.evolve(
        sc, district=attrs.evolve(sc.district, channels=(*sc.district.channels, slow))
    )


def _with_district_reports(tmp_path: Path, reports: str, timeline: str | None = None) -> Scenario:
    """``town_plan.yaml`` with ``reports`` (YAML list items) on the district
    plan and, if given, ``timeline`` (YAML points) instead of its first point."""
    text = (HERE / "town_plan.yaml").read_text(encoding="utf-8")
    old = "      reports: []\n    - id: town_a_gas"
    assert old in text
    text = text.replace(old, f"      reports:{reports}\n    - id: town_a_gas", 1)
    if timeline is not None:
        first = "      - {at: 0, deaths: 0}   # town level IV"
        assert first in text
        text = text.replace(first, timeline, 1)
    path = tmp_path / "town_plan_variant.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


def _sent(result: Any, deadline: str) -> list[tuple[float, str]]:
    """When and by whom each report of ``deadline`` was sent."""
    return [
        (e.time, e.actor)
        for e in result.events
        if e.kind == "report_sent" and e.detail("deadline") == deadline
    ]


def test_town_level_then_hand_over_to_the_district() -> None:
    result = simulate(town_scenario(), seed=0)
    assert [(e.time, e.kind, e.actor) for e in result.events] == [
        (60.0, "onset", "leak"),
        # town hotline 10, town triage 4 (74); forwarded upward 5 -> district aware at 79
        (79.0, "report_forwarded", "town_a_duty_room"),
        (79.0, "aware", "district_duty_room"),
        # town approval 6 after triage: the town room declares the town plan's level IV
        (80.0, "level_decided", "town_a_duty_room"),
        (80.0, "hq_notified", "town_a_hq"),
        (80.0, "task_assigned", "town_office"),
        (80.0, "task_started", "town_office"),
        (92.0, "task_done", "town_office"),
        (95.0, "post_filled", "town_a_hq"),
        (95.0, "hq_activated", "town_a_hq"),
        (95.0, "hq_active_for", "town_a_hq"),
        # three dead at minute 120: the hotline's report reaches the town room at 130,
        # triaged at 134: the district plan warrants III, above the town plan's top (IV);
        # the hand-over goes up like a report, in the town room's forward delay (5)
        (120.0, "severity", "leak"),
        (134.0, "report_merged", "town_a_duty_room"),
        (134.0, "hand_over_requested", "town_a_duty_room"),
        (139.0, "report_forwarded", "town_a_duty_room"),
        (139.0, "report_received", "district_duty_room"),
        (139.0, "plan_handed_over", "district_duty_room"),
        (144.0, "report_merged", "district_duty_room"),
        # district approval 8 after the hand-over; the district HQ's commander 20 later
        (147.0, "level_decided", "district_duty_room"),
        (147.0, "hq_notified", "gas_hq"),
        (167.0, "post_filled", "gas_hq"),
        (167.0, "hq_activated", "gas_hq"),
        (167.0, "hq_active_for", "gas_hq"),
    ]
    requested = next(e for e in result.events if e.kind == "hand_over_requested")
    assert (requested.detail("to"), requested.detail("level")) == ("district_gas", "III")
    decided = [
        (e.detail("plan"), e.detail("level")) for e in result.events if e.kind == "level_decided"
    ]
    assert decided == [("town_a_gas", "IV"), ("district_gas", "III")]
    handed = next(e for e in result.events if e.kind == "plan_handed_over")
    assert (handed.detail("from"), handed.detail("to"), handed.detail("level")) == (
        "town_a_gas",
        "district_gas",
        "IV",
    )
    m = result.metrics["incident"]["leak"]
    assert (m["town_plan"], m["plan"], m["lead"]) == ("town_a_gas", "district_gas", "gas_hq")
    assert (m["aware"], m["level_decided"], m["level"], m["peak_level"]) == (
        19.0,
        20.0,
        "IV",
        "III",
    )
    assert m["handed_over"] == 79.0
    assert m["hq"]["town_a_hq"]["activated"] == 35.0
    assert m["hq"]["gas_hq"]["notified"] == 87.0 and m["hq"]["gas_hq"]["activated"] == 107.0
    assert m["deadline"]["cordon"]["due"] == 65.0  # 30 after the town HQ is active (95)


def test_district_reports_are_passed_down_to_the_town_room() -> None:
    # The hotline goes to the district room (aware 70, triaged 75), which passes the
    # report down: the town room approves (6) and declares IV at 81.  The deaths'
    # report is triaged at the district room at 135 and passed down; the town
    # room hands over at once, which reaches the district room 5 later (140).
    sc = town_scenario()
    hotline = attrs.evolve(sc.district.channels[0], to=Receiver.DISTRICT)
    result = simulate(attrs.evolve(sc, district=attrs.evolve(sc.district, channels=(hotline,))))
    decided = [
        (e.time, e.actor, e.detail("level"))
        for e in result.events
        if e.kind in ("level_decided", "plan_handed_over")
    ]
    assert decided == [
        (81.0, "town_a_duty_room", "IV"),
        (140.0, "district_duty_room", "IV"),  # the hand-over, at the town's level
        (148.0, "district_duty_room", "III"),
    ]


def test_without_hand_over_the_district_plan_takes_over() -> None:
    sc = town_scenario()
    district_gas, town_gas = sc.district.plans
    result = simulate(_plans(sc, district_gas, _without_hand_over(town_gas)))
    handed = [(e.time, e.detail("to")) for e in result.events if e.kind == "plan_handed_over"]
    assert handed == [(139.0, "district_gas")]
    assert result.metrics["incident"]["leak"]["plan"] == "district_gas"


def test_required_level_is_the_governing_plans() -> None:
    """Under a town plan the required level is the town room's on full
    knowledge: the town plan's own level while the incident stays within it."""
    sc = town_scenario()
    district_gas, town_gas = sc.district.plans
    town_iii = attrs.evolve(
        town_gas,
        triggers=(*town_gas.triggers, Trigger(Level.III, (Condition.parse("deaths >= 2"),))),
    )
    two_dead = attrs.evolve(
        sc.incidents[0],
        timeline=(SeverityPoint(at=0.0, deaths=0), SeverityPoint(at=60.0, deaths=2)),
    )
    sc = attrs.evolve(_plans(sc, district_gas, town_iii), incidents=(two_dead,))
    m = simulate(sc, 0).metrics["incident"]["leak"]
    # The district plan alone would require IV for two deaths; the town plan
    # governs and escalates to its own III.
    assert (m["plan"], m["handed_over"], m["peak_level"]) == ("town_a_gas", None, "III")
    assert m["required_level"] == "III"
    # Three dead outgrow it: the successor's III is required, and reached.
    m = simulate(town_scenario(), 0).metrics["incident"]["leak"]
    assert (m["required_level"], m["peak_level"], m["plan"]) == ("III", "III", "district_gas")


def test_nothing_to_hand_over_to_the_town_plan_keeps_the_incident() -> None:
    sc = town_scenario()
    result = simulate(_plans(sc, _without_hand_over(sc.district.plans[1])))
    kinds = [e.kind for e in result.events]
    assert "plan_handed_over" not in kinds and "gas_hq" not in {e.actor for e in result.events}
    m = result.metrics["incident"]["leak"]
    assert (m["plan"], m["handed_over"], m["peak_level"]) == ("town_a_gas", None, "IV")


def test_town_plan_without_a_duty_room_leaves_the_district_in_charge() -> None:
    sc = town_scenario()
    town = attrs.evolve(sc.district.towns[0], duty_room=None)
    hotline = attrs.evolve(sc.district.channels[0], to=Receiver.DISTRICT)
    district = attrs.evolve(sc.district, towns=(town,), channels=(hotline,))
    result = simulate(attrs.evolve(sc, district=district))
    assert {e.detail("plan") for e in result.events if e.kind == "level_decided"} == {
        "district_gas"
    }
    assert "town_plan" not in result.metrics["incident"]["leak"]


def test_fast_path_refuses_town_plans() -> None:
    reason = permits(town_scenario(), ["incident.leak.level_decided"], unlimited=True)
    assert reason is not None and "town plan town_a_gas" in reason


GOLDEN = HERE / "golden"
GOLDEN_RUNS = [
    (name, seed)
    for name in ("compound-typhoon", "flood-typhoon", "gas", "traffic", "typhoon-landfall")
    for seed in (0, 1)
]


@pytest.mark.parametrize(("name", "seed"), GOLDEN_RUNS)
def test_bundled_scenarios_unchanged(name: str, seed: int) -> None:
    """The bundled scenarios give the pinned results: each run's metrics as
    readable JSON, plus the SHA-256 of the whole result (events included),
    taken at the last intended change.  A change here must be meant, and said
    in the CHANGELOG; ``CMDSIM_UPDATE_GOLDEN=1`` re-pins after reading the diff.
    """
    result = simulate(load_scenario(ROOT / "scenarios" / f"{name}.yaml"), seed)
    got = {
        "sha256": hashlib.sha256(result.to_json().encode()).hexdigest(),
        "metrics": json.loads(json.dumps(result.metrics, sort_keys=True)),
    }
    path = GOLDEN / f"{name}-{seed}.json"
    text = json.dumps(got, indent=1, sort_keys=True) + "\n"
    if os.environ.get("CMDSIM_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    want = path.read_text(encoding="utf-8")
    if text != want:
        diff = "".join(
            difflib.unified_diff(
                want.splitlines(keepends=True), text.splitlines(keepends=True), str(path), "now"
            )
        )
        pytest.fail(f"{name} seed {seed} differs from its golden run:\n{diff[:6000]}")


delays = st.one_of(
    st.floats(0.0, 20.0).map(Fixed),
    st.floats(1.0, 20.0).map(lambda m: Exponential(mean=m)),
)


@st.composite
def town_scenarios(draw: st.DrawFn) -> Scenario:
    sc = town_scenario()
    district_gas, town_gas = sc.district.plans
    n = draw(st.integers(1, 4))
    times = sorted(draw(st.lists(st.floats(1, 200), min_size=n - 1, max_size=n - 1)))
    deaths = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    timeline = tuple(
        SeverityPoint(at=t, deaths=d) for t, d in zip([0.0, *times], deaths, strict=True)
    )
    incident = attrs.evolve(sc.incidents[0], timeline=timeline)
    plans = draw(
        st.sampled_from(
            [
                (district_gas, town_gas),
                (district_gas, _without_hand_over(town_gas)),
                (_without_hand_over(town_gas),),
            ]
        )
    )
    hotline = attrs.evolve(
        sc.district.channels[0],
        delay=draw(delays),
        to=draw(st.sampled_from(list(Receiver))),
    )
    room = sc.district.duty_room
    room = attrs.evolve(room, approval=draw(delays), triage=draw(delays))
    town = sc.district.towns[0]
    assert town.duty_room is not None
    town_room = attrs.evolve(town.duty_room, approval=draw(delays), forward=draw(delays))
    district = attrs.evolve(
        sc.district,
        plans=plans,
        channels=(hotline,),
        duty_room=room,
        towns=(attrs.evolve(town, duty_room=town_room),),
    )
    return attrs.evolve(sc, district=district, incidents=(incident,))


def _level(plan: Plan, known: dict[str, Any]) -> Level | None:
    return plan.level_for(known)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(town_scenarios(), st.integers(0, 2**32 - 1))
def test_no_level_beyond_what_the_governing_plan_allows(sc: Scenario, seed: int) -> None:
    result = simulate(sc, seed)
    plans = {p.id: p for p in sc.district.plans}
    town_gas = plans["town_a_gas"]
    above = plans.get("district_gas")
    handed = [e.time for e in result.events if e.kind == "plan_handed_over"]
    assert len(handed) <= 1, "one hand-over at most"
    for e in result.events:
        if e.kind not in ("level_decided", "level_escalated"):
            continue
        level = Level(e.detail("level"))
        known = dict(e.detail("known"))
        plan = plans[e.detail("plan")]
        if plan is town_gas:
            # the town room, within the town plan's top level; after a hand-over only
            # its first response (a first news already beyond the town plan)
            assert e.actor == "town_a_duty_room"
            assert not (handed and e.time > handed[0]) or e.kind == "level_decided"
            assert level <= Level.IV
            allowed = [x for x in (_level(town_gas, known), above and _level(above, known)) if x]
            assert allowed and level <= max(allowed)
        else:
            # the district room, only after the hand-over, within the district plan
            assert e.actor == "district_duty_room" and handed and e.time >= handed[0]
            warranted = _level(plan, known)
            assert warranted is not None and level <= warranted


def test_hand_over_then_hand_back() -> None:
    """Town decision -> town activation -> hand-over -> hand-back, timed by
    hand in the header of ``town_hand_back.yaml``."""
    result = simulate(load_scenario(HERE / "town_hand_back.yaml"), seed=0)
    assert [(e.time, e.kind, e.actor) for e in result.events] == [
        (60.0, "onset", "leak"),
        (79.0, "report_forwarded", "town_a_duty_room"),
        (79.0, "aware", "district_duty_room"),
        (80.0, "level_decided", "town_a_duty_room"),  # town plan, level IV
        (80.0, "hq_notified", "town_a_hq"),
        (95.0, "post_filled", "town_a_hq"),
        (95.0, "hq_activated", "town_a_hq"),
        (95.0, "hq_active_for", "town_a_hq"),
        (120.0, "severity", "leak"),  # 5,000 households: district III
        (134.0, "report_merged", "town_a_duty_room"),
        (134.0, "hand_over_requested", "town_a_duty_room"),
        (139.0, "report_forwarded", "town_a_duty_room"),
        (139.0, "report_received", "district_duty_room"),
        (139.0, "plan_handed_over", "district_duty_room"),
        (144.0, "report_merged", "district_duty_room"),
        (147.0, "level_decided", "district_duty_room"),  # district plan, level III
        (147.0, "hq_notified", "gas_hq"),
        (167.0, "post_filled", "gas_hq"),
        (167.0, "hq_activated", "gas_hq"),
        (167.0, "hq_active_for", "gas_hq"),
        (180.0, "severity", "leak"),  # 200 households: district IV, within the town plan
        (194.0, "report_update", "town_a_duty_room"),
        (199.0, "report_forwarded", "town_a_duty_room"),
        (199.0, "report_received", "district_duty_room"),
        (204.0, "report_update", "district_duty_room"),
        # the district room's reassessment at 207 (147 + 30 + 30) would lower to IV
        (207.0, "plan_handed_back", "district_duty_room"),
        (207.0, "response_closed", "district_duty_room"),
        (207.0, "hq_released", "gas_hq"),
        (207.0, "hq_deactivated", "gas_hq"),
        # the hand-back reaches the town room in the district room's forward delay (5)
        (212.0, "plan_taken_back", "town_a_duty_room"),
    ]
    back = next(e for e in result.events if e.kind == "plan_handed_back")
    assert (back.detail("from"), back.detail("to"), back.detail("level"), back.detail("by")) == (
        "district_gas",
        "town_a_gas",
        "IV",
        "reassessment",  # the lead's, not a lowered signal's
    )
    closed = next(e for e in result.events if e.kind == "response_closed")
    assert closed.detail("by") == "hand_back"
    taken = next(e for e in result.events if e.kind == "plan_taken_back")
    assert (taken.detail("plan"), taken.detail("level")) == ("town_a_gas", "IV")
    m = result.metrics["incident"]["leak"]
    assert (m["town_level"], m["town_level_decided"]) == ("IV", 20.0)
    assert (m["handed_over"], m["handed_back"]) == (79.0, 147.0)
    assert m["hq"]["town_a_hq"]["activated"] == 35.0
    assert m["hq"]["gas_hq"]["activated"] == 107.0


def test_without_hand_back_the_district_lowers_its_own_level() -> None:
    sc = load_scenario(HERE / "town_hand_back.yaml")
    district_gas, town_gas = sc.district.plans
    keep = attrs.evolve(town_gas, escalation=attrs.evolve(town_gas.escalation, hand_back=False))
    result = simulate(_plans(sc, district_gas, keep), seed=0)
    kinds = [(e.time, e.kind, e.actor) for e in result.events]
    assert (207.0, "level_deescalated", "district_duty_room") in kinds
    assert not {"plan_handed_back", "plan_taken_back"} & {e.kind for e in result.events}
    assert result.metrics["incident"]["leak"]["handed_back"] is None


def test_hand_over_again_after_a_hand_back() -> None:
    """Severity rising again after the hand-back goes back up to the district."""
    sc = load_scenario(HERE / "town_hand_back.yaml")
    incident = sc.incidents[0]
    again = attrs.evolve(
        incident,
        timeline=(*incident.timeline, SeverityPoint(at=180.0, households=8000)),
    )
    result = simulate(attrs.evolve(sc, incidents=(again,)), seed=0)
    moves = _moves(result)
    # 8,000 households from minute 240: the town room's reassessment at 242
    # (212 + 30) finds them and hands over again; it reaches the district room at 247.
    assert moves == [
        (139.0, "plan_handed_over"),
        (207.0, "plan_handed_back"),
        (212.0, "plan_taken_back"),
        (247.0, "plan_handed_over"),
    ]
    decided = [(e.time, e.kind) for e in result.events if e.actor == "district_duty_room"]
    assert (255.0, "level_decided") in decided  # approval 8 after the second hand-over
    m = result.metrics["incident"]["leak"]
    assert (m["handed_over"], m["handed_back"]) == (79.0, 147.0)  # the first hand-over


def test_first_news_beyond_the_town_plan_still_gets_the_town_response() -> None:
    """Three dead at once: the town room hands over at once and still declares
    its own level IV, activating the town command (its first response)."""
    sc = town_scenario()
    dead = attrs.evolve(sc.incidents[0], timeline=(SeverityPoint(at=0.0, deaths=3),))
    result = simulate(attrs.evolve(sc, incidents=(dead,)), seed=0)
    seen = [
        (e.time, e.kind, e.actor, e.detail("level"))
        for e in result.events
        if e.kind in ("hand_over_requested", "plan_handed_over", "level_decided", "hq_activated")
    ]
    # hotline 10, triage 4 -> 74: hand-over requested; town approval 6 -> IV at 80;
    # the hand-over reaches the district room at 79, its approval 8 -> III at 87.
    assert seen == [
        (74.0, "hand_over_requested", "town_a_duty_room", "III"),
        (79.0, "plan_handed_over", "district_duty_room", None),
        (80.0, "level_decided", "town_a_duty_room", "IV"),
        (87.0, "level_decided", "district_duty_room", "III"),
        (95.0, "hq_activated", "town_a_hq", None),
        (107.0, "hq_activated", "gas_hq", None),
    ]
    m = result.metrics["incident"]["leak"]
    assert (m["level_decided"], m["level"]) == (20.0, "IV")  # the first decision: the town's
    assert (m["town_level"], m["handed_over"]) == ("IV", 19.0)


def test_the_district_reports_as_soon_as_it_knows_while_a_town_plan_governs(
    tmp_path: Path,
) -> None:
    """急事即报: the district plan's initial reports whose clock runs from
    learning of the incident and that need no level are called for when the
    district room has triaged its first report (84: forwarded at 79, triage
    5), though the town plan still governs; their clock runs from the district
    room's own learning of it (the forwarded report's arrival at 79).  A report that needs
    level III, and one timed from the decision, wait for the district's own
    level after the hand-over (147)."""
    reports = """
        - {id: phone, within: 30, by: district_duty_room, to: city, duration: 3, transmit: 1}
        - {id: serious, within: 30, min_level: III, by: district_duty_room, to: city, duration: 3}
        - {id: after_decision, within: 60, clock: decision, by: district_duty_room,
           to: city, duration: 3}"""
    run_result = simulate(_with_district_reports(tmp_path, reports), seed=0)
    reporting = run_result.record.incidents["leak"].reporting
    phone = reporting["phone"].first
    assert phone is not None
    # called at 84 (district triage), written 3 (87) and sent 1: arrives 88;
    # due 30 after the district room's receipt at 79; times after the onset (60).
    assert (phone.due, phone.arrived, phone.status) == (49.0, 28.0, "on_time")
    for ident in ("serious", "after_decision"):
        first = reporting[ident].first
        assert first is not None and first.arrived is not None
        assert first.arrived >= 147.0 - 60.0, ident
    # The phone report's writing starts at 84, before the hand-over (139).
    sent = _sent(run_result, "phone")
    assert sent == [(87.0, "district_duty_room")], sent


def test_news_older_than_the_hand_back_does_not_raise_the_case_again() -> None:
    """A slow channel (100 minutes) brings the +60 figures (5,000 households,
    observed at minute 120) to the town room at 220, after the district's
    lead found 200 households on the scene and handed the case back (207,
    taken back at 212): the news is older than that finding, so the town
    room neither raises its picture nor hands the case over again (triaged
    at 224).  News observed after the hand-back still counts (the hotline's
    8,000 households in ``test_hand_over_again_after_a_hand_back``)."""
    result = simulate(_hand_back_with_slow_channel(100.0), seed=0)
    moves = _moves(result)
    assert moves == [
        (139.0, "plan_handed_over"),
        (207.0, "plan_handed_back"),
        (212.0, "plan_taken_back"),
    ]
    late = [
        e.time
        for e in result.events
        if e.kind in ("report_merged", "report_update") and e.actor == "town_a_duty_room"
    ]
    assert 224.0 in late, late  # the slow report was triaged, and changed nothing
    assert not any(e.kind == "hand_over_requested" and e.time > 207 for e in result.events)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(0.0, 230.0))
def test_a_slow_channel_never_hands_the_case_over_twice(delay: float) -> None:
    """Truth 100 → 5,000 → 200 households: the case outgrows the town plan
    once and falls back once.  However slowly a second channel brings the
    same news, the town room hands it over exactly once and the district
    hands it back exactly once: news of the old peak arriving after the
    hand-back is older than the lead's finding and raises nothing."""
    kinds = [kind for _, kind in _moves(simulate(_hand_back_with_slow_channel(delay), seed=0))]
    assert kinds.count("plan_handed_over") == 1, kinds
    assert kinds.count("plan_handed_back") == 1, kinds


def test_the_district_follows_up_casualties_it_learns_while_the_town_governs(
    tmp_path: Path,
) -> None:
    """The district plan that reports ahead of its hand-over (急事即报) also
    follows up the casualties it learns while the town plan still governs.
    One death at onset (60), two at +30 (90: within the town plan, whose
    level IV holds up to 2 deaths): the hotline's report reaches the town
    room at 100, triaged 104, forwarded 109; the district room triages it
    at 114 (a rise from 1 to 2: a follow-up, written 3 -> sent 117), long
    before the hand-over (139)."""
    reports = """
        - {id: update, stage: follow_up, upon: [casualties], within: 60,
           by: district_duty_room, to: city, duration: 3}"""
    timeline = "      - {at: 0, deaths: 1}\n      - {at: 30, deaths: 2}"
    result = simulate(_with_district_reports(tmp_path, reports, timeline), seed=0)
    sent = [time for time, _ in _sent(result, "update")]
    handed = next(e.time for e in result.events if e.kind == "plan_handed_over")
    assert handed == 139.0
    assert sent[0] == 117.0, sent


def test_the_districts_first_level_after_reporting_ahead_is_news_to_follow_up(
    tmp_path: Path,
) -> None:
    """续报 "for every new development": the district plan that reported the
    incident ahead of its hand-over (急事即报, phone report at 87) follows
    up its own first level, III after the hand-over (139, approval 8 -> 147;
    written 3 -> sent 150).  Without a report ahead, the first level is what
    the initial report tells: no follow-up for it."""
    follow = """
        - {id: update, stage: follow_up, upon: [level], within: 60,
           by: district_duty_room, to: city, duration: 3}"""
    ahead = """
        - {id: phone, within: 30, by: district_duty_room, to: city, duration: 3, transmit: 1}"""
    result = simulate(_with_district_reports(tmp_path, ahead + follow), seed=0)
    decided = [
        e.time
        for e in result.events
        if e.kind == "level_decided" and e.actor == "district_duty_room"
    ]
    assert decided == [147.0]
    assert _sent(result, "phone") == [(87.0, "district_duty_room")]
    assert _sent(result, "update") == [(150.0, "district_duty_room")]
    at_decision = """
        - {id: phone, within: 30, min_level: III, by: district_duty_room, to: city,
           duration: 3, transmit: 1}"""
    result = simulate(_with_district_reports(tmp_path, at_decision + follow), seed=0)
    assert _sent(result, "update") == []
    # A report ahead still being written (84 + 100, arriving at 185) carries
    # the level decided at 147 itself: no follow-up for it either.
    slow = ahead.replace("duration: 3", "duration: 100")
    result = simulate(_with_district_reports(tmp_path, slow + follow), seed=0)
    assert _sent(result, "phone") == [(184.0, "district_duty_room")]
    assert _sent(result, "update") == []
