"""The report's data from a hand-made run, and its four formats."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from cmdsim.report import load_source, render
from cmdsim.report.kinds import classify
from cmdsim.report.numbers import distribution


def test_classify_kinds() -> None:
    assert classify("hq_activated") == "activated"
    assert classify("level_decided") == "level"
    assert classify("level_escalated") == "level"
    assert classify("hq_notified") == "notify"
    assert classify("report_sent") == "deadline"
    assert classify("signal") == "signal"
    assert classify("onset") == "onset"
    assert classify("inject") == "inject"
    # An HQ's own level and a unit told of the level are not the incident's level
    # nor a call-out: they must not draw bars.
    assert classify("hq_level_changed") == "other"
    assert classify("unit_notified") == "other"


def test_every_engine_kind_is_placed() -> None:
    """Each kind the engine writes has a category or is meant to be ``other``."""
    from cmdsim.io import load_scenario
    from cmdsim.report.kinds import KINDS, OTHER_KINDS
    from cmdsim.sim import simulate

    seen: set[str] = set()
    paths = [Path("scenarios") / f"{n}.yaml" for n in ("compound-typhoon", "gas", "traffic")]
    for path in (*paths, Path("tests/sim/town_plan.yaml")):
        scenario = load_scenario(path)
        for seed in range(3):
            seen |= {e.kind for e in simulate(scenario, seed).events}
    assert seen - set(KINDS) - OTHER_KINDS == set()
    assert not set(KINDS) & OTHER_KINDS


def test_every_event_kind_has_a_category_or_is_other() -> None:
    """A kind added to the enum is placed before any scenario happens to emit it."""
    from cmdsim.report.kinds import KINDS, OTHER_KINDS
    from cmdsim.sim.events import EventKind

    assert set(EventKind) == set(KINDS) | OTHER_KINDS


def test_level_bars_do_not_repeat_and_close(run_dir: Path) -> None:
    """Same-instant level events give no empty bar; a closed response ends the bar."""
    from cmdsim.report.timeline import build_timeline

    def ev(t: float, kind: str, level: str | None) -> dict[str, object]:
        details = {} if level is None else {"level": level}
        return {"time": t, "actor": "room", "kind": kind, "incident": "x", "details": details}

    events = [
        ev(10.0, "level_decided", "IV"),
        ev(30.0, "level_escalated", "III"),
        ev(30.0, "hq_level_changed", "III"),
        ev(30.0, "level_escalated", "II"),
        ev(50.0, "level_deescalated", "III"),
        ev(70.0, "response_closed", None),
    ]
    bars = build_timeline(events, 100.0, set(), ["x"])["bars"]
    levels = [(b["start"], b["end"], b["level"]) for b in bars if b["kind"] == "level"]
    assert levels == [(10.0, 30.0, "IV"), (30.0, 50.0, "II"), (50.0, 70.0, "III")]


def test_run_report_numbers(run_dir: Path) -> None:
    report = load_source(run_dir)
    assert report["kind"] == "run"
    assert (report["scenario"], report["seed"]) == ("hand_flood", 7)
    acts = {a["command"]: a for a in report["activations"]}
    assert acts["flood_hq"]["notified"] == 22.0
    assert acts["flood_hq"]["activated"] == 61.0
    assert acts["flood_hq"]["delay"] == 56.0
    assert acts["flood_hq"]["late"] is False
    assert acts["gas_hq"]["delay"] == 145.0
    assert acts["gas_hq"]["late"] is True
    assert report["compliance"] == {"total": 2, "met": 1, "missed": 1, "rate": 50.0}
    assert report["summary"]["aware"] == 7.5
    assert report["summary"]["first_activation"] == 56.0
    written = next(d for d in report["deadlines"] if d["id"] == "written_report")
    assert (written["due"], written["done"], written["slack"]) == (72.5, 90.0, -17.5)


def test_timeline_bars(run_dir: Path) -> None:
    timeline = load_source(run_dir)["timeline"]
    bars = {(b["lane"], b["kind"], b["start"]): b for b in timeline["bars"]}
    assert bars[("level:flood", "level", 20.0)]["end"] == 80.0
    assert bars[("level:flood", "level", 20.0)]["level"] == "IV"
    assert bars[("level:flood", "level", 80.0)]["level"] == "III"
    assert bars[("hq:flood_hq", "callout", 22.0)]["end"] == 61.0
    assert ("hq:flood_hq", "active", 61.0) in bars
    assert ("incident:flood", "incident", 5.0) in bars
    statuses = [m["status"] for m in timeline["markers"] if m["kind"] == "deadline"]
    assert statuses == ["met", "missed"]


def test_improvements_have_critical_path(run_dir: Path) -> None:
    report = load_source(run_dir)
    late = next(i for i in report["improvements"] if i["id"] == "activation:gas_hq:flood")
    assert (late["delay"], late["target"], late["basis"]) == (145.0, 60.0, "onset")
    kinds = [s["kind"] for s in late["path"]]
    assert kinds[0] == "signal" and kinds[-1] == "hq_activated"
    assert late["wait"] == {"gap": 55.0, "after": "hq_notified", "before": "hq_activated"}
    assert any(i["id"] == "deadline:written_report:flood" for i in report["improvements"])
    from cmdsim.report.localize import localize

    worded = next(i for i in localize(report, "en")["improvements"] if i["id"] == late["id"])
    assert "145.0 min after the onset, target 60.0 min" in worded["why"]
    assert "longest wait 55.0 min between HQ notified and HQ active" in worded["why"]
    zh = next(i for i in localize(report, "zh")["improvements"] if i["id"] == late["id"])
    assert "事发后145.0分钟，目标60.0分钟" in zh["why"]


def test_distribution_quantiles() -> None:
    d = distribution("x", [1.0, 2.0, 3.0, 4.0, 5.0], bins=4)
    assert (d["n"], d["mean"], d["p50"], d["min"], d["max"]) == (5, 3.0, 3.0, 1.0, 5.0)
    assert sum(b["count"] for b in d["bins"]) == 5


def test_distribution_percentiles_follow_the_summary_rule_and_are_marked_when_thin() -> None:
    """The report's percentiles of a sample are the batch summary's rule, the
    k-th smallest (k = 1 + floor(p (n − 1) / 100)), not an interpolation:
    of 1..10, p50 is 5 (not 5.5) and p90 is 9 (not 9.1). Ten values support
    p50 and p90 but not p95 (20), which keeps its value and is marked, with
    the note saying what it needs, in English and Chinese."""
    d = distribution("x", [float(x) for x in range(10, 0, -1)])
    assert (d["p50"], d["p90"], d["p95"]) == (5.0, 9.0, 9.0)
    assert d["thin"] == ["p95"]
    twenty = distribution("x", [float(x) for x in range(1, 21)])
    assert (twenty["p95"], twenty["thin"]) == (19.0, [])
    from cmdsim.report.build import build_report

    report = build_report(kind="batch", distributions=[d])
    md = render(report, "md", "en")
    assert "| x | 10 | 5.5 | 5.0 | 9.0 | 9.0* | 1.0 | 10.0 |" in md
    assert "Marked *: fewer replications than the percentile needs (95th pct: 20)" in md
    zh = render(report, "md", "zh")
    assert "9.0*" in zh and "标 * 者：样本数少于该分位数所需（95分位需20个）" in zh
    html = render(report, "html", "en")
    assert '9.0<span class="thin">*</span>' in html
    # a row with every percentile supported has no mark and the table no note
    plain = render(build_report(kind="batch", distributions=[twenty]), "md", "en")
    assert "*" not in plain.split("## Deadline")[0].split("## Activation-time")[1]


def test_batch_report(batch_dir: Path) -> None:
    report = load_source(batch_dir)
    assert report["kind"] == "batch"
    assert (report["scenario"], report["seed"]) == ("hand_flood", 3)
    names = [d["name"] for d in report["distributions"]]
    assert names == ["incident.flood.hq.flood_hq.activated", "incident.flood.aware"]
    act = report["distributions"][0]
    assert (act["n"], act["p50"], act["min"], act["max"]) == (5, 61.0, 48.5, 90.0)
    assert sum(b["count"] for b in act["bins"]) == 5
    assert report["compliance"] == {"total": 9, "met": 8, "missed": 1, "rate": 88.9}
    phone = report["deadlines"][0]
    assert (phone["id"], phone["incident"], phone["rate"]) == (
        "incident.flood.deadline.phone_report",
        "flood",
        80.0,
    )
    assert report["summary"]["replications"] == 5
    html = render(report, "html", "en")
    assert html.count('class="bin"') == 24
    assert 'data-key="deadlines.0.rate">80.0<' in html


def test_batch_summary_without_table(batch_dir: Path) -> None:
    (batch_dir / "replications.csv").unlink()
    report = load_source(batch_dir / "summary.json")
    act = report["distributions"][0]
    assert act["name"] == "incident.flood.hq.flood_hq.activated"
    assert (act["n"], act["mean"], act["bins"]) == (5, 64.9, [])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_html_is_self_contained_and_matches_json(run_dir: Path, lang: str) -> None:
    report = load_source(run_dir)
    html = render(report, "html", lang)
    assert "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "https://" not in html and "@import" not in html and "url(" not in html
    assert ("时间线" in html) == (lang == "zh")
    data = json.loads(render(report, "json", lang))
    shown = re.findall(r'data-key="([^"]+)">([^<]*)<', html)
    assert len(shown) > 15
    for key, text in shown:
        value = lookup(data, key)
        assert text == ("–" if value is None else str(value)), key


def lookup(data: object, key: str) -> object:
    node = data
    for part in key.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
    return node


def test_markdown_and_csv(run_dir: Path) -> None:
    report = load_source(run_dir)
    md = render(report, "md", "en")
    assert md.startswith("# After-action report")
    # No scenario: ids stand for the names, times count from the start.
    assert "| flood_hq | flood | level IV | – | T+00:22 | T+01:01 | onset T+00:05 | 56.0 |" in md
    assert "## Improvement items" in md and "## Improvement plan" in md
    rows = list(csv.reader(io.StringIO(render(report, "csv"))))
    assert rows[0] == ["section", "key", "value"]
    facts = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert facts[("compliance", "rate")] == "50.0"
    assert facts[("activations", "0.activated")] == "61.0"


def test_run_metrics_override_events(run_dir: Path) -> None:
    metrics = {
        "scenario": "hand_flood",
        "incident": {
            "flood": {
                "onset": 5.0,
                "aware": 6.0,
                "required_level": "III",
                "hq": {"flood_hq": {"notified": 15.0, "activated": 50.0, "level": "IV"}},
                "deadline": {
                    "phone_report": {
                        "actor": "room",
                        "done": 20.0,
                        "due": 30.0,
                        "met": True,
                        "slack": 10.0,
                    },
                },
            }
        },
    }
    (run_dir / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    report = load_source(run_dir)
    (act,) = report["activations"]
    assert (act["notified"], act["activated"], act["delay"]) == (20.0, 55.0, 50.0)
    assert act["late"] is True  # level IV where the plan requires III
    (row,) = report["deadlines"]
    assert (row["due"], row["done"], row["slack"], row["status"]) == (35.0, 25.0, 10.0, "met")
    assert report["summary"]["aware"] == 6.0
    deadline_marks = [m for m in report["timeline"]["markers"] if m["kind"] == "deadline"]
    assert [(m["time"], m["status"]) for m in deadline_marks] == [(40.0, "met"), (90.0, "missed")]


def test_report_of_a_real_batch(tmp_path: Path) -> None:
    import cmdsim.analysis as analysis
    from cmdsim.io import load_scenario

    root = Path(__file__).resolve().parents[2]
    scenario = load_scenario(root / "scenarios" / "gas.yaml")
    analysis.replicate(scenario, 6, seed=2, out=tmp_path / "batch")
    report = load_source(tmp_path / "batch", scenario=scenario)
    from cmdsim.analysis.metrics import onset_bands
    from cmdsim.analysis.stats import BANDS

    code = onset_bands(scenario)["incident.gas_main_rupture.onset_band"]
    groups = [d["group"] for d in report["distributions"]]
    band = BANDS[int(code)].value  # the drill starts on a holiday evening
    assert {"family": "activated", "command": "gas_hq", "hazard": "gas", "band": band} in groups
    assert all(d["n"] >= 6 and len(d["bins"]) == 12 for d in report["distributions"])
    assert all(d["min"] >= 0 and d["ecdf"][-1]["p"] == 1.0 for d in report["distributions"])
    assert report["compliance"]["total"] > 0
    assert report["coverage"] is not None and "gas" in report["coverage"]["rows"]
    # The summary has figures (not "–") and the timeline is a replication's.
    assert report["summary"]["first_activation"] >= 0
    assert report["summary"]["replications"] == 6
    assert report["timeline"]["bars"] and report["representative"]["reproduced"]


def test_an_exercise_report_has_the_replayed_runs_metrics(tmp_path: Path) -> None:
    """An exercise log holds events, not metrics: the report replays it for the
    activations per incident and the deadline outcomes, which then equal a
    run of the same scenario, seed and decisions."""
    from cmdsim.exercise.run import scripted_exercise
    from cmdsim.report.measures import from_metrics
    from cmdsim.sim import SimOptions, simulate

    exercise = scripted_exercise(
        "scenarios/gas.yaml",
        "scenarios/msel/gas.yaml",
        ["duty-room"],
        "scenarios/msel/gas-script.yaml",
        1,
    )
    log = tmp_path / "gas.jsonl"
    log.write_text(exercise.log_text(), encoding="utf-8")
    report = load_source(log)
    assert report["kind"] == "exercise"
    run = simulate(exercise.scenario(), 1, options=SimOptions(decisions=exercise.recorded_policy()))
    from cmdsim.report.context import incident_origins

    acts, rows, _ = from_metrics(run.metrics, 60.0, incident_origins(exercise.base))
    assert report["activations"] == acts and acts
    assert all(a["incident"] for a in report["activations"])
    assert report["deadlines"] == rows and rows
    assert report["compliance"]["total"] == len(rows)
    times = [d["time"] for d in report["decisions"]]
    assert times == sorted(times)


def test_a_town_plan_hand_over_is_marked_on_the_level_lane(tmp_path: Path) -> None:
    from cmdsim.io import load_scenario
    from cmdsim.report.sources import from_result
    from cmdsim.sim import simulate

    scenario = load_scenario("tests/sim/town_plan.yaml")
    result = simulate(scenario, 0)
    handed = [e for e in result.events if e.kind == "plan_handed_over"]
    assert handed
    report = from_result(result, scenario=scenario)
    marks = [m for m in report["timeline"]["markers"] if m["kind"] == "handover"]
    assert [(m["lane"], m["time"]) for m in marks] == [
        (f"level:{e.incident}", round(e.time, 1)) for e in handed
    ]
    assert marks[0]["label"] == f"handed over to {handed[0].detail('to')}"
    from cmdsim.report.localize import localize

    shown = next(
        m for m in localize(report, "zh")["timeline"]["markers"] if m["kind"] == "handover"
    )
    assert shown["label"].startswith("移交")


def test_a_week_spread_batch_draws_its_replication_on_its_own_clock(tmp_path: Path) -> None:
    """A week-spread batch moves each replication in calendar time: the
    representative one is run again moved the same way (same numbers), and
    the report's clock is its own."""
    import cmdsim.analysis as analysis
    from cmdsim.io import load_scenario
    from cmdsim.report.context import clock, start_text
    from cmdsim.report.localize import localize

    scenario = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "gas.yaml")
    analysis.replicate(scenario, 4, seed=5, out=tmp_path / "batch", spread_week=True)
    report = load_source(tmp_path / "batch", scenario=scenario)
    rep = report["representative"]
    assert rep["reproduced"] and rep["start"] != scenario.start.isoformat()
    view = localize(report, "zh")
    assert view["start_text"] == start_text(rep["start"], "zh")
    assert localize(report, "en")["start_text"] == rep["start"][:16].replace("T", " ")
    onset = next(b for b in view["timeline"]["bars"] if b["kind"] == "incident")
    # The drill's incident starts with it, on the report's clock, which rounds
    # to the minute (a start at 17:13:50 reads 17:14).
    assert onset["start_clock"] == clock(0.0, rep["start"], False)
    signal_labels = [m["label"] for m in view["timeline"]["markers"]]
    assert all(label for label in signal_labels)


def test_batch_table_with_a_byte_order_mark_reads_the_same(batch_dir: Path) -> None:
    # Our own replications.csv leads with a BOM (for Excel), and so does a
    # table a user saved from Excel as "CSV UTF-8": its first column is still
    # the metric, not "\ufeffincident.flood.aware".
    plain = load_source(batch_dir / "summary.json")["distributions"]
    table = batch_dir / "replications.csv"
    table.write_bytes(b"\xef\xbb\xbf" + table.read_bytes())
    assert load_source(batch_dir / "summary.json")["distributions"] == plain
    assert any(d["name"] == "incident.flood.aware" and d["bins"] for d in plain)
