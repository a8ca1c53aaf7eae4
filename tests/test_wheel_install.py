"""A wheel of cmdsim carries its district and drills (issue 15, section 2).

The user's path: build the wheel, install it into a fresh virtual
environment, and from a directory outside the clone run the flagship drill
(``cmdsim run`` with no scenario), list the bundled drills, copy them out
and run the copy.  Before the fix ``cmdsim run`` failed there with "the
bundled drill scenarios/compound-typhoon.yaml was not found".

Nothing here touches the network or the machine: the wheel is built by the
build backend already in the environment (hatchling, in the ``dev`` extra),
the virtual environment lives in a temporary directory and gets no pip of
its own, pip runs with no index, no cache and no configuration file, and the
runtime dependencies come from the running interpreter's site-packages
through a ``.pth`` file (paths only, so the clone's editable install is not
seen).
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from cmdsim import bundled
from cmdsim.cli import main

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120  # seconds for one step; the whole module takes about 15 s
BUILD = "import sys, hatchling.build as b; print(b.build_wheel(sys.argv[1]))"
PIP = (sys.executable, "-m", "pip")


@attrs.frozen
class Installed:
    """A fresh virtual environment holding only the built wheel."""

    wheel: Path
    venv: Path
    outside: Path  # a working directory outside the clone
    env: dict[str, str]

    def cmdsim(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / "cmdsim"), *args],
            cwd=cwd or self.outside,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )


def _clean_env(home: Path) -> dict[str, str]:
    """The environment without anything that could point pip or Python elsewhere."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV", "CONDA"))
    }
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_NO_CACHE_DIR="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PYTHONNOUSERSITE="1",
        PYTHONIOENCODING="utf-8",
        COLUMNS="160",
        HOME=str(home),
    )
    return env


def _step(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert done.returncode == 0, (
        f"{' '.join(args)} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    )
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    try:
        import hatchling  # noqa: F401
    except ImportError:  # pragma: no cover - a setup without the dev extra
        pytest.fail("the build backend hatchling is missing: pip install -e '.[dev]'")
    base = tmp_path_factory.mktemp("wheel")
    env = _clean_env(base / "home")
    (base / "home").mkdir()

    # The build backend's own PEP 517 hook, run from the clone: what `pip
    # wheel --no-build-isolation` calls, without pip's cache or index.
    dist = base / "dist"
    dist.mkdir()
    built = _step(
        [sys.executable, "-c", BUILD, str(dist)],
        ROOT,
        env,
    )
    wheel = dist / built.strip().splitlines()[-1]

    venv = base / "venv"
    _step([sys.executable, "-m", "venv", "--without-pip", str(venv)], base, env)
    python = venv / "bin" / "python"
    # pip from this environment, running under the new interpreter, so the
    # wheel lands in the new venv; before the .pth exists the new venv sees
    # nothing installed and so cannot mistake the clone's cmdsim for it.
    _step(
        [*PIP, "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        base,
        env,
    )
    purelib = _step(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        base,
        env,
    ).strip()
    # The runtime dependencies (simpy, numpy, ...) from this interpreter;
    # entries after the venv's own site-packages, so its cmdsim comes first.
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(purelib) / "_cmdsim_test_deps.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")

    outside = base / "elsewhere"
    outside.mkdir()
    return Installed(wheel=wheel, venv=venv, outside=outside, env=env)


def test_the_wheel_holds_every_bundled_file(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as archive:
        packaged = {
            name.removeprefix("cmdsim/_scenarios/")
            for name in archive.namelist()
            if name.startswith("cmdsim/_scenarios/")
        }
    bundled = {
        p.relative_to(ROOT / "scenarios").as_posix()
        for p in (ROOT / "scenarios").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    }
    assert {"compound-typhoon.yaml", "district/district.yaml", "msel/gas.yaml"} <= bundled
    assert packaged == bundled


def test_the_installed_cmdsim_is_the_wheels(installed: Installed) -> None:
    done = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c", "import cmdsim; print(cmdsim.__file__)"],
        cwd=installed.outside,
        env=installed.env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    where = Path(done.stdout.strip()).resolve()
    assert where.is_relative_to(installed.venv.resolve()), where
    assert not where.is_relative_to(ROOT), where


@pytest.fixture(scope="module")
def flagship_json(installed: Installed) -> str:
    """``cmdsim run --seed 1 --json`` from the wheel, outside the clone."""
    done = installed.cmdsim("run", "--seed", "1", "--json")
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_run_without_a_scenario_runs_the_flagship_outside_the_clone(
    installed: Installed, flagship_json: str
) -> None:
    metrics = json.loads(flagship_json)
    assert "typhoon_rainstorm" in metrics["incident"]
    # The same drill, bit for bit, as the clone's scenarios/ run in-process.
    clone = CliRunner().invoke(
        main, ["run", "--seed", "1", "--json", str(ROOT / "scenarios" / "compound-typhoon.yaml")]
    )
    assert clone.exit_code == 0, clone.output
    assert json.loads(clone.output) == metrics

    table = installed.cmdsim("run")
    assert table.returncode == 0, table.stderr
    assert "general HQ takeover" in table.stdout


def test_scenarios_lists_the_bundled_drills_from_the_package(installed: Installed) -> None:
    done = installed.cmdsim("scenarios", "--json")
    assert done.returncode == 0, done.stderr
    listing = json.loads(done.stdout)
    root = Path(listing["root"]).resolve()
    assert root.is_relative_to(installed.venv.resolve()), root
    files = [d["file"] for d in listing["drills"]]
    assert files[:4] == ["compound-typhoon.yaml", "flood-typhoon.yaml", "gas.yaml", "traffic.yaml"]
    assert files == [d.file for d in bundled.drills()]  # the clone's, read in-process
    table = installed.cmdsim("scenarios")
    assert table.returncode == 0, table.stderr
    assert "compound_typhoon" in table.stdout


def test_a_copied_drill_runs_and_a_second_copy_is_refused(
    installed: Installed, flagship_json: str
) -> None:
    copy = installed.outside / "mine"
    done = installed.cmdsim("scenarios", "copy", str(copy))
    assert done.returncode == 0, done.stderr
    assert (copy / "district" / "towns.yaml").is_file()
    ran = installed.cmdsim("run", "--seed", "1", "--json", "mine/compound-typhoon.yaml")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == flagship_json

    refused = installed.cmdsim("scenarios", "copy", str(copy))
    assert refused.returncode == 2
    assert "not empty" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
