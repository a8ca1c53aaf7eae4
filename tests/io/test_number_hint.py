"""A number YAML reads as text (``1e3``: YAML 1.1 wants a dot) is a located
error that says why, not just "expected a number"."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmdsim.errors import CmdsimError
from cmdsim.io import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("written", "hinted"),
    [("1e3", True), ("2E+2", True), ("1.0e3", True), ("1.0e+3", False), ("ten", False)],
)
def test_an_exponent_without_a_dot_is_explained(tmp_path: Path, written: str, hinted: bool) -> None:
    text = (ROOT / "tests" / "sim" / "town_plan.yaml").read_text(encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(text.replace("horizon: 300", f"horizon: {written}", 1), encoding="utf-8")
    if written == "1.0e+3":
        assert load_scenario(path).horizon == 1000.0
        return
    with pytest.raises(CmdsimError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert "s.yaml:" in message and "horizon" in message
    assert ("signed exponent" in message) is hinted
