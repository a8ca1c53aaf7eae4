"""From located trees to model objects, collecting every problem.

The structurer is driven by the attrs classes' field types, so a new field
in the model needs no change here.  Each value is checked strictly (``yes``
is not an id, ``"3"`` is not a number); each failing child is reported and
its siblings are still checked; the model's own validators run once the
children of an object are sound, and their errors are located by path.
"""

from __future__ import annotations

import difflib
import enum
import re
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from cmdsim.errors import ModelError, Problem
from cmdsim.io import checks, memo
from cmdsim.io._nodes import Location, Node, describe, join, suggest
from cmdsim.io._types import (
    DICT,
    ENUM,
    OBJECT,
    SCALAR,
    TUPLE,
    UNION,
    build_plan,
    field_types,
    is_delay,
    required,
    union_args,
)
from cmdsim.io.dumping import to_data
from cmdsim.io.fieldpaths import (
    added_paths,
    district_of,
    field_below,
    from_plain,
    within,
    within_or_at,
)
from cmdsim.io.includes import BROKEN, FailedInclude
from cmdsim.io.locations import Locations
from cmdsim.io.scalars import ScalarError, is_number, read_enum, read_enums, read_scalar
from cmdsim.io.slips import (
    container_hint,
    english_keys_hint,
    number_hint,
)
from cmdsim.io.standins import Invalid, neutral, stand_in, without_bad_scalars
from cmdsim.model import DELAY_KINDS, Condition, District, Fixed, ModelErrors, Scenario
from cmdsim.model.frozen import Seen
from cmdsim.model.scenario import district_reference_errors, scenario_reference_errors
from cmdsim.model.typecheck import build_typed

_MODEL_ERRORS = (ModelError, ValueError, TypeError, OverflowError, ArithmeticError)

_FIRST_AT = re.compile(r"\(first at ([\w.\[\]]+)\)")


_REFERENCE_CHECKS: dict[type, Callable[[Any], list[ModelError]]] = {
    District: district_reference_errors,
    Scenario: scenario_reference_errors,
}


class Structurer:
    """Builds model objects from located trees; see :meth:`build`.

    ``failed`` lists the includes that gave nothing: a reference that could
    only resolve in what they would have held is not reported as unknown but
    counted, once per include, by :meth:`unchecked_problems`.
    """

    def __init__(self, failed: Iterable[FailedInclude] = ()) -> None:
        self.problems: list[Problem] = []
        self.locations = Locations()
        self.failed = tuple(failed)
        # Field paths already reported: later checks leave what is at,
        # above or below them alone, so that nothing is reported twice.
        self.bad: set[str] = set()
        self.unchecked: dict[int, dict[str, str]] = {}

    def problem(self, message: str, path: str, where: Location) -> None:
        self.problems.append(Problem(message, path, where.file, where.line, where.column))

    def fail(self, message: str, path: str, where: Location) -> typing.NoReturn:
        self.bad.add(path)
        self.problem(message, path, where)
        raise Invalid

    def model_error(
        self, exc: BaseException, base: str, where: Location, district: str | None = None
    ) -> None:
        """Record a model constructor's error(s) at the paths they name.

        ``district`` is the path of the district the errors' references
        resolve in, when they may be unchecked rather than unknown.
        """
        errors = exc.errors if isinstance(exc, ModelErrors) else (exc,)
        for error in errors:
            if isinstance(error, ModelError):
                path = join(base, error.path)
                message = error.message
            else:
                path, message = base, str(error) or type(error).__name__
            if district is not None and self._unchecked(message, path, district):
                continue
            self.bad.add(path)
            at = self.locations.find(path) if path != base else where
            at = at if at is not None else where
            self.problem(self._first_where(message, base, at), path, at)

    def _first_where(self, message: str, base: str, at: Location) -> str:
        """``duplicate id 'x' (first at units[6])`` with the file and line of the
        first when it stands in another file than the second (units split
        over units.yaml and town_units.yaml)."""
        match = _FIRST_AT.search(message)
        if match is None:
            return message
        first = self.locations.at(join(base, match.group(1)))
        if first is None or first.file is None or first.file == at.file:
            return message
        shown = f"(first at {match.group(1)}, {first.file}:{first.line})"
        return message[: match.start()] + shown + message[match.end() :]

    # -- what failed includes leave unchecked -----------------------------

    def _unchecked(self, message: str, path: str, district: str) -> bool:
        """Whether an unknown reference only dangles because an include failed."""
        kind = checks.reference_kind(message)
        if kind is None or not self.failed:
            return False
        what, ref = kind
        needed = checks.needs(what)
        for index, failed in enumerate(self.failed):
            if within_or_at(failed.path, district) or field_below(district, failed.path) in needed:
                self.unchecked.setdefault(index, {})[path] = f"{what} {ref}"
                return True
        return False

    def unchecked_problems(self) -> list[Problem]:
        """One problem per failed include that left references unchecked."""
        out: list[Problem] = []
        for index, refs in sorted(self.unchecked.items()):
            failed = self.failed[index]
            names = list(dict.fromkeys(refs.values()))
            shown = ", ".join(names[:_SHOWN]) + (", ..." if len(names) > _SHOWN else "")
            count = len(refs)
            out.append(
                Problem(
                    f"{count} reference{'s' if count != 1 else ''} left unchecked because "
                    f"{failed.name!r} failed to load ({shown})",
                    failed.path,
                    *failed.where,
                )
            )
        return out

    def troubled(self, path: str) -> bool:
        """Whether ``path``, something holding it or something in it is reported."""
        return any(b == path or within(b, path) or within(path, b) for b in self.bad)

    # -- dispatch ---------------------------------------------------------

    def build(self, node: Node, tp: Any, path: str) -> Any:
        """The value of type ``tp`` that ``node`` describes; raises :class:`Invalid`."""
        kind, args = build_plan(tp)
        if kind is OBJECT:
            # Before anything reads the node's value: a kept file's tree is
            # then not read back at all (cmdsim.io.memo.KeptNode).
            built = memo.built_at(node)
            if built is not None:
                return self._kept_object(node, tp, path, built)
        if node.value is BROKEN:
            self.bad.add(path)
            raise Invalid
        if node.where.file is None and _already(node.value, tp):
            return self._given(node.value, tp, path)
        if kind is OBJECT:
            return self._object(node, tp, path)
        if kind is SCALAR:
            return self._scalar(node, tp, path)
        if kind is TUPLE:
            return self._tuple(node, args, path)
        if kind is UNION:
            return self._union(node, args, path)
        if kind is ENUM:
            return self._enum(node, tp, path)
        if kind is DICT:
            return self._dict(node, args[0], args[1], path)
        return self._condition(node, path)

    def _given(self, value: Any, tp: Any, path: str) -> Any:
        """A model value among :func:`from_data`'s plain data, checked as a
        file's would be: built again from what it holds (made in Python, it
        may hold what no file could give); itself if that found nothing."""
        if isinstance(value, enum.Enum) or value in _GIVEN:
            return value
        before = (len(self.problems), len(self.bad))
        rebuilt = self.build(from_plain(to_data(value)), tp, path)
        if (len(self.problems), len(self.bad)) != before:
            return rebuilt
        _GIVEN.add(value)
        return value

    def _kept_object(
        self, node: Node, cls: type, path: str, built: dict[tuple[Any, str], Any]
    ) -> Any:
        """:meth:`_object` for a file's tree kept by :mod:`cmdsim.io.memo`: the
        value an earlier load built from it at ``path`` with no problem, its
        locations added again; else built, and kept if it has no problem."""
        kept = built.get((cls, path))
        by_path = self.locations.by_path
        if kept is not None:
            value, paths, wheres = kept
            for added, where in zip(paths, wheres, strict=True):
                by_path.setdefault(added, where)
            return value
        before = (len(self.problems), len(self.bad), len(by_path))
        value = self._object(node, cls, path)
        if (len(self.problems), len(self.bad)) == before[:2]:
            paths, wheres = added_paths(by_path, before[2])
            if path:
                # The plain tuples stand in the load's locations too: a kept
                # value holding this one converts them no more (tuple() of a
                # tuple is itself).  Nothing holds the top file's value.
                by_path.update(zip(paths, wheres, strict=True))
            built[(cls, path)] = (value, paths, wheres)
        return value

    def _union(self, node: Node, members: tuple[Any, ...], path: str) -> Any:
        if type(None) in members:
            if node.value is None:
                return None
            members = tuple(m for m in members if m is not type(None))
        if len(members) == 1:
            return self.build(node, members[0], path)
        if is_delay(members):
            return self._delay(node, path)
        if all(isinstance(m, type) and issubclass(m, enum.Enum) for m in members):
            return self._enums(node, members, path)
        raise TypeError(f"cannot load a value of type {members!r}")  # pragma: no cover

    # -- composites -------------------------------------------------------

    def _object(self, node: Node, cls: type, path: str, skip: tuple[str, ...] = ()) -> Any:
        if not node.is_mapping:
            self.fail(
                f"expected a mapping, got {describe(node.value)}{container_hint(node.value)}",
                path,
                node.where,
            )
        self.locations.add(path, node.where)
        types = field_types(cls)
        values: dict[Any, Node] = node.value
        keys = node.keys or {}
        ok = True
        for key in values:
            if key in types or key in skip:
                continue
            key_where = keys[key].where if key in keys else node.where
            if not isinstance(key, str):
                self.problem(f"a key must be a field name, not {describe(key)}", path, key_where)
                ok = False
            elif key not in types:
                hint = suggest(key, types) or english_keys_hint(key, types)
                self.problem(f"unknown key {key!r}{hint}", path, key_where)
                ok = False
                # A misspelt field stands at its default: checks on it would mislead.
                self.bad.update(join(path, m) for m in difflib.get_close_matches(key, types, 1))
        kwargs: dict[str, Any] = {}
        partial: dict[str, Any] = {}
        for name, tp in types.items():
            if name not in values:
                continue
            child = join(path, name)
            self.locations.add(child, keys[name].where if name in keys else node.where)
            try:
                kwargs[name] = self.build(values[name], tp, child)
            except Invalid as exc:
                ok = False
                partial[name] = exc.partial if exc.partial is not None else neutral(tp)
        for name in required(cls):
            if name not in values:
                # A misspelt key (nigth) already says which key it meant.
                if join(path, name) not in self.bad:
                    self.problem(f"missing required key {name!r}", path, node.where)
                self.bad.add(join(path, name))
                ok = False
        if not ok:
            # The constructor cannot run, so neither do the field validators:
            # run them one by one, so that a field's own error (horizon: -600)
            # is still reported next to a broken sibling.
            lists = {
                name: value
                for name, value in partial.items()
                if typing.get_origin(types[name]) in (tuple, dict, Mapping)
            }
            self._validate_fields(cls, {**kwargs, **lists}, path, node.where)
            standing = stand_in(cls, {**kwargs, **partial})
            self._check_references(standing, path, node.where)
            self._check_file(standing, path, node.where)
            raise Invalid(standing)
        try:
            value = build_typed(cls, kwargs)
        except _MODEL_ERRORS as exc:
            self.model_error(exc, path, node.where, district_of(cls, path))
            standing = stand_in(cls, without_bad_scalars(kwargs, exc, types))
            if not isinstance(exc, ModelErrors):
                # attrs stops at the first failing validator, before the
                # cross-reference checks: run the rest too.
                self._validate_fields(cls, kwargs, path, node.where)
                self._check_references(standing, path, node.where)
            self._check_file(standing, path, node.where)
            raise Invalid(standing) from None
        if self._check_file(value, path, node.where):
            raise Invalid(value)
        return value

    def _validate_fields(
        self, cls: type, kwargs: dict[str, Any], path: str, where: Location
    ) -> None:
        """Each field's validator on its own; errors of the kind the constructor gives."""
        standing = stand_in(cls, kwargs)
        for field in attrs.fields(cls):
            field_path = join(path, field.name)
            # Broken items inside a list leave its other checks (unique ids) to run.
            if (
                field.name not in kwargs
                or field.validator is None
                or any(b == field_path or within(b, field_path) for b in self.bad)
            ):
                continue
            try:
                value = _converted(field, standing, kwargs[field.name])
                field.validator(standing, field, value)
            except ModelError as exc:
                self.model_error(exc, path, where)
            except Exception:
                # A validator reading a sibling that is a stand-in: that
                # sibling's own problem is reported already.
                continue

    def _check_references(self, standing: Any, path: str, where: Location) -> None:
        check = _REFERENCE_CHECKS.get(type(standing))
        if check is None:
            return
        try:
            errors = check(standing)
        except Exception:
            # A stand-in may lack what a check needs; whatever made it so is
            # reported already, and these checks are a bonus on top.
            return
        for error in errors:
            if not self.troubled(join(path, error.path)):
                self.model_error(error, path, where, district_of(type(standing), path))

    def _check_file(self, value: Any, path: str, where: Location) -> bool:
        """The loader's own checks (see :mod:`cmdsim.io.checks`); whether any failed."""
        before = len(self.problems)
        errors: list[ModelError]
        try:
            if isinstance(value, Scenario):
                errors = checks.scenario_errors(
                    value,
                    lambda p: join(path, p) in self.locations.by_path,
                    lambda p: self.troubled(join(path, p)),
                )
            elif isinstance(value, District):
                errors = [
                    e
                    for e in checks.district_errors(value)
                    if not self.troubled(join(path, e.path))
                ]
            else:
                return False
        except (AttributeError, TypeError, ValueError):
            # A stand-in lacking what a check needs: its problem is reported.
            return False
        for error in errors:
            self.model_error(error, path, where, district_of(type(value), path))
        return len(self.problems) > before

    def _tuple(self, node: Node, item_type: Any, path: str) -> tuple[Any, ...]:
        if not node.is_sequence:
            self.fail(
                f"expected a list, got {describe(node.value)}{container_hint(node.value)}",
                path,
                node.where,
            )
        out: list[Any] = []
        if not self._items(node.value, 0, item_type, path, out):
            raise Invalid(tuple(out))
        return tuple(out)

    def _items(
        self, items: list[Node], base: int, item_type: Any, path: str, out: list[Any]
    ) -> bool:
        """Append the values of a list's items (``items`` stand from index
        ``base`` on) to ``out``; whether all were sound."""
        ok = True
        index = 0
        while index < len(items):
            run = memo.run_at(items, index)
            if run is None:
                ok = self._item(items[index], item_type, f"{path}[{base + index}]", out) and ok
                index += 1
                continue
            built, count = run
            chunk = typing.cast("list[memo.KeptItem]", items[index : index + count])
            ok = self._kept_run(chunk, base + index, item_type, path, built, out) and ok
            index += count
        return ok

    def _item(self, item: Node, item_type: Any, child: str, out: list[Any]) -> bool:
        """Append the value of a list's item to ``out``; whether it was sound."""
        self.locations.add(child, item.where)
        try:
            out.append(self.build(item, item_type, child))
        except Invalid as exc:
            # Keeps the indexes of later items, so their paths stay right.
            out.append(exc.partial if exc.partial is not None else neutral(item_type))
            return False
        return True

    def _kept_run(
        self,
        items: list[memo.KeptItem],
        start: int,
        item_type: Any,
        path: str,
        built: dict[tuple[Any, ...], Any],
        out: list[Any],
    ) -> bool:
        """:meth:`_items` for the items a kept file's list gave, standing from
        index ``start`` (:func:`cmdsim.io.memo.run_at`): the values an earlier
        load built from them at the same place with no problem, their
        locations added again; else built (runs of the lists spliced into
        that file looked for in turn), and kept if they have no problem.  So
        a reload after one file is edited builds again only what that file
        holds (and the files including it, but for their kept parts)."""
        key = (item_type, path, start)
        kept = built.get(key)
        by_path = self.locations.by_path
        if kept is not None:
            values, paths, wheres = kept
            for added, where in zip(paths, wheres, strict=True):
                by_path.setdefault(added, where)
            out.extend(values)
            return True
        before = (len(self.problems), len(self.bad), len(by_path), len(out))
        if items[0].inner is not None:
            inner = [item.inner for item in items if item.inner is not None]
            ok = self._items(inner, start, item_type, path, out)
        else:
            ok = True
            for offset, item in enumerate(items):
                ok = self._item(item, item_type, f"{path}[{start + offset}]", out) and ok
        if ok and (len(self.problems), len(self.bad)) == before[:2]:
            paths, wheres = added_paths(by_path, before[2])
            by_path.update(zip(paths, wheres, strict=True))  # as in _kept_object
            built[key] = (tuple(out[before[3] :]), paths, wheres)
        return ok

    def _dict(self, node: Node, key_type: Any, value_type: Any, path: str) -> dict[Any, Any]:
        if not node.is_mapping:
            self.fail(
                f"expected a mapping, got {describe(node.value)}{container_hint(node.value)}",
                path,
                node.where,
            )
        out: dict[Any, Any] = {}
        ok = True
        keys = node.keys or {}
        for raw, value in node.value.items():
            key_node = keys.get(raw, Node(raw, node.where))
            try:
                key = self.build(key_node, key_type, path)
            except Invalid:
                ok = False
                continue
            text = key.value if isinstance(key, enum.Enum) else str(key)
            child = join(path, str(text))
            self.locations.add(child, key_node.where)
            if key in out:
                self.problem(f"{describe(raw)} repeats the key {text!r}", path, key_node.where)
                ok = False
                continue
            try:
                out[key] = self.build(value, value_type, child)
            except Invalid as exc:
                ok = False
                out[key] = exc.partial if exc.partial is not None else neutral(value_type)
        if not ok:
            raise Invalid(out)
        return out

    # -- special values ---------------------------------------------------

    def _delay(self, node: Node, path: str) -> Any:
        value = node.value
        if is_number(value):
            try:
                return build_typed(Fixed, {"minutes": float(value)})
            except _MODEL_ERRORS as exc:
                message = exc.message if isinstance(exc, ModelError) else str(exc)
                self.fail(message, path, node.where)
        if not node.is_mapping:
            self.fail(
                f"expected a number of minutes or a mapping with 'kind', got {describe(value)}"
                f"{number_hint(value)}",
                path,
                node.where,
            )
        kind_node = value.get("kind")
        if kind_node is None:
            kinds = ", ".join(DELAY_KINDS)
            self.fail(f"a delay mapping needs 'kind' (one of {kinds})", path, node.where)
        if kind_node.value is BROKEN:
            raise Invalid
        kind = kind_node.value
        if not isinstance(kind, str) or kind not in DELAY_KINDS:
            hint = suggest(kind, DELAY_KINDS) if isinstance(kind, str) else ""
            if not hint:
                hint = f" (known: {', '.join(DELAY_KINDS)})"
            self.fail(
                f"unknown delay kind {describe(kind)}{hint}",
                join(path, "kind"),
                kind_node.where,
            )
        return self._object(node, DELAY_KINDS[kind], path, skip=("kind",))

    def _condition(self, node: Node, path: str) -> Condition:
        if not isinstance(node.value, str):
            self.fail(
                f"expected a condition like 'deaths >= 3', got {describe(node.value)}",
                path,
                node.where,
            )
        try:
            return Condition.parse(node.value)
        except _MODEL_ERRORS as exc:
            # The condition is one string: its parts have no nodes of their own.
            message = exc.message if isinstance(exc, ModelError) else str(exc)
            self.fail(message, path, node.where)

    def _enums(self, node: Node, members: tuple[Any, ...], path: str) -> enum.Enum:
        """A value of one of several enums (``signal: red`` or ``signal: lifted``):
        the first that reads it; else one problem naming every allowed value."""
        try:
            return read_enums(node.value, members)
        except ScalarError as exc:
            self.fail(exc.message, path, node.where)

    def _enum(self, node: Node, cls: type[enum.Enum], path: str) -> enum.Enum:
        try:
            return read_enum(node.value, cls)
        except ScalarError as exc:
            self.fail(exc.message, path, node.where)

    def _scalar(self, node: Node, tp: Any, path: str) -> Any:
        try:
            return read_scalar(node.value, tp)
        except ScalarError as exc:
            self.fail(exc.message, path, node.where)


def _converted(field: attrs.Attribute[Any], instance: Any, value: Any) -> Any:
    """``value`` through the field's converter, as the constructor passes it."""
    convert: Any = field.converter
    if convert is None:
        return value
    if isinstance(convert, attrs.Converter):
        # attrs' stubs do not declare a Converter's attributes.
        wrapped: Any = convert
        extra = (instance,) * wrapped.takes_self + (field,) * wrapped.takes_field
        return wrapped.converter(value, *extra)
    return convert(value)


_GIVEN = Seen()
"""Model values :meth:`Structurer._given` found as a file's."""

_SHOWN = 6
"""How many unchecked references a failed include's problem names."""


def _already(value: Any, tp: Any) -> bool:
    """Whether ``value`` is already a built model value of type ``tp``."""
    members = union_args(tp) or (tp,)
    return any(
        isinstance(m, type) and (attrs.has(m) or issubclass(m, enum.Enum)) and isinstance(value, m)
        for m in members
    ) or (tp is Condition and isinstance(value, Condition))
