"""FrozenDict is no dict: nothing, dict's own methods included, writes a
model value's mapping, so what was checked, compiled or kept by the loader
is what runs."""

from __future__ import annotations

import copy
import pickle
import typing
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cmdsim
from cmdsim import bundled
from cmdsim.analysis import check_scenario
from cmdsim.io import load_scenario, memo, scenario_digest
from cmdsim.model import Level, Scenario
from cmdsim.model.frozen import FrozenDict
from cmdsim.sim.compiled import compiled

# Every way a dict subclass's storage was written past its refusing
# methods, and the refusing methods themselves.
WRITES: dict[str, Callable[[Any, Any], object]] = {
    "dict.__setitem__": lambda m, k: dict.__setitem__(m, k, None),
    "dict.__delitem__": lambda m, k: dict.__delitem__(m, k),
    "dict.update": lambda m, k: dict.update(m, {k: None}),
    "dict.__init__": lambda m, k: dict.__init__(m, {k: None}),
    "dict.__ior__": lambda m, k: dict.__ior__(m, {k: None}),
    "dict.clear": lambda m, _k: dict.clear(m),
    "dict.pop": lambda m, k: dict.pop(m, k),
    "dict.popitem": lambda m, _k: dict.popitem(m),
    "dict.setdefault": lambda m, k: dict.setdefault(m, k, None),
    "setattr entries": lambda m, k: setattr(m, "_items", {k: None}),
    "delattr entries": lambda m, _k: delattr(m, "_items"),
    "setattr other": lambda m, _k: setattr(m, "extra", 1),
    "[k] = v": lambda m, k: m.__setitem__(k, None),
    "del [k]": lambda m, k: m.__delitem__(k),
    "|=": lambda m, k: m.__ior__({k: None}),
    "clear": lambda m, _k: m.clear(),
    "pop": lambda m, k: m.pop(k),
    "popitem": lambda m, _k: m.popitem(),
    "setdefault": lambda m, k: m.setdefault(k, None),
    "update": lambda m, k: m.update({k: None}),
}


def _attempt_all(mapping: Any, key: Any) -> None:
    for name, write in WRITES.items():
        try:
            write(mapping, key)
        except TypeError:
            continue
        pytest.fail(f"{name} was not refused")


def test_every_write_is_refused_and_changes_nothing() -> None:
    frozen = FrozenDict({"a": 1, "b": 2})
    for key in ("a", "new"):
        _attempt_all(frozen, key)
    # __init__ again is no write either: the entries are set when made.
    frozen.__init__({"c": 3})  # type: ignore[misc]
    assert dict(frozen) == {"a": 1, "b": 2} and list(frozen) == ["a", "b"]


def test_it_is_a_read_only_mapping_not_a_dict() -> None:
    frozen = FrozenDict({Level.II: 1})
    assert isinstance(frozen, Mapping)
    assert not isinstance(frozen, dict | MutableMapping)
    with pytest.raises(TypeError):
        hash(frozen)
    # Annotations subscript it as dict[K, V].
    assert typing.get_origin(FrozenDict[Level, int]) is FrozenDict


def test_what_it_is_made_from_can_change_without_it() -> None:
    source = {"a": 1}
    frozen = FrozenDict(source)
    source["b"] = 2
    assert frozen == {"a": 1}
    assert dict(frozen) is not dict(frozen)  # a copy out, each time
    out = frozen.copy()
    out["c"] = 3
    assert frozen == {"a": 1}


keys = st.one_of(st.text(max_size=4), st.sampled_from(list(Level)))
plain = st.dictionaries(keys, st.integers(), max_size=8)


@given(plain, plain)
def test_it_reads_compares_and_combines_as_the_dict_it_was_made_from(
    items: dict[Any, int], other: dict[Any, int]
) -> None:
    frozen = FrozenDict(items)
    assert frozen == items and items == frozen and frozen == FrozenDict(items)
    assert (frozen == other) is (items == other) and (frozen != other) is (items != other)
    assert list(frozen.items()) == list(items.items()) and len(frozen) == len(items)
    assert list(reversed(frozen)) == list(reversed(items))
    assert repr(frozen) == repr(items)
    for key in [*items, "absent"]:
        assert (key in frozen) is (key in items) and frozen.get(key, -1) == items.get(key, -1)
    assert {**frozen} == items and dict(frozen) == items
    merged = frozen | other
    assert type(merged) is dict and merged == items | other
    assert type(other | frozen) is dict and other | frozen == other | items
    for twin in (
        copy.copy(frozen),
        copy.deepcopy(frozen),
        *(
            pickle.loads(pickle.dumps(frozen, protocol=p))
            for p in range(pickle.HIGHEST_PROTOCOL + 1)
        ),
    ):
        assert type(twin) is FrozenDict and twin == items and list(twin) == list(items)
    assert frozen == items  # nothing above changed it


def _mappings(value: Any, out: list[Any]) -> list[Any]:
    if isinstance(value, Mapping):
        out.append(value)
        for item in value.values():
            _mappings(item, out)
    elif isinstance(value, tuple):
        for item in value:
            _mappings(item, out)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            _mappings(getattr(value, field.name), out)
    return out


def test_a_checked_compiled_and_kept_scenario_stays_as_it_was_checked() -> None:
    """The memos that rely on the freeze: the check's, the compiled form's
    and the loader's kept values, all handed the same scenario after every
    write was tried on each of its mappings."""
    drill = bundled.path("gas.yaml")
    memo.clear()
    scenario = load_scenario(drill)
    check_scenario(scenario)
    before = (scenario_digest(scenario), cmdsim.simulate(scenario, 3).to_json())
    plan = compiled(scenario)
    mappings = _mappings(scenario, [])
    assert len(mappings) > 50
    for mapping in mappings:
        _attempt_all(mapping, next(iter(mapping), "absent"))
    assert compiled(scenario) is plan
    assert (scenario_digest(scenario), cmdsim.simulate(scenario, 3).to_json()) == before
    again = load_scenario(drill)
    assert isinstance(again, Scenario) and scenario_digest(again) == before[0]
    memo.clear()
    assert load_scenario(drill) == scenario
