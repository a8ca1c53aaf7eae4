"""The pytest plugin loads in every pytest run: it must stay light."""

from __future__ import annotations

import subprocess
import sys


def test_plugin_imports_without_hypothesis_or_loader() -> None:
    code = (
        "import sys, cmdsim.testing.plugin; "
        "heavy = [m for m in ('hypothesis', 'cmdsim.io', 'cmdsim.check', 'cmdsim.sim') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_plugin_is_registered(pytestconfig) -> None:  # type: ignore[no-untyped-def]
    assert pytestconfig.pluginmanager.has_plugin("cmdsim")
    assert pytestconfig.getoption("cmdsim_plans") is None
