"""Each deliberately broken file yields exactly its expected messages.

``broken/NAME.yaml`` is loaded from inside ``broken/`` and must raise a
``LoadError`` whose problems print as the lines of ``broken/NAME.expected``.
Files under ``broken/parts/`` are only ever included.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim.errors import LoadError
from cmdsim.io import load

BROKEN = Path(__file__).parent / "broken"
CASES = sorted(p.stem for p in BROKEN.glob("*.yaml"))


def expected(name: str) -> list[str]:
    return (BROKEN / f"{name}.expected").read_text(encoding="utf-8").splitlines()


def test_there_are_enough_broken_files() -> None:
    assert len(CASES) >= 15
    for name in CASES:
        assert (BROKEN / f"{name}.expected").exists(), name


@pytest.mark.parametrize("name", CASES)
def test_broken_file_gives_its_exact_messages(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN)
    with pytest.raises(LoadError) as caught:
        load(f"{name}.yaml")
    assert [str(p) for p in caught.value.problems] == expected(name)


@pytest.mark.parametrize("name", CASES)
def test_cli_validate_exits_2_with_the_messages(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from cmdsim.cli import main

    monkeypatch.chdir(BROKEN)
    result = CliRunner().invoke(main, ["validate", f"{name}.yaml"])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == expected(name)
    assert "Traceback" not in result.output


def test_missing_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LoadError) as caught:
        load("plans/nowhere.yaml")
    assert [str(p) for p in caught.value.problems] == ["plans/nowhere.yaml: file not found"]


def test_directory_without_district_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty_dir").mkdir()
    with pytest.raises(LoadError) as caught:
        load("empty_dir")
    assert [str(p) for p in caught.value.problems] == ["empty_dir/district.yaml: file not found"]


def test_too_large_file_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cmdsim.io.reading.MAX_BYTES", 1024)
    monkeypatch.chdir(tmp_path)
    Path("big.yaml").write_text("id: demo\nsource: '" + "x" * 2000 + "'\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load("big.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "big.yaml: file is 2,020 bytes, more than the limit of 1,024"
    ]


def test_deep_nesting_is_one_problem() -> None:
    from cmdsim.io import loads

    with pytest.raises(LoadError) as caught:
        loads("id: demo\nsource: " + "[" * 1500 + "]" * 1500)
    assert len(caught.value.problems) == 1
    assert "nest" in caught.value.problems[0].message


def test_recursive_alias_is_a_problem() -> None:
    from cmdsim.io import loads

    with pytest.raises(LoadError) as caught:
        loads("id: demo\nsource: &a [*a]\n")
    assert [str(p) for p in caught.value.problems] == [
        "<string>:2:9: source[0]: an alias refers to a value that contains it",
        "<string>:2:9: source: expected a string, got a list",
    ]


def test_devices_are_not_read() -> None:
    from cmdsim.io import loads

    with pytest.raises(LoadError) as caught:
        loads("id: demo\nunits: {include: /dev/zero}\n")
    assert [str(p) for p in caught.value.problems] == [
        "<string>:2:18: units: cannot include '/dev/zero': is not a regular file"
    ]
