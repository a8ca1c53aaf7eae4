"""Properties of every run, on the scenarios the project's strategies draw:
:func:`cmdsim.testing.strategies.scenarios` (anything goes; few of its runs
decide anything) and :func:`cmdsim.testing.reachable.reachable_scenarios`
(most of its runs decide a level, call HQs out, activate them, report,
escalate and stand down), so the properties hold where the engine does
its work, not only where nothing happens."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cmdsim.model import Level, Scenario
from cmdsim.sim import RunResult, SimOptions, simulate
from cmdsim.sim.events import EventKind
from cmdsim.testing.incidents import FLAGS
from cmdsim.testing.reachable import reachable_scenarios
from cmdsim.testing.strategies import scenarios

DECIDED = (EventKind.LEVEL_DECIDED, EventKind.LEVEL_ESCALATED)


def _first(result: RunResult, kind: EventKind) -> dict[str, float]:
    """The first time of each incident's event of ``kind``."""
    found: dict[str, float] = {}
    for e in result.events:
        if e.kind is kind and e.incident is not None:
            found.setdefault(e.incident, e.time)
    return found


def _check(sc: Scenario, seed: int) -> RunResult:
    """The engine's invariants on one run of ``sc``: the result, for the
    caller to note what happened."""
    result = simulate(sc, seed)
    times = [e.time for e in result.events]
    assert times == sorted(times), "the log is time-ordered"
    assert all(0 <= t <= sc.horizon for t in times), "the log stays within the run"
    assert result.to_json() == simulate(sc, seed).to_json(), "same seed, same bytes"
    unlogged = simulate(sc, seed, options=SimOptions(log=False))
    assert unlogged.events == () and unlogged.metrics == result.metrics, "the log changes nothing"

    aware = _first(result, EventKind.AWARE)
    decided = _first(result, EventKind.LEVEL_DECIDED)
    # No plan the strategies draw has a warning link: a level follows a report.
    for incident, at in decided.items():
        assert incident in aware and aware[incident] <= at, "decided before a room knew"
    incidents = {i.id for i in sc.incidents}
    for e in result.events:
        # The general HQ's coordination of several incidents under a takeover
        # (subject ``_coordination``) follows the decisions that led to it.
        if e.kind is EventKind.HQ_NOTIFIED and e.incident in incidents:
            assert decided.get(e.incident, math.inf) <= e.time, "called out before a decision"
    for m in result.metrics["incident"].values():
        for hq in m["hq"].values():
            if hq["activated"] is not None:
                assert hq["notified"] is not None and hq["activated"] >= hq["notified"]

    plans = {p.id: p for p in sc.district.plans}
    over = {(e.incident, e.time) for e in result.events if e.kind is EventKind.OVER_RESPONSE}
    for e in result.events:
        if e.kind not in DECIDED or e.detail("by") != "plan":
            continue
        known: dict[str, Any] = dict(e.detail("known"))
        allowed = [p.level_for(known, FLAGS) for p in plans.values()]
        top = max((level for level in allowed if level is not None), default=None)
        level = Level(e.detail("level"))
        assert (top is not None and level <= top) or (e.incident, e.time) in over, (
            "a level above what any plan's triggers give for what is known, "
            "and no over-response logged"
        )
    return result


def _note(result: RunResult) -> None:
    """What the run reached (``pytest --hypothesis-show-statistics``)."""
    kinds = {e.kind for e in result.events}
    for kind in (
        EventKind.LEVEL_DECIDED,
        EventKind.LEVEL_ESCALATED,
        EventKind.HQ_ACTIVATED,
        EventKind.REPORT_SENT,
        EventKind.LEVEL_DEESCALATED,
    ):
        if kind in kinds:
            event(f"reached {kind.value}")


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(scenarios(), st.integers(0, 2**32 - 1))
def test_run_properties_on_drawn_scenarios(sc: Scenario, seed: int) -> None:
    _note(_check(sc, seed))


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(reachable_scenarios(), st.integers(0, 2**32 - 1))
def test_run_properties_on_scenarios_that_reach_decisions(sc: Scenario, seed: int) -> None:
    _note(_check(sc, seed))
