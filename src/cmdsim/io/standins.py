"""Stand-ins for model values that could not be built.

When a value fails, its problems are recorded and :class:`Invalid` carries
a stand-in (:func:`stand_in`) holding what could be built, so that the
checks of the objects above it still run and report their own problems.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Mapping
from typing import Any

import attrs

from cmdsim.errors import ModelError
from cmdsim.io._types import field_types
from cmdsim.model import ModelErrors


class Invalid(Exception):
    """A value could not be built; its problems are already recorded.

    ``partial`` is a stand-in holding what could be built, so that the
    cross-reference checks of a district or scenario can still run and
    report their problems alongside the others.
    """

    def __init__(self, partial: Any = None) -> None:
        super().__init__()
        self.partial = partial


def neutral(tp: Any) -> Any:
    """A value of type ``tp`` that references nothing, for stand-ins."""
    if typing.get_origin(tp) is tuple:
        return ()
    if typing.get_origin(tp) in (dict, Mapping):
        return {}
    if isinstance(tp, type) and attrs.has(tp):
        return stand_in(tp, {})
    if tp in (dt.datetime, dt.date, dt.time):
        # Checks compare time zones of datetimes; None would stop them.
        return tp.min
    return None


def stand_in(cls: type, values: dict[str, Any]) -> Any:
    """An instance of ``cls`` built without its validators from what is known.

    Fields not in ``values`` take their default, or a neutral value.
    """
    instance: Any = object.__new__(cls)
    types = field_types(cls)
    for field in attrs.fields(cls):
        if field.name in values:
            value = values[field.name]
        elif field.default is attrs.NOTHING:
            value = neutral(types[field.name])
        elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            value = field.default.factory()
        else:
            value = field.default
        # Bypasses the frozen class's __setattr__ on purpose: a stand-in is never shown.
        object.__setattr__(instance, field.name, value)
    return instance


def without_bad_scalars(
    kwargs: dict[str, Any], exc: BaseException, types: dict[str, Any]
) -> dict[str, Any]:
    """The arguments minus the plain values an error names (a bad id is no id).

    Lists and mappings are kept: dropping them would make every reference
    into them dangle in the checks of the objects above.
    """
    errors = exc.errors if isinstance(exc, ModelErrors) else (exc,)
    named = {
        error.path.split(".")[0].split("[")[0] for error in errors if isinstance(error, ModelError)
    }
    return {
        name: value
        for name, value in kwargs.items()
        if name not in named or typing.get_origin(types[name]) in (tuple, dict, Mapping)
    }
