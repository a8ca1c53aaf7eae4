"""The registry of random streams (``cmdsim.sim.streams``) is the only place
a stream's name is spelt: the engine and the fast path's exact draws both ask
it, so they cannot drift apart by a typo or a renamed pattern."""

from __future__ import annotations

import ast
from pathlib import Path

from cmdsim.sim import streams

SRC = Path(__file__).resolve().parents[2] / "src" / "cmdsim"
PREFIXES = (
    "channel/",
    "officers/",
    "room/",
    "reassess/",
    "callout/",
    "task/",
    "report/",
    "transmit/",
    "warning/",
    "figures/",
    "noise/",
    "community/",
    "body/",
)


def _spelt_names(path: Path, root: Path = SRC) -> list[str]:
    """String literals and f-strings in ``path`` that start like a stream name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        head = None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            head = node.value
        elif isinstance(node, ast.JoinedStr) and node.values:
            first = node.values[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                head = first.value
        if head is not None and head.startswith(PREFIXES):
            found.append(f"{path.relative_to(root)}:{node.lineno}: {head!r}")
    return sorted(set(found))  # an f-string's head is also a literal of its own


def test_no_stream_name_is_spelt_outside_the_registry() -> None:
    registry = SRC / "sim" / "streams.py"
    found = [hit for p in sorted(SRC.rglob("*.py")) if p != registry for hit in _spelt_names(p)]
    assert found == []


def test_the_check_sees_a_spelt_name(tmp_path: Path) -> None:
    copy = tmp_path / "x.py"
    copy.write_text(
        'def f(run, i):\n    return run.streams(f"callout/{i}"), "room/r/triage/i"\n',
        encoding="utf-8",
    )
    assert _spelt_names(copy, tmp_path) == [
        "x.py:2: 'callout/'",
        "x.py:2: 'room/r/triage/i'",
    ]


def test_every_maker_is_registered() -> None:
    makers = [f for name, f in vars(streams).items() if name.endswith("_stream") and callable(f)]
    assert sorted(f.__name__ for f in makers) == sorted(f.__name__ for f in streams.REGISTRY)


def test_names_never_change() -> None:
    # These names key every pinned result: a change moves draws of every run.
    assert [
        streams.channel_stream("i", "c"),
        streams.officers_stream("i"),
        streams.triage_stream("r", "i"),
        streams.forward_stream("r", "i"),
        streams.handover_stream("r", "i"),
        streams.handback_stream("r", "i"),
        streams.approval_stream("r", "i"),
        streams.reassess_stream("i"),
        streams.reassess_stream("i", "r"),
        streams.callout_stream("h"),
        streams.task_stream("i", "t"),
        streams.report_stream("i", "d"),
        streams.report_stream("i", "d", 2),
        streams.transmit_stream("i", "d"),
        streams.transmit_stream("i", "d", 2),
        streams.warning_stream("i", "red"),
        streams.warning_lowered_stream("i", "yellow"),
        streams.town_warning_stream("r", "i", "blue"),
        streams.town_warning_lowered_stream("r", "i", "blue"),
        streams.figures_stream("i", "c"),
        streams.noise_stream("i", "c"),
        streams.count_triage_stream("r", "i"),
        streams.false_alarm_stream("r", "i"),
        streams.duplicate_stream("r", "i"),
        streams.verify_stream("r", "i"),
        streams.community_stream("i", "c"),
        streams.community_action_stream("i", "a"),
        streams.body_stream("b", "convene"),
    ] == [
        "channel/i/c",
        "officers/i",
        "room/r/triage/i",
        "room/r/forward/i",
        "room/r/handover/i",
        "room/r/handback/i",
        "room/r/approval/i",
        "reassess/i",
        "reassess/r/i",
        "callout/h",
        "task/i/t",
        "report/i/d",
        "report/i/d/2",
        "transmit/i/d",
        "transmit/i/d/2",
        "warning/i/red",
        "warning/i/lowered/yellow",
        "room/r/warning/i/blue",
        "room/r/warning/i/lowered/blue",
        "figures/i/c",
        "noise/i/c",
        "room/r/count/i",
        "room/r/false/i",
        "room/r/duplicate/i",
        "room/r/verify/i",
        "community/i/c",
        "community/i/a",
        "body/b/convene",
    ]
