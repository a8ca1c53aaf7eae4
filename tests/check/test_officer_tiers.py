"""Information-officer tiers with nobody in them (CMD027, CMD028).

The engine passes a tier with no officers over (sim/officers.py): the hop
takes no time and misses nothing.  These tests pin that behaviour on the
hand-checked network of tests/sim/build.py (every tier relays in exactly 10
minutes; onset at 60) and the check findings that make it visible.
"""

from __future__ import annotations

from pathlib import Path

import attrs

import cmdsim.io as io
from cmdsim.check import check
from cmdsim.model import OfficerNetwork
from cmdsim.model.levels import Tier
from cmdsim.model.organisation import Receiver
from cmdsim.model.scenario import Scenario
from cmdsim.sim import simulate
from tests.sim.build import officer_network

FAST_GENERATED = Path(__file__).resolve().parents[1] / "analysis" / "data" / "fast_generated"


def _town(sc: Scenario, **changes: object) -> Scenario:
    town = attrs.evolve(sc.district.towns[0], **changes)
    return attrs.evolve(sc, district=attrs.evolve(sc.district, towns=(town,)))


def _committee(sc: Scenario, **changes: object) -> Scenario:
    committee = attrs.evolve(sc.district.towns[0].committees[0], **changes)
    return _town(sc, committees=(committee,))


def _arrivals(sc: Scenario) -> list[tuple[float, str, str]]:
    """When each room first hears (``aware``), has a later report or forwards one."""
    return [
        (e.time, e.actor, e.kind)
        for e in simulate(sc, seed=0).events
        if e.kind in ("aware", "report_received", "report_forwarded")
    ]


def _found(sc: Scenario) -> list[tuple[str, str]]:
    return [(f.code, f.path) for f in check(sc.district).findings if f.code in ("CMD027", "CMD028")]


def test_the_full_network_has_no_finding() -> None:
    assert _found(officer_network(Receiver.DISTRICT)) == []
    assert _found(officer_network(Receiver.TOWN)) == []


def test_a_town_without_officers_leaves_its_room_unheard() -> None:
    # The engine: compound 70, committee 80, the town tier passed over,
    # the district officer 90: the district room has it 10 minutes early,
    # and the town room, which only the town officer reports to, never.
    sc = _town(officer_network(Receiver.DISTRICT), officers=0)
    assert _arrivals(sc) == [(90.0, "district_duty_room", "aware")]
    assert _found(sc) == [("CMD027", "towns[0].officers")]


def test_a_town_without_officers_or_a_room_is_a_warning() -> None:
    sc = _town(officer_network(Receiver.DISTRICT, town_room=False), officers=0)
    assert _arrivals(sc) == [(90.0, "district_duty_room", "aware")]
    assert _found(sc) == [("CMD028", "towns[0].officers")]


def test_a_chain_of_nobody_reaches_the_room_at_once() -> None:
    # Every tier of a to-town report empty: it is in the town room at the
    # onset, 60, relayed by nobody, and never missed: triaged by 63 and
    # forwarded at 67, 30 minutes before the full network's 97.
    sc = _committee(officer_network(Receiver.TOWN), officers=0, compound_officers=0)
    sc = _town(sc, officers=0, committees=sc.district.towns[0].committees)
    assert _arrivals(sc) == [
        (67.0, "town_a_room", "report_forwarded"),
        (67.0, "district_duty_room", "aware"),
    ]
    assert _found(sc) == [
        ("CMD027", "towns[0].officers"),
        ("CMD028", "towns[0].committees[0].compound_officers"),
        ("CMD028", "towns[0].committees[0].officers"),
    ]


def test_a_committee_without_compound_officers_skips_that_tier() -> None:
    # compound passed over: committee 70, town 80 (town room: triage 83,
    # forwarded 87), district officer 90.
    sc = _committee(officer_network(Receiver.DISTRICT), compound_officers=0)
    assert _arrivals(sc) == [
        (87.0, "town_a_room", "report_forwarded"),
        (87.0, "district_duty_room", "aware"),
        (90.0, "district_duty_room", "report_received"),
    ]
    assert _found(sc) == [("CMD028", "towns[0].committees[0].compound_officers")]


def test_no_district_officers_and_a_missing_tier_spec() -> None:
    sc = officer_network(Receiver.DISTRICT)
    tiers = {t: s for t, s in sc.district.officers.tiers.items() if t is not Tier.COMMITTEE}
    district = attrs.evolve(sc.district, officers=OfficerNetwork(district=0, tiers=tiers))
    sc = attrs.evolve(sc, district=district)
    # compound 70, committee passed over, town 80 (room: forwarded 87),
    # district passed over: the district room has it at 80.
    assert _arrivals(sc) == [
        (80.0, "district_duty_room", "aware"),
        (87.0, "town_a_room", "report_forwarded"),
        (87.0, "district_duty_room", "report_received"),
    ]
    assert sorted(_found(sc)) == [("CMD028", "officers.district"), ("CMD028", "officers.tiers")]


def test_a_town_without_committees_is_located_in_its_file() -> None:
    loaded = io.load_with_locations(FAST_GENERATED / "no_committees.yaml")
    report = check(loaded.value, loaded.locations)
    found = [f for f in report.findings if f.code in ("CMD027", "CMD028")]
    assert [(f.code, f.path) for f in found] == [("CMD028", "towns[0].committees")]
    assert found[0].file is not None and found[0].file.endswith("no_committees.yaml")
    assert found[0].line == 36  # the town: it has no `committees` key
