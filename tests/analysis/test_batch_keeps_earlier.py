"""A batch re-run into a directory that holds an earlier output keeps that
output whole until the new one is complete.

Before: ``cmdsim batch --out DIR`` without ``--resume`` deleted DIR's
parts, summary and tables at the start, so a Ctrl-C (or a crash, or bad
input found late) lost both the earlier results and the new ones.  Now the
new batch is built in a hidden sibling and swapped in at the end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from analysis_fakes import ctrl_c_when, fake_run, small_scenario

from cmdsim.analysis import store as store_module
from cmdsim.analysis.batch import replicate
from cmdsim.analysis.store import BatchStore, staging_dir
from cmdsim.errors import CmdsimError
from cmdsim.io import dump

HERE = Path(__file__).parent
SRC = HERE.parents[1] / "src"


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root``, by relative path, with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _command(path: Path, out: Path, seed: int, *more: str) -> list[str]:
    return [
        sys.executable, "-c", "from cmdsim.cli import main; main()",
        "batch", str(path), "-n", "24", "--seed", str(seed), "--chunk-size", "6",
        "--out", str(out), "--run", "analysis_fakes:slow_run", "--no-progress", *more,
    ]  # fmt: skip


def _env(**more: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), str(SRC)]),
        "CMDSIM_TEST_DELAY": "0",
        **more,
    }


def _interrupt_at(command: list[str], env: dict[str, str], parts: Path, chunks: int) -> str:
    """Ctrl-C once ``parts`` holds ``chunks`` chunk files (the stall holds it
    there); its stderr."""
    return ctrl_c_when(command, env, lambda: len(list(parts.glob("chunk-*.json"))) >= chunks)


def test_ctrl_c_in_a_rerun_keeps_the_earlier_batch_and_resume_replaces_it(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(dump(small_scenario()), encoding="utf-8")
    out = tmp_path / "out"
    first = subprocess.run(_command(path, out, 5), env=_env(), capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    (out / "notes.txt").write_text("the analyst's own notes\n", encoding="utf-8")
    before = _snapshot(out)
    assert json.loads(before["summary.json"])["seed"] == 5

    staging = staging_dir(out)
    # Seed 6 this time; replication 12 (the first of chunk 2) never finishes.
    err = _interrupt_at(
        _command(path, out, 6), _env(CMDSIM_TEST_STALL_AT="12"), staging / "parts", 2
    )
    assert "Traceback" not in err
    assert err.strip() == (
        f"interrupted (Ctrl-C): 12 of 24 replications kept in {staging}; "
        f"{out} keeps what it held; the same command with --resume goes on from there"
    )
    assert _snapshot(out) == before  # byte for byte, the user's file too

    resumed = subprocess.run(
        [*_command(path, out, 6), "--resume"], env=_env(), capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    after = _snapshot(out)
    assert json.loads(after["summary.json"])["seed"] == 6
    assert json.loads(after["manifest.json"])["seed"] == 6
    assert after["notes.txt"] == before["notes.txt"]  # not ours: kept across the swap
    assert after["replications.csv"] != before["replications.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tiny.yaml"]  # no sibling left


def test_a_completed_rerun_replaces_the_batch_as_a_fresh_one_would(tmp_path: Path) -> None:
    scenario = small_scenario()
    fresh, out = tmp_path / "fresh", tmp_path / "out"
    replicate(scenario, 12, seed=3, run=fake_run, out=out, chunk_size=4)
    (out / "report.html").write_text("<p>kept</p>", encoding="utf-8")
    replicate(scenario, 8, seed=4, run=fake_run, out=out, chunk_size=4)
    replicate(scenario, 8, seed=4, run=fake_run, out=fresh, chunk_size=4)
    replaced = _snapshot(out)
    assert replaced.pop("report.html") == b"<p>kept</p>"
    # chunk 2 of the 12-replication batch is gone: the directory is the new batch only.
    assert replaced == _snapshot(fresh)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "out"]


def test_a_failure_found_late_leaves_the_earlier_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario = small_scenario()
    out = tmp_path / "out"
    replicate(scenario, 8, seed=3, run=fake_run, out=out, chunk_size=4)
    before = _snapshot(out)
    calls = 0

    def failing(scenario: object, seq: np.random.SeedSequence) -> dict[str, float]:
        nonlocal calls
        calls += 1
        if calls > 5:
            raise RuntimeError("bad input found late")
        return fake_run(scenario, seq)  # type: ignore[arg-type]

    with pytest.raises(RuntimeError, match="found late"):
        replicate(scenario, 8, seed=9, run=failing, out=out, chunk_size=4)
    assert _snapshot(out) == before


def _store_with_new_batch(tmp_path: Path) -> tuple[Path, dict[str, bytes], BatchStore]:
    """An earlier batch in ``out`` (and a user's file), and a store that has
    built a new batch in the staging sibling, about to swap."""
    scenario = small_scenario()
    out = tmp_path / "out"
    replicate(scenario, 8, seed=3, run=fake_run, out=out, chunk_size=4)
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = _snapshot(out)
    replicate(scenario, 8, seed=4, run=fake_run, out=tmp_path / "new", chunk_size=4)
    staging = staging_dir(out)
    (tmp_path / "new").rename(staging)
    store = BatchStore(out)
    store._use(staging)
    return out, before, store


@pytest.mark.parametrize("step", ["rename_new_in", "settle"])
def test_a_crash_in_the_swap_leaves_whole_outputs_and_the_next_run_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    out, before, store = _store_with_new_batch(tmp_path)
    aside = out.with_name(".out.old")
    real_rename = Path.rename

    def crashing_rename(self: Path, target: Path) -> Path:  # type: ignore[override]
        if step == "rename_new_in" and self == store.staging:
            raise KeyboardInterrupt
        return real_rename(self, target)

    def crashing_settle(self: BatchStore) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "rename", crashing_rename)
    if step == "settle":
        monkeypatch.setattr(BatchStore, "_settle_aside", crashing_settle)
    with pytest.raises(KeyboardInterrupt):
        store._swap()
    monkeypatch.undo()
    if step == "rename_new_in":
        # The earlier output is whole, one rename away; the new one whole in staging.
        assert not out.exists() and _snapshot(aside) == before
    else:
        assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["seed"] == 4
        assert _snapshot(aside) == before
    # The next run into the directory finishes what the swap began.
    BatchStore(out)._recover()
    assert not aside.exists()
    if step == "rename_new_in":
        assert _snapshot(out) == before
    else:
        assert (out / "notes.txt").read_text(encoding="utf-8") == "mine\n"
        assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["seed"] == 4


def test_an_empty_or_new_directory_is_written_in_place(tmp_path: Path) -> None:
    """No staging where nothing is to be kept: ``--resume`` after a Ctrl-C in
    a first run finds the parts in the directory itself, as before."""
    (tmp_path / "empty").mkdir()
    for name in ("empty", "new"):
        store = BatchStore(tmp_path / name)
        store.open({"n": 1, "chunks": 1}, resume=False)
        assert store.work == tmp_path / name
        assert (tmp_path / name / store_module.MANIFEST).exists()
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


def test_out_dot_in_place_when_empty_refused_when_it_holds_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--out .``: the swap would move the directory the shell is in, so a
    directory holding files is refused (exit 2 in the CLI) and left as it was."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    scenario = small_scenario()
    replicate(scenario, 4, seed=1, run=fake_run, out=".", chunk_size=2)  # empty: in place
    before = _snapshot(here)
    assert "summary.json" in before
    with pytest.raises(CmdsimError, match=r"holds the current directory .* another directory"):
        replicate(scenario, 4, seed=2, run=fake_run, out=".", chunk_size=2)
    monkeypatch.chdir(tmp_path)
    assert _snapshot(here) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here"]
    # From elsewhere the same directory is replaced as any other.
    replicate(scenario, 4, seed=2, run=fake_run, out=here, chunk_size=2)
    assert json.loads((here / "summary.json").read_text(encoding="utf-8"))["seed"] == 2
