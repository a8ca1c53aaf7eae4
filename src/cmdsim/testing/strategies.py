"""Hypothesis strategies for valid model objects, from delays to scenarios.

Sizes are kept small so property tests stay fast.  Every reference inside a
drawn district names something that exists, so the objects construct; the
strategies are meant for round-trip, fuzz and invariant tests.  Needs
``hypothesis`` (in the ``test`` extra).

>>> from hypothesis import given, settings
>>> @settings(max_examples=5)
... @given(districts())
... def test(district):
...     assert district.commands
>>> test()
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs
from hypothesis import strategies as st

from cmdsim.model import (
    ATTRIBUTES,
    BandFactors,
    Calendar,
    CalendarPeriod,
    Channel,
    ChannelKind,
    Clock,
    Command,
    Committee,
    CommitteeKind,
    CommunityResponse,
    Condition,
    Delay,
    District,
    DutyRoom,
    Empirical,
    Escalation,
    Exponential,
    FirstAction,
    Fixed,
    Hazard,
    Incident,
    Inject,
    Level,
    LevelResponse,
    LogNormal,
    OfficerNetwork,
    Op,
    Plan,
    PlanKind,
    PlanTier,
    Post,
    QuorumTerm,
    Receiver,
    ReportDeadline,
    ReportLimit,
    ReportMedium,
    ReportOn,
    ReportStage,
    Resource,
    Role,
    Scenario,
    Signal,
    Staffing,
    Takeover,
    Task,
    Tier,
    TierSpec,
    Town,
    TownKind,
    TownPlanSet,
    Triangular,
    Trigger,
    Unit,
)
from cmdsim.model.scenario import first_general_plan
from cmdsim.testing.incidents import incidents

ids = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True)
"""Identifiers: lower-case ASCII slugs."""

names = st.text(
    st.characters(categories=["L", "N", "P", "Zs"], codec="utf-8"),
    max_size=10,
)
"""Display names: any letters, Chinese included."""

ZONES = ("inner", "outer")
"""Zones towns are drawn in (inside the inner ring road or not)."""
minutes = st.floats(0, 10_000, allow_nan=False, allow_infinity=False)
positive_minutes = st.floats(0.01, 10_000, allow_nan=False, allow_infinity=False)
probabilities = st.floats(0, 1, allow_nan=False)
factors = st.floats(0.1, 5, allow_nan=False)
heads = st.integers(0, 50)
times_of_day = st.builds(dt.time, st.integers(0, 23), st.integers(0, 59))
"""Times of day to the minute, as a file writes them (``"15:00"``)."""
GENERATED_PERIOD = CalendarPeriod(dt.date(2023, 1, 1), dt.date(2026, 12, 31))
"""The period a drawn calendar that lists dates covers."""


def _tuple(items: Iterable[Any]) -> Any:
    # Typed Any: mypy's attrs plugin cannot match a tuple to a converter=tuple field.
    return tuple(items)


def _unique_ids(n_min: int, n_max: int) -> st.SearchStrategy[list[str]]:
    return st.lists(ids, min_size=n_min, max_size=n_max, unique=True)


@st.composite
def _triangular(draw: st.DrawFn, upto: st.SearchStrategy[float] = minutes) -> Triangular:
    low, mode, high = sorted(draw(st.lists(upto, min_size=3, max_size=3)))
    return Triangular(low=low, mode=mode, high=high)


def delays(top: float = 10_000) -> st.SearchStrategy[Delay]:
    """Any delay distribution with sensible minutes: its minutes (a fixed
    time, a mean, a median, a triangle's corners, the samples) up to ``top``."""
    upto = st.floats(0, top, allow_nan=False, allow_infinity=False)
    above_zero = st.floats(min(0.01, top), top, allow_nan=False, allow_infinity=False)
    return st.one_of(
        st.builds(Fixed, upto),
        st.builds(Exponential, above_zero),
        st.builds(LogNormal, above_zero, st.floats(0, 3, allow_nan=False)),
        _triangular(upto),
        st.builds(Empirical, st.lists(upto, min_size=1, max_size=4).map(tuple)),
    )


@st.composite
def conditions(draw: st.DrawFn) -> Condition:
    """A condition on any incident attribute."""
    attribute = draw(st.sampled_from(sorted(ATTRIBUTES)))
    op = draw(st.sampled_from(list(Op)))
    value: float | Signal
    if attribute == "signal":
        value = draw(st.sampled_from(list(Signal)))
    else:
        value = draw(st.one_of(st.integers(0, 200_000).map(float), minutes))
    return Condition(attribute, op, value)


@st.composite
def triggers(draw: st.DrawFn) -> Trigger:
    """A trigger with at least one condition."""
    any_of = draw(st.lists(conditions(), max_size=2))
    all_of = draw(st.lists(conditions(), min_size=0 if any_of else 1, max_size=2))
    return Trigger(draw(st.sampled_from(list(Level))), _tuple(any_of), _tuple(all_of))


def band_factors() -> st.SearchStrategy[BandFactors]:
    return st.builds(BandFactors, factors, factors, factors)


def staffing() -> st.SearchStrategy[Staffing]:
    return st.builds(Staffing, heads, heads, heads)


def duty_rooms(ident: str | None = None) -> st.SearchStrategy[DutyRoom]:
    """A duty room; ``ident`` fixes its id."""
    return st.builds(
        DutyRoom,
        id=st.just(ident) if ident else ids,
        name=names,
        staffing=staffing(),
        triage=delays(),
        approval=delays(),
        forward=delays(),
        factors=band_factors(),
        merge_window=minutes,
    )


@st.composite
def units(draw: st.DrawFn, ident: str) -> Unit:
    resources = [
        Resource(rid, draw(names), draw(st.integers(1, 20))) for rid in draw(_unique_ids(0, 2))
    ]
    return Unit(ident, draw(names), draw(st.integers(1, 50)), _tuple(resources))


@st.composite
def commands(draw: st.DrawFn, ident: str, unit_ids: list[str], general: bool = False) -> Command:
    """A command whose lead, members and post units are among ``unit_ids``."""
    posts = []
    for pid in draw(_unique_ids(0, 3)):
        needed = draw(st.integers(1, 3))
        posts.append(
            Post(
                id=pid,
                name=draw(names),
                role=draw(st.sampled_from(list(Role))),
                unit=draw(st.none() | st.sampled_from(unit_ids)),
                people=draw(st.integers(0, 20)),
                needed=needed,
                reach=draw(probabilities),
                callout=draw(st.none() | delays()),
            )
        )
    quorum = []
    if posts:
        for _ in range(draw(st.integers(0, 2))):
            chosen = draw(st.lists(st.sampled_from([p.id for p in posts]), min_size=1, max_size=3))
            quorum.append(QuorumTerm(_tuple(chosen), draw(st.integers(1, len(chosen)))))
    return Command(
        id=ident,
        name=draw(names),
        general=general,
        lead_unit=draw(st.sampled_from(unit_ids)),
        member_units=_tuple(draw(st.lists(st.sampled_from(unit_ids), max_size=3))),
        posts=_tuple(posts),
        quorum=_tuple(quorum),
        callout=draw(delays()),
        factors=draw(band_factors()),
        source=draw(names),
    )


@st.composite
def towns(draw: st.DrawFn, ident: str, hazard_ids: list[str]) -> Town:
    """A town whose special plans name hazards among ``hazard_ids``."""
    committees = [
        Committee(
            id=cid,
            name=draw(names),
            kind=draw(st.sampled_from(list(CommitteeKind))),
            compounds=draw(heads),
            officers=draw(heads),
            compound_officers=draw(heads),
            handbook=draw(st.booleans()),
        )
        for cid in draw(_unique_ids(0, 2))
    ]
    return Town(
        id=ident,
        name=draw(names),
        kind=draw(st.sampled_from(list(TownKind))),
        duty_room=draw(st.none() | duty_rooms(f"{ident}_room")),
        plan_set=TownPlanSet(
            general=draw(st.booleans()),
            special=_tuple(draw(st.lists(st.sampled_from(hazard_ids), max_size=2))),
            other=_tuple(draw(st.lists(names, max_size=2))),
        ),
        officers=draw(heads),
        committees=_tuple(committees),
        population=draw(st.integers(0, 1_000_000)),
        zone=draw(st.none() | st.sampled_from(ZONES)),
    )


@st.composite
def community_responses(
    draw: st.DrawFn, hazard_ids: list[str], committee_ids: Iterable[str] = ()
) -> CommunityResponse:
    """Committees' first actions and the hazards their handbook covers
    (``handbook_hazards`` among ``hazard_ids``; empty: all).  An action's
    ``after`` names one listed before it; no action takes a committee's id
    (``committee_ids``), which the model refuses (they would share a stream)."""
    taken = set(committee_ids)
    actions: list[FirstAction] = []
    for aid in draw(_unique_ids(0, 2).map(lambda xs: [x for x in xs if x not in taken])):
        earlier = [a.id for a in actions]
        actions.append(
            FirstAction(
                id=aid,
                name=draw(names),
                duration=draw(delays()),
                after=draw(st.none() | st.sampled_from(earlier)) if earlier else None,
                hazards=_tuple(draw(st.lists(st.sampled_from(hazard_ids), max_size=2))),
            )
        )
    return CommunityResponse(
        actions=_tuple(actions),
        # At most all hazards but one (a single hazard's list is the same as
        # none): a list of all covers what an empty one does, and drawing it
        # would crowd out the handbooks that leave a hazard out.
        handbook_hazards=_tuple(
            draw(
                st.lists(
                    st.sampled_from(hazard_ids), max_size=max(1, len(hazard_ids) - 1), unique=True
                )
            )
        ),
        instructions=draw(delays()),
        factors=draw(band_factors()),
        source=draw(names),
    )


@st.composite
def report_duties(
    draw: st.DrawFn, ident: str, reporters: list[str], zones: Iterable[str] = ZONES
) -> ReportDeadline:
    """A reporting duty by one of ``reporters``: any stage, a follow-up with
    at least one occasion (on developments, every so many minutes, or daily
    at a time of day), limits by level or by one of ``zones``, a
    transmission time."""
    places = sorted(zones)
    stage = draw(st.sampled_from(list(ReportStage)))
    follow: dict[str, Any] = {}
    if stage is ReportStage.FOLLOW_UP:
        follow = {
            "upon": _tuple(draw(st.lists(st.sampled_from(list(ReportOn)), unique=True))),
            "every": draw(st.none() | st.floats(1.0, 600.0)),
        }
        if follow["every"] is None:
            # A duty has one clock: every so many minutes, or at a time of day.
            follow["daily_at"] = draw(st.none() | times_of_day)
        if not follow["upon"] and follow["every"] is None and follow.get("daily_at") is None:
            follow["every"] = 60.0
    limits = [
        ReportLimit(
            draw(minutes),
            min_level=draw(st.none() | st.sampled_from(list(Level))),
            zone=draw(st.none() | st.sampled_from(places)) if places else None,
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    return ReportDeadline(
        id=ident,
        name=draw(names),
        within=draw(minutes),
        clock=draw(st.sampled_from(list(Clock))),
        stage=stage,
        medium=draw(st.sampled_from(list(ReportMedium))),
        by=draw(st.sampled_from(reporters)),
        duration=draw(delays()),
        min_level=draw(st.sampled_from(list(Level))),
        to=draw(st.sampled_from(["city_duty_room", "city_hq", "general_hq"])),
        transmit=draw(st.just(Fixed(0.0)) | delays()),
        limits=_tuple(limits),
        **follow,
    )


@st.composite
def plans(
    draw: st.DrawFn,
    ident: str,
    *,
    hazard_ids: list[str],
    unit_ids: list[str],
    command_ids: list[str],
    town_ids: list[str],
    plan_ids: list[str],
    resources: list[str],
    reporters: list[str],
    zones: Iterable[str] = ZONES,
) -> Plan:
    """A plan whose every reference names one of the given ids (its report
    limits' zones among ``zones``)."""
    levels: dict[Level, LevelResponse] = {}
    for level in draw(st.lists(st.sampled_from(list(Level)), max_size=2, unique=True)):
        tasks = []
        for tid in draw(_unique_ids(0, 2)):
            held = draw(st.lists(st.sampled_from(resources), max_size=1)) if resources else []
            tasks.append(
                Task(
                    id=tid,
                    name=draw(names),
                    unit=draw(st.sampled_from(unit_ids)),
                    duration=draw(delays()),
                    deadline=draw(st.none() | minutes),
                    clock=draw(st.sampled_from(list(Clock))),
                    resources={r: draw(st.integers(0, 5)) for r in held},
                )
            )
        levels[level] = LevelResponse(
            activate=_tuple(draw(st.lists(st.sampled_from(command_ids), max_size=2))),
            notify=_tuple(draw(st.lists(st.sampled_from(unit_ids + command_ids), max_size=2))),
            tasks=_tuple(tasks),
        )
    reports = [draw(report_duties(rid, reporters, zones)) for rid in draw(_unique_ids(0, 2))]
    return Plan(
        id=ident,
        name=draw(names),
        kind=draw(st.sampled_from(list(PlanKind))),
        tier=draw(st.sampled_from(list(PlanTier))),
        town=draw(st.none() | st.sampled_from(town_ids)) if town_ids else None,
        hazards=_tuple(draw(st.lists(st.sampled_from(hazard_ids), max_size=2))),
        lead=draw(st.none() | st.sampled_from(command_ids)),
        triggers=_tuple(draw(st.lists(triggers(), max_size=2))),
        raise_flags=_tuple(draw(st.lists(st.sampled_from(["holiday", "major_event"]), max_size=1))),
        levels=levels,
        reports=_tuple(reports),
        escalation=Escalation(
            reassess=draw(delays()),
            deescalate=draw(st.booleans()),
            hold=draw(minutes),
            hand_over=_tuple(draw(st.lists(st.sampled_from(plan_ids), max_size=1))),
        ),
        takeover=draw(
            st.none() | st.builds(Takeover, st.integers(1, 5), st.sampled_from(list(Level)))
        ),
        source=draw(names),
    )


@st.composite
def _channel(
    draw: st.DrawFn, cid: str, names: st.SearchStrategy[str], hazard_ids: list[str]
) -> Channel:
    """A channel; an officers channel states no delay or miss of its own (its
    tiers' apply), as the model requires."""
    kind = draw(st.sampled_from(list(ChannelKind)))
    hazards = _tuple(draw(st.lists(st.sampled_from(hazard_ids), max_size=2)))
    if kind is ChannelKind.OFFICERS:
        to = draw(st.sampled_from(list(Receiver)))
        return Channel(id=cid, name=draw(names), kind=kind, hazards=hazards, to=to)
    return Channel(
        id=cid,
        name=draw(names),
        kind=kind,
        delay=draw(delays()),
        miss=draw(probabilities),
        hazards=hazards,
    )


@st.composite
def districts(draw: st.DrawFn, min_towns: int = 0) -> District:
    """A small district (a few hazards, units, commands, towns, plans), all
    references consistent."""
    hazard_ids = draw(_unique_ids(1, 3))
    hazards = [Hazard(h, draw(names), draw(st.booleans())) for h in hazard_ids]
    unit_ids = draw(_unique_ids(1, 3))
    unit_list = [draw(units(u)) for u in unit_ids]
    command_ids = draw(_unique_ids(1, 3))
    command_list = [
        draw(commands(c, unit_ids, general=index == 0)) for index, c in enumerate(command_ids)
    ]
    town_ids = draw(_unique_ids(min_towns, max(min_towns, 2)))
    town_list = [draw(towns(t, hazard_ids)) for t in town_ids]
    room = draw(duty_rooms("district_duty_room"))
    reporters = unit_ids + [room.id] + [t.duty_room.id for t in town_list if t.duty_room]
    plan_ids = draw(_unique_ids(0, 3))
    resources = [r.id for u in unit_list for r in u.resources]
    plan_list = [
        draw(
            plans(
                p,
                hazard_ids=hazard_ids,
                unit_ids=unit_ids,
                command_ids=command_ids,
                town_ids=town_ids,
                plan_ids=plan_ids,
                resources=resources,
                reporters=reporters,
                # A limit's zone must be a town's, or a file of it would not load.
                zones={t.zone for t in town_list if t.zone is not None},
            )
        )
        for p in plan_ids
    ]
    # The general plan is led by the general HQ (the first command), if by any.
    chosen = first_general_plan(plan_list)
    if chosen is not None and chosen.lead is not None:
        plan_list = [attrs.evolve(p, lead=command_ids[0]) if p is chosen else p for p in plan_list]
    channels = [draw(_channel(cid, names, hazard_ids)) for cid in draw(_unique_ids(0, 2))]
    tiers = {
        tier: TierSpec(draw(delays()), draw(probabilities), draw(band_factors()))
        for tier in Tier  # every tier: counted officers need theirs (io/checks.py)
    }
    holidays = draw(st.lists(st.dates(dt.date(2024, 1, 1), dt.date(2025, 12, 31)), max_size=2))
    workdays = draw(
        st.lists(st.dates(dt.date(2024, 1, 1), dt.date(2025, 12, 31)), max_size=2).map(
            lambda days: [d for d in days if d not in holidays]
        )
    )
    day_start = dt.time(draw(st.integers(5, 9)), draw(st.sampled_from([0, 30])))
    night_start = dt.time(draw(st.integers(16, 20)), draw(st.sampled_from([0, 15])))
    return District(
        id=draw(ids),
        name=draw(names),
        hazards=_tuple(hazards),
        units=_tuple(unit_list),
        commands=_tuple(command_list),
        duty_room=room,
        towns=_tuple(town_list),
        officers=OfficerNetwork(district=draw(heads), tiers=tiers),
        channels=_tuple(channels),
        plans=_tuple(plan_list),
        calendar=Calendar(
            day_start,
            night_start,
            draw(st.booleans()),
            _tuple(holidays),
            _tuple(workdays),
            # A calendar listing dates claims only a period; it is stated wide
            # enough for any run :func:`scenarios` draws (starts in 2024, runs
            # of days), or such a scenario would be refused.
            GENERATED_PERIOD if holidays or workdays else None,
        ),
        town_required=_tuple(draw(st.lists(st.sampled_from(hazard_ids), max_size=2))),
        source=draw(names),
        # Drawn last: the draws before it are those the strategy made before it.
        community=draw(
            community_responses(hazard_ids, [c.id for t in town_list for c in t.committees])
        ),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A scenario over a drawn district with up to two incidents and a few injects."""
    district = draw(districts(min_towns=1))
    start = draw(starts)
    found: list[Any] = []
    for index in range(draw(st.integers(0, 2))):
        incident = draw(incidents(district, start=start, days=2))
        found.append(attrs.evolve(incident, id=f"incident_{index}", name=draw(names)))
    return draw(scenario_around(district, start, found))


starts = st.integers(0, 366 * 24 * 60).map(
    lambda m: dt.datetime(2024, 1, 1) + dt.timedelta(minutes=m)
)
"""When a drawn scenario's incidents may begin: any minute of 2024."""


@st.composite
def scenario_around(
    draw: st.DrawFn,
    district: District,
    start: dt.datetime,
    found: Iterable[Incident],
    after: st.SearchStrategy[float] | None = None,
) -> Scenario:
    """A scenario of ``district`` with the incidents ``found`` (their onsets
    from ``start``) and a few drawn injects, its run fitted around them:
    from the first warning to past the last point and inject.  ``after``:
    minutes the run goes on past that at the least (none: the horizon is
    drawn, and may leave nothing after the last point)."""
    found = list(found)
    hazard_ids = [h.id for h in district.hazards]
    town_ids = [t.id for t in district.towns]
    channel_ids = [c.id for c in district.channels]
    injects = [
        Inject(
            id=iid,
            at=draw(minutes),
            message=draw(names),
            hazard=draw(st.none() | st.sampled_from(hazard_ids)),
            town=draw(st.none() | st.sampled_from(town_ids)),
            channel=draw(st.none() | st.sampled_from(channel_ids)) if channel_ids else None,
            level=draw(st.none() | st.sampled_from(list(Level))),
        )
        for iid in draw(_unique_ids(0, 2))
    ]
    # A file whose times fall outside its run is refused by the loader, so the
    # run is fitted around what was drawn: from the first warning to past the
    # last point and inject.
    offsets = [
        (i.onset - start).total_seconds() / 60 + at
        for i in found
        for at in (0.0, *(p.at for p in i.timeline))
    ]
    lead = -min(0, *[int(o // 1) for o in offsets]) if offsets else 0
    start -= dt.timedelta(minutes=lead)
    latest = max([0.0, *(o + lead for o in offsets), *(i.at for i in injects)])
    least = latest + (1.0 if after is None else draw(after))
    return Scenario(
        id=draw(ids),
        district=district,
        start=start,
        name=draw(names),
        description=draw(names),
        # The run stops at its horizon before anything timed at that minute.
        horizon=max(draw(positive_minutes), least),
        incidents=_tuple(found),
        injects=_tuple(injects),
        sources=_tuple(draw(st.lists(names, max_size=2))),
    )


__all__ = [
    "commands",
    "community_responses",
    "conditions",
    "delays",
    "districts",
    "duty_rooms",
    "ids",
    "names",
    "plans",
    "report_duties",
    "scenario_around",
    "scenarios",
    "starts",
    "times_of_day",
    "towns",
    "triggers",
    "units",
]
