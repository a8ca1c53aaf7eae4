"""The coverage matrix says who leads as the engine decides it.

For every hazard × town × level, the matrix's lead is the lead of the plan
the engine decides such an incident by (``Compiled.plan_for``,
``town_plan_for``, ``hand_over_to`` and a town plan outgrown above the top
level its triggers set), on generated districts; and one engine run per case
shape checks that choice end to end: a special plan with no response written
at the top levels (they have the lower levels'; the general plan does not
step in), a general plan naming a
hazard before its special plan, a town's general plan naming no hazard, and
a town plan handing an incident over.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdsim.check import build_matrix, check
from cmdsim.check.escalation import runnable_links
from cmdsim.check.handing import alone, handing
from cmdsim.check.intervals import COUNTS
from cmdsim.check.matrix import Matrix, hand_over_text
from cmdsim.model import (
    Channel,
    Command,
    Condition,
    District,
    DutyRoom,
    Escalation,
    Fixed,
    Hazard,
    Incident,
    Inject,
    Level,
    LevelResponse,
    Plan,
    PlanKind,
    PlanTier,
    Scenario,
    SeverityPoint,
    Task,
    Town,
    Trigger,
    Unit,
)
from cmdsim.model.governing import PlanChoice, outgrown
from cmdsim.sim import simulate
from cmdsim.sim.case import Case
from cmdsim.sim.compiled import Compiled, CompiledPlan
from cmdsim.testing.strategies import districts
from cmdsim.testing.strategies import triggers as drawn_triggers

START = dt.datetime(2024, 7, 3, 10)  # a Wednesday morning: the day band throughout


def _engine_rule(
    comp: Compiled, hazard: str, town: str | None, level: Level
) -> CompiledPlan | None:
    """The plan the engine decides an incident at ``level`` by: a town room's
    plan up to its top level (``Case.outgrown``), the plan it hands over to
    above; else the district room's."""
    local = comp.town_plan_for(hazard, town)
    if local is None:
        return comp.plan_for(hazard, town)
    successor = comp.hand_over_to(local, hazard)
    if successor is not None and (local.top is None or level > local.top):
        return successor
    return local


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(districts(min_towns=1))
def test_the_matrix_lead_is_the_engines_for_every_hazard_town_and_level(
    district: District,
) -> None:
    comp = Compiled(Scenario(id="s", district=district, start=START))
    matrix = build_matrix(district)
    for hazard in (h.id for h in district.hazards):
        for town in [None, *(t.id for t in district.towns)]:
            for level in Level:
                cell = matrix.for_incident(hazard, town, level)
                assert cell is not None
                rule = _engine_rule(comp, hazard, town, level)
                where = (hazard, town, level.value)
                if rule is None:
                    assert cell.governs is None and cell.leads == (), where
                    continue
                assert cell.governs is not None and cell.governs.plan == rule.id, where
                assert cell.lead == rule.lead, where
                # What the engine's compiled plan sets in motion at the level
                # (a level includes the lower ones'), read from its own tables.
                sets = bool(
                    set(rule.activate[level]) - {rule.lead}
                    or rule.tasks[level]
                    or rule.notify[level]
                )
                response = cell.governs.response
                if sets:
                    assert response, where
                if not response:
                    # A gap: the engine calls out the lead and nothing else.
                    assert rule.activate[level] in ((), (rule.lead,)), where
                    assert not rule.tasks[level] and not rule.notify[level], where
                elif not sets:
                    # The one response that sets nothing: levels written empty at
                    # or below, the plan's word that its lead alone answers.
                    written = [r for at, r in rule.plan.levels.items() if at <= level]
                    assert written, where
                    assert all(set(r.activate) <= {rule.lead} for r in written), where
                    assert not any(r.tasks or r.notify for r in written), where
                assert cell.governs.tasks == tuple(t.id for t in rule.tasks[level]), where
                assert cell.no_response is not response, where
                # At or below a town plan's top, the successor can take the case
                # only at a level its triggers set (where the town plan's set none).
                if cell.handed is not None:
                    local = comp.town_plan_for(hazard, town)
                    assert local is not None and local.top is not None, where
                    after = comp.hand_over_to(local, hazard)
                    assert after is not None and cell.handed.plan == after.id, where
                    sets = {at for at, _, _ in after.triggers}
                    if after.raise_flags:
                        sets |= {at.raised() for at in sets}
                    assert level <= local.top and level in sets, where
                # The lead the matrix shows is the engine's, or none at a gap.
                expected = (rule.lead,) if response and rule.lead is not None else ()
                assert cell.leads == expected, where


def _near(district: District) -> dict[str, list[object]]:
    """Attribute -> values at and around every threshold the district's
    triggers test (a count whole, a signal each colour)."""
    from cmdsim.model import Signal

    out: dict[str, list[object]] = {"signal": list(Signal)}
    for plan in district.plans:
        for trigger in plan.triggers:
            for condition in (*trigger.any_of, *trigger.all_of):
                if condition.attribute == "signal":
                    continue
                assert isinstance(condition.value, float | int)
                step = 1.0 if condition.attribute in COUNTS else 0.5
                x = float(condition.value)
                if condition.attribute in COUNTS:
                    x = float(round(x))
                near = [v for v in (x - step, x, x + step) if v >= 0]
                out.setdefault(condition.attribute, []).extend(near)
    return out


@attrs.frozen
class _Pair:
    """A town plan and the district plan it hands over to, with drawn
    triggers; the raise flag the district plan reads (``flags``), the
    compiled town plan, the matrix, and pictures to ask them of."""

    flags: tuple[str, ...]
    gas: Plan
    town: Plan
    comp: Compiled
    local: CompiledPlan
    matrix: Matrix
    pictures: st.SearchStrategy[dict[str, object]]


@st.composite
def _pairs(draw: st.DrawFn) -> _Pair:
    own_triggers = draw(st.lists(drawn_triggers(), min_size=1, max_size=3))
    district_triggers = draw(st.lists(drawn_triggers(), min_size=1, max_size=4))
    flags = ("holiday",) if draw(st.booleans()) else ()
    gas = _gas(triggers=tuple(district_triggers), levels=EVERY, raise_flags=flags)
    town = _town_gas(triggers=tuple(own_triggers), escalation=Escalation(hand_over=("gas_plan",)))
    district = _scenario(gas, town, deaths=0, room=True).district
    comp = Compiled(Scenario(id="s", district=district, start=START))
    local = comp.town_plan_for("gas", "t")
    assert local is not None and local.top is not None
    near = _near(district)
    pictures = st.dictionaries(st.sampled_from(sorted(near)), st.none(), max_size=4).flatmap(
        lambda keys: st.fixed_dictionaries({k: st.sampled_from(near[k]) for k in keys})
    )
    return _Pair(flags, gas, town, comp, local, build_matrix(district), pictures)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(_pairs(), st.data())
def test_every_hand_over_below_a_town_plans_top_the_engine_makes_is_in_the_matrix(
    pair: _Pair, data: st.DataObject
) -> None:
    # A town plan and the district plan it hands over to, each with drawn
    # triggers.  The engine's question (Case.outgrown) asked of pictures at
    # and around their thresholds: where the town plan's triggers set no
    # level and the district plan's set one at or below the town plan's
    # top, the matrix's town cell at that level names the district plan as
    # handed over: it misses none.  And each level it names has a picture
    # (check.handing.alone) on which the engine's plans hand over there: it
    # names none the town plan's triggers, together, prevent.
    flags, gas, town, local, matrix = pair.flags, pair.gas, pair.town, pair.local, pair.matrix
    after = pair.comp.plan_for("gas", "t")
    assert after is not None and local.top is not None
    for _ in range(30):
        known = data.draw(pair.pictures)
        for read in ((), flags):
            own = local.level_for(known, read)
            level = after.level_for(known, read)
            if level is None or level > local.top:
                continue
            cell = matrix.for_incident("gas", "t", level)
            assert cell is not None
            if outgrown(local.top, level, own, level):
                where = (level.value, known, read)
                assert cell.handed is not None and cell.handed.plan == "gas_plan", where
    shown = {c.level for c in matrix if c.tier == "town:t" and c.handed is not None}
    witnessed: set[Level] = set()
    for trigger in gas.triggers:
        higher = [t for t in gas.triggers if t.level > trigger.level]
        picture = alone(trigger, (*town.triggers, *higher))
        if picture is None:
            continue
        for read in ((), flags):
            level = after.level_for(picture, read)
            assert local.level_for(picture, read) is None, picture
            assert level == (trigger.level.raised() if read else trigger.level), picture
            if level <= local.top:
                witnessed.add(level)
    assert shown == witnessed


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(districts(min_towns=1))
def test_cycles_are_found_only_over_hand_overs_the_engine_runs(district: District) -> None:
    comp = Compiled(Scenario(id="s", district=district, start=START))
    choice = PlanChoice(district)
    ran: set[tuple[int, int]] = set()
    index = {p.id: i for i, p in enumerate(district.plans)}
    for town in district.towns:
        for hazard in (h.id for h in district.hazards):
            local = comp.town_plan_for(hazard, town.id)
            if local is None:
                continue
            after = comp.hand_over_to(local, hazard)
            if after is not None and after.id in local.plan.escalation.hand_over:
                ran.add((index[local.id], index[after.id]))
    links = runnable_links(district, choice)
    assert {(i, t) for i, out in enumerate(links) for t, _ in out} == ran
    for finding in check(district).findings:
        if finding.code == "CMD050":
            source = int(finding.path.split("]")[0].removeprefix("plans["))
            assert district.plans[source].tier is PlanTier.TOWN


C = Condition.parse


def _trig(level: str, condition: str) -> Trigger:
    return Trigger(Level(level), any_of=[C(condition)])


GAS_TRIGGERS = (
    _trig("IV", "deaths >= 1"),
    _trig("III", "deaths >= 3"),
    _trig("II", "deaths >= 10"),
    _trig("I", "deaths >= 30"),
)
EVERY = {
    level: LevelResponse(tasks=[Task(f"work_{level.value.lower()}", unit="u1")]) for level in Level
}


def _general(**kw: object) -> Plan:
    return Plan(
        "general_plan",
        kind=PlanKind.GENERAL,
        lead="general_hq",
        triggers=GAS_TRIGGERS,
        levels=EVERY,
        **kw,  # type: ignore[arg-type]
    )


def _gas(**kw: object) -> Plan:
    base: dict[str, object] = {"hazards": ("gas",), "lead": "gas_hq", "triggers": GAS_TRIGGERS}
    base.update(kw)
    return Plan("gas_plan", **base)  # type: ignore[arg-type]


def _scenario(
    *plans: Plan, deaths: int, room: bool = False, hazards: tuple[str, ...] = ("gas",)
) -> Scenario:
    """One gas incident of ``deaths`` in town ``t``, reported by a hotline
    in 10 minutes; the town has a duty room when ``room``."""
    duty = DutyRoom("t_room", triage=Fixed(5), approval=Fixed(8)) if room else None
    district = District(
        id="d",
        hazards=[Hazard(h) for h in hazards],
        units=[Unit("u1")],
        commands=[
            Command("gas_hq", lead_unit="u1"),
            Command("general_hq", lead_unit="u1", general=True),
            Command("t_hq", lead_unit="u1"),
        ],
        duty_room=DutyRoom("district_duty_room", triage=Fixed(5), approval=Fixed(8)),
        towns=[Town("t", duty_room=duty)],
        channels=[Channel(id="hotline", delay=Fixed(10), miss=0)],
        plans=plans,
    )
    leak = Incident(
        id="leak",
        hazard="gas",
        town="t",
        onset=START + dt.timedelta(minutes=30),
        timeline=[SeverityPoint(at=0, deaths=deaths)],
    )
    return Scenario(id="s", district=district, start=START, incidents=[leak], horizon=600)


def _led(scenario: Scenario) -> tuple[str | None, str | None, str | None]:
    record = simulate(scenario, seed=1).record.incidents["leak"]
    return record.plan, record.lead, record.level


def test_a_special_plan_without_a_response_at_the_top_levels_still_governs_them() -> None:
    # Responses at IV and III only, triggers to I: a level-I gas incident is
    # decided at I by the gas plan, with what IV and III set (a level
    # includes the lower levels' actions); the general plan, with a response
    # at every level, does not step in.  No gap: the levels are only told
    # (CMD017) that they add nothing of their own.
    gas = _gas(levels={lv: EVERY[lv] for lv in (Level.IV, Level.III)})
    scenario = _scenario(_general(), gas, deaths=40)
    assert _led(scenario) == ("gas_plan", "gas_hq", "I")
    run = simulate(scenario, seed=1)
    assert set(run.record.incidents["leak"].hq) == {"gas_hq"}
    engine = Compiled(scenario).plan_for("gas", "t")
    assert engine is not None
    assert [t.id for t in engine.tasks[Level.I]] == ["work_iv", "work_iii"]
    cell = build_matrix(scenario.district).for_incident("gas", "t", Level.I)
    assert cell is not None and cell.governs is not None
    assert (cell.governs.plan, cell.lead, cell.leads, cell.no_response) == (
        "gas_plan",
        "gas_hq",
        ("gas_hq",),
        False,
    )
    assert (cell.governs.tasks, cell.governs.written) == (("work_iv", "work_iii"), False)
    found = [(f.code, f.path) for f in check(scenario.district).findings]
    assert [f for f in found if f[0] in ("CMD001", "CMD003", "CMD017")] == [
        ("CMD017", "plans[1].triggers[2].level"),
        ("CMD017", "plans[1].triggers[3].level"),
    ]
    # Written at III only: IV has nothing at or below it, the gap is there.
    high = _gas(levels={Level.III: EVERY[Level.III]})
    gaps = [f for f in check(_scenario(_general(), high, deaths=1).district).findings]
    assert [(f.code, f.path, f.message.split(":")[0]) for f in gaps if f.code == "CMD001"] == [
        ("CMD001", "plans[1].levels", "hazard 'gas' at level IV")
    ]
    assert _led(_scenario(_general(), high, deaths=1)) == ("gas_plan", "gas_hq", "IV")
    # Without triggers above III the incident stays at III, still the gas plan's.
    capped = _gas(triggers=GAS_TRIGGERS[:2], levels={lv: EVERY[lv] for lv in (Level.IV, Level.III)})
    assert _led(_scenario(_general(), capped, deaths=40)) == ("gas_plan", "gas_hq", "III")


def test_a_general_plan_naming_the_hazard_before_its_special_plan_governs_it() -> None:
    scenario = _scenario(_general(hazards=("gas",)), _gas(levels=EVERY), deaths=1)
    assert _led(scenario) == ("general_plan", "general_hq", "IV")
    matrix = build_matrix(scenario.district)
    for level in Level:
        cell = matrix.cell("district", "gas", level)
        assert cell is not None and cell.leads == ("general_hq",)
        assert cell.claims == ("general_hq", "gas_hq")
    overlap = [f for f in check(scenario.district).findings if f.code == "CMD002"]
    assert len(overlap) == 4
    assert overlap[0].message.endswith("the engine decides by 'general_plan'")
    assert overlap[0].path == "plans[1].levels.I"
    # After the special plan, it governs nothing of gas and claims nothing.
    after = _scenario(_gas(levels=EVERY), _general(hazards=("gas",)), deaths=1)
    assert _led(after) == ("gas_plan", "gas_hq", "IV")
    cell = build_matrix(after.district).cell("district", "gas", Level.IV)
    assert cell is not None and (cell.leads, cell.claims) == (("gas_hq",), ("gas_hq",))


def test_a_towns_general_plan_naming_no_hazard_covers_nothing() -> None:
    town_general = Plan(
        "t_general",
        kind=PlanKind.GENERAL,
        tier=PlanTier.TOWN,
        town="t",
        lead="t_hq",
        triggers=GAS_TRIGGERS[:1],
        levels={Level.IV: EVERY[Level.IV]},
    )
    scenario = _scenario(_gas(levels=EVERY), town_general, deaths=1, room=True)
    record = simulate(scenario, seed=1).record.incidents["leak"]
    assert (record.plan, record.lead, record.town_plan) == ("gas_plan", "gas_hq", None)
    matrix = build_matrix(scenario.district)
    assert not [c for c in matrix if c.tier == "town:t"]
    cell = matrix.for_incident("gas", "t", Level.IV)
    assert cell is not None and (cell.tier, cell.leads) == ("district", ("gas_hq",))


def test_a_town_plan_leads_up_to_its_top_level_and_hands_over_above() -> None:
    town_gas = Plan(
        "t_gas",
        tier=PlanTier.TOWN,
        town="t",
        hazards=("gas",),
        lead="t_hq",
        triggers=GAS_TRIGGERS[:1],
        levels={Level.IV: EVERY[Level.IV]},
        escalation=Escalation(hand_over=("gas_plan",)),
    )
    plans = (_gas(levels=EVERY), town_gas)
    small = simulate(_scenario(*plans, deaths=1, room=True), seed=1).record.incidents["leak"]
    assert (small.plan, small.lead, small.town_level) == ("t_gas", "t_hq", "IV")
    big = simulate(_scenario(*plans, deaths=12, room=True), seed=1).record.incidents["leak"]
    assert (big.plan, big.lead, big.peak_level) == ("gas_plan", "gas_hq", "II")
    assert big.handed_over is not None
    matrix = build_matrix(_scenario(*plans, deaths=1, room=True).district)
    leads = {lv: matrix.for_incident("gas", "t", lv) for lv in Level}
    assert {lv.value: c.leads for lv, c in leads.items() if c is not None} == {
        "IV": ("t_hq",),
        "III": ("gas_hq",),
        "II": ("gas_hq",),
        "I": ("gas_hq",),
    }
    # Without a duty room the town plan decides nothing: the district row stands.
    roomless = build_matrix(_scenario(*plans, deaths=1).district)
    row = roomless.cell("town:t", "gas", Level.IV)
    assert row is not None and row.leads == ("gas_hq",)


def test_a_cycle_through_a_district_plans_hand_over_is_not_reported() -> None:
    town_gas = Plan(
        "t_gas",
        tier=PlanTier.TOWN,
        town="t",
        hazards=("gas",),
        lead="t_hq",
        triggers=GAS_TRIGGERS[:1],
        levels={Level.IV: LevelResponse()},
        escalation=Escalation(hand_over=("gas_plan",)),
    )
    # gas_plan's hand-over back to the town plan never runs (CMD009 says so).
    gas = _gas(levels=EVERY, escalation=Escalation(hand_over=("t_gas",)))
    district = _scenario(gas, town_gas, deaths=1, room=True).district
    codes = check(district).codes()
    assert "CMD050" not in codes and "CMD009" in codes
    # A named plan the engine never picks (the first named lists the hazard)
    # is no link either.
    other = Plan(
        "t_other",
        tier=PlanTier.TOWN,
        town="t",
        hazards=("fire",),
        lead="t_hq",
        triggers=GAS_TRIGGERS[:1],
        levels={Level.IV: LevelResponse()},
        escalation=Escalation(hand_over=("t_gas",)),
    )
    both = attrs.evolve(town_gas, escalation=Escalation(hand_over=("gas_plan", "t_other")))
    district = _scenario(gas, both, other, deaths=1, room=True, hazards=("gas", "fire")).district
    assert "CMD050" not in check(district).codes()
    # ... while the same two town plans naming only each other go round.
    first = attrs.evolve(town_gas, escalation=Escalation(hand_over=("t_other",)))
    district = _scenario(gas, first, other, deaths=1, room=True, hazards=("gas", "fire")).district
    assert "CMD050" in check(district).codes()


def test_a_town_plan_without_hand_over_goes_to_the_general_plan() -> None:
    # No district plan names fire, but the general plan naming none takes
    # over what outgrows the town's plan (Compiled.hand_over_to): no CMD051.
    town_fire = Plan(
        "t_fire",
        tier=PlanTier.TOWN,
        town="t",
        hazards=("fire",),
        lead="t_hq",
        triggers=GAS_TRIGGERS[:1],
        levels={Level.IV: LevelResponse()},
    )
    both = ("gas", "fire")
    scenario = _scenario(
        _general(), _gas(levels=EVERY), town_fire, deaths=1, room=True, hazards=both
    )
    district = scenario.district
    comp = Compiled(scenario)
    town = comp.town_plan_for("fire", "t")
    assert town is not None
    after = comp.hand_over_to(town, "fire")
    assert after is not None and after.id == "general_plan"
    assert "CMD051" not in check(district).codes()
    alone = attrs.evolve(district, plans=(_gas(levels=EVERY), town_fire))
    assert "CMD051" in check(alone).codes()


def _town_gas(**kw: object) -> Plan:
    base: dict[str, object] = {
        "tier": PlanTier.TOWN,
        "town": "t",
        "hazards": ("gas",),
        "lead": "t_hq",
        "triggers": (_trig("IV", "deaths >= 1"),),
        "levels": {Level.IV: EVERY[Level.IV]},
    }
    base.update(kw)
    return Plan("t_gas", **base)  # type: ignore[arg-type]


def _leak(scenario: Scenario, **severity: float) -> Scenario:
    leak = attrs.evolve(scenario.incidents[0], timeline=[SeverityPoint(at=0, **severity)])
    return attrs.evolve(scenario, incidents=[leak])


def test_a_town_case_goes_up_at_its_own_level_where_only_the_district_plan_fires() -> None:
    # The town plan's trigger reads deaths, the district plan's households
    # too: 300 households and no death set IV by the district plan alone,
    # so the engine hands the case over at IV (Case.outgrown, model
    # governing.outgrown), below the town plan's top; one death keeps it.
    gas = _gas(triggers=(*GAS_TRIGGERS, _trig("IV", "households >= 100")), levels=EVERY)
    base = _scenario(gas, _town_gas(), deaths=0, room=True)
    up = simulate(_leak(base, deaths=0, households=300), seed=1).record.incidents["leak"]
    assert (up.town_plan, up.plan, up.lead, up.level) == ("t_gas", "gas_plan", "gas_hq", "IV")
    assert up.handed_over is not None
    kept = simulate(_leak(base, deaths=1), seed=1).record.incidents["leak"]
    assert (kept.town_plan, kept.town_level, kept.handed_over) == ("t_gas", "IV", None)
    cell = build_matrix(base.district).cell("town:t", "gas", Level.IV)
    assert cell is not None and cell.governs is not None and cell.handed is not None
    assert (cell.governs.plan, cell.leads, cell.handed.plan, cell.handed.lead) == (
        "t_gas",
        ("t_hq",),
        "gas_plan",
        "gas_hq",
    )
    assert cell.to_dict()["handed_over"]["plan"] == "gas_plan"
    # Above the top the district plan governs outright: nothing "handed" there.
    above = build_matrix(base.district).cell("town:t", "gas", Level.III)
    assert above is not None and above.governs is not None and above.handed is None
    assert above.governs.plan == "gas_plan"
    # A district plan whose triggers start at III takes no town case at IV;
    # nor one whose IV trigger the town plan has too (the bundled town plans'
    # shape): it never fires while the town plan's does not.
    for triggers in (GAS_TRIGGERS[1:], GAS_TRIGGERS):
        shaped = _scenario(_gas(triggers=triggers, levels=EVERY), _town_gas(), deaths=0, room=True)
        cell = build_matrix(shaped.district).cell("town:t", "gas", Level.IV)
        assert cell is not None and cell.handed is None
    # The engine agrees: with no households, the same incident stays the town's.
    same = _scenario(_gas(levels=EVERY), _town_gas(), deaths=0, room=True)
    stays = simulate(_leak(same, deaths=1), seed=1).record.incidents["leak"]
    assert (stays.town_plan, stays.handed_over) == ("t_gas", None)


def test_a_community_row_is_governed_as_the_district_row_says() -> None:
    # The engine decides no incident by a community-tier plan: a community's
    # gas incident is the district plan's, which the row now names.
    community = Plan(
        "c_gas",
        tier=PlanTier.COMMUNITY,
        hazards=("gas",),
        lead="t_hq",
        triggers=(_trig("IV", "deaths >= 1"),),
        levels={Level.IV: EVERY[Level.IV]},
    )
    scenario = _scenario(_gas(levels=EVERY), community, deaths=1)
    assert _led(scenario) == ("gas_plan", "gas_hq", "IV")
    cell = build_matrix(scenario.district).cell("community", "gas", Level.IV)
    assert cell is not None and cell.governs is not None
    assert (cell.governs.plan, cell.leads) == ("gas_plan", ("gas_hq",))
    # Its plans listed beside the governing one; one lead claims: no overlap.
    assert [e.plan for e in cell.entries] == ["gas_plan", "c_gas"]
    assert cell.claims == ("t_hq",)


def test_town_triggers_that_cover_a_case_only_together_hand_nothing_over() -> None:
    # Hand-checked.  The district plan sets IV on one death or one serious
    # injury (one trigger, two ways); the town plan on one death (its first
    # trigger) and on one serious injury (its second).  Neither town trigger
    # alone fires on every picture the district's does (one injury and no
    # death: only the second; one death and no injury: only the first), but
    # on every such picture one of them fires, so the engine's question
    # (model.governing.outgrown: the town plan's triggers set no level, the
    # successor's set one) is never yes at IV: the case stays the town's.
    either = Trigger(Level.IV, any_of=[C("deaths >= 1"), C("serious_injuries >= 1")])
    gas = _gas(triggers=(either, *GAS_TRIGGERS[1:]), levels=EVERY)
    both = (_trig("IV", "deaths >= 1"), _trig("IV", "serious_injuries >= 1"))
    base = _scenario(gas, _town_gas(triggers=both), deaths=0, room=True)
    for severity in ({"deaths": 1}, {"serious_injuries": 2}):
        kept = simulate(_leak(base, **severity), seed=1).record.incidents["leak"]
        assert (kept.town_plan, kept.town_level, kept.handed_over) == ("t_gas", "IV", None)
    cell = build_matrix(base.district).cell("town:t", "gas", Level.IV)
    assert cell is not None and cell.governs is not None
    assert (cell.governs.plan, cell.leads, cell.handed) == ("t_gas", ("t_hq",), None)
    # Each town trigger alone leaves the other way open: handed over at IV,
    # as the engine does on the picture the one trigger misses.
    for own, severity in ((both[0], {"serious_injuries": 2}), (both[1], {"deaths": 1})):
        alone = _scenario(gas, _town_gas(triggers=(own,)), deaths=0, room=True)
        up = simulate(_leak(alone, **severity), seed=1).record.incidents["leak"]
        assert (up.town_plan, up.plan, up.level) == ("t_gas", "gas_plan", "IV")
        assert up.handed_over is not None
        cell = build_matrix(alone.district).cell("town:t", "gas", Level.IV)
        assert cell is not None and cell.handed is not None and cell.handed.plan == "gas_plan"


def test_a_successor_trigger_the_same_picture_outranks_hands_over_at_the_higher_level() -> None:
    # The district plan's IV trigger (100 households) fires only where its
    # III one (also 100 households) does: the case goes up at III, the
    # level the district plan's triggers set together, never at IV.
    gas = _gas(
        triggers=(_trig("IV", "households >= 100"), _trig("III", "households >= 100")),
        levels=EVERY,
    )
    town = _town_gas(triggers=(_trig("IV", "deaths >= 1"), _trig("III", "deaths >= 3")))
    base = _scenario(gas, town, deaths=0, room=True)
    up = simulate(_leak(base, households=300), seed=1).record.incidents["leak"]
    assert (up.town_plan, up.plan, up.level) == ("t_gas", "gas_plan", "III")
    matrix = build_matrix(base.district)
    handed = {lv.value: c.handed for lv in Level if (c := matrix.cell("town:t", "gas", lv))}
    assert {k: v.plan for k, v in handed.items() if v is not None} == {"III": "gas_plan"}


def _signalled(scenario: Scenario, *, channel: bool = False) -> Scenario:
    """``scenario`` with a blue signal at the onset and no ground figure; a
    warning channel to the district room when ``channel``."""
    from cmdsim.model import ChannelKind, Signal

    leak = attrs.evolve(scenario.incidents[0], timeline=[SeverityPoint(at=0, signal=Signal.BLUE)])
    district = scenario.district
    if channel:
        warning = Channel(id="warning", kind=ChannelKind.WARNING, delay=Fixed(2), miss=0)
        district = attrs.evolve(district, channels=[*district.channels, warning])
    return attrs.evolve(scenario, district=district, incidents=[leak])


def test_a_district_plans_warning_link_hands_a_town_case_over_on_a_signal() -> None:
    # The district plan links blue to IV: a blue signal makes the district
    # room take the town's case at IV at once (sim/handover.claim), though
    # the town plan's top is IV and no ground report says anything.
    from cmdsim.model import Signal, WarningLink

    link = WarningLink(levels={Signal.BLUE: Level.IV, Signal.YELLOW: Level.III}, confirm=Fixed(2))
    gas = _gas(levels=EVERY, warnings=link)
    base = _scenario(gas, _town_gas(), deaths=0, room=True)
    taken = simulate(_signalled(base), seed=1).record.incidents["leak"]
    assert (taken.town_plan, taken.plan, taken.lead, taken.level) == (
        "t_gas",
        "gas_plan",
        "gas_hq",
        "IV",
    )
    assert taken.handed_over is not None
    matrix = build_matrix(base.district)
    cells = {lv.value: matrix.cell("town:t", "gas", lv) for lv in Level}
    iv = cells["IV"]
    assert iv is not None and iv.governs is not None and iv.linked is not None
    assert (iv.governs.plan, iv.leads, iv.handed, iv.linked.plan, iv.linked.lead) == (
        "t_gas",
        ("t_hq",),
        None,
        "gas_plan",
        "gas_hq",
    )
    assert iv.to_dict()["handed_over_by_link"]["plan"] == "gas_plan"
    # At III the gas plan governs anyway (above the town plan's top): the
    # link adds nothing to say there, nor at II and I, which it maps no colour to.
    assert [lv for lv, c in cells.items() if c is not None and c.linked is not None] == ["IV"]


def test_a_link_that_never_fires_or_belongs_to_the_town_plan_hands_nothing_over() -> None:
    from cmdsim.model import Confirmer, Signal, WarningLink

    # Confirmed by the duty room with no warning channel: the link never
    # fires (CMD018), the signal stays unheard and the case the town's.
    quiet = WarningLink(
        levels={Signal.BLUE: Level.IV}, confirm_by=Confirmer.DUTY_ROOM, confirm=Fixed(2)
    )
    base = _scenario(_gas(levels=EVERY, warnings=quiet), _town_gas(), deaths=0, room=True)
    kept = simulate(_signalled(base), seed=1).record.incidents["leak"]
    assert kept.handed_over is None
    cell = build_matrix(base.district).cell("town:t", "gas", Level.IV)
    assert cell is not None and cell.linked is None
    # With a warning channel the duty room hears the signal, and takes the case.
    heard = _signalled(base, channel=True)
    taken = simulate(heard, seed=1).record.incidents["leak"]
    assert (taken.plan, taken.handed_over is not None) == ("gas_plan", True)
    cell = build_matrix(heard.district).cell("town:t", "gas", Level.IV)
    assert cell is not None and cell.linked is not None and cell.linked.plan == "gas_plan"
    # The town plan's own link raises the town's level at its own room:
    # nothing is handed over by it.
    own = WarningLink(levels={Signal.BLUE: Level.IV}, confirm=Fixed(2))
    town = _scenario(_gas(levels=EVERY), _town_gas(warnings=own), deaths=0, room=True)
    stays = simulate(_signalled(town), seed=1).record.incidents["leak"]
    assert (stays.town_plan, stays.town_level, stays.handed_over) == ("t_gas", "IV", None)
    cell = build_matrix(town.district).cell("town:t", "gas", Level.IV)
    assert cell is not None and cell.linked is None and cell.handed is None


def _town_case(comp: Compiled, known: dict[str, object], reported: Level | None) -> Case:
    """The town room's case of a gas incident in ``t`` (the engine's
    ``Case``, outside a run): it knows ``known`` and a report stated ``reported``."""
    run = SimpleNamespace(env=SimpleNamespace(now=0.0))
    local = comp.town_plan_for("gas", "t")
    assert local is not None
    case = Case(run, "leak", "gas", "t", local)  # type: ignore[arg-type]
    case.successor = comp.hand_over_to(local, "gas")
    case.known = dict(known)
    case.reported = reported
    return case


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(_pairs(), st.data())
def test_every_hand_over_a_reported_level_makes_below_the_top_is_in_the_matrix(
    pair: _Pair, data: st.DataObject
) -> None:
    # As the test above, with a report stating a level (an inject's
    # ``level``): the engine's own Case asked what it wants (Case.wanted)
    # and whether that outgrows the town plan (Case.outgrown), as the town
    # room's decide asks it.  Each hand-over at or below the town plan's top
    # is named by the matrix's cell at that level, by the triggers
    # (``handed``) or on the report (``reported``): it misses none.  And
    # each level named either way has a witness on which the engine's Case
    # hands over at exactly that level: it names none the engine would not.
    flags, gas, town, comp, local = pair.flags, pair.gas, pair.town, pair.comp, pair.local
    matrix = pair.matrix
    assert local.top is not None
    for _ in range(30):
        known = data.draw(pair.pictures)
        stated = data.draw(st.sampled_from(Level))
        case = _town_case(comp, known, stated)
        for read in ((), flags):
            level = case.wanted(read)
            assert level is not None
            if level > local.top or not case.outgrown(level, read):
                continue
            cell = matrix.for_incident("gas", "t", level)
            assert cell is not None
            goes = cell.handed if cell.handed is not None else cell.reported
            assert goes is not None and goes.plan == "gas_plan", (level.value, known, read)
    named = {
        c.level: c
        for c in matrix
        if c.tier == "town:t" and (c.handed is not None or c.reported is not None)
    }
    found = handing(town, gas)
    assert set(named) == set(found.witness)
    for level, cell in named.items():
        witness = found.witness[level]
        # Named one way only; the report's way where the triggers' is not.
        assert (cell.handed is None) is (witness.reported is not None)
        assert (cell.reported is None) is (witness.reported is None)
        read = flags if witness.flagged else ()
        case = _town_case(comp, witness.known, witness.reported)
        assert case.wanted(read) == level, (level.value, witness)
        assert case.outgrown(level, read), (level.value, witness)


def _inject(scenario: Scenario, level: Level | None, **figures: float) -> Scenario:
    """``scenario`` whose gas incident states nothing on the ground, and an
    inject to the district room at minute 40 about it stating ``level`` and
    ``figures``."""
    told = Inject(
        id="call",
        at=40,
        message="a gas leak, level stated",
        hazard="gas",
        town="t",
        level=level,
        figures=figures,
    )
    leak = attrs.evolve(scenario.incidents[0], timeline=[SeverityPoint(at=0)])
    return attrs.evolve(scenario, incidents=[leak], injects=(told,))


def test_a_report_stating_a_level_hands_a_town_case_over_where_the_triggers_would_not() -> None:
    # Hand-checked.  The town plan sets IV on one death and III on three
    # (top III); the district plan also sets IV on 100 households.  An
    # inject stating level III and 300 households: the case wants III
    # (Case.wanted), the town plan's triggers set nothing on 300 households
    # and the district plan's set IV, so the town room hands it over at III
    # (Case.outgrown), below the top, though no trigger of either plan sets
    # III on that picture.  The matrix names gas_plan at IV by the triggers
    # and at III on a report; stating no figure, the town decides III itself.
    gas = _gas(triggers=(*GAS_TRIGGERS, _trig("IV", "households >= 100")), levels=EVERY)
    town = _town_gas(
        triggers=(_trig("IV", "deaths >= 1"), _trig("III", "deaths >= 3")),
        levels={Level.IV: EVERY[Level.IV], Level.III: EVERY[Level.III]},
    )
    base = _scenario(gas, town, deaths=0, room=True)
    up = simulate(_inject(base, Level.III, households=300), seed=1).record.incidents["leak"]
    assert (up.town_plan, up.plan, up.lead, up.level) == ("t_gas", "gas_plan", "gas_hq", "III")
    assert up.handed_over is not None
    kept = simulate(_inject(base, Level.III), seed=1).record.incidents["leak"]
    assert (kept.town_plan, kept.town_level, kept.handed_over) == ("t_gas", "III", None)
    matrix = build_matrix(base.district)
    cells = {lv.value: matrix.cell("town:t", "gas", lv) for lv in Level}
    iii, iv = cells["III"], cells["IV"]
    assert iii is not None and iii.governs is not None and iii.reported is not None
    assert (iii.governs.plan, iii.leads, iii.handed, iii.reported.plan) == (
        "t_gas",
        ("t_hq",),
        None,
        "gas_plan",
    )
    assert iii.to_dict()["handed_over_on_report"]["lead"] == "gas_hq"
    assert iv is not None and iv.handed is not None and iv.reported is None
    assert hand_over_text("t_hq", None, None, "gas_hq") == "t_hq (↑gas_hq on a report)"
    assert (
        hand_over_text("t_hq", None, "gas_hq", "gas_hq")
        == "t_hq (↑gas_hq on a report, also on a signal)"
    )
    witness = handing(town, gas).witness[Level.III]
    assert (witness.known, witness.reported) == ({"households": 100.0}, Level.III)
