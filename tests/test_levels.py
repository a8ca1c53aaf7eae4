"""The ranked vocabularies (levels, signals) as keys: one member, one hash.

Their hash is identity's (cheaper than Enum's hash of the name, and the
engine keys its memo of trigger results by them): a member parsed, copied or
unpickled is the same object, so it finds the same entry.
"""

from __future__ import annotations

import copy
import pickle

from hypothesis import given
from hypothesis import strategies as st

from cmdsim.model.levels import Level, Signal


@given(st.sampled_from([*Level, *Signal]))
def test_a_member_however_obtained_keys_the_same_entry(member: Level | Signal) -> None:
    table = {member: "here"}
    again = (
        pickle.loads(pickle.dumps(member)),
        copy.deepcopy(member),
        type(member).parse(member.value),
        type(member).parse(member.name.lower()),
        type(member)(member.value),
    )
    for other in again:
        assert other is member
        assert hash(other) == hash(member)
        assert table[other] == "here"
        assert other in {member}


def test_members_of_a_kind_are_distinct_keys() -> None:
    assert len({*Level, *Signal}) == len(Level) + len(Signal)
    assert {level: level.rank for level in Level}[Level.II] == Level.II.rank
