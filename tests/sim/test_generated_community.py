"""Committees' first actions on the scenarios the project's strategies draw
(:func:`cmdsim.testing.strategies.scenarios`): the handbook's hazards decide
who acts at once, in every run."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, find, given, settings
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


def _waits(scenario: Scenario) -> bool:
    return bool(scenario.district.community.actions) and not all(_prepared(scenario).values())


def test_the_strategy_draws_a_committee_whose_handbook_leaves_the_hazard_out() -> None:
    # Generation only, derandomized: the examples are the same on every run,
    # and no shrinking (what ``find`` would spend its time on) is needed.
    seen: list[Scenario] = []

    @settings(
        max_examples=150,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(scenarios())
    def draw(s: Scenario) -> None:
        community = s.district.community
        located = [i for i in s.incidents if i.committee is not None]
        if _waits(s) and any(
            community.handbook_hazards and not community.covers(i.hazard) for i in located
        ):
            seen.append(s)

    draw()
    assert seen


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


@settings(max_examples=20, suppress_health_check=list(HealthCheck))
@given(scenarios(), st.integers(0, 2**32 - 1))
def test_a_committee_acts_at_once_exactly_when_its_handbook_covers_the_hazard(
    scenario: Scenario, seed: int
) -> None:
    result = simulate(scenario, seed)
    got = result.metrics.get("community", {})
    prepared = _prepared(scenario) if scenario.district.community.actions else {}
    assert set(got) == set(prepared)
    for incident, acts in prepared.items():
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
