"""One response per site and over-response: exact timelines checked by hand.

Two hazards, ``road`` (lead ``road_hq``) and ``hazmat`` (lead ``hazmat_hq``);
HQs with no posts are active at once.  The hotline reports 10 minutes after
each onset; one duty-room officer triages for 5; a leader approves for 8.
The general plan's merge rule makes a road accident and a hazmat release on
one site within 60 minutes one response, the road plan leading.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis.metrics import flatten, known_metrics
from cmdsim.model import Inject, Level, MergeRule
from cmdsim.model.conditions import Condition, Trigger
from cmdsim.model.organisation import (
    Channel,
    ChannelKind,
    Command,
    DutyRoom,
    Hazard,
    OfficerNetwork,
    Town,
    Unit,
)
from cmdsim.model.plans import LevelResponse, Plan, PlanKind, ReportDeadline, Task
from cmdsim.model.scenario import District, Incident, Scenario, SeverityPoint
from cmdsim.model.sites import site_groups
from cmdsim.model.timing import Fixed, Staffing
from cmdsim.sim import simulate
from cmdsim.sim.results import RunResult

from .build import ONE, START

KINDS = (
    "level_decided",
    "level_escalated",
    "incident_merged",
    "two_leads",
    "over_response",
    "hq_notified",
    "hq_level_changed",
)


def _plan(ident: str, hazard: str, lead: str, attribute: str, task: str, **extra: object) -> Plan:
    return Plan(
        id=ident,
        hazards=(hazard,),
        lead=lead,
        triggers=(
            Trigger(Level.IV, any_of=(Condition.parse(f"{attribute} >= 0"),)),
            Trigger(Level.III, any_of=(Condition.parse(f"{attribute} >= 10"),)),
        ),
        levels={
            level: LevelResponse(tasks=(Task(id=task, unit="police", duration=Fixed(30.0)),))
            for level in (Level.IV, Level.III)
        },
        # Written by a unit, so the duty room's one officer only triages.
        reports=(ReportDeadline(id="phone", by="police", within=30.0, duration=Fixed(10.0)),),
        **extra,  # type: ignore[arg-type]
    )


def district(merge: tuple[MergeRule, ...] = (), road_flags: tuple[str, ...] = ()) -> District:
    general = Plan(id="general_plan", kind=PlanKind.GENERAL, merge=merge)
    return District(
        id="tiny",
        hazards=(Hazard(id="road"), Hazard(id="hazmat")),
        units=(Unit(id="police", staff=5),),
        commands=(
            Command(id="road_hq", lead_unit="police", factors=ONE),
            Command(id="hazmat_hq", lead_unit="police", factors=ONE),
        ),
        duty_room=DutyRoom(
            id="district_duty_room",
            staffing=Staffing(day=1, night=1, holiday=1),
            triage=Fixed(5.0),
            approval=Fixed(8.0),
            factors=ONE,
        ),
        towns=(Town(id="town_a"),),
        officers=OfficerNetwork(),
        channels=(
            Channel(
                id="hotline", kind=ChannelKind.HOTLINE, delay=Fixed(10.0), miss=0.0, factors=ONE
            ),
        ),
        plans=(
            general,
            _plan(
                "road_plan", "road", "road_hq", "deaths", "scene_control", raise_flags=road_flags
            ),
            _plan("hazmat_plan", "hazmat", "hazmat_hq", "serious_injuries", "plug_leak"),
        ),
    )


RULE = MergeRule(id="one_site", hazards=("road", "hazmat"), window=60.0)


def two_incidents(
    apart: float, *, site_b: str = "s1", merge: tuple[MergeRule, ...] = (RULE,)
) -> Scenario:
    """A road accident at 60 (1 dead: road IV) and a hazmat release ``apart``
    minutes later (12 seriously injured: hazmat III)."""
    return Scenario(
        id="site",
        district=district(merge),
        start=START,
        horizon=400.0,
        incidents=(
            Incident(
                id="crash",
                hazard="road",
                town="town_a",
                site="s1",
                onset=START + dt.timedelta(minutes=60),
                timeline=(SeverityPoint(at=0, deaths=1),),
            ),
            Incident(
                id="leak",
                hazard="hazmat",
                town="town_a",
                site=site_b,
                onset=START + dt.timedelta(minutes=60 + apart),
                timeline=(SeverityPoint(at=0, serious_injuries=12),),
            ),
        ),
    )


def _log(result: RunResult) -> list[tuple[float, str, str, str | None]]:
    return [(e.time, e.kind, e.actor, e.incident) for e in result.events if e.kind in KINDS]


def test_two_sub_incidents_ten_minutes_apart_are_one_response() -> None:
    # crash: reported 70, triaged 75, IV approved 83 (1 dead: road IV).
    # leak: reported 80, where it joins the crash's case (incident_merged;
    # two_leads, resolved by the rule); triaged 80-85, so the case learns of
    # 12 seriously injured at 85: the merged hazmat plan gives III, approved
    # 8 minutes later at 93.  Both HQs are notified at each level; the road
    # HQ leads.
    result = simulate(two_incidents(10.0), 0)
    assert _log(result) == [
        (80.0, "incident_merged", "district_duty_room", "crash"),
        (80.0, "two_leads", "district_duty_room", "crash"),
        (83.0, "level_decided", "district_duty_room", "crash"),
        (83.0, "hq_notified", "road_hq", "crash"),
        (83.0, "hq_notified", "hazmat_hq", "crash"),
        (93.0, "level_escalated", "district_duty_room", "crash"),
        (93.0, "hq_level_changed", "road_hq", "crash"),
        (93.0, "hq_level_changed", "hazmat_hq", "crash"),
    ]
    merged = result.of_kind("incident_merged")[0]
    assert dict(merged.details) == {
        "merged": "leak",
        "site": "s1",
        "rule": "one_site",
        "lead": "road_hq",
        "plan": "road_plan",
    }
    two = result.of_kind("two_leads")[0]
    assert two.detail("resolved_by") == "one_site"
    assert list(two.detail("leads")) == ["road_hq", "hazmat_hq"]
    m = result.metrics
    assert m["merge"] == {"incidents": 1, "two_leads": 0}
    crash, leak = m["incident"]["crash"], m["incident"]["leak"]
    assert (crash["lead"], crash["plan"], crash["merged"]) == ("road_hq", "road_plan", ["leak"])
    assert (crash["level"], crash["peak_level"]) == ("IV", "III")
    assert sorted(crash["hq"]) == ["hazmat_hq", "road_hq"]
    # One set of tasks: the road plan's and the merged hazmat plan's, once each.
    assert sorted(crash["deadline"]) == ["phone", "plug_leak", "scene_control"]
    # One set of reports: the leading road plan's phone report, called once.
    assert [(k, v["called"]) for k, v in crash["reporting"].items()] == [("phone", 1)]
    assert crash["reports"] == 2  # the case received both sub-incidents' reports
    assert leak["merged_into"] == "crash"
    assert (leak["aware"], leak["level_decided"], leak["lead"]) == (10.0, 13.0, "road_hq")
    assert (leak["reports"], leak["hq"], leak["required_level"], leak["level_ok"]) == (
        1,
        {},
        "III",
        True,
    )
    tasks = sorted(e.detail("task") for e in result.of_kind("task_assigned"))
    assert tasks == ["plug_leak", "scene_control"]
    assert {e.incident for e in result.of_kind("task_assigned")} == {"crash"}


def test_ninety_minutes_apart_is_outside_the_window() -> None:
    # crash: IV at 83 under road_hq.  leak at 150: reported 160, triaged 165,
    # III approved 173 under hazmat_hq while the crash's IV is in force on
    # the same site: two leads, no rule resolving them.
    result = simulate(two_incidents(90.0), 0)
    assert _log(result) == [
        (83.0, "level_decided", "district_duty_room", "crash"),
        (83.0, "hq_notified", "road_hq", "crash"),
        (173.0, "level_decided", "district_duty_room", "leak"),
        (173.0, "two_leads", "district_duty_room", "leak"),
        (173.0, "hq_notified", "hazmat_hq", "leak"),
    ]
    two = result.of_kind("two_leads")[0]
    assert two.detail("resolved_by") is None
    assert list(two.detail("incidents")) == ["crash", "leak"]
    assert result.metrics["merge"] == {"incidents": 0, "two_leads": 1}
    leak = result.metrics["incident"]["leak"]
    assert (leak["lead"], leak["level"], "merged_into" in leak) == ("hazmat_hq", "III", False)
    assert list(leak["reporting"]) == ["phone"]  # its own case, its own reports


def test_different_sites_do_not_merge() -> None:
    result = simulate(two_incidents(10.0, site_b="s2"), 0)
    assert not result.of_kind("incident_merged")
    assert not result.of_kind("two_leads")
    assert result.metrics["merge"] == {"incidents": 0, "two_leads": 0}
    assert result.metrics["incident"]["leak"]["lead"] == "hazmat_hq"


def test_without_a_rule_two_leads_on_one_site_are_logged_unresolved() -> None:
    result = simulate(two_incidents(10.0, merge=()), 0)
    assert [e.detail("resolved_by") for e in result.of_kind("two_leads")] == [None]
    assert result.metrics["merge"]["two_leads"] == 1


def test_groups_follow_the_window_from_the_first_onset_and_the_precedence() -> None:
    base = two_incidents(10.0)
    third = attrs.evolve(base.incidents[0], id="crash2", onset=START + dt.timedelta(minutes=125))
    sc = attrs.evolve(base, incidents=(base.incidents[1], base.incidents[0], third))
    groups = site_groups(sc)
    # crash2 is 65 minutes after the first onset (60): a group of its own, left out.
    assert set(groups) == {"crash", "leak"}
    # The road plan leads (first in the rule) though the leak is listed first.
    assert groups["leak"].key == "crash" and groups["leak"].members == ("crash", "leak")


def test_merge_metrics_are_known_and_flat() -> None:
    sc = two_incidents(10.0)
    flat = flatten(simulate(sc, 0))
    assert flat["merge.incidents"] == 1.0
    assert flat["incident.crash.over_response"] == 0.0
    assert set(flat) <= known_metrics(sc)


# Over-response ------------------------------------------------------------


def one_crash(*, flags: tuple[str, ...] = (), road_flags: tuple[str, ...] = ()) -> Scenario:
    base = two_incidents(10.0)
    crash = attrs.evolve(base.incidents[0], flags=flags)
    return attrs.evolve(
        base, district=district(road_flags=road_flags), incidents=(crash,), injects=()
    )


def test_an_injects_level_above_the_triggers_is_over_response() -> None:
    # The inject (at 65, level II) is triaged 65-70 with nothing known:
    # II approved at 78 while the triggers give nothing.  The hotline's report
    # (70, triaged 70-75: 1 dead, IV) changes nothing: II is in force.
    sc = attrs.evolve(
        one_crash(), injects=(Inject(id="call", at=65.0, hazard="road", level=Level.II),)
    )
    result = simulate(sc, 0)
    over = result.of_kind("over_response")
    assert [(e.time, e.detail("level"), e.detail("warranted"), e.detail("by")) for e in over] == [
        (78.0, "II", "IV", "report")
    ]
    record = result.metrics["incident"]["crash"]
    assert (record["level"], record["over_response"], record["level_ok"]) == ("II", True, True)


def test_a_level_the_triggers_give_is_not_over_response() -> None:
    result = simulate(one_crash(), 0)
    assert not result.of_kind("over_response")
    assert result.metrics["incident"]["crash"]["over_response"] is False


def test_a_raise_flag_the_plan_lists_makes_the_higher_level_warranted() -> None:
    inject = (Inject(id="call", at=65.0, hazard="road", level=Level.III),)
    flagged = attrs.evolve(
        one_crash(flags=("major_event",), road_flags=("major_event",)), injects=inject
    )
    assert simulate(flagged, 0).metrics["incident"]["crash"]["over_response"] is False
    unlisted = attrs.evolve(one_crash(flags=("major_event",)), injects=inject)
    assert simulate(unlisted, 0).metrics["incident"]["crash"]["over_response"] is True


def test_no_level_no_over_response_verdict() -> None:
    sc = attrs.evolve(one_crash(), horizon=70.0)
    assert simulate(sc, 0).metrics["incident"]["crash"]["over_response"] is None


def test_the_compound_typhoons_pileup_and_tanker_leak_are_one_response() -> None:
    """As in the traffic drill: one place (Zhuqiao, on the expressway), one
    site, so the general plan's merge rule makes them one case."""
    from cmdsim.io import load_scenario

    sc = load_scenario(Path(__file__).parents[2] / "scenarios" / "compound-typhoon.yaml")
    pileup, tanker = (next(i for i in sc.incidents if i.id == n) for n in PILEUP_AND_TANKER)
    assert (pileup.town, pileup.location_type) == (tanker.town, tanker.location_type)
    assert site_groups(sc)["tanker_leak"].members == PILEUP_AND_TANKER
    result = simulate(sc, 0)
    assert result.metrics["merge"] == {"incidents": 1, "two_leads": 0}
    record = result.metrics["incident"]["expressway_pileup"]
    assert (record["lead"], record["merged"]) == ("road_traffic_hq", ["tanker_leak"])
    assert {"road_traffic_hq", "hazardous_chemicals_hq"} <= set(record["hq"])
    assert result.metrics["incident"]["tanker_leak"]["merged_into"] == "expressway_pileup"
    assert [e.detail("resolved_by") for e in result.of_kind("two_leads")] == ["traffic_hazmat_site"]


PILEUP_AND_TANKER = ("expressway_pileup", "tanker_leak")


# The fast path ----------------------------------------------------------------


def test_fast_path_refuses_a_merged_site() -> None:
    from cmdsim.analysis.fastpath import permits

    merged = permits(two_incidents(10.0), ["incident.crash.level_decided"], unlimited=True)
    assert merged is not None and "merge rule one_site" in merged
    # Outside the window nothing merges: the merge is not the reason then.
    apart = permits(two_incidents(90.0), ["incident.crash.level_decided"], unlimited=True)
    assert apart is None or "merge rule" not in apart


def test_fast_path_refuses_over_response() -> None:
    from cmdsim.analysis.fastpath import permits

    sc = two_incidents(10.0, site_b="s2")
    assert permits(sc, ["incident.crash.level_decided"], unlimited=True) is None
    reason = permits(sc, ["incident.crash.over_response"], unlimited=True)
    assert reason is not None and "over-response" in reason


# Bad input and invariants -----------------------------------------------------


def test_a_merge_rule_naming_an_unknown_hazard_is_a_located_error(tmp_path: Path) -> None:
    import shutil

    import pytest

    from cmdsim.errors import LoadError
    from cmdsim.io import load_district

    root = Path(__file__).resolve().parents[2]
    shutil.copytree(root / "scenarios" / "district", tmp_path / "district")
    general = tmp_path / "district" / "plans" / "general.yaml"
    text = general.read_text(encoding="utf-8")
    general.write_text(
        text.replace("hazards: [road_traffic, hazardous_chemicals]", "hazards: [road_trafic]"),
        encoding="utf-8",
    )
    line = next(
        n for n, row in enumerate(general.read_text().splitlines(), 1) if "road_trafic" in row
    )
    with pytest.raises(LoadError) as caught:
        load_district(tmp_path / "district")
    assert f"general.yaml:{line}:" in str(caught.value)
    assert "unknown hazard 'road_trafic' (did you mean 'road_traffic' (道路交通事故)?)" in str(
        caught.value
    )


@st.composite
def sited(draw: st.DrawFn) -> Scenario:
    """Up to five incidents of either hazard on two sites, onsets 0-150 minutes."""
    base = two_incidents(10.0)
    n = draw(st.integers(1, 5))
    incidents = []
    for k in range(n):
        template = base.incidents[draw(st.integers(0, 1))]
        incidents.append(
            attrs.evolve(
                template,
                id=f"i{k}",
                site=draw(st.sampled_from(["s1", "s2", None])),
                onset=START + dt.timedelta(minutes=draw(st.integers(0, 150))),
            )
        )
    window = float(draw(st.integers(0, 90)))
    rule = attrs.evolve(RULE, window=window)
    return attrs.evolve(base, district=district((rule,)), incidents=tuple(incidents))


@settings(max_examples=40)
@given(sited())
def test_one_case_per_group_and_groups_within_their_window(sc: Scenario) -> None:
    groups = site_groups(sc)
    onset = {i.id: sc.onset_minutes(i) for i in sc.incidents}
    hazard = {i.id: i.hazard for i in sc.incidents}
    for group in groups.values():
        first = onset[group.members[0]]
        assert len(group.members) >= 2
        assert all(0 <= onset[m] - first <= group.window for m in group.members)
        # The road plan leads whenever the site has a road incident.
        if any(hazard[m] == "road" for m in group.members):
            assert hazard[group.key] == "road"
    result = simulate(sc, 0)
    decided = {e.incident for e in result.of_kind("level_decided")}
    merged = {m for g in groups.values() for m in g.merged}
    # A merged sub-incident never has a case, a level or reports of its own.
    assert not decided & merged
    records = result.metrics["incident"]
    for m in merged:
        assert records[m]["merged_into"] == groups[m].key
        assert records[m]["hq"] == {} and records[m]["reporting"] == {}
    assert result.metrics["merge"]["incidents"] == len(
        {e.detail("merged") for e in result.of_kind("incident_merged")}
    )
    assert result.metrics["merge"]["incidents"] <= len(merged)
