"""What a planner typing in a Chinese editor got wrong, and what to write.

The loader refuses a value or a line it cannot read; these functions turn
the refusal into the advice a colleague would give: which character on the
line is full-width, that minutes are written as a bare number, how levels
are spelt.  Each returns ``""`` when it has nothing to add.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from cmdsim.model.characters import SYNTAX, describe_character, number_hint, slip_in
from cmdsim.model.levels import SEVERITY_NAMES, Level

__all__ = [
    "container_hint",
    "date_hint",
    "datetime_hint",
    "english_keys_hint",
    "level_hint",
    "number_hint",
    "parser_slip",
    "time_hint",
    "yaml_slip",
]


def container_hint(value: Any) -> str:
    """`` (a full-width bracket '［' (U+FF3B): write '[')`` for a list or a
    mapping that a Chinese keyboard's brackets made a string."""
    if not isinstance(value, str) or value.strip()[:1] not in SYNTAX:
        return ""
    return f" ({slip_in(value.strip())})"


def english_keys_hint(key: str, types: dict[str, Any]) -> str:
    """For a key written in Chinese (牵头单位): the keys there are."""
    if key.isascii():
        return ""
    return f" (keys are the English field names: {', '.join(types)})"


def level_hint(value: Any) -> str:
    """Why ``value`` is no level, and what to write, for the words and numbers
    a Chinese plan uses that are not a level's own spelling."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        roman = list(Level)[4 - value].value
        return f" (levels are Roman numerals, I the most severe: did you mean {roman!r}?)"
    if isinstance(value, str):
        for level, (chinese, english) in SEVERITY_NAMES.items():
            if value.strip() in (chinese, english, f"{chinese}事件"):
                return (
                    f" ({value.strip()!r} is the class of level {level.value}: write {level.value})"
                )
    return " (write I, II, III or IV, I the most severe; Ⅱ, Ⅱ级 and 二级 are read as II too)"


def time_hint(value: Any) -> str:
    """What to write for a time of day a Chinese keyboard or a clock-face habit
    spoiled: ``14：05``, ``24:00``."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    for character in text:
        if character in SYNTAX:
            fixed = text.translate(_ASCII_SYNTAX)
            return f" ({describe_character(character)}: write '{fixed}')"
    if re.fullmatch(r"24[:：]00(:00)?", text):
        return " (a day runs from 00:00 to 23:59: write '00:00' for midnight)"
    return ""


_WRITTEN_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:\s*T\s*|\s+)(\d{1,2})\s*[:：]\s*(\d{2})(?:\s*[:：]\s*(\d{2}))?)?"
)


def date_hint(value: Any) -> str:
    """`` (write 2026-10-07)`` for a date written the way a Chinese form or a
    spreadsheet does (``2026/10/7``, ``2026年10月7日``), and the like for a
    date and time; ``""`` if it is no date or not a real day."""
    if not isinstance(value, str):
        return ""
    match = _WRITTEN_DATE.fullmatch(value.strip())
    if match is None:
        return ""
    year, month, day, hour, minute, second = match.groups()
    try:
        when = dt.datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:
        return ""
    shown = when.date().isoformat() if hour is None else when.isoformat()
    return f" (write {shown})"


def datetime_hint(value: Any) -> str:
    """What to write for a date and time at ``T24:00``, with a full-width
    colon, written like a form, or without its time."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f" (a date alone: add the time, e.g. {value.isoformat()}T00:00:00 for midnight)"
    if not isinstance(value, str):
        return ""
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[T ]24:00(:00)?", value.strip())
    if match:
        try:
            day = dt.date.fromisoformat(match.group(1))
        except ValueError:
            return ""
        following = (day + dt.timedelta(days=1)).isoformat()
        return f" (a day's last minute is 23:59: write midnight as {following}T00:00:00)"
    return date_hint(value) or (time_hint(value) if any(c in SYNTAX for c in value) else "")


_ASCII_SYNTAX = str.maketrans({k: v for k, (_, v) in SYNTAX.items()})


def yaml_slip(text: str, line: int, column: int) -> tuple[int, int, str] | None:
    """The full-width character or tab that most likely broke the YAML at
    ``line``:``column`` (1-based), as ``(line, column, message)``; ``None``
    when the lines up to it hold none where YAML syntax stands.

    YAML reports such a slip where it gives up, often the next line
    (``lead： gas_hq`` fails at the line below), so the line of the error and
    the three before it are searched, nearest first.
    """
    lines = text.split("\n")
    for number in range(min(line, len(lines)), max(0, line - 4), -1):
        found = _slip_on(lines[number - 1].rstrip("\r"))
        if found is not None:
            at, message = found
            return number, at + 1, message
    return None


_PARSER_WORDS = {
    "expected <block end>, but found '<block mapping start>'": (
        "this line is indented differently from the keys above it: the keys of one "
        "mapping start in the same column"
    ),
    "expected <block end>, but found '<block sequence start>'": (
        "this list item is indented differently from the items above it: the '-' of "
        "one list's items stand in the same column"
    ),
    "mapping values are not allowed here": (
        "a 'key: value' cannot stand here: the line is indented more than the keys "
        "above it, or a value holds ': ' (put that value in quotes)"
    ),
}


_NO_COLON = "could not find expected ':'"


def parser_slip(exc: yaml.MarkedYAMLError) -> tuple[int, int, str] | None:
    """The slip the YAML parser words as its own states, as ``(line, column,
    message)`` (1-based) in a planner's words: a line out of indentation
    (``expected <block end>, but found '<block mapping start>'``), or a key
    with no colon, which the parser reports on the line after it (``could not
    find expected ':'``) and this puts back on its own line.  ``None`` for any
    other problem, or one with no place."""
    mark: yaml.Mark | None
    message: str | None
    if exc.problem == _NO_COLON and exc.context_mark is not None:
        mark = exc.context_mark
        message = (
            "this line has no ':' after its key: write 'key: value', with a space after the colon"
        )
    else:
        mark, message = exc.problem_mark, _PARSER_WORDS.get(exc.problem or "")
    if mark is None or message is None:
        return None
    return mark.line + 1, mark.column + 1, message


def _slip_on(line: str) -> tuple[int, str] | None:
    """Where on one line a slip stands in YAML syntax (0-based), and the message."""
    body = line.lstrip(" -")
    indent = len(line) - len(body)
    # Indentation: YAML indents with ASCII spaces only.
    for index, character in enumerate(line):
        if character == "\t" and line[:index].strip(" -") == "":
            return index, (
                "a tab in the indentation: YAML indents with spaces only (replace the tab"
                " with spaces, as many as the lines around it use)"
            )
        if character in _ODD_SPACES and line[:index].strip(" -\u3000\u00a0") == "":
            return index, (
                f"{describe_character(character)} in the indentation: YAML indents with"
                " ASCII spaces only (switch the input method to English and retype it)"
            )
        if character not in " -\t\u3000\u00a0":
            break
    if body.startswith("#"):
        return None
    if body[:1] in _DASHES and body[1:2] in (" ", "\u3000"):
        return indent, (
            f"{describe_character(body[0])} where a list item's '-' stands: YAML needs an"
            " ASCII '-' and a space"
        )
    key_end = _key_end(body)
    if key_end is not None:
        # A key followed by a full-width colon or by a full-width space.
        character = body[key_end]
        after = body[key_end + 1 : key_end + 2]
        if character == "\uff1a" or (character == ":" and after and after in _ODD_SPACES):
            shown = describe_character(character if character != ":" else after)
            key = body[:key_end]
            return indent + key_end + (0 if character != ":" else 1), (
                f"{shown} after the key {key!r}: YAML needs an ASCII colon and an"
                f" ASCII space ({key}: ...)"
            )
    # Inside a flow collection: {at: 0， households: 300}, {id：x}.
    if match := _FLOW_COMMA.search(body):
        return indent + match.start(), (
            f"{describe_character(match.group(0)[0])} between the entries of a {{...}}"
            " or [...]: YAML separates them with an ASCII comma"
        )
    if match := _FLOW_COLON.search(body):
        return indent + match.end() - 1, (
            f"{describe_character(chr(0xFF1A))} after the key {match.group(1)!r}: YAML needs"
            f" an ASCII colon and an ASCII space ({match.group(1)}: ...)"
        )
    return None


_ODD_SPACES = "\u3000\u00a0"
_DASHES = "\uff0d\u2014\u2013"
_FLOW_COMMA = re.compile(r"[，、]\s*[A-Za-z_]\w*\s*[:：]")
_FLOW_COLON = re.compile(r"[{,，]\s*([A-Za-z_]\w*)\s*：")
_KEY = re.compile(r"[^\s:：#\[\]{},\"'“”]+")


def _key_end(body: str) -> int | None:
    """The index of the colon (ASCII or full-width) ending the key that begins
    ``body``, when it begins with one."""
    match = _KEY.match(body)
    if match is None or match.end() >= len(body):
        return None
    if body[match.end()] in ":\uff1a":
        return match.end()
    return None
