"""``cmdsim run --lang zh``: the timeline and summary in Chinese, the log in its own words."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cmdsim.cli import main
from cmdsim.io import load_scenario
from cmdsim.report.labels_zh import ZH
from cmdsim.report.run_words import timeline_words
from cmdsim.sim import format_timeline, simulate
from cmdsim.sim.events import EventKind
from cmdsim.sim.moments import clock
from cmdsim.sim.timeline import detail_words, display_names

ROOT = Path(__file__).resolve().parents[1]
DRILLS = ("flood-typhoon", "gas", "traffic", "compound-typhoon", "typhoon-landfall")
ENGLISH_TEXT = re.compile(r"(?<![\w-])[A-Za-z]{2,},? [A-Za-z]+(?![\w-])", re.ASCII)
"""Two English words in a row: a phrase, not ids (``gas_hq, hq``) or a level."""
LINE = re.compile(r"^(\d\d:\d\d(?: [+-]\d+天)?)  (?:\[[^\]]+\] )?(.+?)：(\S+)(?:  (.*))?$")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def gas_zh() -> str:
    result = invoke("run", str(ROOT / "scenarios" / "gas.yaml"), "--lang", "zh")
    assert result.exit_code == 0, result.output
    return result.output


def test_every_timeline_line_reads_in_chinese(gas_zh: str) -> None:
    """Each event line: a clock time, the actor, a Chinese kind word, Chinese keys."""
    kinds = {word for key, word in ZH.items() if key.startswith("ek.")}
    keys = {word for key, word in ZH.items() if key.startswith("key.")}
    lines = gas_zh.split("事件（自事发起")[0].splitlines()
    assert len(lines) > 50
    for line in lines:
        if "=" in line and not re.match(r"^\d\d:\d\d", line):
            continue  # a detail value's text wrapped onto the next line
        match = LINE.match(line)
        assert match, line
        assert match.group(3) in kinds, line
        for pair in (match.group(4) or "").split(" "):
            if "=" in pair and not pair.startswith(("内容=",)):
                assert pair.split("=", 1)[0] in keys, line


def test_the_summary_reads_in_chinese(gas_zh: str) -> None:
    assert "事件（自事发起，分钟；级别：首次→最高）" in gas_zh
    assert re.search(r"信息报送：初报按时\d+、迟报\d+、漏报\d+", gas_zh)
    assert "总指挥部接管：" in gas_zh and "覆盖空白：0" in gas_zh
    for english in ("reports:", "general HQ takeover", "coverage gaps", "level_decided", "initial"):
        assert english not in gas_zh


def test_english_is_the_log_unchanged() -> None:
    """Without --lang the text is the engine's own words, as before (the default)."""
    scenario = load_scenario(ROOT / "scenarios" / "gas.yaml")
    result = simulate(scenario, 0)
    names = display_names(scenario)
    assert format_timeline(result, names, timeline_words("en")) == format_timeline(result, names)
    output = invoke("run", str(ROOT / "scenarios" / "gas.yaml")).output
    assert "level_decided" in output and "reports: initial " in output


def test_same_events_whatever_the_language() -> None:
    """The words change, the lines do not: one line per event, at the same clock time."""
    scenario = load_scenario(ROOT / "scenarios" / "traffic.yaml")
    result = simulate(scenario, 3)
    names = display_names(scenario)
    en = format_timeline(result, names).splitlines()
    zh = format_timeline(result, names, timeline_words("zh")).splitlines()
    assert len(en) == len(zh) == len(result.events)
    assert [line[:5] for line in en] == [line[:5] for line in zh]


@pytest.mark.parametrize("drill", DRILLS)
def test_every_kind_and_key_a_drill_writes_has_a_chinese_word(drill: str) -> None:
    """A new event kind or detail key the bundled drills write needs its word in
    labels_zh (``ek.*``, ``key.*``), or the Chinese timeline shows English."""
    result = simulate(load_scenario(ROOT / "scenarios" / f"{drill}.yaml"), 0)
    words = timeline_words("zh")
    missing = {
        key
        for event in result.events
        for key, value in event.details
        if key != "known" and value is not None and key not in words.keys
    }
    assert not missing, f"add key.<name> to report/labels_zh.py for {sorted(missing)}"
    assert all(kind.value in words.kinds for kind in EventKind)
    # Nor English free text in a value: the engine logs why a rule held as a
    # kind and facts (``reason=hqs_active``), which the words phrase; what a
    # scenario's author wrote (an inject's text) is theirs and stays.
    english = {
        f"{event.kind}: {key}={value}"
        for event in result.events
        for key, value in detail_words(event.details, words)
        if key != words.keys["text"] and ENGLISH_TEXT.search(value)
    }
    assert not english, f"English in the Chinese timeline: {sorted(english)[:5]}"


def test_out_writes_the_timeline_in_the_language_and_the_log_in_its_own(tmp_path: Path) -> None:
    out = tmp_path / "run"
    result = invoke("run", str(ROOT / "scenarios" / "gas.yaml"), "--lang", "zh", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "确定响应级别" in (out / "timeline.txt").read_text(encoding="utf-8")
    assert '"kind": "level_decided"' in (out / "events.jsonl").read_text(encoding="utf-8")
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["lang"] == "zh"
    report = invoke("report", str(out), "--format", "md", "-o", str(tmp_path / "r.md"))
    assert report.exit_code == 0, report.output


def test_a_bad_language_is_refused_with_exit_2() -> None:
    result = invoke("run", "--lang", "fr")
    assert result.exit_code == 2
    assert "'fr' is not one of 'en', 'zh'" in result.output


def test_a_later_day_reads_in_chinese() -> None:
    import datetime as dt

    start = dt.datetime(2024, 9, 19, 20, 0)
    assert clock(start, 255.0, lang="zh") == "00:15 +1天"
    assert clock(start, 255.0) == "00:15 +1d"
    assert clock(None, 95.0, lang="zh") == "开始后01:35"
