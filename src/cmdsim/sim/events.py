"""The kinds of event a run logs, as one enum.

:class:`EventKind` is a :class:`enum.StrEnum`: a member *is* its value as a
string, so it compares, hashes, formats and encodes to JSON exactly as the
bare strings the log used before, and a log read back from JSON (plain
strings) matches members.  A new kind of event is a new member here, never
a bare string at the ``emit`` call.
"""

from __future__ import annotations

import enum


class EventKind(enum.StrEnum):
    """What an event in the log records (``Event.kind``)."""

    # The incident itself (actor: the incident).
    ONSET = "onset"
    SIGNAL = "signal"
    """A meteorological warning colour issued."""
    SEVERITY = "severity"
    """The incident's figures changed (deaths, households …)."""

    # Reports reaching and moving between duty rooms.
    AWARE = "aware"
    """The deciding room first knows of the incident."""
    REPORT_RECEIVED = "report_received"
    REPORT_MERGED = "report_merged"
    REPORT_UPDATE = "report_update"
    REPORT_FORWARDED = "report_forwarded"
    NO_PLAN = "no_plan"
    NO_LEAD = "no_lead"
    HAND_OVER_REQUESTED = "hand_over_requested"
    PLAN_HANDED_OVER = "plan_handed_over"
    PLAN_HANDED_BACK = "plan_handed_back"
    """The district room hands a case back to its town plan (``escalation.hand_back``)."""
    PLAN_TAKEN_BACK = "plan_taken_back"
    """The town room has the case back under its town plan."""
    OFFICERS_CALLED = "officers_called"
    """A level in force calls officers in to a duty room (加强值班); they are on their way."""
    OFFICERS_ON_DUTY = "officers_on_duty"
    """How many called-in officers a duty room now has (``extra``), on arrival or going home."""
    WARNING_CONFIRMED = "warning_confirmed"
    FALSE_ALARM_SENT = "false_alarm_sent"
    """A public channel's report of nothing is on its way (what reporters know)."""
    DUPLICATE_SENT = "duplicate_sent"
    """A repeat report of an incident is on its way."""
    FALSE_ALARM_DISCARDED = "false_alarm_discarded"
    """A room triaged and verified a false alarm and threw it away."""
    DUPLICATE_DISCARDED = "duplicate_discarded"
    """A room triaged a duplicate and threw it away (no case)."""
    INCIDENT_MERGED = "incident_merged"
    """A sub-incident's first report joined its site's case (a merge rule)."""
    TWO_LEADS = "two_leads"
    """Two plans' leads on one site, and the merge rule resolving it (or none)."""

    # Levels.
    LEVEL_DECIDED = "level_decided"
    LEVEL_ESCALATED = "level_escalated"
    LEVEL_DEESCALATED = "level_deescalated"
    LEVEL_HELD = "level_held"
    ESCALATION_REQUESTED = "escalation_requested"
    RESPONSE_CLOSED = "response_closed"
    UNIT_NOTIFIED = "unit_notified"
    OVER_RESPONSE = "over_response"
    """A level put in force above what the triggers give for what is known."""

    # Headquarters and their call-out.
    HQ_NOTIFIED = "hq_notified"
    HQ_JOINED = "hq_joined"
    HQ_LEVEL_CHANGED = "hq_level_changed"
    HQ_ACTIVATED = "hq_activated"
    HQ_ACTIVE_FOR = "hq_active_for"
    HQ_RELEASED = "hq_released"
    HQ_DEACTIVATED = "hq_deactivated"
    POST_FILLED = "post_filled"
    POST_UNFILLED = "post_unfilled"

    # The general HQ taking over.
    TAKEOVER_TRIGGERED = "takeover_triggered"
    TAKEOVER = "takeover"
    TAKEOVER_DECLINED = "takeover_declined"
    TAKEOVER_ENDED = "takeover_ended"
    """The event taken over is over: every incident's response closed
    (:class:`~cmdsim.sim.activation.Takeovers`); ``n`` from a second takeover on."""
    GENERAL_PLAN = "general_plan"
    """The general plan's level for an incident under a takeover (``None``:
    closed with the incident's response; :mod:`cmdsim.sim.general`)."""

    # Tasks and reports with deadlines.
    TASK_ASSIGNED = "task_assigned"
    TASK_STARTED = "task_started"
    TASK_DONE = "task_done"
    REPORT_SENT = "report_sent"
    REPORT_ARRIVED = "report_arrived"

    # Committees (bodies: 安委会, 专委会, 灾防委; actor: the body).
    COMMITTEE_NOTIFIED = "committee_notified"
    COMMITTEE_CONVENED = "committee_convened"
    COMMITTEE_ADJOURNED = "committee_adjourned"
    """The sitting ends: no incident of the hazards the body watches is in force."""

    # Residential and village committees' first actions (actor: the committee).
    COMMUNITY_WAITING = "community_waiting"
    """Without a handbook: waiting for instructions, which follow the knowledge
    of the duty room ``room`` (:mod:`cmdsim.sim.community`)."""
    COMMUNITY_ACTING = "community_acting"
    """The committee may act; without a handbook, with the ``room`` that
    instructed it and the minute it ``knew`` of the incident."""
    COMMUNITY_REPORTED = "community_reported"
    """The committee's information officer passed the first report up."""
    COMMUNITY_ACTION_DONE = "community_action_done"

    # From outside the plan: the exercise's injects and the players' decisions.
    INJECT = "inject"
    DECISION = "decision"


__all__ = ["EventKind"]
