"""A lifted signal (解除预警) on the after-action report's timeline: marked
on its incident's lane as the signal lifted, in English and Chinese, and the
level's bar ends where the lift closed the response."""

from __future__ import annotations

from cmdsim.report.localize import localize
from cmdsim.report.sources import from_result
from cmdsim.sim import simulate
from tests.sim.test_signal_lifted import LIFTED
from tests.sim.test_warning_link import linked


def test_the_timeline_shows_the_lift_and_the_level_ending_with_it() -> None:
    scenario = linked(timeline=LIFTED)
    report = from_result(simulate(scenario, 1), scenario=scenario)
    en = localize(report, "en")["timeline"]
    signals = [(m["time"], m["label"]) for m in en["markers"] if m["kind"] == "signal"]
    assert signals == [(20.0, "blue signal"), (50.0, "yellow signal"), (90.0, "signal lifted")]
    zh = localize(report, "zh")["timeline"]
    assert [m["label"] for m in zh["markers"] if m["kind"] == "signal"] == [
        "蓝色预警",
        "黄色预警",
        "解除预警",
    ]
    # The district's level: IV from 22, III from 52 until the lift closes it at 92.
    bars = [
        (b["start"], b["end"], b["level"])
        for b in en["bars"]
        if b["kind"] == "level" and b["lane"] == "level:flood1"
    ]
    assert bars == [(22.0, 52.0, "IV"), (52.0, 92.0, "III")]
