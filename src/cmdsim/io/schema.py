"""JSON Schema (2020-12) for district and scenario files, built from the model."""

from __future__ import annotations

import datetime as dt
import enum
import typing
from collections.abc import Mapping
from typing import Any

import attrs

from cmdsim.io._nodes import Location
from cmdsim.io._types import field_types, is_delay, summary, union_args
from cmdsim.io.dumping import to_data
from cmdsim.model import DELAY_KINDS, Condition, District, Scenario
from cmdsim.model.conditions import condition_pattern

SCHEMA_ID = "https://cmdsim.invalid/schema/cmdsim.schema.json"

_INCLUDE = {"$ref": "#/$defs/Include"}


class _Builder:
    def __init__(self) -> None:
        self.defs: dict[str, Any] = {}

    def ref(self, cls: type) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # placeholder against recursion
            self.defs[name] = self.object(cls)
        return {"$ref": f"#/$defs/{name}"}

    def object(self, cls: type, kind: str | None = None) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        if kind is not None:
            properties["kind"] = {"const": kind}
        defaults = {f.name: f.default for f in attrs.fields(cls)}
        for name, tp in field_types(cls).items():
            prop = self.of(tp)
            default = defaults[name]
            if default is not attrs.NOTHING and not isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                data = to_data(default)
                if isinstance(data, str | int | float | bool) or data is None:
                    prop = {**prop, "default": data}
            properties[name] = prop
        required = [f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING]
        if kind is not None:
            required.insert(0, "kind")
        out: dict[str, Any] = {
            "type": "object",
            "description": summary(cls),
            "properties": properties,
            "additionalProperties": False,
        }
        if required:
            out["required"] = required
        return out

    def of(self, tp: Any) -> dict[str, Any]:
        members = union_args(tp)
        if members is not None:
            nullable = type(None) in members
            rest = tuple(m for m in members if m is not type(None))
            if is_delay(rest):
                inner = self.delay()
            elif len(rest) > 1:
                # Several enums (a colour, or ``lifted``): any of their values.
                inner = {"anyOf": [self.of(m) for m in rest]}
            else:
                inner = self.of(rest[0])
            return {"anyOf": [inner, {"type": "null"}]} if nullable else inner
        if tp is Condition:
            return {"$ref": "#/$defs/Condition"}
        if attrs.has(tp):
            return {"anyOf": [self.ref(tp), _INCLUDE]}
        origin = typing.get_origin(tp)
        if origin is tuple:
            item = self.of(typing.get_args(tp)[0])
            return {"anyOf": [{"type": "array", "items": item}, _INCLUDE]}
        if origin in (dict, Mapping):
            key, value = typing.get_args(tp)
            out: dict[str, Any] = {"type": "object", "additionalProperties": self.of(value)}
            if isinstance(key, type) and issubclass(key, enum.Enum):
                out["propertyNames"] = self.enum(key)
            return out
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self.enum(tp)
        simple: dict[Any, dict[str, Any]] = {
            str: {"type": "string"},
            bool: {"type": "boolean"},
            int: {"type": "integer"},
            float: {"type": "number"},
            dt.datetime: {"type": "string", "format": "date-time"},
            dt.date: {"type": "string", "format": "date"},
            dt.time: {"type": "string", "pattern": r"^\d\d:\d\d(:\d\d)?$"},
        }
        return dict(simple[tp])

    def enum(self, cls: type[enum.Enum]) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            entry: dict[str, Any] = {"enum": [m.value for m in cls]}
            spelling = getattr(cls, "spelling_pattern", None)
            if spelling is not None:
                # The values for an editor to offer, and every spelling the loader reads
                # (``Ⅱ级``, ``RED``), from the enum's own table.
                entry = {"anyOf": [entry, {"type": "string", "pattern": spelling()}]}
            if cls.__doc__ and summary(cls) and not summary(cls).startswith("An enumeration"):
                entry["description"] = summary(cls)
            self.defs[name] = entry
        return {"$ref": f"#/$defs/{name}"}

    def delay(self) -> dict[str, Any]:
        if "Delay" not in self.defs:
            options: list[dict[str, Any]] = [
                {"type": "number", "minimum": 0, "description": "fixed minutes"}
            ]
            for kind, cls in DELAY_KINDS.items():
                self.defs[cls.__name__] = self.object(cls, kind)
                options.append({"$ref": f"#/$defs/{cls.__name__}"})
            self.defs["Delay"] = {
                "description": "A delay in minutes: a number, or a mapping with 'kind'.",
                "anyOf": options,
            }
        return {"$ref": "#/$defs/Delay"}


def json_schema() -> dict[str, Any]:
    """JSON Schema 2020-12 for a district or scenario file.

    Every model class is a ``$defs`` entry with ``additionalProperties:
    false``; any mapping or list may instead be ``{include: path}``.
    """
    builder = _Builder()
    district = builder.ref(District)
    scenario = builder.ref(Scenario)
    builder.defs["Condition"] = {
        "type": "string",
        "description": "A test on one incident attribute, like 'deaths >= 3'.",
        # Exactly what the loader reads (the signs ≥ ＞＝, a number or a colour
        # as the attribute takes), from the loader's own table.
        "pattern": condition_pattern(),
    }
    builder.defs["Acceptance"]["properties"]["reason"] = {
        "type": "string",
        "pattern": r"\S",
        "description": "Why the finding is accepted: required, not blank (the loader refuses "
        "an empty reason).",
    }
    builder.defs["Include"] = {
        "type": "object",
        "description": "Replaced by the content of the file (relative to this one).",
        "properties": {"include": {"type": "string"}},
        "required": ["include"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "cmdsim district or scenario file",
        "anyOf": [district, scenario],
        "$defs": dict(sorted(builder.defs.items())),
    }


__all__ = ["Location", "json_schema"]
