"""The columns an MSEL sheet may have: the inject fields a row can fill and
the header names (HSEEP's and a Chinese sheet's) that are tried for each."""

from __future__ import annotations

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
