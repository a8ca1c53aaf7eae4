"""Open the HTML report in headless Chromium and read back what it drew.

Skips without Chromium, except under CI (``CI=true``, or
``CMDSIM_REQUIRE_CHROMIUM`` which ``.ci/run`` sets after installing Chromium),
where its absence is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cmdsim.report import load_source, render

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    explicit = os.environ.get("CMDSIM_CHROMIUM")
    if explicit:
        return explicit
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def resolve_chromium() -> str:
    """Chromium's path; else skip, or fail where Chromium is required (CI)."""
    path = find_chromium()
    if path is None:
        reason = "headless Chromium not found (apt-get install chromium, or set CMDSIM_CHROMIUM)"
        if os.environ.get("CI", "").lower() == "true" or os.environ.get("CMDSIM_REQUIRE_CHROMIUM"):
            pytest.fail(
                f"Chromium is required here (CI=true or CMDSIM_REQUIRE_CHROMIUM) but {reason}"
            )
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def chromium() -> str:
    return resolve_chromium()


def dump_dom(chromium: str, page: Path, profile: Path) -> str:
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--dump-dom",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(params=["hand-made", "engine"])
def any_run(request: pytest.FixtureRequest, run_dir: Path, tmp_path: Path) -> Path:
    """The hand-made run, and a run of the gas drill written as ``cmdsim run --out`` does."""
    if request.param == "hand-made":
        return run_dir
    import cmdsim.sim as sim
    from cmdsim.io import load_scenario

    root = Path(__file__).resolve().parents[2]
    result = sim.simulate(load_scenario(root / "scenarios" / "gas.yaml"), 5)
    out = tmp_path / "engine-run"
    out.mkdir()
    (out / "events.jsonl").write_text(result.events_jsonl(), encoding="utf-8")
    (out / "metrics.json").write_text(result.metrics_json() + "\n", encoding="utf-8")
    return out


def test_chromium_draws_timeline_with_json_numbers(
    chromium: str, any_run: Path, tmp_path: Path
) -> None:
    report = load_source(any_run)
    page = tmp_path / "report.html"
    page.write_text(render(report, "html", "en"), encoding="utf-8")
    data = json.loads(render(report, "json"))
    dom = dump_dom(chromium, page, tmp_path / "profile")

    # The timeline is drawn: one SVG rect per bar of the JSON, with its times.
    bars = re.findall(
        r'<rect class="bar" data-lane="([^"]+)" data-kind="([^"]+)" data-start="([^"]+)"'
        r' data-end="([^"]+)"[^>]*?width="([0-9.]+)"',
        dom,
    )
    assert len(bars) == len(data["timeline"]["bars"]) > 0
    drawn = sorted((lane, kind, float(s), float(e)) for lane, kind, s, e, _w in bars)
    expected = sorted(
        (b["lane"], b["kind"], b["start"], b["end"]) for b in data["timeline"]["bars"]
    )
    assert drawn == expected
    assert all(float(w) > 0 for *_rest, w in bars)
    assert len(re.findall(r'<path class="marker"', dom)) == len(data["timeline"]["markers"])

    # Every number shown equals the JSON's.
    shown = re.findall(r'data-key="([^"]+)">([^<]*)<', dom)
    assert len(shown) > 15
    for key, text in shown:
        node: object = data
        for part in key.split("."):
            node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
        assert text == ("–" if node is None else str(node)), key


def test_missing_chromium_skips_locally_and_fails_under_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("CMDSIM_CHROMIUM", raising=False)
    monkeypatch.delenv("CMDSIM_REQUIRE_CHROMIUM", raising=False)
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="headless Chromium not found"):
        resolve_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Chromium is required here"):
        resolve_chromium()
    monkeypatch.setenv("CI", "false")
    monkeypatch.setenv("CMDSIM_REQUIRE_CHROMIUM", "1")
    with pytest.raises(pytest.fail.Exception, match="Chromium is required here"):
        resolve_chromium()


def screenshot(
    chromium: str, page: Path, png: Path, profile: Path, size: str = "1000,1400"
) -> bytes:
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={size}",
        f"--screenshot={png}",
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and png.is_file(), done.stderr[-2000:]
    return png.read_bytes()


def test_chinese_renders_in_screenshots(chromium: str, run_dir: Path, tmp_path: Path) -> None:
    """Without a CJK font every Chinese character is the same empty box, so
    two different Chinese lines would give the same picture; with one (CI
    installs fonts-noto-cjk) they differ.  The zh report's screenshot is
    taken the same way and must differ from one of its own text boxed out."""
    pictures = []
    for text in ("区防汛防台指挥部启动", "值班室确定响应级别"):
        page = tmp_path / f"{len(pictures)}.html"
        page.write_text(
            '<html lang="zh"><meta charset="utf-8">'
            f'<body style="font:48px sans-serif">{text}</body></html>',
            encoding="utf-8",
        )
        pictures.append(
            screenshot(chromium, page, tmp_path / f"{len(pictures)}.png", tmp_path / "p", "800,200")
        )
    assert pictures[0] != pictures[1], (
        "Chinese is drawn as boxes: install a CJK font (fonts-noto-cjk)"
    )
    report = load_source(run_dir)
    page = tmp_path / "report-zh.html"
    page.write_text(render(report, "html", "zh"), encoding="utf-8")
    shot = screenshot(chromium, page, tmp_path / "report-zh.png", tmp_path / "p")
    assert len(shot) > 20_000  # a page of text and charts, not a blank one
