"""What a report needs of its scenario: display names, each incident's
origin (the first warning of a forecast hazard, else its onset), the start
in calendar time, the plan clause of each deadline; and finding the scenario
a log, a run directory or a batch was made from.

Everything here is plain data (``dict``) so the report stays JSON.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cmdsim.model.levels import Signal
from cmdsim.names import chinese_part
from cmdsim.sim.moments import calendar, dated, off_day


def relative_to(target: str | Path, folder: str | Path) -> str:
    """``target`` as a POSIX path relative to ``folder`` (both made absolute):
    what a log or a run directory records so it resolves from its own folder."""
    rel = os.path.relpath(Path(target).resolve(), Path(folder).resolve())
    return Path(rel).as_posix()


def _names(scenario: Any) -> dict[str, str]:
    district = scenario.district
    names: dict[str, str] = {}

    def put(ident: str, name: str) -> None:
        if name and ident not in names:
            names[ident] = name

    for group in (
        district.commands,
        district.units,
        tuple(district.duty_rooms()),
        district.towns,
        district.hazards,
        district.channels,  # the actor of a channel's duplicate reports and false alarms
    ):
        for item in group:
            put(item.id, item.name)
    plans = list(district.plans)
    for plan in plans:
        put(plan.id, plan.name)
        for report in plan.reports:
            put(report.id, report.name)
            # The general plan's own reports under a takeover (sim/general.py).
            put(f"{plan.id}:{report.id}", f"{plan.name}·{report.name}" if report.name else "")
        for response in plan.levels.values():
            for task in response.tasks:
                put(task.id, task.name)
    for body in district.bodies:
        put(body.id, body.name)
    for town in district.towns:
        for committee in town.committees:
            # A committee's name repeats across towns (第1居民委员会): the town tells them apart.
            put(committee.id, f"{town.name}{committee.name}" if committee.name else "")
    for action in district.community.actions:
        put(action.id, action.name)
    for incident in scenario.incidents:
        put(incident.id, incident.name)
    if scenario.name:
        put(scenario.id, scenario.name)
    return names


def _clauses(scenario: Any) -> dict[str, dict[str, str]]:
    """Which plan (and level) sets each deadline and leads each HQ: the
    clause an improvement item concerns, and the unit responsible."""
    out: dict[str, dict[str, str]] = {}
    # Keyed by hazard too: the same report id (phone_report) is set by the
    # general plan and by each special plan; the incident's hazard picks one.
    # A town plan's also by its town: every town's plan sets the same task
    # ids, and an incident in one town is not another town's business.
    for plan in scenario.district.plans:
        for hazard in (*plan.hazards, "*"):
            scopes = [f"{plan.town}:{hazard}", hazard] if plan.town else [hazard]
            for scope in scopes:
                for report in plan.reports:
                    clause = {"plan": plan.id, "unit": report.by, "within": f"{report.within:g}"}
                    out.setdefault(f"deadline:{scope}:{report.id}", clause)
                    # Under a takeover the general plan's are keyed by it (sim/general.py).
                    out.setdefault(f"deadline:{scope}:{plan.id}:{report.id}", clause)
                for level, response in plan.levels.items():
                    for task in response.tasks:
                        clause = {"plan": plan.id, "level": level.value, "unit": task.unit}
                        out.setdefault(f"deadline:{scope}:{task.id}", clause)
                        # Apart from another plan's of the same id, any plan's
                        # task goes by <plan>:<id> (sim/compiled.py,
                        # Compiled.task_name): the general plan's under a
                        # takeover, a district plan's after a town plan's, a
                        # merged site's joined plan's.
                        out.setdefault(f"deadline:{scope}:{plan.id}:{task.id}", clause)
        if plan.lead:
            out.setdefault(f"lead:{plan.lead}", {"plan": plan.id})
    for command in scenario.district.commands:
        entry = out.setdefault(f"lead:{command.id}", {})
        if command.lead_unit:
            entry["unit"] = command.lead_unit
    return out


def clause(
    clauses: Mapping[str, Mapping[str, str]],
    kind: str,
    ident: str,
    hazard: str | None,
    town: str | None = None,
) -> Mapping[str, str]:
    """The clause of a deadline or a lead HQ: the incident's town's plan for
    its hazard first, then the district's plan for the hazard, then any."""
    local = [f"{kind}:{town}:{hazard}:{ident}", f"{kind}:{town}:*:{ident}"] if town else []
    for key in (*local, f"{kind}:{hazard}:{ident}", f"{kind}:*:{ident}", f"{kind}:{ident}"):
        if key in clauses:
            return clauses[key]
    return {}


def incident_origins(scenario: Any) -> dict[str, dict[str, Any]]:
    """Per incident: its onset and the origin every figure is measured from,
    in minutes from the scenario start: the first warning signal for a
    forecast hazard (a signal before the impact), otherwise the onset."""
    out: dict[str, dict[str, Any]] = {}
    for incident in scenario.incidents:
        onset = (incident.onset - scenario.start).total_seconds() / 60.0
        warned = [p.at for p in incident.timeline if isinstance(p.signal, Signal) and p.at < 0]
        first = min(warned) if warned else 0.0
        out[incident.id] = {
            "onset": round(onset, 3),
            "origin": round(onset + first, 3),
            "basis": "warning" if warned else "onset",
            "hazard": incident.hazard,
            "town": incident.town,
        }
    return out


def context_of(scenario: Any) -> dict[str, Any]:
    """The report's ``context``: names, origins, start and clauses."""
    if scenario is None:
        return {"start": None, "names": {}, "incidents": {}, "clauses": {}, "scenario_name": None}
    return {
        "start": scenario.start.isoformat(),
        "horizon": float(scenario.horizon),
        "names": _names(scenario),
        "incidents": incident_origins(scenario),
        "clauses": _clauses(scenario),
        "scenario_name": scenario.name or None,
    }


def clock(
    minutes: float | None, start: str | None, with_date: bool, lang: str = "en"
) -> str | None:
    """Minutes from the start as a report's tables write them
    (:func:`cmdsim.sim.moments.dated`): ``HH:MM``, and where the run crosses
    midnight (``with_date``) a time off the start's day with its date,
    ``MM-DD HH:MM`` (in Chinese ``9月20日 04:30``).  ``None`` without a start
    or a time."""
    if minutes is None or start is None:
        return None
    return dated(dt.datetime.fromisoformat(start), float(minutes), lang, with_date=with_date)


def start_text(start: str | None, lang: str = "en") -> str | None:
    """The scenario's start as a report's header says it
    (:func:`cmdsim.sim.moments.calendar`): ``2024-09-19 20:00``, in Chinese
    ``2024年9月19日 20:00``, not an ISO stamp."""
    if not start:
        return None
    return calendar(dt.datetime.fromisoformat(start), lang)


def calendar_date(text: Any, lang: str = "en") -> Any:
    """A date as the report's language writes it: in Chinese an ISO date
    (``2025-01-30``) reads ``2025年1月30日``; anything else, and every date
    in English, is left as given."""
    if lang != "zh" or not isinstance(text, str) or not _ISO_DATE.fullmatch(text.strip()):
        return text
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:  # 2025-02-30: shown as written
        return text
    return f"{day.year}年{day.month}月{day.day}日"


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def crosses_midnight(start: str | None, times: Iterable[float]) -> bool:
    """Whether any of ``times`` (minutes from ``start``) falls on another date."""
    if start is None:
        return False
    origin = dt.datetime.fromisoformat(start)
    return any(off_day(origin, float(t)) for t in times)


def display_name(name: str | None, lang: str) -> str | None:
    """A name from the files as shown in ``lang``: in Chinese the Chinese
    part of a bilingual name (``区防汛防台指挥部``, not the English gloss
    after it); in English the name as written."""
    if not name:
        return None
    if lang != "zh":
        return name
    text = chinese_part(name)
    return text if any(_cjk(c) for c in text) else name


def _cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


OUTSIDE = {"city_duty_room": {"en": "City duty room", "zh": "市总值班室"}}
"""Parties outside the district the files name by id only (reports go up to
the city's duty room)."""


def name_of(ident: Any, names: Mapping[str, str], lang: str) -> str:
    """The display name of an id, the id itself where the files give none."""
    if ident is None:
        return "–"
    found = display_name(names.get(str(ident)), lang)
    if found is None and str(ident) in OUTSIDE:
        return OUTSIDE[str(ident)].get(lang, OUTSIDE[str(ident)]["en"])
    return found or str(ident)
