"""The JSON Schema reads a level or a signal exactly as the loader does:
every spelling the loader accepts (``Ⅱ``, ``Ⅱ级``, ``二级``, ``二级响应``,
``RED``) validates, and one it refuses does not.  Both come from one table
(``cmdsim.model.levels``), so they cannot drift apart."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cmdsim.errors import LoadError
from cmdsim.io import json_schema, load
from cmdsim.model import Level, Signal
from cmdsim.model.levels import (
    ALONE,
    LEVEL_NUMERALS,
    LEVEL_SPACES,
    LEVEL_SUFFIXES,
    ROMAN_CHARACTERS,
)

SCHEMA = json_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def schema_reads(name: str, text: Any) -> bool:
    """Whether the schema's definition ``name`` (Level, Signal) takes ``text``."""
    one = jsonschema.Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{name}"})
    return one.is_valid(text)


def loader_reads(cls: type[Level] | type[Signal], text: str) -> Any:
    try:
        return cls.parse(text)
    except ValueError:
        return None


def runs(word: str) -> list[list[str]]:
    """Every way to write ``word`` as runs of the table (brute force, not the module's)."""
    if not word:
        return [[]]
    return [
        [word[:end], *rest]
        for end in range(1, len(word) + 1)
        if word[:end] in ROMAN_CHARACTERS
        for rest in runs(word[end:])
    ]


def spellings(level: Level) -> list[str]:
    """Every spelling of the level the table allows, with one space variant each."""
    heads: list[str] = []
    for split in runs(level.value):
        heads.extend(
            "".join(chars) for chars in itertools.product(*(ROMAN_CHARACTERS[r] for r in split))
        )
    bound = [n for n, v in LEVEL_NUMERALS.items() if v == level.value]
    out = [h + s for h in heads for s in ("", *LEVEL_SUFFIXES)]
    out += [n + s for n in bound for s in LEVEL_SUFFIXES]
    out += [n for n in bound if n in ALONE]
    out += [f"{LEVEL_SPACES}{bound[0]}\u3000{LEVEL_SUFFIXES[0]} ", f" {level.value} 级"]
    return out


@pytest.mark.parametrize("level", list(Level), ids=lambda lv: lv.value)
def test_every_spelling_of_the_table_is_read_by_both(level: Level) -> None:
    written = spellings(level)
    assert len(written) > 20
    for text in written:
        assert loader_reads(Level, text) is level, text
        assert schema_reads("Level", text), text


def test_the_documented_spellings_are_among_them() -> None:
    for text in ("II", "ii", "Ⅱ", "ＩＩ", "Ⅱ级", "II级", "二级", "2级", "二级响应", "二"):
        assert loader_reads(Level, text) is Level.II, text
        assert schema_reads("Level", text), text


REFUSED = [
    "V级",
    "2",
    "２",
    "3 级级",
    "五级",
    "ıı",
    "𝐈𝐈",
    "II级级",
    "Ⅱ 响应",
    "级",
    "",
    "IIII",
    "L2",
]


@pytest.mark.parametrize("text", REFUSED)
def test_a_spelling_the_loader_refuses_the_schema_refuses(text: str) -> None:
    assert loader_reads(Level, text) is None
    assert not schema_reads("Level", text)


ALPHABET = sorted(
    {
        *"".join(ROMAN_CHARACTERS.values()),
        *LEVEL_NUMERALS,
        *"".join(LEVEL_SUFFIXES),
        *LEVEL_SPACES,
        # near misses: letters and numerals that are no level's, other spaces
        *"VXxlL05五ıⅤⅥⅹ\u2003\u200b|",
    }
)


@given(st.text(alphabet=ALPHABET, max_size=7))
def test_the_schema_reads_a_level_exactly_when_the_loader_does(text: str) -> None:
    assert (loader_reads(Level, text) is not None) == schema_reads("Level", text)


@given(
    st.one_of(
        st.sampled_from([s.value for s in Signal]).flatmap(
            lambda word: st.tuples(*(st.sampled_from([c, c.upper()]) for c in word)).map("".join)
        ),
        st.text(alphabet="blueyellowrangdBLUEYELLOWRANGD ı", max_size=7),
    )
)
def test_the_schema_reads_a_signal_exactly_when_the_loader_does(text: str) -> None:
    assert (loader_reads(Signal, text) is not None) == schema_reads("Signal", text)


def test_a_file_with_such_spellings_validates_and_loads(tmp_path: Path) -> None:
    text = """\
id: d
hazards: [{id: gas}]
units: [{id: gas_company}]
commands: [{id: gas_hq, lead_unit: gas_company}]
plans:
  - id: gas_plan
    hazards: [gas]
    lead: gas_hq
    triggers:
      - {level: 二级响应, any_of: ["deaths >= 3"]}
      - {level: Ⅳ级, any_of: ["deaths >= 0"]}
    levels: {Ⅱ级: {}, "iv": {}}
    warnings: {levels: {BLUE: IV}}
"""
    path = tmp_path / "district.yaml"
    path.write_text(text, encoding="utf-8")
    district = load(path)
    plan = district.plans[0]
    assert [t.level for t in plan.triggers] == [Level.II, Level.IV]
    assert set(plan.levels) == {Level.II, Level.IV}
    assert list(VALIDATOR.iter_errors(yaml.safe_load(text))) == []
    # One level the loader refuses: so does the schema, as a value and as a key.
    for bad in (text.replace("Ⅳ级", "Ⅴ级"), text.replace("Ⅱ级: {}", "五级: {}")):
        path.write_text(bad, encoding="utf-8")
        with pytest.raises(LoadError):
            load(path)
        assert list(VALIDATOR.iter_errors(yaml.safe_load(bad)))
