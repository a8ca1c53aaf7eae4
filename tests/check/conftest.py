"""What the CI-trial tests share: the planning-office example, copied and changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

OFFICE = Path(__file__).resolve().parents[2] / "examples" / "planning-office"
"""The worked example of docs/testing.md: a planning office's plans and tests."""


@pytest.fixture
def office_with_two_gas_leads(tmp_path: Path) -> Path:
    """The example office after a plan change: the traffic plan takes gas too."""
    root = tmp_path / "office"
    shutil.copytree(OFFICE, root)
    traffic = root / "plans" / "special" / "traffic.yaml"
    text = traffic.read_text(encoding="utf-8")
    assert "hazards: [road_traffic]" in text
    traffic.write_text(
        text.replace("hazards: [road_traffic]", "hazards: [road_traffic, gas]"), encoding="utf-8"
    )
    return root
