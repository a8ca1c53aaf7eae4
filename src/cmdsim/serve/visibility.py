"""What each participant of a served exercise may see: who hears of which
event, how an event reads, and the names the files give to ids.

A player sees only what their role would know: never an incident's truth
(onset, severity), never the designers' answer key (an inject's expected
action and objective), never another role's decision before it is made.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from cmdsim.exercise.policy import DUTY_ROOM, GENERAL_HQ, LEAD_HQ
from cmdsim.sim.events import EventKind

FACILITATOR = "facilitator"

ROLE_NAMES = {
    DUTY_ROOM: "District duty room",
    GENERAL_HQ: "General HQ",
    LEAD_HQ: "Lead HQ",
}
"""How a role is addressed (an inject the facilitator sends to it has this ``to``)."""

HIDDEN_KINDS = frozenset({EventKind.ONSET, EventKind.SEVERITY})
"""The ground truth: no role sees an incident start or grow, only what is reported."""

_DUTY_ROOM_SEES = frozenset(
    {
        EventKind.AWARE,
        EventKind.REPORT_RECEIVED,
        EventKind.REPORT_MERGED,
        EventKind.REPORT_UPDATE,
        EventKind.REPORT_SENT,
        EventKind.REPORT_FORWARDED,
        EventKind.LEVEL_DECIDED,
        EventKind.LEVEL_ESCALATED,
        EventKind.LEVEL_DEESCALATED,
        EventKind.RESPONSE_CLOSED,
        EventKind.ESCALATION_REQUESTED,
        EventKind.HAND_OVER_REQUESTED,
        EventKind.PLAN_HANDED_OVER,
        EventKind.PLAN_HANDED_BACK,
        EventKind.PLAN_TAKEN_BACK,
        EventKind.HQ_NOTIFIED,
        EventKind.HQ_ACTIVATED,
        EventKind.HQ_DEACTIVATED,
        EventKind.TAKEOVER,
        EventKind.TAKEOVER_ENDED,
        EventKind.GENERAL_PLAN,
        EventKind.TAKEOVER_TRIGGERED,
        EventKind.TAKEOVER_DECLINED,
        EventKind.NO_PLAN,
        EventKind.NO_LEAD,
        EventKind.INCIDENT_MERGED,
        EventKind.TWO_LEADS,
        # Its own weeding of public reports; a report's being false or a
        # repeat (``*_sent``) is the truth, known only once triaged.
        EventKind.FALSE_ALARM_DISCARDED,
        EventKind.DUPLICATE_DISCARDED,
    }
)
_OWN_WORK = frozenset(
    {
        EventKind.AWARE,
        EventKind.REPORT_RECEIVED,
        EventKind.REPORT_MERGED,
        EventKind.REPORT_UPDATE,
        EventKind.INCIDENT_MERGED,
        EventKind.FALSE_ALARM_DISCARDED,
        EventKind.DUPLICATE_DISCARDED,
    }
)
"""What the duty room sees only when it is the one doing it (an HQ's own
awareness of a warning is not the duty room's)."""
_HQ_SEES = frozenset(
    {
        EventKind.LEVEL_DECIDED,
        EventKind.LEVEL_ESCALATED,
        EventKind.LEVEL_DEESCALATED,
        EventKind.RESPONSE_CLOSED,
        EventKind.ESCALATION_REQUESTED,
        EventKind.LEVEL_HELD,
        EventKind.HQ_NOTIFIED,
        EventKind.HQ_JOINED,
        EventKind.HQ_ACTIVATED,
        EventKind.HQ_LEVEL_CHANGED,
        EventKind.HQ_DEACTIVATED,
        EventKind.TAKEOVER,
        EventKind.TAKEOVER_ENDED,
        EventKind.GENERAL_PLAN,
        EventKind.TAKEOVER_TRIGGERED,
        EventKind.TAKEOVER_DECLINED,
        EventKind.TASK_ASSIGNED,
        EventKind.TASK_STARTED,
        EventKind.TASK_DONE,
        EventKind.UNIT_NOTIFIED,
        EventKind.TWO_LEADS,
        EventKind.COMMITTEE_NOTIFIED,
        EventKind.COMMITTEE_CONVENED,
        EventKind.COMMITTEE_ADJOURNED,
    }
)


def inject_role(to: str) -> str:
    """The played role an inject's free-text recipient means: the general HQ,
    another HQ (the lead HQ), else the duty room (the default recipient)."""
    text = to.lower()
    if "general" in text or "总指挥" in text:
        return GENERAL_HQ
    if "duty" in text or "值班" in text:
        return DUTY_ROOM
    if "hq" in text or "指挥部" in text or "headquarters" in text:
        return LEAD_HQ
    return DUTY_ROOM


def visible(event: Mapping[str, Any], role: str, duty_room: str | None) -> bool:
    """Whether a player of ``role`` knows of ``event`` once it happened.

    Everyone hears warning signals.  The duty room sees its own work, the
    town rooms' forwarded reports and what the HQs report back; the HQs see
    the levels, the HQs and the units' tasks; an inject goes to the role it
    is addressed to.  Nobody sees an incident's onset or severity (the
    truth the reports approximate), and the evaluation stays the
    facilitator's.
    """
    kind = str(event.get("kind"))
    if kind in HIDDEN_KINDS:
        return False
    if kind == EventKind.SIGNAL:
        return True
    details = event.get("details") or {}
    if kind == EventKind.INJECT:
        return inject_role(str(details.get("to") or "")) == role
    if kind == EventKind.DECISION:
        return _decision_role(event, duty_room) == role
    if role == DUTY_ROOM:
        if kind in _OWN_WORK:
            return event.get("actor") == duty_room
        return kind in _DUTY_ROOM_SEES
    if role == GENERAL_HQ:
        return kind in _HQ_SEES or kind.startswith("takeover")
    return kind in _HQ_SEES


def _decision_role(event: Mapping[str, Any], duty_room: str | None) -> str:
    details = event.get("details") or {}
    role = details.get("role")
    if role:
        return str(role)
    return DUTY_ROOM if event.get("actor") in (duty_room, DUTY_ROOM) else str(event.get("actor"))


def event_text(event: Mapping[str, Any], facilitator: bool) -> str:
    """One line for an event; a player never sees an inject's expected action
    or objective (the designers' answer key)."""
    details = dict(event.get("details") or {})
    if event.get("kind") == EventKind.INJECT:
        text = str(details.get("text") or "")
        if facilitator and details.get("expect"):
            text += f"  [expected: {details['expect']}]"
        return text
    if details.get("text"):
        return str(details["text"])
    shown = {k: v for k, v in sorted(details.items()) if v not in (None, "", [], {})}
    shown.pop("known", None)
    return ", ".join(f"{k}={short(v)}" for k, v in shown.items())


def short(value: Any) -> str:
    """A detail's value, short: lists joined, floats without trailing zeros."""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def names_of(scenario: Any) -> dict[str, str]:
    """The names the files give to ids (HQs, units, rooms, towns, hazards,
    channels, plans, incidents), so pages show 区防汛防台指挥部, not an id."""
    found: dict[str, str] = {}

    def add(item: Any) -> None:
        ident, name = getattr(item, "id", None), getattr(item, "name", "")
        if isinstance(ident, str) and isinstance(name, str) and name:
            found.setdefault(ident, name)

    district = scenario.district
    for field in attrs.fields(type(district)):
        value = getattr(district, field.name)
        for item in value if isinstance(value, tuple) else (value,):
            add(item)
            add(getattr(item, "duty_room", None))
    for incident in scenario.incidents:
        add(incident)
    return found
