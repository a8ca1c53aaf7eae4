"""Committees' first actions on the scenarios the project's strategies draw
(:func:`cmdsim.testing.strategies.scenarios`): the handbook's hazards decide
who acts at once, in every run."""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import HealthCheck, Phase, event, find, given, settings
from hypothesis import strategies as st

from cmdsim.model import Scenario
from cmdsim.sim import simulate
from cmdsim.testing.strategies import community_responses, districts, scenarios


def _prepared(scenario: Scenario) -> dict[str, bool]:
    """Each incident located in a committee the district lists -> whether
    that committee acts on its handbook (it has one, and it covers the
    hazard)."""
    district = scenario.district
    committees = {(t.id, c.id): c for t in district.towns for c in t.committees}
    out: dict[str, bool] = {}
    for incident in scenario.incidents:
        committee = committees.get((incident.town or "", incident.committee or ""))
        if committee is not None:
            out[incident.id] = committee.handbook and district.community.covers(incident.hazard)
    return out


def test_the_strategy_draws_handbooks_that_leave_a_hazard_out() -> None:
    # Generation only (find's shrinking would take half a minute); it raises
    # NoSuchExample when none of the examples is such a community.
    drawn = find(
        community_responses(["flood", "gas", "fire"]),
        lambda c: bool(c.actions) and bool(c.handbook_hazards) and not c.covers("gas"),
        settings=settings(
            database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck)
        ),
    )
    assert "gas" not in drawn.handbook_hazards


@settings(max_examples=50, suppress_health_check=list(HealthCheck))
@given(community_responses(["flood", "gas"]))
def test_a_drawn_handbook_never_lists_every_hazard(community: Any) -> None:
    # A list of every hazard says what an empty one does; drawing it would
    # crowd out the handbooks that leave one out.
    assert len(community.handbook_hazards) <= 1


@settings(max_examples=60, suppress_health_check=list(HealthCheck))
@given(districts())
def test_drawn_handbooks_and_actions_name_the_districts_hazards(district: Any) -> None:
    hazards = {h.id for h in district.hazards}
    community = district.community
    assert set(community.handbook_hazards) <= hazards
    assert len(set(community.handbook_hazards)) == len(community.handbook_hazards)
    committees = {c.id for t in district.towns for c in t.committees}
    ids = [a.id for a in community.actions]
    for index, action in enumerate(community.actions):
        assert set(action.hazards) <= hazards
        assert action.id not in committees
        assert action.after is None or action.after in ids[:index]


def _leaving_out(scenario: Scenario) -> Scenario:
    """``scenario`` with a handbook of one other hazard than its first
    located incident's, where it has one and first actions: the strategy
    draws such a handbook rarely beside such an incident."""
    district = scenario.district
    located = [i for i in scenario.incidents if i.committee is not None]
    others = [h.id for h in district.hazards if located and h.id != located[0].hazard]
    if not district.community.actions or not others:
        return scenario
    community = attrs.evolve(district.community, handbook_hazards=(others[0],))
    return attrs.evolve(scenario, district=attrs.evolve(district, community=community))


@settings(max_examples=20, suppress_health_check=list(HealthCheck))
@given(scenarios(), st.integers(0, 2**32 - 1), st.booleans())
def test_a_committee_acts_at_once_exactly_when_its_handbook_covers_the_hazard(
    scenario: Scenario, seed: int, leave_out: bool
) -> None:
    if leave_out:
        scenario = _leaving_out(scenario)
    result = simulate(scenario, seed)
    got = result.metrics.get("community", {})
    prepared = _prepared(scenario) if scenario.district.community.actions else {}
    assert set(got) == set(prepared)
    for incident, acts in prepared.items():
        event("a committee acts at once" if acts else "a committee waits")
        row = got[incident]
        assert row["handbook"] is acts
        if acts:
            assert row["acting"] == 0.0
        else:
            # It waits for a room to know and then for the instructions: never
            # before the onset, and not at all while no room knows.
            assert row["acting"] is None or row["acting"] >= 0.0
    assert result.to_json() == simulate(scenario, seed).to_json()


def test_community_responses_leave_committee_ids_alone() -> None:
    taken = ["warn", "evac"]
    drawn = find(
        community_responses(["flood"], taken),
        lambda c: len(c.actions) == 2,
        settings=settings(suppress_health_check=list(HealthCheck)),
    )
    assert not {a.id for a in drawn.actions} & set(taken)
