"""Characters a Chinese input method slips into a plan file, and what to write instead.

A planner typing in a Chinese editor gets full-width punctuation unless the
input method is switched to English: ``lead：gas_hq``, ``[gas，fire]``,
``“gas_hq”``, a full-width space ``　`` (U+3000) that no editor shows.  The
loader refuses them where they stand for YAML syntax or an id, and these
functions say which character it was and what to type.

>>> slip_in("gas_hq\\u3000")
'a full-width space (U+3000) at its end: delete it'
>>> slip_in("gas_plan")
''
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

SYNTAX: dict[str, tuple[str, str]] = {
    "\u3000": ("a full-width space", " "),
    "\uff1a": ("a full-width colon", ":"),
    "\uff0c": ("a full-width comma", ","),
    "\u3001": ("an enumeration comma", ","),
    "\uff1b": ("a full-width semicolon", ","),
    "\u201c": ("a Chinese quote", '"'),
    "\u201d": ("a Chinese quote", '"'),
    "\u2018": ("a Chinese quote", "'"),
    "\u2019": ("a Chinese quote", "'"),
    "\uff3b": ("a full-width bracket", "["),
    "\uff3d": ("a full-width bracket", "]"),
    "\uff5b": ("a full-width brace", "{"),
    "\uff5d": ("a full-width brace", "}"),
    "\u3010": ("a Chinese bracket", "["),
    "\u3011": ("a Chinese bracket", "]"),
    "\uff08": ("a full-width parenthesis", "("),
    "\uff09": ("a full-width parenthesis", ")"),
    "\uff0d": ("a full-width hyphen", "-"),
    "\uff03": ("a full-width hash", "#"),
    "\uff1e": ("a full-width '>'", ">"),
    "\uff1c": ("a full-width '<'", "<"),
    "\uff1d": ("a full-width '='", "="),
    "\u2265": ("the sign '≥'", ">="),
    "\u2264": ("the sign '≤'", "<="),
    "\u2014": ("a dash", "-"),
    "\u2013": ("a dash", "-"),
    # Invisible: pasted from a word processor or a web page.
    "\u00a0": ("a no-break space", " "),
    "\u200b": ("an invisible zero-width space", ""),
    "\ufeff": ("an invisible byte-order mark", ""),
}
"""Full-width (and other Chinese-keyboard) stand-ins for ASCII syntax: what
each is called and the ASCII it stands for."""


def describe_character(character: str) -> str:
    """``a full-width colon '：' (U+FF1A)``: how a message names one character."""
    what = SYNTAX.get(character, ("the character",))[0]
    shown = "" if character.isspace() or not character.isprintable() else f" {character!r}"
    return f"{what}{shown} (U+{ord(character):04X})"


def slip_in(text: str) -> str:
    """What in ``text`` (an id or a reference) a Chinese keyboard slipped in,
    and what to write: ``''`` when nothing did.

    Full-width punctuation and spaces are named with the ASCII they stand
    for; full-width letters and digits (``ｇａｓ``) with their ASCII spelling;
    Chinese characters with the advice to keep them in ``name``.
    """
    if not isinstance(text, str):
        return ""
    stripped = text.strip("\u3000")
    if stripped != text and stripped and not any(c in SYNTAX for c in stripped):
        where = "at its end" if text.startswith(stripped) else "at its start"
        if text.startswith("\u3000") and text.endswith("\u3000"):
            where = "around it"
        return f"a full-width space (U+3000) {where}: delete it"
    for character in text:
        if character in SYNTAX:
            ascii_form = SYNTAX[character][1]
            if character in "\u201c\u201d\u2018\u2019":
                bare = text.strip("\u201c\u201d\u2018\u2019")
                return (
                    f'{describe_character(character)} is not a YAML quote: write {bare} or "{bare}"'
                )
            if ascii_form in (" ", ""):
                return f"{describe_character(character)} in it: delete it"
            if ascii_form == ",":
                return (
                    f"{describe_character(character)} does not separate items:"
                    " write a list as [a, b] with ASCII commas"
                )
            return f"{describe_character(character)}: write {ascii_form!r}"
    folded = unicodedata.normalize("NFKC", text)
    if folded != text and folded.isascii():
        return f"full-width letters or digits: write {folded!r}"
    if any(unicodedata.east_asian_width(c) in "WF" for c in text):
        return "ids are ASCII letters, digits and _ (the Chinese belongs in name)"
    return ""


_NUMBER = r"([0-9]+(?:\.[0-9]+)?)"
_MINUTES = re.compile(rf"{_NUMBER}\s*(分钟|分|min|mins|minutes?|m)\.?", re.IGNORECASE)
_HOURS = re.compile(rf"{_NUMBER}\s*(小时|个小时|h|hrs?|hours?)\.?", re.IGNORECASE)
_COUNT = re.compile(rf"{_NUMBER}\s*(人|户|个|起|名|辆|台|次|mm|毫米|万元|元)")
_TEN_THOUSANDS = re.compile(rf"{_NUMBER}\s*万(户|人)?")
_GROUPED = re.compile(r"[0-9]{1,3}(?:[,，][0-9]{3})+(?:\.[0-9]+)?")


def number_hint(value: Any) -> str:
    """`` (write the minutes as a bare number: 30)`` for ``'30分钟'``, and the like
    for hours, counts with a unit (``80人``), ``1万`` and ``10,000``."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if match := _MINUTES.fullmatch(text):
        return f" (write the minutes as a bare number: {match.group(1)})"
    if match := _HOURS.fullmatch(text):
        minutes = float(match.group(1)) * 60
        return f" (times are minutes, written as a bare number: {minutes:g} for {text})"
    if match := _TEN_THOUSANDS.fullmatch(text):
        number = float(match.group(1)) * 10_000
        return f" (write the number in digits alone: {number:g})"
    if match := _COUNT.fullmatch(text):
        return f" (write the number alone, without its unit: {match.group(1)})"
    if _GROUPED.fullmatch(text):
        return f" (write the number without separators: {re.sub('[,，]', '', text)})"
    folded = text.translate(_FULL_WIDTH_DIGITS)
    if folded != text and re.fullmatch(r"-?[0-9.]+", folded):
        return f" (full-width digits: write {folded})"
    return ""


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－", "0123456789.-")
