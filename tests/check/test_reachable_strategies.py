"""The strategies of :mod:`cmdsim.testing.reachable` draw what the engine
decides on: figures that set a plan's trigger off (often exactly at its
threshold), figures just short of it, and scenarios most of whose runs
decide a level and call HQs out — where
:func:`cmdsim.testing.strategies.scenarios` decides in about 2 in 100."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st

from cmdsim.io import dump, loads
from cmdsim.model import Condition, Level, Scenario, Signal, Trigger
from cmdsim.model.incidents import SeverityPoint, severity_at
from cmdsim.sim import SimOptions, simulate
from cmdsim.testing.reachable import (
    SPLIT,
    needs,
    reachable_scenarios,
    short_of,
    trigger_values,
)
from cmdsim.testing.strategies import triggers

QUIET = settings(suppress_health_check=list(HealthCheck), database=None)


def _rule(*conditions: str, level: Level = Level.IV) -> Trigger:
    return Trigger(level, any_of=tuple(Condition.parse(c) for c in conditions))


def _fires(trigger: Trigger, values: dict[str, object]) -> bool:
    return trigger.fires(severity_at([SeverityPoint(at=0.0, **values)], 0.0))  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(triggers(), st.data())
def test_the_drawn_figures_set_off_the_trigger(trigger: Trigger, data: st.DataObject) -> None:
    values = data.draw(trigger_values(trigger))
    if values:
        assert _fires(trigger, values)
        below = short_of(trigger, values)
        assert below is None or not _fires(trigger, below)
        return
    # Nothing sets it off: no choice of its conditions can hold together,
    # or one that can needs casualties the parts it fixes cannot add up to.
    for choice in range(max(1, len(trigger.any_of))):
        needed = needs(trigger, choice)
        assert needed is None or SPLIT in needed


def test_a_threshold_is_drawn_exactly_and_just_past_an_open_one() -> None:
    at_three = find(
        trigger_values(_rule("deaths >= 3")), lambda v: v["deaths"] == 3.0, settings=QUIET
    )
    assert at_three == {"deaths": 3.0}
    over = find(
        trigger_values(_rule("rainfall > 50")),
        lambda v: v["rainfall"] == math.nextafter(50.0, math.inf),
        settings=QUIET,
    )
    assert over["rainfall"] > 50.0
    find(
        trigger_values(_rule("households <= 100")),
        lambda v: v["households"] == 100.0,
        settings=QUIET,
    )
    orange = find(trigger_values(_rule("signal >= orange")), lambda v: True, settings=QUIET)
    assert orange == {"signal": Signal.ORANGE}


def test_casualties_are_drawn_as_their_parts() -> None:
    rule = Trigger(Level.III, all_of=(Condition.parse("casualties >= 10"),))
    drawn = find(trigger_values(rule), lambda v: v["deaths"] > 0, settings=QUIET)
    assert set(drawn) == {"deaths", "serious_injuries"}
    assert drawn["deaths"] + drawn["serious_injuries"] >= 10


def test_just_short_of_a_threshold() -> None:
    assert short_of(_rule("deaths >= 3"), {"deaths": 7.0}) == {"deaths": 2.0}
    assert short_of(_rule("deaths > 3"), {"deaths": 7.0}) == {"deaths": 3.0}
    assert short_of(_rule("signal >= orange"), {"signal": Signal.RED}) == {"signal": Signal.YELLOW}
    rain = short_of(_rule("rainfall >= 50"), {"rainfall": 80.0})
    assert rain == {"rainfall": math.nextafter(50.0, -math.inf)}
    # Nothing below "at least 0", and an upper bound is not a threshold to fall short of.
    assert short_of(_rule("deaths >= 0"), {"deaths": 1.0}) is None
    assert short_of(_rule("deaths <= 3"), {"deaths": 1.0}) is None


EXAMPLES = 30


def _decided(sc: Scenario) -> bool:
    result = simulate(sc, 0, options=SimOptions(log=False))
    return any(m["level_decided"] is not None for m in result.metrics["incident"].values())


def test_most_drawn_scenarios_reach_a_decision() -> None:
    seen: list[bool] = []

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(reachable_scenarios())
    def draw(sc: Scenario) -> None:
        # Each drawn scenario is a valid file: it loads back as drawn.
        assert loads(dump(sc)) == sc
        seen.append(_decided(sc))

    draw()
    assert len(seen) == EXAMPLES
    assert sum(seen) >= 0.6 * EXAMPLES, f"{sum(seen)} of {EXAMPLES} decided a level"
