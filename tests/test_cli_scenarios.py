"""``cmdsim scenarios``: the bundled drills, listed and copied out (issue 15, section 2).

The wheel side (a fresh venv, outside the clone) is in test_wheel_install.py;
here the same commands run in-process against the clone, plus what a wheel
test cannot cheaply show: a refused copy leaves nothing behind, a failed one
leaves no half tree, ``--force`` keeps the user's own files, and the
listing's quick read agrees with a full load of each drill.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdsim import bundled
from cmdsim.cli import main
from cmdsim.errors import ScenarioError
from cmdsim.io import load_scenario

ROOT = Path(__file__).resolve().parents[1]
DRILLS = [
    "compound-typhoon.yaml",
    "flood-typhoon.yaml",
    "gas.yaml",
    "traffic.yaml",
    "typhoon-landfall.yaml",
]


def invoke(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def tree(base: Path) -> dict[str, bytes]:
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in base.rglob("*") if p.is_file()}


def test_an_editable_install_reads_the_clones_scenarios() -> None:
    assert bundled.root() == ROOT / "scenarios"
    assert bundled.flagship() == ROOT / "scenarios" / "compound-typhoon.yaml"
    assert bundled.district() == ROOT / "scenarios" / "district"


def test_listing_names_each_drill_with_its_hazards() -> None:
    done = invoke("scenarios", "--json")
    assert done.exit_code == 0, done.output
    listing = json.loads(done.output)
    assert Path(listing["root"]) == ROOT / "scenarios"
    drills = {d["file"]: d for d in listing["drills"]}
    assert list(drills)[: len(DRILLS)] == DRILLS  # sorted by file; validation/ scenarios follow
    assert not [f for f in drills if f.startswith(("district/", "msel/"))]
    assert drills["traffic.yaml"]["id"] == "traffic"
    assert drills["traffic.yaml"]["hazards"] == ["road_traffic", "hazardous_chemicals"]
    assert drills["gas.yaml"]["msel"] == ["msel/gas.yaml"]
    assert drills["gas.yaml"]["scripts"] == ["msel/gas-script.yaml"]
    assert drills["flood-typhoon.yaml"]["msel"] == [
        "msel/flood-typhoon.csv",
        "msel/flood-typhoon.yaml",
    ]
    assert Path(drills["gas.yaml"]["path"]).is_file()

    table = invoke("scenarios")
    assert table.exit_code == 0, table.output
    for d in listing["drills"]:
        assert d["id"] in table.output and d["file"] in table.output
    assert "cmdsim scenarios copy DIR" in table.output
    assert invoke("scenarios", "list", "--json").output == done.output


def test_the_quick_listing_agrees_with_a_full_load_of_each_drill() -> None:
    for drill in bundled.drills():
        loaded = load_scenario(bundled.path(drill.file))
        hazards = list(dict.fromkeys(i.hazard for i in loaded.incidents))
        assert (drill.id, drill.name, list(drill.hazards)) == (loaded.id, loaded.name, hazards)
        assert (drill.incidents, drill.horizon_minutes) == (len(loaded.incidents), loaded.horizon)


def test_copy_makes_the_whole_tree_and_the_copy_runs(tmp_path: Path) -> None:
    dest = tmp_path / "drills"
    done = invoke("scenarios", "copy", str(dest))
    assert done.exit_code == 0, done.output
    assert f"cmdsim run {dest / 'compound-typhoon.yaml'}" in done.output
    assert tree(dest) == {
        name: (ROOT / "scenarios" / name).read_bytes() for name in bundled.files()
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == ["drills"]  # no staging left

    mine = invoke("run", "--seed", "3", "--json", str(dest / "gas.yaml"))
    theirs = invoke("run", "--seed", "3", "--json", str(bundled.path("gas.yaml")))
    assert mine.exit_code == 0, mine.output
    assert mine.output == theirs.output


def test_copy_into_an_empty_directory_and_as_json(tmp_path: Path) -> None:
    dest = tmp_path / "empty"
    dest.mkdir()
    done = invoke("scenarios", "copy", str(dest), "--json")
    assert done.exit_code == 0, done.output
    answer = json.loads(done.output)
    assert answer == {"to": str(dest), "files": bundled.files()}
    assert sorted(tree(dest)) == bundled.files()


def test_a_non_empty_directory_is_refused_and_left_alone(tmp_path: Path) -> None:
    dest = tmp_path / "mine"
    dest.mkdir()
    (dest / "gas.yaml").write_text("my own edits\n", encoding="utf-8")
    done = invoke("scenarios", "copy", str(dest))
    assert done.exit_code == 2
    assert done.output.startswith(f"error: {dest}: directory is not empty")
    assert "--force" in done.output
    assert tree(dest) == {"gas.yaml": b"my own edits\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]


def test_a_file_is_refused(tmp_path: Path) -> None:
    dest = tmp_path / "a-file"
    dest.write_text("x", encoding="utf-8")
    done = invoke("scenarios", "copy", str(dest), "--force")
    assert done.exit_code == 2
    assert done.output == f"error: {dest}: exists and is not a directory\n"


def test_a_copy_that_fails_half_way_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    real = shutil.copyfile
    copied: list[str] = []

    def failing(src: Any, dst: Any) -> Any:
        if len(copied) == 5:
            raise OSError(28, "No space left on device", str(dst))
        copied.append(str(dst))
        return real(src, dst)

    monkeypatch.setattr(shutil, "copyfile", failing)
    with pytest.raises(ScenarioError, match="cannot copy the bundled scenarios here"):
        bundled.copy(tmp_path / "drills")
    assert list(tmp_path.iterdir()) == []


_NAMES = st.sampled_from(["gas.yaml", "notes.md", "district/towns.yaml", "msel/mine.csv", "x.yaml"])


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(_NAMES, st.binary(max_size=20), min_size=1))
def test_force_replaces_the_bundled_names_and_keeps_the_rest(
    tmp_path_factory: pytest.TempPathFactory, before: dict[str, bytes]
) -> None:
    dest = tmp_path_factory.mktemp("force")
    for name, content in before.items():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        (dest / name).write_bytes(content)
    copied = bundled.copy(dest, force=True)
    after = tree(dest)
    source = ROOT / "scenarios"
    assert copied == bundled.files()
    for name in copied:
        assert after[name] == (source / name).read_bytes()
    for name, content in before.items():
        if name not in copied:
            assert after[name] == content
    assert set(after) == set(copied) | set(before)
    assert [p.name for p in dest.parent.iterdir() if ".copying-" in p.name] == []


def test_paths_outside_the_tree_or_missing_are_refused() -> None:
    with pytest.raises(
        ScenarioError, match=r"the bundled scenarios have no gass\.yaml .*gas\.yaml"
    ):
        bundled.path("gass.yaml")
    with pytest.raises(ScenarioError, match="not a path inside the bundled scenarios"):
        bundled.path("../pyproject.toml")


def test_a_packaged_copy_is_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site-packages" / "cmdsim"
    (package / "_scenarios").mkdir(parents=True)
    (package / "_scenarios" / "compound-typhoon.yaml").write_text("id: x\n", encoding="utf-8")
    monkeypatch.setattr(bundled, "resources", SimpleNamespace(files=lambda _: package))
    assert bundled.root() == package / "_scenarios"
    assert bundled.flagship() == package / "_scenarios" / "compound-typhoon.yaml"


def test_no_bundled_tree_is_a_clear_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the issue saw after a wheel install, now as a message, not a wrong lookup."""
    package = tmp_path / "lib" / "python3.11" / "site-packages" / "cmdsim"
    package.mkdir(parents=True)
    monkeypatch.setattr(bundled, "resources", SimpleNamespace(files=lambda _: package))
    for args in (["run"], ["scenarios"], ["scenarios", "copy", str(tmp_path / "out")]):
        done = invoke(*args)
        assert done.exit_code == 2, (args, done.output)
        assert done.output.startswith("error: the bundled scenarios are not installed")
        assert str(package / "_scenarios") in done.output
    assert not (tmp_path / "out").exists()


def test_run_records_the_bundled_drill_by_a_path_valid_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    done = invoke("run", "--out", "out")
    assert done.exit_code == 0, done.output
    about = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert Path(about["scenario"]) == bundled.flagship()
    assert Path(about["scenario"]).is_absolute()
