"""``cmdsim run --out DIR`` into a directory holding an earlier run: the four
files change together or not at all.

Before: the files were written one by one, with the event log and the
metrics made between them, so a Ctrl-C or an error part-way left a new
timeline beside the earlier run's metrics.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdsim import atomic, bundled
from cmdsim.cli import main
from cmdsim.sim.results import RunResult


def _cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


@pytest.fixture
def earlier(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    gas = bundled.path("gas.yaml")
    out = tmp_path / "run"
    assert _cli("run", str(gas), "--seed", "1", "--out", str(out)).exit_code == 0
    return gas, out, _snapshot(out)


@pytest.mark.parametrize("failure", [KeyboardInterrupt, RuntimeError])
def test_a_run_stopped_while_its_files_are_made_leaves_the_earlier_run(
    earlier: tuple[Path, Path, dict[str, bytes]],
    monkeypatch: pytest.MonkeyPatch,
    failure: type[BaseException],
) -> None:
    gas, out, before = earlier

    def stopped(self: RunResult) -> str:
        raise failure

    # The metrics are made after the timeline and the event log.
    monkeypatch.setattr(RunResult, "metrics_json", stopped)
    result = _cli("run", str(gas), "--seed", "2", "--out", str(out))
    assert result.exit_code != 0
    assert _snapshot(out) == before  # no temporary file left either


def test_a_failure_writing_the_last_file_leaves_the_earlier_run(
    earlier: tuple[Path, Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    gas, out, before = earlier
    real_open = open

    def full_disk(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith(f"run.json.tmp-{os.getpid()}"):
            raise OSError(28, "No space left on device", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(atomic, "open", full_disk, raising=False)
    result = _cli("run", str(gas), "--seed", "2", "--out", str(out))
    assert result.exit_code == 2
    assert "run.json" in result.output and ".tmp-" not in result.output
    assert _snapshot(out) == before


def test_a_completed_rerun_replaces_every_file(
    earlier: tuple[Path, Path, dict[str, bytes]],
) -> None:
    gas, out, before = earlier
    assert _cli("run", str(gas), "--seed", "2", "--out", str(out)).exit_code == 0
    after = _snapshot(out)
    assert sorted(after) == sorted(before)
    assert json.loads(after["run.json"])["seed"] == 2
    assert after["events.jsonl"] != before["events.jsonl"]


def test_ctrl_c_during_the_renames_is_raised_after_the_last(tmp_path: Path) -> None:
    """The renames are not cut in half by Ctrl-C: it is raised once all the
    files are in place."""
    out = tmp_path / "out"
    atomic.write_files(out, {"a.txt": "old a", "b.txt": "old b"})
    real_replace = atomic.os.replace
    calls: list[str] = []

    def replace_then_press(src: Any, dst: Any) -> None:
        real_replace(src, dst)
        calls.append(Path(dst).name)
        if len(calls) == 1:
            signal.raise_signal(signal.SIGINT)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(atomic.os, "replace", replace_then_press)
        with pytest.raises(KeyboardInterrupt):
            atomic.write_files(out, {"a.txt": "new a", "b.txt": "new b"})
    assert calls == ["a.txt", "b.txt"]
    assert _snapshot(out) == {"a.txt": b"new a", "b.txt": b"new b"}


names = st.sampled_from(["a.txt", "b.json", "c.jsonl", "d"])
contents = st.dictionaries(names, st.text(max_size=20), min_size=1, max_size=4)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(earlier=contents, new=contents, fail_at=st.integers(min_value=0, max_value=4))
def test_write_files_is_all_or_nothing(
    tmp_path_factory: pytest.TempPathFactory,
    earlier: dict[str, str],
    new: dict[str, str],
    fail_at: int,
) -> None:
    """Whatever the files, a failure while the k-th is written leaves the
    directory as it was; with no failure it holds the earlier files updated
    by the new ones, and nothing else."""
    out = tmp_path_factory.mktemp("out")
    atomic.write_files(out, earlier)
    before = _snapshot(out)
    real_open = open
    opened = 0

    def failing_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal opened
        opened += 1
        if opened > fail_at:
            raise OSError(5, "Input/output error", str(file))
        return real_open(file, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(atomic, "open", failing_open, raising=False)
        if fail_at < len(new):
            with pytest.raises(OSError, match="Input/output") as raised:
                atomic.write_files(out, new)
            assert ".tmp-" not in str(raised.value.filename)
            assert _snapshot(out) == before
            return
        atomic.write_files(out, new)
    expected = {**earlier, **new}
    assert _snapshot(out) == {k: v.encode("utf-8") for k, v in sorted(expected.items())}


KILLED = """
import os, signal, sys
from pathlib import Path
from cmdsim.cli import main

out, after = Path(sys.argv[1]).resolve(), int(sys.argv[2])
real, renamed = os.replace, []

def replace(src, dst):
    if after == 0 and Path(dst).resolve().parent == out:
        os.kill(os.getpid(), signal.SIGKILL)  # kill -9 before the first rename
    real(src, dst)
    if Path(dst).resolve().parent == out:
        renamed.append(dst)
        if len(renamed) == after:
            os.kill(os.getpid(), signal.SIGKILL)  # kill -9 between two renames

os.replace = replace
sys.argv = ["cmdsim", "run", sys.argv[3], "--seed", "2", "--out", str(out)]
main()
"""


@pytest.mark.parametrize("renamed", [1, 2, 3, 4])
def test_kill_9_between_the_renames_is_never_read_as_one_run(
    earlier: tuple[Path, Path, dict[str, bytes]], renamed: int
) -> None:
    """``kill -9`` after some of the four files replaced the earlier run's:
    before, ``cmdsim report`` read the new events beside the old metrics as
    one run.  ``run.json``, renamed last, names the others' SHA-256: a
    report refuses the mix (exit 2, one located line); once it is in place
    the run is whole."""
    gas, out, _ = earlier
    killed = subprocess.run(
        [sys.executable, "-c", KILLED, str(out), str(renamed), str(gas)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    result = _cli("report", str(out), "--format", "json")
    if renamed == 4:  # run.json too: the new run, whole
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["seed"] == 2
        return
    assert result.exit_code == 2, result.output
    assert result.output.strip().startswith(f"{out / 'run.json'}: ")
    assert " not of the run run.json records (SHA-256 not its `files`'s)" in result.output
    assert "Traceback" not in result.output


def test_the_next_run_removes_the_temporaries_a_killed_one_left(
    earlier: tuple[Path, Path, dict[str, bytes]],
) -> None:
    """``kill -9`` before the renames left the four hidden temporaries
    (``.NAME.tmp-PID``) in DIR, where nothing read or removed them.  The next
    ``run --out`` there removes those of a PID no longer alive, and keeps one
    of a live process (it may be another cmdsim writing) and files not its."""
    gas, out, before = earlier
    killed = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(out), "0", str(gas)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, err = killed.communicate(timeout=120)
    assert killed.returncode == -signal.SIGKILL, err
    names = ("timeline.txt", "events.jsonl", "metrics.json", "run.json")
    left = sorted(f".{name}.tmp-{killed.pid}" for name in names)
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == left
    live = out / f".metrics.json.tmp-{os.getppid()}"
    live.write_text("another writer's")
    other = out / ".notes.txt.tmp-1"
    other.write_text("not cmdsim's")

    assert _cli("run", str(gas), "--seed", "1", "--out", str(out)).exit_code == 0
    assert _snapshot(out) == {
        **before,
        live.name: b"another writer's",
        other.name: b"not cmdsim's",
    }


def test_remove_leftovers_keeps_a_live_writers_and_malformed_names(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait(timeout=60)
    for name in (
        f".a.json.tmp-{dead.pid}",
        f".a.json.tmp-{os.getpid()}",
        ".a.json.tmp-x1",
        f".b.json.tmp-{dead.pid}",
    ):
        (tmp_path / name).write_text("")
    removed = atomic.remove_leftovers(tmp_path, ["a.json"])
    assert [p.name for p in removed] == [f".a.json.tmp-{dead.pid}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f".a.json.tmp-{os.getpid()}", ".a.json.tmp-x1", f".b.json.tmp-{dead.pid}"]
    )
    assert not atomic.pid_alive(dead.pid) and atomic.pid_alive(os.getpid())
