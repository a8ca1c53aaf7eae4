"""Tabletop exercises: the MSEL of injects, evaluation criteria, the drill
driver with human or simulated decisions, and the exercise log for replay.
"""

from __future__ import annotations

from cmdsim.exercise.criteria import Criterion, Pattern, Status, Verdict, evaluate
from cmdsim.exercise.msel import (
    Msel,
    MselEntry,
    load_msel,
    msel_from_data,
    msel_to_data,
)
from cmdsim.exercise.msel_columns import DEFAULT_COLUMNS, MANDATORY
from cmdsim.exercise.msel_places import resolve_channels, resolve_places
from cmdsim.exercise.times import parse_time

__all__ = [
    "DEFAULT_COLUMNS",
    "MANDATORY",
    "Criterion",
    "Msel",
    "MselEntry",
    "Pattern",
    "Status",
    "Verdict",
    "evaluate",
    "load_msel",
    "msel_from_data",
    "msel_to_data",
    "parse_time",
    "resolve_channels",
    "resolve_places",
]
