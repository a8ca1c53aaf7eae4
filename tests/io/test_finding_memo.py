"""The scenario search's digests are kept by the content of the files a load
read (``cmdsim.io.finding``): a search repeated in one process, or over a copy
of the same tree elsewhere, loads only what changed, and never answers from a
file edited since."""

from __future__ import annotations

import shutil
from pathlib import Path

import attrs
import pytest

from cmdsim.io import finding, loading
from cmdsim.io.dumping import scenario_digest
from cmdsim.io.loading import load_scenario

HERE = Path(__file__).parent / "validation"
BUNDLED = Path(__file__).resolve().parents[2] / "scenarios"


def test_a_digest_is_kept_until_a_file_its_load_read_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(HERE, tmp_path / "v")
    scenario = (tmp_path / "v" / "gas.yaml").resolve()
    first = finding._digest_of(scenario)
    assert first == scenario_digest(load_scenario(scenario))

    def no_load(*args: object, **kwargs: object) -> object:
        raise AssertionError("loaded again although nothing changed")

    with monkeypatch.context() as patched:
        patched.setattr(loading, "load_with_locations", no_load)
        assert finding._digest_of(scenario) == first

    # An included file (not the scenario itself) edited: loaded again.
    plans = tmp_path / "v" / "district" / "plans.yaml"
    plans.write_text(
        plans.read_text(encoding="utf-8").replace("name: gas plan", "name: gas plan B"),
        encoding="utf-8",
    )
    second = finding._digest_of(scenario)
    assert second != first
    assert second == scenario_digest(load_scenario(scenario))


def _no_load(*args: object, **kwargs: object) -> object:
    raise AssertionError("loaded again although nothing changed")


def test_a_copy_of_the_tree_elsewhere_is_answered_by_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(HERE, tmp_path / "a")
    first = finding._digest_of((tmp_path / "a" / "gas.yaml").resolve())
    assert first is not None
    shutil.copytree(HERE, tmp_path / "b")
    copy = (tmp_path / "b" / "gas.yaml").resolve()
    with monkeypatch.context() as patched:
        patched.setattr(loading, "load_with_locations", _no_load)
        assert finding._digest_of(copy) == first
    # The same scenario file over another district (an included file's bytes
    # differ): loaded, and its own digest.
    shutil.copytree(HERE, tmp_path / "c")
    plans = tmp_path / "c" / "district" / "plans.yaml"
    plans.write_text(
        plans.read_text(encoding="utf-8").replace("name: gas plan", "name: gas plan C"),
        encoding="utf-8",
    )
    other = (tmp_path / "c" / "gas.yaml").resolve()
    assert finding._digest_of(other) == scenario_digest(load_scenario(other)) != first
    # Both trees are kept: the first copy is still answered without a load.
    with monkeypatch.context() as patched:
        patched.setattr(loading, "load_with_locations", _no_load)
        assert finding._digest_of(copy) == first
        # An included file gone: not answered from what is kept (the load
        # that follows fails, so no digest).
        (tmp_path / "b" / "district" / "plans.yaml").unlink()
        with pytest.raises(AssertionError, match="loaded again"):
            finding._digest_of(copy)


def test_a_file_that_is_no_scenario_has_no_digest(tmp_path: Path) -> None:
    shutil.copytree(HERE, tmp_path / "v")
    district = (tmp_path / "v" / "district" / "district.yaml").resolve()
    assert finding._digest_of(district) is None


def test_the_digest_leaves_out_what_check_accepts() -> None:
    """An acceptance added or reworded changes no run, so saved logs and
    batches of the scenario still find it; a changed plan is another
    scenario."""
    base = load_scenario(BUNDLED / "gas.yaml")
    assert base.district.accept  # the bundled district accepts its CMD042
    reworded = attrs.evolve(
        base,
        district=attrs.evolve(
            base.district,
            accept=tuple(
                attrs.evolve(a, reason=a.reason + " (reworded)") for a in base.district.accept
            ),
        ),
    )
    none = attrs.evolve(base, district=attrs.evolve(base.district, accept=()))
    assert scenario_digest(reworded) == scenario_digest(base) == scenario_digest(none)
    plan = base.district.plans[0]
    other = attrs.evolve(
        base,
        district=attrs.evolve(
            base.district,
            plans=(attrs.evolve(plan, name=plan.name + "*"), *base.district.plans[1:]),
        ),
    )
    assert scenario_digest(other) != scenario_digest(base)
