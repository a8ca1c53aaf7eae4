"""The daily report at its hour (每日X时报送) on the scenarios the project's
strategies draw (:func:`cmdsim.testing.strategies.scenarios`, with a trigger
any report sets off added to every plan, and
:func:`cmdsim.testing.reachable.reachable_scenarios` as drawn, whose own
triggers decide, raise and lower the levels): every report
a ``daily_at`` duty calls for falls at its time of day, once on each day the
plan's level is then at the duty's ``min_level`` or above (counted from the
first such level of the open response), and on no other.

The rule is read back from the run's own log: each change of a plan's level
for an incident (decided, raised, lowered, closed, taken back from a town,
and the general plan's level under a takeover) names the plan.  A report
goes by the name the engine gives it: its duty's id, or ``<plan>:<id>`` for
a plan that learned of the incident at a takeover, before it governed it
(the general plan's reports beside the special plan's of the same id); a
plan that governs the incident itself keeps the plain id.

``tests/sim/test_daily_at.py`` holds the same rule on the tiny hand-checked
scenario; this holds it where towns, hand-overs, merged
sites, warnings, injects and several plans per incident are drawn too.
"""

from __future__ import annotations

import collections
import datetime as dt

import attrs
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from cmdsim.model import Condition, Level, Op, Scenario, Trigger
from cmdsim.model.plans import DAY, ReportDeadline, ReportStage
from cmdsim.model.timing import Fixed
from cmdsim.sim import simulate
from cmdsim.sim.events import EventKind
from cmdsim.sim.metric_names import plan_duty
from cmdsim.sim.results import RunResult
from cmdsim.testing.incidents import RANGES
from cmdsim.testing.reachable import reachable_scenarios
from cmdsim.testing.strategies import scenarios, times_of_day
from tests.builders import level_changes

ADDED = "daily_each_day"
"""The duty added to every plan: longer than any drawn id (8 characters)."""
ALWAYS = tuple(Condition(attribute, Op.GE, 0.0) for attribute in sorted(RANGES))
"""A trigger condition any reported figure meets: the drawn triggers seldom
fire on the drawn incidents (4 of 150 drawn scenarios decide a level)."""
LONGER = 60_000.0
"""Minutes added to the drawn horizon: the drawn delays run to 10,000
minutes, so most responses open days after the onset."""


def _minute_of_day(clock: dt.time) -> float:
    return clock.hour * 60 + clock.minute + clock.second / 60


def _name(result: RunResult, plan: str, incident: str, ident: str) -> str:
    """The name ``plan``'s duty ``ident`` goes by in the incident's records:
    ``<plan>:<id>`` when the plan came in force for it at a takeover
    (``general_plan``) before it governed it (its town plan from the first
    report, the district's from the first report or the hand-over), else the
    id."""
    first = next(
        (
            e.time
            for e in result.of_kind(EventKind.GENERAL_PLAN)
            if e.incident == incident and e.detail("plan") == plan
        ),
        None,
    )
    if first is None:
        return ident
    record = result.record.incidents[incident]
    governs = float("inf")
    if plan == record.town_plan:
        governs = -float("inf")
    elif plan == record.plan:
        handed = record.handed_over
        governs = -float("inf") if handed is None else record.onset + handed
    return plan_duty(plan, ident) if first < governs else ident


def _expected(
    sc: Scenario, result: RunResult, plan: str, duty: ReportDeadline
) -> list[tuple[str, float]]:
    """(incident, run minute) of each report the rule asks ``plan``'s ``duty`` for."""
    assert duty.daily_at is not None
    changes = level_changes(result, plan, general=True)
    first = (_minute_of_day(duty.daily_at) - _minute_of_day(sc.start.time())) % DAY
    hours = [first + DAY * k for k in range(int(sc.horizon // DAY) + 2)]
    hours = [hour for hour in hours if hour < sc.horizon]
    out = []
    for incident, timeline in changes.items():
        for hour in hours:
            # A change at the very minute of the hour is ordered by the event
            # queue, not by the rule.
            assume(all(abs(t - hour) > 1e-6 for t, _ in timeline))
            before = [level for t, level in timeline if t < hour]
            if not before or before[-1] is None:
                continue
            spell = []
            for level in reversed(before):
                if level is None:
                    break
                spell.append(level)
            if before[-1] >= duty.min_level and any(lv >= duty.min_level for lv in spell):
                out.append((incident, hour))
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(scenarios(), times_of_day, st.sampled_from(list(Level)), st.sampled_from(list(Level)))
def test_each_daily_report_at_its_hour_on_each_day_the_level_holds(
    drawn: Scenario, at: dt.time, min_level: Level, level: Level
) -> None:
    _holds(drawn, at, min_level, Trigger(level, ALWAYS), LONGER)


REACHED = 3 * DAY
"""Minutes added to a reachable scenario's horizon: its path runs in an
hour, its levels change within days; three more days of hours to report at."""


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(reachable_scenarios(), times_of_day, st.sampled_from(list(Level)))
def test_each_daily_report_at_its_hour_on_reachable_scenarios(
    drawn: Scenario, at: dt.time, min_level: Level
) -> None:
    # The plans' own triggers decide: levels decided, raised, lowered and
    # closed as the drawn timelines go, not one level set off by any report.
    _holds(drawn, at, min_level, None, REACHED)


def _holds(
    drawn: Scenario, at: dt.time, min_level: Level, always: Trigger | None, longer: float
) -> None:
    """The rule, on ``drawn`` with a daily duty at ``at`` from ``min_level``
    added to every plan (and ``always``, a trigger, when given), its run
    ``longer`` minutes longer."""
    district = drawn.district
    assume(district.plans)
    added = ReportDeadline(
        id=ADDED,
        stage=ReportStage.FOLLOW_UP,
        daily_at=at,
        min_level=min_level,
        by=district.units[0].id,
        duration=Fixed(5.0),
    )
    extra = () if always is None else (always,)
    plans = tuple(
        attrs.evolve(p, reports=(*p.reports, added), triggers=(*p.triggers, *extra))
        for p in district.plans
    )
    sc = attrs.evolve(
        drawn, horizon=drawn.horizon + longer, district=attrs.evolve(district, plans=plans)
    )
    result = simulate(sc, 0)
    # The duties read back: every id held by daily_at duties only, called for
    # nothing else (no `upon`, no `injects`): the added one, and those the
    # strategy draws so, so a record names no other occasion.
    held: dict[str, list[tuple[str, ReportDeadline]]] = collections.defaultdict(list)
    for plan in plans:
        for duty in plan.reports:
            held[duty.id].append((plan.id, duty))
    daily = {
        ident: pairs
        for ident, pairs in held.items()
        if all(
            duty.daily_at is not None and not duty.upon and not duty.injects for _, duty in pairs
        )
    }
    assert ADDED in daily
    for ident, pairs in daily.items():
        want = collections.Counter(
            (_name(result, plan, incident, ident), incident, round(hour, 6))
            for plan, duty in pairs
            for incident, hour in _expected(sc, result, plan, duty)
            if incident in result.record.incidents
        )
        names = {ident, *(plan_duty(plan, ident) for plan, _ in pairs)}
        got = collections.Counter(
            (name, incident, round(item.occasion + record.onset, 6))
            for incident, record in result.record.incidents.items()
            for name in sorted(names & set(record.reporting))
            for item in record.reporting[name].items
        )
        assert got == want, ident
        if got:
            kind = "added" if ident == ADDED else "drawn"
            event(f"daily reports called ({kind} duty, {'any report' if always else 'reachable'})")
        # Each at the hour of one of the duties holding the id.
        start = _minute_of_day(sc.start.time())
        hours = {_minute_of_day(duty.daily_at) for _, duty in pairs if duty.daily_at is not None}
        for _, _, minute in got:
            assert any(abs((start + minute - h + DAY / 2) % DAY - DAY / 2) < 1e-6 for h in hours)
