"""libyaml's composer (used where PyYAML has it) gives the pure-Python
composer's node graph, marks included: every located message depends on them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cmdsim import bundled
from cmdsim.io import reading

ROOT = Path(__file__).resolve().parents[2]


def _shape(node: yaml.Node, seen: set[int]) -> list[object]:
    if id(node) in seen:  # an alias: the same node object again
        return ["alias"]
    seen.add(id(node))
    start, end = node.start_mark, node.end_mark
    out: list[object] = [type(node).__name__, node.tag, start.line, start.column]
    out += [end.line, end.column]
    if isinstance(node, yaml.ScalarNode):
        out.append(node.value)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out += _shape(key, seen) + _shape(value, seen)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            out += _shape(item, seen)
    return out


def _files() -> list[Path]:
    return sorted(bundled.root().rglob("*.yaml")) + sorted((ROOT / "tests").rglob("*.yaml"))


@pytest.mark.skipif(reading._FAST_LOADER is None, reason="PyYAML built without libyaml")
def test_libyaml_and_python_composers_give_the_same_marks() -> None:
    compared = 0
    for path in _files():
        try:
            text = path.read_text(encoding="utf-8")
            slow = yaml.SafeLoader(text).get_single_node()
        except (UnicodeDecodeError, yaml.YAMLError):
            continue  # broken on purpose: composed by the Python loader only
        fast = reading.compose(text, str(path))
        assert (slow is None) == (fast is None), path
        if slow is not None and fast is not None:
            assert _shape(fast, set()) == _shape(slow, set()), path
            compared += 1
    # The bundled district (Chinese names included) and the test fixtures.
    assert compared >= 40


def test_a_broken_text_gets_the_python_composers_message() -> None:
    text = "id: a\nplans:\n  - id: [unclosed\n"
    with pytest.raises(reading.ReadFailed) as fast:
        reading.compose(text, "x.yaml")
    saved, reading._FAST_LOADER = reading._FAST_LOADER, None
    try:
        with pytest.raises(reading.ReadFailed) as slow:
            reading.compose(text, "x.yaml")
    finally:
        reading._FAST_LOADER = saved
    assert str(fast.value) == str(slow.value)
    assert str(fast.value).startswith("x.yaml:4:1: invalid YAML: expected")
