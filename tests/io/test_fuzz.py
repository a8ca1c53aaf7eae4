"""Whatever the input, loading gives a model or a LoadError, nothing else."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

import attrs
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdsim import model
from cmdsim.errors import LoadError
from cmdsim.io import from_data, load, loads
from cmdsim.model import District, Scenario

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))


@functools.cache
def field_names() -> list[str]:
    names = {"kind", "include"}
    for value in vars(model).values():
        if isinstance(value, type) and attrs.has(value):
            names.update(f.name for f in attrs.fields(value))
    return sorted(names)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["I", "II", "IV", "blue", "red", "deaths >= 3", "08:30", "lognormal"]),
    st.datetimes(min_value=dt.datetime(1900, 1, 1)),
    st.dates(),
)
keys = st.one_of(st.sampled_from(field_names()), st.text(max_size=6))
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=6),
    max_leaves=30,
)


def loads_or_load_error(text: str) -> None:
    try:
        result = loads(text)
    except LoadError as exc:
        assert exc.problems
        return
    assert isinstance(result, District | Scenario)


@SETTINGS
@given(st.dictionaries(keys, documents, max_size=8))
def test_yaml_shaped_mappings(data: dict[str, Any]) -> None:
    loads_or_load_error(yaml.safe_dump(data, allow_unicode=True))


@SETTINGS
@given(documents)
def test_yaml_shaped_anything(data: Any) -> None:
    loads_or_load_error(yaml.safe_dump(data))


@SETTINGS
@given(st.dictionaries(keys, documents, max_size=8), st.sampled_from([District, Scenario]))
def test_plain_data(data: dict[str, Any], cls: type[Any]) -> None:
    try:
        result = from_data(data, cls)
    except LoadError as exc:
        assert exc.problems
        return
    assert isinstance(result, cls)


@SETTINGS
@given(st.text(max_size=200))
def test_arbitrary_text(text: str) -> None:
    loads_or_load_error(text)


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=200))
def test_arbitrary_bytes(tmp_path_factory: Any, data: bytes) -> None:
    path: Path = tmp_path_factory.mktemp("fuzz") / "input.yaml"
    path.write_bytes(data)
    try:
        result = load(path)
    except LoadError as exc:
        assert exc.problems
        return
    assert isinstance(result, District | Scenario)


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        out = [(*path, k) for k in data]
        for key, value in data.items():
            out.extend(_leaves(value, (*path, key)))
        return out
    if isinstance(data, list):
        out = [(*path, i) for i in range(len(data))]
        for index, value in enumerate(data):
            out.extend(_leaves(value, (*path, index)))
        return out
    return []


@st.composite
def mutated_districts(draw: st.DrawFn) -> str:
    """A valid district's data with a few values replaced by arbitrary ones."""
    from cmdsim.io import to_data
    from cmdsim.testing.strategies import districts

    data = to_data(draw(districts()))
    for _ in range(draw(st.integers(1, 3))):
        spots = _leaves(data)
        if not spots:
            break
        where = draw(st.sampled_from(spots))
        parent = data
        for step in where[:-1]:
            parent = parent[step]
        parent[where[-1]] = draw(documents)
    return yaml.safe_dump(data, allow_unicode=True)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_districts())
def test_mutated_valid_districts(text: str) -> None:
    loads_or_load_error(text)
