"""The fast path refuses a scenario where a takeover may put the general
plan in force with reports a duty room writes (it does not replay them),
and leaves alone one where no takeover can happen or only one incident
runs (a takeover then comes after its first decision)."""

from __future__ import annotations

from pathlib import Path

import attrs
from analysis_fakes import without_officer_burst

from cmdsim.analysis.fastpath import fast_metrics, permits
from cmdsim.io import load_scenario
from cmdsim.model import Level, Scenario
from cmdsim.model.plans import Takeover

ROOT = Path(__file__).resolve().parents[2]


def _flood(takeover: Takeover | None) -> Scenario:
    """The flood drill as the fast path replays it (see test_fast_exact._bundled:
    without its burst of compound reports), with the general plan's takeover
    rule ``takeover``."""
    scenario = without_officer_burst(load_scenario(ROOT / "scenarios" / "flood-typhoon.yaml"))
    scenario = scenario.with_truth_reported().without_town_plans()
    plans = tuple(
        attrs.evolve(
            p,
            warnings=None,
            merge=(),
            levels={lv: attrs.evolve(r, reinforce=()) for lv, r in p.levels.items()},
            escalation=attrs.evolve(p.escalation, deescalate=False),
            takeover=takeover if p.id == "general_plan" else p.takeover,
        )
        for p in scenario.district.plans
    )
    return attrs.evolve(scenario, district=attrs.evolve(scenario.district, plans=plans))


def test_a_takeover_that_may_run_the_general_plans_reports_is_refused() -> None:
    scenario = _flood(Takeover(min_active=3, min_level=Level.I))
    reason = permits(scenario, list(fast_metrics(scenario)))
    assert reason is not None
    assert "can reach level I, so the general HQ may take over" in reason
    assert "report 'phone_report' by the duty room district_duty_room" in reason


def test_a_takeover_by_count_of_hqs_is_refused_too() -> None:
    # No level reaches a rule at "V" above I; two HQs suffice here.
    scenario = _flood(Takeover(min_active=1, min_level=Level.I))
    plans = tuple(
        attrs.evolve(p, triggers=tuple(t for t in p.triggers if t.level < Level.II))
        if p.id != "general_plan"
        else p
        for p in scenario.district.plans
    )
    scenario = attrs.evolve(scenario, district=attrs.evolve(scenario.district, plans=plans))
    reason = permits(scenario, list(fast_metrics(scenario)))
    assert reason is not None and "HQs can be active at once" in reason


def test_no_takeover_rule_no_refusal() -> None:
    scenario = _flood(None)
    assert permits(scenario, list(fast_metrics(scenario))) is None
