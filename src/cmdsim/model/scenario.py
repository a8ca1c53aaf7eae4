"""The district as a whole and scenarios: a district with incidents and
injects (:mod:`cmdsim.model.incidents`) on it.  Cross-references are checked
when a district or scenario is built, and every dangling one is reported at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Protocol, TypeVar

import attrs

from cmdsim.errors import ModelError, ScenarioError
from cmdsim.model import bodies as _bodies
from cmdsim.model import validators as v
from cmdsim.model.acceptance import Acceptance
from cmdsim.model.acceptance import reference_errors as accept_reference_errors
from cmdsim.model.bodies import Body, CommunityResponse, RegulatedDuty, Responsibility
from cmdsim.model.characters import SYNTAX, slip_in
from cmdsim.model.conditions import Trigger
from cmdsim.model.incidents import (
    FIGURE_NAMES,
    Incident,
    Inject,
    SeverityPoint,
    figure_problem,
    severity_at,
)
from cmdsim.model.levels import Level, Tier
from cmdsim.model.organisation import (
    Channel,
    Command,
    DutyRoom,
    Hazard,
    OfficerNetwork,
    Town,
    Unit,
)
from cmdsim.model.plans import Plan, PlanKind, PlanTier
from cmdsim.model.timing import Calendar
from cmdsim.model.validators import suggest


class ModelErrors(ModelError):
    """Several problems found at once; ``errors`` holds each with its path."""

    def __init__(self, errors: list[ModelError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(str(e) for e in errors))


class _Refs:
    """Collects dangling references with the field path where each stands."""

    def __init__(self) -> None:
        self.errors: list[ModelError] = []

    def check(self, ref: str | None, known: Mapping[str, Any], what: str, path: str) -> None:
        if ref is not None and ref not in known:
            # A Chinese office writes the unit as it is called (燃气公司);
            # say which id that name belongs to rather than no hint at all.
            named = [k for k, item in known.items() if getattr(item, "name", None) == ref]
            # A full-width space or quote typed with the id: say which.
            cleaned = "".join(c for c in ref if c not in SYNTAX)
            slip = slip_in(ref) if cleaned != ref and cleaned.isascii() else ""
            near = suggest(ref, known)
            if named:
                hint = f" (that is the name of {what} {named[0]!r}: refer to it by its id)"
            elif slip:
                hint = f"{near[:-1]} {slip})" if near else f" ({slip})"
            else:
                hint = near or _by_name(ref, known, what)
            self.errors.append(ModelError(f"unknown {what} {ref!r}{hint}", path))


def _by_name(ref: str, known: Mapping[str, Any], what: str) -> str:
    """`` (did you mean 'gas_hq', 区燃气事故应急处置指挥部?)`` for a reference
    written in Chinese that is part of a name, or near one (燃气, 燃气指挥部)."""
    if ref.isascii():
        return ""
    names = {k: str(getattr(item, "name", "") or "") for k, item in known.items()}
    inside = [k for k, name in names.items() if ref in name]
    if len(inside) == 1:
        key = inside[0]
    else:
        close = difflib.get_close_matches(ref, [n for n in names.values() if n], n=1, cutoff=0.5)
        matches = [k for k, name in names.items() if close and name == close[0]]
        if not matches:
            return f" (refer to a {what} by its id, not its name)"
        key = matches[0]
    return f" (did you mean {key!r}, {names[key]}? refer to a {what} by its id)"


@attrs.frozen
class District:
    """A district's whole emergency command system.

    ``town_required`` lists the hazards every town must have a special plan
    for (the "10" of a town's "1+10+X").
    """

    id: str = attrs.field(validator=v.slug)
    name: str = ""
    hazards: tuple[Hazard, ...] = attrs.field(default=(), converter=v.items, validator=v.unique_ids)
    units: tuple[Unit, ...] = attrs.field(default=(), converter=v.items, validator=v.unique_ids)
    commands: tuple[Command, ...] = attrs.field(
        default=(), converter=v.items, validator=v.unique_ids
    )
    duty_room: DutyRoom = DutyRoom(id="district_duty_room", name="区总值班室")
    towns: tuple[Town, ...] = attrs.field(default=(), converter=v.items, validator=v.unique_ids)
    officers: OfficerNetwork = OfficerNetwork()
    channels: tuple[Channel, ...] = attrs.field(
        default=(), converter=v.items, validator=v.unique_ids
    )
    plans: tuple[Plan, ...] = attrs.field(default=(), converter=v.items, validator=v.unique_ids)
    calendar: Calendar = Calendar()
    town_required: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.refs)
    bodies: tuple[Body, ...] = attrs.field(default=(), converter=v.items, validator=v.unique_ids)
    duties: tuple[RegulatedDuty, ...] = attrs.field(default=(), converter=v.items)
    responsibilities: tuple[Responsibility, ...] = attrs.field(default=(), converter=v.items)
    community: CommunityResponse = CommunityResponse()
    source: str = ""
    accept: tuple[Acceptance, ...] = attrs.field(default=(), converter=v.items)
    """Findings of ``cmdsim check`` accepted on purpose, each with its reason."""

    def __attrs_post_init__(self) -> None:
        errors = district_reference_errors(self)
        if errors:
            raise ModelErrors(errors)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """A one-line summary for pretty printers (hypothesis, IPython).

        A property test that takes the district as a fixture has it printed
        with every falsifying example; its full repr is hundreds of lines that
        bury the incident that failed."""
        parts = (
            f"{len(self.hazards)} hazards",
            f"{len(self.units)} units",
            f"{len(self.commands)} commands",
            f"{len(self.plans)} plans",
            f"{len(self.towns)} towns",
        )
        printer.text(f"District(id={self.id!r}, {', '.join(parts)})")

    # Look-ups by id; built on demand because frozen classes cannot cache
    # without ceremony, and districts are small.
    def command(self, ident: str) -> Command:
        return _by_id(self.commands, ident)

    def unit(self, ident: str) -> Unit:
        return _by_id(self.units, ident)

    def town(self, ident: str) -> Town:
        return _by_id(self.towns, ident)

    def plan(self, ident: str) -> Plan:
        return _by_id(self.plans, ident)

    def hazard(self, ident: str) -> Hazard:
        return _by_id(self.hazards, ident)

    @property
    def general_command(self) -> Command | None:
        return next((c for c in self.commands if c.general), None)

    @property
    def special_commands(self) -> tuple[Command, ...]:
        """The district's specialised HQs (the "N"): neither the general HQ nor a town's own."""
        return tuple(c for c in self.commands if not c.general and c.town is None)

    @property
    def town_commands(self) -> tuple[Command, ...]:
        """The towns' own commands (街镇应急指挥部)."""
        return tuple(c for c in self.commands if c.town is not None)

    def officers_by_tier(self) -> dict[Tier, int]:
        counts = {tier: 0 for tier in Tier}
        counts[Tier.DISTRICT] = self.officers.district
        for town in self.towns:
            for tier, n in town.officers_by_tier().items():
                counts[tier] += n
        return counts

    @property
    def officer_count(self) -> int:
        return sum(self.officers_by_tier().values())

    def plans_for(self, hazard: str) -> tuple[Plan, ...]:
        return tuple(p for p in self.plans if hazard in p.hazards)

    def plans_governing(self, hazard: str, town: str | None) -> tuple[Plan, ...]:
        """The plans that may govern an incident of ``hazard`` in ``town``: the
        district's and that town's own (not the other towns')."""
        return tuple(
            p
            for p in self.plans
            if hazard in p.hazards and (p.tier is not PlanTier.TOWN or p.town == town)
        )

    def recipients(self) -> dict[str, str | None]:
        """Whom an inject may be addressed to (``Inject.to``): each duty room,
        command, unit and town, with the town whose room it reaches (``None``:
        the district room).  A town's room, command, the units of its command
        and the town itself reach the town's room."""
        out: dict[str, str | None] = {}
        out[self.duty_room.id] = None
        out.update((c.id, c.town) for c in self.commands)
        out.update((u.id, None) for u in self.units)
        for command in self.commands:
            if command.town is not None:
                out.update((unit, command.town) for unit in command.member_units)
                out[command.lead_unit] = command.town
        for town in self.towns:
            out[town.id] = town.id
            if town.duty_room is not None:
                out[town.duty_room.id] = town.id
        return out

    def duty_rooms(self) -> Iterator[DutyRoom]:
        yield self.duty_room
        for town in self.towns:
            if town.duty_room is not None:
                yield town.duty_room


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


_T = TypeVar("_T", bound=_HasId)


def _by_id(items: Iterable[_T], ident: str) -> _T:
    for item in items:
        if item.id == ident:
            return item
    raise KeyError(ident)


def district_reference_errors(d: District) -> list[ModelError]:
    """Every reference in the district that names nothing, with its path."""
    refs = _Refs()
    hazards = {h.id: h for h in d.hazards}
    units = {u.id: u for u in d.units}
    commands = {c.id: c for c in d.commands}
    towns = {t.id: t for t in d.towns}
    rooms = {r.id: r for r in d.duty_rooms()}
    resources = {r.id: r for u in d.units for r in u.resources}
    reporters = {**units, **rooms}
    plan_ids = {p.id: p for p in d.plans}
    for ci, cmd in enumerate(d.commands):
        base = f"commands[{ci}]"
        refs.check(cmd.lead_unit, units, "unit", f"{base}.lead_unit")
        refs.check(cmd.town, towns, "town", f"{base}.town")
        for mi, member in enumerate(cmd.member_units):
            refs.check(member, units, "unit", f"{base}.member_units[{mi}]")
        posts = {p.id: p for p in cmd.posts}
        for pi, post in enumerate(cmd.posts):
            refs.check(post.unit, units, "unit", f"{base}.posts[{pi}].unit")
        for qi, term in enumerate(cmd.quorum):
            for ti, post_id in enumerate(term.posts):
                refs.check(post_id, posts, "post", f"{base}.quorum[{qi}].posts[{ti}]")
    for ci, channel in enumerate(d.channels):
        for hi, hazard in enumerate(channel.hazards):
            refs.check(hazard, hazards, "hazard", f"channels[{ci}].hazards[{hi}]")
    for ti, town in enumerate(d.towns):
        for si, hazard in enumerate(town.plan_set.special):
            refs.check(hazard, hazards, "hazard", f"towns[{ti}].plan_set.special[{si}]")
    for hi, hazard in enumerate(d.town_required):
        refs.check(hazard, hazards, "hazard", f"town_required[{hi}]")
    for pi, plan in enumerate(d.plans):
        base = f"plans[{pi}]"
        refs.check(plan.town, towns, "town", f"{base}.town")
        refs.check(plan.lead, commands, "command", f"{base}.lead")
        for hi, hazard in enumerate(plan.hazards):
            refs.check(hazard, hazards, "hazard", f"{base}.hazards[{hi}]")
        for ri, report in enumerate(plan.reports):
            refs.check(report.by, reporters, "unit or duty room", f"{base}.reports[{ri}].by")
        for mi, rule in enumerate(plan.merge):
            for hi, hazard in enumerate(rule.hazards):
                refs.check(hazard, hazards, "hazard", f"{base}.merge[{mi}].hazards[{hi}]")
        for ei, target in enumerate(plan.escalation.hand_over):
            refs.check(target, plan_ids, "plan", f"{base}.escalation.hand_over[{ei}]")
        for level, response in plan.levels.items():
            lbase = f"{base}.levels.{level.value}"
            for ai, cmd_id in enumerate(response.activate):
                refs.check(cmd_id, commands, "command", f"{lbase}.activate[{ai}]")
            for ni, target in enumerate(response.notify):
                refs.check(
                    target, {**units, **commands}, "unit or command", f"{lbase}.notify[{ni}]"
                )
            for di, call in enumerate(response.reinforce):
                refs.check(call.room, rooms, "duty room", f"{lbase}.reinforce[{di}].room")
            for ki, task in enumerate(response.tasks):
                refs.check(task.unit, units, "unit", f"{lbase}.tasks[{ki}].unit")
                for res in task.resources:
                    refs.check(res, resources, "resource", f"{lbase}.tasks[{ki}].resources.{res}")
        if plan.takeover is not None:
            bodies = {b.id: b for b in d.bodies}
            for bi, body in enumerate(plan.takeover.convene):
                refs.check(body, bodies, "body", f"{base}.takeover.convene[{bi}]")
    _bodies.reference_errors(d, refs.check)
    return [
        *refs.errors,
        *_general_hq_errors(d),
        *_bodies.shared_id_errors(d),
        *_bodies.parent_cycles(d.bodies),
    ]


def _general_hq_errors(d: District) -> list[ModelError]:
    """The "1" is one HQ: a second ``general: true``, or a general plan led by
    another HQ than the one marked general, would leave the engine (which
    takes over by the general plan's lead) and the rest (the summary, the drill
    roles, the "N" counted without the general) each with a different "1"."""
    errors: list[ModelError] = []
    marked = [(ci, c) for ci, c in enumerate(d.commands) if c.general]
    for ci, cmd in marked[1:]:
        errors.append(
            ModelError(
                f"{cmd.id!r} is marked general, but {marked[0][1].id!r} already is: "
                'a district has one general HQ (the "1" of "1+N")',
                f"commands[{ci}].general",
            )
        )
    plan = first_general_plan(d.plans)
    # A town's general plan (the only one, or before the district's) is its
    # town HQ's: only the district's is the general HQ's.
    if not marked or plan is None or plan.tier is not PlanTier.DISTRICT:
        return errors
    general = marked[0][1].id
    # A lead naming no command is already an unknown-command error.
    if plan.lead != general and any(c.id == plan.lead for c in d.commands):
        errors.append(
            ModelError(
                f"the general plan {plan.id!r} is led by {plan.lead!r}, but the general HQ "
                f"(general: true) is {general!r}: a takeover would call out one and "
                "the drill's roles and summary name the other",
                f"plans[{d.plans.index(plan)}].lead",
            )
        )
    return errors


@attrs.frozen
class Scenario:
    """A district, one or more incidents, and injects: what one run replays.

    Minutes in results count from ``start``; ``horizon`` ends the run.
    """

    id: str = attrs.field(validator=v.slug)
    district: District
    start: dt.datetime
    name: str = ""
    description: str = ""
    horizon: float = attrs.field(default=24 * 60.0, converter=v.number, validator=v.minutes)
    incidents: tuple[Incident, ...] = attrs.field(
        default=(), converter=v.items, validator=v.unique_ids
    )
    injects: tuple[Inject, ...] = attrs.field(default=(), converter=v.items, validator=v.unique_ids)
    sources: tuple[str, ...] = attrs.field(default=(), converter=v.items)

    def __attrs_post_init__(self) -> None:
        errors = scenario_reference_errors(self)
        if errors:
            raise ModelErrors(errors)

    def minutes(self, when: dt.datetime) -> float:
        """Minutes from the scenario start to ``when``."""
        return (when - self.start).total_seconds() / 60.0

    def onset_minutes(self, incident: Incident) -> float:
        return self.minutes(incident.onset)

    def without_injects(self) -> Scenario:
        """The same scenario with no injects: incidents are found only by the
        reporting channels, as they would be without an exercise's messages.

        ``cmdsim run --no-injects`` and ``cmdsim batch --no-injects``.
        """
        return attrs.evolve(self, injects=())

    def with_truth_reported(self) -> Scenario:
        """The same scenario with every channel reporting the truth at once:
        no figures late or under-counted, no false alarms, duplicates or
        verification (docs/knowledge.md) — what the fast path replays.

        ``cmdsim batch --truth-reported``.
        """
        district = self.district
        channels = tuple(
            attrs.evolve(c, figures=None, false_alarms=0.0, duplicates=0.0, verify=None)
            for c in district.channels
        )
        plain = attrs.evolve(district, channels=channels)
        return attrs.evolve(self, district=plain)

    def without_town_plans(self) -> Scenario:
        """The same scenario with no town-tier plan: the district room decides
        every incident from the first report, as before the towns' plan sets
        were structured (the fast path replays only that).

        ``cmdsim batch --no-town-plans``.
        """
        plans = tuple(p for p in self.district.plans if p.tier is not PlanTier.TOWN)
        # An acceptance of check findings on the towns' plans (``plan:
        # "*_general_plan"``) would name nothing left and be refused: it
        # goes with them, as it changes no run.
        accept = tuple(a for a in self.district.accept if not accept_reference_errors((a,), plans))
        district = attrs.evolve(self.district, plans=plans, accept=accept)
        return attrs.evolve(self, district=district)


def scenario_reference_errors(s: Scenario) -> list[ModelError]:
    refs = _Refs()
    d = s.district
    recipients = d.recipients()
    hazards = {h.id: h for h in d.hazards}
    towns = {t.id: t for t in d.towns}
    channels = {c.id: c for c in d.channels}
    for ii, incident in enumerate(s.incidents):
        base = f"incidents[{ii}]"
        refs.check(incident.hazard, hazards, "hazard", f"{base}.hazard")
        refs.check(incident.town, towns, "town", f"{base}.town")
        if incident.town in towns and incident.committee is not None:
            committees = {c.id: c for c in towns[incident.town].committees}
            refs.check(incident.committee, committees, "committee", f"{base}.committee")
        if incident.onset.tzinfo is not None and s.start.tzinfo is None:
            refs.errors.append(
                ModelError("onset has a time zone but the start has none", f"{base}.onset")
            )
    for ji, inject in enumerate(s.injects):
        base = f"injects[{ji}]"
        refs.check(inject.hazard, hazards, "hazard", f"{base}.hazard")
        refs.check(inject.town, towns, "town", f"{base}.town")
        refs.check(inject.channel, channels, "channel", f"{base}.channel")
        problem = recipient_problem(inject, recipients)
        if problem is not None:
            refs.errors.append(ModelError(problem, f"{base}.to"))
        if inject.figures and inject.hazard is None:
            refs.errors.append(ModelError(NO_INCIDENT_FIGURES, f"{base}.figures"))
    refs.errors.extend(_calendar_errors(s))
    return refs.errors


def _calendar_errors(s: Scenario) -> list[ModelError]:
    # A day past the holiday list would silently run as an ordinary working
    # day (its staffing, no holiday raise): refuse the run instead.
    period = s.district.calendar.period
    # A backwards period, or one from a date the loader could not read (its
    # stand-in is ``date.min``), is reported at the calendar already.
    if period is None or period.first > period.last or dt.date.min == period.first:
        return []
    first = s.start.date()
    # The run stops before its horizon's minute: a run ending at midnight
    # does not reach the next day.
    last = max(s.start, s.start + dt.timedelta(minutes=s.horizon, microseconds=-1)).date()
    if period.first <= first and last <= period.last:
        return []
    outside = first if first < period.first else last
    covers = s.district.calendar.covers is not None
    stated = "covers" if covers else "lists holidays"
    crossing = ""
    if period.first <= first <= period.last:
        # A night drill that runs past the calendar's last midnight: say when,
        # and that ending the run there is the other way out.
        midnight = dt.datetime.combine(
            period.last + dt.timedelta(days=1), dt.time(), s.start.tzinfo
        )
        inside = (midnight - s.start).total_seconds() / 60
        crossing = (
            f" (from minute {inside:g} of its {s.horizon:g} minutes, at {midnight.isoformat()})"
        )
        move = f", or end the run by then (horizon: {inside:g}) or move the start"
    else:
        move = ", or move the start"
    return [
        ModelError(
            f"the run reaches {outside.isoformat()}{crossing} but the district calendar {stated} "
            f"only from {period.first.isoformat()} to {period.last.isoformat()}: "
            "add that year's holidays to calendar.holidays/workdays"
            + (" and widen calendar.covers" if covers else "")
            + move,
            "start",
        )
    ]


def recipient_problem(inject: Inject, recipients: Mapping[str, str | None]) -> str | None:
    """What is wrong with the recipient (``to``) of an inject that reports an
    incident (one naming a hazard: its ``to`` decides the room it reaches),
    or ``None``.  An inject naming no hazard is a message: its ``to`` is an
    address for people (a served exercise's role), never a room."""
    if inject.hazard is None:
        return None
    if inject.to not in recipients:
        hint = suggest(inject.to, recipients) or (
            " (an incident report's `to` is the id of the room, command, unit or town it "
            "reaches, e.g. district_duty_room; `cmdsim show DISTRICT --list duty_rooms` "
            "lists the rooms)"
        )
        return f"unknown duty room, command, unit or town {inject.to!r}{hint}"
    reaches = recipients[inject.to]
    if reaches is not None and inject.town != reaches:
        where = f"in {inject.town}" if inject.town else "names no town"
        return (
            f"{inject.to!r} is in {reaches} and the inject {where}: an inject to a "
            "town reaches the room of its own town"
        )
    return None


NO_INCIDENT_FIGURES = (
    "figures on an inject that names no hazard: only an incident report "
    "(an inject with a hazard) tells a room figures"
)
"""Why an inject without a hazard may not state figures."""


def general_plan(district: District) -> Plan | None:
    """The general emergency plan (总体应急预案), if the district has one."""
    return first_general_plan(district.plans)


def first_general_plan(plans: Iterable[Plan]) -> Plan | None:
    """Of ``plans``, the one a district takes as its general plan: the first
    general plan at district tier, else the first general plan."""
    general = [p for p in plans if p.kind is PlanKind.GENERAL]
    return next((p for p in general if p.tier is PlanTier.DISTRICT), next(iter(general), None))


def covering_plan(district: District) -> Plan | None:
    """The plan for a hazard no plan names: the district's general plan
    (总体应急预案) when it names no hazard of its own, which then covers every
    hazard no special plan covers (the "1" of "1+N").  The engine decides
    such incidents by it, and ``cmdsim check`` counts it so in its coverage
    matrix; ``None`` when the district has no such plan (the engine then
    logs ``no_plan``)."""
    return next(
        (
            p
            for p in district.plans
            if p.kind is PlanKind.GENERAL and p.tier is PlanTier.DISTRICT and not p.hazards
        ),
        None,
    )


def required_level(plan: Plan, incident: Incident) -> Level | None:
    """The level the plan requires for the incident's true peak severity."""
    return plan.level_for(incident.peak(), incident.flags)


def require_scenario(value: object, caller: str) -> Scenario:
    """``value`` if it is a :class:`Scenario`, else a :class:`ScenarioError`
    naming ``caller`` (``simulate`` reads ``simulate() needs a Scenario, got
    str; load the file first: ...`` when given a path)."""
    if isinstance(value, Scenario):
        return value
    hint = (
        "; load the file first: cmdsim.io.load_scenario(path)"
        if isinstance(value, str | os.PathLike)
        else ""
    )
    raise ScenarioError(f"{caller}() needs a Scenario, got {type(value).__name__}{hint}")


__all__ = [
    "FIGURE_NAMES",
    "NO_INCIDENT_FIGURES",
    "District",
    "Incident",
    "Inject",
    "ModelErrors",
    "Scenario",
    "SeverityPoint",
    "Trigger",
    "covering_plan",
    "figure_problem",
    "general_plan",
    "require_scenario",
    "required_level",
    "severity_at",
]
