"""Loading fast gives what loading slowly gave: the kept trees and values of
``cmdsim.io.memo``, the quick scalars and resolver, the paused collector."""

from __future__ import annotations

import gc
import itertools
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.constructor import SafeConstructor

from cmdsim import bundled
from cmdsim.errors import LoadError
from cmdsim.io import Loaded, load, load_scenario, load_with_locations, memo, scenario_digest
from cmdsim.io.includes import MAX_INCLUDE_DEPTH, SLOW, quick_scalar
from cmdsim.io.reading import _FAST_LOADER
from cmdsim.model.frozen import FrozenDict

DRILLS = sorted(bundled.root().glob("*.yaml"))


def _messages(path: Path) -> list[str]:
    with pytest.raises(LoadError) as failed:
        load(path)
    return [str(p) for p in failed.value.problems]


def _same(a: Loaded, b: Loaded) -> None:
    assert a.value == b.value
    assert scenario_digest(a.value) == scenario_digest(b.value)  # type: ignore[arg-type]
    # The same places, in the same order: messages found later depend on them.
    assert list(a.locations.by_path.items()) == list(b.locations.by_path.items())
    assert a.files == b.files


def _dicts(value: Any, out: dict[int, Any]) -> dict[int, Any]:
    """Every mapping in a model value, by id (the mappings themselves kept alive)."""
    if isinstance(value, Mapping):
        out[id(value)] = value
        for item in value.values():
            _dicts(item, out)
    elif isinstance(value, tuple):
        for item in value:
            _dicts(item, out)
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            _dicts(getattr(value, field.name), out)
    return out


@pytest.mark.parametrize("drill", DRILLS, ids=lambda p: p.stem)
def test_a_kept_load_is_the_cold_load_value_for_value(drill: Path) -> None:
    memo.clear()
    cold = load_with_locations(drill)
    warm = load_with_locations(drill)
    _same(cold, warm)
    # Another drill on the district in between: still the same.
    load_with_locations(DRILLS[0] if drill != DRILLS[0] else DRILLS[-1])
    _same(cold, load_with_locations(drill))


def test_loads_share_kept_values_none_of_which_can_change() -> None:
    """Loads hand out the values kept from the last one (no copy): safe, as
    no mapping in them changes in place (it did before the model froze them,
    and each load then had to copy every mapping on the way)."""
    drill = bundled.root() / "flood-typhoon.yaml"
    memo.clear()
    first = load_scenario(drill)
    second = load_scenario(drill)
    mappings = [_dicts(s, {}) for s in (first, second)]
    assert set(mappings[0]) & set(mappings[1])
    assert all(type(m) is FrozenDict for m in (*mappings[0].values(), *mappings[1].values()))
    with pytest.raises(TypeError, match="cannot be changed in place"):
        first.district.plans[0].levels.clear()  # type: ignore[attr-defined]
    assert load_scenario(drill) == second == first


def _district(folder: Path, staff: int = 5) -> Path:
    (folder / "units.yaml").write_text(f"- {{id: police, staff: {staff}}}\n", encoding="utf-8")
    top = folder / "district.yaml"
    top.write_text("id: demo\nunits:\n  - {include: units.yaml}\n", encoding="utf-8")
    return top


def test_an_edited_include_is_read_again_whatever_its_stamp(tmp_path: Path) -> None:
    top = _district(tmp_path)
    units = tmp_path / "units.yaml"
    assert load(top).unit("police").staff == 5  # type: ignore[union-attr]
    stamp = os.stat(units)
    units.write_text("- {id: police, staff: 6}\n", encoding="utf-8")
    # Same size, same modification time: only the content tells.
    os.utime(units, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert os.stat(units).st_size == stamp.st_size
    assert load(top).unit("police").staff == 6  # type: ignore[union-attr]
    units.unlink()
    assert "file not found" in _messages(top)[0]


def test_an_include_through_a_link_is_checked_where_it_was_read(tmp_path: Path) -> None:
    # here/link/../units.yaml opens there/units.yaml; here/units.yaml, what
    # its absolute path reads as, is another file (the same text) that does not change.
    here, there = tmp_path / "here", tmp_path / "there"
    (there / "sub").mkdir(parents=True)
    here.mkdir()
    (here / "link").symlink_to(there / "sub", target_is_directory=True)
    (here / "units.yaml").write_text("- {id: police, staff: 5}\n", encoding="utf-8")
    (there / "units.yaml").write_text("- {id: police, staff: 5}\n", encoding="utf-8")
    top = here / "district.yaml"
    top.write_text("id: demo\nunits: {include: link/../units.yaml}\n", encoding="utf-8")
    assert load(top).unit("police").staff == 5  # type: ignore[union-attr]
    (there / "units.yaml").write_text("- {id: police, staff: 7}\n", encoding="utf-8")
    assert load(top).unit("police").staff == 7  # type: ignore[union-attr]


def test_an_include_cycle_made_by_an_edit_is_reported(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("id: demo\nunits: {include: b.yaml}\n", encoding="utf-8")
    b.write_text("[{id: police}]\n", encoding="utf-8")
    load(a)
    b.write_text("[{include: a.yaml}]\n", encoding="utf-8")
    warm = _messages(a)
    memo.clear()
    assert warm == _messages(a)
    assert "include cycle" in warm[0]


def test_a_kept_file_too_deep_for_its_new_place_is_reported(tmp_path: Path) -> None:
    # f1 includes f2 ... includes the last: one more than the limit from f1,
    # within it from f2.  f2's tree, kept, must not hide the error in f1.
    files = [tmp_path / f"f{i}.yaml" for i in range(1, MAX_INCLUDE_DEPTH + 2)]
    for here, there in itertools.pairwise(files):
        here.write_text(f"id: demo\nname: {{include: {there.name}}}\n", encoding="utf-8")
    files[-1].write_text("deep\n", encoding="utf-8")
    memo.clear()
    cold = _messages(files[0])
    assert any("nested more than" in m for m in cold)
    memo.clear()
    assert not any("nested more than" in m for m in _messages(files[1]))
    assert _messages(files[0]) == cold


def test_a_kept_file_past_the_budget_is_reported(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("[" + ", ".join("1" for _ in range(110_000)) + "]\n", encoding="utf-8")
    top = tmp_path / "top.yaml"
    top.write_text("id: demo\nhazards: {include: big.yaml}\nunits: {include: big.yaml}\n")
    memo.clear()
    cold = _messages(top)
    assert any("more than 200,000 values" in m for m in cold)
    memo.clear()
    _messages(big)  # a list, no district: its tree is kept all the same
    assert _messages(top) == cold


def test_a_broken_file_says_the_same_each_time() -> None:
    broken = Path(__file__).parent / "broken"
    for path in sorted(broken.glob("*.yaml"))[:12]:
        try:
            first = _messages(path)
        except pytest.fail.Exception:
            continue  # loads: not broken at the loader (a check finds it)
        assert _messages(path) == first, path


def test_the_trees_kept_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    memo.clear()
    monkeypatch.setattr(memo, "MAX_FILES", 3)
    for i in range(3):
        (tmp_path / f"d{i}").mkdir()
    tops = [_district(tmp_path / f"d{i}", staff=i + 1) for i in range(3)]
    for top in tops:
        load(top)
    # Each district keeps two trees (its file, units.yaml): the oldest go.
    assert memo.kept()[0] == 3
    monkeypatch.setattr(memo, "MAX_VALUES", 10)
    load(tops[0])
    files, values = memo.kept()
    assert files == 1 and values > 10  # the one tree just read stays, alone
    assert [load(t).unit("police").staff for t in tops] == [1, 2, 3]  # type: ignore[union-attr]
    memo.clear()
    assert memo.kept() == (0, 0)


# -- the collector ------------------------------------------------------------


def test_the_collector_is_on_again_after_a_load_and_a_failed_one(tmp_path: Path) -> None:
    assert gc.isenabled()
    load(_district(tmp_path))
    assert gc.isenabled()
    (tmp_path / "bad.yaml").write_text("id: [\n", encoding="utf-8")
    with pytest.raises(LoadError):
        load(tmp_path / "bad.yaml")
    assert gc.isenabled()


def test_the_collector_stays_off_if_it_was_off(tmp_path: Path) -> None:
    gc.disable()
    try:
        load(_district(tmp_path))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_loads_in_threads_leave_the_collector_on(tmp_path: Path) -> None:
    top = _district(tmp_path)
    start = threading.Barrier(4)

    def work() -> None:
        start.wait()
        for _ in range(5):
            load(top)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.isenabled()
    with memo.paused_gc():
        with memo.paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


# -- quick scalars and the quick resolver -------------------------------------

_PLAIN = st.text(alphabet="0123456789+-._:eExXbBoOaAnNiIfFtTrRuUlLsSyY~ ", min_size=1, max_size=12)


def _scalar_node(text: str) -> yaml.Node | None:
    try:
        root = yaml.compose(f"v: {text}\n", Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or len(root.value) != 1:
        return None
    node = root.value[0][1]
    return node if isinstance(node, yaml.ScalarNode) else None


@given(_PLAIN)
def test_quick_scalars_are_pyyamls(text: str) -> None:
    node = _scalar_node(text)
    if node is None:
        return
    quick = quick_scalar(node)
    if quick is SLOW:
        return
    try:
        slow = SafeConstructor().construct_object(node)
    except (yaml.YAMLError, ValueError):
        pytest.fail(f"quick read {text!r} that PyYAML refuses")
    assert type(quick) is type(slow) and repr(quick) == repr(slow), text


@pytest.mark.parametrize(
    ("text", "value"),
    [("police", "police"), ("12", 12), ("-3", -3), ("0", 0), ("2.5", 2.5), ("-1.0e+3", -1000.0),
     ("yes", True), ("Off", False), ("~", None), ("null", None)],
)  # fmt: skip
def test_quick_scalars_read_the_common_forms(text: str, value: Any) -> None:
    node = _scalar_node(text)
    assert node is not None
    assert quick_scalar(node) == value and type(quick_scalar(node)) is type(value)


@pytest.mark.parametrize("text", ["0x1f", "017", "1_000", "1:30", ".inf", ".NaN", "2024-10-01"])
def test_other_forms_go_to_pyyamls_constructor(text: str) -> None:
    node = _scalar_node(text)
    assert node is not None and quick_scalar(node) is SLOW


@pytest.mark.skipif(_FAST_LOADER is None, reason="PyYAML built without libyaml")
@given(st.text(min_size=0, max_size=10))
def test_the_quick_resolver_gives_pyyamls_tags(text: str) -> None:
    loader = _FAST_LOADER("")
    base = yaml.SafeLoader("")
    for implicit in ((True, False), (False, True), (False, False)):
        assert loader.resolve(yaml.ScalarNode, text, implicit) == base.resolve(
            yaml.ScalarNode, text, implicit
        ), (text, implicit)
    loader.dispose()
    base.dispose()


# -- kept or not, the same outcome, whatever is edited -------------------------

_UNITS = st.sampled_from(
    [
        "- {id: police, staff: 5}\n",
        "- {id: police, staff: 6}\n",
        "- {id: police, staff: 5}\n- {id: fire, staff: 2}\n",
        "- {id: police, staff: -1}\n",  # a model error
        "- {id: police, staff: [\n",  # not YAML
        "- {include: extra.yaml}\n",
        "- {include: units.yaml}\n",  # a cycle
        "",  # empty
    ]
)
_EXTRA = st.sampled_from(
    ["- {id: rescue}\n", "- {id: police}\n", "{id: rescue}\n", "- {include: units.yaml}\n"]
)
_TOP = st.sampled_from(
    [
        "id: demo\nunits:\n  - {include: units.yaml}\n",
        "id: demo\nunits:\n  - {include: units.yaml}\n  - {include: extra.yaml}\n",
        "id: demo\nunits: {include: extra.yaml}\n",
        "id: demo\nunits:\n  - {include: units.yaml}\n  - {include: units.yaml}\n",
    ]
)
_EDITS = st.lists(
    st.one_of(
        st.tuples(st.just("units.yaml"), _UNITS),
        st.tuples(st.just("extra.yaml"), _EXTRA),
        st.tuples(st.just("district.yaml"), _TOP),
        st.tuples(st.sampled_from(["units.yaml", "extra.yaml"]), st.none()),  # deleted
    ),
    min_size=1,
    max_size=8,
)


def _outcome(path: Path) -> tuple[Any, ...]:
    try:
        loaded = load_with_locations(path)
    except LoadError as failed:
        return ("refused", [str(p) for p in failed.problems])
    return ("loaded", loaded.value, list(loaded.locations.by_path.items()), loaded.files)


def _cold(path: Path) -> tuple[Any, ...]:
    """The outcome with nothing kept, nothing looked up."""
    with (
        mock.patch.object(memo, "tree_of", lambda *_: None),
        mock.patch.object(memo, "keep_tree", lambda *_: None),
        mock.patch.object(memo, "built_at", lambda _: None),
    ):
        return _outcome(path)


_EXAMPLE = itertools.count()


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=_EDITS)
def test_kept_or_not_a_load_gives_the_same_after_any_edits(
    tmp_path: Path, edits: list[tuple[str, str | None]]
) -> None:
    folder = tmp_path / f"example{next(_EXAMPLE)}"
    folder.mkdir()
    top = _district(folder)
    (folder / "extra.yaml").write_text("- {id: rescue}\n", encoding="utf-8")
    assert _outcome(top) == _cold(top)
    for name, text in edits:
        if text is None:
            (folder / name).unlink(missing_ok=True)
        else:
            (folder / name).write_text(text, encoding="utf-8")
        assert _outcome(top) == _cold(top), (name, text)
