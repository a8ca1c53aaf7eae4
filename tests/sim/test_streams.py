"""Common random numbers per incident: what one incident draws never depends
on another incident's reports, decisions or escalations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

from cmdsim.io import load_scenario
from cmdsim.sim import SimOptions, simulate

ROOT = Path(__file__).resolve().parents[2]


def test_a_what_if_on_one_incident_leaves_the_others_alone() -> None:
    """The gas main breaks 7 minutes later: its reports reach the district room
    in another order among the others', and its escalations come at other
    times.  With every room unlimited nothing else couples the incidents, so
    each other incident is aware and decided at the same minute, to the bit
    (with one triage or approval stream per room, 2 of these 20 seeds
    differed)."""
    base = load_scenario(ROOT / "scenarios" / "compound-typhoon.yaml")
    later = attrs.evolve(
        base,
        incidents=tuple(
            attrs.evolve(i, onset=i.onset + dt.timedelta(minutes=7))
            if i.id == "gas_main_break"
            else i
            for i in base.incidents
        ),
    )
    options = SimOptions(unlimited_capacity=True, log=False)
    for seed in range(20):
        a = simulate(base, seed, options=options).metrics["incident"]
        b = simulate(later, seed, options=options).metrics["incident"]
        assert b["gas_main_break"]["onset"] == a["gas_main_break"]["onset"] + 7
        for ident in a:
            if ident != "gas_main_break":
                assert (a[ident]["aware"], a[ident]["level_decided"]) == (
                    b[ident]["aware"],
                    b[ident]["level_decided"],
                ), (seed, ident)
