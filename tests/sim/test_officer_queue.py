"""Reports queueing for a busy information officer (sim/officers.py).

Hand-checked on the tiny scenario's four-tier network (every tier relays
in exactly 10 minutes, never misses, one officer a group; onset at 60, no
town room): two reports of one incident contend for the one compound
officer.  Then a property (more officers never make a report later) and
the bundled flood drill, whose committee's officers are saturated.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import attrs
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.cli import main
from cmdsim.io import load_scenario
from cmdsim.model.levels import Tier
from cmdsim.model.organisation import OfficerNetwork, Receiver, TierSpec
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import BandFactors, Fixed
from cmdsim.sim import simulate

from .build import ONE, officer_network

TWO_REPORTS = (SeverityPoint(at=0, rainfall=20), SeverityPoint(at=2, rainfall=25))
"""Rain at onset and heavier two minutes later: two reports, two minutes apart."""


def _network(timeline: tuple[SeverityPoint, ...], onset_shift: float = 0.0) -> Scenario:
    sc = officer_network(Receiver.DISTRICT, town_room=False)
    incident = sc.incidents[0]
    moved = attrs.evolve(
        incident, timeline=timeline, onset=incident.onset + dt.timedelta(minutes=onset_shift)
    )
    return attrs.evolve(sc, incidents=(moved,))


def _district_reports(sc: Scenario) -> list[float]:
    """When each officers' report reached the district room."""
    result = simulate(sc, seed=0)
    return [
        e.time
        for e in result.events
        if e.actor == "district_duty_room" and e.kind in ("aware", "report_received")
    ]


def test_the_second_report_waits_for_the_one_compound_officer() -> None:
    # The first report: compound 60-70, committee 70-80, town 80-90,
    # district 90-100.  The second comes at 62, finds the compound officer
    # busy until 70 and waits 8; then 70-80, and one tier behind the first
    # all the way up (each officer is free again as it comes): 110.
    sc = _network(TWO_REPORTS)
    assert _district_reports(sc) == [100.0, 110.0]
    officers = simulate(sc, seed=0).metrics["officers"]
    assert officers["compound"] == {
        "hops": 2,
        "waited": 1,
        "wait": 4.0,
        "max_wait": 8.0,
        "busiest": "c1",
        "utilisation": 20.0 / 600.0,
    }
    for tier in ("committee", "town", "district"):
        assert officers[tier]["waited"] == 0 and officers[tier]["max_wait"] == 0.0
    assert officers["town"]["busiest"] == "town_a"
    assert officers["district"]["busiest"] == "district"


def test_a_second_compound_officer_takes_the_second_report_at_once() -> None:
    sc = _network(TWO_REPORTS)
    town = sc.district.towns[0]
    wider = attrs.evolve(town, committees=(attrs.evolve(town.committees[0], compound_officers=2),))
    sc = attrs.evolve(sc, district=attrs.evolve(sc.district, towns=(wider,)))
    # The second report no longer waits at the compound tier; it now waits
    # at the committee tier (62-72 → officer busy until 80): one queue moved up.
    assert _district_reports(sc) == [100.0, 110.0]
    officers = simulate(sc, seed=0).metrics["officers"]
    assert officers["compound"]["waited"] == 0
    assert officers["committee"]["max_wait"] == 8.0


def test_a_report_that_waits_is_worked_at_the_band_of_its_start() -> None:
    # Night starts at 17:30, minute 450.  Onset at 440: the first report has
    # the compound officer 440-450 (day); the second comes at 444 and starts
    # at 450, in the night, when the compound tier takes twice as long: 20
    # minutes, to 470 (10, to 460, if the band of its coming were used).
    night = BandFactors(day=1.0, night=2.0, holiday=1.0)
    sc = _network((SeverityPoint(at=0, rainfall=20), SeverityPoint(at=4, rainfall=25)), 380.0)
    tiers = {tier: TierSpec(relay=Fixed(10.0), miss=0.0, factors=ONE) for tier in Tier}
    tiers[Tier.COMPOUND] = TierSpec(relay=Fixed(10.0), miss=0.0, factors=night)
    network = OfficerNetwork(district=1, tiers=tiers)
    sc = attrs.evolve(sc, district=attrs.evolve(sc.district, officers=network))
    assert _district_reports(sc) == [480.0, 500.0]


def _staffed(sc: Scenario, counts: dict[Tier, int]) -> Scenario:
    town = sc.district.towns[0]
    committee = attrs.evolve(
        town.committees[0], compound_officers=counts[Tier.COMPOUND], officers=counts[Tier.COMMITTEE]
    )
    town = attrs.evolve(town, officers=counts[Tier.TOWN], committees=(committee,))
    network = attrs.evolve(sc.district.officers, district=counts[Tier.DISTRICT])
    return attrs.evolve(sc, district=attrs.evolve(sc.district, towns=(town,), officers=network))


@functools.cache
def _relays(delays: tuple[float, ...]) -> dict[Tier, TierSpec]:
    return {
        tier: TierSpec(relay=Fixed(d), miss=0.0, factors=ONE)
        for tier, d in zip(Tier, delays, strict=True)
    }


@settings(max_examples=40)
@given(
    times=st.lists(st.integers(0, 40), min_size=1, max_size=8, unique=True),
    delays=st.tuples(*[st.integers(1, 20).map(float) for _ in Tier]),
    counts=st.tuples(*[st.integers(1, 3) for _ in Tier]),
    more=st.sampled_from(list(Tier)),
)
def test_more_officers_never_make_a_report_later(
    times: list[int], delays: tuple[float, ...], counts: tuple[int, ...], more: Tier
) -> None:
    # Fixed relay delays: each tier is a first-come-first-served queue with
    # as many servers as officers, whose departures are monotone in the
    # arrivals; one more officer anywhere makes no report later.
    points = tuple(SeverityPoint(at=t, rainfall=20 + i) for i, t in enumerate(sorted(times)))
    sc = _network(points)
    network = OfficerNetwork(district=1, tiers=_relays(delays))
    sc = attrs.evolve(sc, district=attrs.evolve(sc.district, officers=network))
    base = dict(zip(Tier, counts, strict=True))
    before = _district_reports(_staffed(sc, base))
    after = _district_reports(_staffed(sc, {**base, more: base[more] + 1}))
    assert len(before) == len(after) == len(points)
    assert all(a <= b for a, b in zip(after, before, strict=True))
    assert max(after) <= max(before)


@functools.cache
def _flood() -> Scenario:
    return load_scenario("scenarios/flood-typhoon.yaml")


def _with_committee_officers(sc: Scenario, officers: int) -> Scenario:
    towns = []
    for town in sc.district.towns:
        if town.id == "zhangjiang_town":
            town = attrs.evolve(
                town,
                committees=tuple(
                    attrs.evolve(c, officers=officers) if c.id == "zhangjiang_town_r05" else c
                    for c in town.committees
                ),
            )
        towns.append(town)
    return attrs.evolve(sc, district=attrs.evolve(sc.district, towns=tuple(towns)))


def test_the_flood_drill_saturates_the_garages_committee_officers() -> None:
    # The garages of zhangjiang_town_r05's five compounds flood within eight
    # minutes and two report again: seven reports in half an hour for its
    # two committee officers.  In most runs some wait; the committee is the
    # tier's busiest in every one.  Seed 2 is docs/engine.md's run.
    waited = 0
    for seed in range(10):
        committee = simulate(_flood(), seed=seed).metrics["officers"]["committee"]
        assert committee["busiest"] == "zhangjiang_town_r05"
        waited += committee["waited"] > 0 and committee["max_wait"] > 0
        if seed == 2:
            assert (committee["waited"], round(committee["max_wait"], 1)) == (4, 20.3)
    assert waited >= 6


def test_more_officers_in_the_garages_committee_change_the_flood_drill() -> None:
    # The setting audit's change of the committees' officers (2 -> 5) over
    # its seeds 0-2: the queue goes, and the reports it held back reach the
    # rooms sooner, which moves the rooms' own queues.
    two = [simulate(_flood(), seed=seed).metrics for seed in range(3)]
    five = [simulate(_with_committee_officers(_flood(), 5), seed=s).metrics for s in range(3)]
    assert all(m["officers"]["committee"]["waited"] == 0 for m in five)
    assert sum(m["officers"]["committee"]["waited"] for m in two) > 0
    assert any(a["wait"] != b["wait"] for a, b in zip(two, five, strict=True))


def test_officers_at_a_tier_without_its_relay_are_a_located_load_error(tmp_path: Path) -> None:
    # Without `tiers.town` the town officers were passed over by every relay:
    # three people counted who could never be busy.
    (tmp_path / "d.yaml").write_text(
        "id: d\n"
        "hazards: [{id: flood}]\n"
        "units: [{id: water}]\n"
        "commands: [{id: hq, lead_unit: water}]\n"
        "duty_room: {id: room, staffing: {day: 1, night: 1, holiday: 1}}\n"
        "towns: [{id: t, officers: 3}]\n"
        "officers:\n"
        "  tiers:\n"
        "    compound: {relay: 10, miss: 0}\n"
        "channels: [{id: officers, kind: officers}]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "d.yaml")])
    assert result.exit_code == 2, result.output
    assert "d.yaml:8:" in result.output and "officers.tiers" in result.output
    assert "3 town-tier officer(s)" in result.output and "Traceback" not in result.output
    # Without an officers channel nobody relays: the counts are only counts.
    text = (tmp_path / "d.yaml").read_text(encoding="utf-8")
    (tmp_path / "d.yaml").write_text(
        text.replace("channels: [{id: officers, kind: officers}]\n", ""), encoding="utf-8"
    )
    assert CliRunner().invoke(main, ["validate", str(tmp_path / "d.yaml")]).exit_code == 0
