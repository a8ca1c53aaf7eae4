"""Every reference a file makes is checked, with "did you mean".

Each case misspells one reference in ``validation/`` (a good scenario over a
small district) and requires ``validate``, ``check`` and ``run`` to exit 2
with exactly the located message, and the Python loader to raise it.
Before, ``to: fire_rescure`` and ``flags: [holidays]`` loaded without a word.
The last test audits the model: every field that can hold an id is either
checked by a case here or named as free text with the reason.
"""

from __future__ import annotations

import shutil
import typing
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim import model
from cmdsim.cli import main
from cmdsim.errors import LoadError
from cmdsim.io import load, load_scenario
from cmdsim.io._types import field_types
from cmdsim.io.checks import distance

HERE = Path(__file__).parent / "validation"

Edit = tuple[str, str, str]
"""``(file, old, new)``: ``old`` occurs once in ``file`` and becomes ``new``."""


def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *edits: Edit) -> None:
    shutil.copytree(HERE, tmp_path / "validation")
    monkeypatch.chdir(tmp_path / "validation")
    for file, old, new in edits:
        text = Path(file).read_text(encoding="utf-8")
        assert text.count(old) == 1, (file, old)
        Path(file).write_text(text.replace(old, new), encoding="utf-8")


def refused(expected: list[str]) -> None:
    for command in ("validate", "check", "run"):
        result = CliRunner().invoke(main, [command, "gas.yaml"])
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.splitlines() == expected, command
        assert "Traceback" not in result.output
    with pytest.raises(LoadError) as caught:
        load_scenario("gas.yaml")
    assert [str(p) for p in caught.value.problems] == expected


SCENARIO = "gas.yaml"
DISTRICT = "district/district.yaml"
PLANS = "district/plans.yaml"

CASES: dict[str, tuple[Edit, str]] = {
    # scenario file
    "Incident.location_type": (
        (
            SCENARIO,
            "    committee: sanlin_r12\n",
            "    committee: sanlin_r12\n    location_type: residental\n",
        ),
        "gas.yaml:11:5: incidents[0].location_type: unknown site type 'residental' "
        "(did you mean 'residential'?)",
    ),
    "Inject.to": (
        (SCENARIO, "    to: gas_hq", "    to: fire_rescure"),
        "gas.yaml:29:5: injects[1].to: unknown recipient 'fire_rescure' "
        "(did you mean 'fire_rescue'?)",
    ),
    "Inject.source": (
        (SCENARIO, "    source: fire_rescue", "    source: fire_rescu"),
        "gas.yaml:28:5: injects[1].source: unknown sender 'fire_rescu' "
        "(did you mean 'fire_rescue'?)",
    ),
    "Inject.channel": (
        (SCENARIO, "    channel: fire_119", "    channel: fire119"),
        "gas.yaml:30:5: injects[1].channel: unknown channel 'fire119' (did you mean 'fire_119'?)",
    ),
    "Inject.hazard": (
        (
            SCENARIO,
            "    hazard: gas\n    town: sanlin_town\n  - id: explosion",
            "    hazard: gass\n    town: sanlin_town\n  - id: explosion",
        ),
        "gas.yaml:23:5: injects[0].hazard: unknown hazard 'gass' (did you mean 'gas'?)",
    ),
    "Inject.town": (
        (
            SCENARIO,
            "    hazard: gas\n    town: sanlin_town\n  - id: explosion",
            "    hazard: gas\n    town: sanlin\n  - id: explosion",
        ),
        "gas.yaml:24:5: injects[0].town: unknown town 'sanlin' (did you mean 'sanlin_town'?)",
    ),
    "Inject.figures": (
        (
            SCENARIO,
            "    town: sanlin_town\n  - id: explosion",
            "    town: sanlin_town\n    figures: {dead: 2}\n  - id: explosion",
        ),
        "gas.yaml:25:15: injects[0].figures.dead: unknown figure 'dead' (did you mean "
        "'deaths'?) (known: deaths, serious_injuries, direct_loss, households, rainfall, "
        "traffic_cut_hours, supply_cut_hours)",
    ),
    "Incident.flags": (
        (SCENARIO, "flags: [holiday]", "flags: [holidays]"),
        "gas.yaml:12:13: incidents[0].flags[0]: unknown flag 'holidays' (did you mean 'holiday'?)",
    ),
    "Incident.hazard": (
        (SCENARIO, "  - id: leak\n    hazard: gas", "  - id: leak\n    hazard: gs"),
        "gas.yaml:8:5: incidents[0].hazard: unknown hazard 'gs' (did you mean 'gas'?)",
    ),
    "Incident.town": (
        (SCENARIO, "    town: sanlin_town\n    committee", "    town: sanlin_twn\n    committee"),
        "gas.yaml:9:5: incidents[0].town: unknown town 'sanlin_twn' (did you mean 'sanlin_town'?)",
    ),
    "Incident.committee": (
        (SCENARIO, "committee: sanlin_r12", "committee: sanlin_r2"),
        "gas.yaml:10:5: incidents[0].committee: unknown committee 'sanlin_r2' "
        "(did you mean 'sanlin_r12'?)",
    ),
    "Incident.zone": (
        (SCENARIO, "    committee: sanlin_r12\n", "    committee: sanlin_r12\n    zone: iner\n"),
        "gas.yaml:11:5: incidents[0].zone: unknown zone 'iner' (did you mean 'inner'?)",
    ),
    "ReportDeadline.injects": (
        (
            PLANS,
            "  raise_flags: [holiday, major_event]\n",
            "  raise_flags: [holiday, major_event]\n"
            "  reports: [{id: r, stage: follow_up, injects: [explosoin]}]\n",
        ),
        "district/plans.yaml:8:49: district.plans[1].reports[0].injects[0]: unknown inject "
        "'explosoin' (did you mean 'explosion'?)",
    ),
    # district file
    "ReportLimit.zone": (
        (
            PLANS,
            "  raise_flags: [holiday, major_event]\n",
            "  raise_flags: [holiday, major_event]\n"
            "  reports: [{id: r, limits: [{zone: outer, within: 15}]}]\n",
        ),
        "district/plans.yaml:8:31: district.plans[1].reports[0].limits[0].zone: unknown zone "
        "'outer' (towns' zones: inner)",
    ),
    "ReportDeadline.to": (
        (
            PLANS,
            "  raise_flags: [holiday, major_event]\n",
            "  raise_flags: [holiday, major_event]\n  reports: [{id: r, to: gas_hg}]\n",
        ),
        "district/plans.yaml:8:21: district.plans[1].reports[0].to: unknown recipient 'gas_hg' "
        "(did you mean 'gas_hq'?)",
    ),
    "Command.lead_unit": (
        (DISTRICT, "lead_unit: gas_company", "lead_unit: gas_compny"),
        "district/district.yaml:15:5: district.commands[0].lead_unit: unknown unit "
        "'gas_compny' (did you mean 'gas_company'?)",
    ),
    "Command.town": (
        (DISTRICT, "    name: gas HQ\n", "    name: gas HQ\n    town: sanlin_tow\n"),
        "district/district.yaml:15:5: district.commands[0].town: unknown town 'sanlin_tow' "
        "(did you mean 'sanlin_town'?)",
    ),
    "Command.member_units": (
        (DISTRICT, "member_units: [fire_rescue, police]", "member_units: [fire_rescue, polise]"),
        "district/district.yaml:16:33: district.commands[0].member_units[1]: unknown unit "
        "'polise' (did you mean 'police'?)",
    ),
    "Post.unit": (
        (DISTRICT, "role: commander, unit: gas_company", "role: commander, unit: gascompany"),
        "district/district.yaml:18:42: district.commands[0].posts[0].unit: unknown unit "
        "'gascompany' (did you mean 'gas_company'?)",
    ),
    "Post.role": (
        (DISTRICT, "role: commander,", "role: comander,"),
        "district/district.yaml:18:31: district.commands[0].posts[0].role: 'comander' is not "
        "one of commander, deputy, liaison, member, expert, staff (did you mean 'commander'?)",
    ),
    "Channel.hazards": (
        (DISTRICT, "kind: fire, delay: 5}", "kind: fire, delay: 5, hazards: [gaz]}"),
        "district/district.yaml:29:68: district.channels[1].hazards[0]: unknown hazard 'gaz' "
        "(did you mean 'gas'?)",
    ),
    "District.town_required": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\ntown_required: [gass]",
        ),
        "district/district.yaml:31:17: district.town_required[0]: unknown hazard 'gass' "
        "(did you mean 'gas'?)",
    ),
    "TownPlanSet.special": (
        (
            DISTRICT,
            "    name: Sanlin\n",
            "    name: Sanlin\n    plan_set: {special: [flood_typhon]}\n",
        ),
        "district/district.yaml:23:26: district.towns[0].plan_set.special[0]: unknown hazard "
        "'flood_typhon' (did you mean 'flood_typhoon'?)",
    ),
    "Plan.hazards": (
        (PLANS, "hazards: [gas]", "hazards: [gass]"),
        "district/plans.yaml:5:13: district.plans[1].hazards[0]: unknown hazard 'gass' "
        "(did you mean 'gas'?)",
    ),
    "MergeRule.hazards": (
        (PLANS, "  kind: general\n", "  kind: general\n  merge: [{id: site, hazards: [gass]}]\n"),
        "district/plans.yaml:3:32: district.plans[0].merge[0].hazards[0]: unknown hazard 'gass' "
        "(did you mean 'gas'?)",
    ),
    "Plan.lead": (
        (PLANS, "lead: gas_hq", "lead: gas_hg"),
        "district/plans.yaml:6:3: district.plans[1].lead: unknown command 'gas_hg' "
        "(did you mean 'gas_hq'?)",
    ),
    "Plan.town": (
        (PLANS, "  name: gas plan\n", "  name: gas plan\n  town: sanlin_tow\n"),
        "district/plans.yaml:5:3: district.plans[1].town: unknown town 'sanlin_tow' "
        "(did you mean 'sanlin_town'?)",
    ),
    "Plan.raise_flags": (
        (PLANS, "raise_flags: [holiday, major_event]", "raise_flags: [holidays, major_event]"),
        "district/plans.yaml:7:17: district.plans[1].raise_flags[0]: unknown flag 'holidays' "
        "(did you mean 'holiday'?)",
    ),
    "LevelResponse.notify": (
        (PLANS, "notify: [fire_rescue]", "notify: [fire_rescu]"),
        "district/plans.yaml:13:16: district.plans[1].levels.IV.notify[0]: unknown unit or "
        "command 'fire_rescu' (did you mean 'fire_rescue'?)",
    ),
    "LevelResponse.activate": (
        (PLANS, "activate: [gas_hq]", "activate: [gashq]"),
        "district/plans.yaml:15:18: district.plans[1].levels.III.activate[0]: unknown command "
        "'gashq' (did you mean 'gas_hq'?)",
    ),
    "Task.unit": (
        (PLANS, "unit: gas_company, duration", "unit: gas_compan, duration"),
        "district/plans.yaml:17:25: district.plans[1].levels.III.tasks[0].unit: unknown unit "
        "'gas_compan' (did you mean 'gas_company'?)",
    ),
    "Task.resources": (
        (PLANS, "duration: 30}", "duration: 30, resources: {pumps: 1}}"),
        "district/plans.yaml:17:70: district.plans[1].levels.III.tasks[0].resources.pumps: "
        "unknown resource 'pumps'",
    ),
    "ReportDeadline.by": (
        (
            PLANS,
            "  raise_flags: [holiday, major_event]\n",
            "  raise_flags: [holiday, major_event]\n  reports: [{id: r, by: sanlin_duty_rom}]\n",
        ),
        "district/plans.yaml:8:21: district.plans[1].reports[0].by: unknown unit or duty room "
        "'sanlin_duty_rom' (did you mean 'sanlin_duty_room'?)",
    ),
    "Escalation.hand_over": (
        (
            PLANS,
            "  raise_flags: [holiday, major_event]\n",
            "  raise_flags: [holiday, major_event]\n  escalation: {hand_over: [generl]}\n",
        ),
        "district/plans.yaml:8:28: district.plans[1].escalation.hand_over[0]: unknown plan "
        "'generl' (did you mean 'general'?)",
    ),
    "QuorumTerm.posts": (
        (
            DISTRICT,
            "    callout: 20\n",
            "    callout: 20\n    quorum: [{posts: [comander]}]\n",
        ),
        "district/district.yaml:20:23: district.commands[0].quorum[0].posts[0]: unknown post "
        "'comander' (did you mean 'commander'?)",
    ),
    "Body.parent": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\nbodies: [{id: safety, office: police}, {id: fire_c, "
            "parent: safty, office: police}]",
        ),
        "district/district.yaml:31:53: district.bodies[1].parent: unknown body 'safty' (did "
        "you mean 'safety'?)",
    ),
    "Body.office": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\nbodies: [{id: safety, office: polise}]",
        ),
        "district/district.yaml:31:23: district.bodies[0].office: unknown unit 'polise' (did "
        "you mean 'police'?)",
    ),
    "Body.members": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\nbodies: [{id: safety, office: police, members: "
            "[fire_rescue, gas_compny]}]",
        ),
        "district/district.yaml:31:62: district.bodies[0].members[1]: unknown unit "
        "'gas_compny' (did you mean 'gas_company'?)",
    ),
    "Body.hazards": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\nbodies: [{id: safety, office: police, hazards: [gass]}]",
        ),
        "district/district.yaml:31:49: district.bodies[0].hazards[0]: unknown hazard 'gass' "
        "(did you mean 'gas'?)",
    ),
    "Body.commands": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\nbodies: [{id: safety, office: police, commands: "
            "[gas_hg]}]",
        ),
        "district/district.yaml:31:50: district.bodies[0].commands[0]: unknown command "
        "'gas_hg' (did you mean 'gas_hq'?)",
    ),
    "BodyRule.hazards": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\nbodies: [{id: safety, office: police, notify: "
            "[{hazards: [gaz]}]}]",
        ),
        "district/district.yaml:31:59: district.bodies[0].notify[0].hazards[0]: unknown hazard "
        "'gaz' (did you mean 'gas'?)",
    ),
    "RegulatedDuty.hazard": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\nduties: [{hazard: gass, kinds: [response]}]",
        ),
        "district/district.yaml:31:11: district.duties[0].hazard: unknown hazard 'gass' (did "
        "you mean 'gas'?)",
    ),
    "Responsibility.owner": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\nresponsibilities: [{owner: gas_hg, hazard: gas, "
            "kinds: [response]}]",
        ),
        "district/district.yaml:31:21: district.responsibilities[0].owner: unknown unit, "
        "command or body 'gas_hg' (did you mean 'gas_hq'?)",
    ),
    "Responsibility.hazard": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\nresponsibilities: [{owner: gas_hq, hazard: gass, "
            "kinds: [response]}]",
        ),
        "district/district.yaml:31:36: district.responsibilities[0].hazard: unknown hazard "
        "'gass' (did you mean 'gas'?)",
    ),
    "FirstAction.after": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\ncommunity: {actions: [{id: warn}, {id: evacuate, "
            "after: wanr}]}",
        ),
        "district/district.yaml:31:50: district.community.actions[1].after: 'wanr' is not an "
        "action (did you mean 'warn'?): 'after' names an action listed before this one",
    ),
    "FirstAction.hazards": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\ncommunity: {actions: [{id: warn, hazards: [gass]}]}",
        ),
        "district/district.yaml:31:44: district.community.actions[0].hazards[0]: unknown "
        "hazard 'gass' (did you mean 'gas'?)",
    ),
    "CommunityResponse.handbook_hazards": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\ncommunity: {handbook_hazards: [gas, gass]}",
        ),
        "district/district.yaml:31:37: district.community.handbook_hazards[1]: unknown "
        "hazard 'gass' (did you mean 'gas'?)",
    ),
    "Acceptance.plan": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\naccept: [{code: CMD042, plan: gas_pln, reason: r}]",
        ),
        "district/district.yaml:31:25: district.accept[0].plan: unknown plan 'gas_pln' "
        "(did you mean 'gas_plan'?)",
    ),
    "Acceptance.hazard": (
        (
            DISTRICT,
            "plans: {include: plans.yaml}",
            "plans: {include: plans.yaml}\naccept: [{code: CMD063, hazard: gass, reason: r}]",
        ),
        "district/district.yaml:31:25: district.accept[0].hazard: unknown hazard 'gass' "
        "(did you mean 'gas'?)",
    ),
    "Takeover.convene": (
        (PLANS, "  kind: general\n", "  kind: general\n  takeover: {convene: [safty]}\n"),
        "district/plans.yaml:3:24: district.plans[0].takeover.convene[0]: unknown body 'safty'",
    ),
}


@pytest.mark.parametrize("field", sorted(CASES))
def test_a_misspelt_reference_is_refused_with_a_suggestion(
    field: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit, message = CASES[field]
    copy(tmp_path, monkeypatch, edit)
    refused([message])


def test_the_good_files_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy(tmp_path, monkeypatch)
    result = CliRunner().invoke(main, ["validate", "gas.yaml", "district"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("bodies", "message"),
    [
        (
            "[{id: safety, parent: fire_c, office: police}, "
            "{id: fire_c, parent: safety, office: police}]",
            "district/district.yaml:31:69: district.bodies[1].parent: parents go round in a "
            "circle: safety → fire_c → safety (no body is on top)",
        ),
        (
            # a longer circle, with a body above it and one hanging from it
            "[{id: top, office: police}, {id: safety, parent: fire_c, office: police}, "
            "{id: fire_c, parent: chem_c, office: police}, "
            "{id: chem_c, parent: safety, office: police}, "
            "{id: roads_c, parent: chem_c, office: police}]",
            "district/district.yaml:31:142: district.bodies[3].parent: parents go round in a "
            "circle: safety → fire_c → chem_c → safety (no body is on top)",
        ),
    ],
)
def test_bodies_whose_parents_go_round_in_a_circle_are_refused(
    bodies: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each circle once, at the parent that closes it, by file, line and field."""
    edit = (
        DISTRICT,
        "plans: {include: plans.yaml}",
        f"plans: {{include: plans.yaml}}\nbodies: {bodies}",
    )
    copy(tmp_path, monkeypatch, edit)
    refused([message])


def test_free_text_senders_are_free(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 'source' names who speaks in words; only an id one slip off is a typo.
    copy(
        tmp_path,
        monkeypatch,
        (SCENARIO, "    source: residents", "    source: 居民 residents near the shop"),
        (SCENARIO, "    source: fire_rescue", "    source: weather_station"),
    )
    scenario = load_scenario("gas.yaml")
    assert [i.source for i in scenario.injects] == [
        "居民 residents near the shop",
        "weather_station",
    ]


def test_a_plan_may_raise_on_a_flag_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy(
        tmp_path,
        monkeypatch,
        (PLANS, "raise_flags: [holiday, major_event]", "raise_flags: [holiday, typhoon_season]"),
        (SCENARIO, "flags: [holiday]", "flags: [typhoon_season, holiday]"),
    )
    assert load_scenario("gas.yaml").incidents[0].flags == ("typhoon_season", "holiday")


def test_a_flag_near_a_plans_own_flag_is_suggested(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy(
        tmp_path,
        monkeypatch,
        (PLANS, "raise_flags: [holiday, major_event]", "raise_flags: [holiday, typhoon_season]"),
        (SCENARIO, "flags: [holiday]", "flags: [typhoon_seasons]"),
    )
    refused(
        [
            "gas.yaml:12:13: incidents[0].flags[0]: unknown flag 'typhoon_seasons' "
            "(did you mean 'typhoon_season'?)"
        ]
    )


def test_a_kind_of_place_no_plan_names_is_the_scenarios_own_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only a near miss of a site type a plan names is refused: the engine
    # does not read location_type, so another kind of place changes nothing.
    copy(
        tmp_path,
        monkeypatch,
        (
            SCENARIO,
            "    committee: sanlin_r12\n",
            "    committee: sanlin_r12\n    location_type: school\n",
        ),
    )
    assert load_scenario("gas.yaml").incidents[0].location_type == "school"


def test_an_inject_sent_to_a_town_or_its_duty_room_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy(
        tmp_path, monkeypatch, (SCENARIO, "    to: district_duty_room", "    to: sanlin_duty_room")
    )
    assert load_scenario("gas.yaml").injects[0].to == "sanlin_duty_room"


def test_every_misspelling_at_once_is_every_message_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy(
        tmp_path,
        monkeypatch,
        (SCENARIO, "    to: gas_hq", "    to: fire_rescure"),
        (SCENARIO, "flags: [holiday]", "flags: [holidays]"),
        (SCENARIO, "horizon: 600", "horizon: -600"),
    )
    refused(
        [
            "gas.yaml:5:1: horizon: -600 minutes is negative",
            "gas.yaml:12:13: incidents[0].flags[0]: unknown flag 'holidays' (did you mean "
            "'holiday'?)",
            "gas.yaml:29:5: injects[1].to: unknown recipient 'fire_rescure' (did you mean "
            "'fire_rescue'?)",
        ]
    )


# -- the audit ----------------------------------------------------------------

FREE_TEXT: dict[str, str] = {
    "Condition.attribute": "checked against ATTRIBUTES when the condition is parsed",
    "Incident.site": "names the place: incidents naming the same one share it; no list exists",
    "Plan.sites": "site types: what incidents' location_type is checked against",
    "Inject.message": "the message's words",
    "Inject.expect": "words for the exercise designers",
    "Inject.objective": "words for the exercise designers",
    "Scenario.sources": "citations",
    "TownPlanSet.other": "names of a town's other plans (the X), which are not modelled",
    "Town.zone": "names the zone: what incidents' and report limits' zones are checked against",
    "Acceptance.code": "a finding code: checked against the checker's codes when the file is "
    "checked (cmdsim.check.accept.acceptance_problems; tests/check/test_accept.py)",
    "Acceptance.reason": "why a finding is accepted, in words",
    "Acceptance.report": "a report id or pattern, refused when no plan's report matches; "
    "these files' plans have no reports, so tests/check/test_accept.py has its misspellings",
    "Acceptance.path": "a field-path pattern: one that matches no finding is CMD091",
    "Acceptance.file": "a file pattern: one that matches no finding is CMD091",
    "Acceptance.scenario": "a scenario id or pattern: the district knows none of the scenarios "
    "that include it; a misspelt one leaves the finding open in its scenario's check "
    "(tests/check/test_signals.py)",
}
"""Fields that hold text, not ids, and why."""

CHECKED_ELSEWHERE = {"Inject.source"}
"""Free text unless it is an id one slip from a known id (see CASES)."""


def id_fields() -> list[str]:
    """Every model field whose type can hold a string, other than ids, names and sources."""
    found: list[str] = []
    for value in vars(model).values():
        if not (isinstance(value, type) and attrs.has(value)):
            continue
        for name, tp in field_types(value).items():
            if name in ("id", "name", "description") or (
                name == "source" and value is not model.Inject
            ):
                continue
            args = typing.get_args(tp)
            if tp is str or str in args or (typing.get_origin(tp) is dict and args[0] is str):
                found.append(f"{value.__name__}.{name}")
    return sorted(set(found))


def test_every_field_that_can_hold_an_id_is_checked_or_free_text() -> None:
    unclassified = [f for f in id_fields() if f not in CASES and f not in FREE_TEXT]
    assert unclassified == [], "add a misspelling case to CASES or a reason to FREE_TEXT"
    assert not set(FREE_TEXT) & set(CASES)
    assert set(CASES) >= CHECKED_ELSEWHERE


def test_the_loaders_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # load() and load_scenario() give the same problems.
    copy(tmp_path, monkeypatch, (SCENARIO, "    to: gas_hq", "    to: fire_rescure"))
    with pytest.raises(LoadError) as first:
        load("gas.yaml")
    with pytest.raises(LoadError) as second:
        load_scenario("gas.yaml")
    assert first.value.problems == second.value.problems


# -- what counts as a slip ----------------------------------------------------

words = st.text(alphabet="abcdefgh_", min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(words, words)
def test_distance_is_symmetric_and_zero_only_for_equal_names(a: str, b: str) -> None:
    limit = max(len(a), len(b))
    assert distance(a, b, limit) == distance(b, a, limit)
    assert (distance(a, b, limit) == 0) == (a == b)


@settings(max_examples=200, deadline=None)
@given(words, st.integers(0, 11), st.sampled_from(["drop", "swap", "change", "add"]))
def test_one_slip_is_distance_one(word: str, at: int, slip: str) -> None:
    at = at % len(word)
    if slip == "drop":
        typo = word[:at] + word[at + 1 :]
    elif slip == "swap" and at + 1 < len(word):
        typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif slip == "add":
        typo = word[:at] + "z" + word[at:]
    else:
        typo = word[:at] + "z" + word[at + 1 :]
    assert distance(word, typo, 1) <= 1
    # Past the limit the answer is only "too far".
    assert distance(word, word + "zzz", 1) == 2


def test_a_broken_item_leaves_the_rest_of_its_list_checked() -> None:
    from cmdsim.io import loads

    text = (
        "id: s\n"
        "district: {id: d, hazards: [{id: gas}], towns: [{id: t}]}\n"
        "start: 2025-01-29T18:00:00\n"
        "incidents:\n"
        "  - {id: a, hazard: gas, town: t, onset: 2025-01-29T18:00:00}\n"
        "  - {id: b, hazard: gas, town: t}\n"
        "  - {id: a, hazard: gs, town: t, onset: 2025-01-29T18:00:00}\n"
    )
    with pytest.raises(LoadError) as caught:
        loads(text, "s.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "s.yaml:6:5: incidents[1]: missing required key 'onset'",
        "s.yaml:7:6: incidents[2].id: duplicate id 'a' (first at incidents[0])",
        "s.yaml:7:13: incidents[2].hazard: unknown hazard 'gs' (did you mean 'gas'?)",
    ]
