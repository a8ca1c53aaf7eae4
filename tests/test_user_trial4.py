"""Defects found by the fourth trial of cmdsim as its users use it: a
district planner who copies the bundled district and edits it by hand in a
Chinese editor, then runs ``cmdsim validate``, ``check`` and ``run``.

Each test says what the planner typed and what went wrong before: a file
saved as UTF-16 was "not UTF-8", a full-width colon was reported on the
line below as "could not find expected ':'", ``Ⅱ级`` was no level, ``30分钟``
got no advice, a duplicated key in an included plan named ``plans`` instead
of ``plans[1]``.  Every case works on a copy of ``tests/io/validation`` (a
good scenario over a small district) and never writes outside ``tmp_path``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdsim.cli import main
from cmdsim.errors import LoadError
from cmdsim.io import dump, load_scenario, loads
from cmdsim.io.reading import ReadFailed, decode
from cmdsim.model import Scenario
from cmdsim.model.levels import Level
from cmdsim.model.plans import Plan

HERE = Path(__file__).parent / "io" / "validation"
PLANS = "district/plans.yaml"
DISTRICT = "district/district.yaml"


def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the good scenario and its district; the working folder."""
    shutil.copytree(HERE, tmp_path / "validation")
    monkeypatch.chdir(tmp_path / "validation")
    return tmp_path / "validation"


def edit(name: str, old: str, new: str) -> int:
    """``old`` replaced by ``new`` (once) in the file ``name``; the 1-based line
    where it stands."""
    path = Path(name)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def refused(*lines: str) -> None:
    """``cmdsim validate`` and ``run`` and the loader refuse gas.yaml with these lines."""
    for command in ("validate", "run"):
        result = CliRunner().invoke(main, [command, "gas.yaml"])
        assert result.exit_code == 2, (command, result.output)
        assert "Traceback" not in result.output
        assert result.stderr.splitlines() == list(lines), command
    with pytest.raises(LoadError) as caught:
        load_scenario("gas.yaml")
    assert [str(p) for p in caught.value.problems] == list(lines)


def good() -> str:
    """The scenario as the loader reads it, written back: to compare loads."""
    return dump(load_scenario("gas.yaml"))


# --- encodings: what Chinese Windows editors save -----------------------------


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", b"\xff\xfe"),  # Notepad's "Unicode" / "UTF-16 LE"
        ("utf-16-be", b"\xfe\xff"),  # Notepad's "UTF-16 BE"
        ("utf-16-le", b""),  # without its mark, found by YAML's rule
        ("utf-32-le", b"\xff\xfe\x00\x00"),
    ],
)
def test_a_plan_saved_as_utf16_or_utf32_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str, bom: bytes
) -> None:
    """Before: ``not UTF-8: byte 0xff cannot be decoded`` for an encoding YAML
    itself allows (YAML 1.2 5.2)."""
    tree(tmp_path, monkeypatch)
    before = good()
    text = Path(PLANS).read_text(encoding="utf-8").replace("gas plan", "燃气事故专项应急预案")
    Path(PLANS).write_bytes(bom + text.replace("\n", "\r\n").encode(encoding))
    after = load_scenario("gas.yaml")
    assert after.district.plan("gas_plan").name == "燃气事故专项应急预案"
    assert dump(after) == before.replace("gas plan", "燃气事故专项应急预案")
    assert CliRunner().invoke(main, ["validate", "gas.yaml"]).exit_code == 0


def test_a_plan_saved_as_gbk_says_so_and_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: only ``not UTF-8: byte 0xc8 cannot be decoded``, which a planner
    whose Notepad saved "ANSI" cannot act on.  The file is still refused: the
    same bytes read as other legacy encodings too."""
    tree(tmp_path, monkeypatch)
    text = Path(PLANS).read_text(encoding="utf-8").replace("name: gas plan", "name: 燃气预案")
    Path(PLANS).write_bytes(text.encode("gbk"))
    refused(
        "district/plans.yaml:4:10: not UTF-8: byte 0xc6 cannot be decoded; read as GBK/GB18030"
        " (Chinese Windows' ANSI) this line says 'name: 燃气预案': save the file as UTF-8"
        " (Notepad: Save As, Encoding UTF-8)"
    )


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40).map(
        lambda t: "id: x\nname: " + t
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32"]),
)
def test_decoding_gives_back_the_text_in_every_allowed_encoding(text: str, encoding: str) -> None:
    """Whatever the editor's Unicode encoding, the loader reads the same text."""
    assert decode(text.encode(encoding), "f.yaml") == text


def test_a_utf16_file_cut_short_is_one_located_problem() -> None:
    with pytest.raises(ReadFailed) as caught:
        decode(b"\xff\xfei\x00d\x00:\x00 \x00x", "f.yaml")
    assert (
        str(caught.value.problem)
        == "f.yaml: not UTF-16: byte 10 cannot be decoded (truncated data)"
    )


# --- full-width punctuation where YAML syntax stands -------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        # Before: "could not find expected ':'" at the line below, column 1.
        (
            "  lead: gas_hq",
            "  lead： gas_hq",
            ":7",
            "invalid YAML: a full-width colon '：' (U+FF1A) after the key 'lead': YAML"
            " needs an ASCII colon and an ASCII space (lead: ...)",
        ),
        (
            "  lead: gas_hq",
            "  lead:\u3000gas_hq",
            ":8",
            "invalid YAML: a full-width space (U+3000) after the key 'lead': YAML needs an"
            " ASCII colon and an ASCII space (lead: ...)",
        ),
        # Before: "expected <block end>, but found '<block mapping start>'".
        (
            "  lead: gas_hq",
            "\u3000 lead: gas_hq",
            ":1",
            "invalid YAML: a full-width space (U+3000) in the indentation: YAML indents"
            " with ASCII spaces only (switch the input method to English and retype it)",
        ),
        (
            "  lead: gas_hq",
            "\tlead: gas_hq",
            ":1",
            "invalid YAML: a tab in the indentation: YAML indents with spaces only (replace"
            " the tab with spaces, as many as the lines around it use)",
        ),
        # Pasted from a word processor: a no-break space after the colon.
        (
            "  lead: gas_hq",
            "  lead:\u00a0gas_hq",
            ":8",
            "invalid YAML: a no-break space (U+00A0) after the key 'lead': YAML needs an"
            " ASCII colon and an ASCII space (lead: ...)",
        ),
        # Before: "expected <block end>, but found '?'".
        (
            "  - {level: III,",
            "  － {level: III,",
            ":5",
            "invalid YAML: a full-width hyphen '－' (U+FF0D) where a list item's '-' stands:"
            " YAML needs an ASCII '-' and a space",
        ),
        (
            '{level: IV, any_of: ["households >= 1"]}',
            '{level: IV， any_of: ["households >= 1"]}',
            ":17",
            "invalid YAML: a full-width comma '，' (U+FF0C) between the entries of a {...}"
            " or [...]: YAML separates them with an ASCII comma",
        ),
    ],
)
def test_full_width_syntax_is_named_where_it_stands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, where: str, message: str
) -> None:
    tree(tmp_path, monkeypatch)
    line = edit(PLANS, old, new)
    refused(f"district/plans.yaml:{line}{where}: {message}")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "lead: gas_hq",
            "lead: “gas_hq”",
            "plans[1].lead: unknown command '“gas_hq”' (did you mean 'gas_hq'? a Chinese quote"
            " '“' (U+201C) is not a YAML quote: write gas_hq or \"gas_hq\")",
        ),
        (
            "hazards: [gas]",
            "hazards: [gas， flood_typhoon]",
            "plans[1].hazards[0]: 'gas， flood_typhoon' is not an id (a full-width comma '，'"
            " (U+FF0C) does not separate items: write a list as [a, b] with ASCII commas)",
        ),
        (
            "id: gas_plan",
            'id: "gas_plan\u3000"',
            "plans[1].id: 'gas_plan\\u3000' is not an id (a full-width space (U+3000) at its"
            " end: delete it)",
        ),
        (
            "id: gas_plan",
            "id: ｇａｓ_plan",
            "plans[1].id: 'ｇａｓ_plan' is not an id (full-width letters or digits: write"
            " 'gas_plan')",
        ),
        (
            "hazards: [gas]",
            "hazards: ［gas］",
            "plans[1].hazards: expected a list, got '［gas］' (a full-width bracket '［'"
            " (U+FF3B): write '[')",
        ),
        (
            "lead: gas_hq",
            "lead: gas\u200b_hq",
            "plans[1].lead: unknown command 'gas\\u200b_hq' (did you mean 'gas_hq'? an"
            " invisible zero-width space (U+200B) in it: delete it)",
        ),
        # Before: no hint at all for a reference written in Chinese.
        (
            "lead: gas_hq",
            "lead: 燃气指挥部",
            "plans[1].lead: unknown command '燃气指挥部' (did you mean 'gas_hq', gas HQ? refer"
            " to a command by its id)",
        ),
        (
            "lead: gas_hq",
            "牵头单位: gas_hq",
            "plans[1]: unknown key '牵头单位' (keys are the English field names: id, name, kind,"
            " ...",
        ),
    ],
)
def test_a_value_typed_in_chinese_gets_what_to_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, message: str
) -> None:
    tree(tmp_path, monkeypatch)
    if "燃气指挥部" in new:
        # Names are Chinese in a Chinese district.
        edit(DISTRICT, "name: gas HQ", "name: 区燃气事故应急处置指挥部")
        message = message.replace("gas HQ", "区燃气事故应急处置指挥部")
    if message.endswith("..."):
        message = (
            message.removesuffix("...")
            + ", ".join(f.name for f in attrs.fields(Plan))[len("id, name, kind, ") :]
            + ")"
        )
    edit(PLANS, old, new)
    with pytest.raises(LoadError) as caught:
        load_scenario("gas.yaml")
    assert [f"{p.path}: {p.message}" for p in caught.value.problems] == [f"district.{message}"]


def test_a_trailing_full_width_space_on_a_plain_value_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An invisible U+3000 after an id (an input method's space) made it "not
    an id" or an unknown reference; YAML drops ASCII spaces there, and the
    loader now drops this one too.  A quoted value keeps what it says."""
    tree(tmp_path, monkeypatch)
    before = good()
    edit(PLANS, "id: gas_plan", "id: gas_plan\u3000")
    edit(PLANS, "lead: gas_hq", "lead: \u3000gas_hq\u3000\u00a0")
    assert good() == before


# --- levels as Chinese plans write them --------------------------------------


@pytest.mark.parametrize(
    "written", ["Ⅲ", "Ⅲ级", "III级", "三级", "三级响应", "3级", "ＩＩＩ", "iii"]
)
def test_a_level_written_the_chinese_way_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str
) -> None:
    """Before: ``'Ⅲ' is not one of IV, III, II, I`` for the numeral character
    every Chinese plan prints (U+2162), and for 三级."""
    tree(tmp_path, monkeypatch)
    before = good()
    edit(PLANS, "{level: III, any_of:", f"{{level: {written}, any_of:")
    edit(PLANS, "    III:\n", f"    {written}:\n")
    assert good() == before


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("3", "(levels are Roman numerals, I the most severe: did you mean 'III'?)"),
        ("较大", "('较大' is the class of level III: write III)"),
        ("V级", "(write I, II, III or IV, I the most severe; Ⅱ, Ⅱ级 and 二级 are read as II too)"),
    ],
)
def test_a_level_that_is_none_says_what_to_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, hint: str
) -> None:
    tree(tmp_path, monkeypatch)
    line = edit(PLANS, "{level: III, any_of:", f"{{level: {written}, any_of:")
    shown = repr(written) if not written.isdigit() else written
    refused(
        f"district/plans.yaml:{line}:15: district.plans[1].triggers[1].level: {shown} is not"
        f" one of IV, III, II, I {hint}"
    )


@settings(max_examples=80)
@given(
    level=st.sampled_from(list(Level)),
    form=st.sampled_from(["{r}", "{r}级", "{r}级响应", "{u}", "{u}级", "{c}级", "{d}级", " {r} "]),
)
def test_every_written_form_of_a_level_is_that_level(level: Level, form: str) -> None:
    rank = {"I": 1, "II": 2, "III": 3, "IV": 4}[level.value]
    text = form.format(
        r=level.value,
        u=chr(0x215F + rank),  # Ⅰ U+2160 .. Ⅳ U+2163
        c="一二三四"[rank - 1],
        d=str(rank),
    )
    assert Level.parse(text) is level


# --- numbers with their units ---------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "duration: 30}",
            "duration: 30分钟}",
            "tasks[0].duration: expected a number of minutes or a mapping with 'kind', got"
            " '30分钟' (write the minutes as a bare number: 30)",
        ),
        (
            "duration: 30}",
            "duration: 30 min}",
            "tasks[0].duration: expected a number of minutes or a mapping with 'kind', got"
            " '30 min' (write the minutes as a bare number: 30)",
        ),
        (
            "duration: 30}",
            "duration: 2h}",
            "tasks[0].duration: expected a number of minutes or a mapping with 'kind', got"
            " '2h' (times are minutes, written as a bare number: 120 for 2h)",
        ),
        (
            '"deaths >= 1"',
            '"deaths >= 3人"',
            "triggers[1].any_of[0]: '3人' is not a number (write the number alone, without its"
            " unit: 3)",
        ),
        (
            '"households >= 1"',
            '"households >= 1万"',
            "triggers[0].any_of[0]: '1万' is not a number (write the number in digits alone:"
            " 10000)",
        ),
        (
            '"households >= 1"',
            '"households >= 10,000"',
            "triggers[0].any_of[0]: '10,000' is not a number (write the number without"
            " separators: 10000)",
        ),
        (
            '"deaths >= 1"',
            '"死亡 >= 1"',
            "triggers[1].any_of[0]: '死亡 >= 1' is not a condition like 'deaths >= 3' (the"
            " attribute is written in English: deaths >= 1)",
        ),
    ],
)
def test_a_number_with_its_unit_says_what_to_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, message: str
) -> None:
    """Before: ``expected a number, got '30分钟'`` and no more."""
    tree(tmp_path, monkeypatch)
    edit(PLANS, old, new)
    with pytest.raises(LoadError) as caught:
        load_scenario("gas.yaml")
    (problem,) = caught.value.problems
    assert problem.path.startswith("district.plans[1].")
    assert problem.path.endswith(message.split(":")[0])
    assert problem.message == message.split(": ", 1)[1]


@pytest.mark.parametrize("sign", ["≥", "＞＝", "\uff1e="])
def test_a_condition_with_the_chinese_keyboard_sign_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sign: str
) -> None:
    tree(tmp_path, monkeypatch)
    before = good()
    edit(PLANS, '"deaths >= 1"', f'"deaths {sign} 1"')
    assert good() == before


# --- times of day and midnight --------------------------------------------------


def _with_calendar(day_start: str) -> int:
    return edit(
        DISTRICT,
        "plans: {include: plans.yaml}",
        f'plans: {{include: plans.yaml}}\ncalendar:\n  day_start: "{day_start}"\n',
    )


def test_a_one_digit_hour_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``8:30`` is what a clock shows; before, only ``08:30`` was a time."""
    tree(tmp_path, monkeypatch)
    _with_calendar("8:30")
    assert str(load_scenario("gas.yaml").district.calendar.day_start) == "08:30:00"


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("08：30", "(a full-width colon '：' (U+FF1A): write '08:30')"),
        ("24:00", "(a day runs from 00:00 to 23:59: write '00:00' for midnight)"),
    ],
)
def test_a_time_of_day_that_is_none_says_what_to_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, hint: str
) -> None:
    tree(tmp_path, monkeypatch)
    line = _with_calendar(written) + 2
    refused(
        f"district/district.yaml:{line}:14: district.calendar.day_start: expected a time of"
        f" day like '08:30', got {written!r} {hint}"
    )


def test_a_start_at_24_00_names_the_next_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: ``hour must be in 0..23``, and nothing about what to write."""
    tree(tmp_path, monkeypatch)
    edit("gas.yaml", "start: 2025-01-29T18:00:00", "start: 2025-01-31T24:00:00")
    refused(
        "gas.yaml:4:8: start: cannot read value '2025-01-31T24:00:00': hour must be in 0..23"
        " (a day's last minute is 23:59: write midnight as 2025-02-01T00:00:00)"
    )


def test_a_night_drill_into_the_uncovered_new_year_says_when_and_how(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A drill from 23:30 on 2026-12-31, the calendar's last day: the refusal
    is right (whether 2027-01-01's small hours are a holiday night changes the
    staffing and the holiday raise, and only the next notice says which days
    are off), and now it says from which minute and the other way out."""
    tree(tmp_path, monkeypatch)
    edit(
        DISTRICT,
        "plans: {include: plans.yaml}",
        "plans: {include: plans.yaml}\ncalendar: {covers: {first: 2026-01-01, last: 2026-12-31}}",
    )
    for old in ("start: 2025-01-29T18:00:00", "onset: 2025-01-29T18:00:00"):
        edit("gas.yaml", old, old.replace("2025-01-29T18:00", "2026-12-31T23:30"))
    refused(
        "gas.yaml:4:1: start: the run reaches 2027-01-01 (from minute 30 of its 600 minutes, at"
        " 2027-01-01T00:00:00) but the district calendar covers only from 2026-01-01 to"
        " 2026-12-31: add that year's holidays to calendar.holidays/workdays and widen"
        " calendar.covers, or end the run by then (horizon: 30) or move the start"
    )
    edit("gas.yaml", "horizon: 600", "horizon: 30")
    edit("gas.yaml", "{at: 40, deaths: 1}", "{at: 20, deaths: 1}")
    edit("gas.yaml", "at: 40\n", "at: 20\n")
    assert isinstance(load_scenario("gas.yaml"), Scenario)


# --- the place of a problem inside an included list ------------------------------


def _plan_in_its_own_file() -> None:
    """The gas plan moved to ``district/gas_plan.yaml``, included as the
    second item of the plans, the way the bundled district includes each plan."""
    text = Path(PLANS).read_text(encoding="utf-8")
    head, plan = text.split("- id: gas_plan\n")
    lines = ["id: gas_plan", *(line.removeprefix("  ") for line in plan.splitlines())]
    Path("district/gas_plan.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    Path(PLANS).write_text(head + "- include: gas_plan.yaml\n", encoding="utf-8")


def test_a_duplicated_key_in_an_included_plan_names_the_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """YAML keeps the last of two equal keys without a word; cmdsim refuses it,
    but named the place ``district.plans`` for a plan included as an item of
    the plans, which is ``district.plans[1]``."""
    tree(tmp_path, monkeypatch)
    before = good()
    _plan_in_its_own_file()
    assert good() == before
    line = edit("district/gas_plan.yaml", "lead: gas_hq\n", "lead: gas_hq\nlead: fire_hq\n") + 1
    refused(
        f"district/gas_plan.yaml:{line}:1: district.plans[1]: duplicate key 'lead' (first at"
        f" line {line - 1})"
    )


def test_a_problem_in_a_spliced_list_names_the_item_it_became(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An included file holding a list is spliced in: its second item is the
    list's third when one item stands before the include."""
    tree(tmp_path, monkeypatch)
    edit(
        DISTRICT,
        "plans: {include: plans.yaml}",
        "plans:\n  - {id: flood_plan, hazards: [flood_typhoon], lead: gas_hq}\n"
        "  - include: plans.yaml",
    )
    line = edit(PLANS, "  lead: gas_hq\n", "  lead: gas_hq\n  lead: fire_hq\n") + 1
    with pytest.raises(LoadError) as caught:
        load_scenario("gas.yaml")
    assert [str(p) for p in caught.value.problems] == [
        f"district/plans.yaml:{line}:3: district.plans[2]: duplicate key 'lead' (first at line"
        f" {line - 1})"
    ]


def test_a_required_reference_left_out_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command written without its lead unit got ``'' is not an id``: the
    planner wrote nothing, let alone ''."""
    tree(tmp_path, monkeypatch)
    edit(DISTRICT, "    lead_unit: gas_company\n", "")
    with pytest.raises(LoadError) as caught:
        load_scenario("gas.yaml")
    assert [f"{p.path}: {p.message}" for p in caught.value.problems] == [
        "district.commands[0].lead_unit: an id is needed here, and none is given"
    ]


def test_a_duplicate_id_in_another_file_names_the_first_ones_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Units split over two files (as the bundled units.yaml and
    town_units.yaml): ``(first at units[2])`` left the planner to count the
    items of both files to find the first."""
    tree(tmp_path, monkeypatch)
    line = edit(DISTRICT, "  - {id: police, name: police}\n", "  - {id: police, name: police}\n")
    edit(
        DISTRICT,
        "  - {id: police, name: police}\n",
        "  - {id: police, name: police}\n  - include: more_units.yaml\n",
    )
    Path("district/more_units.yaml").write_text("- {id: police, name: 派出所}\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_scenario("gas.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "district/more_units.yaml:1:4: district.units[3].id: duplicate id 'police' (first at"
        f" units[2], district/district.yaml:{line})"
    ]


_KEYS = st.sampled_from(["id", "name", "staff", "lead", "hazards", "zone", "kind"])


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    keys=st.lists(_KEYS, min_size=2, max_size=6, unique=True),
    depth=st.integers(0, 2),
    data=st.data(),
)
def test_a_full_width_colon_after_any_key_is_found_on_its_line(
    keys: list[str], depth: int, data: st.DataObject
) -> None:
    """Wherever the slip stands in a block mapping (first key, last key,
    nested in a list), the problem is on its line and column, naming it."""
    slipped = data.draw(st.integers(0, len(keys) - 1))
    indent = "  " * depth
    lines = ["units:"] if depth else []
    for index, key in enumerate(keys):
        lead = indent[:-2] + "- " if depth and index == 0 else indent
        colon = "\uff1a" if index == slipped else ":"
        lines.append(f"{lead}{key}{colon} v{index}")
    text = "\n".join(lines) + "\n"
    with pytest.raises(LoadError) as caught:
        loads(text, "f.yaml")
    (problem,) = caught.value.problems
    line = slipped + 1 + (1 if depth else 0)
    column = len(indent) + len(keys[slipped]) + 1
    assert (problem.line, problem.column) == (line, column), text
    assert "a full-width colon '：' (U+FF1A)" in problem.message


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("2025/1/29 18:00", "(write 2025-01-29T18:00:00)"),
        ("2025年1月29日 18:00", "(write 2025-01-29T18:00:00)"),
        ("2025年1月29日18时", ""),
        ("2025/2/30 18:00", ""),
    ],
)
def test_a_start_written_like_a_form_says_what_to_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, hint: str
) -> None:
    """Before: only ``expected a date and time like 2024-09-14T22:00:00``.  A
    day that does not exist, or a form the hint does not know, gets no hint."""
    tree(tmp_path, monkeypatch)
    edit("gas.yaml", "start: 2025-01-29T18:00:00", f"start: {written}")
    refused(
        f"gas.yaml:4:8: start: expected a date and time like 2024-09-14T22:00:00, got"
        f" {written!r}{' ' + hint if hint else ''}"
    )


def test_a_misspelt_required_key_is_one_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``nigth: 1`` was two problems: ``missing required key 'night'`` and
    ``unknown key 'nigth' (did you mean 'night'?)``, the first sending the
    planner to add a key that is there."""
    tree(tmp_path, monkeypatch)
    edit(
        DISTRICT,
        "duty_room: {id: sanlin_duty_room, name: Sanlin duty room}",
        "duty_room: {id: sanlin_duty_room, name: Sanlin duty room,"
        " staffing: {day: 1, nigth: 1, holiday: 1}}",
    )
    with pytest.raises(LoadError) as caught:
        load_scenario("gas.yaml")
    assert [f"{p.path}: {p.message}" for p in caught.value.problems] == [
        "district.towns[0].duty_room.staffing: unknown key 'nigth' (did you mean 'night'?)"
    ]


def test_a_start_without_its_time_says_to_add_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree(tmp_path, monkeypatch)
    edit("gas.yaml", "start: 2025-01-29T18:00:00", "start: 2025-01-29")
    refused(
        "gas.yaml:4:8: start: expected a date and time like 2024-09-14T22:00:00, got 2025-01-29"
        " (a date alone: add the time, e.g. 2025-01-29T00:00:00 for midnight)"
    )
