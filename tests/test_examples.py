"""Every shipped example runs: this is how CI runs ``examples/``.

Each ``examples/*.py`` (and each ``examples/*/run.py``) runs in its own
interpreter, with no arguments, and must exit 0 within the time limit.  A
single-file example runs as a reader who copied it would run it: a copy, in
a directory outside the clone, so it finds the bundled drills through
``cmdsim.bundled`` as it must after a wheel install (``CLONE_ONLY`` names the
few that read the clone's own files, and why); the others run from the
repository root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted([*ROOT.glob("examples/*.py"), *ROOT.glob("examples/*/run.py")])
TIMEOUT = 300  # seconds, for one example on a CI machine
CLONE_ONLY = {"town_plan.py": "runs the engine tests' small scenarios in tests/sim/"}
#: Lines (split into words) an example's output must hold: the seed figures.
SHOWN = {
    "show_district.py": [
        ["general", "HQs:", "1"],
        ["specialised", "HQs:", "25"],
        ["information", "officers:", "8796"],
    ]
}


def test_there_are_examples() -> None:
    assert ROOT / "examples" / "show_district.py" in EXAMPLES
    # an example renamed would leave its shown lines unchecked
    assert {ROOT / "examples" / name for name in SHOWN} <= set(EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT / "examples")))
def test_example_runs(example: Path, tmp_path: Path) -> None:
    # An example's temporary files (tempfile, mkdtemp) go under tmp_path, so
    # one that keeps its output for the reader leaves nothing behind here.
    temp = {name: str(tmp_path) for name in ("TMPDIR", "TEMP", "TMP")}
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **temp}
    script, cwd = example, ROOT
    if example.parent == ROOT / "examples" and example.name not in CLONE_ONLY:
        cwd = tmp_path / "outside"
        cwd.mkdir()
        script = cwd / example.name
        shutil.copyfile(example, script)
    try:
        done = subprocess.run(
            [sys.executable, str(script)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{example.name} did not finish within {TIMEOUT} s:\n{exc.stdout or ''}")
    assert done.returncode == 0, (
        f"{example.name} exited {done.returncode}\n"
        f"--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}"
    )
    lines = [line.split() for line in done.stdout.splitlines()]
    for shown in SHOWN.get(str(example.relative_to(ROOT / "examples")), []):
        assert shown in lines, f"{example.name} does not print {' '.join(shown)!r}"
