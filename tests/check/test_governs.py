"""CMD006–CMD008: plans that govern no incident, and report limits that never apply.

Which plan governs is the engine's choice: the check's copy of it
(``cmdsim.check.governs``) is held to ``sim.compiled.Compiled`` here, on the
bundled drills, on hand-made cases and on generated districts; and a run
shows that a general plan naming no hazard really calls none of its reports.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import hypothesis.strategies as st
from hypothesis import given, settings

import cmdsim.io as io
from cmdsim import bundled
from cmdsim.check import check
from cmdsim.check.governs import (
    check_governs,
    district_plan_for,
    governed,
    successor,
    town_plan_for,
)
from cmdsim.errors import ModelError
from cmdsim.model import (
    Command,
    Condition,
    District,
    DutyRoom,
    Escalation,
    Hazard,
    Level,
    LevelResponse,
    Plan,
    PlanKind,
    PlanTier,
    ReportDeadline,
    Scenario,
    Signal,
    Task,
    Town,
    Trigger,
    Unit,
    WarningLink,
)
from cmdsim.model.plans import ReportLimit, Takeover
from cmdsim.sim import simulate
from cmdsim.sim.compiled import Compiled

HERE = Path(__file__).resolve().parent
TWO_HAZARDS = HERE.parent / "sim" / "two_hazards.yaml"


def _id(plan: object) -> str | None:
    """The id of a ``Plan`` or a ``CompiledPlan`` (``None`` for none)."""
    if plan is None:
        return None
    inner = getattr(plan, "plan", plan)
    return str(inner.id)


def _agrees_with_engine(scenario: Scenario) -> None:
    district = scenario.district
    comp = Compiled(scenario)
    for hazard in (h.id for h in district.hazards):
        for town in [None, *(t.id for t in district.towns)]:
            assert _id(district_plan_for(district, hazard, town)) == _id(
                comp.plan_for(hazard, town)
            ), (hazard, town)
            local = town_plan_for(district, hazard, town)
            engine_local = comp.town_plan_for(hazard, town)
            assert _id(local) == _id(engine_local), (hazard, town)
            if local is not None and engine_local is not None:
                assert _id(successor(district, local, hazard)) == _id(
                    comp.hand_over_to(engine_local, hazard)
                ), (hazard, town)


def test_the_checks_choice_is_the_engines_on_every_bundled_drill() -> None:
    for drill in bundled.drills():
        _agrees_with_engine(io.load_scenario(bundled.path(drill.file)))


def _trigger(level: Level, text: str) -> Trigger:
    return Trigger(level, any_of=(Condition.parse(text),))


ALL = {level: LevelResponse() for level in Level}
EVERY_LEVEL = (
    _trigger(Level.IV, "deaths >= 0"),
    _trigger(Level.III, "deaths >= 3"),
    _trigger(Level.II, "deaths >= 10"),
    _trigger(Level.I, "deaths >= 30"),
)
ROOM = DutyRoom(id="east_room")


def _district(*plans: Plan, towns: tuple[Town, ...] = ()) -> District:
    return District(
        id="d",
        hazards=(Hazard(id="gas"), Hazard(id="fire")),
        units=(Unit(id="office"), Unit(id="gas_company")),
        commands=(
            Command(id="gas_hq", lead_unit="gas_company"),
            Command(id="fire_hq", lead_unit="office"),
            Command(id="general_hq", lead_unit="office", general=True),
        ),
        towns=towns,
        plans=plans,
    )


def _special(hazard: str, **kw: object) -> Plan:
    kw.setdefault("triggers", EVERY_LEVEL)
    return Plan(id=f"{hazard}_plan", hazards=(hazard,), lead=f"{hazard}_hq", levels=ALL, **kw)  # type: ignore[arg-type]


GENERAL = Plan(
    id="general_plan",
    kind=PlanKind.GENERAL,
    lead="general_hq",
    triggers=EVERY_LEVEL,
    levels={Level.I: LevelResponse(activate=("general_hq",))},
    reports=(ReportDeadline(id="daily_report"),),
    takeover=Takeover(min_active=2),
)
IDLE = attrs.evolve(GENERAL, takeover=None)
"""The general plan with no takeover rule: nothing puts it in force but an
incident it governs (with one, a takeover does: sim/general.py)."""


def _found(district: District) -> list[tuple[str, str, str]]:
    return [(f.code, f.path, f.message) for f in check_governs(district)]


def test_a_general_plan_naming_no_hazard_has_duties_that_never_run() -> None:
    d = _district(attrs.evolve(GENERAL, takeover=None), _special("gas"), _special("fire"))
    assert _found(d) == [
        (
            "CMD006",
            "plans[0].reports",
            "plan 'general_plan' governs no incident, so none of its duties ever runs "
            "(1 report (daily_report); level I: 1 HQ(s) to activate): it names no hazard, so "
            "it covers only the hazards no plan names, and "
            "every hazard here has one; the district's incidents are decided by the plans "
            "naming their hazards (gas by 'gas_plan', fire by 'fire_plan')",
        )
    ]
    (found,) = [f for f in check(d).findings if f.code == "CMD006"]
    assert found.severity.value == "warning"


def test_the_general_plan_a_takeover_puts_in_force_has_duties_that_run() -> None:
    # Its takeover rule puts it in force on the incidents taken over
    # (sim/general.py): no CMD006 (CMD026 says its triggers decide nothing,
    # every hazard having its plan).  Without a general HQ to take over, the
    # rule does nothing and the finding stands; a second general plan's rule
    # is not the district's.
    assert [
        code for code, _, _ in _found(_district(GENERAL, _special("gas"), _special("fire")))
    ] == ["CMD026"]
    headless = attrs.evolve(GENERAL, lead=None, levels={Level.I: LevelResponse(notify=("office",))})
    d = _district(headless, _special("gas"), _special("fire"))
    d = attrs.evolve(d, commands=d.commands[:2])
    assert [code for code, *_ in _found(d)] == ["CMD006"]
    second = attrs.evolve(GENERAL, id="second_general")
    found = _found(_district(GENERAL, second, _special("gas"), _special("fire")))
    assert [(code, path) for code, path, _ in found] == [
        ("CMD026", "plans[0].triggers"),
        ("CMD006", "plans[1].reports"),
    ]
    assert "no takeover puts this plan in force, only the district's general plan" in found[1][2]


def test_a_hazard_no_plan_names_is_governed_by_the_general_plan_naming_none() -> None:
    d = _district(GENERAL, _special("gas"))
    # fire has no special plan: the general plan (the "1") governs it, as the
    # coverage matrix counts it, so its duties run.
    assert district_plan_for(d, "fire", None) is GENERAL
    assert _found(d) == []
    # The matrix's gaps are the levels where it has no response.
    (gap,) = [f for f in check(d).findings if f.code == "CMD001"]
    assert gap.message.startswith("hazard 'fire' at level II, III, IV: ")
    # Once every hazard has its special plan, it governs nothing.
    ((code, _, message),) = _found(_district(IDLE, _special("gas"), _special("fire")))
    assert code == "CMD006"
    assert "covers only the hazards no plan names, and every hazard here has one" in message


def test_a_general_plan_governs_what_it_names_or_a_hand_over_names_it() -> None:
    named = attrs.evolve(GENERAL, hazards=("fire",))
    assert _found(_district(named, _special("gas"))) == []
    # Named by a governing town plan's hand-over: it governs what the town hands over.
    town_fire = Plan(
        id="east_fire",
        tier=PlanTier.TOWN,
        town="east",
        hazards=("fire",),
        lead="fire_hq",
        triggers=(EVERY_LEVEL[0],),
        levels={Level.IV: LevelResponse()},
        escalation=Escalation(hand_over=("general_plan",)),
    )
    towns = (Town(id="east", duty_room=ROOM),)
    d = _district(GENERAL, _special("gas"), _special("fire"), town_fire, towns=towns)
    assert "general_plan" in governed(d)
    assert _found(d) == []
    # Without the town's room its plan governs nothing, nor does the plan it hands over to.
    d = _district(IDLE, _special("gas"), _special("fire"), town_fire, towns=(Town(id="east"),))
    assert [(c, p) for c, p, _ in _found(d)] == [
        ("CMD006", "plans[0].reports"),
        ("CMD007", "plans[3].triggers"),
    ]
    assert _found(d)[1][2] == (
        "plan 'east_fire' governs no incident, so its triggers and levels decide nothing: "
        "fire: town 'east' has no duty room to run a town plan"
    )


def test_a_second_plan_for_a_hazard_governs_nothing() -> None:
    second = Plan(
        id="gas_tasks",
        hazards=("gas",),
        lead="gas_hq",
        levels={Level.IV: LevelResponse(tasks=(Task(id="valves", unit="gas_company"),))},
    )
    ((code, path, message),) = _found(_district(_special("gas"), _special("fire"), second))
    assert (code, path) == ("CMD006", "plans[2].levels")
    assert message == (
        "plan 'gas_tasks' governs no incident, so none of its duties ever runs "
        "(level IV: 1 task(s)): gas: plan 'gas_plan' governs it"
    )


def test_a_plan_with_only_a_lead_and_takeover_is_left_alone() -> None:
    bare = Plan(id="general_plan", kind=PlanKind.GENERAL, lead="general_hq")
    assert _found(_district(bare, _special("gas"), _special("fire"))) == []


def _drill(tmp_path: Path, general: str, takeover: bool = True) -> Path:
    """The two-hazard drill with the gas plan's place taken by a general plan
    (without its takeover rule: ``takeover`` false)."""
    text = TWO_HAZARDS.read_text(encoding="utf-8")
    start = text.index("    - id: gas_plan")
    end = text.index("    - id: general_plan")
    text = text[:start] + text[end:]
    rule = "      takeover: {min_active: 2, min_level: I}"
    text = text.replace(rule, (rule + "\n" if takeover else "") + general)
    path = tmp_path / "drill.yaml"
    path.write_text(text, encoding="utf-8")
    return path


DUTIES = (
    '      triggers: [{level: IV, any_of: ["deaths >= 0"]}]\n'
    "      levels: {IV: {}}\n"
    "      reports: [{id: general_report, within: 30, duration: 5}]\n"
)


def test_a_run_calls_none_of_the_reports_check_says_never_run(tmp_path: Path) -> None:
    # The general plan names flood, which the flood plan before it governs:
    # it governs nothing, and gas, which no plan names, has none.
    loaded = io.load_with_locations(
        _drill(tmp_path, DUTIES + "      hazards: [flood]\n", takeover=False)
    )
    report = check(loaded.value, loaded.locations)
    (idle,) = [f for f in report.findings if f.code == "CMD006"]
    assert idle.path == "plans[1].reports" and idle.line is not None
    assert idle.message.endswith("flood: plan 'flood_plan' governs it")
    result = simulate(loaded.value, seed=0)
    assert result.metrics["reporting"]["initial"]["called"] == 0
    assert [e.details for e in result.of_kind("no_plan")] == [(("hazard", "gas"),)]
    # Naming gas, or no hazard at all (the general plan then covers what no
    # plan names), the same plan governs the gas leak: its report is called,
    # and no finding.
    for hazards in ("      hazards: [gas]\n", ""):
        scenario = io.load_scenario(_drill(tmp_path, DUTIES + hazards))
        assert [f.code for f in check(scenario).findings if f.code in ("CMD006", "CMD007")] == []
        result = simulate(scenario, seed=0)
        assert result.metrics["reporting"]["initial"]["called"] == 1
        assert result.of_kind("no_plan") == ()


def test_a_takeover_at_level_i_puts_the_general_plans_level_i_in_force() -> None:
    # The bundled general plan decides no incident by its triggers, but the
    # landfall drill's level I holds its takeover rule: the general HQ takes
    # over and the plan's level I comes in force on every incident with a
    # response in force then or later (sim/general.py), so check no longer
    # says its duties never run.  Its level-I tasks are set for each, its
    # initial, follow-up and final reports are written; its daily report's
    # clock runs from the level I, which ends before a day has passed.
    loaded = io.load_with_locations(bundled.path("typhoon-landfall.yaml"))
    found = check(loaded.value, loaded.locations).findings
    assert [
        f for f in found if f.code in ("CMD006", "CMD007") and "'general_plan'" in f.message
    ] == []
    incidents = {"typhoon_bebinca", "work_boat_adrift", "lingang_waterlogging"}
    for seed in range(3):
        result = simulate(loaded.value, seed=seed)
        assert [dict(e.details) for e in result.of_kind("takeover_triggered")] == [
            {"reason": "level", "at_level": "I"}
        ]
        (taken,) = [e.time for e in result.of_kind("takeover")]
        general = result.of_kind("general_plan")
        first = {e.incident: dict(e.details)["level"] for e in reversed(general)}
        assert first == dict.fromkeys(incidents, "I")
        assert min(e.time for e in general) == taken
        # Every part closes: the boat's rescue is handled (处置完毕) within the
        # run, so the takeover ends (sim/activation.py).
        assert {e.incident for e in general if dict(e.details)["level"] is None} == incidents
        # Set once for the event, not once an incident (sim/general.py).
        tasks = sorted(
            dict(e.details)["task"]
            for e in result.of_kind("task_assigned")
            if e.time >= taken and e.incident in incidents
        )
        for task in ("open_command_post", "mass_care", "public_information"):
            assert tasks.count(task) == 1, (task, tasks)
        sent = {(e.actor, dict(e.details)["deadline"]) for e in result.of_kind("report_sent")}
        assert {
            ("district_duty_room", "general_plan:phone_report"),
            ("district_duty_room", "general_plan:written_report"),
            ("emergency_bureau", "general_plan:follow_up_report"),
            ("emergency_bureau", "general_plan:final_report"),
        } <= sent
        assert ("emergency_bureau", "general_plan:daily_report") not in sent
        joined = {e.incident for e in result.of_kind("hq_joined") if e.actor == "general_hq"}
        assert joined >= {"work_boat_adrift", "lingang_waterlogging"}


# --- CMD008 --------------------------------------------------------------------


def _reporting(*limits: ReportLimit, **kw: object) -> District:
    duty = ReportDeadline(id="phone_report", limits=limits)
    return _district(_special("gas", reports=(duty,), **kw), _special("fire"))


def test_a_limit_an_earlier_one_shadows_never_applies() -> None:
    d = _reporting(ReportLimit(20, min_level=Level.III), ReportLimit(10, min_level=Level.I))
    assert _found(d) == [
        (
            "CMD008",
            "plans[0].reports[0].limits[1]",
            "report 'phone_report': this limit (10 min) never applies: limits[0] (20 min) comes "
            "first and applies wherever it would (the first limit that applies is taken)",
        )
    ]
    # Most specific first: each applies somewhere.
    assert (
        _found(_reporting(ReportLimit(10, min_level=Level.I), ReportLimit(20, min_level=Level.III)))
        == []
    )
    # A zone narrows the earlier limit: the later one applies outside it.
    assert (
        _found(
            _reporting(
                ReportLimit(20, min_level=Level.III, zone="inner"),
                ReportLimit(10, min_level=Level.I),
            )
        )
        == []
    )
    # No level and no zone: applies everywhere, so whatever follows never does.
    ((code, path, _),) = _found(_reporting(ReportLimit(20), ReportLimit(10, zone="outer")))
    assert (code, path) == ("CMD008", "plans[0].reports[0].limits[1]")


def test_a_limit_above_every_level_the_plan_can_set_never_applies() -> None:
    two = (EVERY_LEVEL[0], EVERY_LEVEL[1])
    d = _reporting(ReportLimit(15, min_level=Level.II), triggers=two)
    assert _found(d) == [
        (
            "CMD008",
            "plans[0].reports[0].limits[0]",
            "report 'phone_report': this limit (15 min) is for level II and above, but plan "
            "'gas_plan' is only ever at levels IV and III",
        )
    ]
    # A raise flag lifts the level by one; a warning link sets its own.
    assert _found(_reporting(ReportLimit(15, min_level=Level.II), triggers=two,
                             raise_flags=("holiday",))) == []  # fmt: skip
    link = WarningLink(levels={Signal.RED: Level.II})
    assert (
        _found(_reporting(ReportLimit(15, min_level=Level.II), triggers=two, warnings=link)) == []
    )


# --- generated districts ----------------------------------------------------------

HAZARDS = ("gas", "fire")
TOWNS = (Town(id="east", duty_room=ROOM), Town(id="west"))


@st.composite
def _plans(draw: st.DrawFn) -> tuple[Plan, ...]:
    count = draw(st.integers(1, 6))
    ids = [f"p{i}" for i in range(count)]
    out = []
    for pid in ids:
        tier = draw(st.sampled_from([PlanTier.DISTRICT, PlanTier.TOWN]))
        town = draw(st.sampled_from(["east", "west"])) if tier is PlanTier.TOWN else None
        try:
            out.append(
                Plan(
                    id=pid,
                    kind=draw(st.sampled_from([PlanKind.SPECIAL, PlanKind.GENERAL])),
                    tier=tier,
                    town=town,
                    hazards=draw(st.lists(st.sampled_from(HAZARDS), unique=True, max_size=2)),
                    escalation=Escalation(
                        hand_over=draw(st.lists(st.sampled_from(ids), unique=True, max_size=2))
                    ),
                )
            )
        except ModelError:
            continue
    return tuple(out)


@settings(max_examples=150)
@given(_plans())
def test_the_checks_choice_is_the_engines_on_generated_districts(plans: tuple[Plan, ...]) -> None:
    district = District(
        id="d",
        hazards=tuple(Hazard(id=h) for h in HAZARDS),
        towns=TOWNS,
        plans=plans,
    )
    _agrees_with_engine(Scenario(id="s", district=district, start=dt.datetime(2024, 7, 3)))
    gov = governed(district)
    # Every plan the engine may decide by is governing; no other is.
    chosen = set()
    comp = Compiled(Scenario(id="s", district=district, start=dt.datetime(2024, 7, 3)))
    for hazard in HAZARDS:
        for town in (None, "east", "west"):
            chosen.add(_id(comp.plan_for(hazard, town)))
            local = comp.town_plan_for(hazard, town)
            if local is not None:
                chosen.add(_id(local))
                chosen.add(_id(comp.hand_over_to(local, hazard)))
    assert set(gov) == chosen - {None}


# --- CMD009 --------------------------------------------------------------------


def test_a_hand_over_on_a_district_plan_never_happens() -> None:
    gas = _special("gas", escalation=Escalation(hand_over=("general_plan",)))
    assert _found(_district(GENERAL, gas, _special("fire")))[-1] == (
        "CMD009",
        "plans[1].escalation.hand_over",
        "plan 'gas_plan' is a district-tier plan, so its hand_over (general_plan) never takes "
        "effect: the engine hands an incident over only from a town plan (tier: town) its "
        "town's room decides by",
    )
    back = _special("gas", escalation=Escalation(hand_back=True))
    ((code, path, _),) = _found(_district(back, _special("fire")))
    assert (code, path) == ("CMD009", "plans[0].escalation.hand_back")
    # A town plan's own hand-over is the engine's: no finding.
    town_gas = Plan(
        id="east_gas",
        tier=PlanTier.TOWN,
        town="east",
        hazards=("gas",),
        lead="gas_hq",
        triggers=(EVERY_LEVEL[0],),
        levels={Level.IV: LevelResponse()},
        escalation=Escalation(hand_over=("gas_plan",), hand_back=True),
    )
    towns = (Town(id="east", duty_room=ROOM),)
    assert _found(_district(_special("gas"), _special("fire"), town_gas, towns=towns)) == []


def test_a_district_plans_hand_over_changes_no_run(tmp_path: Path) -> None:
    """What CMD009 says, in a run: the flood plan handing over to the general
    plan gives the same events as without it."""
    text = TWO_HAZARDS.read_text(encoding="utf-8")
    plain = tmp_path / "plain.yaml"
    plain.write_text(text, encoding="utf-8")
    handing = tmp_path / "handing.yaml"
    handing.write_text(
        text.replace(
            "      levels: {IV: {}}\n    - id: gas_plan",
            "      levels: {IV: {}}\n      escalation: {hand_over: [general_plan], hand_back: true}"
            "\n    - id: gas_plan",
        ),
        encoding="utf-8",
    )
    scenario = io.load_scenario(handing)
    assert [f.code for f in check(scenario).findings if f.code == "CMD009"] == ["CMD009"]
    runs = [simulate(io.load_scenario(p), seed=3).events_jsonl() for p in (plain, handing)]
    assert runs[0] == runs[1]


def test_the_general_plans_triggers_decide_nothing_where_every_hazard_has_a_plan() -> None:
    # With a takeover rule its duties run under a takeover (no CMD006), but
    # what it would decide by never does: CMD026, at its triggers.
    d = _district(GENERAL, _special("gas"), _special("fire"))
    assert _found(d) == [
        (
            "CMD026",
            "plans[0].triggers",
            "the general plan 'general_plan' decides no incident, so its 4 trigger(s) and its "
            "escalation (reassessment, hold, lowering) never run: it names no hazard, so it "
            "covers only the hazards no plan names, and every hazard here has one; a takeover "
            "puts it in force at the gravest level of the incidents taken over, not by its "
            "triggers",
        )
    ]
    # Fire without a plan of its own: the general plan decides fire by them.
    assert _found(_district(GENERAL, _special("gas"))) == []
    # Without triggers there is nothing to say.
    assert (
        _found(_district(attrs.evolve(GENERAL, triggers=()), _special("gas"), _special("fire")))
        == []
    )


def test_the_bundled_general_plans_triggers_are_accepted_with_their_reason() -> None:
    loaded = io.load_with_locations(bundled.path("gas.yaml"))
    (found,) = [f for f in check(loaded.value, loaded.locations).findings if f.code == "CMD026"]
    assert found.path == "plans[0].triggers"
    assert found.file is not None and found.file.endswith("plans/general.yaml")
    assert found.accepted is not None
    assert "a hazard added to the district without a special plan" in found.accepted.reason
