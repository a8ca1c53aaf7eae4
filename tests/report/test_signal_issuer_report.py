"""The after-action report's timeline names the district station's own
signals (分级发布: each issuer's warning is its own) and leaves the city's,
the usual issuer, as they were, in English and Chinese."""

from __future__ import annotations

from cmdsim import bundled
from cmdsim.io import load_scenario
from cmdsim.report.localize import localize
from cmdsim.report.sources import from_result
from cmdsim.sim import simulate


def test_the_stations_signals_are_named_as_its_own() -> None:
    scenario = load_scenario(bundled.path("typhoon-landfall.yaml"))
    report = from_result(simulate(scenario, 0), scenario=scenario)
    labels = {
        lang: [
            (m["time"], m["label"])
            for m in localize(report, lang)["timeline"]["markers"]
            if m["kind"] == "signal" and m["lane"] == "incident:typhoon_bebinca"
        ]
        for lang in ("en", "zh")
    }
    en, zh = labels["en"], labels["zh"]
    # typhoon-landfall.yaml: the run starts with the city's blue at onset
    # - 990 min, so onset is minute 990; the station's red 90 min before it,
    # its blue with the city's at onset + 810.
    assert (900.0, "district station: red signal") in en
    assert (1800.0, "district station: blue signal") in en
    assert (1800.0, "blue signal") in en
    assert (900.0, "区气象台红色预警") in zh
    assert (1800.0, "蓝色预警") in zh
