"""Defects found by trying cmdsim as its users do: after a wheel install,
from another directory, in Chinese, with a typo in the file, and at night.

Each test is the regression test of one defect (CHANGELOG.md, Unreleased,
Fixed) and says what the user did and what went wrong before.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cmdsim import bundled
from cmdsim.cli import main
from cmdsim.cli._common import speak_unicode

SRC = Path(__file__).resolve().parents[1] / "src"
TIMEOUT = 120
CMDSIM = (sys.executable, "-c", "from cmdsim.cli import main; main()")


def _cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _gas_copy(folder: Path) -> Path:
    """The bundled tree copied into ``folder``; its gas drill."""
    bundled.copy(folder)
    return folder / "gas.yaml"


# --- in Chinese, on a terminal that cannot say it ------------------------------


def _ascii_locale_env() -> dict[str, str]:
    """A facilitator's misconfigured terminal: the C locale, Python's UTF-8
    mode off, no PYTHONIOENCODING, so stdout's encoding is ASCII."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LC_", "PYTHONIOENCODING", "PYTHONUTF8", "PYTHONCOERCE"))
        and k != "LANG"
    }
    env.update(LC_ALL="C", PYTHONUTF8="0", PYTHONCOERCECLOCALE="0", COLUMNS="120")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env


def test_a_table_of_chinese_names_on_an_ascii_terminal(tmp_path: Path) -> None:
    """``LC_ALL=C cmdsim show … --list towns`` died with UnicodeEncodeError
    (a traceback, exit 1) as soon as rich printed 三林镇."""
    env = _ascii_locale_env()
    probe = [sys.executable, "-c", "import sys; print(sys.stdout.encoding)"]
    encoding = subprocess.run(probe, env=env, capture_output=True, text=True, check=True)
    assert encoding.stdout.strip().lower() in ("ascii", "ansi_x3.4-1968")  # the case tried
    done = subprocess.run(
        [*CMDSIM, "show", str(bundled.path("gas.yaml")), "--list", "towns"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0
    assert "三林镇" in done.stdout.decode("utf-8")  # written as UTF-8, as click does


class _Stream(io.TextIOWrapper):
    """A text stream on bytes whose terminal-ness the test decides."""

    def __init__(self, encoding: str, tty: bool) -> None:
        super().__init__(io.BytesIO(), encoding=encoding)
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("encoding", "tty", "after", "errors"),
    [
        ("ascii", True, "utf-8", "strict"),  # LANG=C: most likely a UTF-8 terminal
        ("ascii", False, "utf-8", "strict"),  # `> timeline.txt`
        ("latin-1", False, "utf-8", "strict"),  # a file keeps every name
        ("latin-1", True, "latin-1", "backslashreplace"),  # \uXXXX, never a crash
        ("utf-8", True, "utf-8", "strict"),  # left alone
        ("gb18030", False, "gb18030", "strict"),  # a Chinese locale can say it
    ],
)
def test_streams_that_cannot_say_chinese_are_made_to(
    encoding: str, tty: bool, after: str, errors: str
) -> None:
    stream = _Stream(encoding, tty)
    speak_unicode(stream)
    assert (stream.encoding, stream.errors) == (after, errors)
    stream.write("三林镇 — sanlin\n")  # raised UnicodeEncodeError before
    stream.flush()


# --- at night: the same report whatever the clock says ------------------------


def test_a_word_report_is_the_same_bytes_at_noon_and_at_midnight(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """python-docx stamped every zip entry with the local clock time, so the
    same report written at night (or in Shanghai rather than UTC) differed."""
    from cmdsim.io import load_scenario
    from cmdsim.report import from_result
    from cmdsim.report.docx import ZIP_EPOCH, to_docx
    from cmdsim.sim import simulate

    scenario = load_scenario(bundled.path("gas.yaml"))
    report = from_result(simulate(scenario, 0), scenario, seed=0)
    written = []
    for clock in (1_733_000_000.0, 1_733_043_200.0 + 3_600 * 7):  # noon, 7 h past midnight
        monkeypatch.setattr(time, "time", lambda clock=clock: clock)
        written.append(to_docx(report, "zh"))
    assert written[0] == written[1]
    with zipfile.ZipFile(io.BytesIO(written[0])) as package:
        assert {entry.date_time for entry in package.infolist()} == {ZIP_EPOCH}
        assert package.testzip() is None
    import docx

    assert docx.Document(io.BytesIO(written[0])).core_properties.author == "cmdsim"


# --- from another directory: a batch's report finds its scenario ----------------


def test_a_batch_report_finds_its_scenario_from_another_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After ``cmdsim scenarios copy my``, ``cmdsim batch my/gas.yaml --out b``
    then ``cmdsim report b`` stopped: "the scenario it was made from (digest
    …) was not found among the scenario files near it" (the manifest kept
    only the digest, and my/ is not scenarios/)."""
    gas = _gas_copy(tmp_path / "my")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    done = _cli("batch", "../my/gas.yaml", "-n", "2", "--no-progress", "--out", "b", "--json")
    assert done.exit_code == 0, done.output
    manifest = json.loads((work / "b" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["scenario_relative"] == "../../my/gas.yaml"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    done = _cli("report", str(work / "b"), "--format", "md", "-o", "b.md")
    assert done.exit_code == 0, done.output
    assert "燃气管道破裂爆炸" in (elsewhere / "b.md").read_text(encoding="utf-8")
    # Edited since: the report says so rather than report on other plans.
    gas.write_text(
        gas.read_text(encoding="utf-8").replace("horizon: 480", "horizon: 470"), encoding="utf-8"
    )
    done = CliRunner().invoke(main, ["report", str(work / "b"), "-o", "again.md"])
    assert done.exit_code == 2
    assert "changed since" in done.output
    assert not (elsewhere / "again.md").exists()


def test_a_batch_started_before_the_path_was_kept_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path is where to look, not what the batch is: ``--resume`` of a
    directory whose manifest lacks it (or names another path) goes on."""
    _gas_copy(tmp_path / "my")
    monkeypatch.chdir(tmp_path)
    args = ["batch", "my/gas.yaml", "-n", "3", "--chunk-size", "1", "--no-progress", "--json"]
    first = _cli(*args, "--out", "b")
    assert first.exit_code == 0, first.output
    manifest_file = tmp_path / "b" / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    del manifest["scenario_relative"]
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    (tmp_path / "b" / "parts" / "chunk-000002.json").unlink()
    shutil.move(tmp_path / "my", tmp_path / "moved")
    again = _cli("batch", "moved/gas.yaml", *args[2:], "--out", "b", "--resume")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == json.loads(first.stdout)
    assert (tmp_path / "b" / "parts" / "chunk-000002.json").is_file()
