"""A batch's report with its scenario: activation and reporting times by
hazard and time band, measured from each incident's origin, and a
representative replication run again for the timeline."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cmdsim.report.context import incident_origins
from cmdsim.report.numbers import distribution, r1

Row = Mapping[str, float]


def _band(row: Row, incident: str) -> str | None:
    """The time band of an incident's onset in one replication (stored as
    its index in :data:`cmdsim.analysis.stats.BANDS`)."""
    from cmdsim.analysis.stats import BANDS

    code = row.get(f"incident.{incident}.onset_band")
    if code is None or not 0 <= int(code) < len(BANDS):
        return None
    return BANDS[int(code)].value


def _reports(scenario: Any) -> set[str]:
    return {r.id for plan in scenario.district.plans for r in plan.reports}


def grouped(scenario: Any, rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Distributions of HQ activation and report times, one per (HQ or
    report, hazard, time band), in minutes from each incident's origin
    (never negative: an HQ already at work counts 0)."""
    origins = incident_origins(scenario)
    reports = _reports(scenario)
    samples: dict[tuple[str, str, str, str], list[float]] = {}
    for row in rows:
        for incident, info in origins.items():
            band = _band(row, incident) or "day"
            shift = float(info["onset"]) - float(info["origin"])
            prefix = f"incident.{incident}."
            for key, value in row.items():
                if not key.startswith(prefix):
                    continue
                rest = key[len(prefix) :].split(".")
                if len(rest) == 3 and rest[0] == "hq" and rest[2] == "activated":
                    group = ("activated", rest[1], info["hazard"], band)
                elif len(rest) == 3 and rest[0] == "deadline" and rest[2] == "done":
                    if rest[1] not in reports:
                        continue
                    group = ("report", rest[1], info["hazard"], band)
                else:
                    continue
                samples.setdefault(group, []).append(max(0.0, value + shift))
    order = {"activated": 0, "report": 1}
    out = []
    for (family, subject, hazard, band), values in sorted(
        samples.items(), key=lambda kv: (order[kv[0][0]], kv[0][1], kv[0][2], kv[0][3])
    ):
        dist = distribution(f"{family}.{subject}.{hazard}.{band}", values)
        dist["group"] = {"family": family, "command": subject, "hazard": hazard, "band": band}
        dist["ecdf"] = ecdf(values)
        out.append(dist)
    return out


def ecdf(values: Sequence[float], points: int = 40) -> list[dict[str, float]]:
    """The empirical CDF at up to ``points`` sample values: ``(x, share)``."""
    xs = sorted(values)
    if not xs:
        return []
    step = max(1, math.ceil(len(xs) / points))
    picks = list(range(step - 1, len(xs), step))
    if picks[-1] != len(xs) - 1:
        picks.append(len(xs) - 1)
    return [{"x": r1(xs[i]) or 0.0, "p": round((i + 1) / len(xs), 4)} for i in picks]


def summary_figures(scenario: Any, rows: Sequence[Row]) -> dict[str, Any]:
    """The batch's headline figures, medians over replications, from the
    incidents' origins: awareness and the first HQ activation."""
    origins = incident_origins(scenario)
    aware: list[float] = []
    first: list[float] = []
    town: list[float] = []
    for row in rows:
        firsts = []
        for incident, info in origins.items():
            shift = float(info["onset"]) - float(info["origin"])
            value = row.get(f"incident.{incident}.aware")
            if value is not None:
                aware.append(max(0.0, value + shift))
            value = row.get(f"incident.{incident}.town_level_decided")
            if value is not None and not math.isnan(value):
                town.append(max(0.0, value + shift))
            prefix = f"incident.{incident}.hq."
            firsts += [
                max(0.0, v + shift)
                for k, v in row.items()
                if k.startswith(prefix) and k.endswith(".activated")
            ]
        if firsts:
            first.append(min(firsts))
    out: dict[str, Any] = {}
    if aware:
        out["aware"] = r1(statistics.median(aware))
        out["aware_worst"] = r1(max(aware))
    if first:
        out["first_activation"] = r1(statistics.median(first))
    if town:
        out["town_level"] = r1(statistics.median(town))
    return out


def representative_run(
    scenario: Any, summary: Mapping[str, Any], rows: Sequence[Row], folder: Path
) -> dict[str, Any] | None:
    """The replication whose first incident's lead-HQ activation is closest
    to the batch's median, run again through the engine for its events."""
    from cmdsim.analysis.metrics import lead_hq
    from cmdsim.analysis.seeds import replication_seed, week_offset
    from cmdsim.errors import CmdsimError
    from cmdsim.sim import SimOptions, simulate

    seed = summary.get("seed")
    if not isinstance(seed, int):
        return None
    try:
        incident, command = lead_hq(scenario)
    except CmdsimError:
        return None
    column = f"incident.{incident}.hq.{command}.activated"
    values = [
        (row[column], int(row.get("replication", i))) for i, row in enumerate(rows) if column in row
    ]
    if not values:
        return None
    median = statistics.median(v for v, _ in values)
    value, index = min(values, key=lambda vi: (abs(vi[0] - median), vi[1]))
    seq = replication_seed(seed, index)
    model = scenario
    if summary.get("spread_week"):
        from cmdsim.analysis.batch import shift_scenario

        model = shift_scenario(scenario, week_offset(seq))
    how = summary.get("switches")
    unlimited = isinstance(how, Mapping) and how.get("unlimited_capacity") is True
    # Run as the batch ran it, or its times would not be the batch's.
    result = simulate(model, seq, options=SimOptions(unlimited_capacity=unlimited))
    record = result.record.incidents.get(incident)
    again = record.hq.get(command) if record is not None else None
    same = again is not None and again.activated is not None and abs(again.activated - value) < 1e-6
    return {
        # A week-spread batch moved this replication in calendar time: its
        # timeline's clock starts at the moved start.
        "start": model.start.isoformat(),
        "index": index,
        "seed": seed,
        "incident": incident,
        "command": command,
        "activated": r1(value),
        "median": r1(median),
        "reproduced": same,
        "events": [e.to_data() for e in result.events],
    }
