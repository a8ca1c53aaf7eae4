"""Times outside the run are located errors, from the CLI and the Python API.

Each case breaks ``validation/gas.yaml`` (a good scenario over a small
district) in one place, the way a planner would, and requires ``validate``,
``check`` and ``run`` to exit 2 with exactly the located message, and
``load_scenario`` to raise it.  Before, a one-digit date typo putting the
onset ten days after the start passed ``validate`` and ``check`` and ``run``
printed ``aware -14390.0``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdsim.cli import main
from cmdsim.errors import LoadError
from cmdsim.io import load_scenario, loads
from cmdsim.model import Scenario

HERE = Path(__file__).parent / "validation"


def scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *edits: tuple[str, str]) -> str:
    """``gas.yaml`` with each ``(old, new)`` edit made, in a copy; its name."""
    shutil.copytree(HERE, tmp_path / "validation")
    monkeypatch.chdir(tmp_path / "validation")
    text = Path("gas.yaml").read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    Path("gas.yaml").write_text(text, encoding="utf-8")
    return "gas.yaml"


def refused(name: str, expected: list[str]) -> None:
    """Every command a planner tries refuses the file with exactly these lines."""
    for command in ("validate", "check", "run"):
        result = CliRunner().invoke(main, [command, name])
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.splitlines() == expected, command
        assert "Traceback" not in result.output
    with pytest.raises(LoadError) as caught:
        load_scenario(name)
    assert [str(p) for p in caught.value.problems] == expected


def test_the_good_scenario_is_accepted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = scenario(tmp_path, monkeypatch)
    for command in ("validate", "run"):
        result = CliRunner().invoke(main, [command, name])
        assert result.exit_code == 0, result.output
    assert load_scenario(name).horizon == 600


def test_a_date_typo_putting_the_onset_ten_days_late(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = scenario(
        tmp_path,
        monkeypatch,
        ("    onset: 2025-01-29T18:00:00", "    onset: 2025-02-08T18:00:00"),
    )
    refused(
        name,
        [
            "gas.yaml:11:5: incidents[0].onset: onset 2025-02-08T18:00 is 14,400 min after the "
            "start 2025-01-29T18:00, after the horizon of 600 min (the run ends "
            "2025-01-30T04:00): the incident would never happen in the run"
        ],
    )


def test_an_onset_before_the_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = scenario(
        tmp_path, monkeypatch, ("    onset: 2025-01-29T18:00:00", "    onset: 2025-01-29T17:30:00")
    )
    refused(
        name,
        [
            "gas.yaml:11:5: incidents[0].onset: onset 2025-01-29T17:30 is 30 min before the "
            "scenario start 2025-01-29T18:00 (warnings before impact go in the timeline, at "
            "negative 'at')"
        ],
    )


def test_an_inject_after_the_horizon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = scenario(tmp_path, monkeypatch, ("    at: 40\n", "    at: 2000\n"))
    refused(
        name,
        [
            "gas.yaml:26:5: injects[1].at: 2,000 min is after the horizon of 600 min "
            "(the run ends 2025-01-30T04:00)"
        ],
    )


def test_an_inject_exactly_at_the_horizon_is_outside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run stops at its horizon before what is timed at that minute: an
    inject there loaded and was never delivered (tests/test_user_trial.py)."""
    name = scenario(tmp_path, monkeypatch, ("    at: 40\n", "    at: 600\n"))
    refused(
        name,
        [
            "gas.yaml:26:5: injects[1].at: 600 min is at the horizon of 600 min, where the run "
            "stops before it (the run ends 2025-01-30T04:00)"
        ],
    )
    moved = scenario(tmp_path / "moved", monkeypatch, ("    at: 40\n", "    at: 599.5\n"))
    assert load_scenario(moved).injects[1].at == 599.5


def test_timeline_points_outside_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = scenario(
        tmp_path,
        monkeypatch,
        (
            "      - {at: 0, households: 300}\n",
            "      - {at: -30, households: 10}\n      - {at: 0, households: 300}\n",
        ),
        (
            "      - {at: 40, deaths: 1}",
            "      - {at: 40, deaths: 1}\n      - {at: 900, deaths: 2}",
        ),
    )
    refused(
        name,
        [
            "gas.yaml:14:10: incidents[0].timeline[0].at: at -30 min from onset falls 30 min "
            "before the start 2025-01-29T18:00 (onset is 0 min after the start)",
            "gas.yaml:17:10: incidents[0].timeline[3].at: at 900 min from onset falls 900 min "
            "after the start, after the horizon of 600 min (onset is 0 min after the start)",
        ],
    )


def test_a_forecast_warning_before_onset_inside_the_run_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Negative 'at' is a warning ahead of impact: only the absolute time counts.
    name = scenario(
        tmp_path,
        monkeypatch,
        ("    onset: 2025-01-29T18:00:00", "    onset: 2025-01-29T21:00:00"),
        (
            "      - {at: 0, households: 300}\n",
            "      - {at: -180, households: 10}\n      - {at: 0, households: 300}\n",
        ),
    )
    loaded = load_scenario(name)
    assert loaded.minutes(loaded.incidents[0].onset) + loaded.incidents[0].timeline[0].at == 0
    result = CliRunner().invoke(main, ["run", name])
    assert result.exit_code == 0, result.output


def test_a_whole_timeline_outside_the_run_is_one_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = scenario(
        tmp_path,
        monkeypatch,
        ("      - {at: 0, households: 300}", "      - {at: 700, households: 300}"),
        ("      - {at: 40, deaths: 1}", "      - {at: 740, deaths: 1}"),
    )
    refused(
        name,
        [
            "gas.yaml:13:5: incidents[0].timeline: the whole timeline lies outside the run: its "
            "points fall from 700 to 740 min from the start, the run covers 0 to 600 min from "
            "the start"
        ],
    )


def test_an_onset_without_a_time_zone_when_the_start_has_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = scenario(
        tmp_path, monkeypatch, ("start: 2025-01-29T18:00:00", "start: 2025-01-29T18:00:00+08:00")
    )
    refused(
        name, ["gas.yaml:11:5: incidents[0].onset: onset has no time zone but the start has one"]
    )


def test_a_zero_horizon_runs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = scenario(tmp_path, monkeypatch, ("horizon: 600", "horizon: 0"))
    refused(name, ["gas.yaml:5:1: horizon: a horizon of 0 minutes runs nothing"])


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("horizon: 600", "horizon: -600"), "gas.yaml:5:1: horizon: -600 minutes is negative"),
        (
            ("horizon: 600", "horizon: 1000000000"),
            "gas.yaml:5:1: horizon: 1e+09 minutes is absurdly long (max 1e+06)",
        ),
        (("    at: 5\n", "    at: -5\n"), "gas.yaml:18:5: injects[0].at: -5 minutes is negative"),
        (
            ("      - {at: 40, deaths: 1}", "      - {at: 40, deaths: -1}"),
            "gas.yaml:15:18: incidents[0].timeline[1].deaths: -1.0 must be a finite number >= 0",
        ),
    ],
)
def test_negative_and_absurd_numbers_are_located(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    edit: tuple[str, str],
    expected: str,
) -> None:
    refused(scenario(tmp_path, monkeypatch, edit), [expected])


def test_a_negative_horizon_hides_no_other_time_problem_and_makes_none_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The horizon is wrong, so nothing is measured against it; the onset
    # before the start is still reported.
    name = scenario(
        tmp_path,
        monkeypatch,
        ("horizon: 600", "horizon: -600"),
        ("    onset: 2025-01-29T18:00:00", "    onset: 2025-01-28T18:00:00"),
    )
    refused(name, ["gas.yaml:5:1: horizon: -600 minutes is negative"])


# -- the rule, for any times ------------------------------------------------

START = dt.datetime(2025, 1, 29, 18, 0)

DOCUMENT = """\
id: s
district: {{id: d, hazards: [{{id: gas}}], towns: [{{id: t}}]}}
start: 2025-01-29T18:00:00
horizon: {horizon}
incidents:
  - {{id: i, hazard: gas, town: t, onset: {onset}, timeline: [{points}]}}
injects:
  - {{id: j, at: {inject}}}
"""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    horizon=st.integers(1, 3000),
    onset=st.integers(-500, 3500),
    points=st.lists(st.integers(-600, 3000), min_size=1, max_size=4).map(sorted),
    inject=st.integers(0, 3500),
)
def test_a_scenario_loads_exactly_when_every_time_is_inside_the_run(
    horizon: int, onset: int, points: list[int], inject: int
) -> None:
    text = DOCUMENT.format(
        horizon=horizon,
        onset=(START + dt.timedelta(minutes=onset)).isoformat(),
        # Each point states a figure: one stating nothing is refused on its own.
        points=", ".join(f"{{at: {at}, deaths: 0}}" for at in points),
        inject=inject,
    )
    times = [onset, *(onset + at for at in points), inject]
    inside = all(0 <= t < horizon for t in times)  # the run stops at the horizon
    try:
        loaded = loads(text)
    except LoadError as exc:
        assert not inside, [str(p) for p in exc.problems]
        # One problem per thing out of place at most, each located.
        assert 1 <= len(exc.problems) <= len(points) + 2
        assert all(p.line is not None and p.path for p in exc.problems)
        return
    assert inside
    assert isinstance(loaded, Scenario)
