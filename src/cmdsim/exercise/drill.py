"""The drill driver: runs a scenario with an MSEL, takes the decisions of the
roles people play, evaluates the criteria, and writes the exercise log that
replays the exercise exactly.

The simulation is a pure function of (scenario, seed, injects, decisions):
the driver re-runs it from the start whenever a decision or an inject is
added, and shows the prefix up to the exercise clock.  Events before a
decision cannot depend on it, so the prefix a player has seen never changes,
and the engine needs no pause/resume: only a decision hook (``decisions`` in
the engine's options, asked at each decision point of the roles in
:data:`ROLES`: where the duty room decides a level and the HQs to activate,
where the general HQ may take over, where a lead HQ's reassessment would
move the level).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from cmdsim.errors import LoadError, Problem, ScenarioError
from cmdsim.exercise.criteria import Criterion, Status, Verdict, criterion_from_data, evaluate
from cmdsim.exercise.msel import Msel, msel_from_data, msel_to_data, resolve_channels
from cmdsim.jsonlines import read_jsonl
from cmdsim.model import Inject, Level, Scenario

LOG_VERSION = 1

DUTY_ROOM, GENERAL_HQ, LEAD_HQ = "duty-room", "general-hq", "lead-hq"
ROLES = (DUTY_ROOM, GENERAL_HQ, LEAD_HQ)
"""Roles people can play.

``duty-room``: the district duty room's choice of the level to declare and of
the HQs to activate.  ``general-hq``: the general HQ's commander, when the
general plan's takeover rule holds: take over coordination now or decline
(asked again when the situation escalates).  ``lead-hq``: the lead HQ's
commander at reassessment, where the plan's rule would move the level:
request the escalation or hold; lower the level (or close the response) or
hold.
"""

Event = dict[str, Any]


@attrs.frozen
class Decision:
    """What a player decided at a decision point.

    ``duty-room``: the level and the HQs to activate.  ``general-hq``: the
    general HQ in ``activate`` takes over, none declines.  ``lead-hq``: the
    level (see :func:`cmdsim.sim.decision.lead_choice`).  ``choice`` names the
    answer of a ``general-hq`` or ``lead-hq`` decision (``take_over``,
    ``decline``; ``request``, ``lower``, ``close``, ``hold``).
    """

    level: Level | None
    activate: tuple[str, ...]
    choice: str | None = None


@attrs.frozen
class Point:
    """A decision point as the driver sees it (copied from the engine's)."""

    key: str
    role: str
    time: float
    incident: str | None
    level: Level | None
    activate: tuple[str, ...]
    known: Mapping[str, Any] = attrs.field(factory=dict)
    plan: str | None = None
    current: Level | None = None


Chooser = Callable[[Point], Decision | None]
"""Asked for a decision a played role must take; ``None`` accepts the plan's."""


class Runner(Protocol):
    """Runs one simulation: ``(scenario, seed, policy) -> event records``."""

    def __call__(self, scenario: Scenario, seed: int, policy: Any) -> list[Event]: ...


class NeedDecision(Exception):
    """Raised inside a run when a played role reaches an undecided point."""

    def __init__(self, point: Point) -> None:
        # SimPy re-raises a failed process's exception as type(exc)(*exc.args):
        # the point must be the only argument to survive that.
        super().__init__(point)
        self.point = point


def _level(value: Any) -> Level | None:
    if value is None or isinstance(value, Level):
        return value
    return Level.parse(str(getattr(value, "value", value)))


class Policy:
    """The ``decisions`` object handed to the engine.

    The engine calls :meth:`decide` with its decision point; the policy
    numbers the points per role and incident, answers from the recorded
    decisions (or the chooser, for a played role), and returns ``None`` to
    let the plan's rule stand.
    """

    def __init__(
        self,
        play: Iterable[str],
        recorded: Mapping[str, Decision],
        chooser: Chooser | None,
    ) -> None:
        self.play = set(play)
        self.recorded = dict(recorded)
        self.chooser = chooser
        self.counts: dict[tuple[str, str | None], int] = {}
        self.points: list[Point] = []
        self.taken: dict[str, Decision] = {}

    def point_of(self, raw: Any) -> Point:
        role = str(getattr(raw, "role", "duty-room"))
        incident = getattr(raw, "incident", None)
        incident = None if incident is None else str(incident)
        n = self.counts.get((role, incident), 0) + 1
        self.counts[(role, incident)] = n
        return Point(
            key=f"{role}:{incident or '-'}:{n}",
            role=role,
            time=float(getattr(raw, "time", 0.0)),
            incident=incident,
            level=_level(getattr(raw, "level", None)),
            activate=tuple(str(a) for a in getattr(raw, "activate", ()) or ()),
            known=dict(getattr(raw, "known", {}) or {}),
            plan=getattr(raw, "plan", None),
            current=_level(getattr(raw, "current", None)),
        )

    def decide(self, raw: Any) -> Decision | None:
        point = self.point_of(raw)
        self.points.append(point)
        if point.role not in self.play:
            return None
        decision = self.recorded.get(point.key)
        if decision is None and self.chooser is not None:
            decision = self.chooser(point)
        decision = with_choice(point, decision or plan_decision(point))
        self.taken[point.key] = decision
        return decision


def plan_decision(point: Point) -> Decision:
    """The plan's own answer at ``point`` (what Enter or ``plan`` keeps)."""
    return Decision(None if point.role == GENERAL_HQ else point.level, point.activate)


def hold(point: Point) -> Decision:
    """The lead HQ keeps the level it has (``lead-hq``)."""
    return Decision(point.current, ())


def take_over(point: Point, take: bool) -> Decision:
    """The general HQ takes over now or declines (``general-hq``)."""
    return Decision(None, point.activate if take else ())


def with_choice(point: Point, decision: Decision) -> Decision:
    """``decision`` with the ``choice`` it means at ``point`` (none for the duty room)."""
    if point.role == GENERAL_HQ:
        taken = any(command in decision.activate for command in point.activate)
        return attrs.evolve(decision, choice="take_over" if taken else "decline")
    if point.role == LEAD_HQ and point.current is not None:
        from cmdsim.sim.decision import lead_choice

        choice = lead_choice(point.level, point.current, decision.level)
        return attrs.evolve(decision, activate=(), choice=choice)
    return decision


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


def inject_event(inject: Inject, by: str = "msel") -> Event:
    """The event record of an inject firing (the criteria and the log see it)."""
    details: dict[str, Any] = {
        "inject": inject.id,
        "text": inject.message,
        "from": inject.source,
        "to": inject.to,
        "by": by,
    }
    for key in ("channel", "hazard", "town", "expect", "objective"):
        value = getattr(inject, key)
        if value:
            details[key] = value
    if inject.level is not None:
        details["level"] = inject.level.value
    return {
        "time": inject.at,
        "actor": inject.source or "facilitator",
        "kind": "inject",
        "incident": None,
        "details": details,
    }


def decision_event(key: str, time: float, decision: Decision, by: str, role: str) -> Event:
    incident = key.split(":")[1]
    return {
        "time": time,
        "actor": role,
        "kind": "decision",
        "incident": None if incident == "-" else incident,
        "details": {
            "key": key,
            "level": decision.level.value if decision.level else None,
            "activate": list(decision.activate),
            "by": by,
            "text": decision_text(decision),
            **({"choice": decision.choice} if decision.choice else {}),
        },
    }


_CHOICE_TEXT = {
    "take_over": "take over coordination now",
    "decline": "decline the takeover for now",
    "request": "request escalation (the duty room decides)",
    "hold": "hold the level",
    "close": "close the response",
}


def decision_text(decision: Decision) -> str:
    """One line for a decision, as the console and the log show it."""
    level = decision.level.value if decision.level else "none"
    if decision.choice == "lower":
        return f"lower the level to {level}"
    if decision.choice is not None:
        return _CHOICE_TEXT.get(decision.choice, decision.choice)
    return f"level {level}; activate {', '.join(decision.activate) or 'none'}"


class Exercise:
    """One drill: the spec, a runner, and the projection of the run so far."""

    def __init__(self, scenario: Scenario, spec: ExerciseSpec, runner: Runner) -> None:
        self.base = scenario
        self.spec = spec
        self.runner = runner
        self.events: list[Event] = []
        self.pending: Point | None = None
        self.points: list[Point] = []

    # -- the projection -------------------------------------------------------

    def scenario(self) -> Scenario:
        """The scenario with the MSEL's and the facilitator's injects.

        An MSEL inject with the id of one of the scenario's own injects
        replaces it (fields the MSEL leaves empty keep the scenario's
        values); the others are added.  A hazard or town the district does
        not have is an error.
        """
        msel = resolve_channels(self.spec.msel, self.base.district.channels)
        own = {i.id: i for i in self.base.injects}
        channels = {c.id for c in self.base.district.channels}
        hazards = {h.id for h in self.base.district.hazards}
        towns = {t.id for t in self.base.district.towns}
        merged: dict[str, Inject] = dict(own)
        for inject in (*msel.injects, *self.spec.added):
            for what, value, known in (
                ("hazard", inject.hazard, hazards),
                ("town", inject.town, towns),
            ):
                if value is not None and value not in known:
                    raise ScenarioError(
                        f"inject {inject.id!r}: unknown {what} {value!r} "
                        f"(known: {', '.join(sorted(known))})"
                    )
            channel = inject.channel if inject.channel in channels else None
            base = own.get(inject.id)
            if base is None:
                merged[inject.id] = attrs.evolve(inject, channel=channel)
                continue
            merged[inject.id] = attrs.evolve(
                base,
                at=inject.at,
                message=inject.message or base.message,
                source=inject.source or base.source,
                to=inject.to or base.to,
                channel=channel or base.channel,
                hazard=inject.hazard or base.hazard,
                town=inject.town or base.town,
                level=inject.level or base.level,
                expect=inject.expect or base.expect,
                objective=inject.objective or base.objective,
            )
        injects: Any = tuple(merged.values())
        return attrs.evolve(self.base, injects=injects)

    def recorded_policy(self) -> Policy:
        """The decisions recorded so far, and the plan's rule at every other point:
        with :meth:`scenario`, what replays the exercise through the engine."""
        recorded = {key: d for key, (_t, d, _by) in self.spec.decisions.items()}
        return Policy(self.spec.play, recorded, None)

    def project(self, chooser: Chooser | None = None, by: str = "human") -> None:
        """Run with every decision known so far.

        With a ``chooser`` the run completes, asking it at each undecided
        point of a played role.  Without one, the run stops at the first such
        point: :attr:`pending` is then that point and :attr:`events` the run
        (with the plan's rule taken there) up to it.
        """
        recorded = {key: d for key, (_t, d, _by) in self.spec.decisions.items()}

        def stop(point: Point) -> Decision | None:
            raise NeedDecision(point)

        policy = Policy(self.spec.play, recorded, chooser if chooser is not None else stop)
        scenario = self.scenario()
        self.pending = None
        try:
            events = self.runner(scenario, self.spec.seed, policy)
        except NeedDecision as need:
            self.pending = need.point
            full = self.recorded_policy()
            events = self.runner(scenario, self.spec.seed, full)
            # strictly before: what the engine logs at the point itself
            # already follows the plan's choice, not the player's
            events = [e for e in events if float(e["time"]) < need.point.time]
            policy = full
        if chooser is not None:
            for key, decision in policy.taken.items():
                if key not in self.spec.decisions:
                    point = next(p for p in policy.points if p.key == key)
                    self.decide(point, decision, by=by)
        self.points = policy.points
        self.events = self._merge(events, scenario)
        if self.pending is not None:
            cut = self.pending.time
            self.events = [
                e
                for e in self.events
                if float(e["time"]) < cut or (e["kind"] == "inject" and float(e["time"]) == cut)
            ]

    def _merge(self, events: Sequence[Event], scenario: Scenario) -> list[Event]:
        # The engine logs injects and the players' decisions itself; for a
        # runner that does not, they are added here so criteria can see them.
        logged = {e["kind"] for e in events}
        added = {i.id for i in self.spec.added}
        fired = [
            inject_event(i, "facilitator" if i.id in added else "msel")
            for i in scenario.injects
            if "inject" not in logged
        ]
        made = [
            decision_event(key, t, d, by, key.split(":")[0])
            for key, (t, d, by) in self.spec.decisions.items()
            if "decision" not in logged
        ]
        merged = [*fired, *made, *events]
        indexed = sorted(
            enumerate(merged), key=lambda pair: (float(pair[1]["time"]), _rank(pair[1]), pair[0])
        )
        return [_plain(e) for _i, e in indexed]

    # -- what the facilitator and players do ------------------------------------

    def decide(self, point: Point, decision: Decision, by: str = "human") -> None:
        decisions = dict(self.spec.decisions)
        decisions[point.key] = (point.time, decision, by)
        self.spec = attrs.evolve(self.spec, decisions=decisions)

    def add_inject(self, inject: Inject) -> None:
        ids = {i.id for i in (*self.base.injects, *self.spec.msel.injects, *self.spec.added)}
        if inject.id in ids:
            raise ScenarioError(f"an inject {inject.id!r} already exists")
        self.spec = attrs.evolve(self.spec, added=(*self.spec.added, inject))

    def run_scripted(self, chooser: Chooser, by: str = "script") -> None:
        """Run to the end, asking ``chooser`` at each undecided played point."""
        self.project(chooser, by=by)

    # -- evaluation and the log -----------------------------------------------

    @property
    def end(self) -> float:
        return float(self.base.horizon)

    def verdicts(self, now: float, final: bool = False) -> list[Verdict]:
        return [evaluate(c, self.events, now, final) for c in self.spec.msel.criteria]

    def log_records(self) -> list[dict[str, Any]]:
        """The exercise log: a header, the decisions and added injects, every
        event, and the final verdicts; each a JSON object with stable keys."""
        spec = self.spec
        header = {
            "type": "exercise",
            "version": LOG_VERSION,
            "scenario": spec.scenario_path,
            "scenario_id": spec.scenario_id,
            "scenario_digest": scenario_digest(self.base),
            "seed": spec.seed,
            "play": list(spec.play),
            "msel": msel_to_data(spec.msel),
        }
        records: list[dict[str, Any]] = [header]
        for inject in spec.added:
            records.append(
                {
                    "type": "inject",
                    "time": inject.at,
                    "inject": _inject_data(inject),
                    "by": "facilitator",
                }
            )
        for key, (t, d, by) in sorted(spec.decisions.items(), key=lambda kv: (kv[1][0], kv[0])):
            records.append(
                {
                    "type": "decision",
                    "time": t,
                    "key": key,
                    "role": key.split(":")[0],
                    "incident": None if key.split(":")[1] == "-" else key.split(":")[1],
                    "level": d.level.value if d.level else None,
                    "activate": list(d.activate),
                    "by": by,
                    **({"choice": d.choice} if d.choice else {}),
                }
            )
        records += [{"type": "event", "event": e} for e in self.events]
        records.append(
            {
                "type": "end",
                "time": self.end,
                "events": len(self.events),
                "verdicts": [v.to_data() for v in self.verdicts(self.end, final=True)],
            }
        )
        return records

    def log_text(self) -> str:
        return "".join(
            json.dumps(r, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"
            for r in self.log_records()
        )


def _rank(event: Event) -> int:
    """Order at one time: injects, then the run's events, then the duty room's
    decisions.  The decisions of the other roles (details ``role``) keep the
    run's order: the decision before what it set in motion."""
    kind = event["kind"]
    if kind == "inject":
        return 0
    details = event.get("details") or {}
    return 2 if kind == "decision" and "role" not in details else 1


def _plain(value: Any) -> Any:
    """JSON-able plain data (enums by value, tuples as lists, floats kept)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, int | float | str):
        return _plain(value.value)
    return value


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
    }


def _inject_from(data: Mapping[str, Any]) -> Inject:
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
    )


# --------------------------------------------------------------------------- scripts


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
        chosen = None if str(level).lower() == "none" else _level(level)
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

    def chooser(self) -> Chooser:
        used: set[int] = set()

        def choose(point: Point) -> Decision | None:
            for index, entry in enumerate(self.decisions):
                if index in used:
                    continue
                if entry.get("key") not in (None, point.key):
                    continue
                if entry.get("incident") not in (None, point.incident):
                    continue
                if entry_role(entry) != point.role:
                    continue
                used.add(index)
                return scripted_decision(entry, point)
            return None

        return choose


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


def load_script(path: str | Path, start: Any = None) -> Script:
    """A script from YAML or JSON: ``{decisions: [...], injects: [...]}``."""
    import yaml

    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise LoadError([Problem("no such script file", file=file)])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise LoadError([Problem(f"not valid YAML: {exc}", file=file)]) from None
    if not isinstance(data, dict):
        raise LoadError(
            [Problem("a script is a mapping with 'decisions' and 'injects'", file=file)]
        )
    problems: list[Problem] = []
    for key in data:
        if key not in ("decisions", "injects"):
            problems.append(
                Problem(f"unknown key {key!r} (known: decisions, injects)", str(key), file)
            )
    decisions: list[Mapping[str, Any]] = []
    for index, entry in enumerate(data.get("decisions") or []):
        where = f"decisions[{index}]"
        if not isinstance(entry, dict):
            problems.append(Problem("a decision is a mapping", where, file))
            continue
        problems.extend(_entry_problems(entry, where, file))
        decisions.append(entry)
    injects: tuple[Inject, ...] = ()
    if data.get("injects"):
        try:
            injects = msel_from_data({"injects": data["injects"]}, file=file, start=start).injects
        except LoadError as exc:
            problems.extend(exc.problems)
    if problems:
        raise LoadError(problems)
    return Script(decisions=tuple(decisions), injects=injects)


# --------------------------------------------------------------------------- replay


def read_log(path: str | Path) -> list[dict[str, Any]]:
    """The records of an exercise log, its header checked."""
    path = Path(path)
    if not path.is_file():
        raise LoadError([Problem("no such exercise log", file=str(path))])
    records = read_jsonl(path)
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
    problems = []
    for number, record in enumerate(records, start=1):
        kind = record.get("type")
        for field, types in LOG_FIELDS.get(str(kind), ()):
            value = record.get(field)
            if not isinstance(value, types) or isinstance(value, bool):
                problems.append(
                    Problem(
                        f"expected {_type_names(types)} ({kind} record)",
                        path=field,
                        file=str(path),
                        line=number,
                    )
                )
    if problems:
        raise LoadError(problems)
    return records


LOG_FIELDS: dict[str, tuple[tuple[str, type | tuple[type, ...]], ...]] = {
    "exercise": (("scenario", str), ("seed", int)),
    "decision": (("key", str), ("time", (int, float))),
    "inject": (("inject", dict), ("time", (int, float))),
    "event": (("event", dict),),
}
"""What a replay needs of each record of a log, by record type (a hand-edited
log gets a located message, not a traceback)."""


def _type_names(types: type | tuple[type, ...]) -> str:
    found = types if isinstance(types, tuple) else (types,)
    if float in found:
        return "a number"
    names = {"str": "text", "int": "a whole number", "dict": "a mapping"}
    return " or ".join(names.get(t.__name__, t.__name__) for t in found)


def spec_from_log(records: Sequence[Mapping[str, Any]]) -> ExerciseSpec:
    """The exercise spec a log records: replaying it gives the same log."""
    head = records[0]
    msel_data = head.get("msel") or {}
    injects = [
        {
            "id": i["id"],
            "time": i["at"],
            "from": i["from"],
            "to": i["to"],
            "message": i["message"],
            **{k: i[k] for k in ("expect", "objective", "hazard", "town", "level") if i.get(k)},
            **({"method": i["method"]} if i.get("method") else {}),
        }
        for i in msel_data.get("injects", [])
    ]
    msel = msel_from_data({"name": msel_data.get("name") or "", "injects": injects}, file="<log>")
    # keep the original time text (it is part of the log)
    by_id = {i["id"]: i for i in msel_data.get("injects", [])}
    entries = tuple(
        attrs.evolve(e, time=str(by_id[e.inject.id].get("time") or ""), line=None)
        for e in msel.entries
    )
    criteria: tuple[Criterion, ...] = tuple(
        criterion_from_data(c) for c in msel_data.get("criteria", [])
    )
    msel = Msel(entries=entries, criteria=criteria, name=msel.name)
    added = tuple(_inject_from(r["inject"]) for r in records if r.get("type") == "inject")
    decisions = {
        str(r["key"]): (
            float(r["time"]),
            Decision(
                _level(r.get("level")), tuple(r.get("activate") or ()), r.get("choice") or None
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
    )


def scenario_digest(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical data: a replay must run the same one."""
    import hashlib

    from cmdsim.io import to_data

    text = json.dumps(to_data(scenario), sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_digest(records: Sequence[Mapping[str, Any]], scenario: Scenario, where: str) -> None:
    """A replay on a scenario that changed since the exercise is an error."""
    logged = records[0].get("scenario_digest")
    if logged is not None and logged != scenario_digest(scenario):
        raise ScenarioError(
            f"{where}: the scenario {scenario.id!r} is not the one the exercise ran "
            "(its content changed since); a replay would not be exact"
        )


def check_roles(play: Iterable[str]) -> tuple[str, ...]:
    """The roles played, in the order given, once each; ``a,b`` counts as two.

    Unknown roles are one error that lists them and the valid ones.
    """
    roles = tuple(
        dict.fromkeys(part.strip() for item in play for part in item.split(",") if part.strip())
    )
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        names = ", ".join(repr(role) for role in unknown)
        plural = "s" if len(unknown) > 1 else ""
        raise ScenarioError(f"unknown role{plural} {names} (roles: {', '.join(ROLES)})")
    return roles


def status_counts(verdicts: Iterable[Verdict]) -> dict[str, int]:
    counts = {s.value: 0 for s in Status}
    for v in verdicts:
        counts[v.status.value] += 1
    return counts
