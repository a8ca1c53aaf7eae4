"""The ``cmdsim`` pytest plugin (registered under ``pytest11``).

Every pytest run in an environment with cmdsim installed loads this module,
so it imports only pytest at import time; the loader, the checker and
hypothesis are imported when a fixture is first used.

Fixtures:

- ``cmdsim_plans``: the path given by ``--cmdsim-plans`` or the ini option
  ``cmdsim_plans`` (relative to the rootdir), or skips the test if neither.
- ``cmdsim_district``: the district loaded from it (a scenario's district if
  the path is a scenario), once per session.
- ``cmdsim_check``: the :class:`cmdsim.check.CheckReport` of that district,
  with file and line for each finding.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

INI_NAME = "cmdsim_plans"

# Ini keys pytest did not know, as its config-time warnings name them: a
# misspelt ``cmdsim_plans`` would otherwise skip every plan test and leave CI
# green.
_unknown_ini_keys: list[str] = []
_UNKNOWN_KEY = re.compile(r"Unknown config option: (\S+)")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cmdsim")
    group.addoption(
        "--cmdsim-plans",
        action="store",
        default=None,
        help="district directory or file (or scenario file) the cmdsim fixtures load",
    )
    parser.addini(
        INI_NAME,
        "district directory or file the cmdsim fixtures load, relative to the rootdir",
        default=None,
    )


def pytest_configure(config: pytest.Config) -> None:
    _unknown_ini_keys.clear()


def pytest_warning_recorded(warning_message: Any, when: str) -> None:
    # Config-time warnings are replayed to plugins registered later
    # (call_historic), so this sees pytest's "Unknown config option" for any
    # key of the ini file.
    if when != "config":
        return
    found = _UNKNOWN_KEY.search(str(warning_message.message))
    if found:
        _unknown_ini_keys.append(found.group(1))


def _misspelt_ini_key() -> str | None:
    """An unknown ini key that was meant to be ``cmdsim_plans``, if any."""
    for key in _unknown_ini_keys:
        plain = key.lower().replace("-", "_")
        if plain.startswith("cmdsim") or difflib.get_close_matches(plain, [INI_NAME], 1, 0.8):
            return key
    return None


@pytest.fixture(scope="session")
def cmdsim_plans(pytestconfig: pytest.Config) -> Path:
    option = pytestconfig.getoption("cmdsim_plans")
    if option:
        path = Path(option)
        if not path.exists():
            pytest.fail(f"--cmdsim-plans {option}: {path} does not exist", pytrace=False)
        return path
    ini = pytestconfig.getini(INI_NAME)
    where = pytestconfig.inipath or "the ini file"
    if ini:
        path = Path(pytestconfig.rootpath) / str(ini)
        if not path.exists():
            # The setting's own line, not only a path the reader must trace back.
            pytest.fail(f"{where}: {INI_NAME} = {ini}: {path} does not exist", pytrace=False)
        return path
    misspelt = _misspelt_ini_key()
    if misspelt is not None:
        pytest.fail(
            f"{where}: unknown setting {misspelt!r} (did you mean {INI_NAME!r}?); "
            "without it every test of the plans would be skipped",
            pytrace=False,
        )
    pytest.skip("no plans given: pass --cmdsim-plans PATH or set cmdsim_plans in the ini file")


@pytest.fixture(scope="session")
def _cmdsim_loaded(cmdsim_plans: Path) -> Any:
    from cmdsim.check.accept import acceptance_problems
    from cmdsim.errors import CmdsimError, LoadError
    from cmdsim.io import load_with_locations

    try:
        loaded = load_with_locations(cmdsim_plans)
        # An acceptance of a code no finding has, refused as `cmdsim check` does.
        refused = acceptance_problems(loaded.value, loaded.locations)
        if not refused:
            return loaded
        message = "\n".join(str(problem) for problem in refused)
    except LoadError as exc:
        message = "\n".join(str(problem) for problem in exc.problems)
    except CmdsimError as exc:
        message = f"{cmdsim_plans}: {exc}"
    # The planner's typo, as `cmdsim validate` says it: file, line and field,
    # not a page of the loader's traceback under every test (and outside the
    # except, so no "during handling of the above exception" either).
    pytest.fail(message, pytrace=False)


@pytest.fixture(scope="session")
def cmdsim_district(_cmdsim_loaded: Any) -> Any:
    from cmdsim.model import Scenario

    value = _cmdsim_loaded.value
    return value.district if isinstance(value, Scenario) else value


@pytest.fixture(scope="session")
def cmdsim_check(_cmdsim_loaded: Any, cmdsim_plans: Path) -> Any:
    from cmdsim.check import check
    from cmdsim.io import unincluded

    stray = unincluded(cmdsim_plans, _cmdsim_loaded) if cmdsim_plans.is_dir() else None
    return check(
        _cmdsim_loaded.value,
        _cmdsim_loaded.locations,
        source=str(cmdsim_plans),
        unincluded=stray,
    )


_PACKAGE = Path(__file__).resolve().parent.parent


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Any, Any]:
    """A plan file the test loads that cannot be read fails with the
    loader's located problems under the test's own line, not with a page of
    cmdsim's loader source ending in them.  ``--tb=long`` (or any style but
    the default) keeps pytest's traceback."""
    report = yield
    errors = sys.modules.get("cmdsim.errors")
    excinfo = call.excinfo
    if errors is None or excinfo is None or report.passed:
        return report
    if not isinstance(excinfo.value, errors.LoadError):
        return report
    if item.config.getoption("tbstyle", "auto") != "auto":
        return report
    outside = [
        entry
        for entry in excinfo.traceback
        if _PACKAGE not in Path(str(entry.path)).resolve().parents
    ]
    where = ""
    if outside:
        entry = outside[-1]
        line = str(entry.statement).strip()
        where = f"{entry.path}:{entry.lineno + 1}: in {entry.name}\n    {line}\n"
    problems = "\n".join(str(problem) for problem in excinfo.value.problems)
    report.longrepr = f"{where}{problems}"
    return report
