"""Model values cannot change in place (cmdsim.model.frozen), so a scenario
checked once stays as it was checked, and cmdsim.simulate checks it once."""

from __future__ import annotations

import copy
import functools
import json
import pickle
import subprocess
import sys
import typing
import weakref
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import cmdsim
from cmdsim import bundled
from cmdsim.analysis import built, check_scenario
from cmdsim.errors import CmdsimError
from cmdsim.io import field_types, load_scenario, scenario_digest, to_data
from cmdsim.model import (
    Inject,
    Level,
    LevelResponse,
    OfficerNetwork,
    Plan,
    Scenario,
    Signal,
    Task,
    Tier,
    WarningLink,
)
from cmdsim.model.frozen import FrozenDict
from cmdsim.testing.strategies import scenarios

DRILLS = sorted(bundled.root().glob("*.yaml"))

_LOADED: dict[Path, Scenario] = {}


def _drill(path: Path) -> Scenario:
    if path not in _LOADED:
        _LOADED[path] = load_scenario(path)
    return _LOADED[path]


def _reachable(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every container below a model value, with its path."""
    if isinstance(value, Mapping | list | set | tuple | bytearray):
        yield path, value
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _reachable(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _reachable(item, f"{path}[{index}]")
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _reachable(getattr(value, field.name), f"{path}.{field.name}")


@functools.cache
def _mappings(drill: Path) -> list[tuple[str, Any]]:
    return [(p, c) for p, c in _reachable(_drill(drill)) if isinstance(c, Mapping)]


MUTATORS: dict[str, Callable[[Any, Any], object]] = {
    "setitem": lambda m, k: m.__setitem__(k, None),
    "delitem": lambda m, k: m.__delitem__(k),
    "clear": lambda m, _k: m.clear(),
    "pop": lambda m, k: m.pop(k),
    "popitem": lambda m, _k: m.popitem(),
    "setdefault": lambda m, k: m.setdefault(k, None),
    "update": lambda m, k: m.update({k: None}),
    "ior": lambda m, k: m.__ior__({k: None}),
    "init again": lambda m, k: m.__init__({k: None}),
}

BYPASSES: dict[str, Callable[[Any, Any], object]] = {
    # What wrote a dict subclass's storage past its refusing methods.
    "dict.__setitem__": lambda m, k: dict.__setitem__(m, k, None),
    "dict.__delitem__": lambda m, k: dict.__delitem__(m, k),
    "dict.update": lambda m, k: dict.update(m, {k: None}),
    "dict.__init__": lambda m, k: dict.__init__(m, {k: None}),
    "dict.__ior__": lambda m, k: dict.__ior__(m, {k: None}),
    "dict.clear": lambda m, _k: dict.clear(m),
    "dict.pop": lambda m, k: dict.pop(m, k),
    "dict.popitem": lambda m, _k: dict.popitem(m),
    "dict.setdefault": lambda m, k: dict.setdefault(m, k, None),
    "replace the entries": lambda m, k: setattr(m, "_items", {k: None}),
    "delete the entries": lambda m, _k: delattr(m, "_items"),
}


@pytest.mark.parametrize("drill", DRILLS, ids=lambda p: p.stem)
def test_every_container_a_loaded_scenario_holds_is_immutable(drill: Path) -> None:
    found = list(_reachable(_drill(drill)))
    kinds = {type(c) for _, c in found}
    assert kinds <= {tuple, FrozenDict}, kinds
    # The five mapping fields of the model are all there in a bundled drill.
    names = {p.rsplit(".", 1)[-1] for p, c in found if isinstance(c, FrozenDict)}
    assert {"levels", "resources", "tiers"} <= names


@settings(max_examples=25)
@given(scenarios())
def test_every_container_of_a_generated_scenario_is_immutable(scenario: Scenario) -> None:
    """Built in Python (the strategies pass plain dicts and lists), not loaded."""
    assert {type(c) for _, c in _reachable(scenario)} <= {tuple, FrozenDict}


@settings(max_examples=60)
@given(st.data())
def test_no_mapping_reachable_from_a_bundled_drill_changes_in_place(data: st.DataObject) -> None:
    drill = data.draw(st.sampled_from(DRILLS), label="drill")
    path, mapping = data.draw(st.sampled_from(_mappings(drill)), label="mapping")
    name = data.draw(st.sampled_from(sorted(MUTATORS) + sorted(BYPASSES)), label="mutator")
    key = data.draw(st.sampled_from([*mapping, "not-a-key"]), label="key")
    before = dict(mapping)
    if name == "init again":
        # Filled when made; __init__ again is nothing, not an update.
        MUTATORS[name](mapping, key)
    elif name in BYPASSES:
        # Not a dict: dict's own methods refuse it.
        with pytest.raises(TypeError):
            BYPASSES[name](mapping, key)
    else:
        with pytest.raises(TypeError, match=r"cannot be changed in place: .*attrs\.evolve"):
            MUTATORS[name](mapping, key)
    assert dict(mapping) == before, path


def _model_classes() -> list[type]:
    found: list[type] = []

    def visit(tp: Any) -> None:
        for inner in typing.get_args(tp):
            visit(inner)
        if isinstance(tp, type) and attrs.has(tp) and tp not in found:
            found.append(tp)
            for field_type in field_types(tp).values():
                visit(field_type)

    visit(Scenario)
    return found


def test_every_mapping_field_of_the_model_is_a_frozen_mapping() -> None:
    """A new field holding a mapping is declared ``Mapping[...]`` (mypy then
    refuses a change in place) with a converter that freezes it."""
    fields = [
        (cls, field)
        for cls in _model_classes()
        for field in attrs.fields(cls)
        if typing.get_origin(field_types(cls)[field.name]) in (dict, Mapping)
    ]
    assert len(fields) >= 5
    for cls, field in fields:
        assert typing.get_origin(field_types(cls)[field.name]) is Mapping, (cls, field.name)
        assert field.converter is not None, (cls, field.name)


def test_the_model_freezes_the_mappings_a_user_passes() -> None:
    task = Task(id="t", unit="fire", resources={"pumps": 2})
    plan = Plan(id="p", levels={Level.IV: LevelResponse(tasks=(task,))})
    link = WarningLink(levels={"blue": "IV"})
    inject = Inject(id="i", at=5, figures={"deaths": 3})
    for mapping in (
        task.resources,
        plan.levels,
        link.levels,
        inject.figures,
        OfficerNetwork().tiers,
        Plan(id="q").levels,
        Task(id="u", unit="fire").resources,
    ):
        assert type(mapping) is FrozenDict
    assert link.levels == {Signal.BLUE: Level.IV}
    assert inject.figures == {"deaths": 3.0}
    # Changing one is a new object: attrs.evolve runs the converter again.
    more = attrs.evolve(task, resources={**task.resources, "boats": 1})
    assert type(more.resources) is FrozenDict
    assert more.resources == {"pumps": 2, "boats": 1} and task.resources == {"pumps": 2}


def test_a_frozen_mapping_reads_compares_and_copies_as_a_dict() -> None:
    frozen = FrozenDict({Tier.TOWN: 1, Tier.COMMITTEE: 2})
    assert frozen == {Tier.TOWN: 1, Tier.COMMITTEE: 2} and frozen != {Tier.TOWN: 1}
    assert frozen.get(Tier.TOWN) == 1 and Tier.COMPOUND not in frozen
    assert repr(frozen) == repr(dict(frozen))
    # What a user changes is a plain copy, never the model's mapping.
    assert type(frozen.copy()) is dict and type(frozen | {Tier.TOWN: 3}) is dict
    assert (frozen | {Tier.TOWN: 3})[Tier.TOWN] == 3 and frozen[Tier.TOWN] == 1
    assert type(FrozenDict.fromkeys("ab", 0)) is FrozenDict
    for twin in (copy.copy(frozen), copy.deepcopy(frozen), pickle.loads(pickle.dumps(frozen))):
        assert type(twin) is FrozenDict and twin == frozen
    # As unhashable as the dict it stands for: model objects hash as before.
    with pytest.raises(TypeError):
        hash(frozen)
    with pytest.raises(TypeError):
        hash(Plan(id="p"))
    assert hash(Level.II) == hash(Level.II)


def test_json_and_yaml_write_a_frozen_mapping_as_a_mapping() -> None:
    inject = Inject(id="i", at=5, figures={"deaths": 3})
    # No dict, so the JSON encoder wants it as one: dict() or to_data.
    assert json.dumps(dict(inject.figures)) == '{"deaths": 3.0}'
    with pytest.raises(TypeError, match="not JSON serializable"):
        json.dumps(inject.figures)
    data = to_data(inject)
    assert type(data["figures"]) is dict
    assert yaml.safe_dump(data, sort_keys=True) == "at: 5.0\nfigures:\n  deaths: 3.0\nid: i\n"
    # PyYAML's safe dumper writes the model's mapping itself, as it wrote the dict.
    assert yaml.safe_dump(inject.figures) == "deaths: 3.0\n"


@pytest.mark.parametrize("drill", DRILLS, ids=lambda p: p.stem)
def test_a_scenario_pickles_to_an_equal_one(drill: Path) -> None:
    scenario = _drill(drill)
    again = pickle.loads(pickle.dumps(scenario, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == scenario
    assert scenario_digest(again) == scenario_digest(scenario)
    assert {type(c) for _, c in _reachable(again)} <= {tuple, FrozenDict}


def test_a_scenario_pickled_in_another_process_runs_as_here(tmp_path: Path) -> None:
    """What ``--workers`` and Dask do: the receiver rebuilds the frozen mappings."""
    drill = bundled.path("gas.yaml")
    scenario = _drill(drill)
    sent = tmp_path / "scenario.pickle"
    sent.write_bytes(pickle.dumps(scenario))
    code = (
        "import pickle, sys, cmdsim;"
        f"s = pickle.loads(open({str(sent)!r}, 'rb').read());"
        "sys.stdout.write(cmdsim.simulate(s, 2).to_json())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert out.stdout == cmdsim.simulate(scenario, 2).to_json()


# -- checked once -------------------------------------------------------------


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


def test_simulate_in_a_loop_checks_its_scenario_once(counted: list[Scenario]) -> None:
    # A copy: a load of the file hands out the kept (and maybe checked) value.
    scenario = attrs.evolve(load_scenario(bundled.path("gas.yaml")))
    for seed in range(4):
        cmdsim.simulate(scenario, seed)
    check_scenario(scenario)
    assert counted == [scenario]
    # A changed copy is another scenario: checked, once.
    later = attrs.evolve(scenario, horizon=scenario.horizon + 60)
    cmdsim.simulate(later, 0)
    cmdsim.simulate(later, 1)
    assert counted == [scenario, later]
    # An equal copy is not the checked object: equality is no identity.
    twin = attrs.evolve(scenario)
    cmdsim.simulate(twin, 0)
    assert len(counted) == 3 and counted[2] is twin


def test_a_refused_scenario_is_refused_every_time(counted: list[Scenario]) -> None:
    scenario = load_scenario(bundled.path("gas.yaml"))
    short = attrs.evolve(scenario, horizon=5)
    for _ in range(2):
        with pytest.raises(CmdsimError, match="is not one a file could give"):
            cmdsim.simulate(short, 0)
    assert counted == [short, short]


def test_a_checked_scenario_is_not_kept_alive_by_the_check() -> None:
    scenario = attrs.evolve(load_scenario(bundled.path("gas.yaml")), horizon=2000)
    check_scenario(scenario)
    gone = weakref.ref(scenario)
    del scenario
    assert gone() is None
