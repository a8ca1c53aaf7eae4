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

from pathlib import Path
from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cmdsim")
    group.addoption(
        "--cmdsim-plans",
        action="store",
        default=None,
        help="district directory or file (or scenario file) the cmdsim fixtures load",
    )
    parser.addini(
        "cmdsim_plans",
        "district directory or file the cmdsim fixtures load, relative to the rootdir",
        default=None,
    )


@pytest.fixture(scope="session")
def cmdsim_plans(pytestconfig: pytest.Config) -> Path:
    option = pytestconfig.getoption("cmdsim_plans")
    if option:
        return Path(option)
    ini = pytestconfig.getini("cmdsim_plans")
    if ini:
        return Path(pytestconfig.rootpath) / str(ini)
    pytest.skip("no plans given: pass --cmdsim-plans PATH or set cmdsim_plans in the ini file")


@pytest.fixture(scope="session")
def _cmdsim_loaded(cmdsim_plans: Path) -> Any:
    from cmdsim.errors import CmdsimError, LoadError
    from cmdsim.io import load_with_locations

    try:
        return load_with_locations(cmdsim_plans)
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

    return check(_cmdsim_loaded.value, _cmdsim_loaded.locations, source=str(cmdsim_plans))
