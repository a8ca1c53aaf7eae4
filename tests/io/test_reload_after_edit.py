"""A reload after one file of a district is edited: what the unchanged files
gave comes from the values an earlier load built (``cmdsim.io.memo.run_at``
for the lists spliced into another list), and the load is exactly a cold
load of the edited files: values, locations in order, problems."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cmdsim import bundled
from cmdsim.errors import LoadError
from cmdsim.io import Loaded, load_with_locations, memo, scenario_digest


@pytest.fixture
def district(tmp_path: Path) -> Path:
    """A copy of the bundled scenarios; the flood drill in it."""
    shutil.copytree(bundled.root(), tmp_path / "scenarios")
    return tmp_path / "scenarios" / "flood-typhoon.yaml"


def _cold(drill: Path) -> Loaded:
    memo.clear()
    return load_with_locations(drill)


def _same(a: Loaded, b: Loaded) -> None:
    assert a.value == b.value
    assert scenario_digest(a.value) == scenario_digest(b.value)  # type: ignore[arg-type]
    assert list(a.locations.by_path.items()) == list(b.locations.by_path.items())
    assert a.files == b.files


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_edited_plan_leaves_the_spliced_lists_values_as_they_were(district: Path) -> None:
    first = _cold(district)
    plan = district.parent / "district" / "plans" / "flood_typhoon.yaml"
    _edit(plan, "\n", "\n# edited\n")
    again = load_with_locations(district)
    units, town_plans = again.value.district.units, again.value.district.plans[5:]  # type: ignore[attr-defined]
    # units.yaml, town_units.yaml and town_plans.yaml are spliced into the
    # district's lists: their values are the very ones the first load built.
    before = first.value.district  # type: ignore[attr-defined]
    assert len(units) > 100 and all(a is b for a, b in zip(units, before.units, strict=True))
    assert all(a is b for a, b in zip(town_plans, before.plans[5:], strict=True))
    assert again.value.district is not before  # type: ignore[attr-defined]
    _same(again, _cold(district))


def test_an_item_fewer_in_a_spliced_list_moves_the_places_of_the_next_ones(
    district: Path,
) -> None:
    _cold(district)
    units = district.parent / "district" / "units.yaml"
    # The last unit of units.yaml goes: every item of town_units.yaml takes
    # the index before, and the values kept at the old indexes must not serve.
    text = units.read_text(encoding="utf-8").rstrip("\n").split("\n")
    last = max(i for i, line in enumerate(text) if line.startswith("- "))
    assert all(not line.startswith("  ") for line in text[last + 1 :])
    units.write_text("\n".join(text[:last]) + "\n", encoding="utf-8")
    try:
        reloaded = load_with_locations(district)
    except LoadError as failed:  # the unit may be needed: then the same problems
        with pytest.raises(LoadError) as cold:
            _cold(district)
        assert [str(p) for p in failed.problems] == [str(p) for p in cold.value.problems]
        return
    _same(reloaded, _cold(district))


def test_a_broken_town_plan_is_reported_as_a_cold_load_reports_it(district: Path) -> None:
    _cold(district)
    town = sorted((district.parent / "district" / "town_plans").glob("*.yaml"))[3]
    _edit(town, "kind: ", "kind: nonsense_")
    with pytest.raises(LoadError) as warm:
        load_with_locations(district)
    with pytest.raises(LoadError) as cold:
        _cold(district)
    problems = [str(p) for p in warm.value.problems]
    assert problems == [str(p) for p in cold.value.problems]
    assert any(town.name in p for p in problems)
    # Mended: the same load as a cold one, the other towns' values kept.
    _edit(town, "kind: nonsense_", "kind: ")
    first = _cold(district)
    _edit(town, "\n", "\n# edited\n")
    again = load_with_locations(district)
    plans = again.value.district.plans  # type: ignore[attr-defined]
    kept = [a is b for a, b in zip(plans, first.value.district.plans, strict=True)]  # type: ignore[attr-defined]
    # Only the edited town's plans are built again (the other towns' files
    # are spliced into town_plans.yaml, itself read again).
    own = sum(line.startswith("- ") for line in town.read_text(encoding="utf-8").splitlines())
    assert own > 1 and kept.count(False) == own
    _same(again, _cold(district))
