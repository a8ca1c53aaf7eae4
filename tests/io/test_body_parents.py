"""Bodies' parent links that go round in a circle (model/bodies.py ``parent_cycles``).

The located refusal of a file is in test_validation_refs.py; here, against a
naive count on random parent links: each circle is reported exactly once, at
a body on it whose parent closes it, and nothing else is.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cmdsim.model.bodies import Body, parent_cycles


def bodies_of(parents: list[int | None]) -> tuple[Body, ...]:
    return tuple(
        Body(id=f"b{i}", parent=None if p is None else f"b{p}", office="u")
        for i, p in enumerate(parents)
    )


def circles(parents: list[int | None]) -> set[frozenset[int]]:
    """Every circle, found by following each body's parents as far as they go."""
    found: set[frozenset[int]] = set()
    for start in range(len(parents)):
        node: int | None = start
        for _ in range(len(parents)):
            node = parents[node] if node is not None else None
        if node is None:
            continue
        circle = {node}
        nxt = parents[node]
        while nxt is not None and nxt != node:
            circle.add(nxt)
            nxt = parents[nxt]
        found.add(frozenset(circle))
    return found


@st.composite
def parent_links(draw: st.DrawFn) -> list[int | None]:
    n = draw(st.integers(1, 9))
    # no body is its own parent (the model refuses that on its own)
    return [draw(st.none() | st.integers(0, n - 1).filter(lambda p, i=i: p != i)) for i in range(n)]


@given(parent_links())
def test_each_circle_is_reported_once_at_a_body_on_it(parents: list[int | None]) -> None:
    errors = parent_cycles(bodies_of(parents))
    expected = circles(parents)
    assert len(errors) == len(expected)
    reported = set()
    for error in errors:
        assert error.path.startswith("bodies[") and error.path.endswith("].parent")
        at = int(error.path[len("bodies[") : -len("].parent")])
        circle = next(c for c in expected if at in c)
        reported.add(circle)
        names = error.message.split(": ", 1)[1].split(" (")[0].split(" → ")
        assert names[0] == names[-1] and {int(n[1:]) for n in names} == circle
    assert reported == expected


def test_a_chain_and_unknown_parents_are_no_circle() -> None:
    assert parent_cycles(bodies_of([None, 0, 1, 1])) == []
    lost = (Body(id="a", parent="nowhere", office="u"), Body(id="b", parent="a", office="u"))
    assert parent_cycles(lost) == []


def test_two_bodies_each_the_others_parent() -> None:
    (error,) = parent_cycles(bodies_of([1, 0]))
    assert (error.path, error.message) == (
        "bodies[1].parent",
        "parents go round in a circle: b0 → b1 → b0 (no body is on top)",
    )
