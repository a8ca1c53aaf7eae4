"""The before/after switches that change a scenario before it is run
(``--no-injects``, ``--truth-reported``, ``--no-town-plans``), by one name
each: the keyword of :func:`cmdsim.analysis.replicate`, the key a batch's
manifest and summary and a run's ``run.json`` record (``true`` when on),
and, with ``-`` for ``_``, the CLI flag.

A result records the switches it was run with so that what reloads its
scenario (a report, ``--resume``) applies them again before comparing the
scenario's digest with the recorded one: the recorded digest is the
switched scenario's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs

from cmdsim.errors import ScenarioError
from cmdsim.model.plans import PlanTier
from cmdsim.model.scenario import Scenario


@attrs.frozen
class Switch:
    """One switch: its name, what it does to a scenario, and when it would
    change nothing (then it is refused: a run "without injects" of a
    scenario that has none, compared with the run with them, would read as
    the injects making no difference)."""

    name: str
    apply: Callable[[Scenario], Scenario]
    idle: Callable[[Scenario], bool]
    why_idle: str

    @property
    def flag(self) -> str:
        """The CLI flag, e.g. ``--no-town-plans``."""
        return flag(self.name)


def _plain(scenario: Scenario) -> bool:
    return all(
        c.figures is None and c.false_alarms == 0 and c.duplicates == 0 and c.verify is None
        for c in scenario.district.channels
    )


SWITCHES: tuple[Switch, ...] = (
    Switch("no_injects", Scenario.without_injects, lambda s: not s.injects, "it has no injects"),
    Switch(
        "truth_reported",
        Scenario.with_truth_reported,
        _plain,
        "its channels report the truth already",
    ),
    Switch(
        "no_town_plans",
        Scenario.without_town_plans,
        lambda s: not any(p.tier is PlanTier.TOWN for p in s.district.plans),
        "its district has no town plan",
    ),
)
"""Every switch, in the order they are applied."""

NAMES: tuple[str, ...] = tuple(s.name for s in SWITCHES)


def flag(name: str) -> str:
    """The CLI flag of a switch name (``no_town_plans`` -> ``--no-town-plans``)."""
    return "--" + name.replace("_", "-")


FLAGS: Mapping[str, str] = {s.name: s.flag for s in SWITCHES}
"""Each switch's key, as a manifest, summary or ``run.json`` records it, ->
the CLI flag the user typed: what a message about a switch names
(``no_town_plans`` -> ``--no-town-plans``)."""


def chosen(**on: bool) -> tuple[str, ...]:
    """The names of the switches that are on, in :data:`SWITCHES` order
    (``chosen(no_town_plans=True)`` -> ``("no_town_plans",)``)."""
    unknown = sorted(set(on) - set(NAMES))
    if unknown:
        raise ScenarioError(f"unknown switch {unknown[0]!r} (known: {', '.join(NAMES)})")
    return tuple(name for name in NAMES if on.get(name))


def apply_switches(scenario: Scenario, names: Iterable[str], source: Any = None) -> Scenario:
    """``scenario`` with the switches ``names`` applied, each refused (a
    :class:`~cmdsim.errors.ScenarioError` naming ``source``, default the
    scenario's id) when the scenario has nothing it changes."""
    wanted = set(chosen(**dict.fromkeys(names, True)))
    where = source if source is not None else repr(scenario.id)
    idle = [
        f"{s.flag} changes nothing in {where}: {s.why_idle}"
        for s in SWITCHES
        if s.name in wanted and s.idle(scenario)
    ]
    if idle:
        raise ScenarioError("; ".join(idle))
    for s in SWITCHES:
        if s.name in wanted:
            scenario = s.apply(scenario)
    return scenario


def recorded(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The switches a manifest, summary or ``run.json`` records (a key
    ``true`` per switch on), in :data:`SWITCHES` order."""
    return tuple(name for name in NAMES if data.get(name) is True)


def combinations(scenario: Scenario) -> Iterator[tuple[tuple[str, ...], Scenario]]:
    """Every non-empty set of the switches that change ``scenario``, with
    the scenario each gives: what an old result that did not record its
    switches may have been run with."""
    live = [s.name for s in SWITCHES if not s.idle(scenario)]
    for size in range(1, len(live) + 1):
        for names in itertools.combinations(live, size):
            yield names, apply_switches(scenario, names)
