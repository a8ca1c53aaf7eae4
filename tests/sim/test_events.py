"""Event kinds are one enum whose members write exactly the old strings."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from cmdsim.io import load_scenario
from cmdsim.sim import simulate
from cmdsim.sim.events import EventKind
from cmdsim.sim.timeline import format_timeline

SRC = Path(__file__).resolve().parents[2] / "src" / "cmdsim"


def test_a_kind_is_its_string_in_json_text_and_sets() -> None:
    kind = EventKind.LEVEL_DECIDED
    assert json.dumps({"kind": kind}) == '{"kind": "level_decided"}'
    assert f"{kind}" == str(kind) == "level_decided"
    # A log read back from JSON holds plain strings: they must match members.
    assert "level_decided" in {kind} and kind in {"level_decided"}
    assert {kind: 1}["level_decided"] == 1


def test_values_are_unique_snake_case_names_of_their_members() -> None:
    assert len({k.value for k in EventKind}) == len(EventKind)
    for kind in EventKind:
        assert kind.value == kind.name.lower()


def test_every_logged_kind_is_a_member() -> None:
    scenario = load_scenario(Path("scenarios") / "compound-typhoon.yaml")
    result = simulate(scenario, seed=0)
    kinds = {type(e.kind) for e in result.events}
    assert kinds == {EventKind}
    # The timeline and the JSON show the value, never ``EventKind.X``.
    assert "EventKind" not in format_timeline(result)
    assert "EventKind" not in result.to_json()


def _string_kinds(path: Path) -> list[str]:
    """``emit(actor, "kind", …)`` calls that pass a bare string."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "emit"
            and len(node.args) >= 2
        ):
            for arg in ast.walk(node.args[1]):
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: {arg.value!r}")
    return found


def test_no_emit_passes_a_bare_string() -> None:
    found = [hit for path in sorted(SRC.rglob("*.py")) for hit in _string_kinds(path)]
    assert found == []


def test_the_log_made_on_reading_is_the_run_s_log_in_time_order() -> None:
    """The result keeps the run's entries and makes events when first read:
    the same events as the run logged, sorted by time with ties in the order
    logged, and a result built from those events is equal, byte for byte."""
    import attrs

    from cmdsim.sim.engine import execute

    root = Path(__file__).resolve().parents[2]
    scenario = load_scenario(root / "scenarios" / "gas.yaml")
    run = execute(scenario, 3)
    logged = run.events
    assert logged, "the gas drill logs events"
    expected = tuple(e for _, e in sorted(enumerate(logged), key=lambda p: (p[1].time, p[0])))
    result = simulate(scenario, 3)
    assert result.events == expected
    rebuilt = attrs.evolve(result, events=tuple(result.events))
    assert rebuilt == result and rebuilt.to_json() == result.to_json()
    assert attrs.evolve(result, events=expected[1:]) != result
