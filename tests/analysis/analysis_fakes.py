"""A small scenario and cheap run functions for the analysis tests.

The run functions stand in for the engine: they draw from named streams of
the replication's SeedSequence, as the engine does, so seeds, chunking,
statistics and output can be tested without it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import signal
import subprocess
import time
from collections.abc import Callable

import attrs
import numpy as np

from cmdsim.analysis.metrics import onset_bands
from cmdsim.analysis.seeds import analysis_stream as stream
from cmdsim.model import (
    BandFactors,
    Command,
    District,
    DutyRoom,
    Exponential,
    Hazard,
    Incident,
    LogNormal,
    Post,
    QuorumTerm,
    Resource,
    Scenario,
    Staffing,
    Town,
    Unit,
)
from cmdsim.model.levels import Level
from cmdsim.model.plans import LevelResponse, Plan


def small_district() -> District:
    return District(
        id="tiny",
        hazards=(Hazard(id="gas"),),
        units=(
            Unit(id="bureau"),
            Unit(id="gas_company", resources=(Resource(id="repair_crew", capacity=1),)),
        ),
        commands=(
            Command(
                id="general_hq",
                general=True,
                lead_unit="bureau",
                posts=(Post(id="commander", people=2, needed=1, reach=0.9),),
                quorum=(QuorumTerm(posts=("commander",), k=1),),
                callout=LogNormal(median=20.0, sigma=0.4),
            ),
            Command(
                id="gas_hq",
                lead_unit="gas_company",
                posts=(
                    Post(id="commander", people=2, needed=1, reach=0.9),
                    Post(id="engineer", people=4, needed=2, reach=0.8),
                ),
                quorum=(QuorumTerm(posts=("commander", "engineer"), k=2),),
                callout=LogNormal(median=25.0, sigma=0.5),
                factors=BandFactors(night=1.5, holiday=1.3),
            ),
        ),
        duty_room=DutyRoom(
            id="district_duty_room",
            staffing=Staffing(day=3, night=1, holiday=2),
            triage=Exponential(mean=5.0),
        ),
        towns=(Town(id="east_town"),),
    )


def small_scenario(hour: int = 14) -> Scenario:
    start = dt.datetime(2024, 7, 3, hour, 0)  # a Wednesday
    return Scenario(
        id="tiny_gas",
        district=small_district(),
        start=start,
        incidents=(
            Incident(
                id="leak", hazard="gas", town="east_town", onset=start + dt.timedelta(minutes=5)
            ),
        ),
    )


def fake_run(scenario: Scenario, seq: np.random.SeedSequence) -> dict[str, float]:
    """Awareness, triage and one call-out per HQ, each from its own stream."""
    district = scenario.district
    out = onset_bands(scenario)
    band = district.calendar.band(scenario.incidents[0].onset)
    room = district.duty_room
    aware = float(stream(seq, "aware").exponential(10.0))
    triage = room.triage.sample(stream(seq, "triage")) / room.staffing.on_duty(band)
    out["incident.leak.aware"] = aware
    out["incident.leak.level_decided"] = aware + triage
    for command in district.commands:
        rng = stream(seq, f"callout.{command.id}")
        delay = command.callout.sample(rng) * command.factors.factor(band)
        reached = rng.random() < 0.95
        out[f"incident.leak.hq.{command.id}.activated"] = (
            aware + triage + delay if reached else math.nan
        )
    slack = 30.0 - (aware + triage)
    out["incident.leak.deadline.phone_report.slack"] = slack
    out["incident.leak.deadline.phone_report.met"] = 1.0 if slack >= 0 else 0.0
    return out


def slow_run(scenario: Scenario, seq: np.random.SeedSequence) -> dict[str, float]:
    """``fake_run`` made slow, so a test can kill a batch in the middle.

    With ``CMDSIM_TEST_STALL_AT=k`` replication ``k`` and every later one
    never finishes (it sleeps for an hour): the batch stops at a known chunk
    however fast or loaded the machine, and waits there to be killed.
    """
    stall = os.environ.get("CMDSIM_TEST_STALL_AT")
    if stall is not None and seq.spawn_key and seq.spawn_key[-1] >= int(stall):
        time.sleep(3600)
    time.sleep(float(os.environ.get("CMDSIM_TEST_DELAY", "0.02")))
    return fake_run(scenario, seq)


def no_call_ins(plan: Plan) -> dict[Level, LevelResponse]:
    """The plan's levels without their call-ins of officers (加强值班), which
    the fast path does not replay (tests/sim/test_reinforce.py)."""
    return {level: attrs.evolve(r, reinforce=()) for level, r in plan.levels.items()}


def without_officer_burst(scenario: Scenario) -> Scenario:
    """The flood drill without its garages' burst of compound reports (the
    points 2-30 minutes after onset), which keeps a committee's information
    officers busy: the fast path does not replay a wait for an information
    officer, so a replication with one falls back to the engine
    (``test_fast_exact.py::test_the_officers_burst_falls_back_to_the_engine``).
    Other scenarios are returned as they are."""
    if scenario.id != "flood_typhoon":
        return scenario
    incidents = tuple(
        attrs.evolve(i, timeline=tuple(p for p in i.timeline if not 0 < p.at < 60))
        if i.id == "garage_flooding"
        else i
        for i in scenario.incidents
    )
    return attrs.evolve(scenario, incidents=incidents)


def sparse_run(scenario: Scenario, seq: np.random.SeedSequence) -> dict[str, float]:
    """``fake_run`` whose replications report different metrics and band
    columns: the deadline only in some, a second incident (``spill``) in
    some, its band column in only some of those, and the leak's band column
    left out now and then, with the first incident's band drawn over all
    four bands.  A custom run function may do all of this; a batch's
    summary must still not depend on how its replications were chunked."""
    out = fake_run(scenario, seq)
    draws = stream(seq, "sparse").random(6)
    out["onset_band"] = float(int(draws[0] * 4))
    if draws[1] < 0.3:
        del out["incident.leak.deadline.phone_report.met"]
        del out["incident.leak.deadline.phone_report.slack"]
    if draws[2] < 0.4:
        out["incident.spill.aware"] = float(draws[3] * 50.0)
        out["incident.spill.deadline.call.met"] = 1.0 if draws[3] < 0.5 else 0.0
        if draws[4] < 0.5:
            out["incident.spill.onset_band"] = float(int(draws[4] * 8))
    if draws[5] < 0.2:
        del out["incident.leak.onset_band"]
    return out


def ctrl_c_when(
    command: list[str],
    env: dict[str, str],
    ready: Callable[[], bool],
    within: float = 60,
    before: Callable[[int], object] | None = None,
) -> str:
    """Run ``command`` (a ``cmdsim batch`` a ``CMDSIM_TEST_STALL_AT`` holds
    at a known replication) until ``ready()``, press Ctrl-C; its stderr,
    once it has exited 130 (128 + SIGINT), which it must do ``within`` seconds
    of the Ctrl-C.  ``before(pid)`` is called just before Ctrl-C."""
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        # A shell gives a background job SIGINT ignored; a terminal's Ctrl-C does not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        # Its own process group, so that nothing it started outlives the test.
        start_new_session=True,
    )
    try:
        for _ in range(6000):  # only a guard against a hang
            if ready() or process.poll() is not None:
                break
            time.sleep(0.01)
        time.sleep(0.3)
        if before is not None:
            before(process.pid)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=within)
    finally:
        with contextlib.suppress(ProcessLookupError):  # a worker left stalled
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == 130, err
    return err
