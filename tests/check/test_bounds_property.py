"""One notion of "fastest possible": the checker's bounds against the engine.

On generated plans (:mod:`cmdsim.testing.strategies`): no engine run beats
:func:`cmdsim.check.bounds.fastest`, and a deadline the checker calls
feasible is met in the run where every delay is at its minimum
(:func:`cmdsim.check.bounds.at_minimum`, with capacity unlimited so that
nothing queues).
"""

from __future__ import annotations

import math
from typing import Any

import attrs
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cmdsim.check.bounds import at_minimum, fastest
from cmdsim.check.deadlines import check_deadlines
from cmdsim.model import (
    BandFactors,
    Clock,
    Level,
    Post,
    QuorumTerm,
    Scenario,
    Staffing,
    Task,
)
from cmdsim.model.plans import ReportDeadline
from cmdsim.model.timing import Exponential
from cmdsim.sim import SimOptions, simulate
from cmdsim.testing.reachable import reachable_scenarios
from cmdsim.testing.strategies import delays, minutes, report_duties, scenarios
from tests.sim.build import command, scenario

EPS = 1e-6


@st.composite
def drills(draw: st.DrawFn) -> Scenario:
    """A one-incident drill on a generated plan: its tasks and reports drawn,
    the duty room's and the HQ's delays drawn; the first report sets the
    plan's level (no escalation, so every bound's path is the one taken)."""
    level = draw(st.sampled_from(list(Level)))
    tasks = [
        Task(
            id=f"t{k}",
            unit="water",
            duration=draw(delays()),
            deadline=draw(minutes),
            clock=draw(st.sampled_from(list(Clock))),
        )
        for k in range(draw(st.integers(0, 3)))
    ]
    reports = [
        draw(report_duties(f"r{k}", ["district_duty_room", "water"]))
        for k in range(draw(st.integers(0, 3)))
    ]
    posts = tuple(
        Post(id=f"p{k}", people=draw(st.integers(1, 3)), callout=draw(delays()))
        for k in range(draw(st.integers(0, 2)))
    )
    quorum = (QuorumTerm(tuple(p.id for p in posts), 1),) if posts and draw(st.booleans()) else ()
    hq = attrs.evolve(
        command(posts, quorum),
        factors=BandFactors(day=1.0, night=draw(st.floats(1.0, 2.0)), holiday=1.2),
    )
    return scenario(
        hq=hq,
        channel_delay=Exponential(mean=draw(st.floats(0.5, 20.0))),
        triage=draw(delays()),
        approval=draw(delays()),
        staffing=Staffing(day=draw(st.integers(1, 3)), night=1, holiday=1),
        thresholds=((level, 0.0),),
        tasks=tuple(tasks),
        reports=tuple(reports),
        horizon=3000.0,
    )


def _works(sc: Scenario, ident: str) -> list[tuple[Any, Any, Level | None]]:
    """Every (plan, task or report, level) of the district with that id."""
    out: list[tuple[Any, Any, Level | None]] = []
    for plan in sc.district.plans:
        for level, response in plan.levels.items():
            out.extend((plan, task, level) for task in response.tasks if task.id == ident)
        out.extend((plan, duty, None) for duty in plan.reports if duty.id == ident)
    return out


def _elapsed(sc: Scenario, seed: int, options: SimOptions) -> list[tuple[Any, Any, float, float]]:
    """Each deadline a run resolved: (plan, work, minutes from its clock to
    done, minutes allowed)."""
    result = simulate(sc, seed, options=options)
    out = []
    for record in result.metrics["incident"].values():
        for ident, row in record["deadline"].items():
            if row["kind"] != "task" or row["due"] is None or row["done"] is None:
                continue
            for plan, task, _level in _works(sc, ident):
                if isinstance(task, Task) and task.deadline is not None:
                    base = row["due"] - task.deadline
                    out.append((plan, (task, _level), row["done"] - base, task.deadline))
        for ident, duty_record in record["reporting"].items():
            for item in duty_record["items"]:
                if item["due"] is None or item["arrived"] is None:
                    continue
                base = item["due"] - item["within"]
                for plan, duty, _ in _works(sc, ident):
                    if isinstance(duty, ReportDeadline):
                        out.append((plan, (duty, None), item["arrived"] - base, item["within"]))
    return out


def _bound(sc: Scenario, plan: Any, work: tuple[Any, Level | None]) -> float:
    path = fastest(sc.district, plan, work[0], work[1])
    return -math.inf if path is None else path.total


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drills(), st.integers(0, 2**32 - 1))
def test_no_run_beats_the_checkers_bound(sc: Scenario, seed: int) -> None:
    for plan, work, elapsed, _ in _elapsed(sc, seed, SimOptions(log=False)):
        assert elapsed >= _bound(sc, plan, work) - EPS, (work[0].id, elapsed)


def _beats_no_bound(sc: Scenario, seed: int) -> int:
    """Assert no deadline a run of ``sc`` resolves beats the checker's bound;
    how many it resolved."""
    # An exercise inject may report an incident before its onset, which no
    # plan-level bound can know of: the injects are left out.
    sc = attrs.evolve(sc, injects=())
    found: dict[tuple[str, str], bool] = {}
    for plan, work, elapsed, _ in _elapsed(sc, seed, SimOptions(log=False)):
        # Plans may share a work's id (a town plan and the plan it hands over
        # to): the run is measured against each, and must respect one.
        key = (work[0].id, f"{elapsed:.9g}")
        found[key] = found.get(key, False) or elapsed >= _bound(sc, plan, work) - EPS
    assert all(found.values()), found
    return len(found)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(0, 2**32 - 1))
def test_no_run_of_a_generated_scenario_beats_the_bound(sc: Scenario, seed: int) -> None:
    _beats_no_bound(sc, seed)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(reachable_scenarios(), st.integers(0, 2**32 - 1))
def test_no_run_of_a_scenario_that_reaches_decisions_beats_the_bound(
    sc: Scenario, seed: int
) -> None:
    # The scenarios above seldom decide, so seldom resolve a deadline; most
    # of these do (tasks and reports on the clock of a decision).
    if _beats_no_bound(sc, seed):
        event("a deadline resolved")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drills())
def test_a_deadline_called_feasible_is_met_when_every_delay_is_at_its_minimum(
    sc: Scenario,
) -> None:
    fastest_run = at_minimum(sc)
    findings = [f.message for f in check_deadlines(sc.district)]
    for plan, (work, level), elapsed, allowed in _elapsed(
        fastest_run, 0, SimOptions(unlimited_capacity=True, log=False)
    ):
        if isinstance(work, Task) and work.clock is Clock.ACTIVATION:
            # Its clock waits for the call-out, which the fastest run makes
            # shortest: the run most in its favour has the longest call-out.
            continue
        bound = _bound(sc, plan, (work, level))
        if allowed >= bound - EPS:
            assert elapsed <= allowed + EPS, (work.id, elapsed, allowed, bound)
        else:
            # Called infeasible: the checker says so, naming the work.
            assert any(f"{work.id!r}" in message for message in findings), work.id
