"""Ordered vocabularies: response levels, warning signals, tiers, time bands.

Response level I is the *highest* (most severe); the ordering operators follow
severity, so ``Level.I > Level.IV`` and ``max(levels)`` is the most severe.

>>> Level.I > Level.IV
True
>>> Signal.parse("orange") > Signal.YELLOW
True
"""

from __future__ import annotations

import enum
import functools
import re
from typing import Self


class _Ranked(enum.Enum):
    """An enum ordered by ``rank`` (1 = least severe) and parsed by value or name."""

    _rank: int

    def __init__(self, *args: object) -> None:
        # Members are made in declaration order: the rank is fixed once, here.
        self._rank = len(type(self)._member_names_) + 1

    @property
    def rank(self) -> int:
        return self._rank

    # Enum hashes by name in Python code; members are singletons compared by
    # identity, so identity's C-level hash is as good and cheaper (a level or
    # a signal keys the engine's memo of trigger results).  No result depends
    # on either hash's order: a name's hash changes with every process too.
    __hash__ = object.__hash__

    def __lt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._rank < other._rank

    def __le__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._rank <= other._rank

    def __gt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._rank > other._rank

    def __ge__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._rank >= other._rank

    @classmethod
    def parse(cls, text: str) -> Self:
        """Look a member up by its value (``"II"``, ``"blue"``) or name."""
        for member in cls:
            if text == member.value or text.upper() == member.name:
                return member
        allowed = ", ".join(str(m.value) for m in cls)
        raise ValueError(f"{text!r} is not one of {allowed}")

    @classmethod
    def spelling_pattern(cls) -> str:
        """A regular expression (``^…$``, the same in Python and JSON Schema)
        of exactly the strings :meth:`parse` reads: each value in any case.

        >>> import re
        >>> bool(re.fullmatch(Signal.spelling_pattern(), "Orange"))
        True
        """
        # Each name is the value upper-cased (ASCII letters only), so any case of the value.
        assert all(m.name == str(m.value).upper() and str(m.value).isascii() for m in cls)
        words = ["".join(f"[{c.lower()}{c.upper()}]" for c in str(m.value)) for m in cls]
        return f"^(?:{'|'.join(words)})$"


class Level(_Ranked):
    """Response level; declared least severe first so ``rank`` rises with severity."""

    IV = "IV"
    III = "III"
    II = "II"
    I = "I"  # noqa: E741 - the level's official name

    @classmethod
    def parse(cls, text: str) -> Level:
        """A level by value (``"II"``, ``"ii"``) or as Chinese plans write it:
        the numeral characters ``Ⅱ``, full-width ``ＩＩ``, with ``级`` or
        ``级响应`` after it (``Ⅱ级``, ``II级``), or a Chinese or Arabic numeral
        before ``级`` (``二级``, ``2级``: 一级 is level I, the most severe).
        Exactly the strings :meth:`spelling_pattern` matches, made from the
        same table.

        >>> Level.parse("Ⅱ级"), Level.parse("三级"), Level.parse("iv")
        (<Level.II: 'II'>, <Level.III: 'III'>, <Level.IV: 'IV'>)
        """
        if isinstance(text, str):
            for level, pattern in _compiled_spellings():
                if pattern.fullmatch(text):
                    return level
        allowed = ", ".join(m.value for m in cls)
        raise ValueError(f"{text!r} is not one of {allowed}")

    @classmethod
    def spelling_pattern(cls) -> str:
        """A regular expression (``^…$``, the same in Python and JSON Schema)
        of exactly the strings :meth:`parse` reads, built from the table of
        level spellings (:data:`ROMAN_CHARACTERS`, :data:`LEVEL_NUMERALS`,
        :data:`LEVEL_SUFFIXES`, :data:`LEVEL_SPACES`)."""
        return f"^(?:{'|'.join(level_spelling(level) for level in cls)})$"

    def raised(self, steps: int = 1) -> Level:
        """The level ``steps`` above this one, capped at I."""
        return _LEVELS[min(len(_LEVELS) - 1, self._rank - 1 + steps)]

    def lowered(self, steps: int = 1) -> Level:
        """The level ``steps`` below this one, floored at IV."""
        return _LEVELS[max(0, self._rank - 1 - steps)]


_LEVELS: tuple[Level, ...] = tuple(Level)

ROMAN_CHARACTERS: dict[str, str] = {
    "I": "IiＩｉⅠⅰ",
    "V": "VvＶｖⅤⅴ",
    "II": "Ⅱⅱ",
    "III": "Ⅲⅲ",
    "IV": "Ⅳⅳ",
}
"""The characters that stand for a run of a Roman level's letters: each
letter in either case or full-width (``ＩＩ``), or the numeral characters
Chinese plans print (``Ⅱ`` U+2161, ``ⅱ`` U+2171), alone or mixed."""

LEVEL_NUMERALS: dict[str, str] = {
    "一": "I",
    "二": "II",
    "三": "III",
    "四": "IV",
    "1": "I",
    "2": "II",
    "3": "III",
    "4": "IV",
    "１": "I",
    "２": "II",
    "３": "III",
    "４": "IV",
}
"""Numerals before ``级`` (``二级``, ``2级``: 一级 is level I, the most severe)."""

ALONE = "一二三四"
"""The numerals that name a level without ``级`` after them: a bare 3 could be anything."""

LEVEL_SUFFIXES = ("级响应", "级")
"""What may follow a level: ``Ⅱ级``, ``二级响应``."""

LEVEL_SPACES = " \t\n\r\u3000\u00a0"
"""The spaces a level may have around it and before its suffix: ASCII, the
full-width space of a Chinese input method, a no-break space from a word
processor."""


def _runs(word: str) -> list[list[str]]:
    """Every way of writing ``word`` as runs that :data:`ROMAN_CHARACTERS` has."""
    if not word:
        return [[]]
    out: list[list[str]] = []
    for end in range(1, len(word) + 1):
        if word[:end] in ROMAN_CHARACTERS:
            out.extend([word[:end], *rest] for rest in _runs(word[end:]))
    return out


def level_spelling(level: Level) -> str:
    """The regular expression (unanchored) of one level's spellings, from the table."""
    # Escaped, so that the pattern reads the same printed in a JSON Schema.
    space = "[" + "".join(c if c == " " else f"\\u{ord(c):04x}" for c in LEVEL_SPACES) + "]*"
    suffix = f"{space}(?:{'|'.join(LEVEL_SUFFIXES)})"
    roman = "|".join(
        "".join(f"[{ROMAN_CHARACTERS[run]}]" for run in runs) for runs in _runs(level.value)
    )
    numerals = [n for n, value in LEVEL_NUMERALS.items() if value == level.value]
    alone = "".join(n for n in numerals if n in ALONE)
    bound = "".join(n for n in numerals if n not in ALONE)
    forms = [f"(?:{roman})(?:{suffix})?", f"[{alone}](?:{suffix})?", f"[{bound}]{suffix}"]
    return f"{space}(?:{'|'.join(forms)}){space}"


@functools.cache
def _compiled_spellings() -> tuple[tuple[Level, re.Pattern[str]], ...]:
    return tuple((level, re.compile(level_spelling(level))) for level in Level)


SEVERITY_NAMES: dict[Level, tuple[str, str]] = {
    Level.I: ("特别重大", "extraordinarily serious"),
    Level.II: ("重大", "serious"),
    Level.III: ("较大", "major"),
    Level.IV: ("一般", "ordinary"),
}
"""Incident severity class names for each level (Chinese, English)."""


class Signal(_Ranked):
    """Meteorological warning colour, blue < yellow < orange < red."""

    BLUE = "blue"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"


class Lift(enum.Enum):
    """A warning signal lifted (解除预警): from then on no colour is in force.

    Written ``signal: lifted`` on a timeline point.  It is not a colour: it
    has no rank, compares with no signal, and no condition reads it (a
    ``signal >= blue`` trigger does not hold after it, as before any signal).
    """

    LIFTED = "lifted"


class Issuer(enum.Enum):
    """Who issued a warning signal: the city's meteorological service or the
    district's own weather station (which may issue before the city does)."""

    CITY = "city"
    DISTRICT = "district"


class Tier(enum.Enum):
    """The four tiers of the disaster-information-officer network, lowest first."""

    COMPOUND = "compound"
    COMMITTEE = "committee"
    TOWN = "town"
    DISTRICT = "district"


class TimeBand(enum.Enum):
    """When something happens, for staffing and call-out speed.

    ``HOLIDAY_NIGHT`` is a holiday's night hours: both bands at once, slower
    than either alone (see :class:`~cmdsim.model.timing.BandFactors`).
    """

    DAY = "day"
    NIGHT = "night"
    HOLIDAY = "holiday"
    HOLIDAY_NIGHT = "holiday_night"

    @property
    def is_holiday(self) -> bool:
        """A holiday, by day or by night (a plan's ``holiday`` raise flag applies)."""
        return self is TimeBand.HOLIDAY or self is TimeBand.HOLIDAY_NIGHT


class Clock(enum.Enum):
    """What a deadline is counted from.

    ``onset``: the incident's onset; ``aware``: learning of it, the first
    moment anyone in the reporting chain (a duty room) knows; ``decision``:
    the decision of a level (for a report, the first at or above its
    ``min_level``); ``activation``: the lead HQ at work at that level.
    """

    ONSET = "onset"
    AWARE = "aware"
    ACTIVATION = "activation"
    DECISION = "decision"
