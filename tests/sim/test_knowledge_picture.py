"""``Knowledge.picture`` records what ``Knowledge.seen`` would, call for call.

``picture`` skips a call whose figures, raise flags and rule are those of the
incident's last call (most reports and reassessments change nothing); a call
of another room's case in between, or a flag that moved the level, must still
be recorded.  Fed the same sequence, the two give the same history, known
levels and rules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cmdsim.io import load_scenario
from cmdsim.model import Condition, Level, Plan
from cmdsim.model.conditions import Trigger
from cmdsim.model.plans import LevelResponse
from cmdsim.sim import SimOptions
from cmdsim.sim.compiled import CompiledPlan
from cmdsim.sim.context import Run
from cmdsim.sim.knowledge import Knowledge

SCENARIO = load_scenario(Path("scenarios") / "flood-typhoon.yaml")


def _plan(ident: str, at: float) -> CompiledPlan:
    triggers = (
        Trigger(Level.IV, any_of=(Condition.parse(f"deaths >= {at:g}"),)),
        Trigger(Level.III, any_of=(Condition.parse("households >= 100"),)),
    )
    levels = {Level.IV: LevelResponse(), Level.III: LevelResponse()}
    return CompiledPlan(
        Plan(
            id=ident, hazards=("flood",), triggers=triggers, levels=levels, raise_flags=("holiday",)
        )
    )


RULES = (_plan("a", 1), _plan("b", 3))
pictures = st.fixed_dictionaries(
    {},
    optional={
        "deaths": st.sampled_from([0.0, 1.0, 2.0, 5.0]),
        "households": st.sampled_from([10.0, 200.0]),
        "rainfall": st.sampled_from([20.0, 90.0]),
    },
)
calls = st.lists(
    st.tuples(
        st.sampled_from(["i1", "i2"]),
        pictures,
        st.sampled_from([0, 1]),
        st.sampled_from([(), ("holiday",)]),
    ),
    max_size=30,
)


def _state(knowledge: Knowledge) -> tuple[Any, ...]:
    return knowledge.history, knowledge.known_levels, knowledge.rules


@given(calls)
def test_picture_records_as_seen_does(
    sequence: list[tuple[str, dict[str, float], int, tuple[str, ...]]],
) -> None:
    skipping = Knowledge(Run(SCENARIO, 1, SimOptions()))
    plain = Knowledge(Run(SCENARIO, 1, SimOptions()))
    for incident, known, which, flags in sequence:
        rule = RULES[which]
        # The case's picture is a dict it changes in place: pass a copy each time.
        skipping.picture(incident, dict(known), rule, flags)
        plain.seen(incident, dict(known), rule, rule.level_for(known, flags))
    assert _state(skipping) == _state(plain)


def test_a_picture_seen_again_after_another_is_recorded_again() -> None:
    knowledge = Knowledge(Run(SCENARIO, 1, SimOptions()))
    rule = RULES[0]
    for known in ({"deaths": 1.0}, {"deaths": 1.0}, {"deaths": 5.0}, {"deaths": 1.0}):
        knowledge.picture("i1", known, rule, ())
    assert [figures for _, figures in knowledge.history["i1"]] == [
        {"deaths": 1.0},
        {"deaths": 5.0},
        {"deaths": 1.0},
    ]
    knowledge.picture("i1", {"deaths": 1.0}, rule, ("holiday",))  # the same figures, raised
    assert [level for _, level in knowledge.known_levels["i1"]] == [Level.IV, Level.III]
