"""load -> simulate checks once: a load gives every check
``check_scenario`` gives, so what it returns is recorded as passed
(cmdsim.io.checked) and ``cmdsim.simulate`` does not check it again; what
is built by hand in Python is still checked, once."""

from __future__ import annotations

import importlib
import pickle
import pkgutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cmdsim
import cmdsim.model
from cmdsim import bundled
from cmdsim.analysis import built, check_scenario
from cmdsim.errors import CmdsimError, LoadError, ModelError
from cmdsim.io import checked, dump, from_data, load_district, load_scenario, loads, memo, to_data
from cmdsim.model import Level, LevelResponse, Plan, Scenario, Staffing
from cmdsim.model.typecheck import build_typed, guarded
from cmdsim.testing.strategies import scenarios

DRILLS = sorted(bundled.root().glob("*.yaml"))


@pytest.fixture
def counted() -> Iterator[list[Scenario]]:
    """The scenarios whose whole check runs, in order."""
    seen: list[Scenario] = []
    real = built.scenario_problems

    def counting(scenario: Scenario) -> list[Any]:
        seen.append(scenario)
        return real(scenario)

    with mock.patch.object(built, "scenario_problems", counting):
        yield seen


def _fresh(value: Any) -> Any:
    """An equal value of all new objects: no memo knows any of them."""
    return pickle.loads(pickle.dumps(value))


def test_a_loaded_scenario_is_not_checked_again(counted: list[Scenario]) -> None:
    memo.clear()  # built now, not handed out from an earlier load
    scenario = load_scenario(bundled.path("gas.yaml"))
    assert checked.passed(scenario) and checked.passed(scenario.district)
    for seed in range(2):
        cmdsim.simulate(scenario, seed)
    check_scenario(scenario)
    assert counted == []
    # The same file again hands out the same, passed, value.
    assert load_scenario(bundled.path("gas.yaml")) is scenario
    # What a program builds from it is another object: checked, once.
    later = attrs.evolve(scenario, horizon=scenario.horizon + 60)
    assert not checked.passed(later)
    cmdsim.simulate(later, 0)
    cmdsim.simulate(later, 1)
    assert counted == [later]
    # An equal copy is not the loaded object: equality is no identity.
    twin = _fresh(scenario)
    cmdsim.simulate(twin, 0)
    assert counted == [later, twin]


@pytest.mark.parametrize("drill", DRILLS, ids=lambda p: p.stem)
def test_what_a_load_passes_the_whole_check_passes(drill: Path) -> None:
    """The check a loaded scenario skips would have found nothing."""
    scenario = _fresh(load_scenario(drill))
    assert not checked.passed(scenario)
    assert built.scenario_problems(scenario) == []


def test_a_hand_built_change_on_a_loaded_scenario_is_refused() -> None:
    gas = load_scenario(bundled.path("gas.yaml"))
    with pytest.raises(CmdsimError, match="is not one a file could give"):
        cmdsim.simulate(attrs.evolve(gas, horizon=5), 0)
    # What no validator refuses, the check's type walk does.
    bad = attrs.evolve(gas, district=attrs.evolve(gas.district, name=5))
    with pytest.raises(CmdsimError, match=r"district\.name: expected a string, got 5"):
        check_scenario(bad)
    # A scenario built by hand on a loaded district is checked, less the
    # district's own checks, which its load gave.
    district = load_district(bundled.root() / "district")
    assert checked.passed(district)
    own = Scenario(
        id="own", name="own", district=district, start=gas.start, horizon=30, injects=gas.injects
    )
    with pytest.raises(
        CmdsimError, match=r"injects\[1\]\.at: 40 min is after the horizon of 30 min"
    ):
        check_scenario(own)


def test_from_data_records_what_it_checked(counted: list[Scenario]) -> None:
    gas = load_scenario(bundled.path("gas.yaml"))
    again = from_data(to_data(gas), Scenario)
    assert again is not gas and checked.passed(again)
    cmdsim.simulate(again, 0)
    assert counted == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.one_of(st.none(), st.floats(1, 600)))
def test_a_load_accepts_exactly_what_check_scenario_accepts(
    scenario: Scenario, horizon: float | None
) -> None:
    """So recording a load's value as checked skips nothing the check would
    refuse (a short horizon leaves timelines and injects outside the run)."""
    if horizon is not None:
        scenario = attrs.evolve(scenario, horizon=horizon)
    problems = built.scenario_problems(_fresh(scenario))
    try:
        loaded = loads(dump(scenario))
    except LoadError:
        assert problems, "the load refused what the check passes"
        return
    assert problems == [], "the load passed what the check refuses"
    assert checked.passed(loaded)


def test_the_loader_builds_with_the_types_it_read_not_through_the_guard() -> None:
    """The constructor guard only names an argument of the wrong type, and the
    loader read each by its type: it builds without the guard's call (a
    condition is still made by the model's own Condition.parse)."""
    classes = {cls for cls in _model_classes() if guarded(cls)}
    calls: dict[str, int] = {}
    saved = {cls: vars(cls)["__init__"] for cls in classes}

    def counting(cls: type, wrapper: Any) -> Any:
        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            calls[cls.__name__] = calls.get(cls.__name__, 0) + 1
            wrapper(self, *args, **kwargs)

        __init__.__wrapped__ = wrapper.__wrapped__  # type: ignore[attr-defined]
        return __init__

    try:
        for cls, wrapper in saved.items():
            cls.__init__ = counting(cls, wrapper)  # type: ignore[misc]
        memo.clear()
        load_scenario(bundled.path("traffic.yaml"))
        through_guard = dict(calls)
        Plan(id="p")
        assert calls.get("Plan") == 1  # counted: a Python caller goes through it
    finally:
        for cls, wrapper in saved.items():
            cls.__init__ = wrapper  # type: ignore[misc]
        memo.clear()
    assert set(through_guard) <= {"Condition"}


def test_build_typed_fails_as_the_guarded_constructor_does() -> None:
    good = {"id": "p", "levels": {Level.II: LevelResponse()}}
    assert build_typed(Plan, good) == Plan(**good)
    assert build_typed(Staffing, {"day": 3, "night": 2, "holiday": 1}) == Staffing(3, 2, 1)
    bad = {"id": "p", "levels": {Level.II: "junk"}}
    with pytest.raises(ModelError) as by_hand:
        Plan(**bad)
    with pytest.raises(ModelError) as built_typed:
        build_typed(Plan, bad)
    assert (built_typed.value.path, built_typed.value.message) == (
        by_hand.value.path,
        by_hand.value.message,
    )


def _model_classes() -> list[type]:
    found: list[type] = []
    for info in pkgutil.iter_modules(cmdsim.model.__path__):
        module = importlib.import_module(f"cmdsim.model.{info.name}")
        found += [
            value
            for value in vars(module).values()
            if isinstance(value, type) and attrs.has(value) and value.__module__ == module.__name__
        ]
    return found
