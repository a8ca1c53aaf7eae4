"""Each rule on districts built in code: what it finds and what it leaves alone."""

from __future__ import annotations

import attrs
import pytest

from cmdsim.check import KINDS, CheckReport, Locator, Severity, build_matrix
from cmdsim.check import check as check_all
from cmdsim.check.intervals import Interval, merge, of_condition
from cmdsim.model import (
    Clock,
    Command,
    Condition,
    District,
    DutyRoom,
    Escalation,
    Fixed,
    Hazard,
    Level,
    LevelResponse,
    Plan,
    PlanKind,
    PlanTier,
    Post,
    QuorumTerm,
    Scenario,
    Task,
    Town,
    Trigger,
    Unit,
)

C = Condition.parse
ALL = {level: LevelResponse() for level in Level}


def trig(level: str, *any_of: str, all_of: tuple[str, ...] = ()) -> Trigger:
    return Trigger(Level(level), any_of=[C(c) for c in any_of], all_of=[C(c) for c in all_of])


def district(*plans: Plan, **extra: object) -> District:
    base: dict[str, object] = {
        "id": "d",
        "hazards": [Hazard("gas"), Hazard("flood", forecastable=True)],
        "units": [Unit("u1"), Unit("u2"), Unit("u3")],
        "commands": [
            Command("hq1", lead_unit="u1"),
            Command("hq2", lead_unit="u2"),
            Command("general_hq", general=True, lead_unit="u3"),
        ],
        "plans": plans,
    }
    base.update(extra)
    return District(**base)  # type: ignore[arg-type]


ELSEWHERE = frozenset({"CMD016", "CMD006", "CMD007", "CMD008", "CMD009"})
"""Codes with their own tests: CMD016 (test_unreached_levels.py), and the
plans that govern nothing and district plans' hand-overs (test_governs.py),
as the general plans built here name no hazard and the cycles here are drawn
between district plans."""


def check(d: District | Scenario, *where: Locator) -> CheckReport:
    """The report without the ``ELSEWHERE`` codes: most plans built here have
    no triggers, as the rule under test needs none, and their general plans
    name no hazard; ``covered()`` is clean with them."""
    report = check_all(d, *where)
    return attrs.evolve(
        report, findings=tuple(f for f in report.findings if f.code not in ELSEWHERE)
    )


def codes(d: District) -> list[str]:
    return check(d).codes()


# Cumulative thresholds, one per level: every response of a covering plan is reached.
EVERY_LEVEL = [
    trig("IV", "deaths >= 1"),
    trig("III", "deaths >= 3"),
    trig("II", "deaths >= 10"),
    trig("I", "deaths >= 30"),
]


def covered(*more: Plan) -> District:
    """Both hazards covered at every level by one plan each, plus ``more``."""
    return district(
        Plan("gas", hazards=["gas"], lead="hq1", levels=ALL, triggers=EVERY_LEVEL),
        Plan("flood", hazards=["flood"], lead="hq2", levels=ALL, triggers=EVERY_LEVEL),
        *more,
    )


def test_every_kind_has_a_distinct_code_and_a_reason() -> None:
    assert len(KINDS) == len({k.code for k in KINDS.values()})
    for kind in KINDS.values():
        assert kind.code.startswith("CMD") and len(kind.code) == 6
        assert kind.why and not kind.why.endswith(".")


def test_clean_district_has_no_findings() -> None:
    assert check_all(covered()).findings == ()
    assert check_all(covered()).ok


def test_gap_per_hazard_lists_uncovered_levels() -> None:
    d = district(
        Plan("gas", hazards=["gas"], lead="hq1", levels={Level.III: LevelResponse()}),
        Plan("flood", hazards=["flood"], lead="hq2", levels=ALL),
    )
    report = check(d)
    (gap,) = report.findings
    # The gas plan governs gas at every level: the gap is in its levels, at
    # IV only — III and above have III's response (a level includes the lower ones').
    assert (gap.code, gap.path) == ("CMD001", "plans[0].levels")
    assert gap.message.startswith("hazard 'gas' at level IV: ") and gap.severity is Severity.ERROR
    assert "plan 'gas' governs its incidents at every level" in gap.message
    assert "gets only its lead 'hq1' called out" in gap.message
    # Written at IV alone, it answers at every level: no gap.
    d = district(
        Plan("gas", hazards=["gas"], lead="hq1", levels={Level.IV: LevelResponse()}),
        Plan("flood", hazards=["flood"], lead="hq2", levels=ALL),
    )
    assert check(d).findings == ()
    nothing = check(district(Plan("flood", hazards=["flood"], lead="hq2", levels=ALL)))
    (gap,) = nothing.findings
    assert (gap.code, gap.path) == ("CMD001", "hazards[0]")
    assert gap.message.startswith("hazard 'gas' at level I, II, III, IV: no plan governs")


def test_general_plan_fills_gaps_but_never_overlaps() -> None:
    general = Plan("general", kind=PlanKind.GENERAL, lead="general_hq", levels=ALL)
    d = district(Plan("gas", hazards=["gas"], lead="hq1", levels=ALL), general)
    assert codes(d) == []
    cell = build_matrix(d).cell("district", "flood", Level.I)
    assert cell is not None and cell.leads == ("general_hq",)
    cell = build_matrix(d).cell("district", "gas", Level.I)
    assert cell is not None and cell.leads == ("hq1",)


def test_overlap_two_leads_same_cell() -> None:
    d = covered(Plan("gas2", hazards=["gas"], lead="hq2", levels={Level.II: ALL[Level.II]}))
    report = check(d)
    assert report.codes() == ["CMD002"]
    assert report.findings[0].path == "plans[2].levels.II"


def test_same_lead_in_two_plans_is_no_overlap() -> None:
    d = covered(Plan("gas2", hazards=["gas"], lead="hq1", levels=ALL))
    assert codes(d) == []


def test_leaderless_plan_is_a_gap_at_its_lead() -> None:
    d = district(
        Plan("gas", hazards=["gas"], levels=ALL),
        Plan("flood", hazards=["flood"], lead="hq2", levels=ALL),
    )
    (gap,) = check(d).findings
    assert (gap.code, gap.path) == ("CMD001", "plans[0].lead")


@pytest.mark.parametrize(
    ("attribute_text", "empty"),
    [
        ("deaths < 0", True),
        ("deaths <= 0", False),
        ("deaths > 2.5", False),
        ("households < 0.5", False),
        ("rainfall < 0", True),
        ("signal > red", True),
        ("signal < blue", True),
        ("signal <= blue", False),
        ("deaths == 2.5", True),
    ],
)
def test_condition_intervals(attribute_text: str, empty: bool) -> None:
    assert of_condition(C(attribute_text)).empty is empty


def test_whole_counts_leave_no_hole_between_2_and_3() -> None:
    spans = merge("deaths", [of_condition(C("deaths <= 2")), of_condition(C("deaths >= 3"))])
    assert spans == [Interval(0.0, float("inf"))]
    spans = merge("rainfall", [of_condition(C("rainfall <= 2")), of_condition(C("rainfall >= 3"))])
    assert len(spans) == 2


def test_trigger_never_fires_and_dead_condition() -> None:
    plan = Plan(
        "gas",
        hazards=["gas"],
        lead="hq1",
        levels=ALL,
        triggers=[
            trig("IV", "deaths >= 1", "deaths < 0"),
            trig("III", all_of=("deaths >= 10", "deaths < 5")),
            trig("II", "rainfall < 0"),
        ],
    )
    d = district(plan, Plan("flood", hazards=["flood"], lead="hq2", levels=ALL))
    found = {(f.code, f.path) for f in check(d).findings}
    assert found == {
        ("CMD010", "plans[0].triggers[1].all_of[0]"),
        ("CMD010", "plans[0].triggers[2].any_of[0]"),
        ("CMD011", "plans[0].triggers[0].any_of[1]"),
    }


def test_signal_on_a_hazard_without_warnings() -> None:
    gas = Plan(
        "gas", hazards=["gas"], lead="hq1", levels=ALL, triggers=[trig("I", "signal >= red")]
    )
    flood = Plan(
        "flood", hazards=["flood"], lead="hq2", levels=ALL, triggers=[trig("I", "signal >= red")]
    )
    report = check(district(gas, flood))
    assert [(f.code, f.path) for f in report.findings] == [
        ("CMD012", "plans[0].triggers[0].any_of[0]")
    ]


def test_level_without_response() -> None:
    gas = Plan(
        "gas",
        hazards=["gas"],
        lead="hq1",
        levels={lv: ALL[lv] for lv in (Level.IV, Level.III)},
        triggers=[trig("IV", "deaths >= 1"), trig("II", "deaths >= 10")],
    )
    general = Plan("general", kind=PlanKind.GENERAL, lead="general_hq", levels=ALL)
    report = check(district(gas, general))
    # The general plan does not fill gas at I and II: the gas plan governs
    # there too, with III's response (a level includes the lower ones'), so
    # no gap; its trigger setting II, which it does not write, is told (CMD017).
    assert report.codes() == ["CMD017"]
    assert [f.path for f in report.findings] == ["plans[0].triggers[1].level"]
    assert report.findings[0].severity is Severity.INFO
    assert "an incident at II gets what level III sets in motion" in report.findings[0].message
    # Written at III only, its trigger setting IV sets nothing in motion: the
    # gap (CMD001) and the level without response (CMD003) are at IV.
    gas = attrs.evolve(gas, levels={Level.III: ALL[Level.III]})
    report = check(district(gas, general))
    assert report.codes() == ["CMD001", "CMD003", "CMD017"]
    assert [f.path for f in report.findings] == [
        "plans[0].levels",
        "plans[0].triggers[0].level",
        "plans[0].triggers[1].level",
    ]
    assert report.findings[0].message.startswith("hazard 'gas' at level IV: plan 'gas' governs")


def _banded(*triggers: Trigger) -> list[tuple[str, str]]:
    gas = Plan("gas", hazards=["gas"], lead="hq1", levels=ALL, triggers=triggers)
    d = district(gas, Plan("flood", hazards=["flood"], lead="hq2", levels=ALL))
    return [(f.code, f.path) for f in check(d).findings]


def test_cumulative_thresholds_are_fine() -> None:
    assert (
        _banded(
            trig("IV", "deaths >= 0"),
            trig("III", "deaths >= 3", "casualties >= 10"),
            trig("II", "deaths >= 10"),
            trig("I", "deaths >= 30"),
        )
        == []
    )


def test_closed_bands_meeting_exactly_are_fine() -> None:
    assert (
        _banded(
            trig("IV", all_of=("deaths >= 0", "deaths <= 2")),
            trig("III", all_of=("deaths >= 3", "deaths <= 9")),
            trig("II", "deaths >= 10"),
        )
        == []
    )


def test_hole_between_bands() -> None:
    assert _banded(trig("IV", "deaths < 3"), trig("III", "deaths >= 5")) == [
        ("CMD014", "plans[0].triggers[1]")
    ]


def test_overlapping_bands() -> None:
    assert _banded(
        trig("IV", all_of=("deaths >= 0", "deaths <= 4")), trig("III", "deaths >= 3")
    ) == [("CMD013", "plans[0].triggers[0]")]


def test_backwards_bands() -> None:
    assert _banded(trig("III", "deaths >= 10"), trig("II", "deaths >= 3")) == [
        ("CMD015", "plans[0].triggers[1]")
    ]


def test_mixed_attribute_conjunctions_are_not_banded() -> None:
    assert _banded(trig("II", "deaths >= 3", all_of=("households >= 10",))) == []


def test_posts_and_quorum() -> None:
    commands = [
        Command(
            "hq1",
            lead_unit="u1",
            posts=[
                Post("a", people=3, needed=1),
                Post("b", people=1, needed=2),
                Post("c", people=2, needed=2, reach=0.5),
            ],
            quorum=[QuorumTerm(["a", "b"], k=2), QuorumTerm(["a", "c"], k=2)],
        ),
        Command("hq2", lead_unit="u2"),
        Command("general_hq", general=True, lead_unit="u3"),
    ]
    d = district(
        Plan("gas", hazards=["gas"], lead="hq1", levels=ALL),
        Plan("flood", hazards=["flood"], lead="hq2", levels=ALL),
        commands=commands,
    )
    found = [(f.code, f.path) for f in check(d).findings]
    assert found == [
        ("CMD020", "commands[0].posts[1].people"),
        ("CMD022", "commands[0].quorum[0].k"),
        ("CMD021", "commands[0].posts[2].reach"),
        ("CMD023", "commands[0].quorum[1].k"),
    ]


def test_deadlines_against_the_fastest_chain() -> None:
    commands = [
        Command(
            "hq1",
            lead_unit="u1",
            posts=[Post("a", callout=Fixed(20.0))],
            quorum=[QuorumTerm(["a"])],
        ),
        Command("hq2", lead_unit="u2"),
        Command("general_hq", general=True, lead_unit="u3"),
    ]
    tasks = [
        Task("ok", unit="u1", duration=Fixed(10.0), deadline=10.0, clock=Clock.DECISION),
        Task("late", unit="u1", duration=Fixed(10.0), deadline=9.0, clock=Clock.DECISION),
        # aware: triage and approval are log-normal (minimum 0), then work 10;
        # a task starts at the decision, with no call-out before it.
        Task("aware_ok", unit="u1", duration=Fixed(10.0), deadline=10.0, clock=Clock.AWARE),
        Task("aware_late", unit="u1", duration=Fixed(10.0), deadline=9.5, clock=Clock.AWARE),
        # activation: the call-out (20 fixed, times the band factor) delays
        # the clock, not the work, which starts at the decision: done 10 after
        # it, due 9 after the call-out; 60 of work is late even after the
        # longest call-out (a holiday night's 20 x 1.5 x 1.3 = 39).
        Task("activation_met", unit="u1", duration=Fixed(10.0), deadline=9.0),
        Task("activation_late", unit="u1", duration=Fixed(60.0), deadline=9.0),
    ]
    levels = {**ALL, Level.IV: LevelResponse(tasks=tasks)}
    d = district(
        Plan("gas", hazards=["gas"], lead="hq1", levels=levels),
        Plan("flood", hazards=["flood"], lead="hq2", levels=ALL),
        commands=commands,
    )
    found = [(f.code, f.path) for f in check(d).findings]
    assert found == [
        ("CMD040", "plans[0].levels.IV.tasks[1].deadline"),
        ("CMD040", "plans[0].levels.IV.tasks[3].deadline"),
        ("CMD040", "plans[0].levels.IV.tasks[5].deadline"),
    ]


def test_task_outside_activated_commands() -> None:
    levels = {**ALL, Level.III: LevelResponse(tasks=[Task("t", unit="u2")])}
    d = district(
        Plan("gas", hazards=["gas"], lead="hq1", levels=levels),
        Plan("flood", hazards=["flood"], lead="hq2", levels=ALL),
    )
    assert [(f.code, f.path) for f in check(d).findings] == [
        ("CMD030", "plans[0].levels.III.tasks[0].unit")
    ]
    levels = {**ALL, Level.III: LevelResponse(activate=["hq2"], tasks=[Task("t", unit="u2")])}
    d = district(
        Plan("gas", hazards=["gas"], lead="hq1", levels=levels),
        Plan("flood", hazards=["flood"], lead="hq2", levels=ALL),
    )
    assert codes(d) == []


def test_task_falling_to_a_lower_levels_hq_is_covered() -> None:
    # IV activates hq2; III's task falls to u2 (hq2's lead unit). A level
    # includes the lower levels' actions, so the engine has hq2 active at III
    # too: no CMD030 (it was reported while check read III's own list).
    levels = {
        **ALL,
        Level.IV: LevelResponse(activate=["hq2"]),
        Level.III: LevelResponse(tasks=[Task("t", unit="u2")]),
    }
    d = district(
        Plan("gas", hazards=["gas"], lead="hq1", levels=levels),
        Plan("flood", hazards=["flood"], lead="hq2", levels=ALL),
    )
    assert codes(d) == []
    # Upward it does not hold: III's HQ is not active at IV.
    levels = {
        **ALL,
        Level.IV: LevelResponse(tasks=[Task("t", unit="u2")]),
        Level.III: LevelResponse(activate=["hq2"]),
    }
    d = district(
        Plan("gas", hazards=["gas"], lead="hq1", levels=levels),
        Plan("flood", hazards=["flood"], lead="hq2", levels=ALL),
    )
    assert [(f.code, f.path) for f in check(d).findings] == [
        ("CMD030", "plans[0].levels.IV.tasks[0].unit")
    ]


def test_matrix_cell_lists_the_lower_levels_tasks_and_units() -> None:
    levels = {
        **ALL,
        Level.IV: LevelResponse(activate=["hq2"], tasks=[Task("watch", unit="u2")]),
        Level.III: LevelResponse(tasks=[Task("close", unit="u1")]),
        Level.II: LevelResponse(tasks=[Task("watch", unit="u2", deadline=10.0)]),
    }
    d = district(
        Plan("gas", hazards=["gas"], lead="hq1", levels=levels),
        Plan("flood", hazards=["flood"], lead="hq2", levels=ALL),
    )
    matrix = build_matrix(d)

    def governing(level: Level) -> tuple[tuple[str, ...], tuple[str, ...]]:
        cell = matrix.cell("district", "gas", level)
        assert cell is not None and cell.governs is not None
        return cell.governs.units, cell.governs.tasks

    assert governing(Level.IV) == (("u1", "u2"), ("watch",))
    assert governing(Level.III) == (("u1", "u2"), ("watch", "close"))
    # II repeats IV's task: listed once, where it first appeared.
    assert governing(Level.II) == (("u1", "u2"), ("watch", "close"))
    assert governing(Level.I) == (("u1", "u2"), ("watch", "close"))


def test_escalation_cycle_reported_once() -> None:
    # Hand-overs run only from a town plan its town's room decides by, so
    # the circle is drawn between town plans (one per hazard, each governing).
    def plan(ident: str, hazard: str, *to: str) -> Plan:
        return Plan(
            ident,
            tier=PlanTier.TOWN,
            town="t",
            hazards=[hazard],
            lead="hq1",
            triggers=[trig("IV", "deaths >= 1")],
            levels={Level.IV: LevelResponse()},
            escalation=Escalation(hand_over=to),
        )

    room = {"towns": [Town("t", duty_room=DutyRoom("t_room"))]}
    hazards = {"hazards": [Hazard(h) for h in ("gas", "flood", "fire", "storm")]}
    d = district(
        plan("a", "gas", "b"),
        plan("b", "flood", "c"),
        plan("c", "fire", "a"),
        plan("d", "storm", "a"),
        **room,
        **hazards,
    )
    cycles = [f for f in check(d).findings if f.code == "CMD050"]
    assert [f.path for f in cycles] == ["plans[2].escalation.hand_over[0]"]
    assert "a → b → c → a" in cycles[0].message
    chain = district(plan("a", "gas", "b"), plan("b", "flood"), **room, **hazards)
    assert "CMD050" not in check(chain).codes()


def test_dangling_hand_over_is_rejected_by_the_model() -> None:
    from cmdsim.model import ModelErrors

    with pytest.raises(ModelErrors, match="unknown plan 'nowhere'"):
        covered(Plan("a", escalation=Escalation(hand_over=["nowhere"])))


def test_findings_sorted_errors_first_and_json_keys_stable() -> None:
    d = district(
        Plan("gas", hazards=["gas"], lead="hq1", levels=ALL),
        Plan("flood", hazards=["flood"], lead="hq2", levels=ALL),
        Plan(
            "x",
            hazards=["gas"],
            lead="hq1",
            levels={Level.IV: LevelResponse(tasks=[Task("t", unit="u2")])},
        ),
        Plan("y", hazards=["flood"], lead="hq1", levels={Level.IV: LevelResponse()}),
    )
    report = check(d)
    assert report.codes() == ["CMD002", "CMD030"]
    data = report.to_dict()
    assert sorted(data) == ["counts", "district", "findings", "matrix", "ok", "source"]
    assert sorted(data["findings"][0]) == [
        "accepted",
        "code",
        "column",
        "file",
        "line",
        "message",
        "path",
        "severity",
        "title",
        "why",
    ]
    assert data["counts"] == {"error": 1, "warning": 1, "info": 0, "accepted": 0}


class _Locations:
    def __init__(self) -> None:
        self.asked: list[str] = []

    def find(self, path: str) -> tuple[str, int, int]:
        self.asked.append(path)
        return ("scenario.yaml", len(path), 3)


def test_locations_are_looked_up_under_district_for_scenarios() -> None:
    import datetime as dt

    d = district(Plan("gas", hazards=["gas"], lead="hq1", levels=ALL, triggers=EVERY_LEVEL))
    scenario = Scenario(id="s", district=d, start=dt.datetime(2024, 7, 1))
    where = _Locations()
    (gap,) = check(scenario, where).findings
    assert where.asked == ["district.hazards[1]"]
    assert (gap.file, gap.line, gap.column) == ("scenario.yaml", len("district.hazards[1]"), 3)


def test_a_handbook_kind_plan_is_in_the_matrix_where_it_leads() -> None:
    # The engine governs a hazard's incidents by a district-tier plan of any
    # kind but general (Compiled.plan_for); the matrix skipped `handbook`,
    # so a hazard the engine runs under a handbook plan read as uncovered
    # (found by tests/check/test_properties.py's lead-in-its-cell property).
    handbook = Plan(
        "gas_handbook",
        kind=PlanKind.HANDBOOK,
        hazards=("gas",),
        lead="hq1",
        triggers=(trig("IV", "casualties >= 0"),),
        levels={Level.IV: LevelResponse()},
    )
    cells = {
        (c.hazard, c.level): {e.lead for e in c.entries}
        for c in build_matrix(district(handbook)).cells
        if c.tier == "district"
    }
    assert cells[("gas", Level.IV)] == {"hq1"}
    # Above IV it still governs, with IV's response (a level includes the lower ones').
    assert cells[("gas", Level.III)] == cells[("gas", Level.I)] == {"hq1"}
