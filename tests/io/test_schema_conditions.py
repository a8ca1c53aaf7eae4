"""The JSON Schema reads a trigger's condition exactly as the loader does:
every sign the loader reads (``≥``, ``＞＝``, full-width letters and digits)
validates, and a value the loader refuses (``1e3``, ``nan``, ``red`` for a
number) does not.  Both come from one table (``CONDITION_FOLDS`` in
``cmdsim.model.conditions``), so they cannot drift apart."""

from __future__ import annotations

import itertools
import math
from typing import Any

import jsonschema
import pytest
from hypothesis import example, find, given, settings
from hypothesis import strategies as st

from cmdsim.errors import ModelError
from cmdsim.io import json_schema
from cmdsim.io.dumping import to_data
from cmdsim.model import ATTRIBUTES, Condition, Op, Signal

CONDITION = jsonschema.Draft202012Validator(
    {"$defs": json_schema()["$defs"], "$ref": "#/$defs/Condition"}
)


def loader_reads(text: str) -> Condition | None:
    try:
        return Condition.parse(text)
    except ModelError:
        return None


def schema_reads(text: Any) -> bool:
    return CONDITION.is_valid(text)


def full_width(character: str) -> str:
    return chr(ord(character) + 0xFEE0)


SMALL = {"<": "\ufe64", ">": "\ufe65", "=": "\ufe66"}


def sign_spellings(op: Op) -> list[str]:
    """Every way to type the sign (written out here, not taken from the module)."""
    forms = [(c, full_width(c), SMALL[c]) for c in op.value]
    out = ["".join(chars) for chars in itertools.product(*forms)]
    out += {Op.GE: ["≥"], Op.LE: ["≤"]}.get(op, [])
    return out


@pytest.mark.parametrize("op", list(Op), ids=lambda op: op.name)
def test_every_spelling_of_every_sign_is_read_by_both(op: Op) -> None:
    spellings = sign_spellings(op)
    assert len(spellings) == 3 ** len(op.value) + (op in (Op.GE, Op.LE))
    for sign in spellings:
        for text, value in (
            (f"deaths {sign} 3", 3.0),
            (f"rainfall{sign}２.５", 2.5),
            (f"\u3000signal {sign} ＲＥＤ ", Signal.RED),
        ):
            condition = loader_reads(text)
            assert condition is not None, text
            assert condition.op is op, text
            assert condition.value == value, text
            assert schema_reads(text), text


def test_full_width_attributes_and_digits_are_read_by_both() -> None:
    text = "ｓｕｐｐｌｙ＿ｃｕｔ＿ｈｏｕｒｓ ＞＝ －１２．５"
    assert loader_reads(text) == Condition("supply_cut_hours", Op.GE, -12.5)
    assert schema_reads(text)


REFUSED = [
    "deaths >= 1e3",  # no exponent: a number is plain decimals
    "deaths >= nan",
    "deaths >= inf",
    "deaths >= 1_000",
    "deaths >= 1,000",
    "deaths >= 3人",
    "deaths >= red",  # a colour for a number
    "signal >= 3",  # a number for a colour
    "signal >= purple",
    "deaths >= 1234567890123456",  # 16 digits before the point
    "deaths = 3",
    "deaths => 3",
    "deaths ≧ 3",  # not a sign the table has
    "deaths >≥ 3",
    "Deaths >= 3",  # attributes are lower case
    "death >= 3",
    "死亡 >= 3",
    "deaths\u2003>= 3",  # an em space: not one of the spaces read
    "deaths >= ³",  # NFKC would read a superscript as 3; the table does not
    "𝐝𝐞𝐚𝐭𝐡𝐬 >= 3",
    "deaths >= 3 4",
    "deaths >= ",
    "",
]


@pytest.mark.parametrize("text", REFUSED)
def test_what_the_loader_refuses_the_schema_refuses(text: str) -> None:
    assert loader_reads(text) is None
    assert not schema_reads(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("deaths >= 1e3", "'1e3' is not a number (write it in plain decimals: 1000)"),
        ("deaths >= 3人", "'3人' is not a number (write the number alone, without its unit: 3)"),
        ("signal >= 3", "'3' is not one of blue, yellow, orange, red"),
        ("death >= 3", "unknown attribute 'death' (known: deaths, serious_injuries, "),
        (
            "deaths\u2003>= 3",
            "'deaths\\u2003>= 3' is not a condition like 'deaths >= 3' (the character"
            " (U+2003) is not read in a condition)",
        ),
        (
            "deaths >= 1234567890123456",
            "'1234567890123456' is not a number (a condition's number has at most 15 digits",
        ),
    ],
)
def test_a_refusal_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ModelError) as caught:
        Condition.parse(text)
    assert caught.value.message.startswith(message)


def _typed(word: str, cases: bool = False) -> st.SearchStrategy[str]:
    """``word`` with each character as typed or full-width (or upper-cased)."""
    forms = (lambda c: [c, full_width(c), c.upper()]) if cases else (lambda c: [c, full_width(c)])
    return st.tuples(*(st.sampled_from(forms(c)) for c in word)).map("".join)


SPACES = st.one_of(
    st.text(alphabet=" \t\u3000\u00a0", max_size=2),
    st.text(alphabet=" \t\u3000\u00a0\u2003\u200b\n\f", max_size=2),
)
ATTRIBUTE = st.one_of(
    st.sampled_from(sorted(ATTRIBUTES)),
    st.sampled_from(sorted(ATTRIBUTES)).flatmap(_typed),
    st.sampled_from(sorted(ATTRIBUTES)).flatmap(lambda w: _typed(w, cases=True)),
    st.sampled_from(["death", "deaths_", "signals", "rain", "死亡", "x"]),
)
SIGN = st.one_of(
    st.sampled_from(list(Op)).flatmap(lambda op: st.sampled_from(sign_spellings(op))),
    st.text(alphabet="<>=≥≤＞＜＝﹥﹤﹦≧!", max_size=3),
)
VALUE = st.one_of(
    st.floats(-1e16, 1e16).map(lambda x: f"{x:f}".rstrip("0")),
    st.integers(-(10**17), 10**17).map(str),
    st.integers(0, 10**6).map(str).flatmap(_typed),
    st.floats(allow_nan=True).map(repr),
    st.sampled_from([s.value for s in Signal]).flatmap(lambda w: _typed(w, cases=True)),
    st.sampled_from(["purple", "redd", ".5", "5.", "+.5", "-", ".", "1.2.3", "1万", "３人"]),
    st.text(alphabet="0123456789.+-eE０１２．－,_nafi", max_size=7),
)
CONDITION_TEXT = st.tuples(SPACES, ATTRIBUTE, SPACES, SIGN, SPACES, VALUE, SPACES).map("".join)


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    """A condition of the parts above with one character inserted, dropped or replaced."""
    text = draw(CONDITION_TEXT)
    at = draw(st.integers(0, len(text)))
    character = draw(st.sampled_from("deaths_ 3.5-+e<>=≥＞＝ｄ０\u3000\u2003³𝐝ı"))
    edit = draw(st.sampled_from(["insert", "drop", "replace"]))
    if edit == "insert":
        return text[:at] + character + text[at:]
    if edit == "drop":
        return text[:at] + text[at + 1 :]
    return text[:at] + character + text[at + 1 :]


@settings(max_examples=300)
@given(st.one_of(CONDITION_TEXT, near_misses()))
@example("deaths >= 999999999999999.5")
@example("signal ≥ Ｏｒａｎｇｅ")
@example(".5 >= deaths")
def test_the_schema_reads_a_condition_exactly_when_the_loader_does(text: str) -> None:
    condition = loader_reads(text)
    assert (condition is not None) == schema_reads(text)
    if condition is not None:
        # What is read is written back as a string both read, to the same condition.
        written = to_data(condition)
        assert schema_reads(written)
        assert Condition.parse(written) == condition


def test_the_strategies_reach_both_sides() -> None:
    """A property over strings all refused (or all read) could not fail."""
    for strategy in (CONDITION_TEXT, near_misses()):
        find(strategy, lambda t: loader_reads(t) is not None)
        find(strategy, lambda t: loader_reads(t) is None)


@given(
    st.sampled_from(sorted(set(ATTRIBUTES) - {"signal"})),
    st.sampled_from(list(Op)),
    st.floats(min_value=-1e15, max_value=1e15, exclude_min=True, exclude_max=True),
)
def test_a_condition_made_in_python_is_written_as_one_both_read(
    attribute: str, op: Op, value: float
) -> None:
    condition = Condition(attribute, op, value)
    written = to_data(condition)
    assert "e" not in written.split()[-1]
    assert schema_reads(written)
    assert Condition.parse(written) == condition


@pytest.mark.parametrize(
    ("args", "path", "message"),
    [
        (
            ("deaths", ">=", 3.0),
            "op",
            "expected an Op (Op.GE, Op.GT, Op.LE, Op.LT, Op.EQ), got '>='",
        ),
        (("deaths", Op.GE, "3"), "value", "deaths cannot be compared with '3'"),
        (("deaths", Op.GE, True), "value", "deaths cannot be compared with True"),
        (("deaths", Op.GE, math.nan), "value", "nan is not a finite number below 1e15"),
        (("deaths", Op.GE, 1e16), "value", "1e+16 is not a finite number below 1e15"),
        (("signal", Op.GE, "red"), "value", "signal cannot be compared with 'red'"),
        ((["deaths"], Op.GE, 3.0), "attribute", "unknown attribute ['deaths']"),
    ],
)
def test_a_condition_of_wrong_types_from_python_names_the_field(
    args: tuple[Any, ...], path: str, message: str
) -> None:
    """Before: a TypeError (``["deaths"] in ATTRIBUTES``), or a condition that
    never held (an op ``">="`` matched no case) or raised when run."""
    with pytest.raises(ModelError) as caught:
        Condition(*args)
    assert caught.value.path == path
    assert caught.value.message.startswith(message)
