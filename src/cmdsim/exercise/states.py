"""Which event kinds put a state in force, which record an action, and what
ends each state: the tables the exercise criteria read.

A criterion's expected event *before* its start counts only if it records a
state still in force at the start (:func:`earlier_event_counts`,
:func:`held_states`): "flood HQ at level III within 30 minutes of x1" is met
at once when the HQ was at level III when x1 came, not when it was at level
III at minute 10 and released at minute 20.  An action (a decision, a report
sent, a call-out) before the start answered something else and never counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs

from cmdsim.sim.events import EventKind

EventDict = Mapping[str, Any]
"""An event as plain data: ``time``, ``actor``, ``kind``, ``incident``, ``details``."""


@attrs.frozen
class Lasts:
    """How long the state an event kind puts in force lasts.

    A later event *in its scope* (the same value for each key of ``scope``,
    or none: an HQ's ``hq_deactivated`` names no incident and ends its state
    for every one) of a kind in ``ended_by`` ends it.  One of the state's own
    kind or of a kind in ``changed_by`` changes it: its details replace the
    state's (a signal lowered, a level escalated, a figure that moved), and
    the state stays in force while the criterion's pattern still matches it
    so changed.  With ``closed_by_none``, a change naming that detail as none
    ends it.  A state with neither lasts to the end of the run."""

    scope: tuple[str, ...]
    """``actor``, ``incident`` or the name of a detail (``issuer``, ``post``)."""
    ended_by: frozenset[EventKind] = frozenset()
    changed_by: frozenset[EventKind] = frozenset()
    closed_by_none: str | None = None


_K = EventKind
_LEVEL_SET = frozenset({_K.LEVEL_DECIDED, _K.LEVEL_ESCALATED, _K.LEVEL_DEESCALATED})
_LEVEL = Lasts(
    ("actor", "incident"),
    ended_by=frozenset({_K.RESPONSE_CLOSED}),
    # the town room's level when it has a case back is a level change too
    changed_by=_LEVEL_SET | {_K.PLAN_TAKEN_BACK},
)
_HQ_AT_WORK = frozenset({_K.HQ_JOINED, _K.HQ_ACTIVE_FOR, _K.HQ_LEVEL_CHANGED})
_HQ_FOR = Lasts(
    ("actor", "incident"),
    ended_by=frozenset({_K.HQ_RELEASED, _K.HQ_DEACTIVATED}),
    changed_by=_HQ_AT_WORK,
)

STATE_ENDS: Mapping[EventKind, Lasts] = {
    # the incident under way: nothing ends it
    _K.ONSET: Lasts(("incident",)),
    # each issuer's warning: its next signal lowers, raises or lifts it
    _K.SIGNAL: Lasts(("incident", "issuer")),
    # the figures: a later point changes those it names
    _K.SEVERITY: Lasts(("incident",)),
    # a room knows of the incident: it is not forgotten
    _K.AWARE: Lasts(("actor", "incident")),
    # who holds a case: the district plan (handed over) or the town plan
    _K.PLAN_HANDED_OVER: Lasts(
        ("incident",), ended_by=frozenset({_K.PLAN_HANDED_BACK, _K.PLAN_TAKEN_BACK})
    ),
    _K.PLAN_HANDED_BACK: Lasts(("incident",), ended_by=frozenset({_K.PLAN_HANDED_OVER})),
    _K.PLAN_TAKEN_BACK: Lasts(("incident",), ended_by=frozenset({_K.PLAN_HANDED_OVER})),
    # a room's called-in officers: the next count replaces it
    _K.OFFICERS_ON_DUTY: Lasts(("actor",)),
    # a room's level for an incident: changed by the next level, ended by the close
    _K.LEVEL_DECIDED: _LEVEL,
    _K.LEVEL_ESCALATED: _LEVEL,
    _K.LEVEL_DEESCALATED: _LEVEL,
    _K.RESPONSE_CLOSED: Lasts(("actor", "incident"), ended_by=_LEVEL_SET | {_K.PLAN_TAKEN_BACK}),
    # an HQ at work for an incident, at a level: until released or stood down
    _K.HQ_JOINED: _HQ_FOR,
    _K.HQ_ACTIVE_FOR: _HQ_FOR,
    _K.HQ_LEVEL_CHANGED: _HQ_FOR,
    _K.HQ_RELEASED: Lasts(
        ("actor", "incident"), ended_by=frozenset({_K.HQ_NOTIFIED}) | _HQ_AT_WORK
    ),
    # an HQ at work at all: until it stands down, and back
    _K.HQ_ACTIVATED: Lasts(("actor",), ended_by=frozenset({_K.HQ_DEACTIVATED})),
    _K.HQ_DEACTIVATED: Lasts(("actor",), ended_by=frozenset({_K.HQ_ACTIVATED})),
    # a post of an HQ's call-out
    _K.POST_FILLED: Lasts(
        ("actor", "post"), ended_by=frozenset({_K.POST_UNFILLED, _K.HQ_DEACTIVATED})
    ),
    _K.POST_UNFILLED: Lasts(("actor", "post"), ended_by=frozenset({_K.POST_FILLED})),
    # the general HQ in charge: until the takeover ends, or it stands down
    _K.TAKEOVER: Lasts(("actor",), ended_by=frozenset({_K.TAKEOVER_ENDED, _K.HQ_DEACTIVATED})),
    # the general plan's level for an incident: a level none closes it
    _K.GENERAL_PLAN: Lasts(("actor", "incident", "plan"), closed_by_none="level"),
    # a committee sitting: until it adjourns
    _K.COMMITTEE_CONVENED: Lasts(("actor",), ended_by=frozenset({_K.COMMITTEE_ADJOURNED})),
    # a community committee waiting for instructions, then acting
    _K.COMMUNITY_WAITING: Lasts(("actor", "incident"), ended_by=frozenset({_K.COMMUNITY_ACTING})),
    _K.COMMUNITY_ACTING: Lasts(("actor", "incident")),
}
"""Every state kind and what ends its state (:class:`Lasts`): the one table
:data:`STATE_KINDS` and :func:`held_states` read."""

STATE_KINDS: frozenset[EventKind] = frozenset(STATE_ENDS)
"""Events that put in force something that lasts: an incident under way, a
signal, its figures, a room's knowledge, who holds a case, a level, an HQ
at work or at a level, a member present, a post filled, the general HQ in
charge, a committee sitting, a community committee waiting or acting.  One
before a criterion's start meets it if its state is still in force at the
start (:data:`STATE_ENDS` says what ends each)."""

ACTION_KINDS: frozenset[EventKind] = frozenset(
    {
        EventKind.REPORT_RECEIVED,
        EventKind.REPORT_MERGED,
        EventKind.REPORT_UPDATE,
        EventKind.REPORT_FORWARDED,
        EventKind.NO_PLAN,
        EventKind.NO_LEAD,
        EventKind.HAND_OVER_REQUESTED,
        EventKind.OFFICERS_CALLED,
        EventKind.WARNING_CONFIRMED,
        EventKind.FALSE_ALARM_SENT,
        EventKind.DUPLICATE_SENT,
        EventKind.FALSE_ALARM_DISCARDED,
        EventKind.DUPLICATE_DISCARDED,
        EventKind.INCIDENT_MERGED,
        EventKind.TWO_LEADS,
        EventKind.LEVEL_HELD,
        EventKind.ESCALATION_REQUESTED,
        EventKind.UNIT_NOTIFIED,
        EventKind.OVER_RESPONSE,
        EventKind.HQ_NOTIFIED,
        EventKind.TAKEOVER_TRIGGERED,
        EventKind.TAKEOVER_DECLINED,
        EventKind.TAKEOVER_ENDED,
        EventKind.TASK_ASSIGNED,
        EventKind.TASK_STARTED,
        EventKind.TASK_DONE,
        EventKind.REPORT_SENT,
        EventKind.REPORT_ARRIVED,
        EventKind.COMMITTEE_NOTIFIED,
        EventKind.COMMITTEE_ADJOURNED,
        EventKind.COMMUNITY_REPORTED,
        EventKind.COMMUNITY_ACTION_DONE,
        EventKind.INJECT,
        EventKind.DECISION,
    }
)
"""Events that record something done at a moment, in answer to what came
before it: a decision, a report sent, received or passed on, a
notification, a call-out, a task done, an inject delivered.  One before a
criterion's start answered something else: it does not meet the criterion."""


def earlier_event_counts(kind: str | None) -> bool:
    """Whether an expected event of ``kind`` that comes before a criterion's
    start can meet it: ``True`` for a state (:data:`STATE_KINDS`), if it is
    still in force at the start (:func:`held_states`); ``False`` for an
    action (:data:`ACTION_KINDS`), which must come at or after the start.  A
    pattern without a kind (``kind`` ``None``) matches actions too, so it is
    read as an action; so is a kind no event has."""
    return kind is not None and kind.strip().lower() in STATE_KINDS


@attrs.frozen
class Held:
    """A state an expected event put in force, and the event that ended it."""

    since: EventDict
    ended: EventDict | None = None
    """``None`` while it is in force."""


def held_states(
    events: Iterable[EventDict], kind: str, matches: Callable[[EventDict], bool]
) -> list[Held]:
    """Each state of ``kind`` that an event ``matches`` put in force, in
    order, with what ended it by the last of ``events`` (in time order).

    A matching event in the scope of a state still in force carries it on
    rather than starting another; a change the pattern no longer matches
    (a level lowered below the one asked for, a signal lifted) ends it.
    """
    state = EventKind(kind.strip().lower())
    lasts = STATE_ENDS[state]
    changes = lasts.changed_by | {state}
    open_: list[tuple[EventDict, dict[str, Any]]] = []
    held: list[Held] = []
    for event in events:
        happened = str(event.get("kind"))
        still: list[tuple[EventDict, dict[str, Any]]] = []
        for since, details in open_:
            if not _in_scope(since, event, lasts.scope):
                still.append((since, details))
                continue
            if happened in lasts.ended_by:
                held.append(Held(since, event))
                continue
            if happened in changes:
                details = {**details, **_details(event)}
                if _closes(lasts, details) or not matches({**since, "details": details}):
                    held.append(Held(since, event))
                    continue
            still.append((since, details))
        open_ = still
        if (
            matches(event)
            and not _closes(lasts, _details(event))
            and not any(_in_scope(s, event, lasts.scope) for s, _ in open_)
        ):
            open_.append((event, dict(_details(event))))
    held += [Held(since) for since, _ in open_]
    return sorted(held, key=lambda h: float(h.since.get("time", 0.0)))


def _closes(lasts: Lasts, details: Mapping[str, Any]) -> bool:
    """Whether details of the state's kind close it (the general plan's
    level none): such an event puts nothing in force."""
    key = lasts.closed_by_none
    return key is not None and key in details and details[key] is None


def _details(event: EventDict) -> Mapping[str, Any]:
    details = event.get("details")
    return details if isinstance(details, Mapping) else {}


def _scope_value(event: EventDict, key: str) -> Any:
    if key in ("actor", "incident"):
        return event.get(key)
    return _details(event).get(key)


def _in_scope(since: EventDict, event: EventDict, scope: tuple[str, ...]) -> bool:
    """Whether ``event`` is about the state ``since`` put in force: the same
    value for each scope key, or none named (an HQ standing down ends its
    state for every incident)."""
    for key in scope:
        value = _scope_value(event, key)
        if value is not None and value != _scope_value(since, key):
            return False
    return True
