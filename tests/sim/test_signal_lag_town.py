"""A signal's lag when the town's own plan links it and the district plan does not.

tests/sim/town_lowering.yaml (hand-checked there): the district plan has no
warning link and no signal triggers; the town plan links blue to IV and
yellow to III, confirmed by its office in 2 minutes, and governs the case
throughout.  Blue (minute 20) puts IV in force at 22, yellow (50) III at 52:
the lags are 2 and 2 — not "never", as they read while the level a signal
calls for came from the district plan alone.
"""

from __future__ import annotations

from pathlib import Path

from cmdsim.io import load_scenario
from cmdsim.sim import simulate

HERE = Path(__file__).parent


def test_town_link_gives_the_level_a_signal_calls_for() -> None:
    record = simulate(load_scenario(HERE / "town_lowering.yaml"), 0).record
    incident = record.incidents["rain_a"]
    assert incident.plan == "town_a_flood"
    assert dict(incident.signal_lag) == {"blue": 2.0, "yellow": 2.0}


def test_district_link_still_first_when_both_link() -> None:
    # town_warning.yaml: both plans link (the district's blue IV and yellow
    # III, the town's blue IV): the district's link says what a colour calls
    # for, as before.
    record = simulate(load_scenario(HERE / "town_warning.yaml"), 0).record
    assert dict(record.incidents["rain_a"].signal_lag) == {"blue": 2.0, "yellow": 3.0}
    assert dict(record.incidents["rain_b"].signal_lag) == {"blue": 3.0, "yellow": 3.0}
