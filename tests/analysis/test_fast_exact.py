"""The fast path at real staffing: a replication in which a report may have
waited for a duty-room officer runs on the engine, every other keeps the
fast path's numbers, and either way each row is the engine's, value for value."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs
import numpy as np
import pytest
from analysis_fakes import no_call_ins, without_officer_burst
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis import replicate
from cmdsim.analysis.batch import shift_scenario
from cmdsim.analysis.fastgraph import Response, compute, engine_draws, stack
from cmdsim.analysis.fastpath import EngineRun, ExactRun, fast_metrics, graph, permits
from cmdsim.analysis.metrics import engine_run
from cmdsim.analysis.paths import set_path
from cmdsim.analysis.seeds import week_offset
from cmdsim.io import load_scenario
from cmdsim.model import Fixed, Level, Lift, LogNormal, Scenario
from cmdsim.model.plans import Escalation, ReportDeadline
from cmdsim.model.scenario import Inject

ROOT = Path(__file__).resolve().parents[2]
TINY = Path(__file__).parent / "data" / "fast_tiny.yaml"
BUNDLED = ("gas", "flood-typhoon", "traffic")


@functools.cache
def _linked(name: str) -> Scenario:
    """A drill as written, but for its signals' lifts (the compound typhoon's
    at 10:00), which the fast path refuses before anything else
    (:func:`test_a_lifted_signal_is_refused_first`), and its incidents'
    ends of handling (``handled``: the compound typhoon's at 09:30 and
    10:20, long after every first response), refused next."""
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    incidents = tuple(
        attrs.evolve(
            i,
            timeline=tuple(
                p for p in i.timeline if p.signal is not Lift.LIFTED and p.handled is None
            ),
        )
        for i in scenario.incidents
    )
    return attrs.evolve(scenario, incidents=incidents)


def test_a_lifted_signal_is_refused_first() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "compound-typhoon.yaml").without_town_plans()
    plans = tuple(attrs.evolve(p, merge=()) for p in scenario.district.plans)
    scenario = attrs.evolve(scenario, district=attrs.evolve(scenario.district, plans=plans))
    reason = permits(scenario, list(fast_metrics(scenario)))
    assert reason is not None and "typhoon_rainstorm's signal is lifted" in reason


@functools.cache
def _bundled(name: str) -> Scenario:
    """A drill as the fast path replays it: without warning links and merge
    rules, which it refuses (:func:`test_warning_linked_drills_are_refused`,
    :func:`test_a_merged_site_is_refused`), and with the truth reported at
    once (what reporters know is the engine's alone).  Nor has it a takeover
    rule: a takeover puts the general plan in force, whose duty-room reports
    it does not replay (refused: tests/analysis/test_fast_takeover.py)."""
    # Nor the flood drill's burst of the garages' compound reports: its waits
    # for an information officer go to the engine (without_officer_burst).
    scenario = without_officer_burst(_linked(name)).with_truth_reported()
    scenario = scenario.without_town_plans()  # refused too (test_town_plans.py)
    plans = tuple(
        attrs.evolve(p, warnings=None, merge=(), levels=no_call_ins(p), takeover=None)
        for p in scenario.district.plans
    )
    if name in ("compound-typhoon", "flood-typhoon"):
        # Their garages' rain eases (+240 in the compound typhoon) or stops
        # (+300 in the flood drill) and the district lowers or closes its
        # level, which the fast path does not replay (its pilot falls back,
        # see test_a_level_lowered_in_the_run_falls_back): levels are held here.
        plans = tuple(
            attrs.evolve(p, escalation=attrs.evolve(p.escalation, deescalate=False)) for p in plans
        )
    return attrs.evolve(scenario, district=attrs.evolve(scenario.district, plans=plans))


@pytest.mark.parametrize("name", ["flood-typhoon", "compound-typhoon"])
def test_warning_linked_drills_are_refused(name: str) -> None:
    """The engine confirms a linked signal's level without triage or approval
    (sim/warnings.py); the fast path does not replay that, so it refuses.
    (The compound typhoon's pile-up and tanker leak are one site, refused
    first for that: its merge rule is left out here.)"""
    scenario = _linked(name).without_town_plans()
    plans = tuple(attrs.evolve(p, merge=()) for p in scenario.district.plans)
    scenario = attrs.evolve(scenario, district=attrs.evolve(scenario.district, plans=plans))
    reason = permits(scenario, list(fast_metrics(scenario)))
    assert reason is not None and "warning link" in reason
    assert permits(_bundled(name), list(fast_metrics(_bundled(name)))) is None


@pytest.mark.parametrize("name", ["compound-typhoon", "flood-typhoon"])
def test_a_level_lowered_in_the_run_falls_back(name: str) -> None:
    """The compound typhoon's garages ease to what the town plan covers and
    the district lowers its level (with the towns' plans: hands them back);
    the flood drill's rain over them stops and the district closes its
    response (with the towns' plans: the town's part closes with it).  The
    fast path does not replay a lowering, so it leaves the drill to the
    engine."""
    scenario = _linked(name).with_truth_reported().without_town_plans()
    plans = tuple(
        attrs.evolve(p, warnings=None, merge=(), levels=no_call_ins(p), takeover=None)
        for p in scenario.district.plans
    )
    scenario = attrs.evolve(scenario, district=attrs.evolve(scenario.district, plans=plans))
    reason = permits(scenario, list(fast_metrics(scenario)), unlimited=True)
    assert reason is not None and "fall back to the engine" in reason


@pytest.mark.parametrize("name", ["traffic", "compound-typhoon"])
def test_a_merged_site_is_refused(name: str) -> None:
    """The traffic drill's pile-up and tanker leak are one response (the
    general plan's merge rule), and so are the compound typhoon's (one site
    in Zhuqiao); the fast path does not replay the merge."""
    scenario = _linked(name).without_town_plans()
    reason = permits(scenario, list(fast_metrics(scenario)))
    assert reason is not None and "merge rule traffic_hazmat_site" in reason
    assert "expressway_pileup, tanker_leak" in reason
    assert permits(_bundled(name), list(fast_metrics(_bundled(name)))) is None


@functools.cache
def _burst() -> Scenario:
    """The tiny drill with one officer at night in each room, bursts of calls,
    and reporting duties that hold the rooms' officers after a decision
    (the town room's too), under a plan that may close and decide again."""
    s = load_scenario(TINY)
    s = set_path(s, "district.duty_room.staffing", {"day": 2, "night": 1, "holiday": 1})
    s = set_path(
        s, "district.towns[east_town].duty_room.staffing", {"day": 1, "night": 1, "holiday": 1}
    )
    duties = (
        ReportDeadline(
            id="phone", by="district_duty_room", duration=LogNormal(median=8.0, sigma=0.5)
        ),
        ReportDeadline(id="note", by="east_duty_room", duration=Fixed(10.0)),
        ReportDeadline(
            id="written",
            by="district_duty_room",
            duration=LogNormal(median=20.0, sigma=0.4),
            min_level=Level.III,
        ),
    )
    escalation = Escalation(reassess=Fixed(20.0), deescalate=True, hold=30.0)
    plans = tuple(
        attrs.evolve(p, reports=duties, escalation=escalation) if p.id == "gas_plan" else p
        for p in s.district.plans
    )
    # Off the minutes the channels' fixed delays land on: reports arriving at
    # one room at the same instant are never vouched for (another test).
    calls = [
        (14.7, "gas", "east_duty_room"),
        (35.2, "flood", "district_duty_room"),
        (36.8, "gas", "district_duty_room"),
        (61.4, "flood", "east_duty_room"),
        (62.9, "flood", "district_duty_room"),
        (64.1, "gas", "district_duty_room"),
    ]
    injects = tuple(
        Inject(id=f"call{k}", at=at, hazard=hazard, town="east_town", to=to)
        for k, (at, hazard, to) in enumerate(calls)
    )
    return attrs.evolve(
        s,
        district=attrs.evolve(s.district, plans=plans),
        injects=s.injects + injects,
    )


@functools.cache
def _staffed(name: str, night: int) -> Scenario:
    """A scenario with ``night`` officers at night in the district room, kept
    (with its compiled form and graph) across examples."""
    scenario = _burst() if name == "burst" else _bundled(name)
    return set_path(scenario, "district.duty_room.staffing.night", night)


def _seeds(seed: int, n: int) -> list[np.random.SeedSequence]:
    return [np.random.SeedSequence(seed, spawn_key=(i,)) for i in range(n)]


def _response(
    scenario: Scenario,
    seeds: Sequence[np.random.SeedSequence],
    offsets: Sequence[float],
    unlimited: bool = False,
) -> Response:
    g = graph(scenario)
    draws = stack([engine_draws(g, s, o) for s, o in zip(seeds, offsets, strict=True)])
    return compute(g, draws, unlimited=unlimited)


def _text(row: Mapping[str, float]) -> list[tuple[str, str]]:
    """A row as the batch writes it: ``repr`` of each value (every NaN is 'nan')."""
    return [(k, repr(float(v))) for k, v in sorted(row.items())]


def _compare(
    scenario: Scenario, seeds: Sequence[np.random.SeedSequence], offsets: Sequence[float]
) -> Response:
    """ExactRun's rows against the engine's, at the scenario's own staffing."""
    metrics = fast_metrics(scenario)
    rows = ExactRun(metrics).rows(scenario, seeds, offsets)
    engine = EngineRun(metrics)
    for r, (seed, offset, row) in enumerate(zip(seeds, offsets, rows, strict=True)):
        want = engine(shift_scenario(scenario, offset), seed)
        assert _text(row) == _text(want), f"replication {r}"
    return _response(scenario, seeds, offsets)


@pytest.mark.parametrize(("name", "n"), [("gas", 200), ("flood-typhoon", 80), ("traffic", 80)])
def test_exact_run_gives_the_engines_rows_at_real_staffing(name: str, n: int) -> None:
    scenario = _bundled(name)
    reason = permits(scenario, list(fast_metrics(scenario)))
    response = _compare(scenario, _seeds(21, n), [0.0] * n)
    # Reports wait in the rooms in many replications; replaying the rooms'
    # queues (reports, the decisions' reporting duties, the shifts) keeps
    # them on the fast path, row for row the engine's all the same.
    assert reason is None
    assert response.replayed.mean() > 0.1
    # A replayed queue is vouched for unless the engine's order of two
    # near-simultaneous events decides it (those go to the engine).
    assert (response.exact & response.replayed).sum() >= 0.98 * response.replayed.sum()
    assert response.exact.mean() > 0.9


def test_the_officers_burst_falls_back_to_the_engine() -> None:
    """The flood drill as bundled has the garages' compounds report in a
    burst that queues at their committee's officers: nearly every
    replication is flagged, the pilot refuses the fast path, and a forced
    ExactRun hands the flagged replications to the engine: its rows are the
    engine's, value for value."""
    name = "flood-typhoon"
    scenario = _bundled(name)
    burst = attrs.evolve(scenario, incidents=_linked(name).incidents)
    assert len(burst.incidents[1].timeline) > len(scenario.incidents[1].timeline)
    reason = permits(burst, list(fast_metrics(burst)), unlimited=True)
    assert reason is not None and "would fall back to the engine" in reason
    response = _compare(burst, _seeds(13, 12), [0.0] * 12)
    assert response.contended.mean() > 0.5
    assert not (response.exact & response.contended).any()


def test_exact_run_gives_the_engines_rows_across_the_week() -> None:
    scenario = _bundled("gas")  # 4 on duty by day, 2 at night, 3 on holidays
    seeds = _seeds(5, 80)
    offsets = [week_offset(s) for s in seeds]
    response = _compare(scenario, seeds, offsets)
    assert response.exact.any() and not response.exact.all()


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([*BUNDLED, "burst"]),
    st.integers(1, 3),
    st.integers(0, 2**63 - 1),
    st.booleans(),
)
def test_exact_run_equals_the_engine_for_any_seed_and_night_staffing(
    name: str, night: int, seed: int, spread: bool
) -> None:
    scenario = _staffed(name, night)
    seq = np.random.SeedSequence(seed)
    _compare(scenario, [seq], [week_offset(seq) if spread else 0.0])


def _first_response(row: Mapping[str, float], metrics: Sequence[str]) -> list[str]:
    return [repr(row.get(m, math.nan)) for m in metrics]


def test_replications_marked_not_exact_are_those_a_report_waited_in() -> None:
    scenario = _burst()
    seeds = _seeds(8, 150)
    response = _compare(scenario, seeds, [0.0] * len(seeds))
    unlimited = _response(scenario, seeds, [0.0] * len(seeds), unlimited=True)
    metrics = [m for m in fast_metrics(scenario) if not m.endswith("onset_band")]
    waited = changed = kept = 0
    for r, seed in enumerate(seeds):
        real = engine_run(scenario, seed)
        room_wait = max(
            (v for k, v in real.items() if k.startswith("wait.") and not math.isnan(v)),
            default=0.0,
        )
        if response.queued[r]:
            assert not response.exact[r]
            if unlimited.exact[r]:
                # Nothing else in the way: the engine did make a report wait.
                assert room_wait > 0, f"replication {r}"
                waited += 1
        as_if_unlimited = engine_run(scenario, seed, unlimited=True)
        if _first_response(real, metrics) != _first_response(as_if_unlimited, metrics):
            # Staffing changed the first response: never vouched for.
            assert not response.exact[r], f"replication {r}"
            changed += 1
        if response.exact[r] and room_wait > 0:
            kept += 1
    assert waited >= 10 and changed >= 5
    # A wait after every first decision leaves the replication to the fast path.
    assert kept >= 10


def test_reports_of_one_case_arriving_together_are_never_vouched_for() -> None:
    # An inject lands at 12:00 exactly with the warning channel's fixed
    # 2 minutes: for the rain (its warning's case), which is triaged first is
    # the engine's own order, and both draw from the rain's triage stream.
    scenario = _burst()
    tied = Inject(id="together", at=12.0, hazard="flood", town="east_town")
    response = _compare(
        attrs.evolve(scenario, injects=(*scenario.injects, tied)), _seeds(2, 20), [0.0] * 20
    )
    assert response.tied.all() and not response.exact.any()
    # For the gas leak, the other case, they draw from different streams:
    # the order between them changes nothing, and the fast path keeps them
    # (``_compare`` checked each row against the engine).
    other = Inject(id="together", at=12.0, hazard="gas", town="east_town")
    response = _compare(
        attrs.evolve(scenario, injects=(*scenario.injects, other)), _seeds(2, 20), [0.0] * 20
    )
    assert not response.tied.any() and response.exact.any()


def test_a_batch_at_real_staffing_picks_the_fast_path_and_the_engines_bytes() -> None:
    scenario = _bundled("gas")
    metrics = ["incident.gas_main_rupture.hq.gas_hq.activated", "incident.gas_main_rupture.aware"]
    auto = replicate(scenario, 60, seed=4, metrics=metrics, chunk_size=20)
    des = replicate(scenario, 60, seed=4, metrics=metrics, chunk_size=20, fast=False)
    assert (auto.engine, des.engine) == ("fast", "des")
    for result in (auto, des):
        result.summary.pop("engine")
        result.summary.pop("fast")
        # How it was run, not what: the summary says the engine was forced.
        result.summary["switches"].pop("fast", None)
    assert auto.to_json() == des.to_json()


@pytest.mark.parametrize("name", ["flood-typhoon", "compound-typhoon"])
def test_multi_incident_drills_take_the_fast_path_with_unlimited_capacity(name: str) -> None:
    """Each case's approvals come from its own stream, so an escalation of one
    incident never moves another's first decision: with unlimited capacity
    the multi-incident drills are mostly vouched for, and exactly the engine."""
    scenario = _bundled(name)
    metrics = fast_metrics(scenario)
    assert permits(scenario, list(metrics), unlimited=True) is None
    seeds, offsets = _seeds(5, 40), [0.0] * 40
    rows = ExactRun(metrics, unlimited=True).rows(scenario, seeds, offsets)
    engine = EngineRun(metrics, unlimited=True)
    for r, (seed, row) in enumerate(zip(seeds, rows, strict=True)):
        assert _text(row) == _text(engine(scenario, seed)), f"replication {r}"
    response = _response(scenario, seeds, offsets, unlimited=True)
    assert response.exact.mean() >= 0.7


def test_forced_fast_path_replays_the_rooms_queues_at_real_staffing() -> None:
    """``--fast`` at the rooms' staffing replays their queues: reports wait
    for an officer at night, and ``fast.contended`` flags only what it could
    not replay."""
    scenario = _bundled("flood-typhoon")
    metric = next(m for m in fast_metrics(scenario) if m.endswith(".level_decided"))
    staffed = replicate(scenario, 64, seed=2, metrics=[metric], fast=True)
    unlimited = replicate(
        scenario, 64, seed=2, metrics=[metric], fast=True, unlimited_capacity=True
    )
    # The rooms' queues are replayed, so hardly any replication is flagged,
    # and the typhoon's first decision (before any queue) is the same.
    assert staffed.summary["metrics"]["fast.contended"]["mean"] < 0.1
    assert unlimited.summary["metrics"]["fast.contended"]["mean"] < 0.1
    assert staffed.summary["metrics"][metric] == unlimited.summary["metrics"][metric]
    # A later incident waits for the district room at night: later on average.
    later = "incident.garage_flooding.level_decided"
    slow = replicate(scenario, 64, seed=2, metrics=[later], fast=True)
    quick = replicate(scenario, 64, seed=2, metrics=[later], fast=True, unlimited_capacity=True)
    assert slow.summary["metrics"][later]["mean"] > quick.summary["metrics"][later]["mean"]


@pytest.mark.parametrize(
    "name", ("gas", "traffic", "flood-typhoon", "compound-typhoon", "typhoon-landfall")
)
def test_drills_with_their_towns_plans_are_refused(name: str) -> None:
    """The bundled drills' town rooms answer first under their towns' plans
    (hand-over, hand-back, the town's first response), which the fast path
    does not replay: it refuses them, naming the town plan."""
    scenario = _linked(name)
    reason = permits(scenario, list(fast_metrics(scenario.without_town_plans())))
    town = scenario.incidents[0].town
    assert reason is not None and f"town plan {town}_" in reason
    assert permits(scenario, ["incident.x.aware"], unlimited=True) == reason
