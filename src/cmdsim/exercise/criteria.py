"""Time-based evaluation criteria of an exercise, as data.

"Flood HQ at level III within 30 minutes of the yellow signal" is written::

    - id: flood_iii_30
      text: Flood HQ at level III within 30 minutes of the yellow signal
      after: {kind: signal, details: {signal: yellow}}
      expect: {kind: hq_activated, actor: flood_hq, details: {level: ">=III"}}
      within: 30

``after`` is an event pattern, an inject (``{inject: yellow_warning}``) or a
number of minutes from the exercise start; ``expect`` is an event pattern.
A pattern matches an event when every key it names is equal (case-insensitive
text); a value ``">=III"`` compares response levels, ``">=yellow"`` signals.
The criterion is *met* when the expected event comes no later than ``within``
minutes after the start event, *missed* once that time has passed without it.

Whether an expected event *before* the start meets it depends on what the
event records (:func:`earlier_event_counts`, :mod:`cmdsim.exercise.states`):
a state (a level, an HQ at work, a signal in force: :data:`STATE_KINDS`)
meets it if it is still in force at the start, not if it was ended before
or at the start's own minute (an HQ released, a response closed, a signal
lowered or lifted: :data:`~cmdsim.exercise.states.STATE_ENDS`; an event at a
minute has happened by it, as in the engine); an action (a decision, a
report sent, a notification, a call-out: :data:`ACTION_KINDS`) before the
start answered something else, so only one at or after the start counts.
A verdict not met names the earlier event that did not count
(:attr:`Verdict.note`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from cmdsim.errors import ModelError, Problem
from cmdsim.exercise.states import ACTION_KINDS as ACTION_KINDS
from cmdsim.exercise.states import STATE_KINDS as STATE_KINDS
from cmdsim.exercise.states import EventDict, held_states
from cmdsim.exercise.states import earlier_event_counts as earlier_event_counts
from cmdsim.exercise.times import parse_time, relative_time
from cmdsim.model import Inject, Issuer, Level, Lift, Scenario, Signal
from cmdsim.sim.events import EventKind

_PATTERN_KEYS = ("kind", "actor", "incident", "details", "inject")


class Status(enum.Enum):
    WAITING = "waiting"
    PENDING = "pending"
    MET = "met"
    MISSED = "missed"
    NOT_TRIGGERED = "not_triggered"


@attrs.frozen
class Pattern:
    """Which events count: equal ``kind``/``actor``/``incident`` and details."""

    kind: str | None = None
    actor: str | None = None
    incident: str | None = None
    details: tuple[tuple[str, str], ...] = ()
    inject: str | None = None

    def matches(self, event: EventDict) -> bool:
        if self.inject is not None:
            return str(event.get("kind")) == EventKind.INJECT and _same(
                event.get("details", {}).get("inject"), self.inject
            )
        for key in ("kind", "actor", "incident"):
            want = getattr(self, key)
            if want is not None and not _same(event.get(key), want):
                return False
        details = event.get("details") or {}
        return all(_value_matches(details.get(k), want) for k, want in self.details)

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("kind", "actor", "incident", "inject"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.details:
            out["details"] = dict(self.details)
        return out

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in self.to_data().items() if k != "details"]
        parts += [f"{k}={v}" for k, v in self.details]
        return " ".join(parts)


def _same(have: Any, want: str) -> bool:
    return have is not None and str(have).strip().lower() == want.strip().lower()


def _value_matches(have: Any, want: str) -> bool:
    if have is None:
        return False
    if isinstance(have, list | tuple):
        return any(_value_matches(h, want) for h in have)
    for op in (">=", "<="):
        if want.startswith(op):
            target = want[len(op) :].strip()
            for enum_type in (Level, Signal):
                try:
                    a, b = enum_type.parse(str(have)), enum_type.parse(target)
                except ValueError:
                    continue
                return bool(a >= b) if op == ">=" else bool(a <= b)
            try:
                x, y = float(have), float(target)
            except (TypeError, ValueError):
                return False
            return x >= y if op == ">=" else x <= y
    return _same(have, want)


@attrs.frozen
class Criterion:
    """Expect an event within ``within`` minutes of a start (event or time)."""

    id: str
    expect: Pattern
    within: float
    after: Pattern | float = 0.0
    text: str = ""
    line: int | None = attrs.field(default=None, eq=False)
    """The line of the MSEL it was written on (for a located error)."""

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "after": self.after if isinstance(self.after, float) else self.after.to_data(),
            "expect": self.expect.to_data(),
            "within": self.within,
        }

    def describe(self) -> str:
        if self.text:
            return self.text
        start = f"T+{self.after:g} min" if isinstance(self.after, float) else self.after.describe()
        return f"{self.expect.describe()} within {self.within:g} min of {start}"


@attrs.frozen
class Verdict:
    """Where a criterion stands at ``now``."""

    criterion: str
    status: Status
    text: str
    start: float | None = None
    deadline: float | None = None
    at: float | None = None
    early: float | None = None
    """A criterion not met: when the last expected action before the start
    came, or the last expected state reached and ended before it (neither
    counts), else ``None``."""
    ended: float | None = None
    """With ``early`` of a state: when that state ended (else ``None``)."""
    note: str = ""
    """Why an earlier event did not count, for the facilitator (empty when
    none came)."""

    @property
    def elapsed(self) -> float | None:
        if self.at is None or self.start is None:
            return None
        return max(0.0, self.at - self.start)

    def to_data(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "status": self.status.value,
            "text": self.text,
            "start": self.start,
            "deadline": self.deadline,
            "at": self.at,
            "elapsed": self.elapsed,
            "early": self.early,
            "ended": self.ended,
            "note": self.note,
        }


def evaluate(criterion: Criterion, events: Iterable[EventDict], now: float, final: bool) -> Verdict:
    """The criterion's verdict on the events seen up to ``now``.

    ``final`` means nothing more will happen (the run is over): a criterion
    whose start never came is then *not triggered*, one still open *missed*.
    ``events`` may come in any order: they are read in time order (events
    at one time in the order given), as the run logged them.
    """
    seen = sorted((e for e in events if _time(e) <= now), key=_time)
    text = criterion.describe()
    if isinstance(criterion.after, float):
        start: float | None = criterion.after if criterion.after <= now else None
    else:
        pattern = criterion.after
        start = next((_time(e) for e in seen if pattern.matches(e)), None)
    if start is None:
        status = Status.NOT_TRIGGERED if final else Status.WAITING
        return Verdict(criterion.id, status, text)
    deadline = start + criterion.within
    before = [e for e in seen if _time(e) < start]
    expected = [e for e in seen if _time(e) >= start and criterion.expect.matches(e)]
    kind = criterion.expect.kind
    early: EventDict | None = None
    ended: EventDict | None = None
    if kind is not None and earlier_event_counts(kind):
        # The engine's convention at one minute: an event at a minute has
        # happened by it (a signal lifted at t is not in force at t,
        # model.incidents.severity_at; a report at its deadline's minute is
        # on time).  So a state ended at the start's own minute was not in
        # force at the start: its end is read with what came before.
        upto = [e for e in seen if _time(e) <= start]
        held = [
            h for h in held_states(upto, kind, criterion.expect.matches) if _time(h.since) < start
        ]
        in_force = [h.since for h in held if h.ended is None]
        # A state in force at the start meets it there (0 minutes taken).
        expected = in_force[:1] + expected
        undone = [h for h in held if h.ended is not None]
        if undone:
            early, ended = undone[-1].since, undone[-1].ended
    else:
        earlier = [e for e in before if criterion.expect.matches(e)]
        early = earlier[-1] if earlier else None
    hit = _time(expected[0]) if expected else None
    if hit is not None and hit <= deadline:
        return Verdict(criterion.id, Status.MET, text, start, deadline, hit)
    past = (
        _time(early) if early is not None else None,
        _time(ended) if ended is not None else None,
        _early_note(early, ended, criterion, start) if early is not None else "",
    )
    if hit is not None or now > deadline or final:
        return Verdict(criterion.id, Status.MISSED, text, start, deadline, hit, *past)
    return Verdict(criterion.id, Status.PENDING, text, start, deadline, None, *past)


def _time(event: EventDict) -> float:
    return float(event.get("time", 0.0))


def _early_note(
    event: EventDict, ended: EventDict | None, criterion: Criterion, start: float
) -> str:
    """``decision by district_duty_room at +00:25 came before the start
    (inject x1 at +00:35): only one at or after it counts``; for a state,
    ``hq_level_changed by flood_hq at +00:10 ended at +00:20
    (hq_released), before the start (…): only one in force at the start or
    reached after it counts``."""
    actor = event.get("actor")
    what = f"{event.get('kind')}" + (f" by {actor}" if actor else "")
    if isinstance(criterion.after, float):
        begun = relative_time(start)
    elif criterion.after.inject is not None:
        begun = f"inject {criterion.after.inject} at {relative_time(start)}"
    else:
        begun = f"{criterion.after.describe()} at {relative_time(start)}"
    at = relative_time(_time(event))
    if ended is not None:
        when = "at the start" if _time(ended) >= start else "before the start"
        return (
            f"{what} at {at} ended at {relative_time(_time(ended))} ({ended.get('kind')}), "
            f"{when} ({begun}): only one in force at the start or reached after it counts"
        )
    return f"{what} at {at} came before the start ({begun}): only one at or after it counts"


def _pattern(data: Any, path: str) -> Pattern:
    if not isinstance(data, Mapping):
        raise ModelError("an event pattern is a mapping (kind, actor, incident, details)", path)
    unknown = [k for k in data if k not in _PATTERN_KEYS]
    if unknown:
        raise ModelError(f"unknown key {unknown[0]!r} (known: {', '.join(_PATTERN_KEYS)})", path)
    details = data.get("details") or {}
    if not isinstance(details, Mapping):
        raise ModelError("details is a mapping", f"{path}.details")
    pattern = Pattern(
        kind=_opt(data.get("kind")),
        actor=_opt(data.get("actor")),
        incident=_opt(data.get("incident")),
        details=tuple(sorted((str(k), _str(v)) for k, v in details.items())),
        inject=_opt(data.get("inject")),
    )
    if pattern == Pattern():
        raise ModelError("an event pattern needs at least one key", path)
    return pattern


def _str(value: Any) -> str:
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def _opt(value: Any) -> str | None:
    return None if value is None else _str(value)


def criterion_from_data(data: Any, start: dt.datetime | None = None) -> Criterion:
    """A criterion from YAML data; raises :class:`ModelError` naming the field."""
    if not isinstance(data, Mapping):
        raise ModelError("a criterion is a mapping (id, expect, within, after, text)")
    known = {"id", "text", "expect", "within", "after"}
    for key in data:
        if key not in known:
            raise ModelError(f"unknown key {key!r} (known: {', '.join(sorted(known))})", str(key))
    if "id" not in data:
        raise ModelError("missing id", "id")
    if "expect" not in data:
        raise ModelError("missing expect", "expect")
    if "within" not in data:
        raise ModelError("missing within (minutes)", "within")
    within = data["within"]
    if isinstance(within, bool) or not isinstance(within, int | float) or within < 0:
        raise ModelError(f"{within!r} is not a number of minutes", "within")
    after_raw = data.get("after", 0.0)
    after: Pattern | float
    if isinstance(after_raw, Mapping):
        after = _pattern(after_raw, "after")
    else:
        try:
            after = float(parse_time(after_raw, start))
        except ValueError as exc:
            raise ModelError(str(exc), "after") from None
    return Criterion(
        id=str(data["id"]),
        text=str(data.get("text") or ""),
        expect=_pattern(data["expect"], "expect"),
        within=float(within),
        after=after,
    )


_RANKED = {"level": Level, "signal": Signal}
_ISSUERS = tuple(issuer.value for issuer in Issuer)
"""Details whose values are a level or a signal: a value that is neither
(``yelow``, ``>=V``) could never match."""


def criteria_problems(
    criteria: Iterable[Criterion],
    scenario: Scenario,
    injects: Iterable[Inject],
    file: str,
) -> list[Problem]:
    """What the criteria name that the exercise does not have, each a located
    :class:`Problem`: an inject, event kind, actor or incident it has not, a
    level or signal that is none, a start after the exercise ends.  Such a
    criterion could only ever be "not triggered" or "missed", which would
    read as the players' failure rather than a typo.

    ``injects`` are every inject of the exercise (the scenario's, the
    MSEL's and a script's); actors are the ids and names the scenario's
    files hold (a plan's report goes to ``city_duty_room``) and the
    injects' senders.
    """
    from cmdsim.io import to_data

    inject_ids = {i.id for i in (*scenario.injects, *injects)}
    incidents = {i.id for i in scenario.incidents}
    actors = _strings(to_data(scenario), set())
    actors |= {i.source for i in (*scenario.injects, *injects) if i.source}
    folded = {a.casefold(): a for a in actors}
    kinds = {str(k.value) for k in EventKind}
    problems: list[Problem] = []

    def add(criterion: Criterion, path: str, message: str) -> None:
        problems.append(Problem(message, path, file, criterion.line))

    for index, criterion in enumerate(criteria):
        where = f"criteria[{index}]"
        if isinstance(criterion.after, float):
            if criterion.after >= scenario.horizon:
                add(
                    criterion,
                    f"{where}.after",
                    f"{criterion.after:g} min is when or after the exercise ends (horizon "
                    f"{scenario.horizon:g} min): the criterion could never start",
                )
            patterns = [("expect", criterion.expect)]
        else:
            patterns = [("after", criterion.after), ("expect", criterion.expect)]
        for name, pattern in patterns:
            at = f"{where}.{name}"
            if pattern.inject is not None and pattern.inject not in inject_ids:
                add(
                    criterion,
                    f"{at}.inject",
                    f"no inject {pattern.inject!r}{_hint(pattern.inject, inject_ids)}",
                )
            if pattern.kind is not None and pattern.kind.lower() not in kinds:
                add(
                    criterion,
                    f"{at}.kind",
                    f"unknown event kind {pattern.kind!r}{_hint(pattern.kind.lower(), kinds)}",
                )
            if pattern.incident is not None and pattern.incident not in incidents:
                add(
                    criterion,
                    f"{at}.incident",
                    f"no incident {pattern.incident!r} in the scenario"
                    + _hint(pattern.incident, incidents),
                )
            if pattern.actor is not None and pattern.actor.strip().casefold() not in folded:
                add(
                    criterion,
                    f"{at}.actor",
                    f"no actor {pattern.actor!r} in the scenario (an id of its district or an "
                    f"inject's sender){_hint(pattern.actor, {a for a in actors if a.isascii()})}",
                )
            for key, value in pattern.details:
                message = _detail_problem(key, value)
                if message:
                    add(criterion, f"{at}.details.{key}", message)
    return problems


def _detail_problem(key: str, value: str) -> str | None:
    """Why a detail's wanted value can never match, or ``None``."""
    target = value
    for op in (">=", "<="):
        if value.startswith(op):
            target = value[len(op) :].strip()
            break
    else:
        op = ""
    if key == "issuer":
        # A signal event names its issuer (city or district): any other
        # value, or a comparison, would never match.
        if op or target.strip().lower() not in _ISSUERS:
            return f"issuer: {value!r} is none of {', '.join(_ISSUERS)}"
        return None
    ranked = _RANKED.get(key)
    if ranked is Signal and target.strip().lower() == Lift.LIFTED.value:
        # A lifted signal's event (解除预警) says ``lifted``: matched as
        # written, with no rank to compare.
        return f"{key}: a lifted signal has no rank to compare with {op}" if op else None
    if ranked is not None:
        try:
            ranked.parse(target)
        except ValueError as exc:
            return f"{key}: {exc}"
        return None
    if op:
        for enum_type in (Level, Signal):
            try:
                enum_type.parse(target)
                return None
            except ValueError:
                pass
        try:
            float(target)
        except ValueError:
            return f"{value!r} compares with neither a level, a signal nor a number"
    return None


def _hint(value: str, pool: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, sorted(pool), n=3, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


def _strings(data: Any, out: set[str]) -> set[str]:
    """Every text a plain-data tree holds (ids, names, addresses)."""
    if isinstance(data, str):
        out.add(data)
    elif isinstance(data, Mapping):
        for value in data.values():
            _strings(value, out)
    elif isinstance(data, list | tuple):
        for value in data:
            _strings(value, out)
    return out
