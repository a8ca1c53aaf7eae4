"""``cmdsim report`` end to end through click."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.cli import main


def test_report_formats_from_suffix(run_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for suffix in ("html", "md", "json", "csv", "docx"):
        out = tmp_path / f"aar.{suffix}"
        result = runner.invoke(main, ["report", str(run_dir), "-o", str(out), "--lang", "zh"])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 200
    data = json.loads((tmp_path / "aar.json").read_text(encoding="utf-8"))
    assert data["schema"] == "cmdsim.report/2"
    assert "<svg" in (tmp_path / "aar.html").read_text(encoding="utf-8")


def test_report_to_stdout_as_json(run_dir: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(run_dir), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["compliance"]["met"] == 1


def test_report_bad_input_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "events.jsonl"
    bad.write_text('{"time": 1}\nnot json\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{bad}:2:1: not valid JSON")
    missing = CliRunner().invoke(main, ["report", str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert "no such file or directory" in missing.output


def test_run_report_with_batch_distributions(run_dir: Path, batch_dir: Path) -> None:
    result = CliRunner().invoke(
        main, ["report", str(run_dir), "--batch", str(batch_dir), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kind"] == "run"
    assert data["distributions"][0]["name"] == "incident.flood.hq.flood_hq.activated"
    assert data["summary"]["replications"] == 5
    wrong = CliRunner().invoke(main, ["report", str(run_dir), "--batch", str(run_dir)])
    assert wrong.exit_code == 2
    assert "not a batch output" in wrong.output


def test_report_into_a_directory_exits_2_and_keeps_it(run_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "aar.md"
    target.mkdir()
    result = CliRunner().invoke(main, ["report", str(run_dir), "-o", str(target)])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: cannot use {target}: Is a directory"
    assert target.is_dir() and not any(tmp_path.glob(".aar.md.tmp-*"))


def test_a_file_that_is_no_result_exits_2(tmp_path: Path) -> None:
    for name, data in (("notes.md", b"# notes\n"), ("blob.bin", b"\xff\xfe\x00binary")):
        path = tmp_path / name
        path.write_bytes(data)
        result = CliRunner().invoke(main, ["report", str(path)])
        assert result.exit_code == 2
        assert result.output == (
            f"{path}:1: not a run's event log, a batch summary or an exercise log "
            "(its first line is not a JSON record)\n"
        )


def test_a_log_with_a_bad_byte_inside_exits_2(tmp_path: Path) -> None:
    log = tmp_path / "events.jsonl"
    log.write_bytes(b'{"time": 1}\n{"time": 2, "actor": "\xff"}\n')
    for args in (["report", str(log)], ["drill", "--replay", str(log)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2
        assert f"{log}:2:23: not UTF-8 text" in result.output


def test_csv_report_file_opens_in_excel_as_utf8(run_dir: Path, tmp_path: Path) -> None:
    # Excel on a Chinese Windows reads a CSV without a byte order mark as GBK:
    # the Chinese labels would be mojibake.  The file leads with the mark, once.
    out = tmp_path / "演练报告.csv"
    result = CliRunner().invoke(main, ["report", str(run_dir), "-o", str(out), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfsection,key,value\n")
    assert raw.count(b"\xef\xbb\xbf") == 1
    text = raw.decode("utf-8-sig")
    assert re.search(r"[\u4e00-\u9fff]", text)
    # A pipe is for programs: standard output carries no mark.
    piped = CliRunner().invoke(main, ["report", str(run_dir), "--format", "csv", "--lang", "zh"])
    assert piped.exit_code == 0
    assert piped.stdout_bytes.decode("utf-8") == text


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("empty", ""),
        ("blank", "\n  \n\n"),
        ("header_only", '{"type": "exercise", "version": 1, "scenario": "gas.yaml", "seed": 1}\n'),
        ("header_and_end", '{"type": "exercise", "seed": 1}\n{"type": "end", "verdicts": []}\n'),
    ],
)
def test_a_log_without_events_is_a_located_error(tmp_path: Path, name: str, text: str) -> None:
    # A drill that wrote nothing, or a run's log emptied by hand: an empty
    # report would read as "nothing happened", which is not what happened.
    log = tmp_path / f"{name}.jsonl"
    log.write_text(text, encoding="utf-8")
    out = tmp_path / "aar.html"
    out.write_text("the previous report", encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(log), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{log}:1: no events"), result.stderr
    assert "Traceback" not in result.output
    assert out.read_text(encoding="utf-8") == "the previous report"


def test_a_run_directory_with_an_empty_event_log_is_a_located_error(
    run_dir: Path, tmp_path: Path
) -> None:
    log = run_dir / "events.jsonl"
    for text in ("", "\n\n"):
        log.write_text(text, encoding="utf-8")
        out = tmp_path / "aar.csv"
        result = CliRunner().invoke(main, ["report", str(run_dir), "-o", str(out)])
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"{log}:1: no events"), result.stderr
        assert not out.exists()


def test_a_log_cut_short_names_its_last_line(run_dir: Path, tmp_path: Path) -> None:
    # A crash mid-write (or a copy interrupted) leaves half a record last.
    log = run_dir / "events.jsonl"
    whole = log.read_bytes()
    log.write_bytes(whole[: whole.rindex(b"\n", 0, len(whole) - 1) + 30])
    lines = log.read_bytes().count(b"\n") + 1
    result = CliRunner().invoke(main, ["report", str(run_dir), "-o", str(tmp_path / "a.md")])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{log}:{lines}:"), result.stderr
    assert "cut short" in result.stderr
    assert not (tmp_path / "a.md").exists()
