"""A served exercise: the drill driver of :mod:`cmdsim.exercise` behind a clock
the facilitator moves, the players' decisions, the journal written as things
happen, and what each participant may see.

The session knows nothing of HTTP: :mod:`cmdsim.serve.app` calls it from
request handlers (in worker threads, since a projection re-runs the
simulation), and its views are plain data the templates render.
"""

from __future__ import annotations

import math
import secrets
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from cmdsim.errors import Problem, ScenarioError
from cmdsim.exercise.drill import (
    Exercise,
    ExerciseSpec,
    InjectError,
    decision_text,
)
from cmdsim.exercise.inject_check import added_figures
from cmdsim.exercise.log import (
    ExerciseFacts,
    Improvement,
    decision_record,
    inject_record,
    spec_records,
)
from cmdsim.exercise.msel_places import (
    command_names,
    inject_places,
    recipient_names,
    resolve_recipient,
)
from cmdsim.exercise.policy import (
    DUTY_ROOM,
    GENERAL_HQ,
    LEAD_HQ,
    Point,
    Refusal,
    answer,
    options,
)
from cmdsim.io import scenario_digest
from cmdsim.model import Inject, Level
from cmdsim.serve import views
from cmdsim.serve.journal import Journal
from cmdsim.serve.visibility import (
    FACILITATOR,
    ROLE_NAMES,
    names_of,
)

_FORM_FIELDS = {"at": "minutes", "source": "from"}
"""An inject's fields as the facilitator's form (and the HTTP body) names them."""


class OutOfRange(Refusal):
    """A value of a request outside what the exercise takes (a step of 5000
    minutes, an improvement item that is not there): ``field`` names it."""


class Session:
    """One served exercise.  Every public method is thread-safe."""

    def __init__(
        self,
        exercise: Exercise,
        journal: Journal,
        *,
        now: float = 0.0,
        ended: bool = False,
        tokens: Mapping[str, str] | None = None,
        clock_every: float = 5.0,
        wall: Callable[[], float] | None = None,
    ) -> None:
        import time

        self.ex = exercise
        self.journal = journal
        self.lock = threading.RLock()
        self.now = now
        self.ended = ended
        self.speed: float | None = None
        self.version = 0
        self.closing = False
        self.wall = wall or time.monotonic
        self.clock_every = clock_every
        self._clock_logged = (now, self.wall())
        roles = (FACILITATOR, *exercise.spec.play)
        given = dict(tokens or {})
        self.tokens = {role: given.get(role) or secrets.token_urlsafe(16) for role in roles}
        self.by_token = {token: role for role, token in self.tokens.items()}
        self.now = min(self.now, self.limit())
        self.names = names_of(exercise.base)
        self.recipients = recipient_names(exercise.base.district)
        self.commands = command_names(exercise.base.district)

    # -- set up --------------------------------------------------------------------

    @classmethod
    def start(cls, exercise: Exercise, log: Path, **kwargs: Any) -> Session:
        """A new exercise: the journal starts with the log's header."""
        if log.exists():
            raise ScenarioError(
                f"{log} exists: continue it with cmdsim serve --resume {log}, or give another --log"
            )
        journal = Journal(log)
        journal.start(spec_records(exercise.spec, scenario_digest(exercise.base), log))
        exercise.project()
        return cls(exercise, journal, **kwargs)

    @classmethod
    def resume(
        cls, exercise: Exercise, records: Sequence[Mapping[str, Any]], log: Path, **kwargs: Any
    ) -> Session:
        """Continue the exercise a journal (or a finished log) records, at the
        clock it had reached."""
        ended = any(r.get("type") == "end" for r in records)
        times = [float(r["time"]) for r in records if r.get("type") in ("clock", "decision")]
        if ended:
            exercise.project(lambda _point: None, by="plan")
            now = exercise.end
        else:
            exercise.project()
            now = max(times, default=0.0)
        return cls(exercise, Journal(log), now=now, ended=ended, **kwargs)

    # -- access ----------------------------------------------------------------------

    def role_of(self, token: str) -> str | None:
        """The role a token lets in, or ``None``."""
        for known, role in self.by_token.items():
            if secrets.compare_digest(known, token):
                return role
        return None

    def links(self, base: str) -> dict[str, str]:
        """The URL of each participant's page."""
        return {
            role: f"{base}/{'f' if role == FACILITATOR else 'p'}/{token}"
            for role, token in self.tokens.items()
        }

    # -- the clock -------------------------------------------------------------------

    def limit(self) -> float:
        """How far the clock may go: the pending decision, else the end."""
        pending = self.ex.pending
        return pending.time if pending is not None else self.ex.end

    def _changed(self) -> None:
        self.version += 1

    def _log_clock(self, force: bool = False) -> None:
        logged_now, logged_at = self._clock_logged
        if self.now == logged_now:
            return
        if force or self.wall() - logged_at >= self.clock_every:
            self.journal.append({"type": "clock", "time": self.now})
            self._clock_logged = (self.now, self.wall())

    def advance(self, to: float, *, log: bool = True) -> None:
        """Move the clock to ``to``, never past the decision waiting or the end."""
        with self.lock:
            if self.ended:
                return
            new = min(max(self.now, to), self.limit())
            if new != self.now:
                self.now = new
                self._changed()
            self._log_clock(force=log)

    def step_next(self) -> None:
        """To the next event of the run (or the pending decision, or the end)."""
        with self.lock:
            later = [float(e["time"]) for e in self.ex.events if float(e["time"]) > self.now]
            self.advance(later[0] if later else self.limit())

    def step(self, minutes: float) -> None:
        """Step the clock ``minutes`` simulated minutes."""
        if not 0 < minutes <= 24 * 60:
            raise OutOfRange("minutes: a step is above 0 and at most 1440 minutes", "minutes")
        self.advance(self.now + minutes)

    def run_to_decision(self) -> None:
        """To the next decision of a played role, or the end."""
        self.advance(self.limit())

    def run(self, speed: float) -> None:
        """Run in real time at ``speed`` simulated minutes a second."""
        if not 0 < speed <= 600:
            raise OutOfRange("speed: simulated minutes a second, above 0 and at most 600", "speed")
        with self.lock:
            self.speed = speed
            self._changed()

    def pause(self) -> None:
        """Stop the running clock (logged as a ``clock`` record)."""
        with self.lock:
            self.speed = None
            self._log_clock(force=True)
            self._changed()

    def tick(self, seconds: float) -> None:
        """The running clock's heartbeat (``seconds`` of wall time passed)."""
        with self.lock:
            if self.speed is None or self.ended:
                return
            self.advance(self.now + self.speed * seconds, log=False)
            if self.now >= self.ex.end:
                self.speed = None
                self._log_clock(force=True)
                self._changed()

    # -- what the facilitator does ------------------------------------------------

    def fire(self, inject_id: str) -> Inject:
        """Fire an inject of the MSEL (or the scenario) now rather than at its
        time.  An unknown id, one fired already, or a clock at the end is an
        :class:`InjectError` on the field ``fire``, and nothing is logged."""
        with self.lock:
            self._open()
            before = self.ex.spec
            try:
                inject = self.ex.fire(inject_id, self.now)
            except InjectError as exc:
                raise exc.renamed({"id": "fire", "at": "fire"}) from None
            self._write(inject_record(inject), before)
            self.ex.project()
            self._changed()
            return inject

    def add_inject(
        self,
        message: str,
        to: str,
        source: str = "",
        minutes: float = 0.0,
        *,
        hazard: str = "",
        town: str = "",
        level: str = "",
        figures: object = None,
    ) -> Inject:
        """A new inject ``minutes`` from now, addressed to a role (its id or
        name; empty: the duty room) or to a room, command, unit or town of
        the district (its id or name).

        With a ``hazard`` (its id or name, as an MSEL's cell gives it) it
        reports an incident, of that ``town`` and asking that ``level`` if
        given, which reaches a room as an MSEL's does: a role it is addressed
        to stands for its room or HQ (the district duty room, the general
        HQ, the lead HQ of the district's plan for the hazard).

        Checked before anything is written: an empty message, an unknown
        recipient, hazard, town or level, a level without a hazard, an
        incident report to no room of the district or to another town's, or
        a time outside 0 to 1440 minutes from now or at or after the
        exercise's end is an :class:`InjectError` naming the fields as the
        form calls them (``message``, ``to``, ``minutes``, ``hazard``,
        ``town``, ``level``), and the journal is left as it was.  ``figures``
        (what the report states of the incident: ``{"deaths": 4}``, or the
        form's text ``deaths: 4; households: 12000``) are checked as an
        MSEL's are (:func:`~cmdsim.exercise.inject_check.added_figures`),
        each bad one at ``figures.NAME``.
        """
        found: list[Problem] = []
        if not math.isfinite(minutes) or not 0 <= minutes <= 24 * 60:
            found.append(Problem("an inject fires 0 to 1440 minutes from now", "minutes"))
        address = self._address(to)
        if address is None:
            found.append(
                Problem(
                    f"unknown recipient {to.strip()!r}: a role ({', '.join(ROLE_NAMES)}) or its "
                    "name, or a duty room, command, unit or town of the district (id or name)",
                    "to",
                )
            )
        places, wrong = inject_places(self.ex.base.district, hazard.strip(), town.strip())
        found += wrong
        stated, bad = added_figures(figures, bool(hazard.strip()))
        found += bad
        asked: Level | None = None
        if level.strip():
            try:
                asked = Level.parse(level.strip())
            except ValueError as exc:
                found.append(Problem(str(exc), "level"))
            if not hazard.strip():
                # a level asked of no incident would be a setting without effect
                found.append(
                    Problem("a level is what an incident report asks for: give its hazard", "level")
                )
        with self.lock:
            self._open()
            n = len(self.ex.spec.added) + 1
            taken = {i.id for i in (*self.ex.base.injects, *self.ex.spec.msel.injects)}
            taken |= {i.id for i in self.ex.spec.added}
            while f"facilitator_{n}" in taken:
                n += 1
            ident = f"facilitator_{n}"
            if not message.strip():
                found.append(Problem(f"the inject {ident!r} needs a message", "message"))
            if found:
                # named as the exercise's own checks name it ("the inject 'facilitator_2': …")
                named = [
                    Problem(f"the inject {ident!r}: {p.message}", p.path)
                    if p.path in ("hazard", "town")
                    else p
                    for p in found
                ]
                raise InjectError(ident, named)
            to = address or ROLE_NAMES[DUTY_ROOM]
            if places.get("hazard"):
                to = self._report_to(to, places["hazard"])
            inject = Inject(
                id=ident,
                at=round(self.now + minutes, 6),
                message=message.strip(),
                source=source.strip() or "Facilitator",
                to=to,
                hazard=places.get("hazard"),
                town=places.get("town"),
                level=asked,
                figures=stated,
            )
            before = self.ex.spec
            try:
                self.ex.add_inject(inject, now=self.now)
            except InjectError as exc:
                raise exc.renamed(_FORM_FIELDS) from None
            self._write(inject_record(inject), before)
            self.ex.project()
            self._changed()
            return inject

    def _report_to(self, to: str, hazard: str) -> str:
        """Whom an incident report addressed to ``to`` reaches: a role's
        name stands for its room or HQ (the lead HQ: the lead of the
        district's plan for ``hazard``); anything else is as given."""
        district = self.ex.base.district
        if to == ROLE_NAMES[DUTY_ROOM]:
            return district.duty_room.id
        general = district.general_command
        if to == ROLE_NAMES[GENERAL_HQ] and general is not None:
            return general.id
        if to == ROLE_NAMES[LEAD_HQ]:
            leads = [p.lead for p in district.plans_for(hazard) if p.lead and p.town is None]
            if leads:
                return leads[0]
        return to

    def _address(self, to: str) -> str | None:
        """Whom an added inject is to, as logged: a role's name, or the
        district's recipient as given; ``None`` if ``to`` names neither."""
        given = to.strip()
        if not given:
            return ROLE_NAMES[DUTY_ROOM]
        if given in ROLE_NAMES:
            return ROLE_NAMES[given]
        if given in ROLE_NAMES.values() or given in self.recipients.ids:
            return given
        return given if given.casefold() in self.recipients.names else None

    def _write(self, record: Mapping[str, Any], before: ExerciseSpec) -> None:
        """Append ``record`` to the journal; if it cannot be written, the
        exercise goes back to ``before`` (what is not logged did not happen)."""
        try:
            self.journal.append(record)
        except OSError as exc:
            self.ex.spec = before
            raise ScenarioError(
                f"{self.journal.path}: cannot write the exercise log: {exc.strerror or exc}"
            ) from None

    def set_facts(self, facts: ExerciseFacts) -> None:
        """Record the exercise facts (the last ones recorded stand)."""
        with self.lock:
            self.ex.spec = attrs.evolve(self.ex.spec, facts=facts)
            self._record(facts.to_record())

    def add_improvement(self, item: Improvement) -> None:
        """Add an item at the end of the improvement plan."""
        if not item.issue.strip():
            raise OutOfRange("an improvement item needs an issue", "issue")
        with self.lock:
            items = (*self.ex.spec.improvements, item)
            self.ex.spec = attrs.evolve(self.ex.spec, improvements=items)
            self._record(item.to_record())

    def edit_improvement(self, index: int, item: Improvement | None) -> None:
        """Replace item ``index`` of the improvement plan, or remove it (``None``)."""
        with self.lock:
            items = list(self.ex.spec.improvements)
            if not 0 <= index < len(items):
                raise OutOfRange(f"no improvement item {index + 1}", "index")
            if item is None:
                del items[index]
                record: dict[str, Any] = {"type": "improvement_edit", "index": index}
                record["removed"] = True
            else:
                if not item.issue.strip():
                    raise OutOfRange("an improvement item needs an issue", "issue")
                items[index] = item
                record = {"type": "improvement_edit", "index": index, **item.fields()}
            self.ex.spec = attrs.evolve(self.ex.spec, improvements=tuple(items))
            self._record(record)

    def _record(self, record: Mapping[str, Any]) -> None:
        # once the exercise has ended the log is whole: keep it whole
        if self.ended:
            self.journal.rewrite(self.ex.log_text(self.journal.path))
        else:
            self.journal.append(record)
        self._changed()

    def end(self) -> None:
        """End the exercise: the rest is simulated with the plan's rule and the
        journal becomes the whole log, as ``cmdsim drill --replay`` writes it."""
        with self.lock:
            if self.ended:
                return
            self.ex.project(lambda _point: None, by="plan")
            self.now = self.ex.end
            self.speed = None
            self.ended = True
            self.journal.rewrite(self.ex.log_text(self.journal.path))
            self._changed()

    def _open(self) -> None:
        if self.ended:
            raise Refusal("the exercise has ended")

    # -- what the players do ----------------------------------------------------------

    def pending_for(self, role: str) -> Point | None:
        """The decision ``role`` must take now, if the clock has reached it."""
        pending = self.ex.pending
        if self.ended or pending is None or pending.role != role:
            return None
        return pending if self.now >= pending.time else None

    def decide(self, role: str, key: str, form: Mapping[str, Any]) -> str:
        """A player's answer at the point ``key``; its text.  Checked against
        the options offered; a point already decided (by someone else sharing
        the role) or not yet reached is an error."""
        with self.lock:
            self._open()
            point = self.pending_for(role)
            if point is None or point.key != key:
                done = self.ex.spec.decisions.get(key)
                if done is not None:
                    who = f" by {done[1].player}" if done[1].player else ""
                    raise Refusal(f"this decision was already taken{who}", "key")
                raise Refusal("no decision of yours is waiting", "key")
            decision = answer(
                point,
                options(point, self.ex.base),
                level=_text(form.get("level")),
                # an HQ by id or by name (区燃气事故应急处置指挥部), as the console takes it
                activate=[
                    resolve_recipient(str(a), self.commands) for a in form.get("activate") or ()
                ],
                choice=_text(form.get("choice")),
                rationale=str(form.get("rationale") or "")[:2000],
                player=str(form.get("player") or "")[:80],
            )
            self.ex.decide(point, decision, by="human")
            self.journal.append(decision_record(point.key, point.time, decision, "human"))
            self.ex.project()
            self._changed()
            return decision_text(decision)

    # -- views (what each role sees: cmdsim.serve.views) ----------------------------------

    def clock(self) -> dict[str, Any]:
        """The clock as the pages show it."""
        return views.clock_view(self)

    def player_view(self, role: str) -> dict[str, Any]:
        """What a player of ``role`` sees now (:func:`cmdsim.serve.views.player_view`)."""
        with self.lock:
            return views.player_view(self, role)

    def facilitator_view(self, base: str = "") -> dict[str, Any]:
        """Everything the facilitator sees now
        (:func:`cmdsim.serve.views.facilitator_view`)."""
        with self.lock:
            return views.facilitator_view(self, base)


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)
