"""The drill console's words in the facilitator's language (``cmdsim drill --lang``).

The console's own lines — headers, prompts, the clock, decisions, criteria,
errors it finds in what is typed — come from a :class:`ConsoleWords`
(:data:`ENGLISH`, :data:`CHINESE`); the events it shows read in the words
of a run's timeline (:class:`~cmdsim.sim.timeline.TimelineWords`), which the
CLI takes from the report's tables (:func:`cmdsim.report.run_words.timeline_words`:
exercise may not import report), so an event reads alike in ``cmdsim run
--lang zh`` and in the drill.  The log keeps the engine's words whatever
the console shows.  Keys typed at a prompt stay as they are (``n``, ``c``,
``yes``, ``none``, ``I``…); a Chinese room may also answer ``是``/``否``
and ``无``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from cmdsim.exercise.criteria import Status
from cmdsim.exercise.policy import GENERAL_HQ, LEAD_HQ, Decision
from cmdsim.sim.reasons import FACT_KEYS, logged_reason
from cmdsim.sim.timeline import LOG_WORDS, TimelineWords


@attrs.frozen
class ConsoleWords:
    """Every line the console writes of its own, in one language: plain text
    or ``str.format`` templates (the field names say what they fill)."""

    lang: str
    title: str
    help_hint: str
    roles: Mapping[str, str]
    nobody: str
    decision: str
    known_none: str
    recorded: str
    plan_note: str
    choices: Mapping[str, str]
    lower: str
    level_activate: str
    none: str
    levels_hqs: str
    level_prompt: str
    hqs_prompt: str
    no_hq: str
    did_you_mean: str
    alternatives: str
    takeover_holds: str
    takeover_rule: str
    take_over_prompt: str
    worse: str
    request_prompt: str
    eased: str
    lower_prompt: str
    bad_level: str
    yes_no: str
    inject_usage: str
    inject_minutes: str
    inject_level: str
    inject_added: str
    paused: str
    step_usage: str
    play_usage: str
    key_only: str
    every_event: str
    unknown_command: str
    criterion: str
    criteria_title: str
    columns: tuple[str, str, str, str, str]
    marks: Mapping[Status, str]
    help: str | None = None
    """The command list (``None``: the console's own, from its docstring)."""
    yes: tuple[str, ...] = ("y", "yes")
    no: tuple[str, ...] = ("n", "no")
    nones: tuple[str, ...] = ("none",)
    keys: Mapping[str, str] = attrs.field(factory=dict)
    """Detail keys the drill shows that a run's timeline does not (``known``)."""
    values: Mapping[tuple[str, str], str] = attrs.field(factory=dict)
    """Detail values likewise: the players' choices and roles, by ``(key, value)``."""


ENGLISH = ConsoleWords(
    lang="en",
    title="[bold]Drill: {title}[/]  seed {seed}  playing: {roles}",
    help_hint="type h for help",
    roles={},
    nobody="nobody",
    decision=(
        "[bold green]DECISION[/] {role} for {incident} at {time:.1f} min ({when})  known: {known}"
    ),
    known_none="-",
    recorded="  recorded: {decision}  (the plan's rule: {planned})",
    plan_note="(Enter: the plan's rule decides)",
    choices={
        "take_over": "take over coordination now",
        "decline": "decline the takeover for now",
        "request": "request escalation (the duty room decides)",
        "hold": "hold the level",
        "close": "close the response",
    },
    lower="lower the level to {level}",
    level_activate="level {level}; activate {hqs}",
    none="none",
    levels_hqs="  levels: {levels}   HQs: {hqs}",
    level_prompt="  level [{levels}] {plan}: ",
    hqs_prompt="  activate HQs, comma-separated, or none {plan}: ",
    no_hq="  no HQ {name!r} in the district{hint}",
    did_you_mean=" (did you mean {close}?)",
    alternatives=" or ",
    takeover_holds="the takeover rule holds",
    takeover_rule="  the general plan's takeover rule holds ({reason})",
    take_over_prompt="  take over coordination now? [yes/no] {plan}: ",
    worse="  reassessment at level {current}: the situation is worse",
    request_prompt="  request escalation? [yes/no] {plan}: ",
    eased="  reassessment at level {current}: the situation has eased",
    lower_prompt="  level [{choices}] (none closes the response) {plan}: ",
    bad_level="{error}",
    yes_no="  [red]answer yes or no[/]",
    inject_usage="usage: i MINUTES [hazard=H] [town=T] [level=L] [to=R] MESSAGE",
    inject_minutes="minutes: {minutes} is not 0 or more minutes from now",
    inject_level="a level is what an incident report asks for: give its hazard",
    inject_added="  inject {ident} at {at:.1f} min added",
    paused="[yellow]paused[/]",
    step_usage="[red]usage: s MINUTES (more than 0)[/]",
    play_usage="[red]usage: p [MINUTES PER SECOND] (more than 0)[/]",
    key_only="  showing key events only",
    every_event="  showing every event",
    unknown_command="[red]unknown command {command}[/] (h for help)",
    criterion="  criterion {criterion}: {mark} — {text}{note}",
    criteria_title="Evaluation criteria",
    columns=("criterion", "status", "start", "deadline", "done"),
    marks={
        Status.MET: "[green]✔ met[/]",
        Status.MISSED: "[red]✘ missed[/]",
        Status.PENDING: "[yellow]… pending[/]",
        Status.WAITING: "[dim]waiting[/]",
        Status.NOT_TRIGGERED: "[dim]not triggered[/]",
    },
)
"""The console's words as it has always written them."""

_HELP_ZH = """
    n | next          前进到下一事件
    s N | +N          前进 N 分钟
    c | continue      运行到下一决策（或演练结束）
    p | play [速度]   按实时运行，每秒 速度 个模拟分钟（默认 10）；Ctrl-C 暂停
    i 分钟 内容       在 分钟 分钟后加一条情景注入（发至总值班室）；
                      i 分钟 hazard=灾种 town=街镇 level=级别 to=接收方 内容：
                      一份事件报告（灾种、街镇填编号或名称）；deaths=4
                      households=12000 …：报告所述数字
    k | criteria      显示评估标准
    f | filter        只显示关键事件（事发、知悉、级别、指挥部、接管、时限、
                      注入、决策），或显示全部
    h | help          本列表
    q | quit          结束演练（其余按预案模拟）；在任何提示处输入 q、
                      输入结束或 Ctrl-C 都会结束演练
"""

_ROLES_ZH = {"duty-room": "总值班室", GENERAL_HQ: "区应急总指挥部", LEAD_HQ: "牵头指挥部"}

CHINESE = ConsoleWords(
    lang="zh",
    title="[bold]演练：{title}[/]  随机种子 {seed}  扮演角色：{roles}",
    help_hint="输入 h 查看帮助",
    roles=_ROLES_ZH,
    nobody="无",
    decision=(
        "[bold green]决策[/] {role}，事件 {incident}，开始后 {time:.1f} 分钟（{when}）"
        "  已知：{known}"
    ),
    known_none="无",
    recorded="  已记录：{decision}（预案规则：{planned}）",
    plan_note="（回车：按预案规则）",
    choices={
        "take_over": "现在接管统一指挥协调",
        "decline": "暂不接管",
        "request": "请求提升响应级别（由总值班室决定）",
        "hold": "维持响应级别",
        "close": "结束响应",
    },
    lower="响应级别降至{level}级",
    level_activate="{level}级响应；启动 {hqs}",
    none="无",
    levels_hqs="  可选级别：{levels}   指挥部：{hqs}",
    level_prompt="  响应级别 [{levels}]{plan}：",
    hqs_prompt="  启动的指挥部，以逗号分隔，或 none/无{plan}：",
    no_hq="  本区没有指挥部 {name!r}{hint}",
    did_you_mean="（是否指 {close}？）",
    alternatives=" 或 ",
    takeover_holds="接管条件已满足",
    takeover_rule="  总体预案的接管条件已满足（{reason}）",
    take_over_prompt="  现在由区应急总指挥部接管统一指挥协调？[yes/no]{plan}：",
    worse="  {current}级响应下的评估：态势加重",
    request_prompt="  请求提升响应级别？[yes/no]{plan}：",
    eased="  {current}级响应下的评估：态势缓解",
    lower_prompt="  响应级别 [{choices}]（none 结束响应）{plan}：",
    bad_level="无效的响应级别 {answer!r}：应为 I、II、III、IV 之一",
    yes_no="  [red]请回答 yes 或 no（是/否）[/]",
    inject_usage="用法：i 分钟 [hazard=灾种] [town=街镇] [level=级别] [to=接收方] 内容",
    inject_minutes="分钟：{minutes} 不是从现在起 0 或更多分钟",
    inject_level="级别是事件报告所请求的：请给出其灾种（hazard）",
    inject_added="  已添加情景注入 {ident}，开始后 {at:.1f} 分钟",
    paused="[yellow]已暂停[/]",
    step_usage="[red]用法：s 分钟数（大于 0）[/]",
    play_usage="[red]用法：p [每秒模拟分钟数]（大于 0）[/]",
    key_only="  只显示关键事件",
    every_event="  显示全部事件",
    unknown_command="[red]未知命令 {command}[/]（输入 h 查看帮助）",
    criterion="  评估标准 {criterion}：{mark} — {text}{note}",
    criteria_title="评估标准",
    columns=("评估标准", "状态", "开始", "时限", "完成"),
    marks={
        Status.MET: "[green]✔ 达成[/]",
        Status.MISSED: "[red]✘ 未达成[/]",
        Status.PENDING: "[yellow]… 进行中[/]",
        Status.WAITING: "[dim]等待中[/]",
        Status.NOT_TRIGGERED: "[dim]未触发[/]",
    },
    help=_HELP_ZH,
    yes=("y", "yes", "是"),
    no=("n", "no", "否"),
    nones=("none", "无"),
    keys={
        "activate": "启动",
        "known": "已知",
        "casualties": "伤亡",
        "missing": "失联",
        "injuries": "受伤",
        "proposed": "预案规则级别",
    },
    values={
        **{("role", role): word for role, word in _ROLES_ZH.items()},
        ("choice", "take_over"): "接管",
        ("choice", "decline"): "暂不接管",
        ("choice", "request"): "请求升级",
        ("choice", "hold"): "维持级别",
        ("choice", "lower"): "降低级别",
        ("choice", "close"): "结束响应",
    },
)
"""The console's words in Chinese, with the domain's terms (总值班室,
区应急总指挥部, 牵头指挥部, 情景注入)."""

WORDS = {"en": ENGLISH, "zh": CHINESE}


def console_words(lang: str) -> ConsoleWords:
    """The console's words in ``lang`` (``en`` or ``zh``)."""
    return WORDS[lang]


def role_word(role: str, words: ConsoleWords) -> str:
    """A role as the console names it (``duty-room``; ``总值班室``)."""
    return words.roles.get(role, role)


def decision_words(decision: Decision, words: ConsoleWords) -> str:
    """One line for a decision in ``words`` (in English, as the log shows it:
    :func:`cmdsim.exercise.policy.decision_text`)."""
    level = decision.level.value if decision.level else words.none
    if decision.choice == "lower":
        return words.lower.format(level=level)
    if decision.choice is not None:
        return words.choices.get(decision.choice, decision.choice)
    return words.level_activate.format(level=level, hqs=", ".join(decision.activate) or words.none)


def details_text(
    details: Mapping[str, Any],
    timeline: TimelineWords = LOG_WORDS,
    extra: ConsoleWords | None = None,
    *,
    known: bool = False,
) -> str:
    """An event's details (or, ``known``, a decision point's) as the console
    shows them: ``key=value`` in the timeline's words, sorted by key, why a
    rule held phrased (``reason=3 HQs active``), an event's empty values
    left out; the log's own words in English.  In another language a list of
    ``[name, value]`` pairs (what a room knew) reads ``name value``.  A
    decision point has always shown the HQs ``active`` beside its reason."""
    reason = logged_reason(details)
    keys = {**(extra.keys if extra else {}), **timeline.keys}
    values = {**(extra.values if extra else {}), **timeline.values}
    facts = ("at_level",) if known else FACT_KEYS
    parts = []
    for key, value in sorted(details.items()):
        if (not known and value in (None, "", [])) or (reason is not None and key in facts):
            continue
        if reason is not None and key == "reason":
            value = reason.text(timeline.reasons)
        elif timeline.lang != "en":
            value = _value_text(key, value, values, keys)
        parts.append(f"{keys.get(key, key)}={value}")
    return ", ".join(parts)


def _value_text(
    key: str, value: Any, values: Mapping[tuple[str, str], str], keys: Mapping[str, str]
) -> str:
    if isinstance(value, list) and all(isinstance(v, list) and len(v) == 2 for v in value):
        return "、".join(
            f"{keys.get(str(k), k)} {_value_text(str(k), v, values, keys)}" for k, v in value
        )
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return values.get((key, str(value)), str(value))
