"""CMD042 (a report late in most runs even with no queue), CMD052 (a town
plan without the district's warning link) and CMD053 (a town plan calling
officers in to another tier's duty room): each found, and left alone where
it does not apply."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.check import Severity, check
from cmdsim.check.chances import chance_within, median_of_sum
from cmdsim.model import Condition as C
from cmdsim.model import (
    Delay,
    District,
    DutyRoom,
    Empirical,
    Exponential,
    Fixed,
    Hazard,
    Level,
    LevelResponse,
    LogNormal,
    Plan,
    PlanKind,
    PlanTier,
    ReportDeadline,
    ReportLimit,
    Signal,
    Town,
    TownPlanSet,
    Triangular,
    Trigger,
    WarningLink,
)
from cmdsim.model.plans import Reinforce

ALL = {level: LevelResponse() for level in Level}


def written(within: float = 60.0, *, limit: float | None = 30.0, **extra: object) -> ReportDeadline:
    fields: dict[str, object] = {
        "duration": LogNormal(median=25.0, sigma=0.4),
        "transmit": Triangular(2.0, 5.0, 15.0),
    }
    fields.update(extra)
    limits = () if limit is None else (ReportLimit(limit, min_level=Level.II),)
    return ReportDeadline(id="written", within=within, limits=limits, **fields)  # type: ignore[arg-type]


def one_plan(*reports: ReportDeadline, triage: float = 0.0) -> District:
    return District(
        id="d",
        hazards=[Hazard("gas")],
        duty_room=DutyRoom(id="district_duty_room", triage=Fixed(triage)),
        plans=[Plan("gas", hazards=["gas"], levels=ALL, reports=reports)],
    )


def found(d: District, code: str) -> list[str]:
    return [f"{f.path}: {f.message}" for f in check(d).findings if f.code == code]


# --- CMD042 -----------------------------------------------------------------


def test_written_report_late_in_most_runs_at_its_level_limit() -> None:
    # The bundled plans' written report: 30 min at II and above, writing a
    # median of 25, sending 2-15 (median 6.9): on time in at most 40 %.
    hits = found(one_plan(written()), "CMD042")
    assert len(hits) == 1
    assert hits[0].startswith("plans[0].reports[0].limits[0].within: ")
    assert "due 30 min after aware at level II and above" in hits[0]
    assert "median of 32.5 min together" in hits[0]
    assert "at most 40% of runs" in hits[0]
    (item,) = [f for f in check(one_plan(written())).findings if f.code == "CMD042"]
    assert item.severity.value == "warning"


def test_a_limit_met_at_the_median_is_no_finding() -> None:
    assert found(one_plan(written(limit=35.0)), "CMD042") == []
    assert found(one_plan(written(limit=None)), "CMD042") == []


def test_the_fastest_path_to_knowing_counts() -> None:
    # Fixed writing 10 + sending 1 within 15: fine with no triage, but the
    # district room's own triage of 5 leaves only 10 for 11 of work.
    duty = ReportDeadline(id="phone", within=15.0, duration=Fixed(10.0), transmit=Fixed(1.0))
    assert found(one_plan(duty), "CMD042") == []
    # A report late in every run is CMD041's, not CMD042's.
    d = one_plan(duty, triage=5.0)
    assert found(d, "CMD041") and not found(d, "CMD042")
    varied = ReportDeadline(
        id="phone", within=15.0, duration=LogNormal(median=10.0, sigma=0.3), transmit=Fixed(1.0)
    )
    hits = found(one_plan(varied, triage=5.0), "CMD042")
    assert len(hits) == 1 and "knows 5 triage = 5 min after at the earliest" in hits[0]
    assert found(one_plan(varied), "CMD042") == []


def test_json_output_and_exit_code(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cmdsim.cli import main

    district = tmp_path / "district.yaml"
    lines = [
        "id: d",
        "hazards: [{id: gas}]",
        "units: [{id: gas_company}]",
        "commands: [{id: gas_hq, lead_unit: gas_company}]",
        "plans:",
        "  - id: gas",
        "    hazards: [gas]",
        "    lead: gas_hq",
        "    levels: {IV: {}, III: {}, II: {}, I: {}}",
        '    triggers: [{level: IV, any_of: ["deaths >= 1"]}]',
        "    reports:",
        "      - {id: written_report, within: 30, duration: {kind: lognormal, median: 25,"
        " sigma: 0.4}, transmit: {kind: triangular, low: 2, mode: 5, high: 15}}",
    ]
    district.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(district), "--json"])
    assert result.exit_code == 0, result.output  # a warning only
    (item,) = [f for f in json.loads(result.output)["reports"][0]["findings"]]
    assert item["code"] == "CMD042" and item["severity"] == "warning"
    assert item["title"] == "report deadline missed in most runs"
    assert (item["path"], item["line"]) == ("plans[0].reports[0].within", 12)


_DELAYS = st.one_of(
    st.builds(Fixed, st.floats(0, 30)),
    st.builds(Exponential, st.floats(0.5, 20)),
    st.builds(LogNormal, st.floats(0.5, 30), st.just(0.0) | st.floats(0.05, 1.5)),
    st.tuples(st.floats(0, 10), st.floats(0, 10), st.floats(0, 10)).map(
        lambda t: Triangular(*sorted(t))
    ),
    st.lists(st.floats(0, 30), min_size=1, max_size=6).map(lambda xs: Empirical(xs)),
)


@settings(max_examples=60)
@given(first=_DELAYS, second=_DELAYS, seed=st.integers(0, 2**32 - 1))
def test_chance_within_matches_the_draws(first: Delay, second: Delay, seed: int) -> None:
    """The checker's chance is what the engine's draws give (two named
    streams, independent), within sampling error."""
    rng = np.random.default_rng(seed)
    n = 20_000
    sums = first.sample_many(rng, n) + second.sample_many(rng, n)
    for q in (0.25, 0.5, 0.75):
        at = float(np.quantile(sums, q))
        # Sampling error (4 sd ~ 0.014) plus the quantile rule's; either
        # side of ``at`` so that an atom (a fixed or empirical value) is
        # compared with what falls below it and with what falls at it.
        assert chance_within(first, second, at + 1e-6) >= float(np.mean(sums <= at)) - 0.03
        assert chance_within(first, second, at - 1e-6) <= float(np.mean(sums < at)) + 0.03


@given(
    median=st.floats(0.5, 30),
    sigma=st.floats(0.05, 1.5),
    minutes=st.floats(0, 1e-300, allow_subnormal=True),
)
def test_a_lognormal_below_any_time_it_can_take(
    median: float, sigma: float, minutes: float
) -> None:
    """A time so small that ``minutes / median`` underflows (a subnormal
    float, which hypothesis once found through CMD042's bounds) has no
    chance, not a ``math domain error``."""
    at_once = Empirical([0.0])  # sending that takes no time: the sum is the writing alone
    assert chance_within(at_once, LogNormal(median, sigma), minutes) == 0.0
    assert chance_within(LogNormal(median, sigma), at_once, 5e-324) == 0.0


@settings(max_examples=60)
@given(
    first=_DELAYS,
    second=_DELAYS,
    knowing=st.floats(0, 20),
    limit=st.floats(1, 120),
    lower=st.floats(0.1, 60),
)
def test_a_shorter_limit_is_flagged_whenever_a_longer_one_is(
    first: Delay, second: Delay, knowing: float, limit: float, lower: float
) -> None:
    """Monotone: a report late in most runs is late in most runs with less
    time; and the flag is exactly "the median of writing and sending
    exceeds the time left"."""

    def flagged(within: float) -> bool:
        duty = ReportDeadline(id="r", within=within, duration=first, transmit=second)
        return bool(found(one_plan(duty, triage=knowing), "CMD042"))

    shorter = max(limit - lower, 0.0)
    if flagged(limit):
        assert flagged(shorter) or found(
            one_plan(
                ReportDeadline(id="r", within=shorter, duration=first, transmit=second),
                triage=knowing,
            ),
            "CMD041",
        )
    median = median_of_sum(first, second)
    if (
        limit - knowing >= median + 0.01
        and found(
            one_plan(
                ReportDeadline(id="r", within=limit, duration=first, transmit=second),
                triage=knowing,
            ),
            "CMD041",
        )
        == []
    ):
        assert not flagged(limit)


# --- CMD052, CMD053 -----------------------------------------------------------


def towns_district(*town_plans: Plan, link: bool = True) -> District:
    district_plan = Plan(
        "flood",
        hazards=["flood"],
        levels=ALL,
        warnings=WarningLink(levels={Signal.BLUE: Level.IV, Signal.YELLOW: Level.III})
        if link
        else None,
    )
    return District(
        id="d",
        hazards=[Hazard("flood", forecastable=True), Hazard("gas")],
        towns=[
            Town("t1", plan_set=TownPlanSet(), duty_room=DutyRoom(id="t1_room")),
            Town("t2", plan_set=TownPlanSet(), duty_room=DutyRoom(id="t2_room")),
        ],
        plans=[district_plan, Plan("gas", hazards=["gas"], levels=ALL), *town_plans],
    )


IV_ON_RAIN = (Trigger(Level.IV, any_of=[C.parse("rainfall >= 20")]),)


def town_flood(**extra: object) -> Plan:
    fields: dict[str, object] = {
        "hazards": ["flood"],
        "tier": PlanTier.TOWN,
        "town": "t1",
        "triggers": IV_ON_RAIN,
        "levels": {Level.IV: LevelResponse()},
    }
    fields.update(extra)
    return Plan("t1_flood", **fields)  # type: ignore[arg-type]


def test_town_plan_without_the_districts_link() -> None:
    hits = found(towns_district(town_flood()), "CMD052")
    assert len(hits) == 1
    assert hits[0].startswith("plans[2].warnings: town plan 't1_flood' governs 'flood'")
    # The fix names the link for the levels the town's triggers reach (IV).
    assert "add `warnings: {levels: {blue: IV}, confirm_by: office}`" in hits[0]


def test_town_plan_with_its_own_link_or_no_district_link_is_fine() -> None:
    own = WarningLink(levels={Signal.BLUE: Level.IV})
    assert found(towns_district(town_flood(warnings=own)), "CMD052") == []
    assert found(towns_district(town_flood(), link=False), "CMD052") == []
    # The district's signals start only levels beyond the town plan (III
    # against its IV): the district's link takes the case over at once.
    beyond = towns_district(town_flood())
    district_plan = attrs.evolve(
        beyond.plans[0], warnings=WarningLink(levels={Signal.YELLOW: Level.III})
    )
    beyond = attrs.evolve(beyond, plans=[district_plan, *beyond.plans[1:]])
    assert found(beyond, "CMD052") == []
    # A town plan for a hazard the district answers from reports only.
    gas = town_flood(hazards=["gas"])
    assert found(towns_district(gas), "CMD052") == []


def test_a_town_general_plan_counts_where_no_special_plan_of_its_town_does() -> None:
    general = Plan(
        "t1_general", kind=PlanKind.GENERAL, tier=PlanTier.TOWN, town="t1", triggers=IV_ON_RAIN
    )
    hits = found(towns_district(general), "CMD052")
    assert len(hits) == 1 and "'t1_general' governs 'flood'" in hits[0]
    own = WarningLink(levels={Signal.BLUE: Level.IV})
    assert found(towns_district(general, town_flood(warnings=own)), "CMD052") == []


def test_town_plan_calling_in_another_tiers_room() -> None:
    for room, whose in (("district_duty_room", "the district's"), ("t2_room", "not of 't1'")):
        plan = town_flood(
            levels={Level.IV: LevelResponse(reinforce=[Reinforce(room=room, officers=2)])},
            warnings=WarningLink(levels={Signal.BLUE: Level.IV}),
        )
        report = check(towns_district(plan))
        (hit,) = [f for f in report.findings if f.code == "CMD053"]
        assert hit.path == "plans[2].levels.IV.reinforce[0].room"
        assert whose in hit.message and "its own is 't1_room'" in hit.message
        assert hit.severity is Severity.ERROR  # `cmdsim check` exits 1


def test_own_room_and_a_district_plan_calling_in_a_town_room_are_fine() -> None:
    own = town_flood(
        levels={Level.IV: LevelResponse(reinforce=[Reinforce(room="t1_room", officers=2)])},
        warnings=WarningLink(levels={Signal.BLUE: Level.IV}),
    )
    d = towns_district(own)
    district_calls = Plan(
        "flood",
        hazards=["flood"],
        levels={
            **ALL,
            Level.IV: LevelResponse(reinforce=[Reinforce(room="t2_room", officers=1)]),
        },
        warnings=WarningLink(levels={Signal.BLUE: Level.IV}),
    )
    d = District(
        **{
            **{f: getattr(d, f) for f in ("id", "hazards", "towns")},
            "plans": [district_calls, *d.plans[1:]],
        }
    )
    assert found(d, "CMD053") == []


def test_bundled_district_findings() -> None:
    """The bundled district has no error; its warnings are the 26 district
    plans' written reports at II and above (CMD042), the community handbook's
    missing chapters (CMD063) and the 36 towns' general plans that govern no
    incident (CMD006; the district's is put in force by its takeover rule),
    nothing else, and the district accepts each of them, with its reasons."""
    from cmdsim.io import load_with_locations

    root = Path(__file__).resolve().parents[2] / "scenarios" / "district"
    loaded = load_with_locations(root)
    report = check(loaded.value, loaded.locations)
    assert report.ok
    assert set(report.codes()) == {"CMD042", "CMD043", "CMD063", "CMD006", "CMD026"}
    written = [f for f in report.findings if f.code == "CMD042"]
    district_plans = [p for p in loaded.value.plans if p.tier is PlanTier.DISTRICT]
    assert len(written) == len(district_plans) == 26
    for f in written:
        assert f.path.endswith(".limits[0].within"), f
        assert "report 'written_report'" in f.message and "at level II and above" in f.message
        assert f.accepted is not None and f.accepted.path == "accept[0]"
        assert "illustrative" in f.accepted.reason
    handbook = [f for f in report.findings if f.code == "CMD063"]
    assert len(handbook) == 20
    for f, i in zip(handbook, range(1, 21), strict=True):
        assert f.accepted is not None and f.accepted.path == f"accept[{i}]"
    assert "'gas'" in handbook[0].message
    assert not any("'fire'" in f.message for f in handbook)
    idle = [f for f in report.findings if f.code == "CMD006"]
    general = [p.id for p in loaded.value.plans if p.kind is PlanKind.GENERAL]
    assert len(general) == 37 and "general_plan" in general
    assert len(idle) == 36 and not any("'general_plan'" in f.message for f in idle)
    for f in idle:
        assert f.accepted is not None and f.accepted.path == "accept[21]"
    daily = [f for f in report.findings if f.code == "CMD043"]
    assert len(daily) == 24 and not any("'flood_typhoon_plan'" in f.message for f in daily)
    assert all(f.accepted is not None and f.accepted.path == "accept[22]" for f in daily)
    assert report.counts() == {"error": 0, "warning": 0, "info": 0, "accepted": 107}


# --- CMD054 -----------------------------------------------------------------


def calling_district(*town_plans: Plan, at: Level = Level.IV, room: str = "d_room") -> District:
    """``towns_district`` whose flood plan calls one officer in to ``room`` at ``at``."""
    d = towns_district(*town_plans)
    levels = {**ALL, at: LevelResponse(reinforce=[Reinforce(room=room, officers=1)])}
    return attrs.evolve(
        d,
        duty_room=DutyRoom(id="d_room"),
        plans=[attrs.evolve(d.plans[0], levels=levels), *d.plans[1:]],
    )


OWN_LINK = WarningLink(levels={Signal.BLUE: Level.IV})


def test_town_plan_without_the_districts_call_in() -> None:
    hits = found(calling_district(town_flood(warnings=OWN_LINK)), "CMD054")
    assert hits == [
        "plans[2].levels.IV.reinforce: town plan 't1_flood' calls no officers in to its own "
        "room 't1_room' at level IV, where district plan 'flood' for 'flood' calls 1 to "
        "'d_room' (加强值班 is every tier's office's): add `reinforce: [{room: t1_room, "
        "officers: N}]` to its level IV, N within what the room's shifts can take"
    ]
    (hit,) = [f for f in check(calling_district(town_flood())).findings if f.code == "CMD054"]
    assert hit.severity is Severity.WARNING  # `cmdsim check` still exits 0
    # A town plan without the level in its `levels` is pointed at them.
    bare = town_flood(levels={})
    assert found(calling_district(bare), "CMD054")[0].startswith("plans[2].levels: ")
    # A town's general plan governs the flood where no special plan of its town does.
    general = Plan(
        "t1_general", kind=PlanKind.GENERAL, tier=PlanTier.TOWN, town="t1", triggers=IV_ON_RAIN
    )
    (hit_general,) = found(calling_district(general), "CMD054")
    assert "town plan 't1_general'" in hit_general


def test_town_plan_calling_in_its_own_room_or_not_concerned_is_fine() -> None:
    own = town_flood(
        levels={Level.IV: LevelResponse(reinforce=[Reinforce(room="t1_room", officers=1)])}
    )
    assert found(calling_district(own), "CMD054") == []
    # A level includes the lower levels' call-ins: IV's officer is on duty at III.
    up_to_iii = attrs.evolve(
        own,
        triggers=(*IV_ON_RAIN, Trigger(Level.III, any_of=[C.parse("rainfall >= 50")])),
        levels={**own.levels, Level.III: LevelResponse()},
    )
    assert found(calling_district(up_to_iii, at=Level.III), "CMD054") == []
    # The district calls in only beyond the town plan's top (IV): it governs there.
    assert found(calling_district(town_flood(), at=Level.III), "CMD054") == []
    # ... but a town plan reaching III is short of the district's III call-in.
    reaching = attrs.evolve(
        town_flood(),
        triggers=(*IV_ON_RAIN, Trigger(Level.III, any_of=[C.parse("rainfall >= 50")])),
    )
    (hit,) = found(calling_district(reaching, at=Level.III), "CMD054")
    assert hit.startswith("plans[2].levels: ") and "at level III" in hit
    # The district plan strengthens the town room itself.
    assert found(calling_district(town_flood(), room="t1_room"), "CMD054") == []
    # Another hazard, or a district plan that calls nobody in.
    assert found(calling_district(town_flood(hazards=["gas"])), "CMD054") == []
    assert found(towns_district(town_flood()), "CMD054") == []
    # A town with no duty room runs no town plan (CMD053 names the room missing).
    d = calling_district(town_flood())
    d = attrs.evolve(d, towns=[Town("t1", plan_set=TownPlanSet()), *d.towns[1:]])
    assert found(d, "CMD054") == []


def test_bundled_towns_without_their_call_ins_give_cmd054() -> None:
    """The bundled district has no CMD054 (test_bundled_district_findings)
    because each town's flood plan calls its officer in: without those
    call-ins each of the 36 is found, at its level IV."""
    from cmdsim.io import load_with_locations

    root = Path(__file__).resolve().parents[2] / "scenarios" / "district"
    district = load_with_locations(root).value
    plans = [
        attrs.evolve(
            p,
            levels={lv: attrs.evolve(r, reinforce=()) for lv, r in p.levels.items()},
        )
        if p.tier is PlanTier.TOWN
        else p
        for p in district.plans
    ]
    hits = [f for f in check(attrs.evolve(district, plans=plans)).findings if f.code == "CMD054"]
    assert len(hits) == len(district.towns) == 36
    assert {h.path.split(".", 1)[1] for h in hits} == {"levels.IV.reinforce"}
    assert all("_flood_typhoon_plan" in h.message for h in hits)
