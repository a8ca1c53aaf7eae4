"""Checking an inject added while an exercise runs (the facilitator's, a
script's, a served exercise's), field by field, before anything is changed
or written: a bad one is an :class:`InjectError` naming the inject and its
fields, never a run that quietly leaves it undelivered or a log that holds
it half-checked.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from cmdsim.errors import LoadError, Problem
from cmdsim.model import Inject, Scenario
from cmdsim.model.incidents import FIGURE_NAMES, figure_problem
from cmdsim.model.scenario import NO_INCIDENT_FIGURES, recipient_problem


class InjectError(LoadError):
    """An inject that cannot be added or fired.

    ``inject`` is its id; each problem's ``path`` is the field it is about
    (``at``, ``message``, ``hazard``, ``town``, ``to``, ``channel``,
    ``figures``, ``id``), and ``field`` the first of them.
    """

    def __init__(self, inject: str, problems: Sequence[Problem]) -> None:
        super().__init__(list(problems))
        self.inject = inject
        self.field = self.problems[0].path if self.problems else ""

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field named, in order, once each."""
        return tuple(dict.fromkeys(p.path for p in self.problems))

    def renamed(self, names: Mapping[str, str]) -> InjectError:
        """The same problems with their fields as a front end calls them
        (a served exercise's ``minutes`` for ``at``, ``from`` for ``source``)."""
        return InjectError(
            self.inject,
            [Problem(p.message, names.get(p.path, p.path)) for p in self.problems],
        )


def inject_problems(
    inject: Inject,
    scenario: Scenario,
    recipients: Mapping[str, str | None],
    *,
    taken: Collection[str] = (),
    now: float = 0.0,
) -> list[Problem]:
    """What is wrong with ``inject`` as an addition to an exercise of
    ``scenario`` whose clock is at ``now`` (one problem per field, with the
    field as its ``path``; empty if nothing).

    ``taken``: the ids already in use.  ``recipients``: the district's
    (:meth:`~cmdsim.model.District.recipients`), with ``to`` already
    resolved to an id where it names one.  Hazards, towns and channels are
    ids here: names are resolved where they are read (an MSEL, a script).
    """
    district = scenario.district
    named = f"the inject {inject.id!r}"
    problems: list[Problem] = []
    if not inject.id.strip():
        problems.append(Problem("an inject needs an id", "id"))
    elif inject.id in taken:
        problems.append(Problem(f"{named}: an inject with this id already exists", "id"))
    if not inject.message.strip():
        problems.append(Problem(f"{named} needs a message", "message"))
    problems += _time_problems(inject, scenario, now)
    for what, value, known in (
        ("hazard", inject.hazard, [h.id for h in district.hazards]),
        ("town", inject.town, [t.id for t in district.towns]),
        ("channel", inject.channel, [c.id for c in district.channels]),
    ):
        if value is not None and value not in known:
            problems.append(Problem(f"{named}: unknown {what} {value!r}{_known(known)}", str(what)))
    if inject.figures and inject.hazard is None:
        problems.append(Problem(f"{named}: {NO_INCIDENT_FIGURES}", "figures"))
    recipient = recipient_problem(inject, recipients)
    if recipient is not None:
        problems.append(Problem(f"{named}: {recipient}", "to"))
    return problems


def added_figures(given: object, hazard: bool) -> tuple[dict[str, float], list[Problem]]:
    """The figures of an inject added while an exercise runs (a served
    exercise's form or JSON body, the console's ``deaths=4``), checked field
    by field as an MSEL's are: ``given`` is a mapping of figure names to
    numbers, or text of ``name: number`` pairs (``deaths: 4; households:
    12,000``, a form's field); a number may be text (``12,000`` reads as
    12000).  Each bad figure is a problem at ``figures.NAME``; figures on an
    inject without a ``hazard``, text that is no pairs, or another type,
    one at ``figures``.  The figures are those without a problem."""
    if given is None or given == "" or given == {}:
        return {}, []
    if isinstance(given, str):
        pairs, wrong = _figure_pairs(given)
        if wrong:
            return {}, wrong
        given = pairs
    if not isinstance(given, Mapping):
        return {}, [Problem(f'expected figures like {{"deaths": 4}}, not {given!r}', "figures")]
    figures: dict[str, float] = {}
    problems: list[Problem] = []
    for name, raw in given.items():
        value: object = raw
        if isinstance(raw, str):
            try:
                value = float(raw.strip().replace(",", ""))
            except ValueError:
                value = raw
        problem = figure_problem(str(name), value)
        if problem is not None:
            problems.append(Problem(problem, f"figures.{name}"))
        elif isinstance(value, int | float):
            figures[str(name)] = float(value)
    if not hazard:
        problems.append(Problem(NO_INCIDENT_FIGURES, "figures"))
    return figures, problems


def _figure_pairs(text: str) -> tuple[dict[str, str], list[Problem]]:
    """``deaths: 4; households: 12,000`` (``=`` or a full-width colon too;
    pairs parted by ``;``, a new line, or a comma before the next name)."""
    pairs: dict[str, str] = {}
    for part in re.split(r"[;；\n]|[,，](?=\s*[A-Za-z_])", text):
        if not part.strip():
            continue
        name, sign, value = re.sub("[:：=＝]", ":", part, count=1).partition(":")
        if not sign or not name.strip():
            known = ", ".join(FIGURE_NAMES)
            return {}, [
                Problem(
                    f"expected name: number pairs like 'deaths: 4; households: 12000', "
                    f"not {part.strip()!r} (figures: {known})",
                    "figures",
                )
            ]
        pairs[name.strip()] = value.strip()
    return pairs, []


def _time_problems(inject: Inject, scenario: Scenario, now: float) -> list[Problem]:
    named = f"the inject {inject.id!r}"
    at = inject.at  # a number of minutes from 0 (the model's own check)
    if at < now:
        # An inject is added at the clock or after it: one timed before
        # would be delivered in a past the players have already seen.
        return [Problem(f"{named} at {at:g} min is before the exercise clock ({now:g} min)", "at")]
    if at >= scenario.horizon:
        # The run stops at the horizon before what is timed at that minute:
        # it would never be delivered, and nobody would know.
        when = "when" if at == scenario.horizon else "after"
        return [
            Problem(
                f"{named} at {at:g} min is {when} the exercise ends "
                f"(horizon {scenario.horizon:g} min): it would never be delivered",
                "at",
            )
        ]
    return []


def _known(known: Sequence[str]) -> str:
    if not known:
        return " (the district has none)"
    shown = sorted(known)
    more = f", … {len(shown) - 12} more" if len(shown) > 12 else ""
    return f" (known: {', '.join(shown[:12])}{more})"


def located(error: InjectError, entry: Any, file: str, where: str = "injects") -> LoadError:
    """``error`` at the row an inject was read from (an MSEL or script
    entry: its ``line``, ``file`` and ``cells``): each field at its cell where
    the entry knows it, else under the entry's own path (``injects[2].at``
    in a YAML file, whose cells say where the inject is), else ``where``."""
    cells: Mapping[str, tuple[str, int | None]] = getattr(entry, "cells", {}) or {}
    own, dot, _ = cells.get("hazard", ("", None))[0].rpartition(".")
    prefix = own if dot else where
    problems = []
    for problem in error.problems:
        path, column = cells.get(problem.path, (f"{prefix}.{problem.path}", None))
        problems.append(
            Problem(
                problem.message,
                path,
                getattr(entry, "file", "") or file,
                getattr(entry, "line", None),
                column,
            )
        )
    return LoadError(problems)
