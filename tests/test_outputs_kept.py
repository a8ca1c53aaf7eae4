"""Writers of one file (``sweep --out``, ``report -o``, ``schema -o``): an
earlier output stays byte for byte when the new one is stopped part-way,
and a completed re-run replaces it.  (``batch --out`` and ``run --out``:
tests/analysis/test_batch_keeps_earlier.py and tests/test_run_out_kept.py;
``drill --log`` and ``serve --log`` refuse an existing log.)"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cmdsim import atomic, bundled
from cmdsim.cli import main


def _cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


def _stopped_while_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C after a temporary file has its bytes, before it is moved into place."""

    def pressed(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", pressed)


def _sweep(out: Path, seed: str) -> Any:
    return _cli(
        "sweep", str(bundled.path("gas.yaml")), "--vary", "district.duty_room.staffing.night=1,2",
        "-n", "2", "--seed", seed, "--no-progress", "--out", str(out),
    )  # fmt: skip


def test_a_sweep_stopped_part_way_keeps_the_earlier_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "sweep"
    assert _sweep(out, "1").exit_code == 0
    before = _snapshot(out)
    module = importlib.import_module("cmdsim.analysis.sweep")  # the name is also a function

    def stopped(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    with monkeypatch.context() as mp:
        mp.setattr(module, "sweep", stopped)
        assert _sweep(out, "2").exit_code != 0
    assert _snapshot(out) == before
    with monkeypatch.context() as mp:
        _stopped_while_writing(mp)
        assert _sweep(out, "2").exit_code != 0
    assert _snapshot(out) == before
    assert _sweep(out, "2").exit_code == 0
    after = _snapshot(out)
    assert sorted(after) == sorted(before) and after != before
    assert json.loads(after["sweep.json"])["seed"] == 2


def test_a_report_stopped_while_written_keeps_the_earlier_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gas = str(bundled.path("gas.yaml"))
    for seed in ("1", "2"):
        assert _cli("run", gas, "--seed", seed, "--out", str(tmp_path / seed)).exit_code == 0
    report = tmp_path / "aar.html"
    assert _cli("report", str(tmp_path / "1"), "-o", str(report)).exit_code == 0
    before = report.read_bytes()
    with monkeypatch.context() as mp:
        _stopped_while_writing(mp)
        assert _cli("report", str(tmp_path / "2"), "-o", str(report)).exit_code != 0
    assert report.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["1", "2", "aar.html"]
    assert _cli("report", str(tmp_path / "2"), "-o", str(report)).exit_code == 0
    assert report.read_bytes() != before


def test_a_schema_stopped_while_written_keeps_the_earlier_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text("{}\n", encoding="utf-8")  # an older schema, say
    with monkeypatch.context() as mp:
        _stopped_while_writing(mp)
        assert _cli("schema", "-o", str(schema)).exit_code != 0
    assert schema.read_text(encoding="utf-8") == "{}\n"
    assert [p.name for p in tmp_path.iterdir()] == ["schema.json"]
    assert _cli("schema", "-o", str(schema)).exit_code == 0
    assert json.loads(schema.read_text(encoding="utf-8")) != {}
