"""``cmdsim serve`` in a real browser: the system Chromium driven by
Playwright, a facilitator and two players (general HQ, lead HQ) in separate
browser contexts, the players answering at the same time as the clock runs.
Then the log the exercise left: every answer with its rationale and player,
the facts and the improvement plan, a byte-for-byte replay, and the report.

Skips without Chromium or Playwright, except under CI (``CI=true``, or
``CMDSIM_REQUIRE_CHROMIUM`` which ``.ci/run`` sets), where their absence is
a failure.  ``CMDSIM_SERVE_SCREENSHOTS=DIR`` keeps the pages' screenshots.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from .conftest import TWO_HAZARDS
from .running import Server, run_cmdsim

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def required() -> bool:
    return os.environ.get("CI", "").lower() == "true" or bool(
        os.environ.get("CMDSIM_REQUIRE_CHROMIUM")
    )


def missing(reason: str) -> None:
    if required():
        pytest.fail(
            f"the browser test is required here (CI=true or CMDSIM_REQUIRE_CHROMIUM) but {reason}"
        )
    pytest.skip(reason)


def chromium() -> str:
    explicit = os.environ.get("CMDSIM_CHROMIUM")
    found = explicit or next(filter(None, map(shutil.which, CANDIDATES)), None)
    if found is None:
        missing("headless Chromium not found (apt-get install chromium, or set CMDSIM_CHROMIUM)")
    assert found is not None
    return found


def test_missing_browser_skips_locally_and_fails_under_ci(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("CMDSIM_CHROMIUM", raising=False)
    monkeypatch.delenv("CMDSIM_REQUIRE_CHROMIUM", raising=False)
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="headless Chromium not found"):
        chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="the browser test is required here"):
        chromium()


GENERAL = [("general-hq:-:1", "decline"), ("general-hq:-:2", "take_over")]
LEAD = [
    ("lead-hq:gas1:1", "request"),
    ("lead-hq:flood1:1", "hold"),
    ("lead-hq:flood1:2", "close"),
]


async def player(page: Any, name: str, answers: list[tuple[str, str]], shots: Path | None) -> None:
    await page.fill("#player-name", name)
    await page.dispatch_event("#player-name", "change")
    for n, (key, choice) in enumerate(answers):
        form = page.locator(f'form.decision[data-decision="{key}"]')
        await form.wait_for(timeout=60_000)
        text = await page.inner_text("body")
        assert "plan's answer" not in text and "the plan says" not in text
        if shots is not None and n == 0 and name == "Zhang":
            await page.screenshot(path=str(shots / "serve-player.png"), full_page=True)
        await form.locator(f'input[name="choice"][value="{choice}"]').check()
        await form.locator('textarea[name="rationale"]').fill(f"{name}: {choice} at {key}")
        await form.locator('button[type="submit"]').click()
        await page.wait_for_function(
            "document.getElementById('message').textContent.startsWith('recorded')"
        )
        await form.wait_for(state="detached", timeout=60_000)


async def facilitator(page: Any, shots: Path | None) -> None:
    page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    facts = page.locator('form[data-action="facts"]')
    await facts.locator('input[name="date"]').fill("2026-12-06")
    await facts.locator('input[name="place"]').fill("District EOC, room 2")
    await facts.locator('textarea[name="participants"]').fill(
        "Zhang, general HQ commander\nLi, gas HQ commander"
    )
    await facts.locator('textarea[name="notes"]').fill("The lead held the flood level at 203")
    await facts.locator("button").click()
    await page.wait_for_function(
        "document.getElementById('message').textContent === 'exercise facts recorded'"
    )
    item = page.locator("form.improvement-new")
    for field, value in (
        ("issue", "Takeover declined while two HQs were active"),
        ("action", "Brief the general HQ on the takeover rule"),
        ("clause", "General plan 4.3"),
        ("unit", "Emergency bureau"),
        ("due", "2027-03-31"),
    ):
        await item.locator(f'input[name="{field}"]').fill(value)
    await item.locator("button").click()
    await page.locator("table.improvements").wait_for()
    run = page.locator('form[data-action="clock"]:has(input[name="speed"])')
    await run.locator('input[name="speed"]').fill("120")
    await run.locator("button").click()
    if shots is not None:
        await page.locator(".waiting.reached").wait_for(timeout=60_000)
        await page.screenshot(path=str(shots / "serve-facilitator.png"), full_page=False)
    await page.locator(".clock .elapsed", has_text="T+10:00").wait_for(timeout=120_000)
    await page.locator('form[data-action="end"] button').click()
    await page.locator(".clock .state.ended").wait_for(timeout=60_000)


async def drive(links: dict[str, str], shots: Path | None) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium(), args=ARGS)
        try:
            pages = {}
            for who in ("facilitator", "General HQ", "Lead HQ"):
                context = await browser.new_context(viewport={"width": 1280, "height": 860})
                pages[who] = await context.new_page()
                response = await pages[who].goto(links[who])
                assert response is not None and response.status == 200
            forbidden = await pages["Lead HQ"].goto(links["Lead HQ"][:-4] + "xxxx")
            assert forbidden is not None and forbidden.status == 403
            await pages["Lead HQ"].goto(links["Lead HQ"])
            await asyncio.gather(
                facilitator(pages["facilitator"], shots),
                player(pages["General HQ"], "Zhang", GENERAL, shots),
                player(pages["Lead HQ"], "Li", LEAD, shots),
            )
        finally:
            await browser.close()


def test_a_facilitator_and_two_players_in_chromium(tmp_path: Path) -> None:
    chromium()
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        missing("Playwright is not installed (pip install playwright)")
    shots_dir = os.environ.get("CMDSIM_SERVE_SCREENSHOTS")
    shots = Path(shots_dir) if shots_dir else None
    log = tmp_path / "served.jsonl"
    args = [str(TWO_HAZARDS), "--play", "general-hq,lead-hq", "--seed", "0"]
    server = Server([*args, "--log", str(log), "--port", "0"], tmp_path)
    try:
        assert set(server.links) == {"facilitator", "General HQ", "Lead HQ"}
        assert all(link.startswith("http://127.0.0.1:") for link in server.links.values())
        asyncio.run(drive(server.links, shots))
    finally:
        code, printed = server.stop()
    assert code == 0 and "Traceback" not in printed, printed
    assert printed.rstrip().endswith(f"stopped; the exercise log is {log}")

    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    decisions = {r["key"]: r for r in records if r["type"] == "decision"}
    assert {k: (d["choice"], d["by"], d["player"]) for k, d in decisions.items()} == {
        **{key: (choice, "human", "Zhang") for key, choice in GENERAL},
        **{key: (choice, "human", "Li") for key, choice in LEAD},
    }
    assert all(
        d["rationale"] == f"{d['player']}: {d['choice']} at {k}" for k, d in decisions.items()
    )
    facts = next(r for r in records if r["type"] == "exercise_facts")
    assert facts["participants"] == [
        {"name": "Zhang", "role": "general HQ commander"},
        {"name": "Li", "role": "gas HQ commander"},
    ]
    improvement = next(r for r in records if r["type"] == "improvement")
    assert improvement["clause"] == "General plan 4.3" and improvement["due"] == "2027-03-31"
    assert records[-1]["type"] == "end"
    # the browsers' exercise is the scripted one of the same answers, event for event
    events = [r["event"] for r in records if r["type"] == "event"]
    kinds = [(e["time"], e["kind"]) for e in events if (e["details"] or {}).get("by") == "player"]
    assert kinds == [
        (143.0, "takeover_declined"),
        (153.0, "escalation_requested"),
        (161.0, "takeover_triggered"),
        (203.0, "level_held"),
        (233.0, "response_closed"),
    ]

    again = tmp_path / "again.jsonl"
    replay = run_cmdsim(
        ["drill", str(TWO_HAZARDS), "--replay", str(log), "--log", str(again)], tmp_path
    )
    assert replay.returncode == 0, replay.stderr
    assert again.read_bytes() == log.read_bytes()
    report = run_cmdsim(
        ["report", str(log), "--scenario", str(TWO_HAZARDS), "--format", "json"], tmp_path
    )
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    assert data["kind"] == "exercise"
    # the report has the facilitator's facts and improvement item ...
    assert data["facts"]["place"] == "District EOC, room 2"
    assert [p["name"] for p in data["facts"]["participants"]] == ["Zhang", "Li"]
    mine = [i for i in data["plan"] if i["source"] == "facilitator"]
    assert [(i["issue"], i["capability"], i["due"]) for i in mine] == [
        ("Takeover declined while two HQs were active", "General plan 4.3", "2027-03-31")
    ]
    # ... and lists the players' answers, in the order of the exercise
    assert [(d["time"], d["choice"], d["by"]) for d in data["decisions"]] == [
        (143.0, "decline", "human"),
        (153.0, "request", "human"),
        (161.0, "take_over", "human"),
        (203.0, "hold", "human"),
        (233.0, "close", "human"),
    ]
