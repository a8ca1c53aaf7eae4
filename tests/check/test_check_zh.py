"""``cmdsim check --lang zh``: every kind has Chinese words, the templates
match their call sites, the bundled scenarios' findings read in Chinese
with no English sentence left, and English output is what it was."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import cmdsim.io as io
from cmdsim import bundled
from cmdsim.check import KINDS, check, kinds_zh, words_en, words_zh
from cmdsim.check.findings import finding
from cmdsim.check.words import Join, fallback, fields, keys_in, render, say
from cmdsim.cli import main

HERE = Path(__file__).resolve().parent
CORPUS = (HERE / "flawed", HERE / "stub", HERE / "flawed_scenario/scenario.yaml")

IDENTIFIER = re.compile(
    r"'[^']*'"  # an id as repr writes it
    r"|`[^`]*`"  # a YAML snippet
    r"|[\w.\-]*[_.\[\]\d/][\w.\-\[\]/]*"  # a field path, a file, a number, an id_with_underscores
    r"|\bCMD\d{3}\b|\b(?:I|II|III|IV)\b"  # a code, a level
)
"""What an English word in Chinese output may be part of: identifiers and
field paths, kept as the plans write them.  Whatever is left that is a run
of two or more English words is a sentence left untranslated."""

SENTENCE = re.compile(r"[A-Za-z]+(?:[ ,:;()-]+[A-Za-z]+)+")


def english_left(text: str) -> list[str]:
    """Runs of two or more English words in ``text`` outside identifiers."""
    return SENTENCE.findall(IDENTIFIER.sub(" ", text))


def test_the_detector_tells_a_sentence_from_identifiers() -> None:
    assert english_left("预案 'flood_plan' 的 plans[2].reports 在 IV 级 `min_level: I`") == []
    assert english_left("gas 由 'x' 主管；CMD061") == []
    assert english_left("预案 'x' governs no incident") == ["governs no incident"]


# Kinds whose messages are still English in Chinese output: a kind made with
# an English sentence (``finding(code, "…", path)``) instead of a template
# (``say``) must be listed here, so the gap is visible.  None is left.
STILL_ENGLISH: set[str] = set()


def test_every_kind_has_chinese_title_why_and_fix() -> None:
    missing = sorted(set(KINDS) - set(kinds_zh.KINDS))
    assert missing == [], f"kinds without Chinese title, why and fix: {missing}"
    assert sorted(set(kinds_zh.KINDS) - set(KINDS)) == []
    for code, (title, why, fix) in kinds_zh.KINDS.items():
        for text in (title, why, fix):
            assert text and english_left(text) == [], (code, text)


def test_every_chinese_template_has_an_english_one_with_its_fields() -> None:
    assert sorted(set(words_zh.TEMPLATES) - set(words_en.TEMPLATES)) == []
    for key, template in words_zh.TEMPLATES.items():
        # A Chinese template may leave out what only English needs (a plural's "s").
        extra = fields(template) - fields(words_en.TEMPLATES[key])
        assert not extra, f"{key}: the Chinese uses {sorted(extra)}, no call site gives them"
        assert english_left(re.sub(r"\{[^}]*\}", " ", template)) == [], (key, template)


def test_no_template_falls_back_to_english() -> None:
    assert fallback("zh") == set()


@pytest.fixture(scope="module")
def corpus_findings():  # type: ignore[no-untyped-def]
    out = []
    for root in CORPUS:
        loaded = io.load_with_locations(root)
        unincluded = io.unincluded(root, loaded) if root.is_dir() else None
        out.extend(check(loaded.value, loaded.locations, unincluded=unincluded).findings)
    return out


def test_which_kinds_still_fall_back_to_english(corpus_findings) -> None:  # type: ignore[no-untyped-def]
    # The flawed corpus makes every kind; a kind made without a template is
    # shown in English in Chinese output, and is listed in STILL_ENGLISH.
    english = {f.code for f in corpus_findings if f.phrase is None}
    assert {f.code for f in corpus_findings} == set(KINDS)
    assert english == STILL_ENGLISH


def test_every_templated_finding_renders_in_both_languages(corpus_findings) -> None:  # type: ignore[no-untyped-def]
    for f in corpus_findings:
        if f.phrase is None:
            continue
        assert render(f.phrase, "en") == f.message
        zh = f.text("zh")
        assert zh != f.message and english_left(zh) == [], (f.code, zh)
        assert set(keys_in(f.phrase)) <= set(words_zh.TEMPLATES)


def test_a_call_site_whose_parameters_miss_the_template_fails() -> None:
    with pytest.raises(TypeError, match="CMD062"):
        say("CMD062", town="t", hazard="gas")
    with pytest.raises(TypeError):
        say("CMD062")
    with pytest.raises(KeyError):
        say("CMD062.none", town="t")


def test_a_finding_keeps_its_parameters_and_is_hashable() -> None:
    made = finding("CMD062", say("CMD062", town="pudong"), "towns[0].plan_set.general")
    assert made.params == {"town": "pudong"}
    assert made.message == "town 'pudong' has no general plan"
    assert made.text("zh") == "街镇 'pudong' 没有总体预案"
    assert hash(made) == hash(finding("CMD062", say("CMD062", town="pudong"), made.path))


def test_lists_are_joined_in_each_language() -> None:
    assert render(Join(["a", "b"]), "en") == "a, b"
    assert render(Join(["a", "b"]), "zh") == "a、b"
    assert render(Join(["a", "b"], "; "), "zh") == "a；b"


BUNDLED = sorted(p.name for p in bundled.root().glob("*.yaml"))


@pytest.mark.parametrize("name", BUNDLED)
def test_a_bundled_scenario_checks_in_chinese_with_no_english_sentence(name: str) -> None:
    result = CliRunner().invoke(
        main, ["check", "--lang", "zh", "--json", str(bundled.path(name))], catch_exceptions=False
    )
    doc = json.loads(result.output)
    assert doc["reports"], result.output
    for report in doc["reports"]:
        assert report["findings"]
        for item in report["findings"]:
            # Machine fields stay in English; the words a planner reads are Chinese.
            assert item["code"] in KINDS and item["severity"] in ("error", "warning", "info")
            for key in ("title", "message", "why"):
                assert english_left(item[key]) == [], (item["code"], key, item[key])


def test_text_output_in_chinese_has_chinese_headings_and_counts() -> None:
    result = CliRunner().invoke(
        main, ["check", "--lang", "zh", str(bundled.path("typhoon-landfall.yaml"))]
    )
    out = result.output
    assert "覆盖矩阵" in out and "严重程度" in out and "个错误" in out
    assert "coverage matrix" not in out and "errors," not in out
    assert "on a signal" not in out and "，凭信号" in out


def test_sarif_in_chinese_names_its_language_and_keeps_rule_ids() -> None:
    path = str(bundled.path("gas.yaml"))
    zh = json.loads(
        CliRunner().invoke(main, ["check", "--lang", "zh", "--format", "sarif", path]).output
    )
    en = json.loads(CliRunner().invoke(main, ["check", "--format", "sarif", path]).output)
    run_zh, run_en = zh["runs"][0], en["runs"][0]
    assert run_zh["language"] == "zh-CN" and "language" not in run_en
    rules_zh, rules_en = run_zh["tool"]["driver"]["rules"], run_en["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules_zh] == [r["id"] for r in rules_en]
    assert [r["name"] for r in rules_zh] == [r["name"] for r in rules_en]
    assert rules_zh[0]["shortDescription"]["text"] == kinds_zh.KINDS["CMD001"][0]
    assert [r["ruleId"] for r in run_zh["results"]] == [r["ruleId"] for r in run_en["results"]]


def test_english_is_the_default_and_unchanged() -> None:
    path = str(bundled.path("gas.yaml"))
    default = CliRunner().invoke(main, ["check", "--json", path]).output
    english = CliRunner().invoke(main, ["check", "--lang", "en", "--json", path]).output
    assert default == english
