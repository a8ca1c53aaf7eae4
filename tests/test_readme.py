"""The README's quick start: exactly two commands, and CI runs the second.

The first command installs cmdsim and runs the flagship demo; its last step
(the ``cmdsim`` call) is run here against the installed package.  The
second installs the development tools and runs this test suite; ``.ci/run``
must contain it verbatim, so what CI checks is what the README promises.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CI = ROOT / ".ci" / "run"
CLI = "from cmdsim.cli import main; main()"


def quick_start() -> list[str]:
    """The command lines in the fenced blocks of the README's Quick start."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Quick start\n(.*?)(?=^## )", text, flags=re.MULTILINE | re.DOTALL)
    assert match, "README.md has no '## Quick start' section"
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", match.group(1), flags=re.MULTILINE | re.DOTALL)
    return [
        line.strip()
        for block in blocks
        for line in block.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def test_quick_start_has_exactly_two_one_line_commands() -> None:
    commands = quick_start()
    assert len(commands) == 2, commands
    install_and_demo, install_and_test = commands
    for command in commands:
        assert command.startswith("python3 -m venv .venv && ")
        assert not command.endswith("\\")
    assert "pip install -q ." in install_and_demo
    assert re.search(r"\.venv/bin/cmdsim \w+", install_and_demo)
    assert "pip install -q -e '.[dev]'" in install_and_test
    assert install_and_test.endswith("-m pytest")


def test_ci_runs_the_second_command_unchanged() -> None:
    script = CI.read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script
    assert os.access(CI, os.X_OK), ".ci/run is not executable"
    lines = [line.strip() for line in script.splitlines()]
    test_command = quick_start()[1]
    assert any(line == test_command or line.startswith(test_command + " ") for line in lines), (
        f".ci/run does not run the README's test command:\n{test_command}"
    )


def test_ci_script_is_valid_bash() -> None:
    done = subprocess.run(["bash", "-n", str(CI)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_ci_fails_when_pytest_collects_nothing(tmp_path: Path) -> None:
    """A stand-in tree whose test command exits 5 makes .ci/run exit non-zero."""
    fake = tmp_path / "repo"
    (fake / ".ci").mkdir(parents=True)
    bin_dir = fake / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    script = CI.read_text(encoding="utf-8").replace(quick_start()[1], "exit_with 5")
    (fake / ".ci" / "run").write_text(
        script.replace("set -euo pipefail", "set -euo pipefail\nexit_with() { return $1; }"),
        encoding="utf-8",
    )
    done = subprocess.run(
        ["bash", str(fake / ".ci" / "run")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 5
    assert "no tests" in done.stderr


def test_the_demo_command_runs() -> None:
    demo = quick_start()[0].split(" && ")[-1]
    program, *args = shlex.split(demo)
    assert program == ".venv/bin/cmdsim"
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{demo} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    assert done.stdout.strip()
