"""Hypothesis strategies for incidents of a district.

Severities span the whole range a plan's thresholds may test, with small
values and the district's own thresholds (and their neighbours) drawn
often; onsets fall on any day of a year at any minute, so nights, weekends
and holidays all occur; places are the district's towns and their
committees.

>>> from hypothesis import given
>>> from cmdsim.model import District, Hazard, Town
>>> district = District(id="d", hazards=[Hazard("gas")], towns=[Town("t")])
>>> @given(incidents(district))
... def test(incident):
...     assert incident.hazard == "gas"
>>> test()
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import strategies as st

from cmdsim.model import District, Incident, Lift, PlanKind, SeverityPoint, Signal
from cmdsim.model.governing import plan_choice

# Upper ends of each attribute: beyond every level-I threshold seen in plans.
RANGES: dict[str, tuple[int, int]] = {
    "deaths": (0, 60),
    "serious_injuries": (0, 200),
    "direct_loss": (0, 300),
    "households": (0, 200_000),
    "rainfall": (0, 250),
    "traffic_cut_hours": (0, 120),
    "supply_cut_hours": (0, 120),
}
"""The range each numeric attribute is drawn from."""

FLAGS = ("holiday", "major_event", "sensitive_site")
"""The standard flags (a test may read a level with all of them); an incident
is drawn with the flags its district's plans raise on."""


def amounts(attribute: str, near: Sequence[float] = ()) -> st.SearchStrategy[float]:
    """Values of one attribute: often small, sometimes anywhere in its range,
    and, given the plans' thresholds ``near``, often at and next to each.

    The range reaches past the highest threshold, so a plan whose level I
    starts above ``RANGES`` is still exercised, and a hole between two bands
    far above the small values (deaths 80-99 between 79 and 100) is drawn at
    its edges, not left to a uniform draw that seldom lands in it."""
    low, high = RANGES[attribute]
    top = max([high, *(math.ceil(v) + 1 for v in near)])
    small = st.integers(low, min(high, 12))
    wide = st.integers(low, top)
    edges = sorted(
        {
            edge
            for v in near
            for edge in (math.floor(v) - 1, math.floor(v), math.ceil(v), math.ceil(v) + 1)
            if edge >= low
        }
    )
    if not edges:
        return st.one_of(small, wide).map(float)
    return st.one_of(small, st.sampled_from(edges), wide).map(float)


def thresholds(district: District, hazard: str) -> dict[str, tuple[float, ...]]:
    """The numeric values the triggers of every plan that may answer
    ``hazard`` (its special plans and the general plans) test, by attribute.

    A threshold on ``casualties`` (deaths plus seriously injured) is a
    threshold of each part too."""
    found: dict[str, set[float]] = {}
    for plan in district.plans:
        general = plan.kind is PlanKind.GENERAL and not plan.hazards
        if hazard not in plan.hazards and not general:
            continue
        for trigger in plan.triggers:
            for condition in (*trigger.all_of, *trigger.any_of):
                if isinstance(condition.value, Signal):
                    continue
                names = (
                    ("deaths", "serious_injuries")
                    if condition.attribute == "casualties"
                    else (condition.attribute,)
                )
                for name in names:
                    if name in RANGES:
                        found.setdefault(name, set()).add(float(condition.value))
    return {name: tuple(sorted(values)) for name, values in sorted(found.items())}


def onsets(
    start: dt.datetime = dt.datetime(2024, 1, 1), days: int = 366
) -> st.SearchStrategy[dt.datetime]:
    """Calendar times to the minute over ``days`` days from ``start``."""
    return _onsets(start, days)


@st.composite
def _onsets(draw: st.DrawFn, start: dt.datetime, days: int) -> dt.datetime:
    # Not ``.map(lambda ...)``: hypothesis would show a falsifying example's
    # onset as the lambda's body, ``start + dt.timedelta(minutes=0)``, which
    # tells the reader of a failed plan test nothing; this shows the datetime.
    return start + dt.timedelta(minutes=draw(st.integers(0, days * 24 * 60 - 1)))


@st.composite
def severity_points(
    draw: st.DrawFn,
    forecastable: bool = False,
    near: Mapping[str, Sequence[float]] | None = None,
) -> SeverityPoint:
    """One severity point at onset (``at`` = 0) with some attributes set;
    ``near``: thresholds by attribute to draw at (see :func:`amounts`)."""
    near = near or {}
    names = draw(st.sets(st.sampled_from(sorted(RANGES)), min_size=1))
    values: dict[str, Any] = {
        name: draw(amounts(name, near.get(name, ()))) for name in sorted(names)
    }
    if forecastable and draw(st.booleans()):
        values["signal"] = draw(st.sampled_from(list(Signal)))
    return SeverityPoint(at=0.0, **values)


@st.composite
def timelines(
    draw: st.DrawFn,
    forecastable: bool = False,
    near: Mapping[str, Sequence[float]] | None = None,
    *,
    lifts: bool = False,
) -> tuple[SeverityPoint, ...]:
    """One to three points in time order; forecastable hazards may start with
    a warning signal before impact; ``near`` as for :func:`severity_points`.

    ``lifts``: a later point may lift the signal in force (``signal:
    lifted``, 解除预警) instead of setting a colour; off by default, so the
    examples drawn without it stay the same."""
    points: list[SeverityPoint] = []
    if forecastable and draw(st.booleans()):
        lead = draw(st.integers(10, 360))
        points.append(SeverityPoint(at=-float(lead), signal=draw(st.sampled_from(list(Signal)))))
    first = draw(severity_points(forecastable=forecastable, near=near))
    points.append(first)
    in_force = any(p.signal is not None for p in points)
    at = 0.0
    for _ in range(draw(st.integers(0, 2))):
        at += draw(st.integers(5, 240))
        later = draw(severity_points(forecastable=forecastable, near=near))
        values = later.values()
        if lifts and in_force and draw(st.booleans()):
            values["signal"] = Lift.LIFTED
        if values.get("signal") is not None:
            in_force = values["signal"] is not Lift.LIFTED
        points.append(SeverityPoint(at=at, **values))
    return tuple(points)


@st.composite
def incidents(
    draw: st.DrawFn,
    district: District,
    hazard: str | None = None,
    *,
    start: dt.datetime = dt.datetime(2024, 1, 1),
    days: int = 366,
    flags: bool = True,
) -> Incident:
    """An incident of ``hazard`` (any district hazard if None) in a district town.

    Needs a district with at least one hazard and one town.
    """
    if not district.hazards or not district.towns:
        raise ValueError("incidents() needs a district with hazards and towns")
    hazards = {h.id: h for h in district.hazards}
    if hazard is None:
        hazard = draw(st.sampled_from(sorted(hazards)))
    elif hazard not in hazards:
        close = difflib.get_close_matches(hazard, sorted(hazards), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"it has {', '.join(sorted(hazards))}"
        raise ValueError(f"district {district.id!r}: unknown hazard {hazard!r} ({hint})")
    town = draw(st.sampled_from(district.towns))
    fields: dict[str, Any] = {"hazard": hazard, "town": town.id, "committee": None}
    with_committee: bool = draw(st.booleans())
    if town.committees and with_committee:
        fields["committee"] = draw(st.sampled_from(town.committees)).id
    # Only flags a plan deciding the incident raises on: the loader refuses
    # one with no effect.
    deciding = plan_choice(district).deciding(hazard, town.id)
    raised = sorted({f for plan in deciding for f in plan.raise_flags})
    if flags and raised:
        fields["flags"] = tuple(sorted(draw(st.sets(st.sampled_from(raised), max_size=2))))
    fields["onset"] = draw(onsets(start, days))
    fields["timeline"] = draw(
        timelines(forecastable=hazards[hazard].forecastable, near=thresholds(district, hazard))
    )
    return Incident(id="incident", **fields)
