"""The deliberately flawed plan set produces every kind of finding, each at
the file and line its ``# expect: CODE`` marker names: the district's in
``flawed/``, a stubbed district's in ``stub/``, and a scenario's own (its
incidents') in ``flawed_scenario/``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import cmdsim.io as io
from cmdsim.check import KINDS, check

HERE = Path(__file__).resolve().parent
FLAWED = HERE / "flawed"
STUB = HERE / "stub"
SCENARIO = HERE / "flawed_scenario"
MARKER = re.compile(r"#\s*expect:\s*((?:CMD\d{3}\s*)+)$")


def expected(root: Path) -> set[tuple[str, Path, int]]:
    out = set()
    for path in sorted(root.rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = MARKER.search(line)
            if match:
                for code in match.group(1).split():
                    out.add((code, path.resolve(), number))
    return out


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    loaded = io.load_with_locations(FLAWED)
    return check(
        loaded.value,
        loaded.locations,
        source=str(FLAWED),
        unincluded=io.unincluded(FLAWED, loaded),
    )


def test_markers_name_every_kind_of_finding() -> None:
    # A stubbed district's findings (no hazards, no plans) cannot stand
    # beside the others: they have their own fixture.
    codes = {code for code, _, _ in expected(FLAWED)}
    stub = {code for code, _, _ in expected(STUB)}
    scenario = {code for code, _, _ in expected(SCENARIO)}
    assert stub == {"CMD004", "CMD005"}
    assert scenario == {"CMD019"}
    assert codes | stub | scenario == set(KINDS)
    assert not codes & stub and not codes & scenario


def test_a_scenarios_own_finding_at_its_marked_line() -> None:
    loaded = io.load_with_locations(SCENARIO / "scenario.yaml")
    report = check(loaded.value, loaded.locations)
    found = {(f.code, Path(f.file or "").resolve(), f.line) for f in report.findings}
    assert found == expected(SCENARIO)


def test_a_stubbed_district_warns_at_its_empty_lists() -> None:
    loaded = io.load_with_locations(STUB)
    report = check(loaded.value, loaded.locations)
    assert {(f.code, Path(f.file or "").resolve(), f.line) for f in report.findings} == expected(
        STUB
    )
    assert [str(f).split(": ", 1)[1] for f in report.findings] == [
        "CMD004 warning: hazards: district 'stub' names no hazards: nothing to cover",
        "CMD005 warning: plans: district 'stub' has no plans: nothing leads, nothing is checked",
    ]
    assert report.ok  # warnings: `--fail-on warning` makes CI fail on them


def test_hazards_without_plans_are_gaps_and_a_stub() -> None:
    from cmdsim.model import District, Hazard

    report = check(District(id="d", hazards=(Hazard(id="gas"),)))
    assert report.codes() == ["CMD001", "CMD005"]
    assert check(District(id="d")).codes() == ["CMD004", "CMD005"]


def test_every_finding_at_its_marked_file_and_line(report) -> None:  # type: ignore[no-untyped-def]
    found = set()
    for f in report.findings:
        assert f.file is not None and f.line is not None, f
        found.add((f.code, Path(f.file).resolve(), f.line))
    want = expected(FLAWED)
    assert found == want, (
        f"missing: {sorted(want - found, key=str)}\nunexpected: {sorted(found - want, key=str)}"
    )


def test_each_finding_has_its_kinds_severity_and_a_reason(report) -> None:  # type: ignore[no-untyped-def]
    for f in report.findings:
        assert f.severity is KINDS[f.code].severity
        assert f.message and f.why


def test_findings_come_from_the_included_plan_files(report) -> None:  # type: ignore[no-untyped-def]
    files = {Path(f.file).name for f in report.findings if f.file}
    # draft.yaml is the file nothing includes (CMD090).
    assert files == {"district.yaml", "gas.yaml", "others.yaml", "general.yaml", "draft.yaml"}


def test_a_scenario_is_checked_through_its_district(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(FLAWED, tmp_path / "flawed")
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        "id: drill\nstart: 2024-07-01T09:00:00\ndistrict: {include: flawed/district.yaml}\n",
        encoding="utf-8",
    )
    loaded = io.load_with_locations(scenario)
    report = check(loaded.value, loaded.locations)
    found = {(f.code, Path(f.file).resolve(), f.line) for f in report.findings if f.file}
    # A scenario file is not a district directory: its siblings are not
    # looked at, so no CMD090.
    assert found == {e for e in expected(tmp_path / "flawed") if e[0] != "CMD090"}
