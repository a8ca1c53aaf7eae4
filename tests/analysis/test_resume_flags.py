"""A refused ``--resume`` names a switch by the flag the user typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmdsim.analysis.store import FLAGS, BatchStore
from cmdsim.cli.batch import batch
from cmdsim.errors import CmdsimError
from cmdsim.model.switches import NAMES

MANIFEST = {
    "chunk_size": 2,
    "chunks": 1,
    "n": 2,
    "run": "simulate",
    "scenario": "gas",
    "scenario_digest": "abc",
    "seed": 1,
    "spread_week": False,
    "truth_reported": True,
}


def test_a_refusal_names_flags_by_the_flag_and_values_by_the_key(tmp_path: Path) -> None:
    BatchStore(tmp_path).open(MANIFEST, resume=False)
    now = {**MANIFEST, "seed": 2, "spread_week": True}
    del now["truth_reported"]
    with pytest.raises(CmdsimError) as raised:
        BatchStore(tmp_path).open(now, resume=True)
    message = str(raised.value)
    assert message == (
        f"{tmp_path} holds a different batch ("
        "seed: 1 in the directory, 2 now, "
        "--spread-week off in the directory, on now, "
        "--truth-reported on in the directory, off now); "
        "use another --out directory or run without --resume"
    )


def test_every_switch_and_flag_the_table_names_is_an_option_of_batch() -> None:
    assert set(NAMES) <= set(FLAGS)
    options = {opt for param in batch.params for opt in getattr(param, "opts", ())}
    for key, flag in FLAGS.items():
        assert flag in options, (key, flag)
        # The option sets the keyword the manifest records under the key.
        (param,) = [p for p in batch.params if flag in getattr(p, "opts", ())]
        assert param.name == key
