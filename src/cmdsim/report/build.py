"""Build the report's data (plain JSON-able dicts) from a run's event log and
metrics, a batch summary, or an exercise log.

Everything the renderers show comes from the dict :func:`build_report`
returns; numbers are rounded here, once (minutes to 0.1), so every format
prints the same values.

The parts live in modules named for what they hold: :mod:`~cmdsim.report.kinds`
(event categories), :mod:`~cmdsim.report.timeline`, :mod:`~cmdsim.report.measures`
(activations and deadlines), :mod:`~cmdsim.report.improvements`,
:mod:`~cmdsim.report.injects` and :mod:`~cmdsim.report.numbers`.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from typing import Any

from cmdsim.report.improvements import improvement_plan, improvements
from cmdsim.report.injects import exercise_facts, inject_rows
from cmdsim.report.kinds import Event, classify
from cmdsim.report.measures import (
    ACTIVATION_TARGET,
    activations,
    compliance,
    deadlines,
    from_metrics,
    origin_of,
)
from cmdsim.report.numbers import distribution, r1
from cmdsim.report.timeline import report_timeline

SCHEMA = "cmdsim.report/2"


def build_report(
    *,
    kind: str,
    events: Sequence[Event] = (),
    scenario: Any = None,
    scenario_name: str | None = None,
    seed: int | None = None,
    end: float | None = None,
    samples: Mapping[str, Sequence[float]] | None = None,
    distributions: Sequence[Mapping[str, Any]] = (),
    deadline_rows: Sequence[Mapping[str, Any]] | None = None,
    verdicts: Sequence[Mapping[str, Any]] = (),
    decisions: Sequence[Mapping[str, Any]] = (),
    coverage: Mapping[str, Any] | None = None,
    findings: Sequence[Mapping[str, Any]] = (),
    required: Mapping[str, str | None] | None = None,
    target: float = ACTIVATION_TARGET,
    extra_summary: Mapping[str, Any] | None = None,
    metrics: Mapping[str, Any] | None = None,
    msel: Mapping[str, Any] | None = None,
    facts: Mapping[str, Any] | None = None,
    play: Sequence[str] = (),
    timeline_events: Sequence[Event] | None = None,
) -> dict[str, Any]:
    """The report as plain data (see the module docstring).

    ``msel`` is the exercise's MSEL as its log records it (injects with the
    expected action and objective, criteria); ``facts`` the exercise's facts
    and the facilitator's edits of the improvement plan
    (:mod:`cmdsim.report.facts`).  ``timeline_events`` draw the timeline
    only (a batch's representative replication), nothing else.
    """
    from cmdsim.report.context import context_of

    context = context_of(scenario)
    origins = context["incidents"]
    events = sorted(events, key=lambda e: float(e.get("time", 0.0)))
    commands: set[str] = set()
    incidents: list[str] = []
    if scenario is not None:
        commands = {c.id for c in scenario.district.commands}
        incidents = [i.id for i in scenario.incidents]
        if end is None:
            end = float(scenario.horizon)
    last = max((float(e.get("time", 0.0)) for e in events), default=0.0)
    if end is None or (end > max(last * 1.05, 1.0) and events):
        end = max(last * 1.05, 1.0)
    acts = activations(events, commands, required or {}, target, origins)
    dls = [dict(d) for d in deadline_rows] if deadline_rows is not None else deadlines(events)
    metric_aware: list[float] = []
    if metrics:
        m_acts, m_rows, metric_aware = from_metrics(metrics, target, origins)
        if m_acts:
            acts = m_acts
        if m_rows:
            dls = m_rows
    comp = compliance(dls)
    dists = [distribution(name, values) for name, values in sorted((samples or {}).items())]
    dists += [dict(d) for d in distributions]
    onsets: dict[str, float] = {}
    aware: dict[str, float] = {}
    for event in events:
        inc = event.get("incident")
        cat = classify(str(event.get("kind", "")))
        if inc and cat == "onset":
            onsets.setdefault(str(inc), float(event["time"]))
        if inc and cat == "aware":
            aware.setdefault(str(inc), float(event["time"]))
    aware_delays = metric_aware or [
        max(0.0, aware[i] - (origin_of(origins, i, onsets.get(i))[0] or 0.0))
        for i in aware
        if i in onsets or i in origins
    ]
    summary: dict[str, Any] = {}
    if events:
        summary["events"] = len(events)
    # Every figure counts from the incident's origin (first warning or
    # onset), so none is negative; the median and the slowest incident say
    # more than the quickest.
    summary["aware"] = r1(statistics.median(aware_delays)) if aware_delays else None
    summary["aware_worst"] = r1(max(aware_delays)) if aware_delays else None
    delays = [a["delay"] for a in acts if a["delay"] is not None]
    summary["first_activation"] = r1(min(delays)) if delays else None
    town = _town_levels(events, scenario, origins, onsets)
    if town:
        summary["town_level"] = r1(statistics.median(town))
    summary["compliance_rate"] = comp["rate"]
    summary.update(extra_summary or {})
    for key in ("aware", "aware_worst", "first_activation", "compliance_rate"):
        if summary.get(key) is None:
            summary.pop(key, None)
    items = improvements(events, acts, dls, verdicts)
    injects = (
        inject_rows(
            events, msel or {}, verdicts, scenario, (facts or {}).get("ratings", {}), decisions
        )
        if kind == "exercise"
        else []
    )
    return {
        "schema": SCHEMA,
        "kind": kind,
        "scenario": scenario_name or (scenario.id if scenario is not None else None),
        "seed": seed,
        "context": context,
        "summary": summary,
        "timeline": report_timeline(
            events, timeline_events, float(end), commands, incidents, dls, _town_rooms(scenario)
        ),
        "activations": acts,
        "distributions": dists,
        "deadlines": dls,
        "compliance": comp,
        "criteria": [dict(v) for v in verdicts],
        "injects": injects,
        "decisions": [dict(d) for d in decisions],
        "coverage": dict(coverage) if coverage else None,
        "findings": [dict(f) for f in findings],
        "improvements": items,
        "plan": improvement_plan(items, context, (facts or {}).get("improvements", ()), play),
        "facts": exercise_facts(facts or {}, play) if kind == "exercise" else None,
    }


def comparison(data: Mapping[str, Any]) -> dict[str, Any]:
    """A sweep's or a sensitivity ranking's comparison with the base, as rows.

    ``data`` is ``sweep.json`` (``variants``) or ``sensitivity.json``
    (``ranking``), as :mod:`cmdsim.analysis.sweep` writes them.  A sweep row
    is a variant: its mean, its difference from the base and that
    difference's 95 % interval (``low``–``high``, common random numbers).  A
    sensitivity row is a parameter: the difference at its low and at its
    high setting (``None`` where the model refused the change), ranked by
    ``swing``.
    """
    base = data["base"]
    mode = "sensitivity" if "ranking" in data else "sweep"
    rows: list[dict[str, Any]] = []
    if mode == "sweep":
        for variant in data["variants"]:
            low, high = variant["diff_ci95"]
            rows.append(
                {
                    "label": str(variant["label"]),
                    "mean": r1(variant["mean"]),
                    "diff": r1(variant["diff"]),
                    "low": r1(low),
                    "high": r1(high),
                    "missing": int(variant["missing"]),
                }
            )
    else:
        for row in data["ranking"]:
            sides = {side: row.get(side) for side in ("low", "high")}
            rows.append(
                {
                    "label": str(row["parameter"]),
                    "kind": str(row.get("kind", "")),
                    **{side: r1(s["diff"]) if s else None for side, s in sides.items()},
                    **{f"{side}_label": s["label"] if s else None for side, s in sides.items()},
                    "swing": r1(row.get("swing")),
                }
            )
    return {
        "mode": mode,
        "metric": str(data["metric"]),
        "n": int(data["n"]),
        "base_mean": r1(base["mean"]),
        "rows": rows,
    }


def _town_levels(
    events: Sequence[Mapping[str, Any]],
    scenario: Any,
    origins: Any,
    onsets: Mapping[str, float],
) -> list[float]:
    """Minutes from each incident's origin to its town room's first level
    (the town's first response under its own plan), where a town room decided."""
    rooms = _town_rooms(scenario)
    if not rooms:
        return []
    first: dict[str, float] = {}
    for event in events:
        inc = event.get("incident")
        if inc and event.get("kind") == "level_decided" and event.get("actor") in rooms:
            first.setdefault(str(inc), float(event["time"]))
    return [
        max(0.0, t - (origin_of(origins, i, onsets.get(i))[0] or 0.0)) for i, t in first.items()
    ]


def _town_rooms(scenario: Any) -> frozenset[str]:
    """The towns' duty rooms of the scenario's district (none without one)."""
    district = getattr(scenario, "district", None)
    if district is None:
        return frozenset()
    return frozenset(t.duty_room.id for t in district.towns if t.duty_room is not None)
