"""Committees' first actions on the scenarios the project's strategies draw
(:func:`cmdsim.testing.strategies.scenarios`, and
:func:`cmdsim.testing.reachable.reachable_scenarios`, whose rooms hear of the
incidents and decide, so that a waiting committee is given its instructions):
the handbook's hazards decide who acts at once, in every run."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, Phase, event, find, given, settings
from hypothesis import strategies as st

from cmdsim.model import Scenario
from cmdsim.model.bodies import FirstAction
from cmdsim.model.organisation import Committee
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate
from cmdsim.testing.reachable import reachable_scenarios
from cmdsim.testing.strategies import community_responses, districts, scenarios

DRAWN = {"strategies": scenarios(), "reachable": reachable_scenarios()}
"""The scenarios drawn: the plain strategy's (a room seldom hears of an
incident: a waiting committee mostly waits to the end) and the reachable
one's (most incidents decided: a waiting committee is told to act)."""


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


PLACED = "placed_committee"
"""The committee :func:`_placed` adds where the first incident's town has none."""


def _placed(scenario: Scenario, handbook: bool) -> Scenario:
    """``scenario`` whose first incident lies in a committee of its town (one
    added, with or without a handbook, where the town has none), under a
    community response with a first action: the reachable strategy draws
    both together seldom (none in 40 runs), and the metric is only kept
    with them."""
    district = scenario.district
    first = scenario.incidents[0] if scenario.incidents else None
    town = next((t for t in district.towns if first and t.id == first.town), None)
    if first is None or town is None:
        return scenario
    community = district.community
    if not community.actions:
        community = attrs.evolve(
            community, actions=(FirstAction("warn_residents", duration=Fixed(5.0)),)
        )
    if not town.committees:
        town = attrs.evolve(town, committees=(Committee(PLACED, handbook=handbook),))
    towns = tuple(town if t.id == town.id else t for t in district.towns)
    located = attrs.evolve(first, committee=town.committees[0].id)
    district = attrs.evolve(district, community=community, towns=towns)
    return attrs.evolve(scenario, district=district, incidents=(located, *scenario.incidents[1:]))


@pytest.mark.parametrize("drawn", sorted(DRAWN))
def test_a_committee_acts_at_once_exactly_when_its_handbook_covers_the_hazard(
    drawn: str,
) -> None:
    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
    @given(DRAWN[drawn], st.integers(0, 2**32 - 1), st.booleans(), st.booleans())
    def holds(scenario: Scenario, seed: int, leave_out: bool, handbook: bool) -> None:
        if drawn == "reachable":
            scenario = _placed(scenario, handbook)
        if leave_out:
            scenario = _leaving_out(scenario)
        result = simulate(scenario, seed)
        got = result.metrics.get("community", {})
        prepared = _prepared(scenario) if scenario.district.community.actions else {}
        assert set(got) == set(prepared)
        for incident, acts in prepared.items():
            row = got[incident]
            assert row["handbook"] is acts
            if acts:
                event(f"{drawn}: a committee acts at once")
                assert row["acting"] == 0.0
                continue
            # It waits for a room to know and then for the instructions: never
            # before a room knows, and not at all while no room knows.
            aware = result.record.incidents[incident].aware
            told = "told" if row["acting"] is not None else "to the end"
            event(f"{drawn}: a committee waits, {told}")
            if aware is None:
                assert row["acting"] is None
            elif row["acting"] is not None:
                assert row["acting"] >= aware
        assert result.to_json() == simulate(scenario, seed).to_json()

    holds()


def test_community_responses_leave_committee_ids_alone() -> None:
    taken = ["warn", "evac"]
    drawn = find(
        community_responses(["flood"], taken),
        lambda c: len(c.actions) == 2,
        settings=settings(suppress_health_check=list(HealthCheck)),
    )
    assert not {a.id for a in drawn.actions} & set(taken)
