"""Improvement edits in a log still being written by ``cmdsim serve``: the
report applies each ``index`` to the facilitator's items as they were then,
as the log's own replay does (``improvements_from_records``)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cmdsim.exercise.log import improvements_from_records
from cmdsim.report.facts import from_log


def _apply(improvements: list[dict[str, Any]]) -> list[str]:
    """The items' issues after the edits, in order (as the report applies them)."""
    rows: dict[str, str] = {}
    for edit in improvements:
        if edit.get("deleted"):
            rows.pop(edit["id"], None)
        else:
            rows[edit["id"]] = edit["issue"]
    return list(rows.values())


def test_an_edit_after_a_removal_edits_the_item_now_at_its_index() -> None:
    records = [
        {"type": "improvement", "issue": "A"},
        {"type": "improvement", "issue": "B"},
        {"type": "improvement_edit", "index": 0, "removed": True},
        {"type": "improvement_edit", "index": 0, "issue": "B2"},
        {"type": "improvement", "issue": "C"},
    ]
    facts = from_log(records, "log.jsonl")
    ids = [(row["id"], bool(row.get("deleted"))) for row in facts["improvements"]]
    assert ids == [
        ("facilitator:1", False),
        ("facilitator:2", False),
        ("facilitator:1", True),
        ("facilitator:2", False),  # B, now at index 0 (was: A again)
        ("facilitator:3", False),  # a new number (was: 5)
    ]
    assert _apply(facts["improvements"]) == ["B2", "C"]


_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 0)),
        st.tuples(st.just("edit"), st.integers(0, 6)),
        st.tuples(st.just("remove"), st.integers(0, 6)),
    ),
    max_size=14,
)


@given(_OPS)
def test_the_report_and_the_log_replay_agree(ops: list[tuple[str, int]]) -> None:
    # Records as cmdsim serve writes them: an edit or removal names an item
    # that exists at that moment.
    records: list[dict[str, Any]] = []
    live = 0
    for count, (op, index) in enumerate(ops, start=1):
        if op == "add":
            records.append({"type": "improvement", "issue": f"i{count}"})
            live += 1
        elif live:
            index %= live
            if op == "remove":
                records.append({"type": "improvement_edit", "index": index, "removed": True})
                live -= 1
            else:
                records.append({"type": "improvement_edit", "index": index, "issue": f"e{count}"})
    expected = [item.issue for item in improvements_from_records(records)]
    facts = from_log(records, "log.jsonl")
    assert _apply(facts.get("improvements", [])) == expected
