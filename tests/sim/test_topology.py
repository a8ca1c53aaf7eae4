"""The routing of reports (``cmdsim.sim.topology``): the rules the engine's
reporting asks, and the list of sources the fast path reads, built once."""

from __future__ import annotations

from pathlib import Path

from cmdsim.analysis.fastgraph import graph
from cmdsim.io import load_scenario
from cmdsim.model.levels import Signal, Tier
from cmdsim.model.organisation import Channel, ChannelKind, Receiver
from cmdsim.model.scenario import Inject, SeverityPoint
from cmdsim.sim.compiled import compiled
from cmdsim.sim.topology import carries, inject_receiver, relay_hops

ROOT = Path(__file__).resolve().parents[2]


def test_a_warning_channel_carries_only_signals_and_others_only_from_onset() -> None:
    warning = Channel(id="met", kind=ChannelKind.WARNING)
    hotline = Channel(id="hotline")
    assert carries(warning, SeverityPoint(at=-30.0, signal=Signal.BLUE), opens=False)
    assert not carries(warning, SeverityPoint(at=10.0), opens=False)
    assert not carries(hotline, SeverityPoint(at=-30.0, signal=Signal.BLUE), opens=False)
    assert carries(hotline, SeverityPoint(at=0.0), opens=True)


def test_a_relay_to_the_town_stops_at_the_town_officer() -> None:
    to_town = Channel(id="o", kind=ChannelKind.OFFICERS, to=Receiver.TOWN)
    to_district = Channel(id="o", kind=ChannelKind.OFFICERS)
    assert relay_hops(to_town) == (Tier.COMPOUND, Tier.COMMITTEE, Tier.TOWN)
    assert relay_hops(to_district)[-1] is Tier.DISTRICT


def test_an_inject_goes_to_its_town_only_when_it_is_addressed_to_the_town() -> None:
    """``recipients``: each recipient with the town whose room it reaches."""
    room = "district_duty_room"
    recipients = {room: None, "gas_hq": None, "town_room": "t", "town_hq": "t"}
    to_town = Inject(id="a", at=1, to="town_room", town="t")
    assert inject_receiver(to_town, recipients) is Receiver.TOWN
    assert inject_receiver(Inject(id="a2", at=1, to="town_hq", town="t"), recipients) is (
        Receiver.TOWN
    )
    assert inject_receiver(Inject(id="b", at=1, to=room, town="t"), recipients) is (
        Receiver.DISTRICT
    )
    # A district HQ in a town: the district room (free text used to read as the town's).
    assert inject_receiver(Inject(id="c", at=1, to="gas_hq", town="t"), recipients) is (
        Receiver.DISTRICT
    )
    assert inject_receiver(Inject(id="d", at=1, to="town_room"), recipients) is Receiver.DISTRICT


def test_the_fast_path_reads_the_topology_built_once() -> None:
    scenario = load_scenario(ROOT / "scenarios" / "gas.yaml")
    comp = compiled(scenario)
    assert comp.topology is comp.topology
    g = graph(scenario)
    assert g.sources is comp.topology.sources and g.cases is comp.topology.cases
    rooms = {s.room for s in g.sources}
    assert scenario.district.duty_room.id in rooms
    # Every incident is a case; every channel source is a channel the hazard has.
    assert [c.id for c in g.cases][: len(scenario.incidents)] == [i.id for i in scenario.incidents]
    for source in g.sources:
        if source.channel is not None:
            hazard = g.cases[source.case].hazard
            assert source.channel in comp.channels_for(hazard)
