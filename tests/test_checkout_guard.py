"""The suite-wide rules of tests/conftest.py: the listing behind the checkout
guard, and hypothesis without deadlines."""

from __future__ import annotations

from pathlib import Path

from checkout_guard import GUARD_VARIABLES, repository_files


def test_listing_sees_new_and_removed_files_but_not_caches(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text("", encoding="utf-8")
    before = repository_files(tmp_path)
    assert before == {"src", "src/a.py"}
    for cache in (".hypothesis", "src/__pycache__", ".pytest_cache", "cmdsim.egg-info"):
        (tmp_path / cache).mkdir()
        (tmp_path / cache / "x").write_text("", encoding="utf-8")
    assert repository_files(tmp_path) == before
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "summary.json").write_text("{}", encoding="utf-8")
    (tmp_path / "src" / "a.py").unlink()
    after = repository_files(tmp_path)
    assert after - before == {"out", "out/summary.json"}
    assert before - after == {"src/a.py"}


def test_ci_turns_the_guard_on() -> None:
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert any(f"export {name}=1" in ci for name in GUARD_VARIABLES)


def test_hypothesis_has_no_deadline_in_this_suite() -> None:
    """A slow example on a loaded machine is not a failure (tests/conftest.py)."""
    from hypothesis import HealthCheck, settings

    assert settings.default.deadline is None
    assert HealthCheck.too_slow in settings.default.suppress_health_check
