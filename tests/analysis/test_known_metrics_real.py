"""``known_metrics`` lists only names a run of the scenario can produce.

Every name it gives for a bundled drill either has a value in some seed's
run, or is of a documented kind of conditional metric (docs/experiments.md,
"Metric names"), each recognised here by what makes it conditional:

- ``fast.contended``: the fast path's alone;
- ``officers.<tier>.busiest``: text (a group's id), a number only as NaN;
- ``takeover.*``, and the takeover plan's duties (``<general plan>:<id>``)
  and its lead HQ under an incident: only when a takeover is decided;
- a task or an HQ of the plans acting on the incident that is in force only
  at a level above the incident's peak in every run;
- an HQ of an incident merged into another's case at one site: only the
  forced fast path, which leaves merge rules aside, calls it out;
- a report other than an initial one (a follow-up, daily or final report is
  called for only as the response goes on or closes), or one whose
  ``min_level`` is above the incident's peak.

Before, every plan's tasks and reports were listed under every incident
(gas: 1,853 names, 508 ever reported; now 546).
"""

from __future__ import annotations

import pytest

from cmdsim.analysis.metrics import check_metrics, engine_run, known_metrics
from cmdsim.analysis.seeds import replication_seed
from cmdsim.errors import ScenarioError
from cmdsim.io import load_scenario
from cmdsim.model.levels import Level
from cmdsim.model.plans import ReportStage
from cmdsim.model.scenario import Scenario
from cmdsim.sim.compiled import CompiledPlan, compiled
from cmdsim.sim.metric_names import plan_duty

DRILLS = ["gas", "traffic", "flood-typhoon", "compound-typhoon", "typhoon-landfall"]
SEEDS = 6


def _conditional(scenario: Scenario, peaks: dict[str, float]) -> set[str]:
    """The names of the documented conditional kinds, for runs whose
    incidents peaked at ``peaks`` (level ranks, IV 1 … I 4) at the most."""
    comp = compiled(scenario)
    out = {"fast.contended"}
    out.update(f"officers.{tier}.busiest" for tier in ("compound", "committee", "town", "district"))
    out.update(f"takeover.{leaf}" for leaf in ("declined", "reason", "rule_held", "triggered"))
    general = comp.takeover_plan
    for incident in scenario.incidents:
        base = f"incident.{incident.id}"
        peak = peaks.get(incident.id, 0.0)
        group = comp.sites.get(incident.id)
        if group is not None and group.key != incident.id:
            own = comp.plan_for(incident.hazard, incident.town)
            assert own is not None
            out.update(f"{base}.hq.{c}" for c in _commands(own))
            continue
        own = comp.acting_plans(incident.id, takeover=False)
        for plan in comp.acting_plans(incident.id):
            if plan is general and plan not in own:
                ids = [plan_duty(plan.id, d.id) for d in plan.plan.reports]
                ids += [comp.task_name(incident.id, plan.id, t.id) for t in plan.tasks[Level.I]]
                out.update(f"{base}.deadline.{i}" for i in ids)
                out.update(f"{base}.reporting.{i}" for i in ids)
                if plan.lead is not None:
                    out.add(f"{base}.hq.{plan.lead}")
                continue
            for level, response in plan.plan.levels.items():
                if level.rank <= peak:
                    continue
                out.update(
                    f"{base}.deadline.{comp.task_name(incident.id, plan.id, t.id)}"
                    for t in response.tasks
                )
                out.update(f"{base}.hq.{c}" for c in response.activate)
            if plan.lead is not None and min(plan.plan.levels, default=Level.IV).rank > peak:
                out.add(f"{base}.hq.{plan.lead}")
            for duty in plan.plan.reports:
                if duty.stage is not ReportStage.INITIAL or duty.min_level.rank > peak:
                    out.add(f"{base}.deadline.{duty.id}")
                    out.add(f"{base}.reporting.{duty.id}")
    return out


def _commands(plan: CompiledPlan) -> set[str]:
    lead = {plan.lead} if plan.lead is not None else set()
    return lead | {c for response in plan.plan.levels.values() for c in response.activate}


def _kind(name: str) -> str:
    """The name without its leaf: what ``_conditional`` lists."""
    head = name.rpartition(".")[0]
    if name.startswith(("fast.", "officers.", "takeover.")):
        return name
    return head


@pytest.mark.parametrize("name", DRILLS)
def test_every_known_name_is_reported_or_a_documented_conditional(name: str) -> None:
    scenario = load_scenario(f"scenarios/{name}.yaml")
    known = known_metrics(scenario)
    seen: set[str] = set()
    peaks: dict[str, float] = {}
    for index in range(SEEDS):
        run = engine_run(scenario, replication_seed(0, index))
        seen.update(run)
        for incident in scenario.incidents:
            peak = run.get(f"incident.{incident.id}.peak_level", 0.0)
            peaks[incident.id] = max(peaks.get(incident.id, 0.0), peak)
    conditional = _conditional(scenario, peaks)
    unexplained = sorted(n for n in known - seen if _kind(n) not in conditional)
    assert unexplained == []


def test_another_hazards_duties_are_not_known_under_an_incident() -> None:
    # The gas drill's one incident: the traffic plan's tasks never run on it.
    gas = load_scenario("scenarios/gas.yaml")
    known = known_metrics(gas)
    assert "incident.gas_main_rupture.deadline.clear_road.done" not in known
    assert not any(".reporting.isolate_main." in n for n in known)  # a task, not a report
    with pytest.raises(
        ScenarioError, match=r"unknown metric 'incident\.gas_main_rupture\.deadline"
    ):
        check_metrics(gas, ["incident.gas_main_rupture.deadline.clear_road.done"])


def test_a_typo_is_still_a_located_error() -> None:
    gas = load_scenario("scenarios/gas.yaml")
    with pytest.raises(ScenarioError) as caught:
        check_metrics(gas, ["incident.gas_main_rupture.hq.gas_hq.activatd"])
    assert "did you mean 'incident.gas_main_rupture.hq.gas_hq.activated'" in str(caught.value)


HAND_MADE = [
    "tests/sim/town_general.yaml",  # a town's general plan governs, then is the takeover's
    "tests/sim/community_town.yaml",
    "tests/analysis/data/fast_tiny.yaml",
    "tests/analysis/data/fast_generated/no_committees.yaml",
]


@pytest.mark.parametrize("path", HAND_MADE)
def test_every_name_a_hand_made_scenario_reports_is_known(path: str) -> None:
    scenario = load_scenario(path)
    known = known_metrics(scenario)
    for index in range(3):
        assert set(engine_run(scenario, replication_seed(0, index))) - known == set()
