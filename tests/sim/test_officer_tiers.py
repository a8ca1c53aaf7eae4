"""The four-tier information-officer network, hand-checked.

Every tier relays in exactly 10 minutes and never misses; the town room
triages in 3 and forwards in 4; the district room triages in 5.  Onset is at
minute 60 (the tiny scenario), with no channel but the officers.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.errors import ModelError
from cmdsim.model import Channel, ChannelKind
from cmdsim.model.organisation import Receiver
from cmdsim.model.scenario import Scenario
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate

from .build import ONE, officer_network


def _network(to: Receiver, town_room: bool = True) -> Scenario:
    return officer_network(to, town_room=town_room)


def _arrivals(sc: Scenario) -> list[tuple[float, str, str]]:
    result = simulate(sc, seed=0)
    return [
        (e.time, e.actor, e.kind)
        for e in result.events
        if e.kind in ("aware", "report_received", "report_forwarded")
    ]


def test_all_four_tiers_relay_and_each_reports_to_its_room() -> None:
    # compound 70, committee 80, town officer 90: the town room has it (triage
    # 93, forward 97); the district officer 100: the district room has it.
    assert _arrivals(_network(Receiver.DISTRICT)) == [
        (97.0, "town_a_room", "report_forwarded"),
        (97.0, "district_duty_room", "aware"),
        (100.0, "district_duty_room", "report_received"),
    ]


def test_to_town_stops_at_the_town_officer() -> None:
    # three hops to 90, town triage 93, forwarded 97; no district officer
    assert _arrivals(_network(Receiver.TOWN)) == [
        (97.0, "town_a_room", "report_forwarded"),
        (97.0, "district_duty_room", "aware"),
    ]


def test_a_town_without_a_room_leaves_the_district_officer_to_report() -> None:
    assert _arrivals(_network(Receiver.DISTRICT, town_room=False)) == [
        (100.0, "district_duty_room", "aware"),
    ]


@pytest.mark.parametrize(
    ("field", "value"), [("delay", Fixed(12.0)), ("miss", 0.1), ("factors", ONE)]
)
def test_an_officers_channel_refuses_a_setting_it_would_ignore(field: str, value: object) -> None:
    with pytest.raises(ModelError, match=f"its own '{field}' would have no effect"):
        Channel(id="officers", kind=ChannelKind.OFFICERS, **{field: value})  # type: ignore[arg-type]


def test_the_cli_names_the_file_line_and_field_of_an_ignored_setting(tmp_path: object) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    (root / "d.yaml").write_text(
        "id: d\n"
        "hazards: [{id: flood}]\n"
        "units: [{id: water}]\n"
        "commands: [{id: hq, lead_unit: water}]\n"
        "duty_room: {id: room, staffing: {day: 1, night: 1, holiday: 1}}\n"
        "channels:\n"
        "  - id: officers\n"
        "    kind: officers\n"
        "    miss: 0.1\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", str(root / "d.yaml")])
    assert result.exit_code == 2, result.output
    assert "d.yaml:9:" in result.output and "channels[0].miss" in result.output
    assert "would have no effect" in result.output
