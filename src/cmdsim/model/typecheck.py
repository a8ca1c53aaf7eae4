"""Whether model values are of their declared types, and where not.

attrs runs a class's validators but not its annotations, so a model built
in Python may hold ``"junk"`` where a :class:`~cmdsim.model.plans.LevelResponse`
belongs, and a validator that reads it (``levels[II].reinforce``) raised an
``AttributeError`` far from the field.  :func:`type_errors` says which field
holds what; :func:`guard` makes a class's constructor say it (as a
:class:`~cmdsim.errors.ModelError` naming the field, as the loader would)
whenever its converters, validators or reference checks fail on a value of
the wrong type.  :func:`cmdsim.analysis.check_scenario` walks a whole
scenario with the same functions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import inspect
import math
import numbers
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from cmdsim.errors import CmdsimError, ModelError
from cmdsim.model.frozen import Seen

_CLEAN = Seen()
"""Model objects found well typed.  ``attrs.evolve`` keeps every part it
does not change, so a sweep's variant re-checks only the path to what it
changed, not the district's thousands of committees."""


@functools.cache
def field_types(cls: type) -> dict[str, Any]:
    """Each attrs field of ``cls`` with its resolved type, in declaration order."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in attrs.fields(cls)}


def _shown(value: Any) -> str:
    try:
        return _shown_hashable(value)
    except TypeError:  # a dict or a list where a scalar belongs
        return _shown_hashable.__wrapped__(value)


@functools.cache
def _shown_hashable(value: Any) -> str:
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{text} ({type(value).__name__})"


def _key(key: Any) -> str:
    return str(key.value if isinstance(key, enum.Enum) else key)


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def type_errors(value: Any, tp: Any, path: str) -> list[ModelError]:
    """Where ``value`` (and everything in it) is not of the declared type ``tp``."""
    if tp is Any:
        return []
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        members = typing.get_args(tp)
        if value is None:
            return [] if type(None) in members else [_wrong(value, tp, path)]
        found: list[ModelError] | None = None
        for member in members:
            if member is type(None):
                continue
            inner = type_errors(value, member, path)
            if not inner:
                return []
            if found is None or _fits(value, member):
                # The member the value is an instance of says the most.
                found = inner
        return found if found is not None else [_wrong(value, tp, path)]
    if origin is tuple:
        if not isinstance(value, tuple):
            return [_wrong(value, tp, path)]
        item = typing.get_args(tp)[0]
        return [e for k, x in enumerate(value) for e in type_errors(x, item, f"{path}[{k}]")]
    if origin in (dict, Mapping):
        if not isinstance(value, Mapping):
            return [_wrong(value, tp, path)]
        key_type, value_type = typing.get_args(tp)
        errors: list[ModelError] = []
        for key, item in value.items():
            here = _join(path, _key(key))
            errors += type_errors(key, key_type, here)
            errors += type_errors(item, value_type, here)
        return errors
    if not isinstance(tp, type):
        return []  # nothing the model declares today; left to the validators
    if attrs.has(tp):
        if not isinstance(value, tp):
            return [_wrong(value, tp, path)]
        return model_type_errors(value, path)
    return [] if _fits(value, tp) else [_wrong(value, tp, path)]


def _fits(value: Any, tp: Any) -> bool:
    """Whether a scalar is of ``tp`` as the loader would have built it."""
    if not isinstance(tp, type):
        return False
    kind = type(value)
    if kind is int:  # the common cases first: the ABC checks below are slow
        return tp is int or tp is float
    if kind is float and tp is float:
        return math.isfinite(value)
    if tp is int:
        # A file's `2.0` loads as 2; a bool is no count of people.
        whole = isinstance(value, float) and math.isfinite(value) and value.is_integer()
        return (isinstance(value, numbers.Integral) and not isinstance(value, bool)) or whole
    if tp is float:
        number = isinstance(value, numbers.Real) and not isinstance(value, bool)
        return number and math.isfinite(value)
    if tp is dt.date:
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    return isinstance(value, tp)


def _wrong(value: Any, tp: Any, path: str) -> ModelError:
    if tp is int:
        want = "a whole number"
    elif tp is float:
        want = "a finite number"
    elif tp is str:
        want = "a string"
    elif tp is bool:
        want = "True or False"
    elif isinstance(tp, type) and issubclass(tp, enum.Enum):
        want = f"a {tp.__name__} ({', '.join(f'{tp.__name__}.{m.name}' for m in tp)})"
    elif isinstance(tp, type):
        want = f"a {tp.__name__}"
    elif typing.get_origin(tp) in (dict, Mapping):
        key, item = typing.get_args(tp)
        want = f"a mapping of {_named(key)} to {_named(item)}"
    elif typing.get_origin(tp) is tuple:
        want = f"a tuple of {_named(typing.get_args(tp)[0])}"
    else:
        want = _named(tp)
    return ModelError(f"expected {want}, got {_shown(value)}", path)


def _named(tp: Any) -> str:
    """``Level``, ``Fixed | LogNormal | None``: a type as a message names it."""
    if isinstance(tp, type):
        return tp.__name__
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return " | ".join(_named(member) for member in typing.get_args(tp))
    return str(tp).replace("cmdsim.model.", "")


Quick = Callable[[Any], bool]


@functools.cache
def _quick(tp: Any) -> Quick:
    """Whether a value is of ``tp``, as a function made once per type: the
    district's thousands of objects are walked without a message built or a
    type taken apart per value; :func:`type_errors` says what is wrong."""
    if tp is Any or tp is None:
        return lambda _: True
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        members = typing.get_args(tp)
        optional = type(None) in members
        quick = tuple(_quick(m) for m in members if m is not type(None))
        return lambda v: (optional and v is None) or any(q(v) for q in quick)
    if origin is tuple:
        item = _quick(typing.get_args(tp)[0])
        return lambda v: isinstance(v, tuple) and all(map(item, v))
    if origin in (dict, Mapping):
        key_type, value_type = (_quick(t) for t in typing.get_args(tp))
        return lambda v: (
            isinstance(v, Mapping) and all(key_type(k) and value_type(x) for k, x in v.items())
        )
    if not isinstance(tp, type):
        return lambda _: True
    if attrs.has(tp):
        return lambda v: isinstance(v, tp) and _well_typed(v)
    if tp in (int, float, dt.date):
        return lambda v: _fits(v, tp)
    return lambda v: isinstance(v, tp)


@functools.cache
def _fields(cls: Any) -> tuple[tuple[str, Quick], ...]:
    return tuple((name, _quick(tp)) for name, tp in field_types(cls).items())


def _well_typed(obj: Any) -> bool:
    if obj in _CLEAN:
        return True
    kind: Any = type(obj)
    if all(quick(getattr(obj, name)) for name, quick in _fields(kind)):
        _CLEAN.add(obj)
        return True
    return False


def known_well_typed(obj: Any) -> None:
    """Record that the attrs object ``obj`` and everything in it is of its
    declared types, as found by a check of its own (the loader reads every
    value by its type): :func:`model_type_errors` then does not walk it."""
    _CLEAN.add(obj)


def model_type_errors(obj: Any, path: str = "") -> list[ModelError]:
    """Every field below the attrs object ``obj`` whose value is not of its type."""
    if _well_typed(obj):
        return []
    errors: list[ModelError] = []
    kind: Any = type(obj)
    for name, tp in field_types(kind).items():
        errors += type_errors(getattr(obj, name), tp, _join(path, name))
    return errors


_CAUGHT = (TypeError, AttributeError, ValueError, KeyError, IndexError)
"""What a converter or validator raises on a value of the wrong type
(``tuple(7)``, ``"junk".reinforce``, ``"x" < 3``)."""


def argument_errors(cls: type, arguments: Mapping[str, Any]) -> list[ModelError]:
    """Where the arguments given to ``cls`` (by field name) are not of the
    fields' types, each converted first as the class would."""
    errors: list[ModelError] = []
    types_ = field_types(cls)
    for field in attrs.fields(cls):
        if field.alias not in arguments:
            continue
        value = arguments[field.alias]
        converter: Any = field.converter
        # On a failure the type check below says what the value is not.
        with contextlib.suppress(*_CAUGHT):
            if isinstance(converter, attrs.Converter):
                if converter.takes_field and not converter.takes_self:  # type: ignore[attr-defined]
                    value = converter.converter(value, field)  # type: ignore[attr-defined]
            elif converter is not None:
                value = converter(value)
        errors += type_errors(value, types_[field.name], field.name)
    return errors


def guard(cls: type) -> type:
    """Make ``cls``'s constructor give a located :class:`ModelError` when a
    value of the wrong type makes a converter, a validator or a check fail.

    A :class:`~cmdsim.errors.CmdsimError` passes as it is; any other failure
    with no argument of the wrong type is a bug and is raised as it is.  The
    check runs only on a failure: building from a file costs nothing more.
    """
    init = vars(cls)["__init__"]
    signature = inspect.signature(init)

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        try:
            init(self, *args, **kwargs)
        except CmdsimError:
            raise
        except _CAUGHT:
            bound = signature.bind_partial(self, *args, **kwargs).arguments
            errors = argument_errors(cls, bound)
            if errors:
                raise errors[0] from None
            raise

    cls.__init__ = __init__  # type: ignore[misc]
    return cls


def guard_module(module: types.ModuleType) -> None:
    """:func:`guard` every attrs class defined in ``module``."""
    for value in vars(module).values():
        if isinstance(value, type) and attrs.has(value) and value.__module__ == module.__name__:
            guard(value)


@functools.cache
def _unguarded_init(cls: type) -> Callable[..., None]:
    init: Callable[..., None] = cls.__init__  # type: ignore[misc]
    return getattr(init, "__wrapped__", init)


def build_typed(cls: type, kwargs: dict[str, Any]) -> Any:
    """``cls(**kwargs)`` for a caller that read every argument by its type
    (the loader): without :func:`guard`'s wrapper, which only names an
    argument of the wrong type and cost ~5 ms of the ~7,400 objects a
    bundled load builds.  On a failure the guarded constructor runs again,
    so what is raised is what a Python caller gets."""
    value: Any = object.__new__(cls)
    try:
        _unguarded_init(cls)(value, **kwargs)
    except Exception:
        return cls(**kwargs)
    return value


def guarded(cls: type) -> bool:
    """Whether :func:`guard` has wrapped ``cls``'s constructor."""
    return getattr(vars(cls).get("__init__"), "__wrapped__", None) is not None


__all__ = [
    "argument_errors",
    "build_typed",
    "field_types",
    "guard",
    "guard_module",
    "guarded",
    "known_well_typed",
    "model_type_errors",
    "type_errors",
]
