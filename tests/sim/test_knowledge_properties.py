"""What reporters know: invariants over generated reporting and noise, and
bad values refused with their place in the file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdsim.bundled import path as bundled_path
from cmdsim.cli import main
from cmdsim.io import load_scenario
from cmdsim.model import Figures
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import Fixed, LogNormal
from cmdsim.sim import simulate
from cmdsim.sim.engine import execute
from tests.sim.test_knowledge import deaths_scenario

delays = st.one_of(
    st.floats(0, 60).map(Fixed),
    st.floats(1, 40).map(lambda m: LogNormal(median=m, sigma=0.5)),
)
figures = st.builds(
    Figures,
    lag=delays,
    first=st.floats(0, 1),
    recounts=st.integers(0, 3),
    every=delays,
)
points = st.lists(
    st.tuples(st.floats(0, 300), st.integers(0, 40), st.integers(0, 20), st.integers(0, 50_000)),
    min_size=1,
    max_size=4,
).map(
    lambda raw: tuple(
        SeverityPoint(at=at, deaths=d, serious_injuries=s, households=h)
        for at, d, s, h in sorted(raw)
    )
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    spec=figures,
    timeline=points,
    false_alarms=st.floats(0, 0.45),
    duplicates=st.floats(0, 0.45),
    verify=st.one_of(st.none(), delays),
    seed=st.integers(0, 2**16),
)
def test_known_figures_never_exceed_the_truth_so_far(
    spec: Figures,
    timeline: tuple[SeverityPoint, ...],
    false_alarms: float,
    duplicates: float,
    verify: Any,
    seed: int,
) -> None:
    """The rooms' figures are counts of what was true: never above the
    highest true value up to that moment (figures may truly fall later)."""
    base = deaths_scenario(
        figures=spec, false_alarms=false_alarms, duplicates=duplicates, verify=verify
    )
    s = attrs.evolve(base, incidents=(attrs.evolve(base.incidents[0], timeline=timeline),))
    run = execute(s, seed)
    if run.knowledge is None:
        return
    incident = run.compiled.incident["flood1"]
    for time, known in run.knowledge.history.get("flood1", []):
        for figure, value in known.items():
            true = [
                float(k[figure])
                for at, k in zip(incident.times, incident.known, strict=True)
                if incident.onset + at <= time and figure in k
            ]
            assert true and value <= max(true), (time, figure, value, true)
    tally = run.knowledge.tally.get("flood1", {})
    if false_alarms == 0:
        assert "false_alarms" not in tally
    if duplicates == 0:
        assert "duplicates" not in tally


DRILLS = ("gas", "traffic", "flood-typhoon", "compound-typhoon", "typhoon-landfall")


def _channels(scenario: Scenario, **fields: Any) -> Scenario:
    district = scenario.district
    channels = tuple(attrs.evolve(c, **fields) for c in district.channels)
    return attrs.evolve(scenario, district=attrs.evolve(district, channels=channels))


@pytest.fixture(scope="module")
def drills() -> dict[str, Scenario]:
    return {name: load_scenario(bundled_path(f"{name}.yaml")) for name in DRILLS}


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(DRILLS), seed=st.integers(0, 2**16))
def test_with_nothing_stated_results_are_the_engine_without_it(
    drills: dict[str, Scenario], name: str, seed: int
) -> None:
    """Zero rates, no lag, no under-count, no verification: the same bytes as
    channels that state nothing of it (every existing draw in place)."""
    none = _channels(drills[name], figures=None, false_alarms=0, duplicates=0, verify=None)
    warning = {c.id for c in none.district.channels if c.kind.value == "warning"}
    district = none.district
    inert = attrs.evolve(
        none,
        district=attrs.evolve(
            district,
            channels=tuple(
                c if c.id in warning else attrs.evolve(c, figures=Figures(), verify=Fixed(0.0))
                for c in district.channels
            ),
        ),
    )
    assert simulate(none, seed).to_json() == simulate(inert, seed).to_json()


HERE = Path(__file__).parents[1] / "io" / "validation"
HOTLINE = "  - {id: hotline_12345, name: 12345 hotline, kind: hotline, delay: 10}"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("false_alarms: 1.5", "channels[0].false_alarms: 1.5 is not a probability between 0 and 1"),
        ("duplicates: -0.1", "channels[0].duplicates: -0.1 is not a probability between 0 and 1"),
        (
            "false_alarms: 0.6, duplicates: 0.4",
            "channels[0].duplicates: false_alarms 0.6 and duplicates 0.4 leave no genuine "
            "report (their sum must be below 1)",
        ),
        (
            "figures: {first: 1.2}",
            "channels[0].figures.first: 1.2 is not a probability between 0 and 1",
        ),
        (
            "figures: {lag: -3}",
            "channels[0].figures.lag: -3 minutes is negative",
        ),
    ],
)
def test_bad_values_are_located_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str, message: str
) -> None:
    shutil.copytree(HERE, tmp_path / "validation")
    monkeypatch.chdir(tmp_path / "validation")
    district = Path("district/district.yaml")
    text = district.read_text(encoding="utf-8")
    assert text.count(HOTLINE) == 1
    district.write_text(text.replace(HOTLINE, HOTLINE[:-1] + ", " + extra + "}"), encoding="utf-8")
    for command in ("validate", "run"):
        result = CliRunner().invoke(main, [command, "gas.yaml"])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        # One line: the file, the hotline's line 28, the field, the reason.
        pattern = r"district[/\\]district\.yaml:28:\d+: district\." + re.escape(message)
        assert re.fullmatch(pattern, result.stderr.strip()), result.stderr


def test_a_warning_channel_cannot_be_verified(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = """id: d
hazards: [{id: flood}]
channels:
  - {id: met, kind: warning, verify: 5}
"""
    Path(tmp_path / "d.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", "d.yaml"])
    assert result.exit_code == 2
    assert result.stderr == (
        "d.yaml:4:30: channels[0].verify: a warning channel passes signals, not reports; "
        "its 'verify' would have no effect\n"
    )
