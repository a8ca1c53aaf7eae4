"""Replications: seeds, chunking, statistics, output files and resume."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from analysis_fakes import fake_run, small_scenario

from cmdsim.analysis import (
    ProcessExecutor,
    SerialExecutor,
    replicate,
    replication_seed,
    run_replication,
)
from cmdsim.analysis.batch import shift_scenario
from cmdsim.analysis.seeds import WEEK_MINUTES, week_offset
from cmdsim.analysis.stats import BAND_CODES
from cmdsim.errors import CmdsimError
from cmdsim.model import TimeBand


def test_replication_seed_is_the_spawned_child() -> None:
    children = np.random.SeedSequence(42).spawn(5)
    for i, child in enumerate(children):
        mine = replication_seed(42, i)
        assert (mine.generate_state(4) == child.generate_state(4)).all()


def test_replication_alone_equals_replication_in_batch() -> None:
    scenario = small_scenario()
    result = replicate(scenario, 12, seed=3, run=fake_run, chunk_size=5, keep=True)
    alone = run_replication(scenario, 3, 7, fake_run)
    for name, value in alone.items():
        assert result.column(name)[7] == value or (
            math.isnan(value) and math.isnan(result.column(name)[7])
        )


def test_summary_is_identical_whatever_the_chunking() -> None:
    scenario = small_scenario()
    texts = {
        replicate(scenario, 40, seed=9, run=fake_run, chunk_size=size).to_json()
        for size in (1, 7, 40)
    }
    assert len(texts) == 1


def test_process_pool_gives_the_serial_bytes() -> None:
    scenario = small_scenario()
    serial = replicate(scenario, 60, seed=5, run=fake_run, executor=SerialExecutor())
    with ProcessExecutor(2) as pool:
        parallel = replicate(scenario, 60, seed=5, run=fake_run, executor=pool, chunk_size=4)
    assert parallel.to_json() == serial.to_json()


def test_statistics_match_numpy() -> None:
    scenario = small_scenario()
    result = replicate(scenario, 300, seed=1, run=fake_run, keep=True)
    values = result.column("incident.leak.level_decided")
    stats = result.summary["metrics"]["incident.leak.level_decided"]
    assert stats["count"] == 300
    assert stats["mean"] == pytest.approx(values.mean(), rel=1e-12)
    assert stats["variance"] == pytest.approx(values.var(ddof=1), rel=1e-9)
    assert stats["min"] == values.min() and stats["max"] == values.max()
    for p in (5, 50, 95):
        exact = float(np.percentile(values, p, method="inverted_cdf"))
        assert stats[f"p{p:02d}"] == pytest.approx(exact, rel=0.011)
    met = result.column("incident.leak.deadline.phone_report.met")
    deadline = result.summary["deadlines"]["incident.leak.deadline.phone_report.met"]
    assert deadline["p"] == pytest.approx(met.mean())
    assert deadline["ci95"][0] < deadline["p"] < deadline["ci95"][1]


def test_never_happened_is_counted_as_missing() -> None:
    scenario = small_scenario()
    result = replicate(scenario, 200, seed=2, run=fake_run, keep=True)
    column = result.column("incident.leak.hq.gas_hq.activated")
    stats = result.summary["metrics"]["incident.leak.hq.gas_hq.activated"]
    assert stats["missing"] == int(np.isnan(column).sum()) > 0
    assert stats["count"] + stats["missing"] == 200


def test_bands_follow_the_onset_and_spread_week_populates_all() -> None:
    scenario = small_scenario(hour=14)
    plain = replicate(scenario, 50, seed=4, run=fake_run)
    assert plain.summary["bands"]["onset_band"] == {
        "day": 50,
        "holiday": 0,
        "holiday_night": 0,
        "night": 0,
    }
    spread = replicate(scenario, 200, seed=4, run=fake_run, spread_week=True, keep=True)
    counts = spread.summary["bands"]["onset_band"]
    assert all(counts[b] > 10 for b in ("day", "night", "holiday", "holiday_night"))
    night = spread.summary["by_band"]["night"]["metrics"]["incident.leak.level_decided"]
    assert night["count"] == counts["night"]
    bands = spread.column("onset_band")
    assert (bands == BAND_CODES[TimeBand.NIGHT]).sum() == counts["night"]


def test_week_offset_shifts_the_whole_scenario() -> None:
    scenario = small_scenario()
    offset = week_offset(replication_seed(0, 3))
    assert 0 <= offset < WEEK_MINUTES
    shifted = shift_scenario(scenario, offset)
    assert shifted.onset_minutes(shifted.incidents[0]) == scenario.onset_minutes(
        scenario.incidents[0]
    )
    assert (shifted.start - scenario.start).total_seconds() == pytest.approx(offset * 60)


def test_bad_n_is_a_user_error() -> None:
    with pytest.raises(CmdsimError, match="at least 1"):
        replicate(small_scenario(), 0, run=fake_run)


def test_output_files_and_resume_of_a_partial_directory(tmp_path) -> None:
    scenario = small_scenario()
    full = tmp_path / "full"
    replicate(scenario, 30, seed=8, run=fake_run, out=full, chunk_size=4)
    names = sorted(p.name for p in full.iterdir())
    assert {"manifest.json", "summary.json", "replications.csv", "parts"} <= set(names)
    raw = (full / "replications.csv").read_bytes()
    # UTF-8 with a byte order mark, so Excel on a Chinese Windows reads it as UTF-8.
    assert raw.startswith(b"\xef\xbb\xbfreplication,")
    lines = raw.decode("utf-8-sig").splitlines()
    assert len(lines) == 31 and lines[0].startswith("replication,")
    assert [line.split(",")[0] for line in lines[1:]] == [str(i) for i in range(30)]
    # A crashed run: some parts missing, one left as a temporary, outputs absent.
    crashed = tmp_path / "crashed"
    replicate(scenario, 30, seed=8, run=fake_run, out=crashed, chunk_size=4)
    for name in ("summary.json", "replications.csv", "replications.parquet"):
        (crashed / name).unlink(missing_ok=True)
    (crashed / "parts" / "chunk-000003.json").unlink()
    (crashed / "parts" / "chunk-000005.json").rename(crashed / "parts" / ".chunk-000005.json.tmp-1")
    calls: list[int] = []

    def counting(sc, seq):  # type: ignore[no-untyped-def]
        calls.append(1)
        return fake_run(sc, seq)

    counting.__qualname__ = fake_run.__qualname__
    counting.__module__ = fake_run.__module__
    replicate(scenario, 30, seed=8, run=counting, out=crashed, resume=True, chunk_size=4)
    assert len(calls) == 8  # two chunks of four redone, the rest reused
    for name in ("summary.json", "replications.csv", "replications.parquet"):
        if (full / name).exists():
            assert (crashed / name).read_bytes() == (full / name).read_bytes(), name
    assert not list((crashed / "parts").glob(".*tmp*"))


def test_resume_refuses_a_different_batch(tmp_path) -> None:
    scenario = small_scenario()
    replicate(scenario, 10, seed=1, run=fake_run, out=tmp_path)
    with pytest.raises(CmdsimError, match=r"different batch \(.*seed"):
        replicate(scenario, 10, seed=2, run=fake_run, out=tmp_path, resume=True)


def test_summary_json_is_sorted_and_strict(tmp_path) -> None:
    replicate(small_scenario(), 5, seed=1, run=fake_run, out=tmp_path)
    text = (tmp_path / "summary.json").read_text()
    data = json.loads(text)
    assert data["schema"] == "cmdsim.batch.summary/1"
    assert data["n"] == 5 and data["seed"] == 1
    assert "NaN" not in text
    assert json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n" == text
