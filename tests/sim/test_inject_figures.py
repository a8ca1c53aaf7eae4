"""An inject's stated figures are part of what the room it reaches knows.

Exact timelines checked by hand on ``test_sites.one_crash``: a road accident
at 60 (1 dead: the road plan's IV; ``deaths >= 10`` gives III); the hotline
reports at 70; the district room's one officer triages for 5 minutes and a
leader approves for 8; the lead reassesses every 30 minutes and lowers a
level held 60 minutes when the truth gives less.
"""

from __future__ import annotations

import math
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis.fastgraph import compute, engine_draws, metric_columns
from cmdsim.analysis.fastpath import covered_pairs, graph, permits
from cmdsim.analysis.metrics import flatten
from cmdsim.errors import ModelError
from cmdsim.io import load_scenario
from cmdsim.model import Inject, Level, Scenario
from cmdsim.model.scenario import SeverityPoint
from cmdsim.sim import SimOptions, simulate
from cmdsim.sim.results import RunResult

from .test_sites import one_crash

KINDS = ("level_decided", "level_escalated", "level_deescalated", "over_response")
TINY = Path(__file__).parents[1] / "analysis" / "data" / "fast_tiny.yaml"


def _log(result: RunResult) -> list[tuple[float, str, str | None, str | None]]:
    """(time, kind, level, warranted) of the level changes and over-responses."""
    return [
        (e.time, e.kind.value, e.detail("level"), e.detail("warranted"))
        for e in result.events
        if e.kind in KINDS
    ]


def _call(**figures: float) -> Inject:
    return Inject(id="call", at=65.0, hazard="road", level=Level.III, figures=figures)


def test_an_injects_figures_make_its_level_warranted() -> None:
    # The inject (at 65: III, "12 dead") is triaged 65-70: the room knows 12
    # dead, the triggers give III; approved at 78, no over-response.  The
    # hotline's report (70, triaged 70-75: 1 dead) lowers nothing known.
    sc = attrs.evolve(one_crash(), injects=(_call(deaths=12),))
    result = simulate(sc, 0)
    assert _log(result) == [
        (78.0, "level_decided", "III", None),
        # 60 minutes at III; the lead finds 1 dead (IV) at the reassessment
        (138.0, "level_deescalated", "IV", None),
    ]
    decided = result.of_kind("level_decided")[0]
    assert dict(decided.detail("known")) == {"casualties": 12.0, "deaths": 12.0}
    assert result.metrics["incident"]["crash"]["over_response"] is False


def test_the_same_inject_without_figures_is_an_over_response() -> None:
    # Nothing known at 70 but the inject's level; at 78 the hotline's 1 dead
    # gives IV: III is above it.
    result = simulate(attrs.evolve(one_crash(), injects=(_call(),)), 0)
    assert _log(result)[:2] == [
        (78.0, "level_decided", "III", None),
        (78.0, "over_response", "III", "IV"),
    ]
    assert result.metrics["incident"]["crash"]["over_response"] is True


def test_figures_below_the_level_leave_it_an_over_response() -> None:
    # "3 dead" warrants IV, not the III the inject reports.
    result = simulate(attrs.evolve(one_crash(), injects=(_call(deaths=3),)), 0)
    over = result.of_kind("over_response")
    assert [(e.time, e.detail("level"), e.detail("warranted")) for e in over] == [
        (78.0, "III", "IV")
    ]


def test_an_injects_figures_are_news_of_its_own_time() -> None:
    # 12 dead at onset (III: hotline 70, triaged 70-75, approved 83), 2 at
    # +60 (120).  Reassessments at 113 and 143: at 143 the truth gives IV
    # and III has held 60 minutes, so the lead lowers to IV and the room's
    # picture becomes the truth.  The inject at 150 says 12 dead again
    # (triaged 150-155): news of 150, after the lowering, so the room raises
    # to III (approved 163).  Timed as of the onset, it would be dropped.
    base = one_crash()
    crash = attrs.evolve(
        base.incidents[0],
        timeline=(SeverityPoint(at=0, deaths=12), SeverityPoint(at=60, deaths=2)),
    )
    inject = Inject(id="recount", at=150.0, hazard="road", figures={"deaths": 12})
    sc = attrs.evolve(base, incidents=(crash,), injects=(inject,))
    result = simulate(sc, 0)
    assert [entry[:3] for entry in _log(result)][:3] == [
        (83.0, "level_decided", "III"),
        (143.0, "level_deescalated", "IV"),
        (163.0, "level_escalated", "III"),
    ]
    escalated = next(e for e in result.events if e.kind == "level_escalated")
    assert dict(escalated.detail("known")) == {"casualties": 12.0, "deaths": 12.0}


def test_an_inject_naming_no_incident_of_the_scenario_opens_a_case_on_its_figures() -> None:
    # No incident: the inject's case is known only by its figures (III).
    sc = attrs.evolve(one_crash(), incidents=(), injects=(_call(deaths=12),))
    decided = simulate(sc, 0).of_kind("level_decided")
    assert [(e.time, e.incident, e.detail("level")) for e in decided] == [(78.0, "call", "III")]


def test_known_derives_casualties_as_a_timeline_point_does() -> None:
    inject = Inject(id="a", at=1, hazard="road", figures={"deaths": 4, "serious_injuries": 12})
    assert inject.known() == {"deaths": 4.0, "serious_injuries": 12.0, "casualties": 16.0}
    assert Inject(id="b", at=1, hazard="road", figures={"households": 12_000}).known() == {
        "households": 12_000.0
    }
    assert Inject(id="c", at=1).known() == {}
    # hashable and comparable like any inject
    assert hash(inject) == hash(attrs.evolve(inject))


@pytest.mark.parametrize(
    ("figures", "message"),
    [
        ({"dead": 4}, "figures.dead: unknown figure 'dead' (did you mean 'deaths'?)"),
        ({"casualties": 4}, "it is derived: state deaths and serious_injuries"),
        ({"deaths": -1}, "figures.deaths: -1 is negative"),
        ({"deaths": math.nan}, "figures.deaths: nan is not a finite number"),
        ({"deaths": "4"}, "figures.deaths: expected a number, got '4'"),
    ],
)
def test_bad_figures_are_refused_by_the_model(figures: dict[str, object], message: str) -> None:
    with pytest.raises(ModelError, match=None) as caught:
        Inject(id="a", at=1, hazard="road", figures=figures)  # type: ignore[arg-type]
    assert message in str(caught.value)


# The fast path replays an inject's figures (sim/topology.py), value for value.


def _tiny(deaths: float | None) -> Scenario:
    """The fast path's tiny drill as it replays it, the gas inject ("smell",
    at 20, level IV) stating ``deaths`` (12: the gas plan's II)."""
    sc = load_scenario(TINY).with_truth_reported().without_town_plans()
    plans = tuple(attrs.evolve(p, warnings=None, merge=()) for p in sc.district.plans)
    sc = attrs.evolve(sc, district=attrs.evolve(sc.district, plans=plans))
    figures = {} if deaths is None else {"deaths": deaths}
    smell = attrs.evolve(sc.injects[0], figures=figures)
    return attrs.evolve(sc, injects=(smell,))


def _engine_and_fast(sc: Scenario, seq: np.random.SeedSequence) -> tuple[dict, dict]:  # type: ignore[type-arg]
    options = SimOptions(unlimited_capacity=True)
    engine = flatten(simulate(sc, seq, options=options))
    g = graph(sc)
    response = compute(g, engine_draws(g, seq), unlimited=True)
    assert not response.contended[0]
    return engine, metric_columns(g, response, covered_pairs(g))


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**63 - 1))
def test_the_fast_path_replays_an_injects_figures_exactly(seed: int) -> None:
    sc = _tiny(12.0)
    engine, fast = _engine_and_fast(sc, np.random.SeedSequence(seed))
    for name, values in fast.items():
        want, got = engine.get(name, math.nan), float(values[0])
        assert (math.isnan(want) and math.isnan(got)) or want == got, name


def test_the_fast_path_permits_them_and_they_move_its_first_level() -> None:
    # Not refused: the fast path gives the engine's numbers with figures too.
    assert permits(_tiny(12.0), ["incident.leak.level_decided"], unlimited=True) is None
    # Where the inject is triaged before the leak's first decision starts,
    # its 12 dead decide II (rank 3) on both paths; without them it is IV (1).
    levels: dict[float | None, list[float]] = {}
    for deaths in (None, 12.0):
        for i in range(8):
            seq = np.random.SeedSequence(3, spawn_key=(i,))
            engine, fast = _engine_and_fast(_tiny(deaths), seq)
            assert float(fast["incident.leak.level"][0]) == engine["incident.leak.level"]
            levels.setdefault(deaths, []).append(engine["incident.leak.level"])
    assert levels[None] == [1.0] * 8
    assert levels[12.0] == [3.0, 1.0, 1.0, 1.0, 1.0, 3.0, 1.0, 1.0]
