"""``to_data`` (digests, dumps) picks its conversion by type once per type;
it gives what converting value by value, in the original order of checks,
gives (the digests recorded in logs and run directories depend on it)."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings

from cmdsim import bundled
from cmdsim.io import load_scenario
from cmdsim.io.dumping import _condition, _default, _same, to_data
from cmdsim.model import Condition, Fixed, Scenario
from cmdsim.testing.strategies import scenarios


def reference(obj: Any) -> Any:
    """The conversion as written before it was compiled per type."""
    if isinstance(obj, Fixed):
        return obj.minutes
    if isinstance(obj, Condition):
        return _condition(obj)
    if attrs.has(type(obj)):
        out: dict[str, Any] = {}
        kind = getattr(type(obj), "kind", None)
        if isinstance(kind, str) and "kind" not in attrs.fields_dict(type(obj)):
            out["kind"] = kind
        for field in attrs.fields(type(obj)):
            value = getattr(obj, field.name)
            if field.default is not attrs.NOTHING and _same(value, _default(field)):
                continue
            out[field.name] = reference(value)
        return out
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, tuple | list):
        return [reference(item) for item in obj]
    if isinstance(obj, Mapping):
        return {reference(key): reference(value) for key, value in obj.items()}
    if isinstance(obj, dt.time):
        return obj.strftime("%H:%M") if not obj.second and not obj.microsecond else obj.isoformat()
    if isinstance(obj, dt.datetime | dt.date):
        return obj.isoformat()
    return obj


def test_the_bundled_drills_convert_as_value_by_value() -> None:
    for name in ("gas.yaml", "compound-typhoon.yaml"):
        scenario = load_scenario(bundled.path(name))
        assert to_data(scenario) == reference(scenario)


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_generated_scenarios_convert_as_value_by_value(scenario: Scenario) -> None:
    assert to_data(scenario) == reference(scenario)


def test_a_subclass_converts_as_its_base() -> None:
    class Level(enum.StrEnum):
        IV = "IV"

    class Pair(tuple[int, int]):
        pass

    moment = dt.datetime(2024, 9, 14, 22, 0)
    values = [Level.IV, Pair((1, 2)), moment, moment.time(), moment.date(), True, Fixed(5)]
    assert [to_data(v) for v in values] == ["IV", [1, 2], "2024-09-14T22:00:00", "22:00",
                                            "2024-09-14", True, 5]  # fmt: skip
    assert [to_data(v) for v in values] == [reference(v) for v in values]
