"""From one run's result to per-replication numbers.

:func:`flatten` turns a ``cmdsim.sim`` ``RunResult`` into a flat mapping of
metric name to float, NaN for "never happened" (see docs/experiments.md for
the names).  :func:`engine_run` is the default run function of a batch.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from cmdsim.analysis.stats import BAND_CODES, BAND_SUFFIX
from cmdsim.errors import ScenarioError
from cmdsim.model.levels import Level, Signal, Tier, TimeBand
from cmdsim.model.organisation import ChannelKind
from cmdsim.model.scenario import Incident, Scenario
from cmdsim.sim.metric_names import (
    ACTIVATED,
    DEADLINE_LEAVES,
    HQ_LEAVES,
    HQ_METRICS,
    INCIDENT_LEAVES,
    LEVEL_KEYS,
    OFFICER_LEAVES,
    REPORT_STATUSES,
    SIGNAL_LAG,
    TOWN_LEAVES,
    deadline_metric,
    hq_metric,
    incident_metric,
    officer_metric,
    plan_duty,
    reporting_metric,
)

if TYPE_CHECKING:
    from cmdsim.sim.compiled import Compiled, CompiledPlan


def band_code(band: TimeBand | str | None) -> float:
    """A time band as the float stored per replication (NaN if unknown)."""
    if band is None:
        return math.nan
    if isinstance(band, str):
        band = TimeBand(band)
    return BAND_CODES[band]


def onset_bands(scenario: Scenario, offset: float = 0.0) -> dict[str, float]:
    """The band of each incident's onset, and of the first one's (``onset_band``).

    ``offset`` shifts every onset by that many minutes (a ``spread_week``
    replication's) without building the shifted scenario.
    """
    calendar = scenario.district.calendar
    shift = dt.timedelta(minutes=offset)
    out: dict[str, float] = {}
    first: tuple[Any, float] | None = None
    for incident in scenario.incidents:
        code = band_code(calendar.band(incident.onset + shift))
        out[incident_metric(incident.id, BAND_SUFFIX)] = code
        if first is None or incident.onset < first[0]:
            first = (incident.onset, code)
    out[BAND_SUFFIX] = first[1] if first is not None else math.nan
    return out


def _number(value: Any) -> float | None:
    if value is None:
        return math.nan
    if isinstance(value, bool | np.bool_):
        return 1.0 if value else 0.0
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    return None


def flatten_data(data: Any, prefix: str = "") -> dict[str, float]:
    """Numbers of nested mappings joined by dots; ``None`` is NaN, booleans
    0/1, levels their rank; records with ``to_data`` are expanded; other
    leaves (names, ids) are dropped."""
    out: dict[str, float] = {}
    to_data = getattr(data, "to_data", None)
    if callable(to_data):
        data = to_data()
    if isinstance(data, str):
        if prefix.rpartition(".")[2] in LEVEL_KEYS:
            with contextlib.suppress(ValueError):
                out[prefix] = float(Level.parse(data).rank)
        return out
    if isinstance(data, Mapping):
        for key, value in data.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(flatten_data(value, name))
        return out
    number = _number(data)
    if number is not None and prefix:
        out[prefix] = number
    return out


def _level_rank(text: str) -> float | None:
    """A level's rank as :func:`flatten_data` keeps it; ``None``: not a level."""
    if text not in _LEVEL_RANKS:
        try:
            _LEVEL_RANKS[text] = float(Level.parse(text).rank)
        except ValueError:
            _LEVEL_RANKS[text] = None
    return _LEVEL_RANKS[text]


_LEVEL_RANKS: dict[str, float | None] = {}


def _flatten_into(out: dict[str, float], data: Mapping[Any, Any], prefix: str) -> None:
    """:func:`flatten_data` of a mapping written into ``out``, the same keys in
    the same order: the plain types a run's metrics hold (floats, ``None``,
    ints, booleans, strings, dicts) are decided here without a call each,
    which is most of a batch's cost of flattening; anything else goes
    through :func:`flatten_data`."""
    for key, value in data.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        kind = type(value)
        if kind is float:
            if name:
                out[name] = value
        elif value is None:
            if name:
                out[name] = math.nan
        elif kind is dict:
            _flatten_into(out, value, name)
        elif kind is int:
            if name:
                out[name] = float(value)
        elif kind is bool:
            if name:
                out[name] = 1.0 if value else 0.0
        elif kind is str:
            if name.rpartition(".")[2] in LEVEL_KEYS:
                rank = _level_rank(value)
                if rank is not None:
                    out[name] = rank
        elif kind is list or kind is tuple:
            continue  # names and ids: not numbers
        else:
            for leaf, number in flatten_data(value, name).items():
                out[leaf] = number


def flatten(result: Any) -> dict[str, float]:
    """Per-replication numbers of a run (:func:`flatten_data` of its metrics)."""
    metrics = getattr(result, "metrics", result)
    if type(metrics) is dict:
        out: dict[str, float] = {}
        _flatten_into(out, metrics, "")
        return out
    return flatten_data(metrics)


def engine_run(
    scenario: Scenario, seed: np.random.SeedSequence, *, unlimited: bool = False
) -> dict[str, float]:
    """One replication through the engine: ``flatten(simulate(...))`` plus onset
    bands; ``unlimited`` runs it with every capacity as large as needed."""
    from cmdsim.sim import SimOptions, simulate

    # No event log: a replication is its metrics (the same with or without).
    options = SimOptions(unlimited_capacity=unlimited, log=False)
    out = flatten(simulate(scenario, seed, options=options))
    out.update(onset_bands(scenario))
    return out


def lead_hq(scenario: Scenario) -> tuple[str, str]:
    """``(incident id, command id)`` of the first incident's lead HQ.

    The lead is the ``lead`` of the first district plan for the incident's
    hazard; without one, the first specialised HQ.
    """
    if not scenario.incidents:
        raise ScenarioError(f"{scenario.id}: no incident, so no lead HQ to measure")
    incident = min(scenario.incidents, key=lambda i: i.onset)
    district = scenario.district
    for plan in district.plans_for(incident.hazard):
        if plan.lead is not None:
            return incident.id, plan.lead
    specials = district.special_commands or district.commands
    if not specials:
        raise ScenarioError(f"{scenario.id}: the district has no HQ")
    return incident.id, specials[0].id


def lead_activation_metric(scenario: Scenario) -> str:
    """The metric name of the lead HQ's activation time for the first incident."""
    incident, command = lead_hq(scenario)
    return hq_metric(incident, command, ACTIVATED)


RUN_METRICS = (
    "events",
    BAND_SUFFIX,
    "takeover.triggered",
    "takeover.time",
    "takeover.reason",  # NaN: a reason is text, kept only when there is none
    "takeover.declined",
    "takeover.rule_held",
    "takeover.ended",
    "coverage.gaps",
    "merge.incidents",
    "merge.two_leads",
    "coverage.incidents",
    "fast.contended",
)


def known_metrics(scenario: Scenario) -> frozenset[str]:
    """Every metric name a replication of ``scenario`` can report.

    A name here may still be NaN in a replication (an HQ never called out);
    a name not here never has a value.  ``tests/analysis`` checks that every
    name an engine run reports is listed.
    """
    from cmdsim.sim.compiled import compiled
    from cmdsim.sim.knowledge import reason

    comp = compiled(scenario)
    district = scenario.district
    names: set[str] = set(RUN_METRICS)
    knowing = reason(scenario) is not None
    for incident in scenario.incidents:
        names.update(incident_metric(incident.id, leaf) for leaf in INCIDENT_LEAVES)
        group = comp.sites.get(incident.id)
        if group is not None and group.key != incident.id:
            # Merged into another's case at one site: its HQs, duties and
            # knowledge are the case's, under the case's incident.  Only the
            # forced fast path, which leaves merge rules aside, calls out its
            # own plan's HQs (fast_metrics).
            own = comp.plan_for(incident.hazard, incident.town)
            names.update(
                hq_metric(incident.id, command, leaf)
                for command in (_commands((own,)) if own is not None else ())
                for leaf in HQ_METRICS
            )
            continue
        names.update(_incident_names(comp, incident, knowing))
    names.update(
        f"reporting.{stage}.{leaf}"
        for stage in ("initial", "follow_up", "final")
        for leaf in REPORT_STATUSES
    )
    rooms = [room.id for room in district.duty_rooms()]
    names.update(f"wait.{room}" for room in rooms)
    names.update(f"utilisation.{room}" for room in rooms)
    for unit in district.units:
        names.add(f"utilisation.{unit.id}")
        names.update(f"utilisation.resource:{r.id}" for r in unit.resources)
    if any(channel.kind is ChannelKind.OFFICERS for channel in district.channels):
        # The officers' relaying by tier (cmdsim.sim.officer_records), where they relay.
        names.update(officer_metric(tier.value, leaf) for tier in Tier for leaf in OFFICER_LEAVES)
    # Committees (cmdsim.sim.bodies) and committees' first actions (cmdsim.sim.community).
    for body in district.bodies:
        names.update(
            f"committee.{body.id}.{leaf}" for leaf in ("notified", "convened", "adjourned")
        )
    actions = district.community.actions
    for incident in scenario.incidents:
        if actions and incident.committee is not None:
            base = f"community.{incident.id}"
            names.update(f"{base}.{leaf}" for leaf in ("handbook", "acting", "reported"))
            names.update(f"{base}.actions.{a.id}" for a in actions if a.covers(incident.hazard))
    return frozenset(names)


def _commands(plans: Iterable[CompiledPlan]) -> set[str]:
    """The HQs the plans can call out: their leads and every level's ``activate``."""
    return {
        ident
        for plan in plans
        for ident in (
            *((plan.lead,) if plan.lead is not None else ()),
            *(c for response in plan.plan.levels.values() for c in response.activate),
        )
    }


def _incident_names(comp: Compiled, incident: Incident, knowing: bool) -> set[str]:
    """The names of an incident's own case that a run can report: its town
    leaves, and the HQs, deadlines, reports and known figures of the plans
    acting on it (:meth:`~cmdsim.sim.compiled.Compiled.acting_plans`);
    another hazard's plan never calls out its HQs or sets its deadlines here."""
    from cmdsim.sim.knowledge import knowledge_leaves, thresholds

    names: set[str] = set()
    if comp.town_plan_for(incident.hazard, incident.town) is not None:
        names.update(incident_metric(incident.id, leaf) for leaf in TOWN_LEAVES)
    acting = comp.acting_plans(incident.id)
    names.update(
        hq_metric(incident.id, command, leaf) for command in _commands(acting) for leaf in HQ_LEAVES
    )
    tasks = {
        comp.task_name(incident.id, plan.id, task.id)
        for plan in acting
        for response in plan.plan.levels.values()
        for task in response.tasks
    }
    reports: set[str] = set()
    # A general plan governing the incident itself is not put in force again
    # by a takeover (sim/general.py): its reports keep their own names.
    own = comp.acting_plans(incident.id, takeover=False)
    for plan in acting:
        if plan in own:
            reports.update(duty.id for duty in plan.plan.reports)
        else:
            # The general plan's reports under a takeover, apart from a
            # special plan's of the same id.
            reports.update(plan_duty(plan.id, duty.id) for duty in plan.plan.reports)
    for ident in tasks | reports:
        names.update(deadline_metric(incident.id, ident, leaf) for leaf in DEADLINE_LEAVES)
    # Tasks have deadlines; only reports have the reporting counts.
    for ident in reports:
        names.update(
            reporting_metric(incident.id, ident, leaf) for leaf in (*REPORT_STATUSES, "lateness")
        )
    names.update(
        incident_metric(incident.id, f"{SIGNAL_LAG}.{point.signal.value}")
        for point in incident.timeline
        if isinstance(point.signal, Signal)  # a lift is no colour: no lag
    )
    if knowing:
        # A known lag for each figure the deciding rule's triggers test (a
        # takeover puts the general plan's levels in force, not its triggers).
        rules = (
            *(plan for plan in acting if plan is not comp.takeover_plan),
            comp.plan_for(incident.hazard, incident.town),
        )
        figures = sorted({figure for rule in rules for figure, _, _ in thresholds(rule)})
        names.update(
            incident_metric(incident.id, f"knowledge.{leaf}") for leaf in knowledge_leaves(figures)
        )
    return names


def check_metrics(scenario: Scenario, wanted: Iterable[str]) -> None:
    """Raise :class:`ScenarioError` naming each metric ``scenario`` cannot report.

    >>> from cmdsim import bundled
    >>> from cmdsim.io import load_scenario
    >>> gas = load_scenario(bundled.path("gas.yaml"))
    >>> try:
    ...     check_metrics(gas, ["incident.gas_main.aware"])
    ... except ScenarioError as exc:
    ...     print(exc)
    unknown metric 'incident.gas_main.aware' (did you mean 'incident.gas_main_rupture.aware'?)
    """
    known = known_metrics(scenario)
    problems = []
    for name in wanted:
        if name in known:
            continue
        close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(f"unknown metric {name!r}{hint}")
    if problems:
        raise ScenarioError("; ".join(problems))
