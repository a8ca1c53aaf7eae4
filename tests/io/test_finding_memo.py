"""The scenario search's digests are kept per file while the files a load
read are unchanged (``cmdsim.io.finding``): a search repeated in one process
loads only what changed, and never answers from a file edited since."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cmdsim.io import finding, loading
from cmdsim.io.dumping import scenario_digest
from cmdsim.io.loading import load_scenario

HERE = Path(__file__).parent / "validation"


def test_a_digest_is_kept_until_a_file_its_load_read_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(HERE, tmp_path / "v")
    scenario = (tmp_path / "v" / "gas.yaml").resolve()
    first = finding._digest_of(scenario)
    assert first == scenario_digest(load_scenario(scenario))

    def no_load(*args: object, **kwargs: object) -> object:
        raise AssertionError("loaded again although nothing changed")

    with monkeypatch.context() as patched:
        patched.setattr(loading, "load_with_locations", no_load)
        assert finding._digest_of(scenario) == first

    # An included file (not the scenario itself) edited: loaded again.
    plans = tmp_path / "v" / "district" / "plans.yaml"
    plans.write_text(
        plans.read_text(encoding="utf-8").replace("name: gas plan", "name: gas plan B"),
        encoding="utf-8",
    )
    second = finding._digest_of(scenario)
    assert second != first
    assert second == scenario_digest(load_scenario(scenario))


def test_a_file_that_is_no_scenario_has_no_digest(tmp_path: Path) -> None:
    shutil.copytree(HERE, tmp_path / "v")
    district = (tmp_path / "v" / "district" / "district.yaml").resolve()
    assert finding._digest_of(district) is None
