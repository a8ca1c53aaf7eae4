"""A batch's summary, missing counts included, is the same byte for byte
however its replications are split into chunks, even when metrics and band
columns appear in only some replications (``analysis_fakes.sparse_run``)."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path

from analysis_fakes import small_scenario, sparse_run
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cmdsim.analysis import replicate
from cmdsim.analysis.chunks import Chunk, ChunkTask
from cmdsim.analysis.colstats import ColumnCollector, SketchCounts
from cmdsim.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = small_scenario()


def summarise(chunks: list[Chunk]) -> str:
    """The batch's reduce: each chunk's rows, then its sketches."""
    collector = ColumnCollector()
    for chunk in chunks:
        collector.add_rows(chunk.columns, chunk.rows)
        collector.merge_sketches(SketchCounts.of_rows(chunk.columns, chunk.rows))
    return json.dumps(collector.summary())


def split(records: list[dict[str, float]], cuts: list[int]) -> list[Chunk]:
    """The records cut at ``cuts``, each piece a chunk of the columns its
    replications reported (as ``Chunk.of_records`` makes them)."""
    edges = sorted({0, len(records), *(min(c, len(records)) for c in cuts)})
    return [
        Chunk.of_records(ChunkTask(k, a, b, SCENARIO, 0, None), records[a:b])
        for k, (a, b) in enumerate(itertools.pairwise(edges))
    ]


NAMES = (
    "incident.a.aware",
    "incident.a.deadline.phone.met",
    "incident.b.aware",
    "takeover.time",
    "incident.a.onset_band",
    "incident.b.onset_band",
    "onset_band",
)


@st.composite
def record(draw: st.DrawFn) -> dict[str, float]:
    """A replication reporting any subset of the metrics and band columns."""
    out = {}
    for name in draw(st.lists(st.sampled_from(NAMES), unique=True)):
        if name.endswith("onset_band"):
            out[name] = draw(st.sampled_from([0.0, 1.0, 2.0, 3.0, math.nan]))
        elif name.endswith(".met"):
            out[name] = draw(st.sampled_from([0.0, 1.0, math.nan]))
        else:
            out[name] = draw(st.one_of(st.just(math.nan), st.floats(-100, 100)))
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(record(), min_size=1, max_size=30), st.lists(st.integers(0, 30), max_size=8))
def test_any_split_of_the_replications_gives_the_same_bytes(
    records: list[dict[str, float]], cuts: list[int]
) -> None:
    whole = summarise(split(records, []))
    assert summarise(split(records, cuts)) == whole
    assert summarise(split(records, list(range(len(records))))) == whole  # one per chunk
    # Every metric reported anywhere has an entry whose count and missing
    # add up to the replications.
    summary = json.loads(whole)
    reported = {n for r in records for n in r if not n.endswith("onset_band")}
    assert set(summary["metrics"]) == reported
    for entry in summary["metrics"].values():
        assert entry["count"] + entry["missing"] == len(records)


def test_missing_counts_by_hand() -> None:
    """Three replications; ``x`` reported by the first only, ``incident.b.y``
    by the last only, whose own band (night) only the last has: the others
    follow ``onset_band`` (day, day, holiday)."""
    records = [
        {"onset_band": 0.0, "x": 5.0},
        {"onset_band": 0.0},
        {"onset_band": 2.0, "incident.b.onset_band": 1.0, "incident.b.y": 7.0},
    ]
    for cuts in ([], [1], [1, 2], [2]):
        summary = json.loads(summarise(split(records, cuts)))
        metrics, by_band = summary["metrics"], summary["by_band"]
        assert (metrics["x"]["count"], metrics["x"]["missing"]) == (1, 2)
        assert (metrics["incident.b.y"]["count"], metrics["incident.b.y"]["missing"]) == (1, 2)
        assert {b: v["metrics"].get("x", {}).get("missing") for b, v in by_band.items()} == {
            "day": 1,
            "night": None,
            "holiday": 1,
            "holiday_night": None,
        }
        y = {b: v["metrics"].get("incident.b.y") for b, v in by_band.items()}
        assert (y["day"]["count"], y["day"]["missing"]) == (0, 2)
        assert (y["night"]["count"], y["night"]["missing"]) == (1, 0)
        assert y["holiday"] is None and y["holiday_night"] is None


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 30), st.integers(1, 30), st.integers(0, 1000))
def test_a_batch_of_a_sparse_run_ignores_the_chunk_size(n: int, size: int, seed: int) -> None:
    """Through ``replicate``: a run function whose metrics and band columns
    vary between replications gives the same summary at any chunk size."""
    one = replicate(SCENARIO, n, seed, run=sparse_run, chunk_size=1).to_json()
    assert replicate(SCENARIO, n, seed, run=sparse_run, chunk_size=size).to_json() == one
    assert replicate(SCENARIO, n, seed, run=sparse_run).to_json() == one


def test_traffic_batch_json_is_the_same_at_any_chunk_size() -> None:
    """The reported case: ``incident.expressway_pileup.deadline.clear_road.*``
    was absent from whole chunks of one replication; its missing count was 0
    at ``--chunk-size 1`` and 2 at 40.  Since a level includes the levels
    below it, a case decided straight at II sets III's ``clear_road`` too, so
    it is never missing; the written report's lateness (only when late) is
    the sparse metric now."""
    outputs = []
    for size in ("1", "7", "40"):
        args = ["batch", str(ROOT / "scenarios/traffic.yaml"), "-n", "40", "--seed", "3"]
        result = CliRunner().invoke(main, [*args, "--json", "--chunk-size", size])
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    entry = json.loads(outputs[0])["metrics"]["incident.expressway_pileup.deadline.clear_road.met"]
    assert (entry["count"], entry["missing"]) == (40, 0)
    late = json.loads(outputs[0])["metrics"][
        "incident.expressway_pileup.reporting.written_report.lateness"
    ]
    assert (late["count"], late["missing"]) == (5, 35)
