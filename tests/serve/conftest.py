"""A served exercise of the two-hazard scenario (fixed delays, real engine).

With ``duty-room`` played its points are the duty room's first decisions on
``flood1`` (minute 75) and ``gas1`` (minute 115), where the plan's rule says
level IV; with ``general-hq`` and ``lead-hq`` played, the general HQ is asked
at 143 (and 161 after a decline) and the lead HQs at 153, 203 and 233.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cmdsim.io import load_scenario
from cmdsim.model import Scenario
from cmdsim.serve.server import open_session
from cmdsim.serve.session import Session

pytest.importorskip("starlette")
pytest.importorskip("httpx")

ROOT = Path(__file__).resolve().parents[2]
TWO_HAZARDS = ROOT / "tests" / "sim" / "two_hazards.yaml"
TOKENS = {
    "facilitator": "f-token",
    "duty-room": "d-token",
    "general-hq": "g-token",
    "lead-hq": "l-token",
}
MSEL = """\
injects:
  - id: m1
    time: 70
    from: Weather office
    to: District duty room
    message: Heavy rain over town A
    expect: SECRET-EXPECT decide level IV
    objective: SECRET-OBJECTIVE first decision
  - id: m2
    time: 300
    from: Town A
    to: Gas-accident HQ
    message: Residents ask about the cordon
criteria:
  - id: c1
    text: SECRET-CRITERION a decision within 30 minutes of the rain
    after: {inject: m1}
    expect: {kind: decision}
    within: 30
"""


@functools.cache
def two_hazards() -> Scenario:
    return load_scenario(TWO_HAZARDS)


@pytest.fixture
def make_session(tmp_path: Path) -> Iterator[Callable[..., Session]]:
    msel = tmp_path / "msel.yaml"
    msel.write_text(MSEL, encoding="utf-8")

    def make(play: tuple[str, ...] = ("duty-room",), log: str = "served.jsonl") -> Session:
        return open_session(
            log=tmp_path / log,
            scenario_path=TWO_HAZARDS,
            msel_path=msel,
            play=play,
            seed=0,
            scenario=two_hazards(),
            tokens=TOKENS,
        )

    yield make
