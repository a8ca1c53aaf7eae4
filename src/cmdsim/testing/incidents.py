"""Hypothesis strategies for incidents of a district.

Severities span the whole range a plan's thresholds may test, with small
values (where level boundaries usually sit) drawn often; onsets fall on any
day of a year at any minute, so nights, weekends and holidays all occur;
places are the district's towns and their committees.

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
from typing import Any

from hypothesis import strategies as st

from cmdsim.model import District, Incident, SeverityPoint, Signal

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


def amounts(attribute: str) -> st.SearchStrategy[float]:
    """Values of one attribute: often small, sometimes anywhere in its range."""
    low, high = RANGES[attribute]
    small = st.integers(low, min(high, 12))
    wide = st.integers(low, high)
    return st.one_of(small, wide).map(float)


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
def severity_points(draw: st.DrawFn, forecastable: bool = False) -> SeverityPoint:
    """One severity point at onset (``at`` = 0) with some attributes set."""
    names = draw(st.sets(st.sampled_from(sorted(RANGES)), min_size=1))
    values: dict[str, Any] = {name: draw(amounts(name)) for name in sorted(names)}
    if forecastable and draw(st.booleans()):
        values["signal"] = draw(st.sampled_from(list(Signal)))
    return SeverityPoint(at=0.0, **values)


@st.composite
def timelines(draw: st.DrawFn, forecastable: bool = False) -> tuple[SeverityPoint, ...]:
    """One to three points in time order; forecastable hazards may start with
    a warning signal before impact."""
    points: list[SeverityPoint] = []
    if forecastable and draw(st.booleans()):
        lead = draw(st.integers(10, 360))
        points.append(SeverityPoint(at=-float(lead), signal=draw(st.sampled_from(list(Signal)))))
    first = draw(severity_points(forecastable=forecastable))
    points.append(first)
    at = 0.0
    for _ in range(draw(st.integers(0, 2))):
        at += draw(st.integers(5, 240))
        later = draw(severity_points(forecastable=forecastable))
        points.append(SeverityPoint(at=at, **later.values()))
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
    if flags:
        fields["flags"] = tuple(sorted(draw(st.sets(st.sampled_from(FLAGS), max_size=2))))
    fields["onset"] = draw(onsets(start, days))
    fields["timeline"] = draw(timelines(forecastable=hazards[hazard].forecastable))
    return Incident(id="incident", **fields)
