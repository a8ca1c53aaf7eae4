"""From model objects to plain data and YAML text that loads back equal."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import yaml

from cmdsim.io.includes import PLAIN_EDGE_SPACES
from cmdsim.model import Condition, Fixed, Signal
from cmdsim.model.conditions import plain_decimal
from cmdsim.model.frozen import FrozenDict


def _condition(condition: Condition) -> str:
    value = condition.value
    # Condition.__str__ uses :g, which rounds; files must round-trip exactly, and
    # the loader reads no exponent in a condition.
    text = value.value if isinstance(value, Signal) else plain_decimal(float(value))
    return f"{condition.attribute} {condition.op.value} {text}"


def _default(field: attrs.Attribute[Any]) -> Any:
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory()
    return default


_NO_DEFAULT = object()


def _plain(obj: Any) -> Any:
    return obj


def _model(cls: type) -> Callable[[Any], Any]:
    """A model class's converter: its ``kind`` tag and fields, and each field's
    default (computed once: a scenario holds tens of thousands of values, and
    a digest or a dump visits them all)."""
    kind = getattr(cls, "kind", None)
    tag = kind if isinstance(kind, str) and "kind" not in attrs.fields_dict(cls) else None
    fields = tuple(
        (field.name, _NO_DEFAULT if field.default is attrs.NOTHING else _default(field))
        for field in attrs.fields(cls)
    )

    def convert(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = {} if tag is None else {"kind": tag}
        for name, default in fields:
            value = getattr(obj, name)
            if default is not _NO_DEFAULT and _same(value, default):
                continue
            out[name] = to_data(value)
        return out

    return convert


def _time(obj: dt.time) -> str:
    return obj.strftime("%H:%M") if not obj.second and not obj.microsecond else obj.isoformat()


def _converter(cls: type) -> Callable[[Any], Any]:
    """How :func:`to_data` converts a value of type ``cls`` (it depends on the type alone)."""
    if issubclass(cls, Fixed):
        return lambda obj: obj.minutes
    if issubclass(cls, Condition):
        return _condition
    if attrs.has(cls):
        return _model(cls)
    if issubclass(cls, enum.Enum):
        return lambda obj: obj.value
    if issubclass(cls, tuple | list):
        return lambda obj: [to_data(item) for item in obj]
    if issubclass(cls, Mapping):  # a plain dict, or the model's FrozenDict
        return lambda obj: {to_data(key): to_data(value) for key, value in obj.items()}
    if issubclass(cls, dt.time):
        return _time
    if issubclass(cls, dt.datetime | dt.date):
        return lambda obj: obj.isoformat()
    return _plain


_CONVERTERS: dict[type, Callable[[Any], Any]] = {}


def to_data(obj: Any) -> Any:
    """Plain data (dicts, lists, strings, numbers, booleans) for a model object.

    Fields keep their declaration order and those equal to their default are
    left out; a fixed delay becomes a bare number, a condition its string,
    an enum its value, times and dates ISO strings.
    """
    cls = type(obj)
    convert = _CONVERTERS.get(cls)
    if convert is None:
        convert = _CONVERTERS[cls] = _converter(cls)
    return convert(obj)


def _same(value: Any, default: Any) -> bool:
    # bool == int and 1 == 1.0 would hide a value that differs in type.
    if type(value) is not type(default):
        return False
    try:
        return bool(value == default)
    except (TypeError, ValueError):  # arrays compare element-wise
        return False


# A model's mapping is a dict to PyYAML as it was before it was frozen
# (yaml.safe_dump(inject.figures)): SafeDumper looks representers up by exact type.
yaml.SafeDumper.add_representer(FrozenDict, yaml.representer.SafeRepresenter.represent_dict)


class _Dumper(yaml.SafeDumper):
    """Block style, indented lists, and no anchors (shared defaults are written out)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent lists under their key, as people write them by hand.
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    # The loader drops these spaces around a plain value (a Chinese input
    # method's, a word processor's): quoted, a value keeps them.
    edges = data[:1] + data[-1:]
    style = '"' if any(c in PLAIN_EDGE_SPACES for c in edges) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)


def dump(obj: Any) -> str:
    """YAML text for a model object, readable and loading back equal.

    Chinese names stay as they are (``allow_unicode``); keys keep the
    model's field order.
    """
    return yaml.dump(
        to_data(obj),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )


def scenario_digest(scenario: Any) -> str:
    """SHA-256 of the scenario's canonical data, as batch manifests, exercise
    logs and run directories record it: a resume, a replay or a report must
    run the same scenario.

    A district's ``accept`` list is left out: it says which ``cmdsim check``
    findings a team accepts and why, never what a run does, so a reason
    reworded or an acceptance added must not make every saved log and batch
    read as made from another scenario."""
    data = to_data(scenario)
    district = data.get("district") if isinstance(data, dict) else None
    if isinstance(district, dict) and "accept" in district:
        data = {**data, "district": {k: v for k, v in district.items() if k != "accept"}}
    text = json.dumps(data, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
