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

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from cmdsim.errors import CmdsimError, LoadError, Problem, ScenarioError
from cmdsim.exercise.criteria import Status, Verdict, evaluate
from cmdsim.exercise.inject_check import InjectError, inject_problems
from cmdsim.exercise.log import (
    LOG_FIELDS,
    LOG_VERSION,
    ExerciseFacts,
    ExerciseSpec,
    Improvement,
    Participant,
    dumps,
    inject_from_data,
    read_log,
    spec_from_log,
    spec_records,
)
from cmdsim.exercise.msel_places import recipient_names, resolve_channels, resolve_recipient
from cmdsim.exercise.policy import (
    DUTY_ROOM,
    GENERAL_HQ,
    LEAD_HQ,
    ROLES,
    Chooser,
    Decision,
    Event,
    NeedDecision,
    Point,
    Policy,
    Runner,
    check_roles,
    decision_text,
    hold,
    plan_decision,
    take_over,
    with_choice,
)
from cmdsim.exercise.script import (
    Script,
    entry_role,
    load_script,
    scripted_decision,
)
from cmdsim.io import scenario_digest
from cmdsim.model import Inject, Scenario
from cmdsim.model.scenario import NO_INCIDENT_FIGURES, recipient_problem
from cmdsim.plain import plain
from cmdsim.sim.events import EventKind

__all__ = [
    "DUTY_ROOM",
    "GENERAL_HQ",
    "LEAD_HQ",
    "LOG_FIELDS",
    "LOG_VERSION",
    "ROLES",
    "Chooser",
    "Decision",
    "Event",
    "Exercise",
    "ExerciseFacts",
    "ExerciseSpec",
    "Improvement",
    "InjectError",
    "NeedDecision",
    "Participant",
    "Point",
    "Policy",
    "Runner",
    "Script",
    "check_roles",
    "decision_event",
    "decision_text",
    "entry_role",
    "hold",
    "inject_event",
    "inject_problems",
    "load_script",
    "plan_decision",
    "read_log",
    "scenario_digest",
    "scripted_decision",
    "spec_from_log",
    "status_counts",
    "take_over",
    "with_choice",
]


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
        "kind": EventKind.INJECT,
        "incident": None,
        "details": details,
    }


def decision_event(key: str, time: float, decision: Decision, by: str, role: str) -> Event:
    incident = key.split(":")[1]
    return {
        "time": time,
        "actor": role,
        "kind": EventKind.DECISION,
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


def _check_figures(merged: dict[str, Inject], entries: Iterable[Any], file: str) -> None:
    """Figures on an inject that names no hazard (after the merge): an error
    at the MSEL row that gave the figures, or naming the inject (a script's,
    a console's)."""
    rows = {e.inject.id: e for e in entries}
    problems: list[Problem] = []
    for inject in merged.values():
        if not inject.figures or inject.hazard is not None:
            continue
        entry = rows.get(inject.id)
        if entry is not None and entry.inject.figures:
            path, column = entry.cells.get("figures", ("figures", None))
            problems.append(Problem(NO_INCIDENT_FIGURES, path, file or None, entry.line, column))
        else:
            problems.append(Problem(f"inject {inject.id!r}: {NO_INCIDENT_FIGURES}"))
    if problems:
        raise LoadError(problems)


def _check_recipients(
    merged: dict[str, Inject],
    entries: Iterable[Any],
    file: str,
    recipients: Mapping[str, str | None],
) -> None:
    """The recipient of every inject that reports an incident, after the
    merge: a room, command, unit or town of the district, in the inject's own
    town if it is a town's (else the report would reach a room by accident);
    located at the MSEL row that gave ``to``."""
    rows = {e.inject.id: e for e in entries}
    problems: list[Problem] = []
    for inject in merged.values():
        problem = recipient_problem(inject, recipients)
        if problem is None:
            continue
        entry = rows.get(inject.id)
        if entry is not None and entry.inject.to:
            path, column = entry.cells.get("to", ("to", None))
            problems.append(Problem(problem, path, entry.file or file or None, entry.line, column))
        else:
            problems.append(Problem(f"inject {inject.id!r}: {problem}"))
    if problems:
        raise LoadError(problems)


class Exercise:
    """One drill: the spec, a runner, and the projection of the run so far."""

    def __init__(self, scenario: Scenario, spec: ExerciseSpec, runner: Runner) -> None:
        self.base = scenario
        # Whom an inject may be addressed to: the base district's, asked at every projection.
        self._names = recipient_names(scenario.district)
        self._recipients = scenario.district.recipients()
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
        not have is an error, and so are figures on an inject that names no
        hazard, its scenario's inject's included (located in the MSEL).
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
                figures=inject.figures or base.figures,
            )
        for key, inject in merged.items():
            to = resolve_recipient(inject.to, self._names)
            if to != inject.to:
                merged[key] = attrs.evolve(inject, to=to)
        _check_figures(merged, msel.entries, msel.source)
        _check_recipients(merged, msel.entries, msel.source, self._recipients)
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
            # already follows the plan's choice, not the player's (events
            # carry times rounded to 6 places, the point the exact one)
            events = [e for e in events if float(e["time"]) < _cut(need.point.time)]
            policy = full
        if chooser is not None:
            for key, decision in policy.taken.items():
                if key not in self.spec.decisions:
                    point = next(p for p in policy.points if p.key == key)
                    self.decide(point, decision, by="plan" if key in policy.defaulted else by)
        self.points = policy.points
        self.events = self._merge(events, scenario)
        if self.pending is not None:
            cut = _cut(self.pending.time)
            self.events = [
                e
                for e in self.events
                if float(e["time"]) < cut
                or (e["kind"] == EventKind.INJECT and float(e["time"]) <= self.pending.time)
            ]

    def _merge(self, events: Sequence[Event], scenario: Scenario) -> list[Event]:
        # The engine logs injects and the players' decisions itself; for a
        # runner that does not, they are added here so criteria can see them.
        logged = {e["kind"] for e in events}
        added = {i.id for i in self.spec.added}
        fired = [
            inject_event(i, "facilitator" if i.id in added else "msel")
            for i in scenario.injects
            if EventKind.INJECT not in logged
        ]
        made = [
            decision_event(key, t, d, by, key.split(":")[0])
            for key, (t, d, by) in self.spec.decisions.items()
            if EventKind.DECISION not in logged
        ]
        merged = [*fired, *made, *events]
        indexed = sorted(
            enumerate(merged), key=lambda pair: (float(pair[1]["time"]), _rank(pair[1]), pair[0])
        )
        return [plain(e) for _i, e in indexed]

    # -- what the facilitator and players do ------------------------------------

    def decide(self, point: Point, decision: Decision, by: str = "human") -> None:
        decisions = dict(self.spec.decisions)
        decisions[point.key] = (point.time, decision, by)
        self.spec = attrs.evolve(self.spec, decisions=decisions)

    def add_inject(self, inject: Inject, now: float = 0.0) -> None:
        """Add an inject the facilitator (or a script) gives, at or after the
        exercise clock ``now``.

        It is checked field by field first (:func:`inject_problems`: a new
        id, a message, a time from ``now`` to before the end, a known hazard,
        town and channel, a recipient that is a room, command, unit or town
        for an incident report); a bad one is an :class:`InjectError` naming
        its fields, and the exercise is left as it was.
        """
        taken = {i.id for i in (*self.base.injects, *self.spec.msel.injects, *self.spec.added)}
        problems = self.inject_problems(inject, now=now, taken=taken)
        if problems:
            raise InjectError(inject.id, problems)
        before = self.spec
        self.spec = attrs.evolve(before, added=(*before.added, inject))
        try:
            self.scenario()  # the merge's own checks, with the MSEL's injects
        except CmdsimError as exc:
            self.spec = before
            raise InjectError(inject.id, [Problem(f"the inject {inject.id!r}: {exc}")]) from None

    def inject_problems(
        self, inject: Inject, now: float = 0.0, taken: Iterable[str] = ()
    ) -> list[Problem]:
        """What is wrong with ``inject`` as one added to this exercise at the
        clock ``now`` (:func:`~cmdsim.exercise.inject_check.inject_problems`,
        its ``to`` read as a recipient's id or name); ``taken``: ids in use."""
        checked = attrs.evolve(inject, to=resolve_recipient(inject.to, self._names))
        return inject_problems(checked, self.base, self._recipients, taken=set(taken), now=now)

    def check_logged(self, records: Sequence[Mapping[str, Any]], file: str) -> None:
        """The injects a log's ``inject`` records add (``records`` as
        :func:`read_log` gives them), checked as when they were added: a
        hand-edited one naming an unknown hazard, town or recipient, or timed
        outside the run, is a :class:`~cmdsim.errors.LoadError` at its line
        (``inject.hazard``), not a replay that drops or misroutes it."""
        problems = [
            Problem(problem.message, f"inject.{problem.path}", file, number)
            for number, record in enumerate(records, start=1)
            if record.get("type") == "inject"
            for problem in self.inject_problems(inject_from_data(record["inject"]))
        ]
        if problems:
            raise LoadError(problems)

    def fire(self, inject_id: str, at: float) -> Inject:
        """Fire an inject of the MSEL or the scenario at ``at`` instead of its
        time (the facilitator's "fire now"); logged like an added inject,
        which replaces the one with its id.  An unknown id, one already
        fired, or ``at`` at or after the end is an :class:`InjectError`
        (field ``id`` or ``at``)."""
        found = next((i for i in self.scenario().injects if i.id == inject_id), None)
        if found is None:
            raise InjectError(inject_id, [Problem(f"no inject {inject_id!r}", "id")])
        if found.at <= at:
            raise InjectError(
                inject_id,
                [
                    Problem(
                        f"the inject {inject_id!r} has fired already (at {found.at:g} min)", "id"
                    )
                ],
            )
        moved = attrs.evolve(found, at=at)
        problems = self.inject_problems(moved, now=at)
        if problems:
            raise InjectError(inject_id, problems)
        kept = tuple(i for i in self.spec.added if i.id != inject_id)
        self.spec = attrs.evolve(self.spec, added=(*kept, moved))
        return moved

    def run_scripted(self, chooser: Chooser, by: str = "script") -> None:
        """Run to the end, asking ``chooser`` at each undecided played point."""
        self.project(chooser, by=by)

    # -- evaluation and the log -----------------------------------------------

    @property
    def end(self) -> float:
        return float(self.base.horizon)

    def verdicts(self, now: float, final: bool = False) -> list[Verdict]:
        return [evaluate(c, self.events, now, final) for c in self.spec.msel.criteria]

    def log_records(
        self, log_path: str | Path | None = None, *, finished: bool = True, lang: str = "en"
    ) -> list[dict[str, Any]]:
        """The exercise log: a header, the added injects and decisions, the
        exercise facts and improvement plan, every event, and the final
        verdicts; each a JSON object with stable keys.  ``log_path`` (where
        it is written) lets the header record the scenario's path from there.

        Not ``finished`` (the console's log saved while the drill goes on),
        it holds the events so far and no ``end`` record: a replay compares
        them as the start of its run, and a resumed one goes on from them.
        ``lang``: the console's language, which the header records."""
        records = spec_records(self.spec, scenario_digest(self.base), log_path, lang)
        records += [{"type": "event", "event": e} for e in self.events]
        if not finished:
            return records
        records.append(
            {
                "type": "end",
                "time": self.end,
                "events": len(self.events),
                "verdicts": [v.to_data() for v in self.verdicts(self.end, final=True)],
            }
        )
        return records

    def log_text(
        self, log_path: str | Path | None = None, *, finished: bool = True, lang: str = "en"
    ) -> str:
        """The log as written (:meth:`log_records`), one JSON line a record."""
        records = self.log_records(log_path, finished=finished, lang=lang)
        return "".join(dumps(r) for r in records)


def _cut(time: float) -> float:
    """The first logged time not shown before a decision at ``time``: the
    log rounds times to 6 places, so an event at the point itself may be
    logged a little before it."""
    return round(time, 6) - 1e-6


def _rank(event: Event) -> int:
    """Order at one time: injects, then the run's events, then the duty room's
    decisions.  The decisions of the other roles (details ``role``) keep the
    run's order: the decision before what it set in motion."""
    kind = event["kind"]
    if kind == EventKind.INJECT:
        return 0
    details = event.get("details") or {}
    return 2 if kind == EventKind.DECISION and "role" not in details else 1


def status_counts(verdicts: Iterable[Verdict]) -> dict[str, int]:
    counts = {s.value: 0 for s in Status}
    for v in verdicts:
        counts[v.status.value] += 1
    return counts
