"""Signals that reach no room (CMD019) and warning links that never fire (CMD018).

Hand-checked against the engine on the tiny scenario of ``tests/sim/build.py``
(10:00 on a Wednesday, every factor 1; onset at minute 60; the hotline
takes 10 minutes and misses nothing, triage 5, a leader's approval 8).  The
timeline: rain at onset, a yellow signal alone at 30 (minute 90), more rain
at 90 (minute 150).  The plan's trigger: level IV on ``signal >= yellow``.

- No warning channel, no link: the yellow reaches the room only with the
  hotline's report of the rain at 150 (arrives 160, triaged 165, approved
  173): level IV at 173.  CMD019.
- A link the office confirms (2 min): IV at 92, from the signal as it is
  issued, with no channel at all.  No finding.
- A link the duty room confirms: it never fires (no warning channel delivers
  the signal); IV at 173, as with no link.  CMD018 and CMD019.
- A warning channel (1 min): the room has the yellow at 91.  No finding.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim import bundled
from cmdsim.check import check
from cmdsim.io import load_with_locations
from cmdsim.model import Acceptance, Channel, ChannelKind, Condition, Trigger, WarningLink
from cmdsim.model.levels import Issuer, Level, Lift, Signal
from cmdsim.model.plans import Confirmer
from cmdsim.model.scenario import Scenario, SeverityPoint
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate
from cmdsim.sim.compiled import compiled
from tests.sim.build import ONE, scenario

TIMELINE = (
    SeverityPoint(at=0, rainfall=5),
    SeverityPoint(at=30, signal=Signal.YELLOW),
    SeverityPoint(at=90, rainfall=6),
)
NO_ROOM = (
    "the yellow signal at 30 min reaches no room as it is issued: no warning channel covers "
    "flood, and {why}; the rooms learn of it only with the figures reported at 90 min"
)


def drill(
    confirm_by: Confirmer | None = None,
    *,
    warning_channel: bool = False,
    timeline: tuple[SeverityPoint, ...] = TIMELINE,
    issuers: tuple[Issuer, ...] = (Issuer.CITY, Issuer.DISTRICT),
) -> Scenario:
    base = scenario(timeline=timeline)
    plan = base.district.plans[0]
    link = (
        None
        if confirm_by is None
        else WarningLink(
            levels={Signal.YELLOW: Level.IV},
            confirm_by=confirm_by,
            confirm=Fixed(2.0),
            issuers=issuers,
        )
    )
    plan = attrs.evolve(
        plan,
        triggers=(Trigger(Level.IV, any_of=(Condition.parse("signal >= yellow"),)),),
        warnings=link,
    )
    channels = base.district.channels
    if warning_channel:
        met = Channel(id="met", kind=ChannelKind.WARNING, delay=Fixed(1.0), miss=0.0, factors=ONE)
        channels = (*channels, met)
    district = attrs.evolve(base.district, plans=(plan,), channels=channels)
    return attrs.evolve(base, district=district)


def decided(sc: Scenario) -> tuple[float, str]:
    event = next(e for e in simulate(sc, seed=0).events if e.kind == "level_decided")
    return event.time, event.detail("by")


def signal_findings(sc: Scenario) -> list[tuple[str, str, str]]:
    return [
        (f.code, f.path, f.message) for f in check(sc).findings if f.code in ("CMD018", "CMD019")
    ]


def test_no_warning_channel_and_no_link_the_signal_waits_for_the_figures() -> None:
    sc = drill()
    assert decided(sc) == (173.0, "plan")
    assert signal_findings(sc) == [
        (
            "CMD019",
            "incidents[0].timeline[1].signal",
            NO_ROOM.format(why="plan 'flood_plan' has no warning link"),
        )
    ]


def test_a_link_the_office_confirms_acts_without_any_channel() -> None:
    sc = drill(Confirmer.OFFICE)
    assert decided(sc) == (92.0, "warning")
    assert signal_findings(sc) == []


def test_a_link_the_duty_room_confirms_never_fires_without_a_warning_channel() -> None:
    sc = drill(Confirmer.DUTY_ROOM)
    assert decided(sc) == (173.0, "plan")  # as with no link at all
    why = (
        "the link of plan 'flood_plan' is confirmed by the duty room, which hears of a signal by a "
        "warning channel only"
    )
    assert signal_findings(sc) == [
        (
            "CMD018",
            "plans[0].warnings.confirm_by",
            "the duty room confirms the link once a warning channel delivers the signal, and no "
            "warning channel covers flood: the link never starts a level for its incidents",
        ),
        ("CMD019", "incidents[0].timeline[1].signal", NO_ROOM.format(why=why)),
    ]
    # The district alone has the link's finding, not the timeline's.
    assert [f.code for f in check(sc.district).findings if f.code in ("CMD018", "CMD019")] == [
        "CMD018"
    ]


@pytest.mark.parametrize("confirm_by", [None, Confirmer.DUTY_ROOM, Confirmer.OFFICE])
def test_a_warning_channel_brings_every_signal(confirm_by: Confirmer | None) -> None:
    sc = drill(confirm_by, warning_channel=True)
    # met 90 + 1; with the duty room's link confirmed 2 later, else triaged 5 and approved 8
    want = {None: (104.0, "plan"), Confirmer.DUTY_ROOM: (93.0, "warning")}
    assert decided(sc) == want.get(confirm_by, (92.0, "warning"))
    assert signal_findings(sc) == []


def test_an_issuer_the_link_does_not_count() -> None:
    timeline = (
        SeverityPoint(at=0, rainfall=5),
        SeverityPoint(at=30, signal=Signal.YELLOW, issuer=Issuer.DISTRICT),
        SeverityPoint(at=90, rainfall=6),
    )
    sc = drill(Confirmer.OFFICE, timeline=timeline, issuers=(Issuer.CITY,))
    assert decided(sc) == (173.0, "plan")
    why = "the link of plan 'flood_plan' counts only the city issuer's signals"
    assert signal_findings(sc) == [
        ("CMD019", "incidents[0].timeline[1].signal", NO_ROOM.format(why=why))
    ]


def test_a_signal_overtaken_or_last_is_never_learned() -> None:
    timeline = (
        SeverityPoint(at=-30, signal=Signal.BLUE),  # the opening point at 0 carries it
        SeverityPoint(at=0, rainfall=5),
        SeverityPoint(at=30, signal=Signal.YELLOW),  # orange by the next figures
        SeverityPoint(at=40, signal=Signal.ORANGE),
        SeverityPoint(at=90, rainfall=6),
        SeverityPoint(at=120, signal=Lift.LIFTED),  # nothing reported after it
    )
    messages = [m.split("; ", 1)[1] for _, _, m in signal_findings(drill(timeline=timeline))]
    assert messages == [
        "the rooms learn of it only with the figures reported at 0 min",
        "by the next point reported on the ground (90 min) signal orange is in force, so no "
        "room ever learns of it",
        "the rooms learn of it only with the figures reported at 90 min",
        "no later point is reported on the ground, so no room ever learns of it",
    ]
    # The engine: the room decides on the rain's report of 150 (160, 165,
    # 173) knowing the orange; no report ever told it of the yellow.
    result = simulate(drill(timeline=timeline), seed=0)
    known = [(e.time, dict(e.detail("known"))) for e in result.events if e.kind == "level_decided"]
    assert known == [(173.0, {"rainfall": 6.0, "signal": "orange"})]


@st.composite
def timelines(draw: st.DrawFn) -> tuple[SeverityPoint, ...]:
    points: list[SeverityPoint] = []
    if draw(st.booleans()):
        points.append(SeverityPoint(at=-float(draw(st.integers(1, 50))), signal=Signal.BLUE))
    at = 0.0
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["signal", "figures", "both"]))
        signal = draw(st.sampled_from(list(Signal))) if kind != "figures" else None
        rain = float(draw(st.integers(0, 50))) if kind != "signal" else None
        points.append(SeverityPoint(at=at, signal=signal, rainfall=rain))
        at += draw(st.integers(1, 60))
    return tuple(points)


@settings(max_examples=60, deadline=None)
@given(timelines())
def test_flagged_exactly_the_signals_no_ground_report_carries(
    timeline: tuple[SeverityPoint, ...],
) -> None:
    first = next(p for p in timeline if p.at >= 0)
    unheard = [
        k
        for k, p in enumerate(timeline)
        if p.signal is not None and (p.at < 0 or (p is not first and p.rainfall is None))
    ]
    sc = drill(timeline=timeline)
    flagged = [path for code, path, _ in signal_findings(sc)]
    assert flagged == [f"incidents[0].timeline[{k}].signal" for k in unheard]
    # The engine's routing agrees: no report leaves at a flagged point's
    # minute, one does at every other signal's (points' minutes differ).
    sent = {source.at for source in compiled(sc).topology.sources}
    for k, point in enumerate(timeline):
        if point.signal is not None:
            assert (60.0 + point.at in sent) == (k not in unheard)
    # A link its office confirms, or a warning channel: nothing is flagged.
    for confirm_by, channel in ((Confirmer.OFFICE, False), (None, True)):
        assert signal_findings(drill(confirm_by, warning_channel=channel, timeline=timeline)) == []


def test_the_bundled_drills_accept_the_sea_wave_signal_alone(tmp_path: Path) -> None:
    bundled.copy(tmp_path)
    for name in ("typhoon-landfall.yaml", "flood-typhoon.yaml"):
        loaded = load_with_locations(tmp_path / name)
        report = check(loaded.value, loaded.locations)
        codes = [(f.code, f.path) for f in report.findings if f.code in ("CMD019", "CMD091")]
        if name == "typhoon-landfall.yaml":
            # The work boat's incident: the sea-wave red, accepted with its reason.
            (found,) = [f for f in report.findings if f.code == "CMD019"]
            assert found.path == "incidents[2].timeline[0].signal"
            assert found.accepted is not None and "marine forecast" in found.accepted.reason
            assert Path(found.file or "").name == name
            # Without locations (an after-action report): the same, by the scenario's id.
            (bare,) = [f for f in check(loaded.value).findings if f.code == "CMD019"]
            assert bare.file is None and bare.accepted is not None
        else:
            assert codes == []  # and the acceptance naming the other drill is not unused
    # The district alone makes no scenario finding, and does not call the acceptance unused.
    loaded = load_with_locations(tmp_path / "district")
    assert "CMD091" not in check(loaded.value, loaded.locations).codes()
    landfall = load_with_locations(tmp_path / "typhoon-landfall.yaml")
    flood = load_with_locations(tmp_path / "flood-typhoon.yaml")
    for acceptance, where in (
        # Named for no scenario: it accepts the finding in every scenario of the
        # district, and those without one call it unused.
        (Acceptance("CMD019", "r"), flood),
        # Named for another scenario: it accepts nothing here.
        (Acceptance("CMD019", "r", scenario="flood_typhoon"), landfall),
        (Acceptance("CMD019", "r", file="../flood-typhoon.yaml"), landfall),
    ):
        district = attrs.evolve(loaded.value, accept=(acceptance,))
        value = attrs.evolve(where.value, district=district)
        found = check(value, where.locations).findings
        if where is flood:
            assert [f.code for f in found if f.code in ("CMD019", "CMD091")] == ["CMD091"]
        else:
            (open_,) = [f for f in found if f.code == "CMD019"]
            assert open_.accepted is None
            assert "CMD091" not in [f.code for f in found]
