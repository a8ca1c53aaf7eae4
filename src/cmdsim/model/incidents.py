"""An incident's severity timeline, the incident itself, and injects: what
happens in a scenario, and what a scripted message tells of it."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from cmdsim.errors import ModelError
from cmdsim.model import validators as v
from cmdsim.model.conditions import ATTRIBUTES
from cmdsim.model.frozen import FrozenDict
from cmdsim.model.levels import Issuer, Level, Lift, Signal
from cmdsim.model.validators import suggest


def _check_points(
    _inst: object, attribute: attrs.Attribute[Any], value: tuple[SeverityPoint, ...]
) -> None:
    for index in range(1, len(value)):
        if value[index].at < value[index - 1].at:
            raise ModelError(
                "severity points must be in time order", f"{attribute.name}[{index}].at"
            )
    # Each issuer's warning is its own: a lift ends only its issuer's signal.
    in_force: set[Issuer] = set()
    for index, point in enumerate(value):
        if point.signal is None:
            continue
        issuer = issuer_of(point)
        if point.signal is Lift.LIFTED:
            if issuer not in in_force:
                raise ModelError(
                    f"{_WHO[issuer]} signal is lifted where it has none in force (nothing "
                    "to lift: a lift ends only its issuer's own signal; give a colour "
                    "first, or leave the lift out)",
                    f"{attribute.name}[{index}].signal",
                )
            in_force.discard(issuer)
        else:
            in_force.add(issuer)


_WHO = {Issuer.CITY: "the city's", Issuer.DISTRICT: "the district station's"}


def _only_true(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and value is not True:
        raise ModelError(
            f"{attribute.name}: only true is meaningful (handling is over from the first "
            f"point saying so; leave it out before), got {value!r}",
            attribute.name,
        )


def issuer_of(point: SeverityPoint) -> Issuer:
    """Who issued ``point``'s signal: its ``issuer``, the city's service when left out."""
    return point.issuer if point.issuer is not None else Issuer.CITY


@attrs.frozen
class SeverityPoint:
    """What is true of an incident from ``at`` minutes after onset on.

    Fields left out keep their earlier value; ``at`` may be negative for a
    warning signal issued before impact.  ``issuer`` says who issued the
    signal (the city's service when left out); it needs a ``signal``.
    ``signal: lifted`` (:class:`~cmdsim.model.levels.Lift`) lifts the signal
    in force (解除预警): from then on no colour is, until another is issued.
    """

    at: float = attrs.field(converter=v.number, validator=v.finite)
    signal: Signal | Lift | None = None
    issuer: Issuer | None = None
    deaths: float | None = attrs.field(default=None, validator=v.non_negative)
    serious_injuries: float | None = attrs.field(default=None, validator=v.non_negative)
    direct_loss: float | None = attrs.field(default=None, validator=v.non_negative)
    households: float | None = attrs.field(default=None, validator=v.non_negative)
    rainfall: float | None = attrs.field(default=None, validator=v.non_negative)
    traffic_cut_hours: float | None = attrs.field(default=None, validator=v.non_negative)
    supply_cut_hours: float | None = attrs.field(default=None, validator=v.non_negative)
    handled: bool | None = attrs.field(default=None, validator=_only_true)
    """处置完毕: from ``at`` on the handling on the scene is over (the people
    rescued, the leak stopped, the road open): the lead's next reassessment
    ends the response (事故处毕终报, its final report), whatever the figures
    say (a count of the dead never falls).  Only ``true``."""

    def __attrs_post_init__(self) -> None:
        if self.issuer is not None and self.signal is None:
            raise ModelError("an issuer without a signal has no effect", "issuer")

    def values(self) -> dict[str, Any]:
        """The attributes this point sets (casualties is derived, not stored;
        a lifted signal sets none: it takes the colour away, see :func:`severity_at`)."""
        out: dict[str, Any] = {}
        for name in ATTRIBUTES:
            value = getattr(self, name, None)
            if value is not None and value is not Lift.LIFTED:
                out[name] = value
        return out


def signals_in_force(
    timeline: Iterable[SeverityPoint], minutes_after_onset: float
) -> dict[Issuer, Signal]:
    """Each issuer's signal in force at a time: its latest colour, none after its lift.

    The city's service and the district's station each issue, change and
    lift their own warning (分级发布): a point changes only its issuer's.

    >>> pts = [SeverityPoint(at=0, signal=Signal.RED, issuer=Issuer.DISTRICT),
    ...        SeverityPoint(at=10, signal=Signal.BLUE)]
    >>> sorted((i.value, s.value) for i, s in signals_in_force(pts, 10).items())
    [('city', 'blue'), ('district', 'red')]
    """
    found: dict[Issuer, Signal] = {}
    for point in timeline:
        if point.at > minutes_after_onset:
            break
        apply_signal(found, point)
    return found


def apply_signal(in_force: dict[Issuer, Signal], point: SeverityPoint) -> None:
    """``in_force`` (each issuer's signal) after ``point``: its colour for
    its issuer, or its issuer's signal gone on a lift; unchanged without one."""
    if point.signal is Lift.LIFTED:
        in_force.pop(issuer_of(point), None)
    elif point.signal is not None:
        in_force[issuer_of(point)] = point.signal


def gravest(
    signals: Mapping[Issuer, Signal], issuers: Iterable[Issuer] | None = None
) -> Signal | None:
    """The gravest of ``signals`` (of ``issuers`` only, when given): the
    warning in force over the district; ``None`` when none is."""
    counted = [s for i, s in signals.items() if issuers is None or i in issuers]
    return max(counted, key=lambda s: s.rank) if counted else None


def severity_at(timeline: Iterable[SeverityPoint], minutes_after_onset: float) -> dict[str, Any]:
    """The attributes in force at a time: later points override earlier ones;
    the ``signal`` is the gravest of the issuers' signals in force (none when
    every one is lifted, see :func:`signals_in_force`).

    >>> pts = [SeverityPoint(at=0, deaths=1), SeverityPoint(at=30, deaths=4, serious_injuries=2)]
    >>> severity_at(pts, 45)["casualties"]
    6.0
    >>> pts = [SeverityPoint(at=0, signal=Signal.BLUE), SeverityPoint(at=60, signal=Lift.LIFTED)]
    >>> "signal" in severity_at(pts, 30), "signal" in severity_at(pts, 60)
    (True, False)
    """
    known: dict[str, Any] = {}
    issued: dict[Issuer, Signal] = {}
    for point in timeline:
        if point.at > minutes_after_onset:
            break
        known.update(point.values())
        if point.signal is not None:
            if point.signal is Lift.LIFTED:
                issued.pop(issuer_of(point), None)
            else:
                issued[issuer_of(point)] = point.signal
            signal = gravest(issued)
            if signal is None:
                known.pop("signal", None)
            else:
                known["signal"] = signal
    return _with_casualties(known)


def _with_casualties(known: dict[str, Any]) -> dict[str, Any]:
    """``known`` with ``casualties``, the dead plus the seriously injured, if it has either."""
    if "deaths" in known or "serious_injuries" in known:
        known["casualties"] = float(known.get("deaths", 0.0)) + float(
            known.get("serious_injuries", 0.0)
        )
    return known


@attrs.frozen
class Incident:
    """One incident: a hazard in a town, from an onset in calendar time.

    ``flags`` (``holiday``, ``major_event``, ``sensitive_site``) raise the
    level by one under plans that list them in ``raise_flags``, and do nothing
    else (the calendar alone decides the time band); the loader refuses a
    flag no plan deciding the incident's level lists.
    """

    id: str = attrs.field(validator=v.slug)
    hazard: str = attrs.field(validator=v.ref)
    town: str = attrs.field(validator=v.ref)
    onset: dt.datetime
    name: str = ""
    committee: str | None = None
    location_type: str = "general"
    site: str | None = attrs.field(default=None, validator=attrs.validators.optional(v.slug))
    """The place it happens, an id: incidents with the same site are
    sub-incidents of one site, which a plan's merge rule may make one
    response (see ``MergeRule``); left out, it shares its site with none."""
    zone: str | None = None
    """Where the incident lies for reporting limits by place; left out, its town's ``zone``."""
    flags: tuple[str, ...] = attrs.field(default=(), converter=v.items, validator=v.slugs)
    timeline: tuple[SeverityPoint, ...] = attrs.field(
        default=(), converter=v.items, validator=_check_points
    )

    def severity_at(self, minutes_after_onset: float) -> dict[str, Any]:
        return severity_at(self.timeline, minutes_after_onset)

    def handled_at(self) -> float | None:
        """Minutes after onset when its handling is over (the first point with
        ``handled``); ``None``: not within its timeline."""
        return next((point.at for point in self.timeline if point.handled), None)

    def peak(self) -> dict[str, Any]:
        """The worst value each attribute reaches over the whole timeline."""
        worst: dict[str, Any] = {}
        for point in self.timeline:
            known = severity_at(self.timeline, point.at)
            for key, value in known.items():
                if key not in worst or value > worst[key]:
                    worst[key] = value
        return worst


FIGURE_NAMES: tuple[str, ...] = tuple(a for a in ATTRIBUTES if a not in ("casualties", "signal"))
"""The figures an inject may state: a timeline point's numbers, by the names
the plans' triggers read.  ``casualties`` is derived from ``deaths`` and
``serious_injuries`` as on a timeline point; a signal is a colour, not a figure."""


def figure_problem(name: str, value: object) -> str | None:
    """What is wrong with an inject's figure ``name: value``, or ``None``."""
    if name not in FIGURE_NAMES:
        hint = (
            " (it is derived: state deaths and serious_injuries)"
            if name == "casualties"
            else suggest(name, FIGURE_NAMES)
        )
        return f"unknown figure {name!r}{hint} (known: {', '.join(FIGURE_NAMES)})"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"expected a number, got {value!r}"
    if math.isnan(value) or math.isinf(value):
        return f"{value} is not a finite number"
    if value < 0:
        return f"{value:g} is negative (a figure counts what is, from 0 up)"
    return None


def _figures(value: Mapping[str, Any]) -> Mapping[str, Any]:
    # Whole numbers as floats, as a timeline point's; None is a figure not
    # stated (and the loader's stand-in for one it reported); the rest is
    # for the validator.
    return FrozenDict(
        {
            k: float(v) if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in dict(value).items()
            if v is not None
        }
    )


def _check_figures(
    _inst: object, attribute: attrs.Attribute[Any], value: Mapping[str, Any]
) -> None:
    for name, number in value.items():
        problem = figure_problem(str(name), number)
        if problem is not None:
            raise ModelError(problem, f"{attribute.name}.{name}")


@attrs.frozen
class Inject:
    """A scripted message dropped into a run or drill at ``at`` minutes.

    If it names a hazard it stands for an incident report that a plan must
    cover; ``expect`` is the action the exercise designers expect.
    ``figures`` are what its message states of the incident (``deaths: 4``,
    by the names of :data:`FIGURE_NAMES`): from ``at`` on they are part of
    what the room it reaches knows, as a channel's report's figures are.
    """

    id: str = attrs.field(validator=v.slug)
    at: float = attrs.field(converter=v.number, validator=v.minutes)
    message: str = ""
    source: str = ""
    to: str = "district_duty_room"
    channel: str | None = None
    hazard: str | None = None
    town: str | None = None
    level: Level | None = None
    expect: str = ""
    objective: str = ""
    figures: Mapping[str, float] = attrs.field(
        factory=FrozenDict, converter=_figures, validator=_check_figures, hash=False
    )

    def known(self) -> dict[str, Any]:
        """What the inject tells the room it reaches: its figures, with
        ``casualties`` derived as on a timeline point (:func:`severity_at`)."""
        return _with_casualties(dict(self.figures))
