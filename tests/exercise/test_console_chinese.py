"""``cmdsim drill --lang zh``: every line the console shows is Chinese, bar
what the drill's authors wrote (inject messages and senders, criteria, the
scenario's name) and ids; the log keeps the engine's words and records the
language; English is as it was.

Driven end to end on the bundled compound typhoon drill, where all three
roles are played: its script through the CLI, and the console at the
keyboard answering as the script does (the duty room takes the plan's
answers, the general HQ declines and then takes over, the lead HQ holds).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from cmdsim.cli import main
from cmdsim.exercise.console import DrillConsole
from cmdsim.exercise.console_words import CHINESE, ENGLISH, details_text
from cmdsim.exercise.drill import Exercise
from cmdsim.exercise.run import open_exercise
from cmdsim.report.run_words import timeline_words
from cmdsim.sim.events import EventKind

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "compound-typhoon.yaml"
MSEL = ROOT / "scenarios" / "msel" / "compound-typhoon.yaml"
SCRIPT = ROOT / "scenarios" / "msel" / "compound-typhoon-script.yaml"
PLAY = "duty-room,general-hq,lead-hq"

ENGLISH_TEXT = re.compile(r"(?<![\w-])[A-Za-z]{2,},? [A-Za-z]+(?![\w-])", re.ASCII)
"""Two English words in a row: a phrase, not ids (``gas_hq, hq``) or a level."""
ENGLISH_WORDS = re.compile(
    r"\b(DECISION|recorded|criterion|criteria|known|seed|playing|levels|HQs|met|missed|"
    r"pending|waiting|triggered|paused|usage|showing|unknown|inject|added|minutes|min)\b"
)
"""The console's own English words, one at a time."""
ENGLISH_KEY = re.compile(r"(?<![\w-])[A-Za-z_]+=")
"""A detail key with no Chinese word (``proposed=III``)."""


TYPED = re.compile(r"(?<![\w-])(none|hold|yes/no|none/无|I|II|III|IV)(?![\w-])")
"""Keys a player types, shown as typed in any language, and the levels."""
HELP = set(CHINESE.help.splitlines()) if CHINESE.help else set()
"""The command list: its commands and ``key=`` words are typed as they are."""


def untranslated(lines: list[str], authored: set[str]) -> list[str]:
    """The lines with English in them once the authors' own text and the
    keys a player types are taken out."""
    kinds = [f"  {kind.value}  " for kind in EventKind]
    # The console wraps a long message over lines: an authored text is taken
    # out across the breaks (any run of spaces in it may be a line break).
    shown = [line for line in lines if line not in HELP]
    joined = "\n".join(TYPED.sub("…", line) for line in shown)
    for text in sorted(authored, key=len, reverse=True):
        pattern = r"\s+".join(map(re.escape, text.split()))
        joined = re.sub(pattern, lambda m: "…" + "\n" * m.group().count("\n"), joined)
    bad = []
    for line, rest in zip(shown, joined.split("\n"), strict=True):
        if (
            ENGLISH_TEXT.search(rest)
            or ENGLISH_WORDS.search(rest)
            or ENGLISH_KEY.search(rest)
            or any(kind in rest for kind in kinds)
        ):
            bad.append(line)
    return bad


def authored(exercise: Exercise) -> set[str]:
    """What the drill's authors wrote, shown as written in any language."""
    spec = exercise.spec
    texts = {exercise.base.name or ""}
    for inject in (*spec.msel.injects, *spec.added, *exercise.base.injects):
        texts |= {inject.message, inject.source, inject.expect or "", inject.objective or ""}
    texts |= {c.text for c in spec.msel.criteria}
    return {t for t in texts if t}


@pytest.fixture(scope="module")
def scripted_zh(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    log = tmp_path_factory.mktemp("zh") / "drill.jsonl"
    args = ["drill", str(SCENARIO), "--msel", str(MSEL), "--script", str(SCRIPT)]
    result = CliRunner().invoke(main, [*args, "--play", PLAY, "--lang", "zh", "--log", str(log)])
    assert result.exit_code == 0, result.output
    return result.output, log


def test_a_scripted_drill_reads_in_chinese_and_logs_in_the_engines_words(
    scripted_zh: tuple[str, Path],
) -> None:
    from cmdsim.exercise.run import replay_exercise

    out, log = scripted_zh
    exercise = replay_exercise(log, None)
    lines = out.splitlines()
    assert len(lines) > 200
    assert not untranslated(lines, authored(exercise)), untranslated(lines, authored(exercise))[:5]
    # declined when three HQs were at work, taken over at four
    assert "不接管  经=演练人员, 原因=3个专项指挥部已启动" in out
    assert "满足接管条件  经=演练人员, 原因=4个专项指挥部已启动" in out
    assert "评估标准" in out and "已写入" in out
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert records[0]["lang"] == "zh"
    kinds = {r["event"]["kind"] for r in records if r["type"] == "event"}
    assert {"takeover_triggered", "level_decided", "decision"} <= kinds
    events = [r["event"] for r in records if r["type"] == "event"]
    triggered = next(e for e in events if e["kind"] == "takeover_triggered")
    assert triggered["details"]["reason"] == "hqs_active"


def test_the_english_log_records_no_language(tmp_path: Path) -> None:
    """English is the default: its log's header is as before, with no ``lang``."""
    log = tmp_path / "drill.jsonl"
    args = ["drill", str(SCENARIO), "--msel", str(MSEL), "--script", str(SCRIPT)]
    result = CliRunner().invoke(main, [*args, "--play", PLAY, "--log", str(log)])
    assert result.exit_code == 0, result.output
    assert "lang" not in json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    # the console's English, as it was
    assert "takeover_triggered  by=player, reason=4 HQs active" in result.output
    assert "Evaluation criteria" in result.output and f"wrote {log}" in result.output


class Keyboard:
    """Answers the console's prompts as the compound typhoon script does, after
    trying each console command once (some wrong on purpose) and a wrong
    answer at each kind of prompt; every prompt is written into the output."""

    def __init__(self, out: io.StringIO, lang: str) -> None:
        self.out = out
        yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
        self.commands = iter(
            [
                "h",
                "k",
                "f",
                "f",
                "x",
                "s 0",
                "p 0",
                "i -5 水位上涨",
                "i 5 level=II 水位上涨",
                "s 30",
            ]
        )
        # the general HQ: a word that is neither, then it declines, then takes over
        self.take_over = iter(["maybe", no, yes])
        self.hold = no  # the lead HQ holds its level rather than request escalation
        self.level_typo = iter(["V"])
        self.hq_typo = iter(["区防汛防台指挥部X" if lang == "zh" else "flood_hqq"])

    def __call__(self, prompt: str) -> str:
        self.out.write(prompt + "\n")
        if prompt == "drill> ":
            return next(self.commands, "c")
        if "[yes/no]" in prompt and ("接管" in prompt or "take over" in prompt):
            return next(self.take_over, "")
        if "[yes/no]" in prompt:
            return self.hold
        if "[" in prompt:
            return next(self.level_typo, "")
        return next(self.hq_typo, "")


def drive(lang: str) -> tuple[list[str], Exercise]:
    """The console at the keyboard through the compound typhoon drill."""
    exercise = open_exercise(SCENARIO, MSEL, PLAY.split(","), 1)
    buffer = io.StringIO()
    console = Console(file=buffer, width=160, color_system=None, highlight=False)
    words = timeline_words(lang)
    DrillConsole(exercise, console, Keyboard(buffer, lang), lambda _s: None, words=words).run()
    return buffer.getvalue().splitlines(), exercise


def test_the_console_at_the_keyboard_reads_in_chinese() -> None:
    lines, exercise = drive("zh")
    text = "\n".join(lines)
    assert not untranslated(lines, authored(exercise) | {"水位上涨"}), untranslated(
        lines, authored(exercise) | {"水位上涨"}
    )[:5]
    # every kind of line came: the header, help, criteria, filter, errors,
    # each role's decision, the takeover's reason, the end
    for shown in (
        "演练：",
        "输入 h 查看帮助",
        "前进到下一事件",
        "只显示关键事件",
        "显示全部事件",
        "未知命令 'x'",
        "用法：s 分钟数",
        "用法：p",
        "不是从现在起 0 或更多分钟",
        "级别是事件报告所请求的",
        "决策 总值班室",
        "决策 区应急总指挥部",
        "总体预案的接管条件已满足（3个专项指挥部已启动）",
        "请回答 yes 或 no",
        "已记录：暂不接管（预案规则：现在接管统一指挥协调）",
        "已记录：现在接管统一指挥协调",
        "态势加重",
        "无效的响应级别 'V'",
        "本区没有指挥部",
        "开始后",
        "✘ 未达成",
    ):
        assert shown in text, shown
    decided = [d for _t, d, by in exercise.spec.decisions.values() if by == "human"]
    assert [d.choice for d in decided if d.choice in ("take_over", "decline")] == [
        "decline",
        "take_over",
    ]


def test_the_console_in_english_is_as_it_was() -> None:
    lines, _exercise = drive("en")
    text = "\n".join(lines)
    for shown in (
        "type h for help",
        "unknown command 'x' (h for help)",
        "usage: s MINUTES (more than 0)",
        "DECISION duty-room for",
        "the general plan's takeover rule holds (3 HQs active)",
        "recorded: decline the takeover for now  (the plan's rule: take over coordination now)",
        "reassessment at level",
        "answer yes or no",
        "Evaluation criteria",
    ):
        assert shown in text, shown
    assert not any("原因" in line or "决策" in line for line in lines)


def test_details_read_as_the_log_in_english_and_in_words_in_chinese() -> None:
    details = {"reason": "level", "at_level": "I", "by": "player", "signal": "red", "n": None}
    assert details_text(details) == "by=player, reason=level I, signal=red"
    zh = timeline_words("zh")
    assert details_text(details, zh, CHINESE) == "经=演练人员, 原因=I级响应, 信号=红色"
    known = {"reason": "hqs_active", "active": "a, b, c", "at_level": "II"}
    assert details_text(known, known=True) == "active=a, b, c, reason=3 HQs active"
    assert ENGLISH.lang == "en" and CHINESE.lang == "zh"
