"""The columns an MSEL sheet may have: the inject fields a row can fill and
the header names (HSEEP's and a Chinese sheet's) that are tried for each."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Any

from cmdsim.errors import LoadError, Problem

FIELDS: tuple[str, ...] = (
    "id",
    "at",
    "source",
    "to",
    "channel",
    "message",
    "expect",
    "objective",
    "hazard",
    "town",
    "level",
)
"""The inject fields an MSEL row can fill (``at`` is the time)."""

PLACES = ("hazard", "town")
"""The fields that name a place of the district, by id or name (see
:func:`cmdsim.exercise.msel_places.resolve_places`)."""

FIGURE_COLUMNS: dict[str, tuple[str, ...]] = {
    "deaths": ("Deaths", "Dead", "死亡", "死亡人数"),
    "serious_injuries": (
        "Serious Injuries",
        "Seriously Injured",
        "Serious_Injuries",
        "重伤",
        "重伤人数",
    ),
    "direct_loss": (
        "Direct Loss",
        "Direct Loss (million yuan)",
        "Direct_Loss",
        "直接经济损失",
        "直接经济损失(百万元)",
        "直接经济损失（百万元）",
    ),
    "households": ("Households", "受影响户数", "户数"),
    "rainfall": ("Rainfall", "Rainfall (mm/h)", "雨量", "降雨量", "小时雨量"),
    "traffic_cut_hours": (
        "Traffic Cut Hours",
        "Road Closed Hours",
        "Traffic_Cut_Hours",
        "交通中断小时",
        "交通中断时长",
    ),
    "supply_cut_hours": (
        "Supply Cut Hours",
        "Supply_Cut_Hours",
        "停供小时",
        "供应中断时长",
    ),
}
"""An MSEL sheet's figure columns: one column per figure an inject's message
states (the names of :data:`cmdsim.model.scenario.FIGURE_NAMES`), a number in
the row's cell or the cell left empty; the headers tried for each."""

FIGURE_FIELDS: tuple[str, ...] = tuple(FIGURE_COLUMNS)
"""The figure columns' fields (they may be mapped with ``columns`` too)."""

FIELD_ALIASES: dict[str, str] = {
    "time": "at",
    "from": "source",
    "method": "channel",
    "expected_action": "expect",
}
"""The names an MSEL's YAML and the docs give some fields (``--column
time=…`` maps ``at``)."""


def mapped_field(name: str) -> str | None:
    """The field ``--column NAME=…`` (or ``columns``) maps: a field, a
    figure or an alias of a field; ``None`` for none of them."""
    name = FIELD_ALIASES.get(name, name)
    return name if name in FIELDS or name in FIGURE_FIELDS else None


def column_name(field: str) -> str:
    """The name a person writes for a field (``from`` for ``source``)."""
    return next((alias for alias, f in FIELD_ALIASES.items() if f == field), field)


MANDATORY: tuple[str, ...] = ("at", "source", "to", "message")
"""Fields every row must have: the time, from, to and the message."""

DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": (
        "Event #",
        "Event No",
        "Event Number",
        "Inject #",
        "Inject No",
        "MSEL #",
        "ID",
        "#",
        "序号",
        "编号",
        "事件编号",
    ),
    "at": (
        "Time",
        "Scenario Time",
        "Inject Time",
        "Delivery Time",
        "Designated Scenario Time",
        "时间",
        "情景时间",
        "注入时间",
        "推送时间",
    ),
    "source": (
        "From",
        "Originator",
        "Simulated Sender",
        "发送方",
        "发送单位",
        "信息来源",
        "来源",
    ),
    "to": (
        "To",
        "Recipient",
        "Player",
        "Intended Player",
        "接收方",
        "接收单位",
        "接收人",
    ),
    "channel": (
        "Method",
        "Delivery Method",
        "Mode",
        "Channel",
        "方式",
        "传递方式",
        "渠道",
    ),
    "message": (
        "Message",
        "Event Description",
        "Inject",
        "Description",
        "Event",
        "内容",
        "情景内容",
        "信息内容",
        "事件描述",
    ),
    "expect": (
        "Expected Action",
        "Expected Player Action",
        "Expected Outcome",
        "预期行动",
        "预期处置",
        "预期结果",
    ),
    "objective": (
        "Objective",
        "Objectives",
        "Core Capability",
        "Capability",
        "目标",
        "演练目标",
        "考核要点",
    ),
    "hazard": (
        "Hazard",
        "灾种",
    ),
    "town": (
        "Town",
        "街镇",
    ),
    "level": (
        "Level",
        "Response Level",
        "响应级别",
        "级别",
    ),
    **FIGURE_COLUMNS,
}
"""HSEEP-style header names tried for each field, first match wins (case-insensitive);
then the names a Chinese MSEL sheet uses (序号, 时间, 发送方, 接收方, 内容 …)."""


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def find_columns(
    header: Sequence[Any], columns: Mapping[str, Sequence[str]]
) -> dict[str, tuple[int, str]]:
    """Field -> (0-based column index, header as written) for each mapped field."""
    normal = [cell_text(h).lower() for h in header]
    found: dict[str, tuple[int, str]] = {}
    for field, names in columns.items():
        for name in names:
            key = name.strip().lower()
            if key in normal:
                index = normal.index(key)
                found[field] = (index, cell_text(header[index]))
                break
    return found


def near_miss_headers(
    header: Sequence[Any],
    found: Mapping[str, tuple[int, str]],
    mapping: Mapping[str, Sequence[str]],
    file: str,
    line: int,
) -> list[Problem]:
    """A header one slip from a known one of a field the sheet has no column
    for (``灾钟`` for ``灾种``, ``Hazzard``), each a problem at its cell.

    Such a column would be skipped like any column cmdsim does not read (an
    HSEEP sheet's notes), and its hazards, towns or figures lost without a
    word.  A header near a field already found is another column, as is one
    near nothing; the problem's path is the header as written.
    """
    used = {index for index, _name in found.values()}
    problems: list[Problem] = []
    for index, cell in enumerate(header):
        text = cell_text(cell)
        if not text or index in used:
            continue
        for field, names in mapping.items():
            if field in found:
                continue
            near = [n for n in names if is_near(text, n)]
            if near:
                problems.append(
                    Problem(
                        f"no MSEL column is called {text!r}: did you mean {near[0]!r} "
                        f"({column_name(field)})? Rename the header, or map it with "
                        f"--column {column_name(field)}={text!r}",
                        text,
                        file,
                        line,
                        index + 1,
                    )
                )
                break
    return problems


def is_near(written: str, known: str) -> bool:
    """One slip apart: a character changed, added or dropped (``灾钟``,
    ``街真``, ``Twon`` is two: a swap), or a long name close enough by
    :mod:`difflib`."""
    a, b = written.strip().casefold(), known.strip().casefold()
    if a == b or not a or not b:
        return False
    if len(a) == len(b) >= 2:
        if sum(x != y for x, y in zip(a, b, strict=True)) == 1:
            return True
        swapped = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(swapped) == 2 and swapped[1] == swapped[0] + 1:
            i = swapped[0]
            return a[i] == b[i + 1] and a[i + 1] == b[i]
    elif abs(len(a) - len(b)) == 1:
        short, long = (a, b) if len(a) < len(b) else (b, a)
        if any(long[:i] + long[i + 1 :] == short for i in range(len(long))):
            return min(len(a), len(b)) >= 2
    return len(b) >= 8 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def column_mapping(
    overrides: Mapping[str, str | Sequence[str]] | None = None,
) -> dict[str, tuple[str, ...]]:
    """The default HSEEP mapping with ``overrides`` (field -> header name[s]) applied."""
    mapping = dict(DEFAULT_COLUMNS)
    known = (*FIELDS, *FIGURE_FIELDS)
    for name, names in (overrides or {}).items():
        field = mapped_field(name)
        if field is None:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise LoadError(
                [
                    Problem(
                        f"unknown MSEL field {name!r} ({hint}known: {', '.join(known)})",
                        "columns",
                    )
                ]
            )
        mapping[field] = (names,) if isinstance(names, str) else tuple(names)
    return mapping
