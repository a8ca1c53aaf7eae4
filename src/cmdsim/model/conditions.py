"""What a plan's triggers test: conditions on one incident attribute
(``deaths >= 3``, ``signal >= yellow``) and the triggers that set a level
when their conditions hold.
"""

from __future__ import annotations

import decimal
import enum
import functools
import math
import numbers
import re
from collections.abc import Mapping
from typing import Any

import attrs

from cmdsim.errors import ModelError
from cmdsim.model import validators as v
from cmdsim.model.characters import describe_character, number_hint
from cmdsim.model.levels import LEVEL_SPACES, Level, Signal

ATTRIBUTES: dict[str, str] = {
    "deaths": "people dead",
    "serious_injuries": "people seriously injured",
    "casualties": "dead plus seriously injured",
    "direct_loss": "direct economic loss, million yuan",
    "households": "households affected (without supply, evacuated)",
    "rainfall": "rainfall, mm in the last hour",
    "traffic_cut_hours": "hours a main road is expected closed",
    "supply_cut_hours": "hours supply is expected cut",
    "signal": "meteorological warning colour",
}
"""Incident attributes a trigger may test, with their meaning and unit."""


class Op(enum.Enum):
    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "=="


CONDITION_FOLDS: dict[str, str] = {
    # Full-width ASCII (！ to ～), what a Chinese input method types: ｄｅａｔｈｓ ＞＝ ３.
    **{chr(0xFF01 + offset): chr(0x21 + offset) for offset in range(0x5E)},
    # The small forms of CJK compatibility text.
    "\ufe64": "<",
    "\ufe65": ">",
    "\ufe66": "=",
    # One character for two: the signs a Chinese keyboard offers.
    "\u2265": ">=",
    "\u2264": "<=",
}
"""What a condition may hold in place of ASCII, and the ASCII it is read as.
The loader (:meth:`Condition.parse`) and the JSON Schema
(:func:`condition_pattern`) read conditions by this table alone; spaces are
those of :data:`~cmdsim.model.levels.LEVEL_SPACES`."""

MAX_INTEGER_DIGITS = 15
"""Digits a condition's number may have before its point: counts, mm, hours
and million yuan stay far below 10**15, and a bound keeps every number the
pattern takes finite (so the schema cannot take what the loader refuses)."""


def _chars(ascii_chars: str) -> str:
    """A character class of ``ascii_chars`` and every character folded to one of them."""
    found = [*ascii_chars, *(c for c, a in CONDITION_FOLDS.items() if a in ascii_chars)]
    # '-' first, where Python and ECMA-262 (an editor's regex) both read it as itself.
    found.sort(key=lambda c: c not in "-\uff0d")
    return "[" + "".join(found) + "]"


def _word(word: str) -> str:
    return "".join(_chars(c) for c in word)


def _op(op: Op) -> str:
    """The sign's spellings: its ASCII characters each in any form, or one character for it."""
    whole = [c for c, ascii_form in CONDITION_FOLDS.items() if ascii_form == op.value]
    return "|".join([_word(op.value), *whole])


@functools.cache
def condition_pattern() -> str:
    """The regular expression (``^…$``, the same in Python and JSON Schema) of
    exactly the strings :meth:`Condition.parse` reads, built from
    :data:`ATTRIBUTES`, :class:`Op`, :class:`~cmdsim.model.levels.Signal`
    and :data:`CONDITION_FOLDS`.

    A number is written in plain decimals (``3``, ``-1``, ``0.5``, ``.5``),
    at most :data:`MAX_INTEGER_DIGITS` digits before the point; ``signal``
    compares with a colour in any case.  Groups 1-3 are the attribute, the
    sign and the number, groups 4-6 the same for ``signal``.

    >>> import re
    >>> bool(re.fullmatch(condition_pattern(), "deaths ≥ ３")), bool(
    ...     re.fullmatch(condition_pattern(), "deaths >= 1e3"))
    (True, False)
    """
    space = "[" + "".join(c if c == " " else f"\\u{ord(c):04x}" for c in LEVEL_SPACES) + "]*"
    ops = "|".join(_op(op) for op in Op)
    numeric = "|".join(_word(name) for name in ATTRIBUTES if name != "signal")
    colour = "|".join(_colour(s) for s in Signal)
    return (
        f"^{space}(?:({numeric}){space}({ops}){space}({_number()})"
        f"|({_word('signal')}){space}({ops}){space}({colour})){space}$"
    )


def _number() -> str:
    """A number in plain decimals, in ASCII or full-width digits."""
    digit = _chars("0123456789")
    point = _chars(".")
    whole = f"{digit}{{1,{MAX_INTEGER_DIGITS}}}"
    return f"{_chars('+-')}?(?:{whole}(?:{point}{digit}*)?|{point}{digit}+)"


def _colour(signal: Signal) -> str:
    """A colour's spelling in any case, full-width or not."""
    return "".join(_chars(c.lower() + c.upper()) for c in signal.value)


def fold(text: str) -> str:
    """``text`` with each character of :data:`CONDITION_FOLDS` read as its ASCII."""
    return text.translate(_FOLD_TABLE)


_FOLD_TABLE = str.maketrans(CONDITION_FOLDS)


@functools.cache
def _compiled() -> re.Pattern[str]:
    return re.compile(condition_pattern())


_SHAPE = re.compile(r"^\s*([a-z_]+)\s*(>=|<=|==|>|<)\s*(\S+)\s*$")
"""The shape of a condition, loosely, once folded: what a refusal's message is about."""


_GLOSSARY = {
    "死亡": "deaths",
    "死亡人数": "deaths",
    "重伤": "serious_injuries",
    "重伤人数": "serious_injuries",
    "伤亡": "casualties",
    "伤亡人数": "casualties",
    "直接经济损失": "direct_loss",
    "经济损失": "direct_loss",
    "户数": "households",
    "受影响户数": "households",
    "停气户数": "households",
    "停电户数": "households",
    "降雨量": "rainfall",
    "雨量": "rainfall",
    "小时雨量": "rainfall",
    "预警": "signal",
    "预警信号": "signal",
    "交通中断": "traffic_cut_hours",
    "停供": "supply_cut_hours",
}
"""Chinese words for the attributes, for a hint only: conditions are English."""


def _gloss(text: str) -> str:
    """`` (write 'deaths >= 3')`` when the attribute was written in Chinese."""
    match = re.match(r"^\s*(\S+?)\s*(>=|<=|==|>|<)\s*(\S+)\s*$", text)
    if match and match.group(1) in _GLOSSARY:
        english = _GLOSSARY[match.group(1)]
        return (
            f" (the attribute is written in English: {english} {match.group(2)} {match.group(3)})"
        )
    return ""


def _refusal(text: Any) -> str:
    """Why :meth:`Condition.parse` refuses ``text``: the part that is wrong and
    what to write.  Only the message: what is read is the pattern's alone."""
    if not isinstance(text, str):
        return f"expected a condition like 'deaths >= 3', got {text!r}"
    folded = fold(text)
    shape = _SHAPE.match(folded)
    if shape is None:
        return f"{text!r} is not a condition like 'deaths >= 3'{_gloss(folded)}"
    attribute, _, raw = shape.groups()
    if attribute not in ATTRIBUTES:
        return f"unknown attribute {attribute!r} (known: {', '.join(ATTRIBUTES)})"
    if attribute == "signal":
        try:
            Signal.parse(raw)
        except ValueError as exc:
            return str(exc)
    elif not re.fullmatch(_number(), raw):
        return f"{raw!r} is not a number{number_hint(raw) or _plain_hint(raw)}"
    return f"{text!r} is not a condition like 'deaths >= 3'{_stray(text)}"


def _plain_hint(raw: str) -> str:
    """`` (write it in plain decimals: 1000)`` for ``1e3``; a note on the digits' bound."""
    try:
        number = float(raw)
    except ValueError:
        return ""
    if not math.isfinite(number):
        return ""
    if abs(number) < 10.0**MAX_INTEGER_DIGITS:
        return f" (write it in plain decimals: {plain_decimal(number)})"
    return f" (a condition's number has at most {MAX_INTEGER_DIGITS} digits before its point)"


def _stray(text: str) -> str:
    """`` (an em space (U+2003) is not read here)`` for the first character that
    neither the ASCII of a condition, a space nor :data:`CONDITION_FOLDS` has."""
    for character in text:
        if not (character.isascii() or character in LEVEL_SPACES or character in CONDITION_FOLDS):
            return f" ({describe_character(character)} is not read in a condition)"
    return ""


def plain_decimal(value: float) -> str:
    """The shortest plain decimal (no exponent) that reads back as ``value``:
    how a condition's number is written to a file.

    >>> plain_decimal(3.0), plain_decimal(1e-07), plain_decimal(2.5)
    ('3', '0.0000001', '2.5')
    """
    if float(value).is_integer():
        return str(int(value))
    return format(decimal.Decimal(repr(float(value))), "f")


@attrs.frozen
class Condition:
    """A test on one incident attribute: ``deaths >= 3``, ``signal >= yellow``.

    In YAML a condition is written as that string.

    >>> Condition.parse("deaths >= 3").holds({"deaths": 5.0})
    True
    """

    attribute: str
    op: Op
    value: float | Signal

    def __attrs_post_init__(self) -> None:
        # Types first: from Python, a wrong one is a located error, not a
        # TypeError from `in` or a comparison later.
        if not isinstance(self.attribute, str) or self.attribute not in ATTRIBUTES:
            known = ", ".join(ATTRIBUTES)
            raise ModelError(f"unknown attribute {self.attribute!r} (known: {known})", "attribute")
        if not isinstance(self.op, Op):
            signs = ", ".join(f"Op.{op.name}" for op in Op)
            raise ModelError(f"expected an Op ({signs}), got {self.op!r}", "op")
        value = self.value
        if self.attribute == "signal":
            if not isinstance(value, Signal):
                raise ModelError(f"signal cannot be compared with {value!r}", "value")
            return
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ModelError(f"{self.attribute} cannot be compared with {value!r}", "value")
        if not math.isfinite(value) or abs(value) >= 10.0**MAX_INTEGER_DIGITS:
            # What a file cannot say (see condition_pattern), so not what Python may.
            raise ModelError(
                f"{value!r} is not a finite number below 1e{MAX_INTEGER_DIGITS}", "value"
            )

    @classmethod
    def parse(cls, text: str) -> Condition:
        """``attribute op value``, exactly the strings :func:`condition_pattern`
        matches: ``≥``, ``≤``, full-width ``＞＝`` and the other characters of
        :data:`CONDITION_FOLDS` are read as their ASCII (a Chinese keyboard's
        forms of the same signs)."""
        match = _compiled().fullmatch(text) if isinstance(text, str) else None
        if match is None:
            raise ModelError(_refusal(text))
        groups = match.groups()
        value: float | Signal
        if groups[0] is not None:
            attribute, op, raw = (fold(g) for g in groups[:3])
            value = float(raw)
        else:
            attribute, op, raw = (fold(g) for g in groups[3:])
            value = Signal.parse(raw)
        return cls(attribute, Op(op), value)

    def __str__(self) -> str:
        value = self.value.value if isinstance(self.value, Signal) else f"{self.value:g}"
        return f"{self.attribute} {self.op.value} {value}"

    def holds(self, known: Mapping[str, Any]) -> bool:
        """Whether the condition holds on what is known (unknown: it does not)."""
        have = known.get(self.attribute)
        if have is None:
            return False
        want: Any = self.value
        if isinstance(want, Signal):
            have, want = Signal.parse(have).rank if isinstance(have, str) else have.rank, want.rank
        match self.op:
            case Op.GE:
                return bool(have >= want)
            case Op.GT:
                return bool(have > want)
            case Op.LE:
                return bool(have <= want)
            case Op.LT:
                return bool(have < want)
            case Op.EQ:
                return bool(have == want)


@attrs.frozen
class Trigger:
    """Sets ``level`` when any of ``any_of`` holds and all of ``all_of`` hold.

    An empty ``any_of`` counts as true, so ``all_of`` alone is a conjunction.
    """

    level: Level
    any_of: tuple[Condition, ...] = attrs.field(default=(), converter=v.items)
    all_of: tuple[Condition, ...] = attrs.field(default=(), converter=v.items)

    def __attrs_post_init__(self) -> None:
        if not self.any_of and not self.all_of:
            raise ModelError("has no conditions", "any_of")

    def fires(self, known: Mapping[str, Any]) -> bool:
        return (not self.any_of or any(c.holds(known) for c in self.any_of)) and all(
            c.holds(known) for c in self.all_of
        )
