"""Scripted decisions and facilitator injects (``cmdsim drill --script``)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from cmdsim.errors import LoadError, Problem, no_file
from cmdsim.exercise.msel import MselEntry, msel_from_data
from cmdsim.exercise.msel_files import read_yaml, strip_lines
from cmdsim.exercise.msel_places import resolve_places
from cmdsim.exercise.policy import (
    DUTY_ROOM,
    GENERAL_HQ,
    LEAD_HQ,
    ROLES,
    Decision,
    Point,
    as_level,
    hold,
    plan_decision,
    take_over,
)
from cmdsim.model import Inject, Level

_ENTRY_KEYS = ("key", "incident", "role", "level", "activate", "take_over")


def entry_role(entry: Mapping[str, Any]) -> str:
    """The role a script entry answers for: ``role``, the role of its ``key``,
    else the duty room (the only role scripts had before)."""
    if entry.get("role") is not None:
        return str(entry["role"])
    if entry.get("key") is not None:
        return str(entry["key"]).split(":")[0]
    return DUTY_ROOM


def scripted_decision(entry: Mapping[str, Any], point: Point) -> Decision:
    """A script entry's answer at ``point``; ``plan`` or a missing field keeps the plan's."""
    planned = plan_decision(point)
    if point.role == GENERAL_HQ:
        take = entry.get("take_over", "plan")
        return planned if take == "plan" else take_over(point, bool(take))
    level = entry.get("level", "plan")
    if level == "plan":
        chosen = planned.level
    elif level == "hold" and point.role == LEAD_HQ:
        return hold(point)
    else:
        chosen = None if str(level).lower() == "none" else as_level(level)
    activate = entry.get("activate", "plan")
    chosen_activate = planned.activate if activate == "plan" else tuple(str(a) for a in activate)
    return Decision(chosen, chosen_activate)


@attrs.frozen
class Script:
    """Scripted decisions and facilitator injects (``--script FILE``).

    ``decisions`` are consumed in order for each role and incident (an entry
    without ``incident`` matches any; one without ``role`` or ``key`` is the
    duty room's); ``plan`` or a missing field keeps the plan's choice.
    """

    decisions: tuple[Mapping[str, Any], ...] = ()
    injects: tuple[Inject, ...] = ()
    file: str = ""
    lines: tuple[int | None, ...] = ()
    """The line of each decision entry (for a located message)."""
    entries: tuple[MselEntry, ...] = ()
    """The injects with the lines they were read from (for located errors)."""

    def chooser(self) -> ScriptChooser:
        return ScriptChooser(self)

    def problems(self, scenario: Any) -> list[Problem]:
        """Entries that name what the scenario has not: an incident, a
        malformed or impossible ``key``, an HQ to activate.  Such an entry
        could never answer (or would activate nothing), so it is an error
        before the drill runs rather than an entry silently unused."""
        incidents = sorted(i.id for i in scenario.incidents)
        hqs = sorted(c.id for c in scenario.district.commands)
        problems: list[Problem] = []
        for index, entry in enumerate(self.decisions):
            where = f"decisions[{index}]"

            def add(field: str, message: str, where: str = where, index: int = index) -> None:
                problems.append(Problem(message, f"{where}.{field}", self.file, self._line(index)))

            incident = entry.get("incident")
            if incident is not None and str(incident) not in incidents:
                add(
                    "incident",
                    f"no incident {incident!r} in the scenario{_hint(incident, incidents)}",
                )
            key = entry.get("key")
            if key is not None:
                message = _key_problem(str(key), entry, incidents)
                if message:
                    add("key", message)
            activate = entry.get("activate", "plan")
            if isinstance(activate, list):
                for hq in activate:
                    if str(hq) not in hqs:
                        add("activate", f"no HQ {hq!r} in the district{_hint(hq, hqs)}")
        return problems

    def unused(self, chooser: ScriptChooser, points: Sequence[Point]) -> list[Problem]:
        """The decision entries no decision point of the run took, each a
        located problem saying which points of its role the run had."""
        problems: list[Problem] = []
        for index, entry in enumerate(self.decisions):
            if index in chooser.used:
                continue
            role = entry_role(entry)
            asked = [p.key for p in points if p.role == role]
            had = f"it asked {role} at {', '.join(asked)}" if asked else f"{role} was never asked"
            problems.append(
                Problem(
                    f"never used: no decision point of the run matched it ({had})",
                    f"decisions[{index}]",
                    self.file,
                    self._line(index),
                )
            )
        return problems

    def _line(self, index: int) -> int | None:
        return self.lines[index] if index < len(self.lines) else None


class ScriptChooser:
    """Answers each played decision point from the first script entry not
    used yet that matches its key, incident and role; :attr:`used` holds
    the entries taken."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.used: set[int] = set()

    def __call__(self, point: Point) -> Decision | None:
        for index, entry in enumerate(self.script.decisions):
            if index in self.used:
                continue
            if entry.get("key") not in (None, point.key):
                continue
            if entry.get("incident") not in (None, point.incident):
                continue
            if entry_role(entry) != point.role:
                continue
            self.used.add(index)
            return scripted_decision(entry, point)
        return None


def _hint(value: Any, pool: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(value), pool, n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


def _key_problem(key: str, entry: Mapping[str, Any], incidents: Sequence[str]) -> str | None:
    """Why a decision point key (``role:incident:n``) can name no point."""
    parts = key.split(":")
    if len(parts) != 3:
        return f"{key!r} is not role:incident:n (e.g. duty-room:{incidents[0]}:1)"
    role, incident, n = parts
    if role not in ROLES:
        return f"{key!r}: unknown role {role!r} (roles: {', '.join(ROLES)})"
    if entry.get("role") is not None and str(entry["role"]) != role:
        return f"{key!r} is a {role} point, but the entry's role is {entry['role']}"
    if role == GENERAL_HQ:
        if incident != "-":
            return f"{key!r}: the general HQ's points concern no incident: general-hq:-:n"
    elif incident not in incidents:
        return f"{key!r}: no incident {incident!r} in the scenario{_hint(incident, incidents)}"
    if entry.get("incident") is not None and str(entry["incident"]) != incident:
        return f"{key!r} is a point of {incident}, but the entry's incident is {entry['incident']}"
    if not n.isdigit() or int(n) < 1:
        return f"{key!r}: n counts the role's decisions for the incident from 1"
    return None


def _entry_problems(entry: Mapping[str, Any], where: str, file: str) -> list[Problem]:
    problems: list[Problem] = []
    for key in entry:
        if key not in _ENTRY_KEYS:
            known = ", ".join(_ENTRY_KEYS)
            problems.append(
                Problem(f"unknown key {key!r} (known: {known})", f"{where}.{key}", file)
            )
    role = entry_role(entry)
    if role not in ROLES:
        problems.append(
            Problem(f"unknown role {role!r} (roles: {', '.join(ROLES)})", f"{where}.role", file)
        )
    allowed = {
        DUTY_ROOM: ("level", "activate"),
        GENERAL_HQ: ("take_over",),
        LEAD_HQ: ("level",),
    }.get(role, ())
    for key in ("level", "activate", "take_over"):
        if key in entry and key not in allowed:
            problems.append(
                Problem(f"{key} is not a decision of the role {role}", f"{where}.{key}", file)
            )
    level = entry.get("level", "plan")
    if level == "hold" and role != LEAD_HQ:
        problems.append(Problem("level: hold is for the lead-hq role", f"{where}.level", file))
    elif level not in ("plan", "none", "hold", None):
        try:
            Level.parse(str(level))
        except ValueError as exc:
            problems.append(Problem(str(exc), f"{where}.level", file))
    activate = entry.get("activate", "plan")
    if activate != "plan" and not isinstance(activate, list):
        problems.append(
            Problem("activate is a list of HQ ids or 'plan'", f"{where}.activate", file)
        )
    if entry.get("take_over", "plan") not in ("plan", True, False):
        problems.append(Problem("take_over is yes, no or 'plan'", f"{where}.take_over", file))
    return problems


def load_script(path: str | Path, start: Any = None, district: Any = None) -> Script:
    """A script from YAML or JSON: ``{decisions: [...], injects: [...]}``.

    With a ``district`` its injects' hazards and towns may be given by name,
    as in an MSEL (:func:`cmdsim.exercise.msel_places.resolve_places`)."""
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise LoadError([no_file(path, "script file")])
    # Each mapping comes with its line (``__line__``) for the messages.
    data = read_yaml(path) or {}
    if not isinstance(data, dict):
        raise LoadError(
            [Problem("a script is a mapping with 'decisions' and 'injects'", file=file)]
        )
    problems: list[Problem] = []
    for key in data:
        if key not in ("decisions", "injects", "__line__"):
            problems.append(
                Problem(f"unknown key {key!r} (known: decisions, injects)", str(key), file)
            )
    decisions: list[Mapping[str, Any]] = []
    lines: list[int | None] = []
    for index, entry in enumerate(data.get("decisions") or []):
        where = f"decisions[{index}]"
        if not isinstance(entry, dict):
            problems.append(Problem("a decision is a mapping", where, file))
            continue
        line = entry.get("__line__")
        entry = strip_lines(entry)
        problems.extend(
            attrs.evolve(problem, line=line) for problem in _entry_problems(entry, where, file)
        )
        decisions.append(entry)
        lines.append(line)
    entries: tuple[MselEntry, ...] = ()
    if data.get("injects"):
        try:
            msel = msel_from_data({"injects": data["injects"]}, file=file, start=start)
            entries = (msel if district is None else resolve_places(msel, district)).entries
        except LoadError as exc:
            problems.extend(exc.problems)
    if not problems and not decisions and not entries:
        # An empty file (or `decisions: []` alone) ran the drill with the
        # plan's rule deciding for every played role: a --script with no
        # effect, said nowhere.
        problems.append(
            Problem(
                "the script holds no decisions and no injects, so it would change nothing "
                "(the plan's rule would decide for every played role): write its "
                "'decisions', or leave --script out",
                file=file,
            )
        )
    if problems:
        raise LoadError(problems)
    injects = tuple(e.inject for e in entries)
    return Script(
        decisions=tuple(decisions),
        injects=injects,
        file=file,
        lines=tuple(lines),
        entries=entries,
    )


def script_roles(script: Script) -> tuple[str, ...]:
    """The roles a script decides for, in the order they first appear."""
    return tuple(dict.fromkeys(entry_role(entry) for entry in script.decisions))


def check_played(script: Script, play: tuple[str, ...], where: str) -> None:
    """A script that decides for a role nobody plays is an error: its entries
    would be silently unused (the plan's rule decides for that role)."""
    roles = script_roles(script)
    missing = [role for role in roles if role not in play]
    if missing:
        from cmdsim.errors import ScenarioError

        plural = "s" if len(roles) > 1 else ""
        raise ScenarioError(
            f"{where} decides for the role{plural} {', '.join(roles)}, but "
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not played "
            f"(add --play {','.join(dict.fromkeys((*play, *roles)))})"
        )
