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

import pytest

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


# Stand-ins for every program .ci/run would use to change the machine.  Each
# appends one line to $CI_LOG (its name, its arguments and what the test needs
# to know), so the test sees what CI would do without doing it: no apt-get, no
# virtual environment, no pip, no test run.
STUBS = {
    "id": 'echo "id $*" >> "$CI_LOG"; echo "$FAKE_UID"',
    "apt-get": 'echo "apt-get $*" >> "$CI_LOG"; exit "$FAKE_APT_STATUS"',
    "python3": """echo "python3 $* (in $PWD)" >> "$CI_LOG"
if [ "$1 $2 $3" = "-m venv .venv" ]; then
    mkdir -p .venv/bin
    printf '%s\\n' '#!/usr/bin/env bash' 'echo "pip $*" >> "$CI_LOG"' > .venv/bin/pip
    printf '%s\\n' '#!/usr/bin/env bash' \\
        'chromium="CMDSIM_REQUIRE_CHROMIUM=$CMDSIM_REQUIRE_CHROMIUM"' \\
        'echo "python $* ($chromium CMDSIM_CHECKOUT_GUARD=$CMDSIM_CHECKOUT_GUARD)" >> "$CI_LOG"' \\
        'exit "$FAKE_PYTEST_STATUS"' > .venv/bin/python
    chmod +x .venv/bin/pip .venv/bin/python
fi""",
}
# Anything else that could install: recorded and refused, so a changed .ci/run
# fails this test instead of changing the machine.
for _name in ("apt", "sudo", "pip", "pip3", "dpkg", "snap", "npm", "curl", "wget"):
    STUBS[_name] = f'echo "{_name} $* (not expected)" >> "$CI_LOG"; exit 97'


PYTEST_CALL = "python -m pytest (CMDSIM_REQUIRE_CHROMIUM=1 CMDSIM_CHECKOUT_GUARD=1)"
"""The test command's call as the stub records it, with the environment CI gives it."""


def run_ci_with_stubs(
    tmp_path: Path, *, uid: int, apt_status: int = 0, pytest_status: int = 0
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """.ci/run, unchanged, in a stand-in clone with every installer stubbed."""
    script = CI.read_text(encoding="utf-8")
    # A program named by its full path would get past the stubs (the virtual
    # environment's are made by the python3 stub).
    assert not re.search(r"(?<!\.venv/bin)/(apt-get|apt|pip3?|python3?|dpkg)\b", script), script
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    (repo / ".ci" / "run").write_text(script, encoding="utf-8")
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    for name, body in STUBS.items():
        stub = stubs / name
        stub.write_text(f"#!/usr/bin/env bash\n{body}\n", encoding="utf-8")
        stub.chmod(0o755)
    log = tmp_path / "ci.log"
    log.touch()
    env = {
        "PATH": f"{stubs}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(tmp_path),
        "CI_LOG": str(log),
        "FAKE_UID": str(uid),
        "FAKE_APT_STATUS": str(apt_status),
        "FAKE_PYTEST_STATUS": str(pytest_status),
    }
    done = subprocess.run(
        ["bash", str(repo / ".ci" / "run")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    calls = log.read_text(encoding="utf-8").splitlines()
    assert not [c for c in calls if c.endswith("(not expected)")], calls
    return done, calls


def test_ci_as_root_installs_chromium_then_runs_the_test_command(tmp_path: Path) -> None:
    done, calls = run_ci_with_stubs(tmp_path, uid=0)
    assert done.returncode == 0, done.stderr
    apt = [c for c in calls if c.startswith("apt-get ")]
    assert len(apt) == 2 and apt[0].startswith("apt-get update")
    assert apt[1].startswith("apt-get install -y") and " chromium" in apt[1]
    repo = tmp_path / "repo"
    assert calls[calls.index(apt[1]) + 1 :] == [
        f"python3 -m venv .venv (in {repo})",
        "pip install -q -e .[dev]",
        PYTEST_CALL,
    ]


def test_ci_as_a_user_installs_nothing_with_apt(tmp_path: Path) -> None:
    done, calls = run_ci_with_stubs(tmp_path, uid=1000)
    assert done.returncode == 0, done.stderr
    assert not [c for c in calls if c.startswith("apt-get")]
    assert calls[-1] == PYTEST_CALL


def test_ci_goes_on_when_chromium_cannot_be_installed(tmp_path: Path) -> None:
    done, calls = run_ci_with_stubs(tmp_path, uid=0, apt_status=100)
    assert done.returncode == 0, done.stderr
    assert "could not install chromium" in done.stderr
    assert calls[-1] == PYTEST_CALL


@pytest.mark.parametrize(
    ("status", "says"), [(5, "collected no tests"), (1, "failed with exit code 1")]
)
def test_ci_fails_with_the_test_commands_status(tmp_path: Path, status: int, says: str) -> None:
    """Exit 5 (pytest collected nothing) is a failure too, not a pass."""
    done, calls = run_ci_with_stubs(tmp_path, uid=1000, pytest_status=status)
    assert done.returncode == status
    assert says in done.stderr
    assert calls[-1] == PYTEST_CALL


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
