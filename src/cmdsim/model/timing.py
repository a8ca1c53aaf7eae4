"""Timing as data: delay distributions, time bands and their modifiers.

All durations are minutes, as floats.  A distribution samples from a numpy
``Generator`` handed to it; it never touches global random state.

>>> import numpy as np
>>> LogNormal(median=10.0, sigma=0.5).sample(np.random.default_rng(1)) > 0
True
>>> Fixed(5.0).sample(np.random.default_rng(1))
5.0
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, ClassVar, Union

import attrs
import numpy as np
from numpy.typing import NDArray

from cmdsim.errors import ModelError
from cmdsim.model import validators as v
from cmdsim.model.levels import TimeBand


@attrs.frozen
class Fixed:
    """Always the same number of minutes.  In YAML a bare number means this."""

    kind: ClassVar[str] = "fixed"
    minutes: float = attrs.field(converter=v.number, validator=v.minutes)

    def sample(self, rng: np.random.Generator) -> float:
        return self.minutes

    def sample_many(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        return np.full(size, self.minutes)

    @property
    def mean(self) -> float:
        return self.minutes

    @property
    def minimum(self) -> float:
        return self.minutes


@attrs.frozen
class Exponential:
    """Memoryless delay with the given mean (minutes)."""

    kind: ClassVar[str] = "exponential"
    mean: float = attrs.field(converter=v.number, validator=[v.minutes, v.positive])

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.exponential(self.mean))

    def sample_many(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        return rng.exponential(self.mean, size)

    @property
    def minimum(self) -> float:
        return 0.0


@attrs.frozen
class LogNormal:
    """Right-skewed delay given by its median (minutes) and log-scale ``sigma``.

    ``sigma`` 0.5 means about two thirds of draws fall within a factor 1.65 of
    the median.  Human call-out times are usually shaped like this.
    """

    kind: ClassVar[str] = "lognormal"
    median: float = attrs.field(converter=v.number, validator=[v.minutes, v.positive])
    sigma: float = attrs.field(converter=v.number, validator=v.non_negative)

    @sigma.validator
    def _sigma_bound(self, attribute: attrs.Attribute[float], value: float) -> None:
        if value > 5:
            raise ModelError(f"{value} is an absurd spread (max 5)", attribute.name)

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.lognormal(math.log(self.median), self.sigma))

    def sample_many(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        return rng.lognormal(math.log(self.median), self.sigma, size)

    @property
    def mean(self) -> float:
        return self.median * math.exp(self.sigma**2 / 2)

    @property
    def minimum(self) -> float:
        return 0.0


@attrs.frozen
class Triangular:
    """Delay between ``low`` and ``high`` with the most likely value ``mode``."""

    kind: ClassVar[str] = "triangular"
    low: float = attrs.field(converter=v.number, validator=v.minutes)
    mode: float = attrs.field(converter=v.number, validator=v.minutes)
    high: float = attrs.field(converter=v.number, validator=v.minutes)

    def __attrs_post_init__(self) -> None:
        if not self.low <= self.mode <= self.high:
            raise ModelError(
                f"needs low <= mode <= high, got {self.low:g}, {self.mode:g}, {self.high:g}", "mode"
            )

    def sample(self, rng: np.random.Generator) -> float:
        if self.low == self.high:
            return self.low
        return float(rng.triangular(self.low, self.mode, self.high))

    def sample_many(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        if self.low == self.high:
            return np.full(size, self.low)
        return rng.triangular(self.low, self.mode, self.high, size)

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    @property
    def minimum(self) -> float:
        return self.low


def _float_tuple(values: Any) -> tuple[float, ...]:
    return tuple(float(x) for x in values)


@attrs.frozen
class Empirical:
    """Resamples observed delays (minutes) with equal weight."""

    kind: ClassVar[str] = "empirical"
    samples: tuple[float, ...] = attrs.field(converter=_float_tuple)

    @samples.validator
    def _check(
        self, attribute: attrs.Attribute[tuple[float, ...]], value: tuple[float, ...]
    ) -> None:
        if not value:
            raise ModelError("needs at least one sample", attribute.name)
        for index, x in enumerate(value):
            v.check_minutes(x, f"{attribute.name}[{index}]")

    def sample(self, rng: np.random.Generator) -> float:
        return self.samples[int(rng.integers(len(self.samples)))]

    def sample_many(self, rng: np.random.Generator, size: int) -> NDArray[np.float64]:
        return np.asarray(self.samples)[rng.integers(len(self.samples), size=size)]

    @property
    def mean(self) -> float:
        return sum(self.samples) / len(self.samples)

    @property
    def minimum(self) -> float:
        return min(self.samples)


Delay = Union[Fixed, Exponential, LogNormal, Triangular, Empirical]  # noqa: UP007
"""Any delay distribution.  In YAML: a number (fixed) or ``{kind: ..., ...}``."""

DELAY_KINDS: dict[str, type[Delay]] = {
    cls.kind: cls for cls in (Fixed, Exponential, LogNormal, Triangular, Empirical)
}


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


@attrs.frozen
class BandFactors:
    """Multipliers applied to a delay by time band (night call-outs are slower).

    A holiday's night composes the two: ``holiday_night`` if given, else the
    product ``holiday × night`` — slower than either alone.

    >>> BandFactors(night=1.5, holiday=1.2).factor(TimeBand.HOLIDAY_NIGHT)
    1.7999999999999998
    """

    day: float = attrs.field(default=1.0, converter=v.number, validator=v.positive)
    night: float = attrs.field(default=1.0, converter=v.number, validator=v.positive)
    holiday: float = attrs.field(default=1.0, converter=v.number, validator=v.positive)
    holiday_night: float | None = attrs.field(
        default=None, converter=_optional_float, validator=attrs.validators.optional(v.positive)
    )

    def factor(self, band: TimeBand) -> float:
        # Called at every delay a run draws: the usual bands without the
        # enum's ``value`` look-up (the fields are floats by their converter).
        if band is TimeBand.DAY:
            return self.day
        if band is TimeBand.NIGHT:
            return self.night
        if band is TimeBand.HOLIDAY_NIGHT:
            if self.holiday_night is not None:
                return self.holiday_night
            return self.holiday * self.night
        return float(getattr(self, band.value))


@attrs.frozen
class Staffing:
    """How many officers are on duty in each time band.

    A holiday's night has ``holiday_night`` if given, else the smaller of
    the night and holiday shifts.

    >>> Staffing(day=4, night=2, holiday=3).on_duty(TimeBand.HOLIDAY_NIGHT)
    2
    """

    day: int = attrs.field(converter=v.whole, validator=v.people)
    night: int = attrs.field(converter=v.whole, validator=v.people)
    holiday: int = attrs.field(converter=v.whole, validator=v.people)
    holiday_night: int | None = attrs.field(
        converter=v.whole, default=None, validator=attrs.validators.optional(v.people)
    )

    def on_duty(self, band: TimeBand) -> int:
        if band is TimeBand.HOLIDAY_NIGHT:
            if self.holiday_night is not None:
                return self.holiday_night
            return min(self.night, self.holiday)
        return int(getattr(self, band.value))

    @property
    def largest(self) -> int:
        """The largest shift, at least one: how many officers a room has in all."""
        return max(1, self.day, self.night, self.holiday, self.holiday_night or 0)


def _parse_clock(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads 08:00 unquoted as a sexagesimal integer (480).
        if 0 <= value < 24 * 60:
            return dt.time(value // 60, value % 60)
        raise ValueError(f"{value} is not a time of day")
    if isinstance(value, str):
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            raise ModelError(f"{value!r} is not a time of day like '08:30'") from None
    raise ModelError(f"{value!r} is not a time of day like '08:30'")


def parse_clock(value: Any) -> dt.time:
    """A time of day from ``"08:30"``, YAML 1.1's unquoted ``08:30`` (the
    integer 510) or a :class:`datetime.time`; anything else is a :class:`ModelError`."""
    return _parse_clock(value)


@attrs.frozen
class CalendarPeriod:
    """The days a calendar's holiday list is complete for, ``first`` to ``last`` inclusive."""

    first: dt.date
    last: dt.date

    def __attrs_post_init__(self) -> None:
        if self.first > self.last:
            raise ModelError("first must not come after last", "last")


@attrs.frozen
class Calendar:
    """Classifies a calendar time as day, night, holiday or holiday night.

    Weekends and the listed ``holidays`` count as holidays all day, except
    the ``workdays``: weekend days worked to make up for a long holiday
    (调休), which are ordinary days.  The time between ``day_start`` and
    ``night_start`` is day (or holiday), the rest night (or holiday night).

    >>> cal = Calendar()
    >>> cal.band(dt.datetime(2024, 7, 3, 3, 0))
    <TimeBand.NIGHT: 'night'>
    """

    day_start: dt.time = attrs.field(default=dt.time(8, 30), converter=_parse_clock)
    night_start: dt.time = attrs.field(default=dt.time(17, 30), converter=_parse_clock)
    weekends: bool = True
    holidays: tuple[dt.date, ...] = attrs.field(default=(), converter=v.items)
    workdays: tuple[dt.date, ...] = attrs.field(default=(), converter=v.items)
    covers: CalendarPeriod | None = None

    def __attrs_post_init__(self) -> None:
        if self.day_start >= self.night_start:
            raise ModelError("day_start must come before night_start", "night_start")
        both = sorted(set(self.holidays) & set(self.workdays))
        if both:
            raise ModelError(f"{both[0].isoformat()} is both a holiday and a workday", "workdays")

    @property
    def period(self) -> CalendarPeriod | None:
        """The days the holiday list speaks for: ``covers`` if stated, else
        the earliest to the latest listed holiday or workday; ``None`` for a
        calendar that lists none (weekends only: it claims no year)."""
        if self.covers is not None:
            return self.covers
        listed = (*self.holidays, *self.workdays)
        if not listed:
            return None
        return CalendarPeriod(min(listed), max(listed))

    def band(self, when: dt.datetime) -> TimeBand:
        day = when.date()
        daytime = self.day_start <= when.time() < self.night_start
        if day in self.holidays or (
            self.weekends and when.weekday() >= 5 and day not in self.workdays
        ):
            return TimeBand.HOLIDAY if daytime else TimeBand.HOLIDAY_NIGHT
        return TimeBand.DAY if daytime else TimeBand.NIGHT
