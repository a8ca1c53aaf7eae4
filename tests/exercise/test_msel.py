"""MSEL import: YAML, CSV and XLSX with HSEEP column mapping, and located errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from cmdsim.errors import LoadError
from cmdsim.exercise import load_msel, parse_time
from cmdsim.exercise.criteria import Status, criterion_from_data, evaluate

ROOT = Path(__file__).resolve().parents[2]
START = dt.datetime(2024, 9, 14, 22, 0)

HEADER = ["Event #", "Time", "From", "To", "Method", "Message", "Expected Action", "Objective"]
ROWS = [
    ["1", "+00:10", "Weather station", "Duty room", "warning", "Blue signal", "Level IV", "O1"],
    [
        "2",
        "2024-09-14T23:30:00",
        "City flood HQ",
        "Duty room",
        "phone",
        "Yellow",
        "Level III",
        "O2",
    ],
    ["3", "22:45", "Town", "Duty room", "hotline", "Water in garages", "Pumps", "O3"],
]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_parse_time_forms() -> None:
    assert parse_time(45, START) == 45.0
    assert parse_time("45 min", START) == 45.0
    assert parse_time("+01:30", START) == 90.0
    assert parse_time("T+00:05", START) == 5.0
    assert parse_time("2024-09-15T00:00:00", START) == 120.0
    assert parse_time("23:15", START) == 75.0
    assert parse_time("06:00", START) == 480.0  # next morning
    assert parse_time(dt.timedelta(hours=2), START) == 120.0
    with pytest.raises(ValueError, match="needs the exercise start"):
        parse_time("23:15", None)
    with pytest.raises(ValueError, match="before the exercise start"):
        parse_time("2024-09-14T21:00:00", START)


def test_csv_with_default_hseep_columns(tmp_path: Path) -> None:
    msel = load_msel(write_csv(tmp_path / "m.csv", [HEADER, *ROWS]), start=START)
    assert [e.inject.id for e in msel.entries] == ["inject_1", "inject_3", "inject_2"]
    assert [e.inject.at for e in msel.entries] == [10.0, 45.0, 90.0]
    first = msel.entries[0]
    assert first.inject.source == "Weather station"
    assert first.inject.to == "Duty room"
    assert first.method == "warning"
    assert first.inject.expect == "Level IV"
    assert first.inject.objective == "O1"
    assert first.line == 2


def test_csv_missing_field_is_located(tmp_path: Path) -> None:
    rows = [HEADER, ROWS[0], ["2", "", "City", "Duty room", "phone", "Yellow", "", ""]]
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(LoadError) as info:
        load_msel(path, start=START)
    assert [str(p) for p in info.value.problems] == [f"{path}:3:2: Time: missing time"]
    problem = info.value.problems[0]
    assert (problem.file, problem.line, problem.column, problem.path) == (str(path), 3, 2, "Time")


def test_column_override_and_title_rows(tmp_path: Path) -> None:
    rows = [
        ["Exercise Falcon MSEL", "", ""],
        ["When", "Sender", "Recipient", "Text"],
        ["+00:05", "A", "B", "hello"],
    ]
    path = write_csv(tmp_path / "custom.csv", rows)
    with pytest.raises(LoadError, match="no MSEL header row"):
        load_msel(path)
    columns = {"at": "When", "source": "Sender", "to": "Recipient", "message": "Text"}
    msel = load_msel(path, columns=columns)
    assert msel.entries[0].inject.at == 5.0
    assert msel.entries[0].inject.id == "inject_3"


def test_xlsx_import_with_native_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append([1, dt.datetime(2024, 9, 14, 22, 20), "WS", "DR", "warning", "Blue", "IV", "O1"])
    sheet.append([2, dt.time(23, 0), "WS", "DR", "phone", "Yellow", "III", "O2"])
    sheet.append([3, 150, "WS", None, "phone", "Orange", "II", "O3"])
    path = tmp_path / "m.xlsx"
    book.save(path)
    with pytest.raises(LoadError) as info:
        load_msel(path, start=START)
    assert [str(p) for p in info.value.problems] == [f"{path}:4:4: To: missing recipient (to)"]
    sheet.delete_rows(4)
    book.save(path)
    msel = load_msel(path, start=START)
    assert [(e.inject.id, e.inject.at) for e in msel.entries] == [
        ("inject_1", 20.0),
        ("inject_2", 60.0),
    ]


def test_yaml_msel_with_criteria_and_import(tmp_path: Path) -> None:
    write_csv(tmp_path / "rows.csv", [HEADER, ROWS[0]])
    path = tmp_path / "ex.yaml"
    path.write_text(
        "start: 2024-09-14T22:00:00\n"
        "import: {file: rows.csv}\n"
        "injects:\n"
        "  - {id: y1, time: '+00:20', from: A, to: B, message: yellow}\n"
        "criteria:\n"
        "  - id: c1\n"
        "    after: {inject: y1}\n"
        "    expect: {kind: hq_activated, actor: flood_hq, details: {level: '>=III'}}\n"
        "    within: 30\n",
        encoding="utf-8",
    )
    msel = load_msel(path)
    assert [e.inject.id for e in msel.entries] == ["inject_1", "y1"]
    assert msel.criteria[0].within == 30.0


def test_yaml_missing_field_is_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("injects:\n  - {id: a, time: 5, to: B, message: m}\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_msel(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:2: injects[0].source: missing sender (from)"
    ]


@pytest.mark.parametrize("name", ["flood-typhoon.csv", "gas.yaml", "traffic.yaml"])
def test_bundled_msels_load(name: str) -> None:
    msel = load_msel(ROOT / "scenarios" / "msel" / name, start=START)
    assert len(msel.entries) >= 3
    assert all(e.inject.message and e.inject.expect for e in msel.entries)


def test_criterion_met_missed_pending() -> None:
    crit = criterion_from_data(
        {
            "id": "c",
            "after": {"kind": "signal", "details": {"signal": "yellow"}},
            "expect": {"kind": "hq_activated", "actor": "flood_hq", "details": {"level": ">=III"}},
            "within": 30,
        }
    )
    signal = {"time": 10.0, "kind": "signal", "actor": "x", "details": {"signal": "yellow"}}
    low = {"time": 20.0, "kind": "hq_activated", "actor": "flood_hq", "details": {"level": "IV"}}
    high = {"time": 35.0, "kind": "hq_activated", "actor": "flood_hq", "details": {"level": "II"}}
    assert evaluate(crit, [], 5.0, final=False).status is Status.WAITING
    assert evaluate(crit, [signal, low], 25.0, final=False).status is Status.PENDING
    verdict = evaluate(crit, [signal, low, high], 60.0, final=False)
    assert (verdict.status, verdict.elapsed) == (Status.MET, 25.0)
    assert evaluate(crit, [signal, low], 41.0, final=False).status is Status.MISSED
    assert evaluate(crit, [], 100.0, final=True).status is Status.NOT_TRIGGERED


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_csv_msel_saved_as_unicode_reads_as_its_utf8_copy(tmp_path: Path, encoding: str) -> None:
    # A spreadsheet's "Unicode" export is UTF-16 (with a byte-order mark, or
    # without one as YAML 1.2 detects it); it was refused as "not UTF-8 text".
    bundled = ROOT / "scenarios" / "msel" / "flood-typhoon.csv"
    wide = tmp_path / "flood-typhoon.csv"
    wide.write_bytes(bundled.read_text(encoding="utf-8-sig").encode(encoding))
    assert load_msel(wide, start=START).entries == load_msel(bundled, start=START).entries


def test_a_csv_msel_in_utf16_that_does_not_decode_says_so(tmp_path: Path) -> None:
    broken = tmp_path / "msel.csv"
    broken.write_bytes(b"\xff\xfea\x00,\x00\x00\xd8")  # a lone high surrogate
    with pytest.raises(LoadError) as caught:
        load_msel(broken, start=START)
    assert str(caught.value).startswith(f"{broken}: not UTF-16")


def test_a_csv_msel_saved_as_gbk_says_so(tmp_path: Path) -> None:
    """Chinese Excel's "CSV (comma delimited)" is GBK: the message said only
    "not UTF-8 text"; it says the file reads as GBK/GB18030 and what its line says."""
    gbk = tmp_path / "msel.csv"
    gbk.write_bytes("时间,来源,接收,内容\n+00:05,居民,区总值班室,燃气味\n".encode("gbk"))
    with pytest.raises(LoadError) as caught:
        load_msel(gbk, start=START)
    # 时 is CA B1 in GBK, which UTF-8 reads as one character; 间's BC E4 is not.
    assert str(caught.value) == (
        f"{gbk}:1:2: not UTF-8 text (it reads as GBK/GB18030, as Chinese Excel saves"
        " a CSV, and so read this line says '时间,来源,接收,内容'): save the spreadsheet"
        " as CSV UTF-8, or use the .xlsx"
    )


def test_a_binary_file_as_a_csv_msel_is_not_called_gbk(tmp_path: Path) -> None:
    """A PNG's first bytes read as GB18030 (89 50 is a Chinese character), but
    its control characters are not text: no GBK guess."""
    png = tmp_path / "msel.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
    with pytest.raises(LoadError) as caught:
        load_msel(png, start=START)
    assert str(caught.value) == (
        f"{png}:1:1: not UTF-8 text (save the spreadsheet as CSV UTF-8, or use the .xlsx)"
    )
