"""Our plans, tested like code: run by CI on every change to plans/.

The ``cmdsim`` pytest plugin (installed with cmdsim) reads ``plans/`` (set
in ``pytest.ini``) and gives the fixtures ``cmdsim_district`` and
``cmdsim_check``.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmdsim.io import load_scenario
from cmdsim.testing.coverage import coverage
from cmdsim.testing.incidents import incidents
from cmdsim.testing.invariants import (
    activated_within,
    every_incident_has_one_lead,
    leads_for,
    reaches_a_level,
)


def test_plans_have_no_error_findings(cmdsim_check):
    # `errors` leaves out what the plans' accept list accepts, as `cmdsim check` does.
    errors = [str(f) for f in cmdsim_check.errors]
    assert not errors, "\n".join(errors)


def test_every_hazard_and_level_has_one_lead(cmdsim_district):
    every_incident_has_one_lead(cmdsim_district)


def test_every_town_has_the_required_special_plans(cmdsim_check):
    # The findings themselves, not `"CMD060" not in codes()`: a failure then
    # says which town lacks which plan, at its file and line.
    missing = [str(f) for f in cmdsim_check.findings if f.code == "CMD060"]
    assert not missing, "\n".join(missing)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_incident_gets_exactly_one_lead(cmdsim_district, data):
    incident = data.draw(incidents(cmdsim_district))
    every_incident_has_one_lead(cmdsim_district, [incident])


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_gas_leak_with_deaths_is_led_by_the_gas_hq(cmdsim_district, data):
    # With deaths, as the name says: a gas report with no casualties and no
    # households cut off may be the general plan's (the bundled district's is).
    incident = data.draw(
        incidents(cmdsim_district, "gas").filter(lambda i: i.peak().get("deaths", 0) >= 1)
    )
    if reaches_a_level(cmdsim_district, incident):
        assert leads_for(cmdsim_district, incident) == ("gas_hq",)


DRILLS = Path(__file__).resolve().parent.parent / "drills"


def test_gas_hq_is_activated_within_90_minutes_in_nine_drills_of_ten():
    # 100 replications of the gas-leak drill through the engine (seeded: the
    # same numbers on every CI run).
    drill = load_scenario(DRILLS / "gas-leak.yaml")
    result = activated_within(drill, "gas_hq", minutes=90, p=0.9, n=100, seed=0)
    assert result.share >= 0.9


def test_drill_is_handled_and_phone_reports_mostly_on_time():
    result = coverage(load_scenario(DRILLS / "gas-leak.yaml"), n=100, seed=0)
    assert result.handled.share >= 0.95
    phone = [due for (_, _, name), due in result.deadlines.items() if name == "phone_report"]
    assert phone
    for due in phone:
        assert due.share is not None and due.share >= 0.6
