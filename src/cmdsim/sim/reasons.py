"""Why a rule held, as the engine says it: a kind and the facts it rests on.

The general plan's takeover and a committee's call each log the reason
their rule held.  The log keeps it as data — ``reason`` (the kind),
``at_level`` (the level in force that made it hold), ``active`` (the
specialised HQs active, the ones the rule counted) — never as a sentence,
so a reader in any language gets it in their words: :data:`ENGLISH` are
the phrases a timeline has always written (``3 HQs active``, ``level I``);
``reason.*`` in :mod:`cmdsim.report.labels_zh` the Chinese ones, which
:func:`cmdsim.report.run_words.timeline_words` hands to the timeline.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

HQS_ACTIVE = "hqs_active"
"""The general plan's takeover: ``min_active`` or more specialised HQs active."""
LEVEL = "level"
"""An incident at the rule's level or above (``at_level``: the highest)."""
LEVEL_HQS_ACTIVE = "level_hqs_active"
"""A committee's rule: its hazards' highest level, with enough of its HQs active."""
TOOK_OVER = "took_over"
"""A committee convened because the general HQ took over."""
NONE_IN_FORCE = "none_in_force"
"""A committee adjourned: no incident of its hazards is in force any more."""

ENGLISH: Mapping[str, str] = {
    HQS_ACTIVE: "{n} HQs active",
    LEVEL: "level {level}",
    LEVEL_HQS_ACTIVE: "level {level}, {n} HQs active ({active})",
    TOOK_OVER: "the general HQ took over",
    NONE_IN_FORCE: "no incident of its hazards in force",
}
"""A reason's phrase by kind, in English: ``{level}``, ``{n}`` (how many HQs
active) and ``{active}`` (their ids) are filled in from the reason."""

FACT_KEYS = ("at_level", "active")
"""The detail keys a reason's facts are logged under, beside ``reason``."""


@attrs.frozen
class Reason:
    """Why a rule held: ``kind`` (one of the constants above), the level in
    force (``level``, its value ``"I"``…``"IV"``) and the HQs active
    (``active``, their ids) where the kind rests on them."""

    kind: str
    level: str | None = None
    active: tuple[str, ...] = ()

    def details(self) -> dict[str, Any]:
        """The reason as an event's (or a decision point's) details."""
        out: dict[str, Any] = {"reason": self.kind}
        if self.level is not None:
            out["at_level"] = self.level
        if self.active:
            out["active"] = ", ".join(self.active)
        return out

    def text(self, phrases: Mapping[str, str] = ENGLISH) -> str:
        """The reason as a phrase of ``phrases`` (English by default)."""
        return phrases[self.kind].format(
            level=self.level or "", n=len(self.active), active=", ".join(self.active)
        )

    def __str__(self) -> str:
        return self.text()


def logged_reason(details: Mapping[str, Any]) -> Reason | None:
    """The :class:`Reason` an event's details (or a decision point's ``known``)
    hold, or ``None`` if their ``reason`` is none of the engine's kinds.

    >>> logged_reason({"reason": "hqs_active", "active": "gas_hq, hq", "by": "player"})
    Reason(kind='hqs_active', level=None, active=('gas_hq', 'hq'))
    >>> str(logged_reason({"reason": "level", "at_level": "I"}))
    'level I'
    """
    kind = details.get("reason")
    if kind not in ENGLISH:
        return None
    active = str(details.get("active") or "")
    level = details.get("at_level")
    return Reason(
        str(kind),
        None if level is None else str(level),
        tuple(a.strip() for a in active.split(",") if a.strip()),
    )
