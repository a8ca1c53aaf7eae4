"""What a loaded file is checked for beyond its model's own validators.

The model accepts what a program may build on purpose: a drill's console
adds an inject past the horizon, an MSEL names its recipients in free text.
A file is what a planner writes by hand, so the loader also refuses:

- times outside the run: an onset, a timeline point or an inject before the
  scenario start or after its horizon (the absolute time counts, so a
  forecast warning at ``at: -180`` is fine when onset is three hours in);
- a timeline point that states nothing (``{at: 30}``: no figure, condition
  or signal), which would change nothing;
- an inject ``to`` naming no duty room, unit, command or town;
- a ``source`` that is a near miss of such an id (otherwise it is free text);
- incident flags no plan knows, and plan flags one letter off a standard one;
- an incident's or a report limit's ``zone`` no town lies in;
- a report's ``to`` or follow-up ``injects`` one slip from a known id (a
  report may go to the city, and name another scenario's inject);
- an incident's ``location_type`` one slip from a site type a plan's
  ``sites`` names (other kinds of place are the scenario's own words);
- an ``accept`` entry naming a plan or report that does not exist
  (:func:`cmdsim.model.acceptance.reference_errors`);
- information officers counted at a tier ``officers.tiers`` leaves out
  while an ``officers`` channel reports: the relay would pass the tier over
  and the count would never bind.

Each check returns :class:`~cmdsim.errors.ModelError` objects with paths
relative to the object checked; the structurer locates them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from cmdsim.errors import ModelError
from cmdsim.io._nodes import distance, slips, suggest
from cmdsim.model import District, Scenario, SeverityPoint
from cmdsim.model.acceptance import reference_errors
from cmdsim.model.carrying import states_nothing
from cmdsim.model.governing import PlanChoice, plan_choice
from cmdsim.model.levels import Tier
from cmdsim.model.organisation import ChannelKind
from cmdsim.model.plans import Plan

FLAGS = ("holiday", "major_event", "sensitive_site")
"""The flags every plan understands; a plan's ``raise_flags`` may add its own."""

OUTSIDE = frozenset({"city_duty_room"})
"""Recipients of a plan's reports outside the district that the bundled plans name."""

DEFAULT_RECIPIENT = "district_duty_room"
"""An inject's ``to`` when the file leaves it out (``Inject.to``'s default)."""


_ID_LIKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")

Predicate = Callable[[str], bool]

REFERENCE = re.compile(r"^unknown (?P<what>[a-z ]+?) (?P<ref>'[^']*'|\"[^\"]*\")")
"""How every unknown-reference message starts, model's and ours alike."""

NEEDS: dict[str, frozenset[str]] = {
    "hazard": frozenset({"hazards"}),
    "unit": frozenset({"units"}),
    "command": frozenset({"commands"}),
    "town": frozenset({"towns"}),
    "channel": frozenset({"channels"}),
    "plan": frozenset({"plans"}),
    "post": frozenset({"commands"}),
    "resource": frozenset({"units"}),
    "committee": frozenset({"towns"}),
    "unit or duty room": frozenset({"units", "duty_room", "towns"}),
    "unit or command": frozenset({"units", "commands"}),
    "recipient": frozenset({"units", "commands", "towns", "duty_room"}),
    "sender": frozenset({"units", "commands", "towns", "duty_room", "channels"}),
    "flag": frozenset({"plans"}),
    "zone": frozenset({"towns"}),
}
"""Which of a district's fields an unknown reference of each kind looks in:
when one of them failed to load, the reference is unchecked, not unknown."""


def _minutes(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _iso(when: dt.datetime) -> str:
    return when.isoformat(timespec="minutes") if when.second == 0 else when.isoformat()


def _past(when: float, horizon: float) -> str:
    """Where a time at or after the horizon falls: the run stops at the
    horizon before anything timed at that very minute happens."""
    if when == horizon:
        return f"at the horizon of {_minutes(horizon)} min, where the run stops before it"
    return f"after the horizon of {_minutes(horizon)} min"


def _unknown(what: str, ref: str, known: Iterable[str], path: str) -> ModelError:
    return ModelError(f"unknown {what} {ref!r}{suggest(ref, sorted(known))}", path)


def _is_time(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def recipients(district: District) -> set[str]:
    """Every id an inject may be sent ``to``: duty rooms, units, commands, towns."""
    known = {room.id for room in district.duty_rooms() if isinstance(room.id, str)}
    for group in (district.units, district.commands, district.towns):
        known.update(item.id for item in group if isinstance(item.id, str))
    return known


def known_flags(district: District) -> set[str]:
    """The standard flags and every flag a plan raises the level on."""
    known = set(FLAGS)
    for plan in district.plans:
        known.update(f for f in plan.raise_flags if isinstance(f, str))
    return known


def raised_flags(district: District) -> set[str]:
    """The flags some plan of the district raises the level on: the only way
    an incident's flag changes a run."""
    return {f for plan in district.plans for f in plan.raise_flags if isinstance(f, str)}


def deciding_plans(s: Scenario, index: int, choice: PlanChoice) -> list[Plan]:
    """The plans whose triggers the engine reads with incident ``index``'s
    flags: its town plan and the one that takes over from it, or its
    district plan — and those of every incident on its site, whose flags a
    merged case shares (sim/decision.py)."""
    incident = s.incidents[index]
    site = getattr(incident, "site", None)
    group = [i for i in s.incidents if i is incident or (site is not None and i.site == site)]
    return [plan for one in group for plan in choice.deciding(one.hazard, one.town)]


def _no_effect_flag(flag: str, raised: set[str], deciding: list[Plan], path: str) -> ModelError:
    # The calendar alone decides a holiday band; a flag acts only through
    # the raise_flags of the plans deciding the incident (sim/case.py raise_flags).
    names = ", ".join(dict.fromkeys(plan.id for plan in deciding)) or "none"
    if flag in raised:
        why = f"no plan deciding the incident's level ({names}) raises the level on {flag!r}"
    else:
        which = f"; plans raise on {', '.join(sorted(raised))}" if raised else ""
        why = f"no plan raises the level on {flag!r}{which}"
    return ModelError(
        f"{why}: the flag would have no effect (an incident's flags act only through the "
        "`raise_flags` of the plans deciding its level); add it to the `raise_flags` of the "
        "plan that should answer it, or leave it out",
        path,
    )


def zones(district: District) -> set[str]:
    """The places towns say they lie in (``inner``, ``outer``)."""
    found = (getattr(t, "zone", None) for t in district.towns)
    return {zone for zone in found if isinstance(zone, str)}


def _unknown_zone(zone: str, known: set[str], path: str) -> ModelError:
    hint = suggest(zone, sorted(known))
    if not hint:
        hint = f" (towns' zones: {', '.join(sorted(known))})" if known else " (no town has a zone)"
    return ModelError(f"unknown zone {zone!r}{hint}", path)


def _near_miss(name: str, known: set[str]) -> bool:
    """Whether ``name`` is a few slips from a known id (see :func:`slips`)."""
    limit = slips(name)
    return any(distance(name, ident, limit) <= limit for ident in known)


def district_errors(district: District) -> list[ModelError]:
    """Flags, zones and report recipients of the district's plans.

    A plan flag one edit from a standard flag is a typo; others are the
    plan's own.  A report limit's zone must be a town's.  A report's ``to``
    may name a body outside the district (the city duty room), so only a
    near miss of a district id is refused.
    """
    errors: list[ModelError] = []
    places = zones(district)
    inside = recipients(district)
    for pi, plan in enumerate(district.plans):
        for fi, flag in enumerate(plan.raise_flags):
            if isinstance(flag, str) and flag not in FLAGS and suggest(flag, FLAGS):
                errors.append(_unknown("flag", flag, FLAGS, f"plans[{pi}].raise_flags[{fi}]"))
        for ri, report in enumerate(plan.reports):
            base = f"plans[{pi}].reports[{ri}]"
            for li, limit in enumerate(getattr(report, "limits", ())):
                zone = getattr(limit, "zone", None)
                if isinstance(zone, str) and zone not in places:
                    errors.append(_unknown_zone(zone, places, f"{base}.limits[{li}].zone"))
            to = getattr(report, "to", None)
            known = inside | OUTSIDE
            if isinstance(to, str) and to not in known and _near_miss(to, known):
                errors.append(_unknown("recipient", to, known, f"{base}.to"))
    errors.extend(reference_errors(district.accept, district.plans, district.hazards))
    errors.extend(_unrelayed_tier_errors(district))
    return errors


def _unrelayed_tier_errors(district: District) -> list[ModelError]:
    """Officers counted at a tier ``officers.tiers`` leaves out, where an
    ``officers`` channel reports: a relay passes that tier over, so the
    count would never bind (none of those officers would ever be busy)."""
    if not any(channel.kind is ChannelKind.OFFICERS for channel in district.channels):
        return []
    counts = district.officers_by_tier()
    return [
        ModelError(
            f"{counts[tier]} {tier.value}-tier officer(s) are counted but the tier has no "
            f"relay delay and miss here: reports would pass it over and the count would "
            f"never bind; add `{tier.value}: {{relay: ..., miss: ...}}` (or count no one there)",
            "officers.tiers",
        )
        for tier in Tier
        if counts[tier] > 0 and tier not in district.officers.tiers
    ]


def scenario_errors(
    scenario: Scenario, written: Predicate, troubled: Predicate
) -> list[ModelError]:
    """Times outside the run and references the model leaves unchecked.

    ``written(path)`` says whether the file set the field at ``path``;
    ``troubled(path)`` whether that field (or what holds it) is already
    reported, so that nothing is reported twice or on a stand-in value.
    """
    return [
        *_time_errors(scenario, troubled),
        *_empty_point_errors(scenario, troubled),
        *_reference_errors(scenario, written, troubled),
    ]


def _time_errors(s: Scenario, troubled: Predicate) -> list[ModelError]:
    if troubled("start") or troubled("horizon") or not isinstance(s.start, dt.datetime):
        return []
    if not _is_time(s.horizon):
        return []
    horizon = float(s.horizon)
    if horizon <= 0:
        return [ModelError("a horizon of 0 minutes runs nothing", "horizon")]
    errors: list[ModelError] = []
    for index, incident in enumerate(s.incidents):
        errors.extend(_incident_errors(s, index, incident, horizon, troubled))
    for index, inject in enumerate(s.injects):
        path = f"injects[{index}].at"
        if troubled(path) or not _is_time(inject.at):
            continue
        if inject.at >= horizon:
            errors.append(
                ModelError(
                    f"{_minutes(inject.at)} min is {_past(inject.at, horizon)} "
                    f"(the run ends {_iso(s.start + dt.timedelta(minutes=horizon))})",
                    path,
                )
            )
    return errors


def _incident_errors(
    s: Scenario, index: int, incident: Any, horizon: float, troubled: Predicate
) -> list[ModelError]:
    base = f"incidents[{index}]"
    onset_path = f"{base}.onset"
    if troubled(onset_path) or not isinstance(incident.onset, dt.datetime):
        return []
    if (incident.onset.tzinfo is None) != (s.start.tzinfo is None):
        if incident.onset.tzinfo is None:
            # The other way round is the model's own check.
            return [ModelError("onset has no time zone but the start has one", onset_path)]
        return []
    onset = s.minutes(incident.onset)
    end = s.start + dt.timedelta(minutes=horizon)
    if onset < 0:
        return [
            ModelError(
                f"onset {_iso(incident.onset)} is {_minutes(-onset)} min before the scenario "
                f"start {_iso(s.start)} (warnings before impact go in the timeline, at "
                "negative 'at')",
                onset_path,
            )
        ]
    if onset >= horizon:
        return [
            ModelError(
                f"onset {_iso(incident.onset)} is {_minutes(onset)} min after the start "
                f"{_iso(s.start)}, {_past(onset, horizon)} (the run "
                f"ends {_iso(end)}): the incident would never happen in the run",
                onset_path,
            )
        ]
    points = [
        (k, onset + float(point.at))
        for k, point in enumerate(incident.timeline)
        if not troubled(f"{base}.timeline[{k}].at") and _is_time(point.at)
    ]
    outside = [(k, when) for k, when in points if not 0 <= when < horizon]
    if outside and len(outside) == len(incident.timeline):
        times = [when for _, when in outside]
        return [
            ModelError(
                f"the whole timeline lies outside the run: its points fall {_span(times)}, "
                f"the run covers 0 to {_minutes(horizon)} min from the start",
                f"{base}.timeline",
            )
        ]
    errors: list[ModelError] = []
    for k, when in outside:
        point = incident.timeline[k]
        if when < 0:
            where = f"{_minutes(-when)} min before the start {_iso(s.start)}"
        else:
            where = f"{_minutes(when)} min after the start, {_past(when, horizon)}"
        errors.append(
            ModelError(
                f"at {_minutes(point.at)} min from onset falls {where} "
                f"(onset is {_minutes(onset)} min after the start)",
                f"{base}.timeline[{k}].at",
            )
        )
    return errors


def _span(times: list[float]) -> str:
    low, high = min(times), max(times)
    if low == high:
        return f"at {_minutes(low)} min from the start"
    return f"from {_minutes(low)} to {_minutes(high)} min from the start"


def _empty_point_errors(s: Scenario, troubled: Predicate) -> list[ModelError]:
    """Timeline points that state nothing (:func:`states_nothing`): a point
    keeps what the one before states, so one without a figure, condition or
    signal changes nothing, yet the ground channels would report it again."""
    errors: list[ModelError] = []
    for index, incident in enumerate(s.incidents):
        for k, point in enumerate(incident.timeline):
            path = f"incidents[{index}].timeline[{k}]"
            if troubled(path) or not isinstance(point, SeverityPoint) or not states_nothing(point):
                continue
            errors.append(
                ModelError(
                    f"the point at {_minutes(point.at)} min states nothing (no figure, condition "
                    "or signal): it would keep what the point before it states, changing "
                    "nothing; state what is seen or issued then (deaths, households, rainfall, "
                    "signal …), or leave the point out",
                    path,
                )
            )
    return errors


def _reference_errors(s: Scenario, written: Predicate, troubled: Predicate) -> list[ModelError]:
    district = s.district
    try:
        to_known = recipients(district)
        flags = known_flags(district)
        raised = raised_flags(district)
        channels = {c.id for c in district.channels if isinstance(c.id, str)}
        site_types = {k for plan in district.plans for k in plan.sites if isinstance(k, str)}
    except (AttributeError, TypeError):
        # A stand-in district missing what these need; its problems are reported.
        return []
    errors: list[ModelError] = []
    places = zones(district)
    for index, incident in enumerate(s.incidents):
        zone = getattr(incident, "zone", None)
        path = f"incidents[{index}].zone"
        if isinstance(zone, str) and zone not in places and not troubled(path):
            errors.append(_unknown_zone(zone, places, path))
        deciding: list[Plan] | None = None
        for fi, flag in enumerate(incident.flags or ()):
            path = f"incidents[{index}].flags[{fi}]"
            if not isinstance(flag, str) or troubled(path):
                continue
            if flag not in flags:
                errors.append(_unknown("flag", flag, flags, path))
                continue
            # Judged on the plans as loaded: none of them may be broken.
            if troubled("district.plans") or troubled(f"incidents[{index}]"):
                continue
            if deciding is None:
                deciding = deciding_plans(s, index, plan_choice(district))
            if not any(flag in plan.raise_flags for plan in deciding):
                errors.append(_no_effect_flag(flag, raised, deciding, path))
        kind = getattr(incident, "location_type", None)
        path = f"incidents[{index}].location_type"
        if (
            isinstance(kind, str)
            and kind not in site_types
            and _near_miss(kind, site_types)
            and not troubled(path)
        ):
            errors.append(_unknown("site type", kind, site_types, path))
    for index, inject in enumerate(s.injects):
        base = f"injects[{index}]"
        to = inject.to
        if (
            isinstance(to, str)
            and to not in to_known
            and (written(f"{base}.to") or to != DEFAULT_RECIPIENT)
            and not troubled(f"{base}.to")
        ):
            errors.append(_unknown("recipient", to, to_known, f"{base}.to"))
        source = inject.source
        senders = to_known | channels
        if (
            isinstance(source, str)
            and _ID_LIKE.match(source)
            and source not in senders
            and _near_miss(source, senders)
        ):
            # A free-text sender that is one slip from an id was meant as that id.
            errors.append(_unknown("sender", source, senders, f"{base}.source"))
    errors.extend(_report_inject_errors(s))
    return errors


def _report_inject_errors(s: Scenario) -> list[ModelError]:
    """A plan's follow-up on a named inject: one slip from this scenario's inject.

    A district serves several scenarios, so a name no inject here bears may
    be another scenario's; only a near miss is refused.
    """
    injects = {i.id for i in s.injects if isinstance(i.id, str)}
    errors: list[ModelError] = []
    for pi, plan in enumerate(s.district.plans):
        for ri, report in enumerate(plan.reports):
            for ki, name in enumerate(getattr(report, "injects", ())):
                if isinstance(name, str) and name not in injects and _near_miss(name, injects):
                    path = f"district.plans[{pi}].reports[{ri}].injects[{ki}]"
                    errors.append(_unknown("inject", name, injects, path))
    return errors


def reference_kind(message: str) -> tuple[str, str] | None:
    """``(what, 'ref')`` of an unknown-reference message, else ``None``."""
    match = REFERENCE.match(message)
    if match is None or match["what"] not in NEEDS:
        return None
    return match["what"], match["ref"]


def needs(what: str) -> frozenset[str]:
    """The district fields a reference of kind ``what`` resolves against."""
    return NEEDS.get(what, frozenset())


__all__ = [
    "FLAGS",
    "distance",
    "district_errors",
    "known_flags",
    "needs",
    "recipients",
    "reference_kind",
    "scenario_errors",
    "slips",
    "zones",
]
