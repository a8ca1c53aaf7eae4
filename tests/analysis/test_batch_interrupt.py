"""Ctrl-C in the middle of ``cmdsim batch --out DIR``.

Before: click's "Aborted!" and exit 1 (the code ``cmdsim check`` gives for
error findings), with no word of what the directory kept or that
``--resume`` goes on.  Now: exit 130 (128 + SIGINT), the finished
replications counted, ``--resume`` named, and every file in the directory
whole.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from analysis_fakes import ctrl_c_when, small_scenario

from cmdsim.io import dump

HERE = Path(__file__).parent
SRC = HERE.parents[1] / "src"


def _command(path: Path, out: Path, *more: str) -> list[str]:
    return [
        sys.executable, "-c", "from cmdsim.cli import main; main()",
        "batch", str(path), "-n", "60", "--seed", "5", "--chunk-size", "6",
        "--out", str(out), "--run", "analysis_fakes:slow_run", "--no-progress", *more,
    ]  # fmt: skip


def _interrupted(
    command: list[str], env: dict[str, str], out: Path, chunks: int, workers: set[int] | None = None
) -> str:
    """Ctrl-C once ``out`` holds its manifest and ``chunks`` chunk files
    (the stall keeps it there); its stderr.  The batch must exit within 10 s
    of it (~0.3 s; generous for a loaded machine); ``workers`` gets the
    batch's child processes as they were when Ctrl-C was pressed."""

    def ready() -> bool:
        made = len(list(out.glob("parts/chunk-*.json")))
        return (out / "manifest.json").exists() and made >= chunks

    def children(pid: int) -> None:
        if workers is not None:
            workers.update(_children(pid))

    return ctrl_c_when(command, env, ready, within=10, before=children)


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux's /proc; none elsewhere)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text(encoding="utf-8").rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


@pytest.mark.parametrize(
    "pool",
    [[], ["--workers", "2"], ["--dask", "local", "--workers", "2"]],
    ids=["serial", "workers", "dask"],
)
def test_ctrl_c_says_what_the_batch_kept_and_resume_finishes_it(
    tmp_path: Path, pool: list[str]
) -> None:
    """With ``--workers 2`` Ctrl-C waited, before, for the chunks the workers
    were running (here they never end) before it said what was kept: now the
    pool's processes are stopped at once, none left running.  With
    ``--dask local`` it waited four seconds for Dask to kill its workers, and
    Dask's warnings of the tasks it cancelled and the data it lost followed
    the note: now the workers are killed at once, and only the note is said."""
    path = tmp_path / "tiny.yaml"
    path.write_text(dump(small_scenario()), encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), str(SRC)]),
        "CMDSIM_TEST_DELAY": "0",
    }
    out = tmp_path / "out"
    command = [*_command(path, out), *pool]
    workers: set[int] = set()
    # Replication 24 (the first of chunk 4, six a chunk) never finishes.
    err = _interrupted(command, {**env, "CMDSIM_TEST_STALL_AT": "24"}, out, 4, workers)
    assert "Traceback" not in err and "Aborted" not in err
    assert err.strip() == (
        f"interrupted (Ctrl-C): 24 of 60 replications kept in {out}; "
        "the same command with --resume goes on from there"
    )
    assert sorted(p.name for p in (out / "parts").iterdir()) == [
        f"chunk-{i:06d}.json" for i in range(4)
    ]  # no temporary file left beside them
    assert not (out / "summary.json").exists()
    if pool and Path("/proc/self/stat").exists():
        assert len(workers) >= 2, workers
        # No worker left running its chunk in the background.
        left = {pid for pid in workers if Path(f"/proc/{pid}").exists()}
        if "--dask" in pool:
            # Dask's spawned children include multiprocessing's resource
            # tracker, which ends only as the batch's process exits: seen
            # still exiting just after it.  The workers were killed and reaped.
            for _ in range(1000):  # only a guard against a hang
                left = {pid for pid in left if Path(f"/proc/{pid}").exists()}
                if not left:
                    break
                time.sleep(0.01)
        assert not left, left
    resumed = subprocess.run([*command, "--resume"], env=env, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["n"] == 60


def test_ctrl_c_before_a_chunk_finished_says_none_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(dump(small_scenario()), encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HERE), str(SRC)]),
        "CMDSIM_TEST_STALL_AT": "0",
    }
    out = tmp_path / "out"
    # The manifest is written before the first replication runs.
    err = _interrupted(_command(path, out), env, out, 0)
    assert err.strip().startswith("interrupted (Ctrl-C) before")
    assert list((out / "parts").iterdir()) == []
