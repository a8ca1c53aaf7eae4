"""What a district or a scenario holds, as plain data.

:func:`summarise` is what ``cmdsim show --json`` prints: counts of commands,
towns and information officers, the channels, and the plans by hazard and
level, so a planner (or a CI job) can see at a glance that a plan set has
what it should.  The result holds only JSON types (dicts, lists, strings,
numbers, ``None``); key order does not matter, the CLI sorts keys.

>>> from cmdsim.model import Command, District, Unit
>>> d = District(
...     id="demo",
...     units=(Unit("police"),),
...     commands=(Command("hq", general=True, lead_unit="police"),),
... )
>>> s = summarise(d)
>>> s["kind"], s["general_hqs"], s["specialised_hqs"], s["information_officers"]
('district', 1, 0, 0)
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike
from typing import Any

from cmdsim.errors import CmdsimError
from cmdsim.model import (
    Command,
    District,
    Incident,
    Level,
    LevelResponse,
    Plan,
    PlanKind,
    PlanTier,
    Scenario,
    Tier,
    TownKind,
    required_level,
)
from cmdsim.model.governing import plan_choice
from cmdsim.plain import plain

# Highest tier first, as a planner reads the network top-down.
_TIERS = (Tier.DISTRICT, Tier.TOWN, Tier.COMMITTEE, Tier.COMPOUND)
# Lowest level first, the order in which a response escalates.
_LEVELS = (Level.IV, Level.III, Level.II, Level.I)


def summarise(obj: District | Scenario) -> dict[str, Any]:
    """Summarise a district, or a scenario (its incidents and its district).

    A district gives ``kind: "district"`` and the keys listed in
    ``docs/cli.md``; a scenario gives ``kind: "scenario"``, its own facts and
    the district's summary under ``district``.
    """
    _check_model(obj, "summarise")
    if isinstance(obj, Scenario):
        return summarise_scenario(obj)
    return summarise_district(obj)


def _check_model(obj: object, caller: str) -> None:
    """A path or anything else handed in place of a model is told to load it
    first, not met with an ``AttributeError`` from deep inside."""
    if isinstance(obj, District | Scenario):
        return
    hint = "; load the file first: cmdsim.io.load(path)" if isinstance(obj, str | PathLike) else ""
    raise CmdsimError(f"{caller}() needs a District or a Scenario, got {type(obj).__name__}{hint}")


def describe(obj: District | Scenario) -> str:
    """One line saying what a loaded file is, for ``cmdsim validate``.

    >>> from cmdsim.model import District
    >>> describe(District(id="demo"))
    'district demo: 0 commands, 0 towns, 0 plans'
    >>> from cmdsim.model import Plan
    >>> describe(District(id="demo", plans=(Plan(id="p"),)))
    'district demo: 0 commands, 0 towns, 1 plan'
    """
    _check_model(obj, "describe")
    if isinstance(obj, Scenario):
        incidents = _count(len(obj.incidents), "incident")
        return f"scenario {obj.id}: {incidents} in district {obj.district.id}"
    return (
        f"district {obj.id}: {_count(len(obj.commands), 'command')}, "
        f"{_count(len(obj.towns), 'town')}, {_count(len(obj.plans), 'plan')}"
    )


def _count(n: int, noun: str) -> str:
    """``1 plan``, ``0 plans``, ``2 plans``: the nouns here all take an s."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def summarise_district(district: District) -> dict[str, Any]:
    """Counts and lists describing a district's command system."""
    general = [c for c in district.commands if c.general]
    special = district.special_commands
    by_tier = district.officers_by_tier()
    kinds = {kind.value: 0 for kind in TownKind}
    for town in district.towns:
        kinds[town.kind.value] += 1
    committees = [c for town in district.towns for c in town.committees]
    by_hazard = _plans_by_hazard(district)
    return {
        "kind": "district",
        "id": district.id,
        "name": district.name,
        "general_hqs": len(general),
        "specialised_hqs": len(special),
        "town_hqs": len(district.town_commands),
        "commands": [_command(c) for c in district.commands],
        "units": len(district.units),
        "hazards": [h.id for h in district.hazards],
        "towns": len(district.towns),
        "towns_by_kind": kinds,
        "town_duty_rooms": sum(1 for t in district.towns if t.duty_room is not None),
        "committees": len(committees),
        "compounds": sum(c.compounds for c in committees),
        "handbooks": sum(1 for c in committees if c.handbook),
        "bodies": [b.id for b in district.bodies],
        "information_officers": district.officer_count,
        "information_officers_by_tier": {tier.value: by_tier[tier] for tier in _TIERS},
        "channels": [
            {"id": c.id, "name": c.name, "kind": c.kind.value, "to": c.to.value}
            for c in district.channels
        ],
        "plans": [_plan(p) for p in district.plans],
        "plans_by_hazard": by_hazard,
        "governed_by": _governed_by(district, by_hazard),
    }


def summarise_scenario(scenario: Scenario) -> dict[str, Any]:
    """A scenario's start, horizon, incidents and injects, plus its district."""
    district = scenario.district
    return {
        "kind": "scenario",
        "id": scenario.id,
        "name": scenario.name,
        "start": scenario.start.isoformat(),
        "horizon_minutes": scenario.horizon,
        "incidents": [_incident(scenario, i) for i in scenario.incidents],
        "injects": len(scenario.injects),
        "district": summarise_district(district),
    }


def _command(command: Command) -> dict[str, Any]:
    return {
        "id": command.id,
        "name": command.name,
        "general": command.general,
        "lead_unit": command.lead_unit,
        "member_units": len(command.member_units),
        "posts": len(command.posts),
        "people": sum(p.people for p in command.posts),
    }


def level_lead(plan: Plan, level: Level | str) -> str | None:
    """The command that leads a plan's response at ``level``.

    The plan's ``lead`` wherever the plan has a response in force at that
    level — its own or a lower level's, which a level includes
    (:meth:`Plan.responds`); ``None`` where nothing at or below it is set in
    motion (where the plan governs the hazard, the coverage matrix of
    ``cmdsim check`` shows that level as a gap).  Other
    commands a level activates (the general HQ at the top levels, say) join
    the response; they are listed under ``activate``.
    ``level`` may be written as a file writes it (``"II"``, ``"Ⅱ级"``): a
    string never matched the plan's levels, so every plan read as leaderless.
    """
    if isinstance(level, str):
        try:
            level = Level.parse(level)
        except ValueError as exc:
            raise CmdsimError(f"level_lead(): {exc}") from None
    if not isinstance(level, Level):
        raise CmdsimError(f"level_lead() needs a Level or its name, got {level!r}")
    return plan.lead if plan.responds(level) else None


def _plan(plan: Plan) -> dict[str, Any]:
    levels: list[dict[str, Any]] = []
    for level in _LEVELS:
        response = plan.levels.get(level)
        if response is None and not plan.responds(level):
            continue
        # "activate"/"notify"/"tasks" are the level as written (nothing for a
        # level the plan does not write but has the lower levels' response
        # at: "written" false); "in_force" is what it sets in motion, with
        # every lower level's (Plan.included), as the engine runs it.
        written = response is not None
        if response is None:
            response = LevelResponse()
        included = plan.included(level)
        levels.append(
            {
                "level": level.value,
                "written": written,
                "lead": level_lead(plan, level),
                "activate": list(response.activate),
                "notify": len(response.notify),
                "tasks": len(response.tasks),
                "in_force": {
                    "activate": list(included.activate),
                    "notify": len(included.notify),
                    "tasks": len(included.tasks),
                },
            }
        )
    return {
        "id": plan.id,
        "name": plan.name,
        "kind": plan.kind.value,
        "tier": plan.tier.value,
        "town": plan.town,
        "hazards": list(plan.hazards),
        "lead": plan.lead,
        "triggers": len(plan.triggers),
        "levels": levels,
        "reports": [
            {"id": r.id, "within_minutes": r.within, "clock": r.clock.value} for r in plan.reports
        ],
    }


def _plans_by_hazard(district: District) -> dict[str, list[str]]:
    """Every hazard named by the district or a plan, with the plans naming it
    (a hazard none names may still be covered: :func:`_governed_by`)."""
    names = [h.id for h in district.hazards]
    for plan in district.plans:
        names.extend(h for h in plan.hazards if h not in names)
    return {h: [p.id for p in district.plans_for(h)] for h in names}


def _governed_by(district: District, hazards: Iterable[str]) -> dict[str, str | None]:
    """Each of ``hazards`` with the plan the district room decides its
    incidents by (the engine's choice, the coverage matrix's district row): a
    hazard no plan names is the general plan's naming no hazard, not a gap;
    ``None`` only where the engine runs no plan."""
    choice = plan_choice(district)
    out: dict[str, str | None] = {}
    for hazard in hazards:
        plan = choice.district_plan_for(hazard, None)
        out[hazard] = None if plan is None else plan.id
    return out


def _incident(scenario: Scenario, incident: Incident) -> dict[str, Any]:
    district = scenario.district
    levels: dict[str, str | None] = {}
    for plan in district.plans_governing(incident.hazard, incident.town):
        level = required_level(plan, incident)
        levels[plan.id] = None if level is None else level.value
    return {
        "id": incident.id,
        "name": incident.name,
        "hazard": incident.hazard,
        "town": incident.town,
        "onset": incident.onset.isoformat(),
        "onset_minutes": scenario.onset_minutes(incident),
        "flags": list(incident.flags),
        "peak": {k: plain(v) for k, v in incident.peak().items()},
        "required_levels": levels,
    }


def _town_plan_items(d: District) -> list[dict[str, Any]]:
    """One row per town: its command, its structured plans and their IV work."""
    commands = {c.town: c.id for c in d.town_commands}
    plans: dict[str, list[Plan]] = {}
    for plan in d.plans:
        if plan.tier is PlanTier.TOWN and plan.town is not None:
            plans.setdefault(plan.town, []).append(plan)
    rows = []
    for town in d.towns:
        own = plans.get(town.id, [])
        tasks = [t for p in own for response in p.levels.values() for t in response.tasks]
        deadlines = [t.deadline for t in tasks if t.deadline is not None]
        structured = {h for p in own for h in p.hazards}
        rows.append(
            {
                "id": town.id,
                "name": town.name,
                "command": commands.get(town.id),
                "general": any(p.kind is PlanKind.GENERAL for p in own),
                "plans": len(own),
                "hazards": len(structured),
                "tasks": len(tasks),
                "first_deadline": min(deadlines) if deadlines else None,
                "hand_back": sum(p.escalation.hand_back for p in own),
                "x_named": len([h for h in town.plan_set.special if h not in structured])
                + len(town.plan_set.other),
            }
        )
    return rows


LIST_KINDS: dict[str, str] = {
    "towns": "streets and towns",
    "committees": "residential and village committees of the towns",
    "units": "member units",
    "commands": "the general HQ and the specialised HQs",
    "channels": "reporting channels",
    "plans": "plans (district and town)",
    "town_plans": "each town's structured plan set (its 1+10+X): command, plans, tasks",
    "hazards": "hazards",
    "duty_rooms": "the district's and the towns' duty rooms",
    "bodies": "the district's committees (安委会, 专委会, 灾防委) and what each coordinates",
    "duties": "the regulated duties (hazard x kind) and who owns each",
    "incidents": "a scenario's incidents",
    "injects": "a scenario's injects",
}
"""What ``cmdsim show PATH --list KIND`` lists, with what each kind is."""

_SCENARIO_KINDS = ("incidents", "injects")


def list_kind(kind: str) -> str:
    """The canonical name of a ``--list`` kind (``duty-rooms`` is ``duty_rooms``).

    Raises :class:`~cmdsim.errors.CmdsimError` naming the valid kinds when
    the model holds no such list, so a typo never prints an empty answer.

    >>> list_kind("duty-rooms")
    'duty_rooms'
    >>> try:
    ...     list_kind("committe")
    ... except CmdsimError as exc:
    ...     print(str(exc).split(";")[0])
    the model holds no list of 'committe' (did you mean 'committees'?)
    """
    name = kind.strip().lower().replace("-", "_")
    if name in LIST_KINDS:
        return name
    import difflib

    close = difflib.get_close_matches(name, list(LIST_KINDS), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise CmdsimError(
        f"the model holds no list of {kind!r}{hint}; valid kinds: {', '.join(LIST_KINDS)}"
    )


def list_ids(obj: District | Scenario, kind: str) -> list[dict[str, Any]]:
    """The ids a scenario may use for one kind of thing, with display names.

    One dict per item in the file's order, each with ``id`` and ``name``
    first and a few facts that tell items apart (a committee's town, a
    channel's kind).  A scenario lists its district's items, and also its
    own ``incidents`` and ``injects``; asking a district for those raises
    :class:`~cmdsim.errors.CmdsimError`, as does an unknown kind.

    >>> from cmdsim.model import Committee, District, Town
    >>> d = District(id="demo", towns=(Town("t1", "East", committees=(Committee("c1", "No. 1"),)),))
    >>> list_ids(d, "committees")
    [{'id': 'c1', 'name': 'No. 1', 'town': 't1', 'kind': 'residential', 'compounds': 1, \
'handbook': True}]
    """
    _check_model(obj, "list_ids")
    kind = list_kind(kind)
    if kind in _SCENARIO_KINDS:
        if not isinstance(obj, Scenario):
            raise CmdsimError(
                f"district {obj.id} has no {kind}: --list {kind} needs a scenario file "
                "(a district lists towns, committees, units, commands, channels, plans, "
                "hazards, duty_rooms, bodies and duties)"
            )
        return _scenario_items(obj, kind)
    district = obj.district if isinstance(obj, Scenario) else obj
    return _district_items(district, kind)


def _district_items(d: District, kind: str) -> list[dict[str, Any]]:
    if kind == "towns":
        return [
            {
                "id": t.id,
                "name": t.name,
                "kind": t.kind.value,
                "committees": len(t.committees),
                "duty_room": None if t.duty_room is None else t.duty_room.id,
            }
            for t in d.towns
        ]
    if kind == "committees":
        return [
            {
                "id": c.id,
                "name": c.name,
                "town": t.id,
                "kind": c.kind.value,
                "compounds": c.compounds,
                "handbook": c.handbook,
            }
            for t in d.towns
            for c in t.committees
        ]
    if kind in ("bodies", "duties"):
        return _bodies_items(d, kind)
    if kind == "units":
        return [{"id": u.id, "name": u.name, "staff": u.staff} for u in d.units]
    if kind == "commands":
        return [
            {"id": c.id, "name": c.name, "general": c.general, "lead_unit": c.lead_unit}
            for c in d.commands
        ]
    if kind == "channels":
        return [
            {"id": c.id, "name": c.name, "kind": c.kind.value, "to": c.to.value} for c in d.channels
        ]
    if kind == "plans":
        return [
            {
                "id": p.id,
                "name": p.name,
                "tier": p.tier.value,
                "town": p.town,
                "hazards": list(p.hazards),
                "lead": p.lead,
            }
            for p in d.plans
        ]
    if kind == "hazards":
        return [{"id": h.id, "name": h.name, "forecastable": h.forecastable} for h in d.hazards]
    if kind == "town_plans":
        return _town_plan_items(d)
    assert kind == "duty_rooms", kind
    return [{"id": d.duty_room.id, "name": d.duty_room.name, "town": None}] + [
        {"id": t.duty_room.id, "name": t.duty_room.name, "town": t.id}
        for t in d.towns
        if t.duty_room is not None
    ]


def _bodies_items(d: District, kind: str) -> list[dict[str, Any]]:
    """The committees of the district (``bodies``) or its responsibility list (``duties``)."""
    if kind == "bodies":
        return [
            {
                "id": b.id,
                "name": b.name,
                "kind": b.kind.value,
                "parent": b.parent,
                "office": b.office,
                "members": len(b.members),
                "hazards": list(b.hazards),
                "commands": list(b.commands),
            }
            for b in d.bodies
        ]
    owners: dict[tuple[str, str], list[str]] = {}
    for line in d.responsibilities:
        for duty_kind in line.kinds:
            owners.setdefault((line.hazard, duty_kind.value), []).append(line.owner)
    return [
        {
            "id": f"{duty.hazard}.{duty_kind.value}",
            "name": "",
            "hazard": duty.hazard,
            "kind": duty_kind.value,
            "owners": owners.get((duty.hazard, duty_kind.value), []),
        }
        for duty in d.duties
        for duty_kind in duty.kinds
    ]


def _scenario_items(s: Scenario, kind: str) -> list[dict[str, Any]]:
    if kind == "incidents":
        return [
            {
                "id": i.id,
                "name": i.name,
                "hazard": i.hazard,
                "town": i.town,
                "onset_minutes": s.onset_minutes(i),
            }
            for i in s.incidents
        ]
    return [
        {
            "id": i.id,
            "name": i.message,
            "at": i.at,
            "to": i.to,
            "hazard": i.hazard,
            "town": i.town,
        }
        for i in s.injects
    ]


__all__ = [
    "LIST_KINDS",
    "describe",
    "level_lead",
    "list_ids",
    "list_kind",
    "summarise",
    "summarise_district",
    "summarise_scenario",
]
