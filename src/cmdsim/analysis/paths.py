"""Paths into a scenario: read a field, or set it and rebuild the scenario.

A *path* addresses a field of the scenario's district::

    district.duty_room.staffing.night
    district.commands[flood_hq].callout.median
    channels[hotline_12345].miss            (``district.`` may be left out)
    district.officers.tiers[committee].relay (``[key]`` also picks a mapping's entry)
    plans[flood_typhoon_plan].levels[IV].reinforce[0].officers
                                            (``[0]``: by position, in a list without ids)
    scenario.horizon                        (``scenario.`` addresses the scenario itself)

``[id]`` picks the item of a tuple whose ``id`` is that (``[n]``, the
n-th from 0, where the items have no ``id``).  A value is a YAML
scalar or flow mapping, converted through the model exactly as a file's
would be, and the change is rebuilt up the path with ``attrs.evolve`` so
every validator (down to the district's cross-references) runs again.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

import attrs
import yaml

from cmdsim.errors import CmdsimError, LoadError, ModelError
from cmdsim.model.scenario import Scenario
from cmdsim.model.timing import DELAY_KINDS

_SEGMENT = re.compile(r"^([a-z_][a-z0-9_]*)(?:\[([^\]]+)\])?$")


@attrs.frozen
class Segment:
    name: str
    key: str | None = None

    def __str__(self) -> str:
        return self.name if self.key is None else f"{self.name}[{self.key}]"


def parse_path(path: str) -> tuple[str, tuple[Segment, ...]]:
    """``(root, segments)``: root is ``"district"`` or ``"scenario"``."""
    parts = re.split(r"\.(?![^\[]*\])", path.strip())
    segments: list[Segment] = []
    for part in parts:
        match = _SEGMENT.match(part)
        if not match:
            raise CmdsimError(f"{path}: {part!r} is not a field name or name[id]")
        segments.append(Segment(match.group(1), match.group(2)))
    root = "district"
    if segments and segments[0] == Segment("district"):
        segments = segments[1:]
    elif segments and segments[0] == Segment("scenario"):
        root, segments = "scenario", segments[1:]
    if not segments:
        raise CmdsimError(f"{path!r} names no field")
    return root, tuple(segments)


_SCENARIO_FIELDS = frozenset(f.name for f in attrs.fields(Scenario)) - {"district"}


def _fields(obj: Any) -> list[str]:
    return [f.name for f in attrs.fields(type(obj))]


def key_of(item: Any) -> str:
    """The text of a mapping key in a path (an enum by its value)."""
    value = getattr(item, "value", item)
    return str(value)


def _child(obj: Any, segment: Segment, where: str) -> Any:
    if not attrs.has(type(obj)):
        raise CmdsimError(f"{where}: {type(obj).__name__} has no fields")
    names = _fields(obj)
    if segment.name not in names:
        close = difflib.get_close_matches(segment.name, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        if where == str(segment) and segment.name in _SCENARIO_FIELDS:
            # A path starts at the district unless it says otherwise: `start`
            # and `horizon` are the scenario's own.
            hint = f" (the scenario's {segment.name} is scenario.{segment}: write that)"
        raise CmdsimError(f"{where}: {type(obj).__name__} has no field {segment.name!r}{hint}")
    value = getattr(obj, segment.name)
    if segment.key is None:
        return value
    if isinstance(value, tuple):
        for item in value:
            if getattr(item, "id", None) == segment.key:
                return item
        index = _index(value, segment.key)
        if index is not None:
            if index < len(value):
                return value[index]
            raise CmdsimError(f"{where}: {segment.name} has {len(value)} items, no [{index}]")
        if value and not any(hasattr(item, "id") for item in value):
            raise CmdsimError(
                f"{where}: {segment.name} items have no id: pick one by position,"
                f" [0] to [{len(value) - 1}]"
            )
        ids = [str(getattr(i, "id", "?")) for i in value]
        close = difflib.get_close_matches(segment.key, ids, n=1)
        if close:
            hint = f" (did you mean {close[0]!r}?)"
        elif not ids:
            hint = f" ({segment.name} is empty)"
        else:
            # `tasks[0]` where items have ids, or an id nothing like one: name them.
            shown = ", ".join(ids[:8]) + (", …" if len(ids) > 8 else "")
            how = ", picked by id, not by position" if segment.key.isdigit() else ""
            hint = f" ({segment.name} has {shown}{how})"
        raise CmdsimError(f"{where}: no {segment.name} item with id {segment.key!r}{hint}")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key_of(key) == segment.key:
                return item
        known = ", ".join(key_of(k) for k in value)
        raise CmdsimError(f"{where}: {segment.name} has no entry {segment.key!r} (has {known})")
    raise CmdsimError(f"{where}: {segment.name} is neither a list nor a mapping, [..] cannot apply")


def _index(items: tuple[Any, ...], key: str) -> int | None:
    """``[0]``, ``[1]``… pick an item by position in a list whose items have no ``id``
    (a level's ``reinforce``)."""
    if key.isdigit() and not any(hasattr(item, "id") for item in items):
        return int(key)
    return None


def _replace_child(obj: Any, segment: Segment, new: Any) -> Any:
    value = getattr(obj, segment.name)
    if segment.key is not None:
        if isinstance(value, tuple):
            index = _index(value, segment.key)
            value = tuple(
                new
                if (n == index if index is not None else getattr(i, "id", None) == segment.key)
                else i
                for n, i in enumerate(value)
            )
        else:
            value = {k: (new if key_of(k) == segment.key else v) for k, v in value.items()}
    else:
        value = new
    changes: dict[str, Any] = {segment.name: value}
    return attrs.evolve(obj, **changes)


def _set_leaf(obj: Any, name: str, raw: Any) -> Any:
    """``obj`` with field ``name`` set from plain data, converted by cmdsim.io."""
    from cmdsim.io import from_data, to_data

    data = to_data(obj)
    if not isinstance(data, dict):
        raise CmdsimError(f"cannot set {name!r} on {type(obj).__name__}")
    if type(obj) in DELAY_KINDS.values():
        data.pop("kind", None)
    data[name] = raw
    built: Any = from_data(data, type(obj))
    return built


def get_path(scenario: Scenario, path: str) -> Any:
    """The value a path addresses."""
    root, segments = parse_path(path)
    obj: Any = scenario.district if root == "district" else scenario
    for i, segment in enumerate(segments):
        obj = _child(obj, segment, ".".join(str(s) for s in segments[: i + 1]))
    return obj


def set_path(scenario: Scenario, path: str, value: Any) -> Scenario:
    """A new scenario with the field at ``path`` set to ``value`` (plain data).

    Raises :class:`CmdsimError` naming the path for a bad path or value.
    """
    root, segments = parse_path(path)
    top: Any = scenario.district if root == "district" else scenario
    chain: list[Any] = [top]
    for i, segment in enumerate(segments[:-1]):
        chain.append(_child(chain[-1], segment, ".".join(str(s) for s in segments[: i + 1])))
    last = segments[-1]
    try:
        parent = chain[-1]
        _child(parent, last, path)  # the field (and item) exist
        if last.key is None:
            new = _set_leaf(parent, last.name, value)
        else:
            item = _child(parent, last, path)
            from cmdsim.io import from_data

            new_item: Any = from_data(value, type(item))
            new = _replace_child(parent, last, new_item)
        for obj, segment in zip(reversed(chain[:-1]), reversed(segments[:-1]), strict=True):
            new = _replace_child(obj, segment, new)
    except LoadError as exc:
        detail = "; ".join(p.message for p in exc.problems)
        raise CmdsimError(f"{path}={show_value(value)}: {detail}") from None
    except (ModelError, ValueError, TypeError) as exc:
        raise CmdsimError(f"{path}={show_value(value)}: {exc}") from None
    if root == "scenario":
        assert isinstance(new, Scenario)
        return new
    changes: dict[str, Any] = {"district": new}
    try:
        return attrs.evolve(scenario, **changes)
    except ModelError as exc:
        raise CmdsimError(f"{path}={show_value(value)}: {exc}") from None


def show_value(value: Any) -> str:
    """A value as a sweep's label writes it (YAML flow style)."""
    text = yaml.safe_dump(value, default_flow_style=True, width=1000).strip()
    return text.removesuffix("...").strip()


def replace_at(scenario: Scenario, path: str, new: Any) -> Scenario:
    """Like :func:`set_path` with a model object instead of plain data."""
    from cmdsim.io import to_data

    data = to_data(new)
    return set_path(scenario, path, data)
