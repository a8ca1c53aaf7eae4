"""Which levels a plan is put at (PlanChoice.reach), and the duties at levels
it never reaches: CMD025 (call-ins), CMD044 (reports), CMD045 (follow-ups on
level changes of a one-level plan).

``reach`` is held to the engine: on generated scenarios every level a run
puts in force under a plan is one ``reach`` names, and a run of a hand-made
drill calls none of the reports and officers the checks say never run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

import cmdsim.io as io
from cmdsim.check import check
from cmdsim.check.reach import check_reach, levels_text
from cmdsim.check.words import render
from cmdsim.model import (
    Acceptance,
    Command,
    Condition,
    District,
    DutyRoom,
    Escalation,
    Hazard,
    Incident,
    Level,
    LevelResponse,
    MergeRule,
    Plan,
    PlanKind,
    PlanTier,
    ReportDeadline,
    Scenario,
    SeverityPoint,
    Signal,
    Town,
    Trigger,
    Unit,
    WarningLink,
)
from cmdsim.model.governing import PlanChoice
from cmdsim.model.plans import Reinforce, ReportOn, ReportStage
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate

HERE = Path(__file__).resolve().parent
TWO_HAZARDS = HERE.parent / "sim" / "two_hazards.yaml"

IV, III, II, I = Level.IV, Level.III, Level.II, Level.I  # noqa: E741


def _trigger(level: Level, text: str = "deaths >= 0") -> Trigger:
    return Trigger(level, any_of=(Condition.parse(text),))


def _district(*plans: Plan, towns: tuple[Town, ...] = ()) -> District:
    return District(
        id="d",
        hazards=(Hazard(id="gas"), Hazard(id="fire")),
        units=(Unit(id="office"),),
        commands=(
            Command(id="gas_hq", lead_unit="office"),
            Command(id="fire_hq", lead_unit="office"),
        ),
        towns=towns,
        plans=plans,
    )


def _plan(ident: str, hazard: str, *levels: Level, **kw: object) -> Plan:
    kw.setdefault("triggers", tuple(_trigger(level) for level in levels))
    return Plan(id=ident, hazards=(hazard,), lead=f"{hazard}_hq", **kw)  # type: ignore[arg-type]


def _reach(district: District, index: int) -> set[Level]:
    return set(PlanChoice(district).reach(district.plans[index]))


# --- reach ------------------------------------------------------------------------


def test_a_plans_triggers_raise_flags_and_warning_link_set_its_levels() -> None:
    assert _reach(_district(_plan("gas", "gas", IV, III)), 0) == {IV, III}
    # A flag raises each trigger's level by one.
    assert _reach(_district(_plan("gas", "gas", IV, III, raise_flags=("holiday",))), 0) == {
        IV,
        III,
        II,
    }
    link = WarningLink(levels={Signal.BLUE: IV, Signal.RED: I})
    assert _reach(_district(_plan("gas", "gas", IV, warnings=link)), 0) == {IV, I}


def test_a_plan_that_governs_nothing_reaches_no_level() -> None:
    # The second plan for gas: the first governs every gas incident.
    d = _district(_plan("gas", "gas", IV), _plan("gas_2", "gas", IV, III, II))
    assert _reach(d, 1) == set()


def test_a_merge_rule_lifts_the_leading_plan_to_its_sub_incidents_levels() -> None:
    rule = MergeRule(id="site", hazards=("gas", "fire"))
    d = _district(_plan("gas", "gas", IV, merge=(rule,)), _plan("fire", "fire", IV, II))
    # Gas leads a site with a fire: the fire plan's triggers set the case's level.
    assert _reach(d, 0) == {IV, II}
    # The fire plan never leads a merged case with gas in it.
    assert _reach(d, 1) == {IV, II}
    rule = MergeRule(id="site", hazards=("fire", "gas"))
    d = _district(_plan("gas", "gas", IV, merge=(rule,)), _plan("fire", "fire", IV, II))
    assert _reach(d, 0) == {IV}


def test_a_run_puts_the_leading_plan_at_its_merged_plans_level() -> None:
    """The engine's side of the merge: the flood plan, whose triggers set
    only IV, leads a site where the gas leak's plan sets III, and the case
    goes to III under the flood plan, as its reach says."""
    scenario = io.load_scenario(TWO_HAZARDS)
    flood, *others = scenario.district.plans
    flood = attrs.evolve(flood, merge=(MergeRule(id="site", hazards=("flood", "gas")),))
    district = attrs.evolve(scenario.district, plans=(flood, *others))
    incidents = tuple(attrs.evolve(i, site="site_1") for i in scenario.incidents)
    scenario = attrs.evolve(scenario, district=district, incidents=incidents)
    assert {t.level for t in flood.triggers} == {IV}
    assert PlanChoice(district).reach(flood) == {IV, III}
    raised = simulate(scenario, seed=0).of_kind("level_escalated")
    assert [(dict(e.details)["plan"], dict(e.details)["level"]) for e in raised] == [
        ("flood_plan", "III")
    ]


ROOM = DutyRoom(id="east_room")
EAST = Town(id="east", duty_room=ROOM)


def _town(*levels: Level, **kw: object) -> Plan:
    return Plan(
        id="east_gas",
        tier=PlanTier.TOWN,
        town="east",
        hazards=("gas",),
        lead="gas_hq",
        triggers=tuple(_trigger(level) for level in levels),
        **kw,  # type: ignore[arg-type]
    )


def test_a_town_plan_is_never_above_its_top_when_it_hands_over() -> None:
    flagged = _town(IV, raise_flags=("holiday",))
    # Its own IV, raised to III by a flag, is held at IV: beyond it the case
    # is handed over; the district plan's III, set at the town room while
    # the town's triggers fire lower, is beyond the top too.
    d = _district(flagged, _plan("gas", "gas", IV, III), towns=(EAST,))
    assert _reach(d, 0) == {IV}
    assert _reach(d, 1) == {IV, III}
    # A top of III: the district plan's III is decided at the town room.
    d = _district(_town(IV, III), _plan("gas", "gas", III, II), towns=(EAST,))
    assert _reach(d, 0) == {IV, III}
    # Nowhere to hand over: the flag lifts it past its top.
    assert _reach(_district(flagged, towns=(EAST,)), 0) == {IV, III}
    # Without a duty room the town plan decides nothing where a district
    # plan names the hazard; alone, the district room decides by it.
    bare = (Town(id="east"),)
    assert _reach(_district(flagged, _plan("gas", "gas", IV), towns=bare), 0) == set()
    assert _reach(_district(flagged, towns=bare), 0) == {IV, III}


def test_a_successor_is_put_at_the_levels_of_the_link_a_signal_comes_by() -> None:
    # The town plan hands a gas incident to `after`, which names no hazard;
    # a signal still comes by the link of the district room's plan for gas,
    # and sets the case's level under `after`.
    link = WarningLink(levels={Signal.BLUE: IV, Signal.ORANGE: II})
    town = _town(IV, escalation=Escalation(hand_over=("after",)))
    after = Plan(id="after", lead="gas_hq", triggers=(_trigger(IV),))
    d = _district(town, _plan("gas", "gas", IV, warnings=link), after, towns=(EAST,))
    assert _reach(d, 2) == {IV, II}
    # Its own link is never the one a signal comes by.
    own = attrs.evolve(after, warnings=WarningLink(levels={Signal.RED: I}))
    d = _district(town, _plan("gas", "gas", IV), own, towns=(EAST,))
    assert _reach(d, 2) == {IV}


def test_a_town_room_puts_a_merged_site_at_its_sub_incidents_town_link() -> None:
    rule = MergeRule(id="site", hazards=("gas", "fire"))
    fire = Plan(
        id="east_fire",
        tier=PlanTier.TOWN,
        town="east",
        hazards=("fire",),
        lead="fire_hq",
        triggers=(_trigger(IV), _trigger(III, "deaths >= 3")),
        warnings=WarningLink(levels={Signal.BLUE: III}),
    )
    d = _district(_town(IV), fire, _plan("gas", "gas", IV, merge=(rule,)), towns=(EAST,))
    # The gas plan's case at the town room takes the fire plan's linked III.
    assert _reach(d, 0) == {IV, III}


def test_adding_a_trigger_never_lowers_what_any_plan_reaches() -> None:
    base = (
        _town(IV, escalation=Escalation(hand_over=("gas",))),
        _plan("gas", "gas", IV, merge=(MergeRule(id="site", hazards=("gas", "fire")),)),
        _plan("fire", "fire", IV),
    )
    before = [_reach(_district(*base, towns=(EAST,)), i) for i in range(3)]
    for index in range(3):
        for level in Level:
            plans = list(base)
            plans[index] = attrs.evolve(
                plans[index], triggers=(*plans[index].triggers, _trigger(level))
            )
            d = _district(*plans, towns=(EAST,))
            for i in range(3):
                assert before[i] <= _reach(d, i), (index, level, i)


FLOOD_TOWN = "town_a"
BASE = io.load_scenario(TWO_HAZARDS)


@st.composite
def _drills(draw: st.DrawFn) -> Scenario:
    """The two-hazard drill with drawn plans (district and town tiers, raise
    flags, warning links, hand-overs, a merge rule) and incidents whose
    deaths, signals, sites and flags set their levels."""
    ids = [f"p{i}" for i in range(draw(st.integers(1, 4)))]
    plans = []
    for index, pid in enumerate(ids):
        tier = draw(st.sampled_from([PlanTier.DISTRICT, PlanTier.TOWN]))
        triggers = tuple(
            _trigger(level, f"deaths >= {k}")
            for level, k in draw(
                st.lists(st.tuples(st.sampled_from(list(Level)), st.integers(0, 6)), max_size=3)
            )
        )
        top = max((t.level for t in triggers), default=None)
        link = None
        if draw(st.booleans()):
            if tier is PlanTier.DISTRICT:
                link = WarningLink(
                    levels={Signal.BLUE: IV, Signal.ORANGE: draw(st.sampled_from([III, II, I]))}
                )
            elif top is not None:
                link = WarningLink(levels={Signal.BLUE: IV})
        merge = ()
        if index == 0 and draw(st.integers(0, 3)):
            merge = (MergeRule(id="site", hazards=tuple(draw(st.permutations(["flood", "gas"])))),)
        kind = draw(st.sampled_from([PlanKind.SPECIAL, PlanKind.GENERAL]))
        # A district's general plan is led by the general HQ, if by any.
        general = kind is PlanKind.GENERAL and tier is PlanTier.DISTRICT
        plans.append(
            Plan(
                id=pid,
                kind=kind,
                tier=tier,
                town=FLOOD_TOWN if tier is PlanTier.TOWN else None,
                hazards=tuple(draw(st.lists(st.sampled_from(["flood", "gas"]), unique=True))),
                lead=draw(
                    st.sampled_from(["general_hq", None] if general else ["hq", "gas_hq", None])
                ),
                triggers=triggers,
                raise_flags=tuple(draw(st.lists(st.just("major_event"), max_size=1))),
                warnings=link,
                escalation=Escalation(
                    reassess=Fixed(20.0),
                    hold=20.0,
                    hand_over=tuple(draw(st.lists(st.sampled_from(ids), unique=True, max_size=1))),
                    hand_back=tier is PlanTier.TOWN and draw(st.booleans()),
                ),
                merge=merge,
            )
        )
    incidents = []
    for index in range(draw(st.integers(1, 3))):
        points = []
        at = 0.0
        for deaths in draw(st.lists(st.integers(0, 6), min_size=1, max_size=3)):
            signal = draw(st.none() | st.sampled_from(list(Signal)))
            points.append(SeverityPoint(at=at, deaths=float(deaths), signal=signal))
            at += draw(st.integers(10, 120))
        incidents.append(
            Incident(
                id=f"incident_{index}",
                hazard=draw(st.sampled_from(["flood", "gas"])),
                town=draw(st.sampled_from([FLOOD_TOWN, "town_b"])),
                onset=BASE.start + dt.timedelta(minutes=draw(st.integers(0, 120))),
                site=draw(st.sampled_from([None, "site_1", "site_1"])),
                flags=tuple(draw(st.lists(st.just("major_event"), max_size=1))),
                timeline=tuple(points),
            )
        )
    town = Town(id=FLOOD_TOWN, duty_room=DutyRoom(id="town_a_room", triage=Fixed(5.0)))
    # town_b has no duty room: the district room decides its incidents, and
    # merges their sites (a town room merges nothing).
    towns = (town, Town(id="town_b"))
    district = attrs.evolve(BASE.district, towns=towns, plans=tuple(plans))
    return attrs.evolve(BASE, district=district, incidents=tuple(incidents), injects=())


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(_drills())
def test_every_level_a_run_puts_in_force_is_one_reach_names(scenario: Scenario) -> None:
    """Without a report stating a level (an inject's) or a player's choice,
    every level a run puts in force under a plan is one its reach names."""
    choice = PlanChoice(scenario.district)
    plans = {p.id: p for p in scenario.district.plans}
    result = simulate(scenario, seed=0)
    for kind in ("level_decided", "level_escalated", "level_deescalated"):
        for event in result.of_kind(kind):
            details = dict(event.details)
            plan = plans[details["plan"]]
            assert Level(details["level"]) in choice.reach(plan), (kind, details, event)


def test_the_generated_drills_put_levels_in_force() -> None:
    """The property above is not empty: its drills decide levels, under town
    plans too, and above a plan's own triggers (a flag, a merged plan)."""
    seen: dict[str, int] = {"levels": 0, "town": 0, "beyond_triggers": 0}

    @settings(max_examples=60, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_drills())
    def count(scenario: Scenario) -> None:
        plans = {p.id: p for p in scenario.district.plans}
        for event in simulate(scenario, seed=0).of_kind("level_decided"):
            details = dict(event.details)
            plan = plans[details["plan"]]
            seen["levels"] += 1
            seen["town"] += plan.tier is PlanTier.TOWN
            seen["beyond_triggers"] += details["level"] not in {
                t.level.value for t in plan.triggers
            }

    count()
    assert all(seen.values()), seen


# --- the findings -------------------------------------------------------------------


def _found(district: District) -> list[tuple[str, str, str]]:
    return [(f.code, f.path, f.message) for f in check_reach(district)]


def test_a_report_above_every_level_the_plan_reaches_never_runs() -> None:
    reports = (
        ReportDeadline(id="phone_report"),
        ReportDeadline(id="serious_report", min_level=II),
        ReportDeadline(id="final_report", stage=ReportStage.FINAL, min_level=III),
    )
    d = _district(_plan("gas", "gas", IV, III, reports=reports), _plan("fire", "fire", IV))
    assert _found(d) == [
        (
            "CMD044",
            "plans[0].reports[1].min_level",
            "report 'serious_report' is for level II and above, but plan 'gas' is only ever at "
            "levels IV and III: the report is never called for",
        )
    ]
    # A flag raises III to II: the report runs on a holiday.
    flagged = _plan("gas", "gas", IV, III, reports=reports, raise_flags=("holiday",))
    assert _found(_district(flagged)) == []


def test_a_call_in_above_every_level_the_plan_reaches_never_happens() -> None:
    levels = {
        IV: LevelResponse(reinforce=(Reinforce("district_duty_room", 1),)),
        II: LevelResponse(reinforce=(Reinforce("district_duty_room", 3),)),
    }
    d = _district(_plan("gas", "gas", IV, III, levels=levels))
    assert _found(d) == [
        (
            "CMD025",
            "plans[0].levels.II.reinforce[0]",
            "plan 'gas' calls 3 officers in to district_duty_room at level II, but is only ever "
            "at levels IV and III: a call-in is in force at its level and above, so these "
            "officers are never called in",
        )
    ]
    # A call-in at a level the plan skips is in force at the levels above it.
    skip = {III: LevelResponse(reinforce=(Reinforce("district_duty_room", 2),))}
    assert _found(_district(_plan("gas", "gas", IV, II, levels=skip))) == []


def test_a_follow_up_on_level_changes_of_a_one_level_plan() -> None:
    on_level = ReportDeadline(
        id="follow_up", stage=ReportStage.FOLLOW_UP, upon=(ReportOn.CASUALTIES, ReportOn.LEVEL)
    )
    d = _district(_plan("gas", "gas", IV, reports=(on_level,)))
    ((code, path, message),) = _found(d)
    assert (code, path) == ("CMD045", "plans[0].reports[0].upon[1]")
    assert message.startswith(
        "report 'follow_up' follows each change of level (upon: [level]), but plan 'gas' is only "
        "ever at level IV: its level never rises or falls while a response runs"
    )
    # Two levels: the level changes, and the report follows it.
    assert _found(_district(_plan("gas", "gas", IV, III, reports=(on_level,)))) == []
    # A report on casualties alone is not about levels.
    casualties = attrs.evolve(on_level, upon=(ReportOn.CASUALTIES,))
    assert _found(_district(_plan("gas", "gas", IV, reports=(casualties,)))) == []


def test_a_plan_that_governs_nothing_is_left_to_cmd006() -> None:
    serious = ReportDeadline(id="serious_report", min_level=I)
    d = _district(_plan("gas", "gas", IV), _plan("gas_2", "gas", IV, reports=(serious,)))
    assert _found(d) == []
    assert "CMD006" in check(d).codes()


def test_levels_text_reads_lowest_first() -> None:
    assert render(levels_text(frozenset({III}))) == "level III"
    assert render(levels_text(frozenset({I, IV, III}))) == "levels IV, III and I"
    assert render(levels_text(frozenset({I, IV, III})), "zh") == "IV、III和I 级"


def test_the_findings_are_located_and_accepted_by_the_district(tmp_path: Path) -> None:
    drill = _drill(tmp_path)
    loaded = io.load_with_locations(drill)
    report = check(loaded.value, loaded.locations)
    found = {f.code: f for f in report.findings if f.code in ("CMD025", "CMD044", "CMD045")}
    assert set(found) == {"CMD025", "CMD044", "CMD045"}
    lines = drill.read_text(encoding="utf-8").splitlines()
    for code, item in found.items():
        assert item.file is not None and item.line is not None
        assert f"# {code}" in lines[item.line - 1], (code, item.line)
    accept = (
        Acceptance("CMD044", "kept for the city's template", plan="flood_plan"),
        Acceptance("CMD025", "kept for the city's template", plan="flood_plan"),
    )
    scenario = loaded.value
    assert isinstance(scenario, Scenario)
    district = attrs.evolve(scenario.district, accept=accept)
    accepted = check(attrs.evolve(scenario, district=district), loaded.locations)
    marked = {f.code: f.accepted for f in accepted.findings}
    assert marked["CMD044"] is not None and marked["CMD025"] is not None
    assert marked["CMD045"] is None


# --- a run agrees ---------------------------------------------------------------------

FLOOD = (
    '      triggers: [{level: IV, any_of: ["rainfall >= 10"]}]\n'
    "      levels:\n"
    "        IV: {}\n"
    "        III:  # the plan is never at III\n"
    "          reinforce: [{room: district_duty_room, officers: 2}]  # CMD025\n"
    "      reports:\n"
    "        - {id: phone_report, within: 30, duration: 5}\n"
    "        - {id: serious_report, within: 30, duration: 5, min_level: III}  # CMD044\n"
    "        - {id: level_report, stage: follow_up, upon: [level], within: 60, duration: 5}"
    "  # CMD045\n"
)


def _drill(tmp_path: Path) -> Path:
    """The two-hazard drill with a flood plan that is only ever at level IV."""
    text = TWO_HAZARDS.read_text(encoding="utf-8")
    old = '      triggers: [{level: IV, any_of: ["rainfall >= 10"]}]\n      levels: {IV: {}}\n'
    assert old in text
    path = tmp_path / "drill.yaml"
    path.write_text(text.replace(old, FLOOD), encoding="utf-8")
    return path


def test_a_run_calls_none_of_the_reports_and_officers_the_check_says_never_run(
    tmp_path: Path,
) -> None:
    result = simulate(io.load_scenario(_drill(tmp_path)), seed=0)
    # The flood plan decided its IV and closed (the rain stops): its phone
    # report ran, the level report and the serious one never did, and no
    # officer was called in.
    first = result.of_kind("level_decided")[0]
    assert dict(first.details)["plan"] == "flood_plan"
    assert result.of_kind("response_closed")
    called = {dict(e.details)["deadline"] for e in result.of_kind("report_sent")}
    assert "phone_report" in called
    assert not called & {"serious_report", "level_report"}
    assert result.of_kind("officers_called") == ()
