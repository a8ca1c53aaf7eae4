"""An incident's ``flags``: what they do in a run, and a flag with no effect.

The flags reach the engine only through the plans' ``raise_flags`` (the case's
flags, sim/case.py ``raise_flags``); the calendar alone decides the time band.
So a flag no plan of the district raises on changes nothing in any run: it
is refused, located at the flag, as the loader refuses other settings with
no effect.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

import cmdsim
from cmdsim.cli import main
from cmdsim.errors import CmdsimError
from cmdsim.io import load_scenario
from cmdsim.model.scenario import Scenario
from cmdsim.model.timing import Staffing
from cmdsim.sim import simulate
from tests.sim.build import scenario

TINY = Path(__file__).resolve().parents[1] / "analysis" / "data" / "fast_tiny.yaml"


def _flagged(flags: tuple[str, ...], raise_flags: tuple[str, ...]) -> Scenario:
    # Wednesday 3 July 2024, onset 11:00: the day band; the room's holiday
    # shift is 0, so a report triaged in a holiday band would wait forever.
    sc = scenario(staffing=Staffing(day=1, night=1, holiday=0))
    plan = attrs.evolve(sc.district.plans[0], raise_flags=raise_flags)
    district = attrs.evolve(sc.district, plans=(plan,))
    incident = attrs.evolve(sc.incidents[0], flags=flags)
    return attrs.evolve(sc, district=district, incidents=(incident,))


def _decisions(sc: Scenario) -> list[tuple[float, str, object]]:
    result = simulate(sc, seed=0)
    return [
        (e.time, e.kind, e.detail("level"))
        for e in result.events
        if e.kind in ("aware", "level_decided", "hq_activated")
    ]


def test_a_holiday_flag_raises_the_level_on_an_ordinary_day_and_nothing_else() -> None:
    plain = _decisions(_flagged((), ("holiday",)))
    flagged = _decisions(_flagged(("holiday",), ("holiday",)))
    # (a) the plan says so: IV raised to III; (b) the same times: the room
    # worked in the day band (its holiday shift of 0 would have stopped it).
    assert [level for _, kind, level in plain if kind == "level_decided"] == ["IV"]
    assert [level for _, kind, level in flagged if kind == "level_decided"] == ["III"]
    assert [(t, k) for t, k, _ in flagged] == [(t, k) for t, k, _ in plain]


def test_a_flag_no_plan_raises_on_is_a_located_error() -> None:
    with pytest.raises(CmdsimError) as caught:
        cmdsim.simulate(_flagged(("major_event",), ("holiday",)), 0)
    assert "incidents[0].flags[0]: no plan raises the level on 'major_event'" in str(caught.value)
    assert "no effect" in str(caught.value)


def test_the_cli_names_the_file_and_line_of_a_flag_with_no_effect(tmp_path: Path) -> None:
    text = TINY.read_text(encoding="utf-8").replace(
        "    committee: east_r1\n", "    committee: east_r1\n    flags: [sensitive_site]\n", 1
    )
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    flags: [sensitive_site]") + 1
    done = CliRunner().invoke(main, ["validate", str(path)])
    assert done.exit_code == 2, done.output
    assert f"tiny.yaml:{line}:" in done.output
    assert "incidents[0].flags[0]: no plan raises the level on 'sensitive_site'" in done.output
    assert "Traceback" not in done.output


def test_a_flag_a_plan_raises_on_loads() -> None:
    sc = load_scenario(TINY)
    incident = attrs.evolve(sc.incidents[0], flags=("holiday",))
    cmdsim.simulate(attrs.evolve(sc, incidents=(incident,)), 0)


def test_a_flag_only_another_hazards_plan_raises_on_is_a_located_error(tmp_path: Path) -> None:
    # fast_tiny: the gas plan raises on holiday, the flood plan on nothing;
    # the rain (a flood) flagged holiday is decided by the flood plan alone.
    text = TINY.read_text(encoding="utf-8").replace(
        "    hazard: flood\n    town: east_town\n",
        "    hazard: flood\n    town: east_town\n    flags: [holiday]\n",
        1,
    )
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    flags: [holiday]") + 1
    done = CliRunner().invoke(main, ["validate", str(path)])
    assert done.exit_code == 2, done.output
    assert (
        f"tiny.yaml:{line}:13: incidents[1].flags[0]: no plan deciding the incident's level "
        "(flood_plan) raises the level on 'holiday': the flag would have no effect"
    ) in done.output
