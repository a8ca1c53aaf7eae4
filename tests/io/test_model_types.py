"""A model built in Python with a value of the wrong type gets a
:class:`ModelError` naming the field, as a file would, never an
``AttributeError`` or a ``TypeError`` from a validator that read it.

Before, ``Plan(levels={Level.II: "junk"})`` raised ``AttributeError: 'str'
object has no attribute 'reinforce'`` from ``_fewer_than_below``, a district
with ``plans=("junk",)`` one from the reference checks, ``Scenario(injects=7)``
``'int' object is not iterable``, and ``check_scenario`` itself a
``TypeError`` on a dict where a string belongs."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest

import cmdsim.model
from cmdsim.analysis import check_scenario
from cmdsim.errors import CmdsimError, ModelError
from cmdsim.io import load_scenario
from cmdsim.model import (
    CalendarPeriod,
    Inject,
    Level,
    LevelResponse,
    Plan,
    Scenario,
    Task,
)
from cmdsim.model.typecheck import guard, guarded

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_every_model_class_is_guarded() -> None:
    """A class added to any model module is guarded with the others: the
    package's one list of modules with classes is exactly those."""
    classes = []
    with_classes = []
    for info in pkgutil.iter_modules(cmdsim.model.__path__):
        module = importlib.import_module(f"cmdsim.model.{info.name}")
        found = [
            value
            for value in vars(module).values()
            if isinstance(value, type) and attrs.has(value) and value.__module__ == module.__name__
        ]
        classes += found
        if found:
            with_classes.append(info.name)
    assert len(classes) > 40
    assert [c.__name__ for c in classes if not guarded(c)] == []
    assert sorted(cmdsim.model.CLASS_MODULES) == sorted(with_classes)


def test_a_string_for_a_list_is_refused_not_split() -> None:
    """Before: ``tuple("night")``, five one-letter flags that never matched."""
    with pytest.raises(ModelError) as caught:
        Plan(id="p", raise_flags="night")
    assert caught.value.path == "raise_flags"
    assert caught.value.message == (
        "expected a tuple (a list in a file), got 'night' (str): for one item write ('night',)"
    )
    with pytest.raises(ModelError, match=r"got \{'night': 1\} \(dict\)"):
        Plan(id="p", raise_flags={"night": 1})
    assert Plan(id="p", raise_flags=["night"]).raise_flags == ("night",)


@pytest.mark.parametrize(
    ("build", "path", "message"),
    [
        (
            lambda: Plan(id="p", levels={Level.II: "junk"}),
            "levels.II",
            "expected a LevelResponse, got 'junk' (str)",
        ),
        (lambda: Plan(id="p", levels="junk"), "levels", "expected a mapping"),
        (
            lambda: LevelResponse(reinforce=("junk",)),
            "reinforce[0]",
            "expected a Reinforce, got 'junk' (str)",
        ),
        (
            lambda: Task(id="t", unit="gas_company", resources="junk"),
            "resources",
            "expected a mapping",
        ),
        (
            lambda: CalendarPeriod(first="2026-10-01", last=dt.date(2026, 10, 7)),
            "first",
            "expected a date, got '2026-10-01' (str)",
        ),
    ],
)
def test_a_wrong_type_from_python_names_the_field(build: Any, path: str, message: str) -> None:
    with pytest.raises(ModelError) as caught:
        build()
    assert caught.value.path == path
    assert caught.value.message.startswith(message), caught.value.message


@pytest.fixture(scope="module")
def gas() -> Scenario:
    return load_scenario(SCENARIOS / "gas.yaml")


def test_the_district_reference_checks_name_the_field(gas: Scenario) -> None:
    plans = (gas.district.plans[0], "junk")
    with pytest.raises(ModelError) as caught:
        attrs.evolve(gas.district, plans=plans)
    assert caught.value.path == "plans[1]"
    assert caught.value.message == "expected a Plan, got 'junk' (str)"
    with pytest.raises(ModelError) as caught:
        attrs.evolve(gas, injects=7)
    assert caught.value.path == "injects"
    # The inject and the scenario are built; the file checks' look-up of
    # whom the inject reaches read `to` (before: a TypeError in `suggest`).
    scenario = attrs.evolve(gas, injects=(Inject(id="i", at=0, to=7),))
    with pytest.raises(CmdsimError) as refused:
        check_scenario(scenario)
    assert "injects[0].to: expected a string, got 7 (int)" in str(refused.value)


def test_check_scenario_names_a_dict_where_a_string_belongs(gas: Scenario) -> None:
    """Before: ``TypeError: unhashable type: 'dict'`` from the message's cache."""
    inject = attrs.evolve(gas.injects[0], message={"text": "explosion"})
    with pytest.raises(CmdsimError) as caught:
        check_scenario(attrs.evolve(gas, injects=(inject, *gas.injects[1:])))
    assert "injects[0].message: expected a string, got {'text': 'explosion'} (dict)" in str(
        caught.value
    )


def test_a_failure_with_every_type_right_is_raised_as_it_is() -> None:
    """The guard turns only a wrong type into a ModelError: a bug stays a bug."""

    @attrs.frozen
    class Broken:
        count: int

        def __attrs_post_init__(self) -> None:
            raise TypeError("a bug")

    guard(Broken)
    with pytest.raises(TypeError, match="a bug"):
        Broken(3)
    with pytest.raises(ModelError, match="expected a whole number, got 'x'"):
        Broken("x")


Step = tuple[str, Any]


def fields_of(root: Any) -> Iterator[tuple[list[Step], Any]]:
    """The first place in ``root`` of each field of each model class."""
    seen: set[tuple[str, str]] = set()

    def walk(obj: Any, steps: list[Step]) -> Iterator[tuple[list[Step], Any]]:
        if attrs.has(type(obj)):
            for field in attrs.fields(type(obj)):
                here = [*steps, ("attr", field.name)]
                value = getattr(obj, field.name)
                if (type(obj).__name__, field.name) not in seen:
                    seen.add((type(obj).__name__, field.name))
                    yield here, value
                yield from walk(value, here)
        elif isinstance(obj, tuple):
            for index, item in enumerate(obj):
                yield from walk(item, [*steps, ("item", index)])
        elif isinstance(obj, Mapping):
            for key, item in obj.items():
                yield from walk(item, [*steps, ("key", key)])

    yield from walk(root, [])


def replaced(root: Any, steps: list[Step], value: Any) -> Any:
    """``root`` with ``value`` at ``steps``, every object on the way built again."""
    if not steps:
        return value
    (kind, name), rest = steps[0], steps[1:]
    if kind == "attr":
        return attrs.evolve(root, **{name: replaced(getattr(root, name), rest, value)})
    if kind == "item":
        return tuple(replaced(x, rest, value) if i == name else x for i, x in enumerate(root))
    return {k: replaced(x, rest, value) if k == name else x for k, x in root.items()}


def wrong_values(value: Any) -> list[Any]:
    out: list[Any] = ["junk", 7, 2.5, True, None, ("junk",), {"junk": "junk"}, [object()]]
    if isinstance(value, tuple) and value:
        out += [(*value, "junk"), (7, *value[1:])]
    if isinstance(value, Mapping) and value:
        first = next(iter(value))
        out += [{**value, first: "junk"}, {**value, "junk": value[first]}, {**value, 7: 1}]
    return out


def test_no_wrong_type_anywhere_gives_anything_but_a_located_error(gas: Scenario) -> None:
    """Every field of every class the scenario holds, given each wrong value:
    building and checking it either passes or says which field."""
    scenario = gas
    tried = 0
    for steps, value in fields_of(scenario):
        for wrong in wrong_values(value):
            tried += 1
            try:
                check_scenario(replaced(scenario, steps, wrong))
            except CmdsimError as exc:
                assert str(exc).strip(), (steps, wrong)
    assert tried > 1000
