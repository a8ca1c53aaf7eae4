"""The facilitator's forms read into the exercise's values: the exercise's
facts and an improvement plan's items."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cmdsim.exercise.log import IMPROVEMENT_FIELDS, ExerciseFacts, Improvement, Participant


def facts_from_form(form: Mapping[str, Any]) -> ExerciseFacts:
    """Exercise facts from the facilitator's form: participants one a line as
    ``name, role``; notes one a line."""
    people = []
    for line in str(form.get("participants") or "").splitlines():
        name, _, role = line.partition(",")
        if name.strip():
            people.append(Participant(name.strip(), role.strip()))
    notes = tuple(n.strip() for n in str(form.get("notes") or "").splitlines() if n.strip())
    return ExerciseFacts(
        date=str(form.get("date") or "").strip(),
        place=str(form.get("place") or "").strip(),
        participants=tuple(people),
        notes=notes,
    )


def improvement_from_form(form: Mapping[str, Any]) -> Improvement:
    """An improvement item from the facilitator's form."""
    return Improvement(**{k: str(form.get(k) or "").strip() for k in IMPROVEMENT_FIELDS})
