"""A scenario built or changed in Python, checked as a file is checked.

A file goes through the loader, which refuses more than the model's own
validators do: a value of the wrong type (``night: 2.5`` is "expected a
whole number"), an incident whose timeline falls outside the run, an inject
after the horizon, a zone or a flag no town or plan knows (see
:mod:`cmdsim.io.checks`).  A scenario made with ``attrs.evolve`` in a
notebook skips the loader: attrs runs the validators but not the type
annotations, so ``Staffing(night=2.5)`` or ``night=True`` were run as two
officers and one, and a horizon cut before the incident's timeline ran an
incident that never happens, with no word.  :func:`check_scenario` gives
such a scenario the loader's checks; :func:`cmdsim.replicate`, the sweeps
and :func:`cmdsim.simulate` run it first.  Model values cannot change in
place (:mod:`cmdsim.model.frozen`), so a scenario that passed is remembered
by identity and not checked again: a loop of ``cmdsim.simulate`` over
seeds checks once.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
import numbers
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import numpy as np

from cmdsim.errors import ModelError, ScenarioError
from cmdsim.io import checks, field_types
from cmdsim.model.frozen import Seen
from cmdsim.model.scenario import ModelErrors, Scenario, require_scenario
from cmdsim.sim import RunResult, SimOptions
from cmdsim.sim import simulate as engine

_CLEAN = Seen()
"""Model objects found well typed.  ``attrs.evolve`` keeps every part it
does not change, so a sweep's variant re-checks only the path to what it
changed, not the district's thousands of committees."""

_CHECKED = Seen()
"""Scenarios :func:`check_scenario` passed: a notebook's loop of
``cmdsim.simulate`` checks its scenario once."""


@functools.cache
def _shown(value: Any) -> str:
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
    else:
        want = str(tp).replace("cmdsim.model.", "")
    return ModelError(f"expected {want}, got {_shown(value)}", path)


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


def model_type_errors(obj: Any, path: str = "") -> list[ModelError]:
    """Every field below the attrs object ``obj`` whose value is not of its type."""
    if _well_typed(obj):
        return []
    errors: list[ModelError] = []
    kind: Any = type(obj)
    for name, tp in field_types(kind).items():
        errors += type_errors(getattr(obj, name), tp, _join(path, name))
    return errors


def scenario_problems(scenario: Scenario) -> list[ModelError]:
    """What loading the scenario from a file would refuse, each with its path."""
    errors = model_type_errors(scenario)
    if errors:
        # The file checks below read the values; wrong types would only
        # make them fail in other words.
        return errors
    errors += [
        ModelError(e.message, _join("district", e.path))
        for e in checks.district_errors(scenario.district)
    ]
    errors += checks.scenario_errors(scenario, lambda _: True, lambda _: False)
    return errors


def check_scenario(scenario: Scenario, caller: str = "check_scenario") -> None:
    """Refuse a scenario a file could not have given, naming each field.

    Raises :class:`~cmdsim.model.scenario.ModelErrors` (a
    :class:`~cmdsim.errors.CmdsimError`) whose message starts with the
    scenario's id and lists every problem with its field path, as the
    loader does for a file (``caller`` names the function in the message
    for what is no scenario at all)::

        scenario 'gas': district.duty_room.staffing.night: expected a whole
        number, got 2.5 (float)

    A scenario that passes is remembered (weakly, by identity) and returns
    at once the next time.
    """
    require_scenario(scenario, caller)
    if scenario in _CHECKED:
        return
    problems = scenario_problems(scenario)
    if problems:
        raise _Refused(scenario.id, problems)
    _CHECKED.add(scenario)


class _Refused(ModelErrors):
    """The problems of a scenario built in Python, under its id."""

    def __init__(self, scenario: str, errors: list[ModelError]) -> None:
        super().__init__(errors)
        lines = "\n".join(f"  {e}" for e in self.errors)
        self.args = (
            f"scenario {scenario!r} is not one a file could give "
            f"({len(self.errors)} problem{'s' if len(self.errors) > 1 else ''}):\n{lines}",
        )


__all__ = [
    "check_scenario",
    "model_type_errors",
    "scenario_problems",
    "simulate",
    "type_errors",
]


def simulate(
    scenario: Scenario,
    seed: int | np.random.SeedSequence = 0,
    *,
    options: SimOptions | None = None,
) -> RunResult:
    """:func:`cmdsim.sim.simulate` of a scenario checked as a file would be.

    What ``cmdsim.simulate`` is: a notebook's scenario changed with
    ``attrs.evolve`` is refused with every wrong field named
    (:func:`check_scenario`) rather than run on a value the loader would
    have refused.  ``cmdsim.sim.simulate`` is the engine itself, which
    runs what a program builds on purpose (a drill console's inject after
    the horizon) unchecked.
    """
    if isinstance(scenario, Scenario):  # anything else: the engine's own message
        check_scenario(scenario, "simulate")
    if options is not None and not isinstance(options, SimOptions):
        shown = (
            ", ".join(f"{k}={v!r}" for k, v in options.items())
            if isinstance(options, dict)
            else "..."
        )
        raise ScenarioError(
            f"options= takes a cmdsim.sim.SimOptions, got {type(options).__name__} "
            f"(write options=SimOptions({shown}))"
        )
    return engine(scenario, seed, options=options)
