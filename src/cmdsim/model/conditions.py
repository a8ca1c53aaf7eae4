"""What a plan's triggers test: conditions on one incident attribute
(``deaths >= 3``, ``signal >= yellow``) and the triggers that set a level
when their conditions hold.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import attrs

from cmdsim.errors import ModelError
from cmdsim.model.characters import number_hint
from cmdsim.model.levels import Level, Signal

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


_CONDITION = re.compile(r"^\s*([a-z_]+)\s*(>=|<=|==|>|<)\s*(\S+)\s*$")


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
        if self.attribute not in ATTRIBUTES:
            known = ", ".join(ATTRIBUTES)
            raise ModelError(f"unknown attribute {self.attribute!r} (known: {known})", "attribute")
        if (self.attribute == "signal") != isinstance(self.value, Signal):
            raise ModelError(f"{self.attribute} cannot be compared with {self.value!r}", "value")

    @classmethod
    def parse(cls, text: str) -> Condition:
        """``attribute op value``; ``≥``, ``≤`` and full-width ``＞＝`` are read
        as ``>=`` and ``<=`` (a Chinese keyboard's forms of the same signs)."""
        folded = unicodedata.normalize("NFKC", text).replace("≥", ">=").replace("≤", "<=")
        match = _CONDITION.match(folded)
        if not match:
            raise ModelError(f"{text!r} is not a condition like 'deaths >= 3'{_gloss(folded)}")
        attribute, op, raw = match.groups()
        value: float | Signal
        if attribute == "signal":
            try:
                value = Signal.parse(raw)
            except ValueError as exc:
                raise ModelError(str(exc)) from None
        else:
            try:
                value = float(raw)
            except ValueError:
                raise ModelError(f"{raw!r} is not a number{number_hint(raw)}") from None
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
    any_of: tuple[Condition, ...] = attrs.field(default=(), converter=tuple)
    all_of: tuple[Condition, ...] = attrs.field(default=(), converter=tuple)

    def __attrs_post_init__(self) -> None:
        if not self.any_of and not self.all_of:
            raise ModelError("has no conditions", "any_of")

    def fires(self, known: Mapping[str, Any]) -> bool:
        return (not self.any_of or any(c.holds(known) for c in self.any_of)) and all(
            c.holds(known) for c in self.all_of
        )
