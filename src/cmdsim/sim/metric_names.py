"""The names of a replication's metrics, in one place.

A run's metrics are nested records (:mod:`cmdsim.sim.results`); a batch
flattens them to dotted names (``incident.<id>.hq.<hq>.activated``,
:func:`cmdsim.analysis.metrics.flatten`).  The fast path computes some of
the same numbers without running the engine and must give them the same
names.  So the leaves are spelt here once: the engine's records use them
as their keys, and the fast path's columns (``fast_metrics``,
``metric_columns``) and the list of known names are made with the
functions below.
"""

from __future__ import annotations

INCIDENT = "incident"
"""The group of per-incident records in a run's metrics."""
HQ = "hq"
"""The group of per-HQ records within an incident's."""
DEADLINE = "deadline"
REPORTING = "reporting"
SIGNAL_LAG = "signal_lag"

BAND = "onset_band"
"""The time band of an onset, as a code (``onset_band`` alone: the first incident's)."""

# An incident's leaves (IncidentRecord.to_data); times in minutes after onset.
ONSET = "onset"
AWARE = "aware"
LEVEL_DECIDED = "level_decided"
LEVEL = "level"
PEAK_LEVEL = "peak_level"
REQUIRED_LEVEL = "required_level"
LEVEL_OK = "level_ok"
OVER_RESPONSE = "over_response"
REPORTS = "reports"
TAKEOVER = "takeover"
HANDED_OVER = "handed_over"
HANDED_BACK = "handed_back"
TOWN_LEVEL_DECIDED = "town_level_decided"
TOWN_LEVEL = "town_level"

# An HQ's leaves in one incident (HQRecord.to_data).
NOTIFIED = "notified"
ACTIVATED = "activated"
TIME_TO_ACTIVATE = "time_to_activate"
STAFF = "staff"

INCIDENT_LEAVES = (
    ONSET,
    AWARE,
    LEVEL_DECIDED,
    LEVEL,
    PEAK_LEVEL,
    REQUIRED_LEVEL,
    LEVEL_OK,
    OVER_RESPONSE,
    REPORTS,
    TAKEOVER,
    BAND,
)
"""Every numeric leaf an incident has in every run (the onset band is added by a batch)."""
TOWN_LEAVES = (HANDED_OVER, HANDED_BACK, TOWN_LEVEL_DECIDED, TOWN_LEVEL)
"""The leaves of an incident a town plan governs (answered first by its town's room)."""
HQ_LEAVES = (NOTIFIED, ACTIVATED, TIME_TO_ACTIVATE, LEVEL, STAFF)
DEADLINE_LEAVES = ("due", "done", "met", "slack")
REPORT_STATUSES = ("called", "on_time", "late", "missing", "pending")
"""Counts per reporting duty (``incident.<id>.reporting.<duty>.*``, with
``lateness``) and per stage (``reporting.<stage>.*``)."""
LEVEL_KEYS = (LEVEL, PEAK_LEVEL, REQUIRED_LEVEL, TOWN_LEVEL)
"""Leaves holding a response level, kept as its rank: IV 1, III 2, II 3, I 4."""

# A tier's leaves of the information officers' relaying (TierRecord.to_data).
OFFICERS = "officers"
"""The group of per-tier records of the officers' relaying (``officers.<tier>.<leaf>``)."""
HOPS = "hops"
WAITED = "waited"
WAIT = "wait"
MAX_WAIT = "max_wait"
BUSIEST = "busiest"
UTILISATION = "utilisation"
OFFICER_LEAVES = (HOPS, WAITED, WAIT, MAX_WAIT, BUSIEST, UTILISATION)

CASE_METRICS = (ONSET, AWARE, LEVEL_DECIDED, LEVEL, REQUIRED_LEVEL)
"""An incident's leaves the fast path computes (its first response)."""
HQ_METRICS = (NOTIFIED, ACTIVATED, TIME_TO_ACTIVATE)
"""An HQ's leaves the fast path computes, for the pairs it covers."""


def incident_metric(incident: str, leaf: str) -> str:
    """``incident.<incident>.<leaf>``.

    >>> incident_metric("gas_main_rupture", AWARE)
    'incident.gas_main_rupture.aware'
    """
    return f"{INCIDENT}.{incident}.{leaf}"


def hq_metric(incident: str, hq: str, leaf: str) -> str:
    """``incident.<incident>.hq.<hq>.<leaf>``.

    >>> hq_metric("gas_main_rupture", "gas_hq", ACTIVATED)
    'incident.gas_main_rupture.hq.gas_hq.activated'
    """
    return f"{INCIDENT}.{incident}.{HQ}.{hq}.{leaf}"


def deadline_metric(incident: str, ident: str, leaf: str) -> str:
    """``incident.<incident>.deadline.<task or report>.<leaf>``."""
    return f"{INCIDENT}.{incident}.{DEADLINE}.{ident}.{leaf}"


def reporting_metric(incident: str, duty: str, leaf: str) -> str:
    """``incident.<incident>.reporting.<duty>.<leaf>``."""
    return f"{INCIDENT}.{incident}.{REPORTING}.{duty}.{leaf}"


def officer_metric(tier: str, leaf: str) -> str:
    """``officers.<tier>.<leaf>``.

    >>> officer_metric("committee", WAIT)
    'officers.committee.wait'
    """
    return f"{OFFICERS}.{tier}.{leaf}"


def plan_duty(plan: str, duty: str) -> str:
    """The name a plan's report duty or task goes by apart from another
    plan's of the same id in one incident's deadline and reporting records
    (and in its random stream): ``<plan>:<duty>``.  The general plan's
    reports in force under a takeover (:mod:`cmdsim.sim.general`) always go
    by it; a task only when another plan acting on the incident names the
    same id first (:meth:`cmdsim.sim.compiled.Compiled.task_name`).

    >>> plan_duty("general_plan", "phone_report")
    'general_plan:phone_report'
    """
    return f"{plan}:{duty}"
