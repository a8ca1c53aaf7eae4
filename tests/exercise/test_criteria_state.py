"""A state criterion ("flood HQ at level III within 30 min of x1") is met at
the start only by a state still in force there: the HQ at level III at
minute 10 and released at minute 20 does not meet it for an x1 at minute 35.
What ends each state kind is one table, ``cmdsim.exercise.states.STATE_ENDS``."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmdsim import bundled
from cmdsim.exercise.criteria import Status, Verdict, criterion_from_data, evaluate
from cmdsim.exercise.states import (
    ACTION_KINDS,
    STATE_ENDS,
    STATE_KINDS,
    held_states,
)
from cmdsim.io import load_scenario
from cmdsim.sim import simulate
from cmdsim.sim.events import EventKind


def _event(
    time: float,
    kind: str,
    actor: str | None = "flood_hq",
    incident: str | None = "flood",
    **details: Any,
) -> dict[str, Any]:
    return {"time": time, "kind": kind, "actor": actor, "incident": incident, "details": details}


def _inject(time: float, ident: str = "x1") -> dict[str, Any]:
    return _event(time, "inject", "Facilitator", None, inject=ident)


def _criterion(expect: dict[str, Any], after: Any = None, within: float = 30) -> Any:
    return criterion_from_data(
        {"id": "s", "after": {"inject": "x1"} if after is None else after, "expect": expect,
         "within": within}
    )  # fmt: skip


HQ_III = _criterion(
    {"kind": "hq_level_changed", "actor": "flood_hq", "details": {"level": ">=III"}}
)


def _final(criterion: Any, events: list[dict[str, Any]]) -> Verdict:
    return evaluate(criterion, events, now=200.0, final=True)


def test_a_state_undone_before_the_start_does_not_meet_it() -> None:
    events = [
        _event(10.0, "hq_level_changed", level="III"),
        _event(20.0, "hq_released"),
        _inject(35.0),
    ]
    verdict = _final(HQ_III, events)
    assert verdict.status is Status.MISSED
    assert (verdict.start, verdict.deadline, verdict.at) == (35.0, 65.0, None)
    assert (verdict.early, verdict.ended) == (10.0, 20.0)
    assert verdict.note == (
        "hq_level_changed by flood_hq at +00:10 ended at +00:20 (hq_released), before the start "
        "(inject x1 at +00:35): only one in force at the start or reached after it counts"
    )
    assert verdict.to_data()["ended"] == 20.0
    # open until the window has passed
    assert evaluate(HQ_III, events, now=50.0, final=False).status is Status.PENDING


def test_a_state_still_in_force_at_the_start_meets_it_at_once() -> None:
    events = [_event(10.0, "hq_level_changed", level="III"), _inject(35.0)]
    verdict = _final(HQ_III, events)
    assert verdict.status is Status.MET
    assert (verdict.at, verdict.elapsed, verdict.early, verdict.ended) == (10.0, 0.0, None, None)
    assert verdict.note == ""


def test_a_state_undone_and_reached_again_in_the_window_meets_it_then() -> None:
    events = [
        _event(10.0, "hq_level_changed", level="III"),
        _event(20.0, "hq_deactivated", incident=None),  # stands down for every incident
        _inject(35.0),
        _event(50.0, "hq_level_changed", level="IV"),  # below III (I is the highest)
        _event(52.5, "hq_level_changed", level="III"),
    ]
    verdict = _final(HQ_III, events)
    assert (verdict.status, verdict.at, verdict.elapsed) == (Status.MET, 52.5, 17.5)
    assert verdict.note == ""


def test_a_state_reached_again_before_the_start_is_in_force() -> None:
    events = [
        _event(10.0, "hq_level_changed", level="III"),
        _event(20.0, "hq_released"),
        _event(25.0, "hq_level_changed", level="IV"),  # not the level asked for
        _event(30.0, "hq_level_changed", level="II"),
        _inject(35.0),
    ]
    verdict = _final(HQ_III, events)
    assert (verdict.status, verdict.at, verdict.elapsed) == (Status.MET, 30.0, 0.0)


def test_a_change_the_pattern_still_matches_carries_the_state_on() -> None:
    decided = _criterion({"kind": "level_decided", "actor": "room", "details": {"level": ">=III"}})
    up = [
        _event(10.0, "level_decided", "room", level="III"),
        _event(20.0, "level_escalated", "room", level="II"),
        _inject(35.0),
    ]
    verdict = _final(decided, up)
    assert (verdict.status, verdict.at) == (Status.MET, 10.0)
    down = [*up[:1], _event(20.0, "level_deescalated", "room", level="IV"), _inject(35.0)]
    verdict = _final(decided, down)
    assert (verdict.status, verdict.early, verdict.ended) == (Status.MISSED, 10.0, 20.0)
    assert "ended at +00:20 (level_deescalated)" in verdict.note
    # any level: a lower one is still a level in force; the close ends it
    any_level = _criterion({"kind": "level_decided", "actor": "room"})
    assert _final(any_level, down).status is Status.MET
    closed = [*down[:2], _event(30.0, "response_closed", "room", level=None), _inject(35.0)]
    assert _final(any_level, closed).status is Status.MISSED
    # another room's close is not this room's
    other = [*down[:2], _event(30.0, "response_closed", "town_room", level=None), _inject(35.0)]
    assert _final(any_level, other).status is Status.MET


def test_a_signal_lowered_or_lifted_by_its_issuer_is_no_longer_in_force() -> None:
    yellow = _criterion({"kind": "signal", "details": {"signal": ">=yellow"}}, after=35.0)

    def signal(time: float, colour: str, issuer: str) -> dict[str, Any]:
        return _event(time, "signal", "flood", signal=colour, issuer=issuer)

    assert _final(yellow, [signal(10, "orange", "city"), signal(20, "yellow", "city")]).at == 10
    lifted = _final(yellow, [signal(10, "yellow", "city"), signal(20, "lifted", "city")])
    assert (lifted.status, lifted.early, lifted.ended) == (Status.MISSED, 10.0, 20.0)
    lowered = _final(yellow, [signal(10, "yellow", "city"), signal(20, "blue", "city")])
    assert lowered.status is Status.MISSED
    # the station's lift is not the city's
    theirs = _final(yellow, [signal(10, "yellow", "city"), signal(20, "lifted", "district")])
    assert (theirs.status, theirs.at) == (Status.MET, 10.0)


def test_one_hq_standing_down_leaves_another_at_work() -> None:
    at_work = _criterion({"kind": "hq_activated"}, after=35.0)
    events = [
        _event(10.0, "hq_activated", "flood_hq", None),
        _event(15.0, "hq_activated", "fire_hq", None),
        _event(20.0, "hq_deactivated", "flood_hq", None),
    ]
    verdict = _final(at_work, events)
    assert (verdict.status, verdict.at) == (Status.MET, 15.0)
    both = [*events, _event(25.0, "hq_deactivated", "fire_hq", None)]
    verdict = _final(at_work, both)
    assert (verdict.status, verdict.early, verdict.ended) == (Status.MISSED, 15.0, 25.0)


def test_the_general_plan_closed_with_level_none() -> None:
    general = _criterion({"kind": "general_plan", "incident": "flood"}, after=35.0)
    put = _event(10.0, "general_plan", "room", level="III", plan="general", was=None)
    closed = _event(20.0, "general_plan", "room", level=None, plan="general", was="III")
    assert _final(general, [put]).status is Status.MET
    verdict = _final(general, [put, closed])
    assert (verdict.status, verdict.early, verdict.ended) == (Status.MISSED, 10.0, 20.0)


def test_a_figure_stays_until_a_point_names_it_again() -> None:
    deaths = _criterion({"kind": "severity", "details": {"deaths": ">=3"}}, after=35.0)
    three = _event(10.0, "severity", "flood", deaths=3)
    other = _event(20.0, "severity", "flood", households=500)
    assert _final(deaths, [three, other]).status is Status.MET
    corrected = _event(20.0, "severity", "flood", deaths=2)
    assert _final(deaths, [three, corrected]).status is Status.MISSED


def test_a_state_ended_at_the_start_itself_was_not_in_force_at_it() -> None:
    """The engine's convention at one minute: an event at a minute has
    happened by it.  A signal lifted at minute 60 is not in force at 60
    (``severity_at``), a duty band ends where the next begins, and a report
    arriving at its deadline's minute is on time, as an expected event at
    the criterion's deadline minute or start minute counts.  So a state
    ended at the start's own minute was not in force at the start; one
    ended a moment later was."""
    reached = _event(10.0, "hq_level_changed", level="III")
    for ended, status in ((34.999, Status.MISSED), (35.0, Status.MISSED), (35.001, Status.MET)):
        events = [reached, _inject(35.0), _event(ended, "hq_released")]
        verdict = _final(HQ_III, events)
        assert verdict.status is status, ended
        if status is Status.MISSED:
            assert (verdict.early, verdict.ended, verdict.at) == (10.0, ended, None)
    # Logged in either order at the minute: the same verdict.
    logged = [reached, _event(35.0, "hq_released"), _inject(35.0)]
    verdict = _final(HQ_III, logged)
    assert (verdict.status, verdict.early, verdict.ended) == (Status.MISSED, 10.0, 35.0)
    assert verdict.note == (
        "hq_level_changed by flood_hq at +00:10 ended at +00:35 (hq_released), at the start "
        "(inject x1 at +00:35): only one in force at the start or reached after it counts"
    )
    # Reached at the start's minute, or at the deadline's (35 + 30), it counts.
    for at in (35.0, 65.0):
        events = [_inject(35.0), _event(at, "hq_level_changed", level="III")]
        assert (_final(HQ_III, events).status, _final(HQ_III, events).at) == (Status.MET, at)
    late = [_inject(35.0), _event(65.001, "hq_level_changed", level="III")]
    assert _final(HQ_III, late).status is Status.MISSED


def test_a_level_lowered_at_the_start_itself_was_not_in_force_at_it() -> None:
    # A change the pattern no longer matches ends the state as a release does.
    up = _event(10.0, "level_decided", "room", level="III")
    crit = _criterion({"kind": "level_decided", "actor": "room", "details": {"level": ">=III"}})
    lowered = [up, _inject(35.0), _event(35.0, "level_deescalated", "room", level="IV")]
    assert _final(crit, lowered).status is Status.MISSED
    raised = [up, _inject(35.0), _event(35.0, "level_escalated", "room", level="II")]
    assert (_final(crit, raised).status, _final(crit, raised).at) == (Status.MET, 10.0)


def test_events_in_any_order_are_read_in_time_order() -> None:
    events = [
        _event(10.0, "hq_level_changed", level="III"),
        _event(20.0, "hq_released"),
        _inject(35.0),
        _inject(60.0),  # a second x1: the first starts the clock
        _event(70.0, "hq_level_changed", level="III"),
    ]
    ordered = _final(HQ_III, events)
    assert (ordered.status, ordered.start, ordered.at) == (Status.MISSED, 35.0, 70.0)
    assert (ordered.early, ordered.ended) == (10.0, 20.0)
    shuffled = events[:]
    random.Random(3).shuffle(shuffled)
    assert shuffled != events
    assert _final(HQ_III, shuffled) == ordered
    assert _final(HQ_III, list(reversed(events))) == ordered


# -- the table ---------------------------------------------------------------


def test_every_state_kind_says_what_ends_it() -> None:
    assert set(STATE_ENDS) == STATE_KINDS
    assert set(EventKind) == STATE_KINDS | ACTION_KINDS
    assert not STATE_KINDS & ACTION_KINDS
    for kind, lasts in STATE_ENDS.items():
        assert lasts.scope, kind
        assert kind not in lasts.ended_by, kind  # its own kind changes it
        assert not lasts.ended_by & lasts.changed_by, kind


def test_the_engine_names_every_scope_key_a_state_is_told_by() -> None:
    """Each state event the engine logs names what the table keys it by
    (``hq_activated`` names no incident, so its scope has none)."""
    seen: set[str] = set()
    for name in ("typhoon-landfall.yaml", "compound-typhoon.yaml", "gas.yaml"):
        for event in simulate(load_scenario(bundled.path(name)), 0).events:
            if event.kind not in STATE_KINDS:
                continue
            seen.add(event.kind)
            details = dict(event.details)
            for key in STATE_ENDS[EventKind(event.kind)].scope:
                value = getattr(event, key) if key in ("actor", "incident") else details.get(key)
                assert value is not None, (event.kind, key, event)
    assert len(seen) >= 15, sorted(STATE_KINDS - seen)


# -- the property ------------------------------------------------------------

_ENDED = sorted(k for k, lasts in STATE_ENDS.items() if lasts.ended_by or lasts.closed_by_none)


def _ender(kind: EventKind, time: float, scoped: dict[str, Any]) -> dict[str, Any]:
    lasts = STATE_ENDS[kind]
    if lasts.ended_by:
        return {**scoped, "time": time, "kind": sorted(lasts.ended_by)[0]}
    assert lasts.closed_by_none is not None
    details = {**scoped["details"], lasts.closed_by_none: None}
    return {**scoped, "time": time, "kind": kind, "details": details}


_times = st.floats(min_value=0.0, max_value=1.0)


@given(
    st.sampled_from(_ENDED),
    st.lists(_times, min_size=1, max_size=4),
    _times,
    st.lists(st.tuples(st.sampled_from(sorted(EventKind)), st.floats(0.0, 300.0)), max_size=8),
    st.lists(st.floats(0.0, 300.0), max_size=3),
    st.floats(min_value=1.0, max_value=200.0),
    st.floats(min_value=0.0, max_value=120.0),
)
def test_a_state_undone_before_the_start_never_meets_it(
    kind: EventKind,
    reached: list[float],
    undone: float,
    others: list[tuple[str, float]],
    later: list[float],
    start: float,
    within: float,
) -> None:
    """A state reached (once or more) and ended before the start: the
    verdict is the one the run without it gets, whatever else the run holds,
    and never met by an event before the start."""
    criterion = _criterion({"kind": kind, "actor": "a"}, after=start, within=within)
    scoped = {"actor": "a", "incident": "i", "details": {"issuer": "city", "post": "p",
              "plan": "g", "level": "III"}}  # fmt: skip
    states = sorted(
        ({**scoped, "time": t * start * 0.5, "kind": kind} for t in reached),
        key=lambda e: float(e["time"]),
    )
    last = float(states[-1]["time"])
    end = _ender(kind, last + (start - last) * (0.5 + undone * 0.49), scoped)
    background = [
        {"time": t, "kind": k, "actor": "b", "incident": "j", "details": {}}
        for k, t in others
        if k != kind
    ]
    after = [{**scoped, "time": start + t, "kind": kind} for t in later]
    now = start + within + 301.0
    run = sorted([*states, end, *background, *after], key=lambda e: float(e["time"]))
    without = sorted([*background, *after], key=lambda e: float(e["time"]))
    verdict = evaluate(criterion, run, now, final=True)
    alone = evaluate(criterion, without, now, final=True)
    assert (verdict.status, verdict.at) == (alone.status, alone.at)
    assert verdict.at is None or verdict.at >= start
    if verdict.status is not Status.MET:
        assert verdict.ended == end["time"]
    held = held_states([*states, end], kind, criterion.expect.matches)
    assert held and all(h.ended is end for h in held)


GONE = (
    "  - {id: tl_flood_hq_at_work, text: 'Flood HQ [at work] within 30 min of +31:00 [/]',\n"
    "     after: '+31:00', expect: {kind: hq_activated, actor: flood_typhoon_hq}, within: 30}\n"
)


@pytest.fixture(scope="module")
def landfall_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled typhoon-landfall drill, scripted (seed 1), with one more
    criterion: the flood HQ at work within 30 min of +31:00 (1860 min).  It
    was at work from 60.4 min and stood down at 1802.8 (the typhoon's case
    handed back), before the start."""
    from cmdsim.exercise.run import scripted_exercise

    base = tmp_path_factory.mktemp("landfall")
    msel = base / "landfall-msel.yaml"
    bundled_msel = (bundled.root() / "msel" / "typhoon-landfall.yaml").read_text("utf-8")
    msel.write_text(bundled_msel + GONE, "utf-8")
    exercise = scripted_exercise(
        bundled.path("typhoon-landfall.yaml"),
        msel,
        ["duty-room", "general-hq"],
        bundled.root() / "msel" / "typhoon-landfall-script.yaml",
        seed=1,
    )
    log = base / "landfall.jsonl"
    log.write_text(exercise.log_text(), encoding="utf-8")
    return log


def test_the_drill_logs_a_state_ended_before_the_start(landfall_log: Path) -> None:
    records = [json.loads(line) for line in landfall_log.read_text("utf-8").splitlines()]
    assert records[-1]["type"] == "end"
    verdict = {v["criterion"]: v for v in records[-1]["verdicts"]}["tl_flood_hq_at_work"]
    assert (verdict["status"], verdict["start"], verdict["at"]) == ("missed", 1860.0, None)
    assert (round(verdict["early"], 2), round(verdict["ended"], 2)) == (60.37, 1802.8)
    assert verdict["note"].startswith(
        "hq_activated by flood_typhoon_hq at +01:00:22 ended at +30:02:48 (hq_deactivated), "
        "before the start (+31:00)"
    )


def test_the_report_says_the_state_ended_before_the_start(landfall_log: Path) -> None:
    from cmdsim.report import load_source, render

    report = load_source(landfall_log)
    (item,) = [i for i in report["improvements"] if i["id"] == "criterion:tl_flood_hq_at_work"]
    assert (item["status"], item["elapsed"], item["early"], item["ended"]) == (
        "missed",
        None,
        60.4,
        1802.8,
    )
    en = render(load_source(landfall_log), "md", "en")
    zh = render(load_source(landfall_log), "md", "zh")
    assert (
        "Flood HQ [at work] within 30 min of +31:00 [/] — the expected state was reached at "
        "08:30 and ended at 09-16 13:32, before its start: none was in force at the start or "
        "reached in time after it"
    ) in en
    assert "预期状态于08:30达到，于9月16日 13:32结束，早于起算事件" in zh
