"""Invariants of a served exercise, with Hypothesis: a player's view never
depends on the plan's answer, and the improvement plan the journal records
is the one the facilitator sees, whatever was added, edited and removed."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cmdsim.exercise.log import Improvement, improvements_from_records
from cmdsim.exercise.run import replay_exercise
from cmdsim.model import Level
from cmdsim.serve.server import open_session
from cmdsim.serve.session import Session

from .conftest import TOKENS, TWO_HAZARDS, two_hazards

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

LEVELS = st.sampled_from([None, *Level])
HQS = st.lists(st.sampled_from(["hq", "gas_hq", "general_hq"]), unique=True).map(tuple)


def session_in(directory: str, play: tuple[str, ...]) -> Session:
    return open_session(
        log=Path(directory) / "served.jsonl",
        scenario_path=TWO_HAZARDS,
        play=play,
        seed=0,
        scenario=two_hazards(),
        tokens=TOKENS,
    )


@pytest.fixture(scope="module")
def waiting(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Session]:
    """A session at each played role's first decision (kept open for the module)."""
    found = {}
    for role in ("duty-room", "general-hq", "lead-hq"):
        directory = str(tmp_path_factory.mktemp(role))
        session = session_in(directory, (role,))
        session.run_to_decision()
        assert session.pending_for(role) is not None
        found[role] = session
    return found


@settings(max_examples=60)
@given(
    role=st.sampled_from(["duty-room", "general-hq", "lead-hq"]),
    level=LEVELS,
    hqs=HQS,
    current=LEVELS,
)
def test_a_players_view_does_not_depend_on_the_plans_answer(
    waiting: dict[str, Session],
    role: str,
    level: Level | None,
    hqs: tuple[str, ...],
    current: Level | None,
) -> None:
    session = waiting[role]
    point = session.ex.pending
    assert point is not None
    if role == "lead-hq":
        # which question the lead is asked (escalate, or lower) is the point's own
        def up(lv: Level | None) -> bool:
            return lv is not None and point.current is not None and lv > point.current

        assume(up(level) == up(point.level))
    before = json.dumps(session.player_view(role), sort_keys=True)
    changed = attrs.evolve(point, level=level, activate=hqs)
    if role != "lead-hq":
        changed = attrs.evolve(changed, current=current)
    session.ex.pending = changed
    try:
        after = json.dumps(session.player_view(role), sort_keys=True)
    finally:
        session.ex.pending = point
    assert after == before


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
ITEM = st.builds(
    Improvement, issue=TEXT.filter(str.strip), action=TEXT, clause=TEXT, unit=TEXT, due=TEXT
)
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), ITEM),
        st.tuples(st.just("edit"), st.integers(0, 5), ITEM),
        st.tuples(st.just("remove"), st.integers(0, 5)),
    ),
    max_size=8,
)


@settings(max_examples=25, deadline=None)
@given(ops=OPS)
def test_the_journal_keeps_the_improvement_plan(ops: list[tuple]) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as directory:
        session = session_in(directory, ("duty-room",))
        expected: list[Improvement] = []
        for op in ops:
            if op[0] == "add":
                session.add_improvement(op[1])
                expected.append(op[1])
            elif op[1] < len(expected):
                item = op[2] if op[0] == "edit" else None
                session.edit_improvement(op[1], item)
                if item is None:
                    del expected[op[1]]
                else:
                    expected[op[1]] = item
        log = session.journal.path
        journal = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        assert list(improvements_from_records(journal)) == expected
        assert list(session.ex.spec.improvements) == expected
        session.end()
        whole = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        items = [r for r in whole if r["type"] == "improvement"]
        assert [Improvement(**{k: r[k] for k in r if k != "type"}) for r in items] == expected
        assert not [r for r in whole if r["type"] == "improvement_edit"]
        again = replay_exercise(log, scenario=two_hazards())
        assert again.log_text(log) == log.read_text(encoding="utf-8")
