"""CMD016: a plan with responses that no trigger or warning signal can start."""

from __future__ import annotations

from cmdsim.check import check
from cmdsim.check.triggers import check_triggers
from cmdsim.model import (
    Command,
    Condition,
    District,
    Hazard,
    Level,
    LevelResponse,
    Plan,
    PlanKind,
    Signal,
    Trigger,
    Unit,
    WarningLink,
)

ALL = {level: LevelResponse() for level in Level}


def _trigger(level: Level, text: str) -> Trigger:
    return Trigger(level, any_of=(Condition.parse(text),))


def _district(*plans: Plan) -> District:
    return District(
        id="d",
        hazards=(Hazard(id="gas", forecastable=True), Hazard(id="fire")),
        units=(Unit(id="gas_company"), Unit(id="office")),
        commands=(
            Command(id="gas_hq", lead_unit="gas_company"),
            Command(id="general_hq", lead_unit="office", general=True),
        ),
        plans=plans,
    )


def _gas(**kw: object) -> Plan:
    return Plan(id="gas_plan", hazards=("gas",), lead="gas_hq", levels=ALL, **kw)  # type: ignore[arg-type]


def _found(*plans: Plan) -> list[tuple[str, str]]:
    return [(f.code, f.path) for f in check_triggers(_district(*plans)) if f.code == "CMD016"]


def test_a_plan_without_triggers_is_an_error_the_matrix_does_not_show() -> None:
    report = check(_district(_gas(), Plan(id="fire_plan", hazards=("fire",), lead="gas_hq")))
    gas = [f for f in report.errors if f.path.startswith("plans[0]")]
    # Every level of gas has a lead in the matrix: only CMD016 says nothing starts them.
    assert [(f.code, f.path) for f in gas] == [("CMD016", "plans[0].triggers")]
    assert gas[0].message == (
        "plan 'gas_plan' sets out responses at IV, III, II, I but no level is ever decided: "
        "it has no trigger (triggers: [])"
    )


def test_triggers_that_can_never_fire_start_nothing_either() -> None:
    dead = (_trigger(Level.IV, "deaths < 0"), _trigger(Level.III, "deaths < -1"))
    assert _found(_gas(triggers=dead)) == [("CMD016", "plans[0].triggers")]
    message = next(
        f.message for f in check_triggers(_district(_gas(triggers=dead))) if f.code == "CMD016"
    )
    assert message.endswith("no level is ever decided: none of its 2 triggers can fire")


def test_one_live_trigger_or_a_warning_link_starts_the_plan() -> None:
    assert _found(_gas(triggers=(_trigger(Level.IV, "deaths >= 1"),))) == []
    assert _found(_gas(warnings=WarningLink(levels={Signal.BLUE: Level.IV}))) == []


def test_a_general_plan_is_held_to_it_only_where_it_leads() -> None:
    # Special plans lead every gas cell: the general plan, answering only by
    # its takeover rule, may have no triggers (as in examples/planning-office).
    general = Plan(
        id="general",
        kind=PlanKind.GENERAL,
        lead="general_hq",
        levels={Level.I: LevelResponse()},
    )
    live = _gas(triggers=(_trigger(Level.IV, "deaths >= 1"),))
    assert [p for _, p in _found(live, general)] == ["plans[1].triggers"]  # it leads fire at I
    only_gas = Plan(
        id="general",
        kind=PlanKind.GENERAL,
        hazards=("gas",),
        lead="general_hq",
        levels={Level.I: LevelResponse()},
    )
    assert _found(live, only_gas) == []
