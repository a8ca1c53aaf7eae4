"""The report's category of each event kind, and what an event record says.

The event log is read as plain records with ``time``, ``actor``, ``kind``,
``incident`` and ``details``; each kind falls in one of the report's
categories (:data:`KINDS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cmdsim.model import Level
from cmdsim.sim.events import EventKind

Event = Mapping[str, Any]


KINDS: Mapping[str, str] = {
    EventKind.ONSET: "onset",
    EventKind.SIGNAL: "signal",
    EventKind.AWARE: "aware",
    EventKind.LEVEL_DECIDED: "level",
    EventKind.LEVEL_ESCALATED: "level",
    EventKind.LEVEL_DEESCALATED: "level",
    EventKind.RESPONSE_CLOSED: "level",
    EventKind.HQ_NOTIFIED: "notify",
    EventKind.HQ_ACTIVATED: "activated",
    EventKind.HQ_DEACTIVATED: "deactivated",
    EventKind.TAKEOVER: "takeover",
    EventKind.TAKEOVER_DECLINED: "takeover",
    EventKind.TAKEOVER_ENDED: "takeover",
    EventKind.PLAN_HANDED_OVER: "handover",
    EventKind.PLAN_HANDED_BACK: "handover",
    EventKind.TASK_DONE: "deadline",
    EventKind.REPORT_SENT: "deadline",
    EventKind.INJECT: "inject",
    EventKind.DECISION: "decision",
}
"""The report's category of each event kind the engine and the drill driver
write.  The rest (``hq_level_changed``, ``unit_notified``, ``post_filled``,
reports received and merged, …) is ``other``: shown in critical paths, never
as a bar.  ``tests/report`` checks that every kind the engine emits is listed
here or meant to be ``other``."""


OTHER_KINDS = frozenset(
    {
        EventKind.SEVERITY,
        EventKind.REPORT_RECEIVED,
        EventKind.REPORT_MERGED,
        EventKind.REPORT_UPDATE,
        EventKind.REPORT_FORWARDED,
        EventKind.FALSE_ALARM_SENT,
        EventKind.DUPLICATE_SENT,
        EventKind.FALSE_ALARM_DISCARDED,
        EventKind.DUPLICATE_DISCARDED,
        EventKind.UNIT_NOTIFIED,
        EventKind.HQ_LEVEL_CHANGED,
        EventKind.HQ_ACTIVE_FOR,
        EventKind.HQ_JOINED,
        EventKind.HQ_RELEASED,
        EventKind.POST_FILLED,
        EventKind.POST_UNFILLED,
        EventKind.TASK_ASSIGNED,
        EventKind.TASK_STARTED,
        EventKind.TAKEOVER_TRIGGERED,
        EventKind.GENERAL_PLAN,
        EventKind.HAND_OVER_REQUESTED,
        EventKind.PLAN_TAKEN_BACK,
        EventKind.ESCALATION_REQUESTED,
        EventKind.LEVEL_HELD,
        EventKind.NO_PLAN,
        EventKind.NO_LEAD,
        EventKind.REPORT_ARRIVED,
        EventKind.WARNING_CONFIRMED,
        EventKind.OFFICERS_CALLED,
        EventKind.OFFICERS_ON_DUTY,
        EventKind.INCIDENT_MERGED,
        EventKind.TWO_LEADS,
        EventKind.OVER_RESPONSE,
        EventKind.COMMITTEE_NOTIFIED,
        EventKind.COMMITTEE_CONVENED,
        EventKind.COMMITTEE_ADJOURNED,
        EventKind.COMMUNITY_WAITING,
        EventKind.COMMUNITY_ACTING,
        EventKind.COMMUNITY_REPORTED,
        EventKind.COMMUNITY_ACTION_DONE,
    }
)
"""Engine kinds the report shows only as steps of a critical path."""


def classify(kind: str) -> str:
    """The report's category of an event kind (see :data:`KINDS`).

    One of ``onset``, ``signal``, ``aware``, ``level``, ``handover``,
    ``notify``, ``activated``, ``deactivated``, ``takeover``, ``deadline``,
    ``inject``, ``decision`` or ``other``.

    >>> classify("level_escalated"), classify("hq_level_changed")
    ('level', 'other')
    """
    return KINDS.get(kind, "other")


def details_of(event: Event) -> Mapping[str, Any]:
    details = event.get("details")
    return details if isinstance(details, Mapping) else {}


def command_of(event: Event, commands: set[str]) -> str | None:
    details = details_of(event)
    for key in ("command", "hq"):
        if isinstance(details.get(key), str):
            return str(details[key])
    actor = event.get("actor")
    if isinstance(actor, str) and (not commands or actor in commands):
        return actor
    return None


def level_of(event: Event) -> str | None:
    details = details_of(event)
    for key in ("level", "to", "new_level"):
        value: Any = details.get(key)
        if isinstance(value, str):
            try:
                return Level.parse(value).value
            except ValueError:
                continue
    return None


RESPONSE_KINDS = (
    EventKind.DECISION,
    EventKind.LEVEL_DECIDED,
    EventKind.LEVEL_ESCALATED,
    EventKind.LEVEL_DEESCALATED,
    EventKind.HQ_NOTIFIED,
    EventKind.HQ_ACTIVATED,
    EventKind.REPORT_SENT,
    EventKind.TASK_DONE,
    EventKind.TAKEOVER,
    EventKind.TAKEOVER_DECLINED,
    EventKind.PLAN_HANDED_OVER,
    EventKind.PLAN_HANDED_BACK,
)
"""What counts as a response to an inject in its evidence."""
