"""The file format page covers the model, and the example runs."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import attrs
import pytest

from cmdsim import model

ROOT = Path(__file__).resolve().parents[2]


def model_classes() -> list[type]:
    return [
        value
        for name, value in vars(model).items()
        if isinstance(value, type) and attrs.has(value) and name not in {"Condition"}
    ]


@pytest.mark.parametrize("cls", model_classes(), ids=lambda c: c.__name__)
def test_files_page_lists_every_key_of_every_class(cls: type) -> None:
    page = (ROOT / "docs" / "files.md").read_text(encoding="utf-8")
    match = re.search(rf"^### {cls.__name__}\n(.*?)(?=^### |\Z)", page, re.M | re.S)
    assert match, f"docs/files.md has no section for {cls.__name__}"
    documented = re.findall(r"^\| `(\w+)` \|", match.group(1), re.M)
    assert documented == [f.name for f in attrs.fields(cls)]


def test_load_and_inspect_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(ROOT / "examples" / "load_and_inspect.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "plans:" in out
    assert "broken.yaml:4:12: units[0].staff: expected a whole number, got 'many'" in out
