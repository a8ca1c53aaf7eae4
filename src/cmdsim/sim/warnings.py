"""Warning-linked response (预警响应联动): a signal starts its level with it.

Shanghai's flood HQ starts the response that matches a rainstorm or typhoon
signal *with* the signal ("同步启动"; blue 11:50 → level IV 11:52 on
17 Aug 2023).  A plan with :class:`~cmdsim.model.plans.WarningLink` says so
as data: when a signal of a linked colour is issued, its confirmer — the
lead HQ's office as the signal is issued, or the district duty room once the
warning channel has delivered it — confirms the level after the link's
``confirm`` delay, with no triage queue and no leader's approval.

The towns start with it too ("全市…同步启动": every tier at once).  A town
plan with its own link (the plan governing the incident at its town's room,
:meth:`~cmdsim.sim.compiled.Compiled.town_plan_for`) has the town HQ's office
confirm its level after the town link's ``confirm`` delay times the town
room's band factor (stream ``room/<town room>/warning/<incident>/<signal>``),
as the district's office confirms the district plan's.  A town plan without a
link starts from the reports that reach its room: the district's link is the
district plan's rule and does not order the town's level down (its levels
are the district plan's, which a town plan need not have).

A lowered signal lowers the district plan's level with it, as the raise
starts it: Shanghai's flood HQ "同步更新" its typhoon response from II to III
as the signal went from orange to yellow (灿都, 14 Sep 2021).  The same
confirmer confirms after the link's same ``confirm`` delay (its own stream,
``warning/<incident>/lowered/<signal>``), and the level becomes the link's
level for the new colour, or none where the link maps no colour at or below
it (灿都's response ended with its signal) — never below what the plan's
triggers give on what is true now, the new signal in force
(:func:`~cmdsim.sim.lowering.signal_lowered`).  A town plan's own link
lowers the town's level the same way while the town governs the case: its
confirmer (the town HQ's office) after the town link's ``confirm`` delay
times the town room's band factor (stream
``room/<town room>/warning/<incident>/lowered/<signal>``), to the town
link's level for the new colour, never below the town plan's triggers on
what is true now; a colour the town link does not map closes the town's
response.  A case the district governs (handed over, or taken by the
district's link) is the district's to lower.  A lifted signal (解除预警,
``signal: lifted``) is lowered the same way, at both tiers, to no colour:
its confirmation draws from the same streams with ``lifted`` for the colour
(``warning/<incident>/lowered/lifted``), a name no colour has.

Each issuer's warning is its own (分级发布): the city's service and the
district's station each raise, lower and lift their own signal, and a
point changes only its issuer's.  What a link sees is the gravest signal in
force of the issuers it counts (``issuers``), and a point raises or lowers
the level only where it changes that: a city blue while the station's red
is in force changes nothing, the station's lift then lowers to the city's
blue, and only with both lifted does the lift close the response
(:func:`_step`).  The triggers read the warning in force over the district,
the gravest of every issuer's (:func:`~cmdsim.model.incidents.severity_at`).

Every signal is also recorded for the ``signal_lag`` metric: minutes from
the signal until a level at least as high as the one it calls for is in
force, whether a link or the ordinary triage path put it there.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from typing import Any

import simpy

from cmdsim.model.incidents import apply_signal, gravest, issuer_of
from cmdsim.model.levels import Issuer, Level, Lift, Signal
from cmdsim.model.plans import Confirmer, WarningLink
from cmdsim.model.scenario import SeverityPoint
from cmdsim.model.timing import BandFactors
from cmdsim.sim.compiled import CompiledIncident, CompiledPlan
from cmdsim.sim.context import LevelChange, Run, SignalFact
from cmdsim.sim.events import EventKind
from cmdsim.sim.streams import (
    town_warning_lowered_stream,
    town_warning_stream,
    warning_lowered_stream,
    warning_stream,
)

Confirm = Callable[[str, str, str | None, Level, Signal], None]
"""Sets a confirmed level on an incident's case: ``(incident, hazard, town, level, signal)``."""

TownConfirm = Callable[[str, str, str, Level, Signal, float], None]
"""Sets a town link's confirmed level on the town room's case:
``(incident, hazard, town, level, signal, issued)``, ``issued`` the signal's minute."""

Lower = Callable[[str, str, str | None, Signal | Lift, float], None]
"""Lowers an incident's case with its signal: ``(incident, hazard, town, signal, issued)``,
``issued`` the lowered signal's minute (at the district room, or with a town
plan's own link at the town's room); ``signal`` is ``Lift.LIFTED`` when the
signal was lifted (解除)."""


class WarningLinks:
    """Watches signals and runs the confirmations their plans link to them."""

    def __init__(
        self,
        run: Run,
        confirm: Confirm,
        town_confirm: TownConfirm,
        lower: Lower,
        town_lower: Lower,
    ) -> None:
        self.run = run
        self.confirm = confirm
        self.town_confirm = town_confirm
        self.lower = lower
        self.town_lower = town_lower

    def _link(self, incident: CompiledIncident) -> tuple[CompiledPlan, WarningLink] | None:
        comp = self.run.compiled
        rule = comp.plan_for(incident.hazard, incident.town)
        if rule is None or rule.plan.warnings is None:
            return None
        if rule is comp.town_plan_for(incident.hazard, incident.town):
            return None  # the town plan's own link, which its town's room runs
        return rule, rule.plan.warnings

    def _town_link(self, incident: CompiledIncident) -> tuple[CompiledPlan, WarningLink] | None:
        rule = self.run.compiled.town_plan_for(incident.hazard, incident.town)
        if rule is None or rule.plan.warnings is None:
            return None
        return rule, rule.plan.warnings

    def issued(self, incident: CompiledIncident, point: SeverityPoint) -> None:
        """A signal was issued (the incident process, at the signal's time)."""
        signal = point.signal
        if signal is None:
            return
        run = self.run
        now = run.env.now
        found = self._link(incident)
        if isinstance(signal, Signal):
            # A lift is no colour: it calls for no level and has no lag.
            called = run.compiled.choice.level_called_for(incident.hazard, incident.town, signal)
            wanted = None if called is None else called.value
            facts = run.ledger.incident(incident.id)
            facts.signals.append(SignalFact(signal.value, now, wanted))
        if found is not None:
            rule, link = found
            if link.confirm_by is Confirmer.OFFICE and _counts(link, point):
                self._aware(incident, rule)
                self._start(incident, link, point)
        town = self._town_link(incident)
        if town is not None and _counts(town[1], point) and incident.town is not None:
            # Checked at load: a town plan's link is its office's (Confirmer.OFFICE).
            self._aware(incident, town[0])
            step = _step(incident, point, town[1])
            if step is not None:
                lowers, seen = step
                if lowers:
                    run.env.process(self._lower_town(incident, incident.town, town[1], seen))
                else:
                    assert isinstance(seen, Signal)  # a lift always lowers
                    level = town[1].level_for(seen)
                    if level is not None:
                        run.env.process(
                            self._confirm_town(incident, incident.town, town[1], seen, level)
                        )

    def _aware(self, incident: CompiledIncident, rule: CompiledPlan) -> None:
        facts = self.run.ledger.incident(incident.id)
        if facts.aware is None:
            # The HQ's office receives the signal as it is issued: someone in
            # the chain knows of it from now on.
            facts.aware = self.run.env.now
            self.run.emit(
                rule.plan.lead or "office", EventKind.AWARE, incident.id, channel="warning_link"
            )

    def delivered(self, incident: CompiledIncident, observed: float) -> None:
        """The warning channel delivered the signal of ``observed`` to the district room."""
        found = self._link(incident)
        if found is None:
            return
        _, link = found
        if link.confirm_by is not Confirmer.DUTY_ROOM:
            return
        point = next(
            (p for p in incident.incident.timeline if p.at == observed and p.signal is not None),
            None,
        )
        if point is None or point.signal is None or not _counts(link, point):
            return
        self._start(incident, link, point)

    def _start(self, incident: CompiledIncident, link: WarningLink, point: SeverityPoint) -> None:
        step = _step(incident, point, link)
        if step is None:
            return
        lowers, signal = step
        if lowers:
            issued = incident.onset + point.at
            self.run.env.process(self._lower(incident, link, signal, issued))
            return
        assert isinstance(signal, Signal)  # a lift always lowers
        level = link.level_for(signal)
        if level is None:
            return
        self.run.env.process(self._confirm(incident, link, signal, level))

    def _lower(
        self, incident: CompiledIncident, link: WarningLink, signal: Signal | Lift, issued: float
    ) -> Generator[simpy.Event, Any, None]:
        # The raise's delay model and band factor, its own stream: a lowering
        # added to a timeline never shifts a raise's confirmation.
        stream = warning_lowered_stream(incident.id, signal.value)
        yield self.run.env.timeout(self._delay(link, stream))
        self.lower(incident.id, incident.hazard, incident.town, signal, issued)

    def _delay(self, link: WarningLink, stream: str, factors: BandFactors | None = None) -> float:
        """The link's confirmation delay drawn from ``stream``, times the band
        factor in force of the confirming room (the district's by default)."""
        run = self.run
        rng = run.streams(stream)
        if factors is None:
            factors = run.district.duty_room.factors
        return link.confirm.sample(rng) * factors.factor(run.band())

    def _confirm(
        self, incident: CompiledIncident, link: WarningLink, signal: Signal, level: Level
    ) -> Generator[simpy.Event, Any, None]:
        # One stream per incident and colour: another signal or incident
        # never shifts this confirmation (common random numbers).
        stream = warning_stream(incident.id, signal.value)
        yield self.run.env.timeout(self._delay(link, stream))
        self.confirm(incident.id, incident.hazard, incident.town, level, signal)

    def _confirm_town(
        self, incident: CompiledIncident, town: str, link: WarningLink, signal: Signal, level: Level
    ) -> Generator[simpy.Event, Any, None]:
        run = self.run
        issued = run.env.now
        room = run.compiled.town_rooms[town]
        # The district link's delay model, the town's own draw and band factor.
        stream = town_warning_stream(room.id, incident.id, signal.value)
        yield run.env.timeout(self._delay(link, stream, room.factors))
        self.town_confirm(incident.id, incident.hazard, town, level, signal, issued)

    def _lower_town(
        self, incident: CompiledIncident, town: str, link: WarningLink, signal: Signal | Lift
    ) -> Generator[simpy.Event, Any, None]:
        run = self.run
        issued = run.env.now
        room = run.compiled.town_rooms[town]
        # The town raise's delay model and band factor, a stream of its own:
        # a lowering added to a timeline moves no raise at either tier.
        stream = town_warning_lowered_stream(room.id, incident.id, signal.value)
        yield run.env.timeout(self._delay(link, stream, room.factors))
        self.town_lower(incident.id, incident.hazard, town, signal, issued)


def _seen(
    incident: CompiledIncident, point: SeverityPoint, link: WarningLink
) -> tuple[Signal | None, Signal | None]:
    """The signal ``link`` sees just before ``point`` and with it: the gravest
    in force of the issuers it counts (none when each of them has lifted).

    Each issuer's warning is its own (分级发布): a point raises, lowers or
    lifts only its issuer's, and a district station's red stays in force
    over the district until the station changes or lifts it, whatever the
    city issues meanwhile."""
    before: dict[Issuer, Signal] = {}
    for earlier in incident.incident.timeline:
        if earlier is point:
            break
        apply_signal(before, earlier)
    after = dict(before)
    apply_signal(after, point)
    return gravest(before, link.issuers), gravest(after, link.issuers)


def _step(
    incident: CompiledIncident, point: SeverityPoint, link: WarningLink
) -> tuple[bool, Signal | Lift] | None:
    """What ``point`` does to the signal ``link`` sees: ``(True, colour)`` a
    lowering to that colour (``Lift.LIFTED``: to none, every counted issuer's
    lifted), ``(False, colour)`` a raise to it, or the colour in force issued
    again; ``None`` when the point leaves another issuer's graver signal in
    force (a city blue under the district's red changes nothing)."""
    before, after = _seen(incident, point, link)
    if before is not None and (after is None or after.rank < before.rank):
        return True, Lift.LIFTED if after is None else after
    if after is not None and (before is None or after.rank > before.rank):
        return False, after
    if after is not None and point.signal is after:
        # The colour in force issued again (by either issuer): confirmed as before.
        return False, after
    return None


def _counts(link: WarningLink, point: SeverityPoint) -> bool:
    return issuer_of(point) in link.issuers


def signal_lags(
    signals: Sequence[SignalFact], changes: Sequence[LevelChange]
) -> dict[str, float | None]:
    """Minutes from each colour's first signal of an incident to a level at
    least the one it calls for, given the incident's level ``changes``.

    ``None`` when that level was never in force by the end of the run, or
    when no plan maps the colour to a level.
    """
    lags: dict[str, float | None] = {}
    for signal in signals:
        colour, issued, wanted = signal.colour, signal.issued, signal.wanted
        if colour in lags:
            continue
        lags[colour] = None
        if wanted is None:
            continue
        rank = Level(wanted).rank
        held = _held_at(changes, issued)
        if held is not None and Level(held).rank >= rank:
            # Already in force when the signal came: the response is at once.
            lags[colour] = 0.0
            continue
        for change in changes:
            level = change.level
            if change.time > issued and level is not None and Level(level).rank >= rank:
                lags[colour] = change.time - issued
                break
    return lags


def _held_at(changes: Sequence[LevelChange], time: float) -> str | None:
    held: str | None = None
    for change in changes:
        if change.time > time:
            break
        held = change.level
    return held
