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


def test_there_are_examples() -> None:
    assert ROOT / "examples" / "show_district.py" in EXAMPLES


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


def test_show_district_prints_the_seed_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "show_district.py")],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    lines = [line.split() for line in done.stdout.splitlines()]
    assert ["general", "HQs:", "1"] in lines
    assert ["specialised", "HQs:", "25"] in lines
    assert ["information", "officers:", "8796"] in lines


@pytest.mark.parametrize("page", ["getting-started.md", "python-api.md"])
def test_python_blocks_in_the_docs_run(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Python code blocks of a docs page run, in order, in one namespace."""
    import re

    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    assert blocks
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": f"docs_{page}"}
    for block in blocks:
        exec(compile(block, f"docs/{page}", "exec"), namespace)
