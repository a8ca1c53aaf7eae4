"""``cmdsim serve`` as a command: killed mid-exercise (SIGKILL: nothing is
flushed at exit), ``--resume`` continues from the journal alone, and the
finished log replays byte for byte."""

from __future__ import annotations

import json
import signal
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from .conftest import TWO_HAZARDS
from .running import Server, run_cmdsim


def call(url: str, payload: dict[str, Any] | None = None) -> Any:
    data = None if payload is None else json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def api(link: str) -> str:
    return link.replace("/f/", "/api/").replace("/p/", "/api/")


def test_killed_server_resumes_from_its_journal(tmp_path: Path) -> None:
    log = tmp_path / "served.jsonl"
    args = [str(TWO_HAZARDS), "--play", "duty-room", "--seed", "0", "--port", "0"]
    first = Server([*args, "--log", str(log)], tmp_path)
    try:
        facilitator, duty = api(first.links["facilitator"]), api(first.links["District duty room"])
        call(f"{facilitator}/clock", {"action": "decision"})
        waiting = call(f"{duty}/state")["waiting"]
        call(
            f"{duty}/decide",
            {
                "key": waiting["key"],
                "level": "IV",
                "activate": ["hq"],
                "rationale": "rain",
                "player": "Li",
            },
        )
        call(f"{facilitator}/clock", {"action": "step", "minutes": 20})
        before = call(f"{facilitator}/state")
    finally:
        first.process.send_signal(signal.SIGKILL)
        first.process.communicate(timeout=30)
    assert first.process.returncode == -signal.SIGKILL

    second = Server(["--resume", str(log), "--port", "0"], tmp_path)
    try:
        assert "exercise resumed at T+01:35" in "".join(second.printed)
        # new tokens: the old links no longer open anything
        assert second.links["facilitator"] != first.links["facilitator"]
        stale = first.links["facilitator"].rsplit("/", 1)[1]
        port = second.links["facilitator"].split("/f/")[0]
        with pytest.raises(urllib.error.HTTPError) as refused:
            call(f"{port}/api/{stale}/state")
        assert refused.value.code == 403
        facilitator, duty = (
            api(second.links["facilitator"]),
            api(second.links["District duty room"]),
        )
        after = call(f"{facilitator}/state")
        assert after["clock"] == before["clock"]
        assert after["feed"] == before["feed"]
        mine = call(f"{duty}/state")["decisions"]
        assert [(d["text"], d["rationale"], d["player"]) for d in mine] == [
            ("level IV; activate hq", "rain", "Li")
        ]
        call(f"{facilitator}/end", {})
    finally:
        code, printed = second.stop()
    assert code == 0, printed
    again = tmp_path / "again.jsonl"
    replay = run_cmdsim(
        ["drill", str(TWO_HAZARDS), "--replay", str(log), "--log", str(again)], tmp_path
    )
    assert replay.returncode == 0, replay.stderr
    assert again.read_bytes() == log.read_bytes()


def test_serve_without_a_scenario_serves_the_bundled_flagship(tmp_path: Path) -> None:
    from cmdsim import bundled

    log = tmp_path / "served.jsonl"
    server = Server(["--play", "duty-room", "--port", "0", "--log", str(log)], tmp_path)
    try:
        printed = "".join(server.printed)
        assert f"no SCENARIO given: the bundled flagship drill {bundled.flagship()}" in printed
        state = call(f"{api(server.links['facilitator'])}/state")
        assert state["clock"]
    finally:
        code, printed = server.stop()
    assert code == 0, printed
    head = json.loads(log.read_text(encoding="utf-8").splitlines()[0])
    assert head["scenario"] == bundled.flagship().as_posix()
    helped = run_cmdsim(["serve", "--help"], tmp_path)
    assert "Without SCENARIO, serves the bundled flagship drill" in " ".join(helped.stdout.split())
