"""One YAML scalar read as a model type — a string, a number, a flag, a
date, a time of day, an enum member — or a :class:`ScalarError` saying what
was found and what to write instead.

Strict on purpose: ``yes`` is not an id and ``"3"`` is not a number; the
hints (:mod:`cmdsim.io.slips`) name the usual slips (a Chinese unit after a
number, a spreadsheet's date, a one-digit hour).  The structurer
(:mod:`cmdsim.io.structure`) says where.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from typing import Any

from cmdsim.io._nodes import describe, suggest
from cmdsim.io.slips import date_hint, datetime_hint, level_hint, number_hint, time_hint
from cmdsim.model.levels import Level

_ONE_DIGIT_HOUR = re.compile(r"[0-9]:[0-5][0-9](:[0-5][0-9])?").fullmatch

_YAML_TEXT_EXPONENT = re.compile(r"[-+]?[0-9]*\.?[0-9]+[eE][-+]?[0-9]+")


class ScalarError(Exception):
    """A scalar that is not a value of the type asked for: ``message`` says
    what was found and, where it can, what to write."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_number(value: Any) -> bool:
    """Whether ``value`` is an int or a float (a YAML ``true`` is not)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def read_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    """The member of ``cls`` that ``value`` names (by its ``parse`` if it has one)."""
    if isinstance(value, str):
        parse = getattr(cls, "parse", None)
        if parse is not None:
            try:
                member: enum.Enum = parse(value)
                return member
            except ValueError:
                pass
        else:
            for m in cls:
                if m.value == value:
                    return m
    allowed = [str(m.value) for m in cls]
    hint = suggest(value, allowed) if isinstance(value, str) else ""
    if cls is Level and not hint:
        hint = level_hint(value)
    raise ScalarError(f"{describe(value)} is not one of {', '.join(allowed)}{hint}")


def read_enums(value: Any, classes: tuple[type[enum.Enum], ...]) -> enum.Enum:
    """The member of the first of ``classes`` that ``value`` names (a field
    typed ``Signal | Lift``); the problem names the values of them all."""
    for cls in classes:
        try:
            return read_enum(value, cls)
        except ScalarError:
            continue
    allowed = [str(m.value) for cls in classes for m in cls]
    hint = suggest(value, allowed) if isinstance(value, str) else ""
    raise ScalarError(f"{describe(value)} is not one of {', '.join(allowed)}{hint}")


def read_scalar(value: Any, tp: Any) -> Any:
    """``value`` as a ``tp`` (str, bool, int, float, datetime, date or time)."""
    if tp is str:
        if isinstance(value, str):
            return value
        raise ScalarError(f"expected a string, got {describe(value)}")
    if tp is bool:
        if isinstance(value, bool):
            return value
        raise ScalarError(f"expected true or false, got {describe(value)}")
    if tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise ScalarError(f"expected a whole number, got {describe(value)}{number_hint(value)}")
    if tp is float:
        if is_number(value):
            number = float(value)
            if math.isnan(number) or math.isinf(number):
                raise ScalarError(f"{value} is not a finite number")
            return number
        hint = _yaml_number_hint(value) or number_hint(value)
        raise ScalarError(f"expected a number, got {describe(value)}{hint}")
    if tp is dt.datetime:
        return _datetime(value)
    if tp is dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        hint = date_hint(value)
        raise ScalarError(f"expected a date like 2024-10-01, got {describe(value)}{hint}")
    if tp is dt.time:
        return _time(value)
    raise TypeError(f"cannot load a value of type {tp!r}")  # pragma: no cover


def _datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ScalarError(
        f"expected a date and time like 2024-09-14T22:00:00, got {describe(value)}"
        f"{datetime_hint(value)}"
    )


def _time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, str):
        try:
            # A clock's 8:30 is 08:30: ISO wants the hour's two digits.
            return dt.time.fromisoformat(f"0{value}" if _ONE_DIGIT_HOUR(value) else value)
        except ValueError:
            pass
    elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        # YAML 1.1 reads an unquoted 08:30 as the sexagesimal number 510.
        return dt.time(value // 60, value % 60)
    raise ScalarError(
        f"expected a time of day like '08:30', got {describe(value)}{time_hint(value)}"
    )


def _yaml_number_hint(value: Any) -> str:
    """Why YAML read what looks like a number as text: PyYAML (YAML 1.1) takes
    an exponent only after a dot and with its sign, ``1.0e+3``."""
    if isinstance(value, str) and _YAML_TEXT_EXPONENT.fullmatch(value.strip()):
        return (
            f" (YAML reads {value.strip()} as text: write the number in full,"
            " or with a dot and a signed exponent, e.g. 1.0e+3)"
        )
    return ""
