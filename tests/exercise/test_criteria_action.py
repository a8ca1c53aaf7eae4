"""An action criterion ("decide within 30 min of inject x1") is met only by
an action at or after its start: a decision at minute 25 answered something
else than an inject at minute 35.  A state criterion ("HQ at level III
within 30 min of x1") is met by a state already reached at the start."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmdsim import bundled
from cmdsim.errors import LoadError
from cmdsim.exercise.criteria import (
    ACTION_KINDS,
    STATE_KINDS,
    Status,
    criterion_from_data,
    earlier_event_counts,
    evaluate,
)
from cmdsim.exercise.times import relative_time
from cmdsim.sim.events import EventKind


def _inject(time: float, ident: str = "x1") -> dict[str, Any]:
    return {"time": time, "kind": "inject", "actor": "Facilitator", "details": {"inject": ident}}


def _decision(time: float, actor: str = "district_duty_room") -> dict[str, Any]:
    return {"time": time, "kind": "decision", "actor": actor, "details": {"choice": "III"}}


DECIDE = criterion_from_data(
    {"id": "d30", "after": {"inject": "x1"}, "expect": {"kind": "decision"}, "within": 30}
)
HQ_III = criterion_from_data(
    {
        "id": "hq30",
        "after": {"inject": "x1"},
        "expect": {"kind": "hq_level_changed", "actor": "flood_hq", "details": {"level": ">=III"}},
        "within": 30,
    }
)


def test_a_decision_before_the_inject_does_not_meet_it() -> None:
    events = [_decision(25.0), _inject(35.0)]
    final = evaluate(DECIDE, events, now=120.0, final=True)
    assert final.status is Status.MISSED
    assert (final.start, final.deadline, final.at, final.elapsed) == (35.0, 65.0, None, None)
    assert final.early == 25.0
    assert final.note == (
        "decision by district_duty_room at +00:25 came before the start "
        "(inject x1 at +00:35): only one at or after it counts"
    )
    # within the window it is still open, and missed once the window has passed
    assert evaluate(DECIDE, events, now=50.0, final=False).status is Status.PENDING
    assert evaluate(DECIDE, events, now=65.5, final=False).status is Status.MISSED


def test_a_decision_after_the_inject_meets_it_and_the_earlier_one_is_not_it() -> None:
    events = [_decision(25.0), _inject(35.0), _decision(41.5)]
    verdict = evaluate(DECIDE, events, now=120.0, final=True)
    assert verdict.status is Status.MET
    assert (verdict.at, verdict.elapsed) == (41.5, 6.5)
    assert verdict.early is None and verdict.note == ""


def test_a_decision_at_the_inject_itself_counts() -> None:
    verdict = evaluate(DECIDE, [_inject(35.0), _decision(35.0)], now=120.0, final=True)
    assert verdict.status is Status.MET and verdict.elapsed == 0.0


def test_a_late_decision_is_missed_with_its_time() -> None:
    verdict = evaluate(DECIDE, [_decision(25.0), _inject(35.0), _decision(70.0)], 120.0, True)
    assert verdict.status is Status.MISSED and verdict.at == 70.0
    assert verdict.early == 25.0


def test_a_time_start_follows_the_same_rule() -> None:
    criterion = criterion_from_data(
        {"id": "t", "after": "+00:35", "expect": {"kind": "decision"}, "within": 30}
    )
    verdict = evaluate(criterion, [_decision(25.0)], now=120.0, final=True)
    assert verdict.status is Status.MISSED
    assert verdict.note == (
        "decision by district_duty_room at +00:25 came before the start "
        "(+00:35): only one at or after it counts"
    )


def test_a_state_reached_before_the_inject_meets_it_as_before() -> None:
    events = [
        {
            "time": 25.0,
            "kind": "hq_level_changed",
            "actor": "flood_hq",
            "details": {"level": "III"},
        },
        _inject(35.0),
    ]
    verdict = evaluate(HQ_III, events, now=120.0, final=True)
    assert verdict.status is Status.MET
    assert (verdict.start, verdict.at, verdict.elapsed) == (35.0, 25.0, 0.0)
    assert verdict.early is None and verdict.note == ""


def test_every_event_kind_is_a_state_or_an_action() -> None:
    kinds = set(EventKind)
    assert kinds == STATE_KINDS | ACTION_KINDS
    assert not STATE_KINDS & ACTION_KINDS


@pytest.mark.parametrize(
    ("kind", "counts"),
    [
        ("decision", False),
        ("report_sent", False),
        ("hq_notified", False),
        ("unit_notified", False),
        ("officers_called", False),
        ("inject", False),
        ("hq_level_changed", True),
        ("hq_activated", True),
        ("level_decided", True),
        ("takeover", True),
        ("signal", True),
        ("response_closed", True),
        ("Decision", False),  # as a pattern may write it
        (None, False),  # a pattern without a kind may match any action
    ],
)
def test_earlier_event_counts(kind: str | None, counts: bool) -> None:
    assert earlier_event_counts(kind) is counts


def test_a_pattern_without_a_kind_is_an_action() -> None:
    criterion = criterion_from_data(
        {
            "id": "a",
            "after": {"inject": "x1"},
            "expect": {"actor": "district_duty_room"},
            "within": 30,
        }
    )
    verdict = evaluate(criterion, [_decision(25.0), _inject(35.0)], now=120.0, final=True)
    assert verdict.status is Status.MISSED and verdict.early == 25.0


@pytest.mark.parametrize(
    ("minutes", "text"), [(25.0, "+00:25"), (0.0, "+00:00"), (125.5, "+02:05:30"), (1500, "+25:00")]
)
def test_relative_time(minutes: float, text: str) -> None:
    assert relative_time(minutes) == text


_times = st.floats(min_value=0.0, max_value=300.0, allow_nan=False)
_events = st.lists(
    st.tuples(st.sampled_from(["decision", "report_sent", "signal"]), _times), max_size=8
)


_starts = st.floats(min_value=1.0, max_value=300.0, allow_nan=False)
_kinds = st.sampled_from(sorted(EventKind))


@given(
    st.lists(_times, min_size=1, max_size=4),
    st.lists(st.tuples(_kinds, _times), max_size=8),
    _starts,
    st.floats(min_value=0.0, max_value=120.0),
    st.sampled_from(sorted(ACTION_KINDS)),
)
def test_shifting_actions_before_the_start_never_meets_the_criterion(
    acts: list[float],
    others: list[tuple[str, float]],
    start: float,
    within: float,
    kind: str,
) -> None:
    """A run's expected actions, wherever they were, each moved before the
    start: the criterion is not met, and its verdict is the one the run
    without those actions gets."""
    criterion = criterion_from_data(
        {"id": "p", "after": start, "expect": {"kind": kind}, "within": within}
    )
    background = [{"time": t, "kind": k, "actor": "a"} for k, t in others if k != kind]
    shifted = [{"time": t % start, "kind": kind, "actor": "a"} for t in acts]
    now = start + within + 1.0
    verdict = evaluate(criterion, sorted(background + shifted, key=_time), now, final=True)
    assert verdict.status is Status.MISSED
    assert verdict.early == max(e["time"] for e in shifted)
    without = evaluate(criterion, sorted(background, key=_time), now, final=True)
    assert (verdict.status, verdict.at) == (without.status, without.at)


@given(_events, _starts, st.floats(min_value=0.0, max_value=120.0), _times)
def test_an_earlier_decision_never_changes_a_verdict(
    others: list[tuple[str, float]], start: float, within: float, early: float
) -> None:
    """Adding a decision before the start leaves the status and time as
    they were, whatever else the run holds."""
    criterion = criterion_from_data(
        {"id": "p", "after": start, "expect": {"kind": "decision"}, "within": within}
    )
    events = sorted(({"time": t, "kind": k, "actor": "a"} for k, t in others), key=_time)
    before = min(early, start * 0.999)
    added = sorted([*events, _decision(before)], key=_time)
    now = start + within + 1.0
    a = evaluate(criterion, events, now, final=True)
    b = evaluate(criterion, added, now, final=True)
    assert (a.status, a.at) == (b.status, b.at)


def _time(event: dict[str, Any]) -> float:
    return float(event["time"])


X1 = (
    "  - {id: x1_decision_30, text: A decision within 30 minutes of the evacuation call,\n"
    "     after: {inject: x1_evacuation}, expect: {kind: decision}, within: 30}\n"
)


@pytest.fixture(scope="module")
def gas_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled gas drill, scripted, with one more criterion: a decision
    within 30 min of the evacuation call (+01:00), which the duty room's
    two decisions (+00:20, +00:47) both come before.  The drill is without
    its ten deaths (+05:00) and the level I decided on them, so no decision
    comes after the call."""
    from cmdsim.exercise.run import scripted_exercise

    base = tmp_path_factory.mktemp("gas")
    bundled.copy(base / "drills")
    gas = base / "drills" / "gas.yaml"
    text = re.sub(r"(?m)^ +- \{at: 300, deaths: 10\}.*\n", "", gas.read_text("utf-8"))
    text, cut = re.subn(r"(?ms)^  - id: g5_deaths\n.*?(?=^sources:)", "", text)
    assert cut == 1
    gas.write_text(text, "utf-8")
    msel = base / "gas-msel.yaml"
    shipped = (bundled.root() / "msel" / "gas.yaml").read_text("utf-8")
    shipped, cut = re.subn(r"(?ms)^  - id: g5_deaths\n.*?(?=^criteria:)", "", shipped)
    assert cut == 1
    msel.write_text(shipped + X1, "utf-8")
    script = base / "gas-script.yaml"  # the bundled script's first two decisions
    script.write_text(
        "decisions:\n  - {level: plan, activate: plan}\n  - {level: II, activate: plan}\n"
    )
    exercise = scripted_exercise(gas, msel, ["duty-room"], script, seed=1)
    log = base / "gas.jsonl"
    log.write_text(exercise.log_text(), encoding="utf-8")
    return log


def _end(log: Path) -> dict[str, Any]:
    records = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    end: dict[str, Any] = records[-1]
    assert end["type"] == "end"
    return end


def test_the_drill_logs_an_earlier_decision_as_not_counting(gas_log: Path) -> None:
    verdicts = {v["criterion"]: v for v in _end(gas_log)["verdicts"]}
    # the bundled criterion, a decision after the first call, is met as before
    first = verdicts["g_decision_30"]
    assert (first["status"], first["start"], first["at"]) == ("met", 5.0, 20.538756)
    late = verdicts["x1_decision_30"]
    assert (late["status"], late["start"], late["at"], late["early"]) == (
        "missed",
        60.0,
        None,
        47.081099,
    )
    assert late["note"] == (
        "decision by district_duty_room at +00:47:05 came before the start "
        "(inject x1_evacuation at +01:00): only one at or after it counts"
    )


def test_the_report_says_why_the_criterion_was_missed(gas_log: Path) -> None:
    from cmdsim.report import load_source, render

    report = load_source(gas_log)
    (item,) = [i for i in report["improvements"] if i["id"] == "criterion:x1_decision_30"]
    assert (item["status"], item["elapsed"], item["early"]) == ("missed", None, 47.1)
    text = render(load_source(gas_log), "md", "en")
    assert (
        "the expected action came at 18:47, before its start, and answered something else" in text
    )
    (row,) = [r for r in report["injects"] if r["id"] == "x1_evacuation"]
    assert (row["status"], row["rated_by"]) == ("missed", "criteria")


def test_a_replay_of_a_log_that_counted_the_earlier_decision_says_so(
    gas_log: Path, tmp_path: Path
) -> None:
    """A log written when the earlier decision met the criterion: its replay
    gives the verdict by today's rule, and the difference is located."""
    from cmdsim.exercise.run import replay_exercise

    lines = gas_log.read_text("utf-8").splitlines()
    end = json.loads(lines[-1])
    for verdict in end["verdicts"]:
        if verdict["criterion"] == "x1_decision_30":
            verdict.update(status="met", at=20.538756, early=None, note="")
    old = tmp_path / "old.jsonl"
    old.write_text("\n".join([*lines[:-1], json.dumps(end)]) + "\n", "utf-8")
    with pytest.raises(LoadError) as caught:
        replay_exercise(old)
    assert str(caught.value.problems[0]) == (
        f"{old}:{len(lines)}: end.verdicts: criterion x1_decision_30 met at 20.5388 min "
        "logged, replay gives missed"
    )


def test_the_console_prints_why(gas_log: Path) -> None:
    from rich.console import Console

    from cmdsim.exercise.console import print_run
    from cmdsim.exercise.run import replay_exercise

    out = io.StringIO()
    print_run(replay_exercise(gas_log), Console(file=out, width=300, color_system=None))
    note = (
        "decision by district_duty_room at +00:47:05 came before the start "
        "(inject x1_evacuation at +01:00): only one at or after it counts"
    )
    lines = out.getvalue().splitlines()
    assert (
        "  criterion x1_decision_30: ✘ missed — A decision within 30 minutes of the "
        f"evacuation call ({note})"
    ) in lines
    # in the table, under the criterion's text
    (row,) = [n for n, line in enumerate(lines) if "A decision within 30" in line and "│" in line]
    assert note in lines[row + 1]
