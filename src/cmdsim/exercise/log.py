"""The exercise log: what it records of an exercise (the spec that replays
it, the facts and the improvement plan) and how it is read back."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from cmdsim.errors import LoadError, ModelError, Problem, no_file
from cmdsim.exercise.criteria import Criterion, criterion_from_data
from cmdsim.exercise.msel import Msel, msel_from_data, msel_to_data
from cmdsim.exercise.policy import ROLES, Decision, as_level
from cmdsim.jsonlines import read_jsonl
from cmdsim.model import Inject, Level
from cmdsim.version import cmdsim_version

LOG_VERSION = 1


@attrs.frozen
class ExerciseSpec:
    """Everything that determines an exercise: replaying it needs only this."""

    scenario_path: str
    scenario_id: str
    seed: int
    play: tuple[str, ...]
    msel: Msel
    added: tuple[Inject, ...] = ()
    decisions: Mapping[str, tuple[float, Decision, str]] = attrs.field(factory=dict)
    facts: ExerciseFacts | None = None
    improvements: tuple[Improvement, ...] = ()
    scenario_file: str = attrs.field(default="", eq=False)
    """Where the scenario file is now, when it is not ``scenario_path`` from
    the working directory (a replay run from another folder than the
    exercise): the header's ``scenario_relative`` is made from it."""


@attrs.frozen
class Participant:
    """Someone who took part: a name and the role they played or observed."""

    name: str
    role: str = ""


@attrs.frozen
class ExerciseFacts:
    """The facts of an exercise the facilitator records for the report
    (log record ``exercise_facts``; the last one recorded stands)."""

    date: str = ""
    place: str = ""
    participants: tuple[Participant, ...] = ()
    notes: tuple[str, ...] = ()

    def to_record(self) -> dict[str, Any]:
        """The ``exercise_facts`` log record."""
        return {
            "type": "exercise_facts",
            "date": self.date,
            "place": self.place,
            "participants": [{"name": p.name, "role": p.role} for p in self.participants],
            "notes": list(self.notes),
        }

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> ExerciseFacts:
        """The facts an ``exercise_facts`` record holds."""
        return cls(
            date=str(data.get("date") or ""),
            place=str(data.get("place") or ""),
            participants=tuple(
                Participant(str(p.get("name") or ""), str(p.get("role") or ""))
                for p in data.get("participants") or ()
                if isinstance(p, Mapping)
            ),
            notes=tuple(str(n) for n in data.get("notes") or ()),
        )


@attrs.frozen
class Improvement:
    """One item of the improvement plan, in the HSEEP manner (log record
    ``improvement``): the issue found, its corrective action, the plan clause
    or capability it concerns, the responsible unit and the due date."""

    issue: str
    action: str = ""
    clause: str = ""
    unit: str = ""
    due: str = ""

    def to_record(self) -> dict[str, Any]:
        """The ``improvement`` log record."""
        return {"type": "improvement", **self.fields()}

    def fields(self) -> dict[str, str]:
        """The item's fields by their log names."""
        return {
            "issue": self.issue,
            "action": self.action,
            "clause": self.clause,
            "unit": self.unit,
            "due": self.due,
        }

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> Improvement:
        """The item an ``improvement`` (or ``improvement_edit``) record holds."""
        return cls(**{k: str(data.get(k) or "") for k in IMPROVEMENT_FIELDS})


IMPROVEMENT_FIELDS = ("issue", "action", "clause", "unit", "due")


def facts_from_records(records: Sequence[Mapping[str, Any]]) -> ExerciseFacts | None:
    """The exercise facts a log records: its last ``exercise_facts`` record."""
    found = [r for r in records if r.get("type") == "exercise_facts"]
    return ExerciseFacts.from_record(found[-1]) if found else None


def improvements_from_records(records: Sequence[Mapping[str, Any]]) -> tuple[Improvement, ...]:
    """The improvement plan a log records, in order.

    A finished log holds one ``improvement`` record per item.  A log still
    being written by ``cmdsim serve`` also holds ``improvement_edit`` records
    (``index`` and the item's fields, or ``removed: true``), each applying to
    the items before it; the finished log keeps only the result.
    """
    items: list[Improvement] = []
    for record in records:
        kind = record.get("type")
        if kind == "improvement":
            items.append(Improvement.from_record(record))
        elif kind == "improvement_edit":
            # ``index`` counts the items as they were then, after earlier removals
            index = record.get("index")
            if not isinstance(index, int) or not 0 <= index < len(items):
                continue
            if record.get("removed"):
                del items[index]
            else:
                items[index] = Improvement.from_record(record)
    return tuple(items)


def dumps(record: Mapping[str, Any]) -> str:
    """One log line: JSON with sorted keys, UTF-8 as is, no spaces, newline."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def header_record(
    spec: ExerciseSpec, digest: str, log_path: str | Path | None = None, lang: str = "en"
) -> dict[str, Any]:
    """The first line of a log: what the exercise runs.  With ``log_path``
    (where the log is written) it also records the scenario's path from the
    log's own folder, so a report or a replay finds it from anywhere; a
    ``lang`` other than ``en``, the language the console spoke (the log
    keeps the engine's words whatever it was)."""
    header = {
        "type": "exercise",
        "version": LOG_VERSION,
        "scenario": spec.scenario_path,
        "scenario_id": spec.scenario_id,
        "scenario_digest": digest,
        # which engine ran it: a replay that differs says which versions
        "cmdsim": cmdsim_version(),
        "seed": spec.seed,
        "play": list(spec.play),
        "msel": msel_to_data(spec.msel),
    }
    if log_path is not None:
        import os

        folder = Path(log_path).resolve().parent
        source = Path(spec.scenario_file or spec.scenario_path)
        relative = os.path.relpath(source.resolve(), folder)
        header["scenario_relative"] = Path(relative).as_posix()
    if lang != "en":
        header["lang"] = lang
    return header


def inject_record(inject: Inject) -> dict[str, Any]:
    """An inject the facilitator added (or fired early)."""
    return {
        "type": "inject",
        "time": inject.at,
        "inject": _inject_data(inject),
        "by": "facilitator",
    }


def decision_record(key: str, time: float, decision: Decision, by: str) -> dict[str, Any]:
    """A decision taken at the point ``key`` (``by``: human, script or plan)."""
    role, incident = key.split(":")[0], key.split(":")[1]
    return {
        "type": "decision",
        "time": time,
        "key": key,
        "role": role,
        "incident": None if incident == "-" else incident,
        "level": decision.level.value if decision.level else None,
        "activate": list(decision.activate),
        "by": by,
        **({"choice": decision.choice} if decision.choice else {}),
        **({"rationale": decision.rationale} if decision.rationale else {}),
        **({"player": decision.player} if decision.player else {}),
    }


def spec_records(
    spec: ExerciseSpec, digest: str, log_path: str | Path | None = None, lang: str = "en"
) -> list[dict[str, Any]]:
    """The records of a log that make its spec: header, added injects,
    decisions by time, the exercise facts and the improvement plan."""
    records = [header_record(spec, digest, log_path, lang)]
    records += [inject_record(inject) for inject in spec.added]
    ordered = sorted(spec.decisions.items(), key=lambda kv: (kv[1][0], kv[0]))
    records += [decision_record(key, t, d, by) for key, (t, d, by) in ordered]
    if spec.facts is not None:
        records.append(spec.facts.to_record())
    records += [item.to_record() for item in spec.improvements]
    return records


def _inject_data(inject: Inject) -> dict[str, Any]:
    return {
        "id": inject.id,
        "at": inject.at,
        "from": inject.source,
        "to": inject.to,
        "channel": inject.channel,
        "message": inject.message,
        "expect": inject.expect,
        "objective": inject.objective,
        "hazard": inject.hazard,
        "town": inject.town,
        "level": inject.level.value if inject.level else None,
        **({"figures": dict(inject.figures)} if inject.figures else {}),
    }


def inject_from_data(data: Mapping[str, Any]) -> Inject:
    """The inject an ``inject`` record holds (its ``inject`` mapping)."""
    return Inject(
        id=str(data["id"]),
        at=float(data["at"]),
        source=str(data.get("from") or ""),
        to=str(data.get("to") or "district_duty_room"),
        channel=data.get("channel"),
        message=str(data.get("message") or ""),
        expect=str(data.get("expect") or ""),
        objective=str(data.get("objective") or ""),
        hazard=data.get("hazard"),
        town=data.get("town"),
        level=Level.parse(data["level"]) if data.get("level") else None,
        figures=dict(data.get("figures") or {}),
    )


def read_log(path: str | Path) -> list[dict[str, Any]]:
    """The records of an exercise log, its header checked."""
    path = Path(path)
    if not path.is_file():
        raise LoadError([no_file(path, "exercise log")])
    records = read_jsonl(path)
    check_log(records, path)
    return records


def check_log(records: Sequence[Mapping[str, Any]], path: str | Path) -> None:
    """The checks :func:`read_log` makes of a log's ``records`` (read from
    ``path``): the header first, of this version, and what a replay needs of
    each record (:data:`LOG_FIELDS`), each problem at its line and field."""
    if not records or records[0].get("type") != "exercise":
        raise LoadError(
            [Problem("not an exercise log (no exercise header)", file=str(path), line=1)]
        )
    if records[0].get("version") != LOG_VERSION:
        raise LoadError(
            [
                Problem(
                    f"exercise log version {records[0].get('version')!r} is not {LOG_VERSION}",
                    file=str(path),
                    line=1,
                )
            ]
        )
    problems = _play_problems(records[0], str(path))
    items = 0  # the improvement plan's length so far, for an edit's index
    first: dict[str, int] = {}  # each decision point's first record
    for number, record in enumerate(records, start=1):
        kind = record.get("type")
        if kind not in LOG_FIELDS and kind != "end":
            known = ", ".join(sorted((*LOG_FIELDS, "end")))
            problems.append(
                Problem(f"unknown record type {kind!r} (known: {known})", "type", str(path), number)
            )
            continue
        for field, types in LOG_FIELDS.get(str(kind), ()):
            value = record.get(field)
            if value is None or value == "":
                why = _NEEDED.get(field, "")
                problems.append(Problem(f"missing ({kind} record){why}", field, str(path), number))
            elif not isinstance(value, types) or isinstance(value, bool):
                problems.append(
                    Problem(
                        f"expected {_type_names(types)} ({kind} record)",
                        path=field,
                        file=str(path),
                        line=number,
                    )
                )
        if kind == "inject" and isinstance(record.get("inject"), dict):
            problems += _inject_field_problems(record["inject"], str(path), number)
        elif kind == "decision":
            problems += _decision_problems(record, str(path), number)
        if kind == "decision" and isinstance(record.get("key"), str):
            # a second answer at one point would replace the first unseen (an
            # inject may be logged twice: added, then fired early)
            seen = first.setdefault(record["key"], number)
            if seen != number:
                problems.append(
                    Problem(
                        f"a decision at {record['key']!r} is recorded already, at line {seen}",
                        "key",
                        str(path),
                        number,
                    )
                )
        elif kind == "improvement":
            items += 1
        elif kind == "improvement_edit" and isinstance(record.get("index"), int):
            # an edit of an item that is not there would be dropped unseen
            if not 0 <= record["index"] < items:
                problems.append(
                    Problem(
                        f"no improvement item {record['index']} (the plan has {items} then)",
                        "index",
                        str(path),
                        number,
                    )
                )
            elif record.get("removed"):
                items -= 1
    if problems:
        raise LoadError(problems)


def _play_problems(head: Mapping[str, Any], file: str) -> list[Problem]:
    play = head.get("play")
    if play is None:
        return []
    if not isinstance(play, list) or not all(isinstance(r, str) for r in play):
        return [Problem("expected a list of roles (exercise record)", "play", file, 1)]
    return [
        Problem(f"unknown role {role!r} (roles: {', '.join(ROLES)})", "play", file, 1)
        for role in play
        if role not in ROLES
    ]


def _decision_problems(record: Mapping[str, Any], file: str, line: int) -> list[Problem]:
    """What a replay needs of a ``decision`` record beyond its types: a key
    ``ROLE:INCIDENT:N`` of a known role, a level, a list of HQs."""
    problems: list[Problem] = []
    key = record.get("key")
    if isinstance(key, str):
        parts = key.split(":")
        if len(parts) != 3 or parts[0] not in ROLES or not parts[2].isdigit():
            problems.append(
                Problem(
                    f"{key!r} is not a decision point ROLE:INCIDENT:N (roles: {', '.join(ROLES)})",
                    "key",
                    file,
                    line,
                )
            )
    level = record.get("level")
    if level is not None:
        try:
            as_level(level)
        except ValueError as exc:
            problems.append(Problem(str(exc), "level", file, line))
    activate = record.get("activate")
    if activate is not None and (
        not isinstance(activate, list) or not all(isinstance(a, str) for a in activate)
    ):
        problems.append(
            Problem("expected a list of HQ ids (decision record)", "activate", file, line)
        )
    return problems


_MSEL_KEYS = (("id", "id"), ("time", "at"), ("from", "from"), ("to", "to"), ("message", "message"))
"""An MSEL inject's YAML keys and the header's names for them."""


def _criterion(data: Any, index: int) -> Criterion:
    try:
        return criterion_from_data(data)
    except ModelError as exc:
        where = f"criteria[{index}]" + (f".{exc.path}" if exc.path else "")
        raise LoadError([Problem(exc.message, where)]) from None


_NEEDED = {
    "scenario": ": the scenario file the exercise ran, which a replay and a report need",
}
"""Why a header field a log lacks is needed, where it is not plain."""


def _inject_field_problems(data: Mapping[str, Any], file: str, line: int) -> list[Problem]:
    """What a replay needs of an ``inject`` record's inject: a hand-edited
    one is a located message (``inject.at``), never a traceback."""
    problems: list[Problem] = []
    for field, types, required in INJECT_FIELDS:
        value = data.get(field)
        if value is None and not required:
            continue
        if not isinstance(value, types) or isinstance(value, bool):
            what = "missing" if value is None else f"expected {_type_names(types)}"
            problems.append(Problem(f"{what} (inject record)", f"inject.{field}", file, line))
    at = data.get("at")
    if isinstance(at, int | float) and not isinstance(at, bool) and not 0 <= at < math.inf:
        problems.append(Problem(f"{at!r} is not 0 or more minutes", "inject.at", file, line))
    level = data.get("level")
    if isinstance(level, str) and level:
        try:
            Level.parse(level)
        except ValueError as exc:
            problems.append(Problem(str(exc), "inject.level", file, line))
    return problems


INJECT_FIELDS: tuple[tuple[str, type | tuple[type, ...], bool], ...] = (
    ("id", str, True),
    ("at", (int, float), True),
    ("message", str, False),
    ("from", str, False),
    ("to", str, False),
    ("channel", str, False),
    ("hazard", str, False),
    ("town", str, False),
    ("level", str, False),
    ("figures", dict, False),
)
"""An ``inject`` record's inject: field, type, whether it must be there."""


LOG_FIELDS: dict[str, tuple[tuple[str, type | tuple[type, ...]], ...]] = {
    "exercise": (("scenario", str), ("seed", int)),
    "decision": (("key", str), ("time", (int, float))),
    "inject": (("inject", dict), ("time", (int, float))),
    "event": (("event", dict),),
    "exercise_facts": (("participants", list), ("notes", list)),
    "improvement": (("issue", str),),
    "improvement_edit": (("index", int),),
    "clock": (("time", (int, float)),),
}
"""What a replay needs of each record of a log, by record type (a hand-edited
log gets a located message, not a traceback)."""


def _type_names(types: type | tuple[type, ...]) -> str:
    found = types if isinstance(types, tuple) else (types,)
    if float in found:
        return "a number"
    names = {"str": "text", "int": "a whole number", "dict": "a mapping"}
    return " or ".join(names.get(t.__name__, t.__name__) for t in found)


def spec_from_log(records: Sequence[Mapping[str, Any]], file: str = "<log>") -> ExerciseSpec:
    """The exercise spec a log records: replaying it gives the same log.

    ``records`` as :func:`read_log` gives them (checked); ``file`` names the
    log in the errors of its header's MSEL, which are at its line 1
    (``msel.injects[0].id``), never a traceback."""
    head = records[0]
    msel_data = head.get("msel") or {}
    raw = msel_data.get("injects") if isinstance(msel_data, Mapping) else None
    if not isinstance(msel_data, Mapping) or not isinstance(raw or [], list):
        what = "msel" if not isinstance(msel_data, Mapping) else "msel.injects"
        kind = "a mapping" if what == "msel" else "a list"
        raise LoadError([Problem(f"expected {kind} (exercise record)", what, file, 1)])
    logged = [i for i in raw or [] if isinstance(i, Mapping)]
    unnamed = [
        Problem(
            "missing (exercise record: the log names every inject)",
            f"msel.injects[{n}].id",
            file,
            1,
        )
        for n, i in enumerate(logged)
        if not isinstance(i.get("id"), str) or not i["id"]
    ]
    if unnamed:
        raise LoadError(unnamed)
    injects = [
        {
            **{k: i.get(f) for k, f in _MSEL_KEYS if i.get(f) is not None},
            **{k: i[k] for k in ("expect", "objective", "hazard", "town", "level") if i.get(k)},
            **({"method": i["method"]} if i.get("method") else {}),
            **({"figures": i["figures"]} if i.get("figures") else {}),
        }
        for i in logged
    ]
    try:
        msel = msel_from_data({"name": msel_data.get("name") or "", "injects": injects}, file=file)
        criteria: tuple[Criterion, ...] = tuple(
            _criterion(c, index) for index, c in enumerate(msel_data.get("criteria") or [])
        )
    except LoadError as exc:
        # the header is one line: every problem of its MSEL is at line 1
        problems = [Problem(p.message, f"msel.{p.path}", file, 1) for p in exc.problems]
        raise LoadError(problems) from None
    if len(logged) != len(raw or []):
        raise LoadError(
            [Problem("an inject is a mapping (exercise record)", "msel.injects", file, 1)]
        )
    # keep the original time text (it is part of the log)
    by_id = {str(i.get("id")): i for i in logged}
    entries = tuple(
        attrs.evolve(e, time=str(by_id[e.inject.id].get("time") or ""), line=None)
        for e in msel.entries
    )
    msel = Msel(entries=entries, criteria=criteria, name=msel.name)
    added = tuple(inject_from_data(r["inject"]) for r in records if r.get("type") == "inject")
    decisions = {
        str(r["key"]): (
            float(r["time"]),
            Decision(
                as_level(r.get("level")),
                tuple(r.get("activate") or ()),
                r.get("choice") or None,
                str(r.get("rationale") or ""),
                str(r.get("player") or ""),
            ),
            str(r.get("by") or "human"),
        )
        for r in records
        if r.get("type") == "decision"
    }
    return ExerciseSpec(
        scenario_path=str(head["scenario"]),
        scenario_id=str(head.get("scenario_id") or ""),
        seed=int(head["seed"]),
        play=tuple(head.get("play") or ()),
        msel=msel,
        added=added,
        decisions=decisions,
        facts=facts_from_records(records),
        improvements=improvements_from_records(records),
    )
