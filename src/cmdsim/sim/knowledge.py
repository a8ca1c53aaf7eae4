"""What reporters know (issue #12, 2b): figures late and under-counted,
false alarms, duplicates and the duty room's verification (核实).

A channel with :class:`~cmdsim.model.organisation.Figures` reports an
observation without its casualty and household figures, or with a first,
under-counted count of them; recounts follow as reports of their own until
the count is complete.  A public channel's report of an incident brings, at
the rates the channel states, false alarms (reports of nothing: triaged,
verified and discarded) and duplicates (repeats the room recognises at
triage: no case).  A channel's ``verify`` delay is a room officer's work
after triage, before the report counts.

The duty rooms decide on what reached them (:mod:`cmdsim.sim.decision`); this
module makes the reports, charges the room's time and records the known
picture next to the truth for the ``knowledge`` results of each incident.
Nothing here runs for a scenario whose channels state none of it: results
are then those of the engine without this module, draw for draw.

Streams (new names, so no existing source's draws move):
``figures/<incident>/<channel>`` (per observation: the lag, then each
recount's interval), ``noise/<incident>/<channel>`` (per genuine report: the
uniforms deciding false alarms and duplicates, and each one's delay),
``room/<room>/verify/<incident>``, ``room/<room>/count/<incident>`` (a
count's triage), ``room/<room>/false/<incident>`` (a false alarm's triage
and verification) and ``room/<room>/duplicate/<incident>``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Generator, Iterable, Mapping
from typing import Any

import simpy

from cmdsim.model.conditions import Op
from cmdsim.model.levels import Level
from cmdsim.model.organisation import FIGURES, Channel, ChannelKind, Receiver
from cmdsim.model.scenario import Scenario
from cmdsim.sim.compiled import CompiledIncident, CompiledPlan
from cmdsim.sim.context import Run
from cmdsim.sim.events import EventKind
from cmdsim.sim.reporting import Report
from cmdsim.sim.streams import (
    count_triage_stream,
    duplicate_stream,
    false_alarm_stream,
    figures_stream,
    noise_stream,
    triage_stream,
    verify_stream,
)

COUNT, FALSE_ALARM, DUPLICATE = "count", "false_alarm", "duplicate"
"""A report's ``nature`` besides a channel's first report of an observation ("")."""

Deliver = Callable[[Report, Receiver], None]

_FIGURE_KEYS = frozenset(FIGURES)
"""FIGURES for membership tests (a hashed look-up at every key of every report)."""


def channel_reason(channel: Channel) -> str | None:
    """Why the channel's reports are not the truth at once, or ``None``."""
    if channel.figures is not None and channel.figures.active:
        return f"channel {channel.id} delays or under-counts its figures (figures)"
    if channel.false_alarms > 0:
        return f"channel {channel.id} has false alarms (false_alarms {channel.false_alarms:g})"
    if channel.duplicates > 0:
        return f"channel {channel.id} has duplicates (duplicates {channel.duplicates:g})"
    if channel.verify is not None and not _lag_zero(channel.verify):
        return f"channel {channel.id}'s reports are verified (verify)"
    return None


def reason(scenario: Scenario) -> str | None:
    """Why the scenario's known picture may differ from the truth, or ``None``
    (the fast path refuses a scenario with a reason)."""
    for channel in scenario.district.channels:
        found = channel_reason(channel)
        if found is not None:
            return found
    return None


def carried(channel: Channel, known: Mapping[str, Any]) -> Mapping[str, Any]:
    """What the channel's report of an observation carries of the truth ``known``."""
    if channel.kind is ChannelKind.WARNING:
        # A warning passes its signal; the figures come from those who count.
        return {k: value for k, value in known.items() if k not in _FIGURE_KEYS}
    spec = channel.figures
    if spec is None or not spec.active:
        return known
    if _lag_zero(spec.lag):
        return _counted(known, spec.fraction(0), keep_rest=True)
    return {k: value for k, value in known.items() if k not in _FIGURE_KEYS}


def _lag_zero(delay: Any) -> bool:
    return getattr(delay, "minutes", None) == 0.0 and getattr(delay, "kind", "") == "fixed"


def _counted(known: Mapping[str, Any], fraction: float, *, keep_rest: bool) -> dict[str, Any]:
    """The figures of ``known`` as a count giving ``fraction`` of each (whole
    people and households, rounded down); with nothing counted, no figures."""
    out: dict[str, Any] = {}
    for key, value in known.items():
        if key in _FIGURE_KEYS:
            if fraction > 0:
                out[key] = float(math.floor(float(value) * fraction + 1e-9))
        elif keep_rest:
            out[key] = value
    return out


class Knowledge:
    """One run's reporters' knowledge: makes counts and noise, charges rooms,
    records the known picture.  ``run.knowledge`` when the scenario has a
    :func:`reason`, else ``None``."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.channels = {c.id: c for c in run.district.channels}
        # incident -> the figures known at the deciding room(s), as they moved
        self.history: dict[str, list[tuple[float, dict[str, float]]]] = {}
        # incident -> (when, level the known picture warranted) as it moved
        self.known_levels: dict[str, list[tuple[float, Level | None]]] = {}
        # incident -> the rule the deciding room applied (thresholds, true levels)
        self.rules: dict[str, CompiledPlan] = {}
        self.tally: dict[str, dict[str, float]] = {}
        self._counted: dict[str, bool] = {}
        # incident -> the known picture, raise flags and rule of its last :meth:`picture`
        self._last: dict[str, tuple[dict[str, Any], tuple[str, ...], CompiledPlan]] = {}

    # -- reports -------------------------------------------------------------

    def deliverer(self, deliver: Deliver) -> Deliver:
        """``deliver`` that also sends an arrived report's counts and noise."""

        def send(report: Report, to: Receiver) -> None:
            deliver(report, to)
            channel = self.channels.get(report.channel)
            if channel is None or report.nature or to is not channel.to:
                return
            incident = self.run.compiled.incident.get(report.incident)
            spec = channel.figures
            if spec is not None and spec.active and incident is not None:
                self.run.env.process(self._counts(channel, incident, report, deliver))
            if channel.false_alarms > 0 or channel.duplicates > 0:
                self._noise(channel, report, deliver)

        return send

    def _counts(
        self, channel: Channel, incident: CompiledIncident, report: Report, deliver: Deliver
    ) -> Generator[simpy.Event, Any, None]:
        spec = channel.figures
        assert spec is not None
        run = self.run
        truth = incident.severity_at(report.observed)
        start = 1 if _lag_zero(spec.lag) else 0
        if _FIGURE_KEYS.isdisjoint(truth) or start > spec.recounts:
            return  # nothing to count, or no count after the report's own
        # Made only when there is something to count (a stream is keyed by
        # its name, so when it is made moves no draw).
        rng = run.streams(figures_stream(report.incident, channel.id))
        memo = run.compiled.carried
        for count in range(start, spec.recounts + 1):
            wait = spec.lag.sample(rng) if count == 0 else spec.every.sample(rng)
            yield run.env.timeout(wait * channel.factors.factor(run.band()))
            # The count says the same in every run (see Compiled.carried).
            key = (COUNT, channel.id, incident.id, report.observed, count)
            figures = memo.get(key)
            if figures is None:
                figures = memo[key] = _counted(truth, spec.fraction(count), keep_rest=False)
            if figures:
                deliver(report._replace(known=figures, nature=COUNT), channel.to)

    def _noise(self, channel: Channel, report: Report, deliver: Deliver) -> None:
        """Each further report is a false alarm or a duplicate at the channel's
        rates, else the run of them ends: their shares of all its reports are
        then the rates (a geometric number per genuine report)."""
        run = self.run
        rng = run.streams(noise_stream(report.incident, channel.id))
        false_alarms, duplicates = channel.false_alarms, channel.duplicates
        while True:
            draw = rng.random()
            if draw >= false_alarms + duplicates:
                return
            nature = FALSE_ALARM if draw < false_alarms else DUPLICATE
            delay = channel.delay.sample(rng) * channel.factors.factor(run.band())
            extra = report._replace(known={}, level=None, nature=nature)
            run.env.process(self._later(delay, extra, channel.to, deliver))

    def _later(
        self, delay: float, report: Report, to: Receiver, deliver: Deliver
    ) -> Generator[simpy.Event, Any, None]:
        yield self.run.env.timeout(delay)
        if self.run.trace:
            sent = (
                EventKind.FALSE_ALARM_SENT
                if report.nature == FALSE_ALARM
                else EventKind.DUPLICATE_SENT
            )
            self.run.emit(report.channel, sent, report.incident)
        deliver(report, to)

    # -- the rooms' work -----------------------------------------------------

    def triage_stream(self, room: str, report: Report) -> str:
        """The stream a report's triage draws from (a genuine one's as before)."""
        if not report.nature:  # a channel's report of an observation: most of them
            return triage_stream(room, report.incident)
        if report.nature == COUNT:
            return count_triage_stream(room, report.incident)
        if report.nature == FALSE_ALARM:
            return false_alarm_stream(room, report.incident)
        if report.nature == DUPLICATE:
            return duplicate_stream(room, report.incident)
        return triage_stream(room, report.incident)

    def verification(self, room: str, report: Report, factor: float) -> float:
        """Minutes of verification the report needs at ``room`` after triage:
        the channel's ``verify``, except for duplicates (recognised at triage)
        and for a report a town room verified and forwarded."""
        channel = self.channels.get(report.channel)
        if (
            channel is None
            or channel.verify is None
            or report.nature == DUPLICATE
            or report.via is not None
        ):
            return 0.0
        name = (
            false_alarm_stream(room, report.incident)
            if report.nature == FALSE_ALARM
            else verify_stream(room, report.incident)
        )
        return channel.verify.sample(self.run.streams(name)) * factor

    def handled(self, room: str, report: Report, triage: float, verify: float) -> bool:
        """Record a room's work on a report; whether it goes on (not noise)."""
        tally = self.tally.get(report.incident)
        if tally is None:
            tally = self.tally[report.incident] = {}
        if verify:
            tally["verify_minutes"] = tally.get("verify_minutes", 0.0) + verify
        if report.nature in (FALSE_ALARM, DUPLICATE):
            key = "false_alarms" if report.nature == FALSE_ALARM else "duplicates"
            tally[key] = tally.get(key, 0.0) + 1
            minutes = f"{key[:-1]}_minutes"
            tally[minutes] = tally.get(minutes, 0.0) + triage + verify
            self.run.emit(
                room,
                EventKind.FALSE_ALARM_DISCARDED
                if report.nature == FALSE_ALARM
                else EventKind.DUPLICATE_DISCARDED,
                report.incident,
                channel=report.channel,
                minutes=triage + verify,
            )
            return False
        return True

    # -- the known picture ---------------------------------------------------

    def figures_counted(self, hazard: str) -> bool:
        """Whether the incident's figures reach the rooms only by counts: the
        lead's reassessment then sees the figures the rooms have, not the truth."""
        # Asked at every reassessment; a function of the compiled scenario.
        found = self._counted.get(hazard)
        if found is None:
            found = self._counted[hazard] = any(
                c.figures is not None and c.figures.active
                for c in self.run.compiled.channels_for(hazard)
            )
        return found

    def on_scene(self, truth: Mapping[str, Any], hazard: str) -> Mapping[str, Any]:
        """What the lead's reassessment adds to the case: the truth, without
        the figures when those come by counts."""
        if not self.figures_counted(hazard):
            return truth
        return {k: v for k, v in truth.items() if k not in _FIGURE_KEYS}

    def lowering(
        self, truth: Mapping[str, Any], known: Mapping[str, Any], hazard: str
    ) -> dict[str, Any]:
        """The case's picture after a de-escalation (judged on the truth: the
        level comes down when the situation truly eased, not because a count
        is still coming in): the truth, with each counted figure no higher
        than its count (a figure falls when it truly falls, but is never
        believed above what was counted)."""
        out = dict(truth)
        if not self.figures_counted(hazard):
            return out
        for key in FIGURES:
            if key in out:
                have = known.get(key)
                out[key] = min(float(out[key]), float(have)) if have is not None else None
        return {k: v for k, v in out.items() if v is not None}

    def picture(
        self, incident: str, known: Mapping[str, Any], rule: CompiledPlan, flags: tuple[str, ...]
    ) -> None:
        """:meth:`seen` with the level ``rule`` gives on ``known`` under ``flags``.

        Most reports and reassessments leave the picture as it was: when the
        incident's last picture had the same figures, flags and rule, its
        history already ends with them and nothing is recorded (nor the
        level worked out again).
        """
        last = self._last.get(incident)
        if last is not None and last[2] is rule and last[1] == flags and last[0] == known:
            return
        self._last[incident] = (dict(known), flags, rule)
        self.seen(incident, known, rule, rule.level_for(known, flags))

    def seen(
        self,
        incident: str,
        known: Mapping[str, Any],
        rule: CompiledPlan | None,
        level: Level | None,
    ) -> None:
        """The deciding room's picture of the incident after it moved."""
        # At every report a deciding room triages and every reassessment;
        # most leave the picture as it was.
        figures = {k: float(v) for k in FIGURES if (v := known.get(k)) is not None}
        history = self.history.get(incident)
        if history is None:
            history = self.history[incident] = []
        if not history or history[-1][1] != figures:
            history.append((self.run.env.now, figures))
        levels = self.known_levels.get(incident)
        if levels is None:
            levels = self.known_levels[incident] = []
        if not levels or levels[-1][1] != level:
            levels.append((self.run.env.now, level))
        if rule is not None:
            self.rules[incident] = rule

    # -- results -------------------------------------------------------------

    def record(self, incident: CompiledIncident) -> dict[str, Any]:
        """The incident's ``knowledge`` results (see docs/knowledge.md)."""
        run = self.run

        def flags(when: float) -> tuple[str, ...]:
            # As the deciding room's (case.raise_flags): a holiday raises too.
            return incident.flags + (("holiday",) if run.compiled.band_at(when).is_holiday else ())

        inc = incident.id
        onset = incident.onset
        end = run.compiled.horizon
        tally = self.tally.get(inc, {})
        rule = self.rules.get(inc) or run.compiled.plan_for(incident.hazard, incident.town)
        lags: dict[str, float | None] = {}
        unseen = 0
        history = self.history.get(inc, [])
        for figure, value, strict in thresholds(rule):
            true_at = _true_crossing(incident, figure, value, strict)
            if true_at is None:
                lags.setdefault(figure, None)
                continue
            known_at = next(
                (t for t, f in history if figure in f and _over(f[figure], value, strict)),
                None,
            )
            if known_at is None:
                unseen += 1
                known_at = end
            lag = max(0.0, known_at - (onset + true_at))
            old = lags.get(figure)
            lags[figure] = lag if old is None else max(old, lag)
        return {
            "known_lag": dict(sorted(lags.items())),
            "never_known": unseen,
            "under_response": self._under(incident, rule, flags),
            "false_alarms": int(tally.get("false_alarms", 0)),
            "false_alarm_minutes": tally.get("false_alarm_minutes", 0.0),
            "duplicates": int(tally.get("duplicates", 0)),
            "duplicate_minutes": tally.get("duplicate_minutes", 0.0),
            "verify_minutes": tally.get("verify_minutes", 0.0),
        }

    def _under(
        self,
        incident: CompiledIncident,
        rule: CompiledPlan | None,
        flags: Callable[[float], tuple[str, ...]],
    ) -> float:
        """Minutes from onset to the end of the run in which the known picture
        warranted a lower level than the truth did (under the same rule)."""
        if rule is None:
            return 0.0
        onset = incident.onset
        end = self.run.compiled.horizon
        if end <= onset:
            return 0.0
        truth: list[tuple[float, Level | None]] = []
        for at, known in zip(incident.times, incident.known, strict=True):
            when = max(onset, onset + at)
            truth.append((when, rule.level_for(known, flags(when))))
        known_steps = self.known_levels.get(incident.id, [])
        cuts = sorted({onset, end, *(t for t, _ in truth), *(t for t, _ in known_steps)})
        total = 0.0
        for lo, hi in itertools.pairwise(cuts):
            if hi <= onset or lo >= end:
                continue
            true_level = _step(truth, lo)
            known_level = _step(known_steps, lo)
            if true_level is not None and (known_level is None or known_level < true_level):
                total += hi - lo
        return total


TALLIES = (
    "false_alarms",
    "false_alarm_minutes",
    "duplicates",
    "duplicate_minutes",
    "verify_minutes",
)


def knowledge_leaves(figures: Iterable[str] = FIGURES) -> tuple[str, ...]:
    """The names below ``incident.<id>.knowledge`` a run can report, with a
    ``known_lag`` for each of ``figures`` (those its rules' :func:`thresholds` test)."""
    return (
        *(f"known_lag.{figure}" for figure in figures),
        "never_known",
        "under_response",
        *TALLIES,
    )


def _step(steps: list[tuple[float, Level | None]], time: float) -> Level | None:
    found: Level | None = None
    for when, level in steps:
        if when > time:
            break
        found = level
    return found


def thresholds(rule: CompiledPlan | None) -> list[tuple[str, float, bool]]:
    """Each (figure, value, strict) a trigger of the rule tests with ``>=``/``>``:
    the figures whose ``known_lag`` the incident's knowledge reports."""
    if rule is None:
        return []
    out: set[tuple[str, float, bool]] = set()
    for trigger in rule.plan.triggers:
        for condition in (*trigger.any_of, *trigger.all_of):
            if condition.attribute in FIGURES and condition.op in (Op.GE, Op.GT):
                out.add((condition.attribute, float(condition.value), condition.op is Op.GT))  # type: ignore[arg-type]
    return sorted(out)


def _over(have: float, value: float, strict: bool) -> bool:
    return have > value if strict else have >= value


def _true_crossing(
    incident: CompiledIncident, figure: str, value: float, strict: bool
) -> float | None:
    """Minutes after onset the true figure first meets the threshold (at the
    earliest the onset)."""
    for at, known in zip(incident.times, incident.known, strict=True):
        have = known.get(figure)
        if have is not None and _over(float(have), value, strict):
            return max(0.0, at)
    return None


__all__ = [
    "COUNT",
    "DUPLICATE",
    "FALSE_ALARM",
    "Knowledge",
    "carried",
    "knowledge_leaves",
    "reason",
    "thresholds",
]
