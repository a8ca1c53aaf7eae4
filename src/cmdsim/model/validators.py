"""attrs validators shared by the model classes.

Each raises :class:`cmdsim.errors.ModelError` naming the field, so a loader
can point at the exact YAML node.
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from cmdsim.errors import ModelError
from cmdsim.model.characters import slip_in

MAX_PEOPLE = 100_000
"""More people than this in one post, tier or shift is taken for a typo."""

MAX_MINUTES = 1_000_000.0
"""About two years: no delay or deadline in a drill is longer."""

_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")


def suggest(name: str, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the known name closest to ``name``, or ``""``:
    the hint every model error about an unknown name ends with.

    Given the known items by id (a mapping), a suggestion whose item has a
    Chinese ``name`` shows it: a pinyin id matched by its letters alone
    (``ranqi_hq``, 燃气) to another (``grain_hq``, 粮食) shows the mismatch.

    >>> class Hq:
    ...     name = "区粮食应急指挥部"
    >>> suggest("ranqi_hq", {"grain_hq": Hq()})
    " (did you mean 'grain_hq' (区粮食应急指挥部)?)"
    """
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    if not close:
        return ""
    label = ""
    if isinstance(known, Mapping):
        named = getattr(known[close[0]], "name", None)
        # The Chinese the name starts with ("道路交通事故 road traffic…" gives
        # 道路交通事故): the English after it repeats what the id says.
        han = re.match(r"[^\x00-\x7f]+", named) if isinstance(named, str) else None
        if han is not None:
            text = han.group()
            label = f" ({text if len(text) <= 12 else text[:11] + '…'})"
    return f" (did you mean {close[0]!r}{label}?)"


Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def slug(_inst: object, attr: attrs.Attribute[Any], value: str) -> None:
    """Identifiers are lower-case ASCII slugs: ``flood_hq``, ``zhangjiang_town``."""
    if not isinstance(value, str) or not _SLUG.match(value):
        raise ModelError(
            f"{value!r} is not an id ({_why_not(value)})",
            attr.name,
        )


def _why_not(value: Any) -> str:
    """The character a Chinese keyboard slipped in, or the rule for ids."""
    slip = slip_in(value) if isinstance(value, str) else ""
    return slip or "lower-case ASCII letters, digits and _, starting with a letter"


def _not_a_reference(value: Any) -> str:
    if value == "":
        # A required reference left out stands at its default ''.
        return "an id is needed here, and none is given"
    slip = slip_in(value) if isinstance(value, str) else ""
    return f"{value!r} is not an id" + (f" ({slip})" if slip else "")


def ref(_inst: object, attr: attrs.Attribute[Any], value: str) -> None:
    """A reference to an id defined elsewhere: any single word.

    Its shape is not checked here, so that ``fire-rescue`` reaches the
    reference check and gets ``unknown unit 'fire-rescue' (did you mean
    'fire_rescue'?)`` rather than a lecture on what ids look like.
    """
    if not isinstance(value, str) or not value or value.split() != [value]:
        raise ModelError(_not_a_reference(value), attr.name)


def minutes(_inst: object, attr: attrs.Attribute[Any], value: float | None) -> None:
    """A finite, non-negative duration in minutes, at most :data:`MAX_MINUTES`."""
    if value is None:
        return
    check_minutes(value, attr.name)


def check_minutes(value: float, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ModelError(f"expected a number of minutes, got {value!r}", name)
    if math.isnan(value) or math.isinf(value):
        raise ModelError(f"{value} is not a finite number of minutes", name)
    if value < 0:
        raise ModelError(f"{value:g} minutes is negative", name)
    if value > MAX_MINUTES:
        raise ModelError(f"{value:g} minutes is absurdly long (max {MAX_MINUTES:g})", name)


def check_number(value: Any, name: str) -> None:
    """A number (a bool is none): a model built in Python gets a
    :class:`ModelError` naming the field, not a ``TypeError`` from a comparison."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ModelError(f"expected a number, got {value!r}", name)


def finite(_inst: object, attr: attrs.Attribute[Any], value: float | None) -> None:
    """Any finite number (times relative to onset may be negative)."""
    if value is None:
        return
    check_number(value, attr.name)
    if math.isnan(value) or math.isinf(value):
        raise ModelError(f"{value} is not a finite number", attr.name)
    if abs(value) > MAX_MINUTES:
        raise ModelError(f"{value:g} is absurdly large (max {MAX_MINUTES:g})", attr.name)


def non_negative(_inst: object, attr: attrs.Attribute[Any], value: float | None) -> None:
    """A finite quantity that is zero or more (deaths, loss, rainfall)."""
    if value is None:
        return
    check_number(value, attr.name)
    if math.isnan(value) or math.isinf(value) or value < 0:
        raise ModelError(f"{value} must be a finite number >= 0", attr.name)


def probability(_inst: object, attr: attrs.Attribute[Any], value: float) -> None:
    check_number(value, attr.name)
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise ModelError(f"{value} is not a probability between 0 and 1", attr.name)


def positive(_inst: object, attr: attrs.Attribute[Any], value: float) -> None:
    check_number(value, attr.name)
    if math.isnan(value) or math.isinf(value) or value <= 0:
        raise ModelError(f"{value} must be a finite number > 0", attr.name)


def people(_inst: object, attr: attrs.Attribute[Any], value: int) -> None:
    """A head count: 0 to :data:`MAX_PEOPLE`."""
    check_people(value, attr.name)


def check_people(value: int, name: str) -> None:
    # The loader reads `2.0` as 2; `2.5`, `True` or `"3"` from Python were
    # run as 2, 1 or a TypeError.
    whole = isinstance(value, float) and float(value).is_integer()
    if isinstance(value, bool) or not (isinstance(value, numbers.Integral) or whole):
        raise ModelError(f"expected a whole number of people, got {value!r}", name)
    if value < 0:
        raise ModelError(f"{value} people is negative", name)
    if value > MAX_PEOPLE:
        raise ModelError(f"{value} people is absurd (max {MAX_PEOPLE:,})", name)


def people_at_least_one(_inst: object, attr: attrs.Attribute[Any], value: int) -> None:
    check_people(value, attr.name)
    if value < 1:
        raise ModelError("must be at least 1", attr.name)


def unique_ids(_inst: object, attr: attrs.Attribute[Any], value: Iterable[Any]) -> None:
    """Items of a tuple with ``id`` fields must not repeat an id."""
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        ident = getattr(item, "id", None)
        if ident is None:
            continue
        if ident in seen:
            raise ModelError(
                f"duplicate id {ident!r} (first at {attr.name}[{seen[ident]}])",
                f"{attr.name}[{index}].id",
            )
        seen[ident] = index


def refs(_inst: object, attr: attrs.Attribute[Any], value: Iterable[str]) -> None:
    """Every item of a tuple is a reference (see :func:`ref`)."""
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item or item.split() != [item]:
            raise ModelError(_not_a_reference(item), f"{attr.name}[{index}]")


def slugs(_inst: object, attr: attrs.Attribute[Any], value: Iterable[str]) -> None:
    """Every item of a tuple of references is an id."""
    for index, item in enumerate(value):
        if not isinstance(item, str) or not _SLUG.match(item):
            raise ModelError(_not_a_reference(item), f"{attr.name}[{index}]")


def _number(value: Any, field: attrs.Attribute[Any]) -> float:
    if type(value) is float:
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ModelError(f"expected a number, got {value!r}", field.name)
    return float(value)


if TYPE_CHECKING:
    # attrs' mypy plugin reads a converter that is a function, not a Converter.
    def number(value: float) -> float:
        """See below."""
else:
    number = attrs.Converter(_number, takes_field=True)
    """The converter of the model's number fields: a real number as a float;
    a string, a bool or ``None`` is refused naming the field, as a file's
    (``miss: "0.1"``: expected a number); ``float`` took ``"0.1"`` and
    ``True`` from Python."""


def _items(value: Any, field: attrs.Attribute[Any]) -> tuple[Any, ...]:
    if type(value) is tuple:
        return value
    if isinstance(value, str | bytes):
        # tuple("gas") would be ('g', 'a', 's'): three ids nobody meant.
        raise ModelError(
            f"expected a tuple (a list in a file), got {value!r} (str): for one item write"
            f" ({value!r},)",
            field.name,
        )
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise ModelError(
            f"expected a tuple (a list in a file), got {value!r} ({type(value).__name__})",
            field.name,
        )
    return tuple(value)


if TYPE_CHECKING:

    def items(value: Iterable[Any]) -> tuple[Any, ...]:
        """See below."""
else:
    items = attrs.Converter(_items, takes_field=True)
    """The converter of the model's tuple fields: any other iterable as a
    tuple; a string, a mapping or a scalar is refused naming the field
    (``tuple`` made ``raise_flags="night"`` five one-letter flags, and
    ``tuple(7)`` a ``TypeError``)."""


def whole(value: float) -> int:
    """The converter of the model's head counts: a whole float as the int a
    file's ``2.0`` loads as; anything else is left for the validator."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value  # type: ignore[return-value]
